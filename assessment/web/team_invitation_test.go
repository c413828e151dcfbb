package web

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment/auth"
)

// This file replays, through HTTP, every way a colleague could count twice in a team round
// (issue 16): a second device on a personal link, the same phone with its cookies cleared,
// the round's old shared code by page, form, API and short code, two devices racing on one
// link, and a removed colleague's stale cookie. Then the join-twice attack itself: once the
// holder shares the result, 3 × mean − own answers × 2 should give the holder's answers; it
// gets what guessing gets.

// randomScores draws 21 AS-IS and TO-BE answers on the 1–5 scale from r.
func randomScores(r *rand.Rand) scores {
	var s scores
	for i := range 21 {
		s.asIs[i], s.toBe[i] = 1+r.IntN(5), 1+r.IntN(5)
	}
	return s
}

// refused checks that res is the refusal page with heading want, status status.
func refused(t *testing.T, what string, res *response, status int, want string) {
	t.Helper()
	d := doc(t, res.Body)
	if got := squash(d.Find(`[data-testid="invitation-refused"] h1`).Text()); res.StatusCode != status || got != want {
		t.Errorf("%s = %d %q, want %d %q", what, res.StatusCode, got, status, want)
	}
}

func TestTeamJoinTwiceRefused(t *testing.T) {
	e := newEnv(t)
	r := rand.New(rand.NewPCG(16, 2026))
	holder, ida, ole := randomScores(r), randomScores(r), randomScores(r)
	resultToken := e.submitAPI(map[string]any{"answers": holder.answers(), "company": map[string]any{"name": "Nordlys A/S"}})
	var links teamLinks
	if err := json.Unmarshal(e.postJSON("/api/v1/assessments/"+resultToken+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	team := links.TeamToken
	tokens := inviteColleagues(t, e, team, "Ida", "Ole", "Kim")

	// Ida, the would-be attacker, joins on her phone and finishes.
	idaPhone, code := takeInvitation(t, e, tokens["Ida"], "Ida")
	if res := idaPhone.post("/j/"+code, ida.form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ida's answers = %d", res.StatusCode)
	}
	var short string
	if err := e.rawQuery("SELECT short_code FROM rounds WHERE code = '"+code+"'", &short); err != nil {
		t.Fatal(err)
	}
	participants := func() int { return e.countRows("SELECT count(*) FROM participants") }
	before := participants() // the holder and Ida

	// Her link on a second device, or on the same phone with its cookies cleared: a browser
	// without her cookie, refused before and after Start, in the page's language.
	laptop := e.browser()
	refused(t, "Ida's link on another device", laptop.get("/i/"+tokens["Ida"]+"?lang=en"), http.StatusConflict, "This link has been used already")
	refused(t, "Start on Ida's link on another device", laptop.post("/i/"+tokens["Ida"]+"?lang=en", url.Values{"name": {"Ida again"}}), http.StatusConflict, "This link has been used already")
	refused(t, "Ida's link, cookies cleared, in Danish", e.browser().get("/i/"+tokens["Ida"]+"?lang=da"), http.StatusConflict, "Linket er allerede brugt")
	// The round's shared code admits nobody new: the page, Start, the form, the API, the
	// short code.
	refused(t, "the shared link", laptop.get("/j/"+code+"?lang=en"), http.StatusForbidden, "Join with your personal link")
	refused(t, "Start on the shared link", laptop.post("/j/"+code+"/start?lang=en", url.Values{"name": {"Ida again"}}), http.StatusForbidden, "Join with your personal link")
	refused(t, "answers on the shared link", laptop.post("/j/"+code+"?lang=sv", ida.form()), http.StatusForbidden, "Gå med via din personliga länk")
	if res := e.postJSON("/api/v1/join/"+code, []byte(`{"answers":`+ida.json()+`}`)); res.StatusCode != http.StatusForbidden || !strings.Contains(res.Text, "personal link") {
		t.Errorf("POST /api/v1/join/{team code} = %d %s, want 403", res.StatusCode, res.Text)
	}
	if res := laptop.get("/j?code=" + short); res.StatusCode != http.StatusSeeOther || res.Redirect != "/j/"+code {
		t.Errorf("the short code = %d %q", res.StatusCode, res.Redirect)
	} else {
		refused(t, "the short code's page", laptop.get(res.Redirect+"?lang=nb"), http.StatusForbidden, "Bli med via den personlige lenken din")
	}
	// Her own phone comes back: recognised, it goes on, and answering again replaces.
	if res := idaPhone.get("/i/" + tokens["Ida"]); res.StatusCode != http.StatusSeeOther || res.Redirect != "/j/"+code {
		t.Errorf("Ida's phone on her link again = %d %q, want 303 to the round", res.StatusCode, res.Redirect)
	}
	if res := idaPhone.post("/j/"+code, ida.form()); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Ida answering again = %d", res.StatusCode)
	}
	if n := participants(); n != before {
		t.Fatalf("%d participants after Ida's attempts, want %d", n, before)
	}

	// Six devices race on Kim's link: one gets in.
	var wg sync.WaitGroup
	phones := make([]*browser, 6)
	statuses := make([]int, len(phones))
	for i := range phones {
		phones[i] = e.browser()
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = phones[i].post("/i/"+tokens["Kim"], url.Values{}).StatusCode
		}()
	}
	wg.Wait()
	var kimPhone *browser
	for i, st := range statuses {
		switch st {
		case http.StatusSeeOther:
			if kimPhone != nil {
				t.Error("two devices got in on Kim's link")
			}
			kimPhone = phones[i]
		case http.StatusConflict:
		default:
			t.Errorf("a racing Start = %d, want 303 or 409", st)
		}
	}
	if kimPhone == nil || participants() != before+1 {
		t.Fatalf("racing on one link: %v, %d participants; want one in and %d", statuses, participants(), before+1)
	}

	// The holder removes Kim, who has not finished; Kim's phone then gets nothing in with its
	// stale cookie, and the withdrawn link admits nobody.
	kimID := ""
	for _, i := range getInvitations(t, e, team).Invitations {
		if i.Label == "Kim" {
			kimID = strconv.FormatInt(i.ID, 10)
		}
	}
	if res := e.postForm("/t/"+team+"/colleagues/"+kimID+"/remove", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("removing Kim = %d", res.StatusCode)
	}
	if n := participants(); n != before {
		t.Errorf("%d participants after removing Kim, want %d", n, before)
	}
	refused(t, "Kim's phone on the round after the removal", kimPhone.get("/j/"+code+"?lang=en"), http.StatusForbidden, "Join with your personal link")
	refused(t, "Kim's phone answering after the removal", kimPhone.post("/j/"+code+"?lang=en", ida.form()), http.StatusForbidden, "Join with your personal link")
	refused(t, "Kim's phone on the withdrawn link", kimPhone.get("/i/"+tokens["Kim"]+"?lang=en"), http.StatusNotFound, "This link does not work")
	refused(t, "Kim's withdrawn link", e.browser().get("/i/"+tokens["Kim"]+"?lang=en"), http.StatusNotFound, "This link does not work")

	// Ole finishes; the holder shares the result.
	olePhone, _ := takeInvitation(t, e, tokens["Ole"], "Ole")
	if res := olePhone.post("/j/"+code, ole.form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ole's answers = %d", res.StatusCode)
	}
	if res := e.postForm("/t/"+team+"/reveal", url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reveal = %d", res.StatusCode)
	}
	got := getTeamJSON(t, e, team)
	if got.Progress.Joined != 3 || got.Progress.Finished != 3 || len(got.Aggregate.Competencies) != 21 {
		t.Fatalf("team = %d joined, %d finished, %d competencies; want 3, 3, 21", got.Progress.Joined, got.Progress.Finished, len(got.Aggregate.Competencies))
	}
	// Nobody counts twice: every mean is exactly that of the holder, Ida and Ole.
	hp, ip, op := holder.pairs(), ida.pairs(), ole.pairs()
	hits, coincide := 0, 0
	for i, c := range got.Aggregate.Competencies {
		for side, mean := range []float64{c.AsIs.Mean, c.ToBe.Mean} {
			want := float64(hp[i][side]+ip[i][side]+op[i][side]) / 3
			if !near(mean, want) {
				t.Errorf("competency %d side %d: mean %v, want %v", i+1, side, mean, want)
			}
			// The attack: as if Ida were in twice.
			if guess := math.Round(3*mean - 2*float64(ip[i][side])); int(guess) == hp[i][side] {
				hits++
			}
			// It hits exactly where Ole happens to have answered as Ida did.
			if op[i][side] == ip[i][side] {
				coincide++
			}
		}
	}
	// Guessing on a 5-point scale gets 42/5 = 8.4 right on average; the attack gets what
	// Ole's and Ida's coinciding answers give, which is guessing by another name.
	t.Logf("join-twice attack: %d of 42 of the holder's answers (guessing: 8.4 on average)", hits)
	if hits != coincide || hits > 14 {
		t.Errorf("the join-twice attack recovers %d of 42 (coinciding answers %d); want no more than guessing", hits, coincide)
	}
	// The room's view of Ida's phone gives the same numbers, no others.
	if room := doc(t, idaPhone.get("/j/"+code+"/room?lang=en").Body); room.Find(`[data-testid="room"] [data-chart]`).Length() != 1 {
		t.Error("Ida, who finished, does not see the shared result")
	}
	// Personal links are credentials: never in the log.
	for label, tok := range tokens {
		if strings.Contains(e.logs.String(), tok) {
			t.Errorf("the request log holds %s's personal link", label)
		}
	}
	// Every attempt was an attempt: nothing of it was stored.
	if n := e.countRows("SELECT count(*) FROM participants WHERE name IN ('Ida again')"); n != 0 {
		t.Errorf("%d participants named by a refused attempt", n)
	}
}

// TestTeamColleaguesPage: the holder's list of colleagues on the team page. A list with a
// problem is refused whole (422), each problem named by its line and the list kept, in the
// team round's language (English here) whatever language the reader's pages speak; a colleague who finished cannot be removed (409, said why); the cap says
// what is wrong with it.
func TestTeamColleaguesPage(t *testing.T) {
	e := newEnv(t)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers()})
	var links teamLinks
	if err := json.Unmarshal(e.postJSON("/api/v1/assessments/"+token+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	team := "/t/" + links.TeamToken
	_, _ = joinTeam(t, e, links.TeamToken, "Ida", uniform(3, 4))

	for _, tt := range []struct {
		lang, list string
		want       []string
	}{
		{"en", "Ole\nida\n<b>Kim</b>", []string{"Line 2: “ida” is on the list already: give each colleague a name of their own."}},
		{"da", "Ole\n" + strings.Repeat("x", 101), []string{"Line 2: Too long: at most 100 characters."}},
		{"en", " \n", []string{"Enter at least one name, one a line."}},
	} {
		res := e.postForm(team+"/colleagues?lang="+tt.lang, url.Values{"names": {tt.list}})
		d := doc(t, res.Body)
		if got := texts(d.Find(`[data-testid="colleagues-add-error"]`)); res.StatusCode != http.StatusUnprocessableEntity || strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("adding %q = %d %q, want 422 %q", tt.list, res.StatusCode, got, tt.want)
		}
		if got := d.Find(`#colleague-names`).Text(); got != tt.list {
			t.Errorf("the list after a problem = %q, want it kept", got)
		}
	}
	if n := e.countRows("SELECT count(*) FROM team_invitations"); n != 1 {
		t.Errorf("%d personal links after refused lists, want Ida's alone", n)
	}
	// Names are text: a name with markup shows as typed.
	if res := e.postForm(team+"/colleagues", url.Values{"names": {"<b>Kim</b>"}}); res.StatusCode != http.StatusSeeOther || res.Redirect != team+"?added=1#colleagues" {
		t.Fatalf("adding Kim = %d %q", res.StatusCode, res.Redirect)
	}
	page := e.get(team + "?added=1&lang=en")
	if !strings.Contains(page.Text, "&lt;b&gt;Kim&lt;/b&gt;") || strings.Contains(page.Text, "<b>Kim</b>") {
		t.Error("a colleague's name is not escaped on the team page")
	}
	d := doc(t, page.Body)
	if got := squash(d.Find(`[data-testid="colleagues-notice"]`).Text()); got != "1 personal link made. Copy it, or email it to your colleague." {
		t.Errorf("notice = %q", got)
	}
	if got := texts(d.Find(`[data-testid="colleague-status"]`)); strings.Join(got, "|") != "Finished|Not started" {
		t.Errorf("statuses = %v", got)
	}
	// Ida finished: no remove button, and a forged removal is refused with the reason.
	rows := d.Find(`[data-testid="colleague"]`)
	if rows.Eq(0).Find(`[data-testid="colleague-remove"]`).Length() != 0 || rows.Eq(0).Find(`[data-testid="colleague-link"]`).Length() != 0 {
		t.Error("Ida, who finished, can be removed or still has a link to copy")
	}
	mail := rows.Eq(1).Find(`[data-testid="colleague-mail"]`).AttrOr("href", "")
	if link := rows.Eq(1).Find(`[data-testid="colleague-link"]`).AttrOr("value", ""); !strings.HasPrefix(mail, "mailto:?subject=") || !strings.Contains(mail, url.QueryEscape(link)) {
		t.Errorf("Kim's mail link %q does not carry the link %q", mail, link)
	}
	list := getInvitations(t, e, links.TeamToken)
	res := e.postForm(team+"/colleagues/"+strconv.FormatInt(list.Invitations[0].ID, 10)+"/remove?lang=en", nil)
	if got := squash(doc(t, res.Body).Find(`[data-testid="colleagues-error"]`).Text()); res.StatusCode != http.StatusConflict || !strings.HasPrefix(got, "Ida has finished") {
		t.Errorf("removing Ida = %d %q, want 409 saying she finished", res.StatusCode, got)
	}
	if res := e.postForm(team+"/colleagues/999/remove?lang=en", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("removing an unknown link = %d, want 404", res.StatusCode)
	}
	// The cap.
	for _, tt := range []struct {
		cap    string
		status int
		want   string
	}{
		{"0", http.StatusUnprocessableEntity, "Enter a whole number from 1 to 50, or leave it empty."},
		{"51", http.StatusUnprocessableEntity, "Enter a whole number from 1 to 50, or leave it empty."},
		{"two", http.StatusUnprocessableEntity, "Enter a whole number from 1 to 50, or leave it empty."},
		{"1", http.StatusSeeOther, ""},
		{"", http.StatusSeeOther, ""},
	} {
		res := e.postForm(team+"/cap?lang=en", url.Values{"cap": {tt.cap}})
		if got := squash(doc(t, res.Body).Find(`[data-testid="team-cap-error"]`).Text()); res.StatusCode != tt.status || got != tt.want {
			t.Errorf("cap %q = %d %q, want %d %q", tt.cap, res.StatusCode, got, tt.status, tt.want)
		}
	}
	if got := squash(doc(t, e.get(team+"?lang=en").Body).Find(`[data-testid="team-places"]`).Text()); got != "Places taken: 1 of 2." {
		t.Errorf("places = %q, want 1 of 2", got)
	}
}

// TestTeamInvitationsAPI: the holder makes, lists and withdraws personal links and sets the
// cap through /api/v1/teams/{token}; the same rules, as JSON.
func TestTeamInvitationsAPI(t *testing.T) {
	e := newEnv(t)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers()})
	var links teamLinks
	if err := json.Unmarshal(e.postJSON("/api/v1/assessments/"+token+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/teams/" + links.TeamToken
	res := e.postJSON(base+"/invitations", []byte(`{"labels":["Ida","Ole"]}`))
	var made struct {
		Invitations []struct {
			ID                        int64
			Label, Status, Token, URL string
		}
	}
	if err := json.Unmarshal(res.Body, &made); err != nil || res.StatusCode != http.StatusCreated || len(made.Invitations) != 2 {
		t.Fatalf("POST invitations = %d %s", res.StatusCode, res.Text)
	}
	if loc := res.Header.Get("Location"); loc != base+"/invitations" {
		t.Errorf("POST invitations: Location = %q, want the team's list of links", loc)
	}
	ida := made.Invitations[0]
	if ida.Label != "Ida" || ida.Status != "unused" || len(ida.Token) != 22 || ida.URL != e.http.URL+"/i/"+ida.Token {
		t.Errorf("Ida's link = %+v", ida)
	}
	for _, tt := range []struct{ body, want string }{
		{`{"labels":["ida"]}`, `line 1: “ida” is on the list already`},
		{`{"labels":["Kim\nBo"]}`, `control character U+000A`},
		{`{"labels":[]}`, `team.colleagues: a value is required`},
		{`{"names":["Kim"]}`, `unknown field`},
	} {
		if res := e.postJSON(base+"/invitations", []byte(tt.body), uncheckedRequest, "labels that break the rules on purpose"); res.StatusCode/100 != 4 || !strings.Contains(res.Text, tt.want) {
			t.Errorf("POST invitations %s = %d %s, want a 4xx with %s", tt.body, res.StatusCode, res.Text, tt.want)
		}
	}
	finishInvitation(t, e, ida.Token, "Ida", uniform(3, 4))
	list := getInvitations(t, e, links.TeamToken)
	if len(list.Invitations) != 2 || list.Invitations[0].Status != "finished" || list.Invitations[0].Token != "" || list.Invitations[0].UsedAt == nil ||
		list.Invitations[1].Status != "unused" || list.Places.Cap != 2 || list.Places.Taken != 1 || list.Cap != 0 {
		t.Errorf("list = %+v", list)
	}
	for _, tt := range []struct {
		body   string
		status int
	}{{`{"cap":0}`, http.StatusOK}, {`{"cap":-1}`, http.StatusUnprocessableEntity}, {`{"cap":51}`, http.StatusUnprocessableEntity}, {`{"cap":1}`, http.StatusOK}} {
		h := []string{"Content-Type", "application/json"}
		if tt.status != http.StatusOK {
			h = append(h, uncheckedRequest, "a cap out of range on purpose")
		}
		if res := e.do(e.request(http.MethodPatch, base, strings.NewReader(tt.body), h...)); res.StatusCode != tt.status {
			t.Errorf("PATCH %s = %d %s, want %d", tt.body, res.StatusCode, res.Text, tt.status)
		}
	}
	// The cap of 1 is taken by Ida: Ole's link is refused.
	refused(t, "Ole's link with the round full", e.browser().get("/i/"+made.Invitations[1].Token+"?lang=en"), http.StatusConflict, "This team round is full")
	del := func(id int64) *response {
		return e.do(e.request(http.MethodDelete, base+"/invitations/"+strconv.FormatInt(id, 10), nil))
	}
	if res := del(ida.ID); res.StatusCode != http.StatusConflict || !strings.Contains(res.Text, "Ida has finished") {
		t.Errorf("DELETE Ida's link = %d %s, want 409", res.StatusCode, res.Text)
	}
	if res := del(made.Invitations[1].ID); res.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE Ole's link = %d %s, want 204", res.StatusCode, res.Text)
	}
	if res := del(made.Invitations[1].ID); res.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE Ole's link again = %d, want 404", res.StatusCode)
	}
	if got := getTeamJSON(t, e, links.TeamToken); got.ShortCode != "" || strings.Contains(e.get(base).Text, "join_url") {
		t.Error("the team API still gives the shared code")
	}
}

// TestTeamRoundBeforePersonalLinks: a team round opened when colleagues joined with the shared
// code keeps those who did — their browsers go on answering — while the code lets nobody else
// in, and the team page counts them and offers personal links.
func TestTeamRoundBeforePersonalLinks(t *testing.T) {
	e := newEnv(t)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers()})
	var links teamLinks
	if err := json.Unmarshal(e.postJSON("/api/v1/assessments/"+token+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	var code string
	var roundID int64
	if err := e.rawQuery("SELECT code, id FROM rounds WHERE workspace_id IS NULL", &code, &roundID); err != nil {
		t.Fatal(err)
	}
	// Ole joined with the code before this change: a participant no personal link admitted,
	// recognised by his browser's cookie. His label, P100, is one no one in a small round
	// is drawn (P1-P99, assessment.NewLabel): the holder's cannot be the same.
	const oleToken = "ole-joined-with-the-shared-code"
	if _, err := e.raw.Exec("INSERT INTO participants (round_id, token_hash, label, name, role, created_at, updated_at, finished_at) " +
		"SELECT round_id, '" + auth.HashToken(oleToken) + "', 'P100', 'Ole', '', created_at, updated_at, '' FROM participants WHERE round_id = " +
		strconv.FormatInt(roundID, 10)); err != nil {
		t.Fatal(err)
	}
	ole := e.browser()
	u, _ := url.Parse(e.http.URL + "/j/" + code)
	ole.http.Jar.SetCookies(u, []*http.Cookie{{Name: participantCookie, Value: oleToken, Path: "/j/" + code}})
	if res := ole.get("/j/" + code + "?lang=en"); res.StatusCode != http.StatusOK || doc(t, res.Body).Find(`[data-testid="submit"]`).Length() != 1 {
		t.Errorf("Ole's phone on the round = %d, want his form", res.StatusCode)
	}
	if res := ole.post("/j/"+code, uniform(3, 4).form()); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Ole's answers = %d, want them stored", res.StatusCode)
	}
	refused(t, "a new phone on the shared code", e.browser().get("/j/"+code+"?lang=en"), http.StatusForbidden, "Join with your personal link")
	d := doc(t, e.get("/t/"+links.TeamToken+"?lang=en").Body)
	if got := squash(d.Find(`[data-testid="colleagues-legacy"]`).Text()); !strings.HasPrefix(got, "1 colleague joined with the shared link before personal links existed.") {
		t.Errorf("the team page says %q about Ole", got)
	}
	if got := texts(d.Find(`[data-testid="progress"] .stat__value`)); strings.Join(got, " ") != "2 0 2" {
		t.Errorf("progress = %v, want the holder and Ole, finished", got)
	}
	if d.Find(`[data-testid="colleagues-add"]`).Length() != 1 {
		t.Error("the team page offers no personal links")
	}
}

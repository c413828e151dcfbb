package web

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/loyalty-cx/loyalty/assessment"
)

// teamJSON is GET /api/v1/teams/{token} as these tests read it.
type teamJSON struct {
	Status      string `json:"status"`
	Revealed    bool   `json:"revealed"`
	ResultShown bool   `json:"result_shown"`
	ShortCode   string `json:"short_code"`
	Progress    struct {
		Joined, Answering, Finished int
	} `json:"progress"`
	Company   *struct{ Name string } `json:"company"`
	Aggregate struct {
		Competencies []struct {
			Number int
			AsIs   struct {
				Mean, SD float64
				Min, Max *float64
			} `json:"as_is"`
			ToBe             struct{ Mean float64 } `json:"to_be"`
			DisagreementAsIs bool                   `json:"disagreement_as_is"`
		} `json:"competencies"`
		Overall *struct {
			AsIs      float64 `json:"as_is"`
			AsIsIndex float64 `json:"as_is_index"`
		} `json:"overall"`
	} `json:"aggregate"`
}

// teamLinks is the answer of POST /api/v1/assessments/{token}/team.
type teamLinks struct {
	TeamToken      string `json:"team_token"`
	TeamURL        string `json:"team_url"`
	InvitationsURL string `json:"invitations_url"`
}

func getTeamJSON(t *testing.T, e *env, token string) teamJSON {
	t.Helper()
	res := e.get("/api/v1/teams/" + token)
	var out teamJSON
	if err := json.Unmarshal(res.Body, &out); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/teams/… = %d %s (%v)", res.StatusCode, res.Text, err)
	}
	return out
}

// invitationsJSON is GET /api/v1/teams/{token}/invitations as these tests read it.
type invitationsJSON struct {
	Invitations []struct {
		ID                        int64
		Label, Status, Token, URL string
		CreatedAt                 string  `json:"created_at"`
		UsedAt                    *string `json:"used_at"`
	} `json:"invitations"`
	Cap    int                      `json:"cap"`
	Places struct{ Cap, Taken int } `json:"places"`
}

func getInvitations(t *testing.T, e *env, teamToken string) invitationsJSON {
	t.Helper()
	res := e.get("/api/v1/teams/" + teamToken + "/invitations")
	var out invitationsJSON
	if err := json.Unmarshal(res.Body, &out); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/teams/…/invitations = %d %s (%v)", res.StatusCode, res.Text, err)
	}
	return out
}

// inviteColleagues makes personal links for names with the team page's form, as the holder
// does, and returns their tokens by name, read through the API.
func inviteColleagues(t *testing.T, e *env, teamToken string, names ...string) map[string]string {
	t.Helper()
	res := e.postForm("/t/"+teamToken+"/colleagues", url.Values{"names": {strings.Join(names, "\n")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding colleagues %v = %d %s", names, res.StatusCode, res.Text)
	}
	out := map[string]string{}
	for _, i := range getInvitations(t, e, teamToken).Invitations {
		out[i.Label] = i.Token
	}
	return out
}

// takeInvitation makes a new phone open the personal link tok and press Start as name; it
// returns the phone and the round's code, where Start leads.
func takeInvitation(t *testing.T, e *env, tok, name string) (*browser, string) {
	t.Helper()
	p := e.browser()
	if res := p.get("/i/" + tok); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /i/… = %d %s", res.StatusCode, res.Text)
	}
	res := p.post("/i/"+tok, url.Values{"name": {name}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Redirect, "/j/") {
		t.Fatalf("Start on a personal link = %d %q, want 303 to /j/…", res.StatusCode, res.Redirect)
	}
	return p, strings.TrimPrefix(res.Redirect, "/j/")
}

// joinTeam has the holder of teamToken invite label, and a new phone take that link (typing
// the name "Typed "+label) and finish with s. It returns the phone and the round's code.
func joinTeam(t *testing.T, e *env, teamToken, label string, s scores) (*browser, string) {
	t.Helper()
	return finishInvitation(t, e, inviteColleagues(t, e, teamToken, label)[label], label, s)
}

// finishInvitation has a new phone take the personal link tok (typing the name
// "Typed "+label) and finish with s. It returns the phone and the round's code.
func finishInvitation(t *testing.T, e *env, tok, label string, s scores) (*browser, string) {
	t.Helper()
	p, code := takeInvitation(t, e, tok, "Typed "+label)
	if res := p.post("/j/"+code, s.form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer = %d %s", res.StatusCode, res.Text)
	}
	return p, code
}

// TestTeamRound follows an executive from the result to the team page, and three colleagues
// through the workshop's own join pages: nothing of the team's result shows anywhere until
// three have finished, nothing of any single person ever, and the team link leads nowhere
// near the result it came from.
func TestTeamRound(t *testing.T) {
	e := newEnv(t)
	exec := e.browser()
	resultPath := e.submitForm(uniform(2, 4), url.Values{"company": {"Nordlys A/S"}, "role": {"CEO"}})
	resultToken := strings.TrimPrefix(resultPath, "/r/")
	page := doc(t, exec.get(resultPath+"?lang=en").Body)
	if href := page.Find(`[data-testid="invite-team"]`).AttrOr("href", ""); href != resultPath+"/team" {
		t.Fatalf("invite link = %q, want %s/team", href, resultPath)
	}
	invite := exec.get(resultPath + "/team?lang=en")
	d := doc(t, invite.Body)
	if invite.StatusCode != http.StatusOK || !strings.Contains(squash(d.Find(`[data-testid="team-rules"]`).Text()), "at least 3 have finished") {
		t.Fatalf("invitation = %d, rules %q", invite.StatusCode, squash(d.Find(`[data-testid="team-rules"]`).Text()))
	}
	opened := exec.post(resultPath+"/team", nil)
	if opened.StatusCode != http.StatusSeeOther || !strings.HasPrefix(opened.Redirect, "/t/") {
		t.Fatalf("opening = %d %q, want 303 to /t/…", opened.StatusCode, opened.Redirect)
	}
	teamToken := strings.TrimPrefix(opened.Redirect, "/t/")
	if len(teamToken) != 22 || teamToken == resultToken {
		t.Fatalf("team token %q: want 22 characters of its own", teamToken)
	}
	// Opening again, or following the invitation again, leads to the same round.
	if res := exec.post(resultPath+"/team", nil); res.Redirect != opened.Redirect {
		t.Errorf("opening again goes to %q, want %q", res.Redirect, opened.Redirect)
	}
	if res := e.get(resultPath + "/team"); res.StatusCode != http.StatusSeeOther || res.Redirect != opened.Redirect {
		t.Errorf("the invitation of a result with a team round = %d %q, want 303 to it", res.StatusCode, res.Redirect)
	}
	if n := e.countRows("SELECT count(*) FROM rounds"); n != 1 {
		t.Errorf("%d rounds, want 1", n)
	}

	teamPage := exec.get(opened.Redirect + "?lang=en")
	if teamPage.StatusCode != http.StatusOK || strings.Contains(teamPage.Text, resultToken) {
		t.Fatalf("team page = %d, holds the result token: %v", teamPage.StatusCode, strings.Contains(teamPage.Text, resultToken))
	}
	d = doc(t, teamPage.Body)
	// No shared link, QR code or short code: colleagues join by personal links only.
	for _, sel := range []string{`[data-testid="join-url"]`, `[data-testid="short-code"]`, `img[src$="qr.svg"]`} {
		if d.Find(sel).Length() != 0 {
			t.Errorf("the team page shows %s", sel)
		}
	}
	if d.Find(`[data-testid="colleagues-add"]`).Length() != 1 || d.Find(`[data-testid="colleague"]`).Length() != 0 {
		t.Errorf("team page: add form %d, colleagues %d; want the form and nobody yet", d.Find(`[data-testid="colleagues-add"]`).Length(), d.Find(`[data-testid="colleague"]`).Length())
	}
	if got := texts(d.Find(`[data-testid="progress"] .stat__value`)); strings.Join(got, " ") != "1 0 1" {
		t.Errorf("progress = %v, want 1 joined, 0 answering, 1 finished: the executive's own answers", got)
	}
	if d.Find(`[data-testid="team-waiting"]`).Length() != 1 || d.Find(`[data-chart]`).Length() != 0 {
		t.Errorf("with 1 finished: waiting note %d, charts %d; want the note and no chart", d.Find(`[data-testid="team-waiting"]`).Length(), d.Find(`[data-chart]`).Length())
	}
	var code string
	if err := e.rawQuery("SELECT code FROM rounds WHERE workspace_id IS NULL", &code); err != nil {
		t.Fatal(err)
	}

	// The executive's browser is the first participant: the join link says their answers
	// are in, and the form to change them shows them.
	if d := doc(t, exec.get("/j/"+code+"?lang=en").Body); d.Find(`[data-testid="done"]`).Length() != 1 {
		t.Error("the executive on the join link: no done state")
	}
	own := doc(t, exec.get("/j/"+code+"?edit=1&lang=en").Body)
	if own.Find(`[data-testid="welcome"]`).Length() != 0 || len(checkedRadios(own)) != 42 {
		t.Errorf("the executive on the join link: welcome %d, answers %d; want their 42 answers", own.Find(`[data-testid="welcome"]`).Length(), len(checkedRadios(own)))
	}
	// A colleague's personal link shows the team's rules on the welcome, in the team's words,
	// and for whom the link is.
	idaTok := inviteColleagues(t, e, teamToken, "Ida")["Ida"]
	welcome := doc(t, e.get("/i/"+idaTok+"?lang=en").Body)
	if got := squash(welcome.Find(`[data-testid="round-title"]`).Text()); got != "Leadership team round" {
		t.Errorf("welcome title = %q", got)
	}
	if got := squash(welcome.Find(`[data-testid="who-sees-what"]`).Text()); !strings.Contains(got, "only once at least 3 have finished") || strings.Contains(got, "facilitator") {
		t.Errorf("who sees what = %q", got)
	}
	if got := squash(welcome.Find(`[data-testid="invitation-for"]`).Text()); !strings.Contains(got, "is for Ida") {
		t.Errorf("the welcome of Ida's link says %q", got)
	}

	// A second colleague finishes, and the result is shared early: still nothing, anywhere.
	ida, _ := takeInvitation(t, e, idaTok, "Typed Ida")
	if res := ida.post("/j/"+code, uniform(3, 4).form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ida's answers = %d", res.StatusCode)
	}
	if res := exec.post(opened.Redirect+"/reveal", url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther || res.Redirect != opened.Redirect {
		t.Fatalf("reveal = %d %q", res.StatusCode, res.Redirect)
	}
	if got := getTeamJSON(t, e, teamToken); got.ResultShown || got.Aggregate.Overall != nil || len(got.Aggregate.Competencies) != 0 || got.Progress.Finished != 2 || !got.Revealed {
		t.Errorf("API with 2 finished = %+v; want progress only", got)
	}
	room := doc(t, ida.get("/j/"+code+"/room?lang=en").Body)
	if room.Find(`[data-testid="room-waiting"]`).Length() != 1 || room.Find(`[data-chart]`).Length() != 0 {
		t.Errorf("a phone's room with 2 finished: waiting %d, charts %d", room.Find(`[data-testid="room-waiting"]`).Length(), room.Find(`[data-chart]`).Length())
	}
	d = doc(t, exec.get(opened.Redirect+"?lang=en").Body)
	if d.Find(`[data-testid="team-waiting"]`).Length() != 1 || !strings.Contains(d.Find(`[data-testid="team-waiting"]`).Text(), "Finished so far: 2") {
		t.Errorf("team page with 2 finished: %q", squash(d.Find(`[data-testid="team-waiting"]`).Text()))
	}

	// The third finishes: competency 5's AS-IS is 2, 3 and 4, a spread of 2; every other
	// AS-IS is 2, 3, 3. Overall AS-IS (20 · 8/3 + 3)/21 = 169/63, index (169/63 − 1)/4 · 100.
	joinTeam(t, e, teamToken, "Ole", uniform(3, 5).with(5, 4, 5))
	got := getTeamJSON(t, e, teamToken)
	if !got.ResultShown || got.Aggregate.Overall == nil || !near(got.Aggregate.Overall.AsIs, 169.0/63) || !near(got.Aggregate.Overall.AsIsIndex, (169.0/63-1)/4*100) {
		t.Fatalf("API with 3 finished = %+v", got)
	}
	c5 := got.Aggregate.Competencies[4]
	if c5.Number != 5 || !near(c5.AsIs.Mean, 3) || !c5.DisagreementAsIs || got.Aggregate.Competencies[0].DisagreementAsIs {
		t.Errorf("competency 5 = %+v, want mean 3 and disagreement; competency 1 agreed", c5)
	}
	if got.Company == nil || got.Company.Name != "Nordlys A/S" || got.Status != "revealed" {
		t.Errorf("company %+v, status %q", got.Company, got.Status)
	}
	teamPage = exec.get(opened.Redirect + "?lang=en")
	d = doc(t, teamPage.Body)
	if d.Find(`[data-chart="radar-live-data"]`).Length() != 1 || d.Find(`[data-testid="team-waiting"]`).Length() != 0 {
		t.Errorf("team page with 3 finished has no radar")
	}
	// Competency 5's AS-IS 2, 3, 4 lie furthest apart: SD √(2/3) = 0.8, first to talk about,
	// in words and without anyone's answer (no lowest, no highest).
	topics := texts(d.Find(`[data-testid="team-topics"] li[data-competency]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.ParentFiltered(`ol.sentences`).Length() == 1 && s.Closest(`[data-testid="top-gaps"]`).Length() == 0
	}))
	if len(topics) == 0 || len(topics) > assessment.TeamTopicsMax || stripSoft(topics[0]) != "5 Commitment (employees are motivated): you see today differently (spread 0.8)." {
		t.Errorf("topics = %q, want at most %d, first 5 Commitment in words", topics, assessment.TeamTopicsMax)
	}
	if n := d.Find(`[data-testid="competency-stats"] .flag`).Length(); n == 0 || n > assessment.TeamTopicsMax {
		t.Errorf("%d flags in the table, want 1 to %d: only the topics", n, assessment.TeamTopicsMax)
	}
	if !strings.Contains(d.Find(`[data-testid="team-sd-help"]`).Text(), "standard deviation") {
		t.Error("the team page does not say what the spread is")
	}
	checkGapsAddUp(t, "team page", d)
	for _, sel := range []string{`[data-testid="heat-asis"]`, `[data-testid="people"]`, `[data-participant]`} {
		if d.Find(sel).Length() != 0 {
			t.Errorf("the team page shows %s", sel)
		}
	}
	// The holder's names for the links show in the list of colleagues, with how far each is,
	// and nowhere else; the names colleagues typed, nowhere.
	if got := texts(d.Find(`[data-testid="colleague-status"]`)); strings.Join(got, " ") != "Finished Finished" {
		t.Errorf("colleagues' statuses = %v, want both finished", got)
	}
	if strings.Contains(teamPage.Text, "Typed ") {
		t.Error("the team page shows a name a colleague typed")
	}
	d.Find(`[data-testid="colleagues"]`).Remove()
	if html, _ := d.Html(); strings.Contains(html, "Ida") || strings.Contains(html, "Ole") {
		t.Error("the team page names a colleague outside the list of colleagues")
	}
	if n := d.Find(`[data-testid="competency-stats"] thead th`).Length(); n != 6 {
		t.Errorf("competency table has %d header cells, want 6: means, gap and spread, no lowest or highest", n)
	}
	room = doc(t, ida.get("/j/"+code+"/room?lang=en").Body)
	if room.Find(`[data-testid="room"] [data-chart]`).Length() != 1 {
		t.Error("a phone that finished does not see the shared result")
	}
	live := e.get(opened.Redirect + "/live?lang=en")
	if live.StatusCode != http.StatusOK || live.Header.Get("ETag") == "" || !strings.Contains(live.Text, "radar-live-data") {
		t.Errorf("live fragment = %d, ETag %q", live.StatusCode, live.Header.Get("ETag"))
	}
	if again := e.get(opened.Redirect+"/live?lang=en", "If-None-Match", live.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
		t.Errorf("unchanged live fragment = %d, want 304", again.StatusCode)
	}

	// Team links are credentials: never in the log.
	if logs := e.logs.String(); strings.Contains(logs, teamToken) || strings.Contains(logs, resultToken) {
		t.Error("the request log holds a team or result token")
	}

	// Deleting the result deletes the team round, and says so first.
	confirm := doc(t, exec.get(resultPath+"/delete?lang=en").Body)
	if confirm.Find(`[data-testid="delete-team"]`).Length() != 1 {
		t.Error("the delete confirmation does not say the team round goes too")
	}
	if res := e.do(e.request("DELETE", "/api/v1/assessments/"+resultToken, nil)); res.StatusCode != http.StatusNoContent {
		t.Fatalf("delete = %d", res.StatusCode)
	}
	for _, path := range []string{opened.Redirect, "/j/" + code, "/api/v1/teams/" + teamToken, "/i/" + idaTok} {
		if res := e.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after deleting the result = %d, want 404", path, res.StatusCode)
		}
	}
}

// TestTeamAPI: POST /api/v1/assessments/{token}/team opens the team round (201) or gives the
// one there is (200); colleagues join through /api/v1/join/{code}; unknown tokens are 404.
func TestTeamAPI(t *testing.T) {
	e := newEnv(t)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers(), "company": map[string]any{"name": "Fjord AS"}})
	res := e.postJSON("/api/v1/assessments/"+token+"/team", nil)
	var links teamLinks
	if err := json.Unmarshal(res.Body, &links); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("POST …/team = %d %s", res.StatusCode, res.Text)
	}
	if len(links.TeamToken) != 22 || links.TeamURL != "/t/"+links.TeamToken || links.InvitationsURL != "/api/v1/teams/"+links.TeamToken+"/invitations" ||
		res.Header.Get("Location") != "/api/v1/teams/"+links.TeamToken {
		t.Errorf("links = %+v, Location %q", links, res.Header.Get("Location"))
	}
	var again teamLinks
	res = e.postJSON("/api/v1/assessments/"+token+"/team", nil)
	if err := json.Unmarshal(res.Body, &again); err != nil || res.StatusCode != http.StatusOK || again.TeamToken != links.TeamToken {
		t.Errorf("POST again = %d %s, want 200 with the same team", res.StatusCode, res.Text)
	}
	for _, tt := range []struct {
		label string
		s     scores
	}{{"Ida", uniform(3, 4)}, {"Ole", uniform(4, 5)}} {
		joinTeam(t, e, links.TeamToken, tt.label, tt.s)
	}
	got := getTeamJSON(t, e, links.TeamToken)
	// AS-IS 2, 3, 4 everywhere: mean 3, and a spread of 2 on every competency.
	if !got.ResultShown || !near(got.Aggregate.Overall.AsIs, 3) || got.Progress.Finished != 3 || got.ShortCode != "" || got.Status != "open" {
		t.Errorf("team = %+v", got)
	}
	// Mean 3 and SD √(2/3) of 2, 3 and 4; never the lowest and highest, which the team page
	// does not show either.
	if c := got.Aggregate.Competencies[0].AsIs; !near(c.Mean, 3) || !near(c.SD, math.Sqrt(2.0/3)) || c.Min != nil || c.Max != nil {
		t.Errorf("competency 1 AS-IS = %+v, want mean 3, SD 0.816 and no min or max", c)
	}
	if strings.Contains(e.get("/api/v1/teams/"+links.TeamToken).Text, `"min"`) {
		t.Error("the team API gives someone's lowest answer")
	}
	for _, path := range []string{"/api/v1/teams/AAAAAAAAAAAAAAAAAAAAAA", "/api/v1/assessments/AAAAAAAAAAAAAAAAAAAAAA/team"} {
		method := http.MethodGet
		if strings.HasSuffix(path, "/team") {
			method = http.MethodPost
		}
		if res := e.do(e.request(method, path, nil)); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Text, `"error"`) {
			t.Errorf("%s %s = %d %s, want a JSON 404", method, path, res.StatusCode, res.Text)
		}
	}
}

// TestTeamImport: a consultant takes a team round into the workspace with its team link; the
// round moves with its answers, the team link then says so (410), and it moves once.
func TestTeamImport(t *testing.T) {
	e := newWSEnv(t)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers(), "company": map[string]any{"name": "Nordlys A/S", "industry": "retail", "country": "DK"}})
	var links teamLinks
	if err := json.Unmarshal(e.postJSON("/api/v1/assessments/"+token+"/team", nil).Body, &links); err != nil {
		t.Fatal(err)
	}
	_, code := joinTeam(t, e, links.TeamToken, "Ida", uniform(3, 4))
	teamURL := e.http.URL + "/t/" + links.TeamToken

	ann := e.login("ann@alpha.example")
	if d := doc(t, ann.get("/w/clients?lang=en").Body); d.Find(`[data-testid="import-team"]`).Length() != 1 {
		t.Fatal("the clients page has no form to import a team round")
	}
	for _, tt := range []struct {
		lang, link string
		status     int
		want       string
	}{
		{"en", "https://example.com/r/" + links.TeamToken, http.StatusUnprocessableEntity, "This is not a team link"},
		{"en", e.http.URL + "/t/AAAAAAAAAAAAAAAAAAAAAA", http.StatusNotFound, "There is no team round with that link."},
		{"da", "https://example.com/r/" + links.TeamToken, http.StatusUnprocessableEntity, "Det er ikke et teamlink"},
		{"da", e.http.URL + "/t/AAAAAAAAAAAAAAAAAAAAAA", http.StatusNotFound, "Der findes ingen teamrunde med det link."},
	} {
		res := ann.postCSRF("/w/teams/import?lang="+tt.lang, url.Values{"link": {tt.link}})
		if got := squash(doc(t, res.Body).Find(`[data-testid="import-error"]`).Text()); res.StatusCode != tt.status || !strings.Contains(got, tt.want) {
			t.Errorf("import %q = %d %q, want %d %q", tt.link, res.StatusCode, got, tt.status, tt.want)
		}
	}
	preview := ann.postCSRF("/w/teams/import?lang=en", url.Values{"link": {teamURL}})
	d := doc(t, preview.Body)
	if preview.StatusCode != http.StatusOK || squash(d.Find("h1").Text()) != "Import the team round of Nordlys A/S?" ||
		squash(d.Find(`[data-testid="team-import-facts"]`).Text()) != "Opened 2 March 2026. 2 of 2 have finished." {
		t.Fatalf("preview = %d %q / %q", preview.StatusCode, squash(d.Find("h1").Text()), squash(d.Find(`[data-testid="team-import-facts"]`).Text()))
	}
	if e.countRows("SELECT count(*) FROM rounds WHERE workspace_id IS NULL") != 1 {
		t.Error("the preview moved the round")
	}
	if res := ann.postCSRF("/w/teams/import?lang=en", url.Values{"link": {teamURL}, "confirm": {"yes"}, "name": {" "}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("import without a client name = %d, want 422", res.StatusCode)
	}
	res := ann.postCSRF("/w/teams/import?lang=en", url.Values{"link": {teamURL}, "confirm": {"yes"}, "name": {"Nordlys"}, "benchmark_consent": {"1"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Redirect, "/w/rounds/") {
		t.Fatalf("import = %d %q, want 303 to the round's dashboard", res.StatusCode, res.Redirect)
	}
	dash := doc(t, ann.get(res.Redirect+"?lang=en").Body)
	if n := dash.Find(`[data-testid="people"] tbody tr`).Length(); n != 2 || dash.Find(`[data-testid="blind"]`).Length() != 1 {
		t.Errorf("dashboard after the import: %d people, blind %d; want 2, blind", n, dash.Find(`[data-testid="blind"]`).Length())
	}
	if got := squash(dash.Find(`[data-testid="round-title"]`).Text()); got != "Leadership team (LOYALTY test)" {
		t.Errorf("round title = %q", got)
	}
	if n := e.countRows("SELECT count(*) FROM clients WHERE name = 'Nordlys' AND industry = 'retail' AND country = 'DK' AND benchmark_consent = 1"); n != 1 {
		t.Errorf("%d clients named Nordlys with the profile and consent, want 1", n)
	}

	moved := e.get("/t/" + links.TeamToken + "?lang=en")
	if moved.StatusCode != http.StatusGone || doc(t, moved.Body).Find(`[data-testid="team-moved"]`).Length() != 1 || strings.Contains(moved.Text, "radar") {
		t.Errorf("team link after the import = %d, want 410 saying it moved", moved.StatusCode)
	}
	if api := e.get("/api/v1/teams/" + links.TeamToken); api.StatusCode != http.StatusGone || !strings.Contains(api.Text, "consultant") {
		t.Errorf("API after the import = %d %s, want 410", api.StatusCode, api.Text)
	}
	if res := e.postJSON("/api/v1/assessments/"+token+"/team", nil); res.StatusCode != http.StatusGone {
		t.Errorf("opening the team round again after the import = %d, want 410", res.StatusCode)
	}
	if res := e.get("/j/" + code); res.StatusCode != http.StatusOK {
		t.Errorf("the join link after the import = %d, want it to keep working", res.StatusCode)
	}
	again := ann.postCSRF("/w/teams/import?lang=en", url.Values{"link": {teamURL}})
	if got := squash(doc(t, again.Body).Find(`[data-testid="import-error"]`).Text()); again.StatusCode != http.StatusConflict || !strings.Contains(got, "taken into a consultant's workspace") {
		t.Errorf("importing again = %d %q, want 409", again.StatusCode, got)
	}
	bob := e.login("bob@beta.example")
	if res := bob.get(res.Redirect); res.StatusCode != http.StatusNotFound {
		t.Errorf("another workspace's consultant opens the round: %d", res.StatusCode)
	}
}

// TestTeamBadLinks: unknown result tokens and team links are a 404 in the page's language
// (JSON in the API), and none of them stores a round.
func TestTeamBadLinks(t *testing.T) {
	e := newEnv(t)
	const unknown = "AAAAAAAAAAAAAAAAAAAAAA"
	for _, tt := range []struct {
		method, path string
	}{
		{http.MethodGet, "/r/" + unknown + "/team?lang=da"},
		{http.MethodPost, "/r/" + unknown + "/team?lang=da"},
		{http.MethodGet, "/t/" + unknown + "?lang=da"},
		{http.MethodGet, "/t/" + unknown + "/live?lang=da"},
		{http.MethodPost, "/t/" + unknown + "/reveal?lang=da"},
		{http.MethodPost, "/t/" + unknown + "/colleagues?lang=da"},
		{http.MethodPost, "/t/" + unknown + "/colleagues/1/remove?lang=da"},
		{http.MethodPost, "/t/" + unknown + "/cap?lang=da"},
		{http.MethodGet, "/i/" + unknown + "?lang=da"},
		{http.MethodPost, "/i/" + unknown + "?lang=da"},
		{http.MethodGet, "/t/kort?lang=da"},
	} {
		res := e.do(e.request(tt.method, tt.path, nil))
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s = %d, want 404", tt.method, tt.path, res.StatusCode)
			continue
		}
		if !strings.Contains(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(res.Text, `lang="da"`) {
			t.Errorf("%s %s: %q, want a Danish page", tt.method, tt.path, res.Header.Get("Content-Type"))
		}
	}
	res := e.do(e.request(http.MethodPost, "/api/v1/assessments/"+unknown+"/team", nil))
	var body struct{ Error string }
	if err := json.Unmarshal(res.Body, &body); err != nil || res.StatusCode != http.StatusNotFound || body.Error == "" {
		t.Errorf("POST /api/v1/assessments/{unknown}/team = %d %s, want a JSON 404", res.StatusCode, res.Text)
	}
	if n := e.countRows("SELECT count(*) FROM rounds") + e.countRows("SELECT count(*) FROM team_rounds") + e.countRows("SELECT count(*) FROM participants"); n != 0 {
		t.Errorf("%d rows of rounds, team rounds and participants after bad links, want 0", n)
	}
}

package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

// "Our clients" (issue 21): a client compared with the other consenting clients of its
// workspace, under the public pool's guarantees. Each attack is replayed through HTTP as the
// consultant (or a client holding reports) would: closing rounds, deleting and adding clients,
// reading the client's benchmark before and after.

// clientBench is what GET /api/v1/clients/{id}/benchmark publishes, as far as the tests need.
type clientBench struct {
	published
	Group       string `json:"group"`
	GroupValue  string `json:"group_value"`
	InBenchmark bool   `json:"in_benchmark"`
	Reason      string `json:"reason"`
	Message     string `json:"message"`
	Round       *struct {
		ID int64 `json:"id"`
	} `json:"round"`
}

// readClient fetches a client's benchmark with token.
func (e *env) readClient(token string, id int64, group string) clientBench {
	e.t.Helper()
	path := fmt.Sprintf("/api/v1/clients/%d/benchmark?group=%s", id, group)
	res := e.browser().api(http.MethodGet, path, token, "")
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s = %d %s", path, res.StatusCode, res.Body)
	}
	var b clientBench
	if err := json.Unmarshal(res.Body, &b); err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	if err := json.Unmarshal(res.Body, &b.published); err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	b.body = res.Text
	return b
}

// closedClient creates a consenting client of workspace ws with a round three participants
// answered as s, and closes the round through the API with token: the client's entry joins
// the pool.
func (e *env) closedClient(ws *assessment.Workspace, token, name string, s scores) *assessment.Client {
	e.t.Helper()
	ctx := context.Background()
	c, err := e.q.NewClient(assessment.Company{Name: name, Industry: "retail", Country: "DK"}, true)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.CreateClient(ctx, ws.ID, &c); err != nil {
		e.t.Fatal(err)
	}
	e.closeRoundOf(&c, token, s)
	return &c
}

// closeRoundOf opens a round of c, lets three participants answer as s and closes it
// through the API.
func (e *env) closeRoundOf(c *assessment.Client, token string, s scores) {
	e.t.Helper()
	ctx := context.Background()
	r, _ := e.q.NewRound(fmt.Sprintf("Round of %s %d", c.Profile.Name, e.clock().Unix()), "en")
	if err := e.db.CreateRound(ctx, c.WorkspaceID, c.ID, &r); err != nil {
		e.t.Fatal(err)
	}
	for i := range 3 {
		p, _ := e.q.NewParticipant(fmt.Sprintf("P%d", i), "", s.domain())
		if err := e.db.SaveParticipant(ctx, r.Code, fmt.Sprintf("tok-%s-%d", r.Code, i), false, &p); err != nil {
			e.t.Fatal(err)
		}
	}
	res := e.browser().api(http.MethodPost, fmt.Sprintf("/api/v1/rounds/%d/close", r.ID), token, "")
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("close round of %s = %d %s", c.Profile.Name, res.StatusCode, res.Body)
	}
}

// spread returns distinct answers for the n-th of several companies.
func spread(n int) scores {
	var s scores
	for i := range 21 {
		s.asIs[i] = 1 + (i+n)%5
		s.toBe[i] = 1 + (i+2*n)%5
	}
	return s
}

// TestClientBenchmarkFiveClientsShowNothing: a workspace with 5 consenting clients has a
// group of 5, but each client has only 4 others: no client is shown "our clients" (nor all
// companies, which are the same 5), through the API, the report or the client page. The
// public overview never lists or describes the workspace's group. Another workspace's client
// is 404.
func TestClientBenchmarkFiveClientsShowNothing(t *testing.T) {
	e := newWSEnv(t)
	tok := e.token("carl@alpha.example")
	var clients []*assessment.Client
	for i := range 5 {
		clients = append(clients, e.closedClient(e.a, tok, fmt.Sprintf("Client %d", i), spread(i)))
	}
	e.nextDay()
	for _, c := range clients {
		for _, group := range []string{assessment.GroupWorkspace, assessment.GroupAll} {
			b := e.readClient(tok, c.ID, group)
			if b.Available || b.Reason != reasonTooFewPeers || b.Comp != nil || b.Peers != 0 {
				t.Errorf("client %d, group %s: available %v, reason %q, %d peers, %d competencies; want nothing, reason %q",
					c.ID, group, b.Available, b.Reason, b.Peers, len(b.Comp), reasonTooFewPeers)
			}
			if group == assessment.GroupWorkspace && b.GroupValue != strconv.FormatInt(e.a.ID, 10) {
				t.Errorf("group_value = %q, want the workspace id %d", b.GroupValue, e.a.ID)
			}
		}
	}
	if got := e.countRows("SELECT count(*) FROM bench_contents WHERE dim = 'workspace'"); got != 1 {
		t.Fatalf("published workspace groups = %d, want 1 (the group of 5 is published; no client may see it)", got)
	}
	carl := e.login("carl@alpha.example")
	for _, path := range []string{fmt.Sprintf("/w/clients/%d?group=workspace", clients[0].ID)} {
		res := carl.get(path)
		d := doc(t, res.Body)
		if got := d.Find(`[data-testid="bench-unavailable"]`).Length(); got != 1 || d.Find(`[data-testid="bench-table"]`).Length() != 0 {
			t.Errorf("%s: unavailable notes %d, tables %d; want the note and no table", path, got, d.Find(`[data-testid="bench-table"]`).Length())
		}
		if !strings.Contains(squash(d.Find(`[data-testid="benchmark"]`).Text()), "No comparison with our clients yet") {
			t.Errorf("%s: the benchmark does not say why our clients are not shown", path)
		}
	}
	// The public overview does not know the group.
	pool := e.read("/api/v1/benchmark")
	for _, g := range pool.Groups {
		if g.Group == assessment.GroupWorkspace {
			t.Errorf("GET /api/v1/benchmark lists %+v", g)
		}
	}
	for _, path := range []string{"/api/v1/benchmark?group=workspace&value=" + strconv.FormatInt(e.a.ID, 10),
		"/benchmark?group=workspace&value=" + strconv.FormatInt(e.a.ID, 10)} {
		if res := e.get(path, uncheckedRequest, "a group the API does not offer, on purpose"); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
	}
	// Another workspace's client does not exist for Bob; a five-minute test has no "our clients".
	bob := e.token("bob@beta.example")
	if res := e.browser().api(http.MethodGet, fmt.Sprintf("/api/v1/clients/%d/benchmark?group=workspace", clients[0].ID), bob, ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("Bob reads Alpha's client's benchmark: %d, want 404", res.StatusCode)
	}
	test := e.submitAPI(map[string]any{"lang": "en", "answers": uniform(3, 3).answers()})
	if res := e.get("/api/v1/assessments/"+test+"/benchmark?group=workspace", uncheckedRequest, "a group tests do not have, on purpose"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a test's benchmark in group workspace = %d, want 422", res.StatusCode)
	}
}

// TestClientBenchmarkDifferenceAttack: a consultant with 6 consenting clients reads client
// A's "our clients" (5 others). The victim's round closes; a client is deleted; another
// client is added: each time, the same day and a day later, the figures and the number of
// peers stay byte for byte the same, so (n+1)·mean′ − n·mean gives nothing. Only when 5
// clients have changed does a new release publish new figures, which are then 5 companies'
// sum plus noise.
func TestClientBenchmarkDifferenceAttack(t *testing.T) {
	e := newWSEnv(t)
	tok := e.token("carl@alpha.example")
	var clients []*assessment.Client
	for i := range 6 {
		clients = append(clients, e.closedClient(e.a, tok, fmt.Sprintf("Client %d", i), spread(i)))
	}
	// The victim has a round that is still open.
	victimClient, err := e.q.NewClient(assessment.Company{Name: "Victim A/S", Industry: "finance", Country: "DK"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateClient(context.Background(), e.a.ID, &victimClient); err != nil {
		t.Fatal(err)
	}
	e.nextDay()
	a := clients[0]
	before := e.readClient(tok, a.ID, assessment.GroupWorkspace)
	if !before.Available || before.Peers != 5 || !before.InBenchmark || len(before.Comp) != 21 {
		t.Fatalf("client A before: available %v, %d peers, in benchmark %v; want 5 other clients, A left out", before.Available, before.Peers, before.InBenchmark)
	}
	if before.GroupValue != strconv.FormatInt(e.a.ID, 10) {
		t.Errorf("group_value = %q, want %d", before.GroupValue, e.a.ID)
	}
	want := answersOf(victimScores)
	attack := func(before, after clientBench) []float64 {
		est := make([]float64, 42)
		x, y := after.means(), before.means()
		for i := range est {
			est[i] = float64(before.n()+1)*x[i] - float64(before.n())*y[i]
		}
		return est
	}
	unchanged := func(when string) {
		t.Helper()
		for _, day := range []string{"the same day", "a day later"} {
			if day == "a day later" {
				e.nextDay()
			}
			after := e.readClient(tok, a.ID, assessment.GroupWorkspace)
			if after.body != before.body {
				t.Errorf("%s, %s: client A's \"our clients\" changed:\n%s\nwant\n%s", when, day, after.body, before.body)
			}
			if exact, _ := recovered(attack(before, after), want); exact == 42 {
				t.Errorf("%s, %s: the difference gives the victim's 42 answers", when, day)
			}
		}
	}
	// 1. The victim's round closes: one company joins.
	e.closeRoundOf(&victimClient, tok, victimScores)
	unchanged("after the victim's round closed")
	// 2. The consultant deletes a client: one leaves.
	carl := e.login("carl@alpha.example")
	if res := carl.postCSRF(fmt.Sprintf("/w/clients/%d/delete", clients[5].ID), url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete client = %d, want 303", res.StatusCode)
	}
	unchanged("after a client was deleted")
	// 3. And adds one: still 3 changed companies.
	newcomer := e.closedClient(e.a, tok, "Newcomer", uniform(2, 4))
	unchanged("after a client was added")
	// The pages show the same as the API: 5 other clients.
	carl = e.login("carl@alpha.example") // the session of days ago has expired
	res := carl.get(fmt.Sprintf("/w/clients/%d?group=workspace", a.ID))
	if got := squash(doc(t, res.Body).Find(`[data-testid="bench-peers"]`).Text()); !strings.Contains(got, "5") {
		t.Errorf("client page: peers %q, want 5 other companies", got)
	}

	// 4. Two more clients change (a new round of an existing one counts once): 5 differ, and
	// a day later the group is published anew, of 6 other clients.
	e.closeRoundOf(clients[1], tok, uniform(4, 5))
	e.closedClient(e.a, tok, "Fifth change", uniform(3, 4))
	e.nextDay()
	after := e.readClient(tok, a.ID, assessment.GroupWorkspace)
	if !after.Available || after.Peers != 7 || after.Release.ID == before.Release.ID {
		t.Fatalf("after 5 changes and a day: %d peers, release %d → %d; want 7 peers in a new release", after.Peers, before.Release.ID, after.Release.ID)
	}
	// An insider who knows every other change exactly still gets the victim only with noise.
	insider := make([]float64, 42)
	x, y := after.means(), before.means()
	known := []scores{uniform(2, 4), uniform(4, 5), uniform(3, 4)}
	for i := range insider {
		insider[i] = float64(after.n())*x[i] - float64(before.n())*y[i] + answersOf(spread(5))[i] + answersOf(spread(1))[i]
		for _, s := range known {
			insider[i] -= answersOf(s)[i]
		}
	}
	exact, meanError := recovered(insider, want)
	t.Logf("an insider who knows the other four changes gets %d of 42 answers, %.1f points off on average", exact, meanError)
	if exact == 42 || meanError < 1 {
		t.Errorf("the difference of two releases gives %d of the victim's 42 answers (%.2f points off on average)", exact, meanError)
	}
	_ = newcomer
}

// TestClientBenchmarkPages: "our clients" is a choice of the group switch on the report, the
// comparison and the client page (never on a five-minute test's result), and each shows the
// client against its 5 other clients, saying which round is compared.
func TestClientBenchmarkPages(t *testing.T) {
	e := newWSEnv(t)
	tok := e.token("carl@alpha.example")
	var clients []*assessment.Client
	for i := range 6 {
		clients = append(clients, e.closedClient(e.a, tok, fmt.Sprintf("Client %d", i), spread(i)))
	}
	a := clients[0]
	e.closeRoundOf(a, tok, uniform(4, 5))
	e.nextDay()
	rounds, err := e.db.Rounds(context.Background(), e.a.ID, a.ID)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("Rounds = %d, %v; want 2", len(rounds), err)
	}
	carl := e.login("carl@alpha.example")
	for _, path := range []string{
		fmt.Sprintf("/w/clients/%d?group=workspace", a.ID),
		fmt.Sprintf("/w/rounds/%d/report?group=workspace", rounds[0].ID),
		fmt.Sprintf("/w/clients/%d/compare?a=%d&b=%d&group=workspace", a.ID, rounds[1].ID, rounds[0].ID),
	} {
		res := carl.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		d := doc(t, res.Body)
		sw := d.Find(`[data-testid="benchmark"] [data-group="workspace"]`)
		if sw.Length() != 1 || squash(sw.Text()) != "Our clients" || sw.AttrOr("aria-current", "") != "true" {
			t.Errorf("%s: group switch has %d \"workspace\" (%q, current %q), want \"Our clients\", current", path, sw.Length(), squash(sw.Text()), sw.AttrOr("aria-current", ""))
		}
		if got := squash(d.Find(`[data-testid="bench-of"]`).Text()); !strings.Contains(path, "/report") && !strings.HasPrefix(got, "Compared: round") {
			t.Errorf("%s: bench-of %q, want the round compared", path, got)
		}
		if got := squash(d.Find(`[data-testid="bench-peers"]`).Text()); got != "Compared with 5 other clients of ours (their latest closed rounds)." {
			t.Errorf("%s: peers %q, want 5 other companies", path, got)
		}
		if d.Find(`[data-testid="bench-table"] tbody tr`).Length() != 7 {
			t.Errorf("%s: %d category rows, want 7", path, d.Find(`[data-testid="bench-table"] tbody tr`).Length())
		}
	}
	test := e.submitForm(uniform(3, 3), nil)
	res := e.get(test)
	if doc(t, res.Body).Find(`[data-group="workspace"]`).Length() != 0 || strings.Contains(res.Text, "Our clients") {
		t.Errorf("a five-minute test's result offers \"Our clients\"")
	}
}

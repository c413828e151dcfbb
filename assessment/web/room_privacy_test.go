package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Tests that replay, through HTTP, the attacks of issue 16 on a workshop room: a room of two
// read off the mean and SD, a late answer read off the difference of two results, and a
// closed round changed by removing someone.

// apiRoomJSON is the part of GET /api/v1/rounds/{id} the attacks read.
type apiRoomJSON struct {
	Participants int `json:"participants"`
	Pending      int `json:"pending"`
	Progress     struct{ Finished int }
	Aggregate    struct {
		Competencies []struct {
			AsIs struct {
				Mean float64 `json:"mean"`
			} `json:"as_is"`
		} `json:"competencies"`
	} `json:"aggregate"`
}

func readRoom(t *testing.T, c *browser, path, tok string) (apiRoomJSON, string) {
	t.Helper()
	res := c.api("GET", path, tok, "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", path, res.StatusCode, res.Text)
	}
	var out apiRoomJSON
	if err := json.Unmarshal([]byte(res.Text), &out); err != nil {
		t.Fatal(err)
	}
	return out, res.Text
}

// finish has a new participant answer the round on their own phone, with AS-IS asIs on
// competency 1.
func finish(t *testing.T, e *env, code string, asIs int) *browser {
	t.Helper()
	p := e.browser()
	if res := p.post("/j/"+code, uniform(2, 4).with(1, asIs, 5).form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answering = %d: %.300s", res.StatusCode, res.Text)
	}
	return p
}

// TestRoomOfTwoShowsNoFigure: with two finished (Sam answered 1 on competency 1, Tove 2),
// mean 1.5 and SD 0.5 would give both answers away. Nothing shows a figure: not the
// dashboard asked to show results, not the API, not the XLSX; the CSV is 409; the reveal is
// refused and its button says why.
func TestRoomOfTwoShowsNoFigure(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme")
	finish(t, e, w.round.Code, 2)
	c := e.login("carl@alpha.example")
	tok := e.token("carl@alpha.example")
	id := w.round.ID

	dash := c.get(fmt.Sprintf("/w/rounds/%d?show=1", id))
	d := doc(t, dash.Body)
	if n := d.Find(`[data-testid=radar-live], [data-testid=heat-asis], table.ws-stats`).Length(); n != 0 {
		t.Errorf("dashboard with 2 finished shows %d result elements, want none", n)
	}
	if got := squash(d.Find(`[data-testid=wait-note]`).Text()); !strings.Contains(got, "at least 3") || !strings.Contains(got, "so far: 2") {
		t.Errorf("wait note = %q, want why and the numbers", got)
	}
	if got := squash(d.Find(`[data-testid=reveal-wait]`).Text()); !strings.Contains(got, "3 participants") || !strings.Contains(got, "2 so far") {
		t.Errorf("reveal button note = %q, want why it waits", got)
	}
	if _, ok := d.Find(`[data-testid=reveal]`).Attr("disabled"); !ok {
		t.Error("reveal button is enabled with 2 finished")
	}
	for _, bad := range []string{"1.5", "1,5", "0.50", "0,50"} {
		if bytes.Contains(dash.Body, []byte(bad)) {
			t.Errorf("dashboard with 2 finished contains %q", bad)
		}
	}

	if res := c.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", id), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusConflict || !strings.Contains(squash(doc(t, res.Body).Text()), "so far: 2") {
		t.Errorf("reveal with 2 finished = %d, want 409 saying why: %.600s", res.StatusCode, squash(doc(t, res.Body).Find("main").Text()))
	}
	path := fmt.Sprintf("/api/v1/rounds/%d", id)
	if res := c.api("POST", path+"/reveal", tok, ""); res.StatusCode != http.StatusConflict {
		t.Errorf("API reveal with 2 finished = %d, want 409", res.StatusCode)
	}
	room, raw := readRoom(t, c, path, tok)
	if room.Participants != 0 || len(room.Aggregate.Competencies) != 0 || room.Progress.Finished != 2 || strings.Contains(raw, `"mean"`) || strings.Contains(raw, `"sd"`) {
		t.Errorf("API with 2 finished = %s, want counts only", raw)
	}

	f := openXLSX(t, c.get(fmt.Sprintf("/w/rounds/%d/export.xlsx", id)), "loyalty-acme-round-2026-03-02.xlsx")
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		for _, r := range rows {
			for _, cell := range r {
				if cell == "1.5" || cell == "0.5" {
					t.Errorf("XLSX sheet %s holds %s with 2 finished", sheet, cell)
				}
			}
		}
	}
	if res := c.get(fmt.Sprintf("/w/rounds/%d/export.csv", id)); res.StatusCode != http.StatusConflict {
		t.Errorf("CSV with 2 finished = %d, want 409", res.StatusCode)
	}
	if res := c.get(fmt.Sprintf("/w/rounds/%d/report", id)); bytes.Contains(res.Body, []byte("1.5")) || !bytes.Contains(res.Body, []byte(`data-testid="wait-note"`)) {
		t.Errorf("report with 2 finished shows a figure or no reason: %d", res.StatusCode)
	}
}

// TestLateAnswerCannotBeDifferenced: after the reveal with three, a fourth and a fifth who
// answer late change nothing anyone can read, the API's unrounded means included; the sixth
// makes three new ones, and the result moves by three people at once. A published
// participant who changes an answer moves nothing either.
func TestLateAnswerCannotBeDifferenced(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme") // Sam: 1 on competency 1
	tove := finish(t, e, w.round.Code, 2)
	finish(t, e, w.round.Code, 3)
	c := e.login("carl@alpha.example")
	tok := e.token("carl@alpha.example")
	id := w.round.ID
	if res := c.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", id), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reveal with 3 finished = %d: %.300s", res.StatusCode, res.Text)
	}
	path := fmt.Sprintf("/api/v1/rounds/%d", id)
	first, raw := readRoom(t, c, path, tok)
	if first.Participants != 3 || first.Aggregate.Competencies[0].AsIs.Mean != 2 {
		t.Fatalf("published with 3 = %s, want 3 participants, mean 2 on competency 1", raw)
	}
	present := func() string {
		res := c.get(fmt.Sprintf("/w/rounds/%d/present/radar/live", id))
		return res.Text
	}
	screen := present()

	// Late answers one and two, and Tove changing her answer: nothing moves.
	finish(t, e, w.round.Code, 5)
	if res := tove.post("/j/"+w.round.Code, uniform(2, 4).with(1, 5, 5).form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Tove's change = %d", res.StatusCode)
	}
	finish(t, e, w.round.Code, 5)
	late, raw := readRoom(t, c, path, tok)
	if late.Participants != 3 || late.Aggregate.Competencies[0].AsIs.Mean != first.Aggregate.Competencies[0].AsIs.Mean || late.Pending != 3 {
		t.Errorf("after 2 late and 1 change = %s, want the same 3 and 3 pending", raw)
	}
	if got := present(); got != screen {
		t.Error("the projector changed after 2 late answers")
	}
	dash := doc(t, c.get(fmt.Sprintf("/w/rounds/%d", id)).Body)
	if got := squash(dash.Find(`[data-testid=pending-note]`).Text()); !strings.Contains(got, "3 new answers") || !strings.Contains(got, "once 3 have arrived") {
		t.Errorf("pending note = %q, want the count and the rule", got)
	}

	// The third late answer: three new at once. Their sum is all the difference tells.
	finish(t, e, w.round.Code, 4)
	after, raw := readRoom(t, c, path, tok)
	if after.Participants != 6 {
		t.Fatalf("after 3 late = %s, want 6 published", raw)
	}
	// Sam 1, Tove still 2 (her change waits), 3, and the late 5, 5, 4: (1+2+3+5+5+4)/6 = 20/6.
	if got, want := after.Aggregate.Competencies[0].AsIs.Mean, 20.0/6; got != want {
		t.Errorf("mean after 3 late = %g, want %g", got, want)
	}
	if diff := 6*after.Aggregate.Competencies[0].AsIs.Mean - 3*first.Aggregate.Competencies[0].AsIs.Mean; diff < 13.99 || diff > 14.01 {
		t.Errorf("difference of sums = %g, want 14: three people's answers together, not one", diff)
	}
	if after.Pending != 1 {
		t.Errorf("pending after = %d, want Tove's change alone", after.Pending)
	}

	// Closing freezes the result as published: Tove's lone change stays out, and the report
	// says so.
	if res := c.api("POST", path+"/close", tok, ""); res.StatusCode != http.StatusOK {
		t.Fatalf("close = %d", res.StatusCode)
	}
	if closed, raw := readRoom(t, c, path, tok); closed.Participants != 6 || closed.Aggregate.Competencies[0].AsIs.Mean != after.Aggregate.Competencies[0].AsIs.Mean {
		t.Errorf("closed round = %s, want the publication of six", raw)
	}
	report := doc(t, c.get(fmt.Sprintf("/w/rounds/%d/report", id)).Body)
	if got := squash(report.Find(`[data-testid=pending-note]`).Text()); !strings.Contains(got, "1 answer came after the last publication") {
		t.Errorf("closed report note = %q, want how many are left out", got)
	}
}

// TestClosedRoundIsFrozen: removing a participant from a closed round is 409 through the
// API and the form, changes nothing, and the closed dashboard does not offer it.
func TestClosedRoundIsFrozen(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme")
	finish(t, e, w.round.Code, 2)
	finish(t, e, w.round.Code, 3)
	c := e.login("carl@alpha.example")
	tok := e.token("carl@alpha.example")
	id := w.round.ID
	path := fmt.Sprintf("/api/v1/rounds/%d", id)
	if res := c.api("POST", path+"/close", tok, ""); res.StatusCode != http.StatusOK {
		t.Fatalf("close = %d: %s", res.StatusCode, res.Text)
	}
	_, before := readRoom(t, c, path, tok)
	report := c.get(fmt.Sprintf("/w/rounds/%d/report", id)).Text

	res := c.api("DELETE", fmt.Sprintf("%s/participants/%d", path, w.sam.ID), tok, "")
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Text, "re-open") {
		t.Errorf("API removal from a closed round = %d %s, want 409 saying to re-open", res.StatusCode, res.Text)
	}
	form := fmt.Sprintf("/w/rounds/%d/participants/%d/remove", id, w.sam.ID)
	if res := c.get(form); res.StatusCode != http.StatusConflict {
		t.Errorf("removal form of a closed round = %d, want 409", res.StatusCode)
	}
	if res := c.postCSRF(form, url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusConflict || !strings.Contains(res.Text, "re-open") {
		t.Errorf("removal by form from a closed round = %d, want 409 saying to re-open", res.StatusCode)
	}
	if _, after := readRoom(t, c, path, tok); after != before {
		t.Errorf("the closed round changed:\n%s\nwant\n%s", after, before)
	}
	if got := c.get(fmt.Sprintf("/w/rounds/%d/report", id)).Text; got != report {
		t.Error("the closed round's report changed")
	}
	if n := doc(t, c.get(fmt.Sprintf("/w/rounds/%d", id)).Body).Find(`[data-testid^=remove-participant-]`).Length(); n != 0 {
		t.Errorf("closed dashboard offers %d removals, want none", n)
	}
}

// TestTeamLateAnswer: a team round follows the same rule. With three finished (the
// executive and two colleagues) the team's result shows; a fourth colleague changes
// nothing the team page, a colleague's room view or GET /api/v1/teams/{token} shows, until
// two more have finished too.
func TestTeamLateAnswer(t *testing.T) {
	e := newEnv(t)
	exec := e.browser()
	resultPath := e.submitForm(uniform(2, 4), url.Values{"company": {"Nordlys A/S"}, "role": {"CEO"}})
	opened := exec.post(resultPath+"/team", nil)
	teamToken := strings.TrimPrefix(opened.Redirect, "/t/")
	ida, code := joinTeam(t, e, teamToken, "Ida", uniform(3, 4))
	joinTeam(t, e, teamToken, "Ole", uniform(4, 5))
	exec.post(opened.Redirect+"/reveal", url.Values{"revealed": {"1"}})
	first := getTeamJSON(t, e, teamToken)
	// AS-IS 2, 3 and 4: mean 3.
	if first.Aggregate.Overall == nil || first.Aggregate.Overall.AsIs != 3 {
		t.Fatalf("team with 3 finished = %+v, want overall AS-IS 3", first.Aggregate.Overall)
	}
	room := ida.get("/j/" + code + "/room?lang=en").Text
	page := e.get(opened.Redirect + "/live?lang=en").Text

	joinTeam(t, e, teamToken, "Per", uniform(5, 5)) // alone, 5 would move the mean to 3.5
	late := getTeamJSON(t, e, teamToken)
	if late.Aggregate.Overall == nil || late.Aggregate.Overall.AsIs != 3 || late.Progress.Finished != 4 {
		t.Errorf("team after a late answer = %+v, %d finished; want AS-IS 3 still, 4 finished", late.Aggregate.Overall, late.Progress.Finished)
	}
	if got := ida.get("/j/" + code + "/room?lang=en").Text; got != room {
		t.Error("a colleague's room view changed after one late answer")
	}
	// The progress counts move (4 finished); the result does not.
	if got := e.get(opened.Redirect + "/live?lang=en").Text; strings.Contains(got, "3.5") || strings.Contains(got, "3,5") || !strings.Contains(page, ">3<") {
		t.Error("the team page shows the late answer")
	}
	joinTeam(t, e, teamToken, "Liv", uniform(1, 5))
	joinTeam(t, e, teamToken, "Max", uniform(3, 5))
	// 2, 3, 4, 5, 1, 3: mean 3; six counted.
	after := getTeamJSON(t, e, teamToken)
	if after.Aggregate.Overall == nil || after.Aggregate.Overall.AsIs != 3 {
		t.Errorf("team after three late = %+v, want AS-IS 3 of six", after.Aggregate.Overall)
	}
	var raw struct {
		Participants int `json:"participants"`
	}
	if err := json.Unmarshal(e.get("/api/v1/teams/"+teamToken).Body, &raw); err != nil || raw.Participants != 6 {
		t.Errorf("team participants after three late = %d, want 6", raw.Participants)
	}
}

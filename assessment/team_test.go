package assessment_test

import (
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestNewTeamRound(t *testing.T) {
	q := mustQuestionnaire(t)
	a := &assessment.Assessment{Lang: "sv", Role: "CEO", Ratings: wsRatings(2, 4, map[int]assessment.Rating{7: {AsIs: 1, ToBe: 5}}),
		Company: assessment.Company{Name: "Nordlys A/S"}}
	r, p := q.NewTeamRound(a)
	if !r.IsTeam() || r.Lang != "sv" || r.QuestionnaireVersion != q.Version || r.Title != "" {
		t.Errorf("round = %+v, want a team round in Swedish on version %s without a title", r, q.Version)
	}
	if p.Name != "" || p.Role != "CEO" || len(p.Ratings) != 21 || p.Ratings[6] != (assessment.Rating{AsIs: 1, ToBe: 5}) {
		t.Errorf("first participant = %+v, want the result's role and its 21 answers", p)
	}
	// The participant's answers are a copy: changing them does not change the result's.
	p.Ratings[0].AsIs = 5
	if a.Ratings[0].AsIs != 2 {
		t.Error("the first participant shares its answers with the result")
	}
}

func TestTeamShowsResult(t *testing.T) {
	q := mustQuestionnaire(t)
	// min_participants_for_detail is 3 in questions.yaml: nothing at all before the third.
	for n, want := range map[int]bool{0: false, 1: false, 2: false, 3: true, 12: true} {
		if got := q.TeamShowsResult(n); got != want {
			t.Errorf("TeamShowsResult(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestTeamCheckImport(t *testing.T) {
	var team assessment.Team
	if err := team.CheckImport(); err != nil {
		t.Errorf("CheckImport of a team's own round = %v, want nil", err)
	}
	team.MovedAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := team.CheckImport(); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("CheckImport of a moved round = %v, want a conflict", err)
	}
	var moved assessment.Round
	moved.WorkspaceID = 4
	if moved.IsTeam() {
		t.Error("a round in a workspace is a team round")
	}
}

func TestParseTeamLink(t *testing.T) {
	const tok = "AbCdEfGhIjKlMnOpQr_-09"
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{tok, tok, true},
		{"  " + tok + "\n", tok, true},
		{"https://loyalty.example.com/t/" + tok, tok, true},
		{"http://localhost:8080/t/" + tok + "/", tok, true},
		{"https://loyalty.example.com/t/" + tok + "?lang=da", tok, true},
		{"/t/" + tok, tok, true},
		// A result link or a join link is not a team link.
		{"https://loyalty.example.com/r/" + tok, "", false},
		{"https://loyalty.example.com/j/" + tok, "", false},
		{"https://loyalty.example.com/t/" + tok + "/qr.svg", "", false},
		{tok[:21], "", false},
		{tok + "x", "", false},
		{"AbCdEfGhIjKlMnOpQr+/09", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := assessment.ParseTeamLink(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseTeamLink(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

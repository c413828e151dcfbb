package assessment_test

import (
	"math"
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

// TestTalkFirst: four members agree (3 today, 4 ambition) except on five competencies; the
// expected order is worked out by hand from the population standard deviations:
//
//	 5 AS-IS 1,5,1,5 → mean 3,   SD √((4+4+4+4)/4) = 2
//	14 AS-IS 1,5,3,3 → mean 3,   SD √((4+4)/4)     = 1.414
//	 9 AS-IS 1,3,3,3 → mean 2.5, SD √(3/4)         = 0.866, gap 4 − 2.5 = +1.5
//	 2 TO-BE 2,4,4,4 → mean 3.5, SD √(3/4)         = 0.866, gap 3.5 − 3 = +0.5 (after 9)
//	20 AS-IS 2,4,3,3 → mean 3,   SD √(2/4)         = 0.707
//	21 AS-IS 3,4,3,3 → range 1, under disagreement_range 2: not a topic at all.
func TestTalkFirst(t *testing.T) {
	q := mustQuestionnaire(t)
	member := func(i int) assessment.Ratings {
		r := func(a, b float64) assessment.Rating { return assessment.Rating{AsIs: a, ToBe: b} }
		return wsRatings(3, 4, map[int]assessment.Rating{
			5:  r([]float64{1, 5, 1, 5}[i], 4),
			14: r([]float64{1, 5, 3, 3}[i], 4),
			9:  r([]float64{1, 3, 3, 3}[i], 4),
			2:  r(3, []float64{2, 4, 4, 4}[i]),
			20: r([]float64{2, 4, 3, 3}[i], 4),
			21: r([]float64{3, 4, 3, 3}[i], 4),
		})
	}
	agg := q.Aggregate([]assessment.Ratings{member(0), member(1), member(2), member(3)})
	type want struct {
		n     int
		field string
	}
	for _, tc := range []struct {
		n    int
		want []want
	}{
		{4, []want{{5, assessment.FieldAsIs}, {14, assessment.FieldAsIs}, {9, assessment.FieldAsIs}, {2, assessment.FieldToBe}}},
		{9, []want{{5, assessment.FieldAsIs}, {14, assessment.FieldAsIs}, {9, assessment.FieldAsIs}, {2, assessment.FieldToBe}, {20, assessment.FieldAsIs}}},
		{1, []want{{5, assessment.FieldAsIs}}},
	} {
		got := agg.TalkFirst(tc.n)
		var g []want
		for _, tp := range got {
			g = append(g, want{tp.Number, tp.Field})
		}
		if len(g) != len(tc.want) {
			t.Errorf("TalkFirst(%d) = %v, want %v", tc.n, g, tc.want)
			continue
		}
		for i := range g {
			if g[i] != tc.want[i] {
				t.Errorf("TalkFirst(%d) = %v, want %v", tc.n, g, tc.want)
				break
			}
		}
	}
	if got := agg.TalkFirst(assessment.TeamTopicsMax); got[0].SD != 2 || got[1].SD != math.Sqrt2 {
		t.Errorf("TalkFirst SDs = %v, %v, want 2, √2", got[0].SD, got[1].SD)
	}
	// A team that agrees everywhere has nothing to talk about first.
	same := q.Aggregate([]assessment.Ratings{wsRatings(3, 4, nil), wsRatings(3, 4, nil), wsRatings(4, 4, nil)})
	if got := same.TalkFirst(assessment.TeamTopicsMax); len(got) != 0 {
		t.Errorf("TalkFirst of a team in agreement = %v, want none", got)
	}
}

package assessment_test

import (
	"math"
	"slices"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

// uniform returns ratings of asIs/toBe everywhere, with the given overrides by number.
func wsRatings(asIs, toBe float64, over map[int]assessment.Rating) assessment.Ratings {
	r := make(assessment.Ratings, 21)
	for i := range r {
		r[i] = assessment.Rating{AsIs: asIs, ToBe: toBe}
		if o, ok := over[i+1]; ok {
			r[i] = o
		}
	}
	return r
}

func TestAggregateHandWorked(t *testing.T) {
	q := mustQuestionnaire(t)
	// Competency 1: AS-IS 1, 3, 2 and TO-BE 4, 4, 5; competency 2: AS-IS 3, 3, 3 and TO-BE
	// 2, 5, 3; every other competency 2 → 4 for everyone.
	p := []assessment.Ratings{
		wsRatings(2, 4, map[int]assessment.Rating{1: {AsIs: 1, ToBe: 4}, 2: {AsIs: 3, ToBe: 2}}),
		wsRatings(2, 4, map[int]assessment.Rating{1: {AsIs: 3, ToBe: 4}, 2: {AsIs: 3, ToBe: 5}}),
		wsRatings(2, 4, map[int]assessment.Rating{1: {AsIs: 2, ToBe: 5}, 2: {AsIs: 3, ToBe: 3}}),
	}
	agg := q.Aggregate(p)
	if agg.Participants != 3 {
		t.Fatalf("Participants = %d, want 3", agg.Participants)
	}
	tests := []struct {
		n                int
		asIs, toBe       assessment.Stat
		gap              float64
		disAsIs, disToBe bool
	}{
		// c1 AS-IS: mean 2, deviations −1 1 0 → variance 2/3. TO-BE: mean 13/3,
		// deviations −1/3 −1/3 2/3 → variance (1+1+4)/9/3 = 2/9. Range 2 ≥ 2 only for AS-IS.
		{1, assessment.Stat{Mean: 2, Min: 1, Max: 3, SD: math.Sqrt(2.0 / 3)}, assessment.Stat{Mean: 13.0 / 3, Min: 4, Max: 5, SD: math.Sqrt(2.0 / 9)}, 13.0/3 - 2, true, false},
		// c2 AS-IS all 3: sd 0. TO-BE mean 10/3, deviations −4/3 5/3 −1/3 → (16+25+1)/9/3 = 14/9.
		{2, assessment.Stat{Mean: 3, Min: 3, Max: 3}, assessment.Stat{Mean: 10.0 / 3, Min: 2, Max: 5, SD: math.Sqrt(14.0) / 3}, 1.0 / 3, false, true},
		{3, assessment.Stat{Mean: 2, Min: 2, Max: 2}, assessment.Stat{Mean: 4, Min: 4, Max: 4}, 2, false, false},
	}
	for _, tt := range tests {
		got := agg.Competencies[tt.n-1]
		if got.Number != tt.n || !statNear(got.AsIs, tt.asIs) || !statNear(got.ToBe, tt.toBe) || !near(got.Gap, tt.gap) ||
			got.DisagreeAsIs != tt.disAsIs || got.DisagreeToBe != tt.disToBe {
			t.Errorf("competency %d = %+v, want as_is %+v to_be %+v gap %g disagree %v/%v", tt.n, got, tt.asIs, tt.toBe, tt.gap, tt.disAsIs, tt.disToBe)
		}
	}
	asIs, toBe := agg.Disagreements()
	if !slices.Equal(asIs, []int{1}) || !slices.Equal(toBe, []int{2}) {
		t.Errorf("Disagreements() = %v, %v, want [1], [2]", asIs, toBe)
	}
	// Category L (1-3): AS-IS (2+3+2)/3 = 7/3; TO-BE (13/3 + 10/3 + 4)/3 = 35/9.
	if c := agg.Result.Categories[0]; c.Key != "leadership" || !near(c.AsIs, 7.0/3) || !near(c.ToBe, 35.0/9) {
		t.Errorf("Categories[0] = %+v, want leadership 7/3 35/9", c)
	}
	// Overall AS-IS (2 + 3 + 19·2)/21 = 43/21; TO-BE (13/3 + 10/3 + 19·4)/21 = 251/63.
	if o := agg.Result.Overall; !near(o.AsIs, 43.0/21) || !near(o.ToBe, 251.0/63) {
		t.Errorf("Overall = %+v, want 43/21 251/63", o)
	}
	if !near(agg.Mean[0].ToBe, 13.0/3) {
		t.Errorf("Mean[0] = %+v, want TO-BE 13/3", agg.Mean[0])
	}
}

func TestAggregateEdges(t *testing.T) {
	q := mustQuestionnaire(t)
	if agg := q.Aggregate(nil); agg.Participants != 0 || len(agg.Competencies) != 0 {
		t.Errorf("Aggregate(nil) = %+v, want empty", agg)
	}
	// One participant: no spread, so no disagreement even with extreme scores.
	agg := q.Aggregate([]assessment.Ratings{wsRatings(1, 5, nil)})
	if c := agg.Competencies[4]; c.AsIs.SD != 0 || c.DisagreeAsIs || c.DisagreeToBe || c.Gap != 4 {
		t.Errorf("single participant competency 5 = %+v", c)
	}
	// Range exactly one below the threshold is not flagged; at the threshold it is.
	agg = q.Aggregate([]assessment.Ratings{wsRatings(2, 4, nil), wsRatings(3, 5, map[int]assessment.Rating{7: {AsIs: 4, ToBe: 5}})})
	if agg.Competencies[0].DisagreeAsIs || !agg.Competencies[6].DisagreeAsIs || agg.Competencies[6].DisagreeToBe {
		t.Errorf("threshold: c1 %+v, c7 %+v", agg.Competencies[0], agg.Competencies[6])
	}
}

func statNear(a, b assessment.Stat) bool {
	return near(a.Mean, b.Mean) && near(a.Min, b.Min) && near(a.Max, b.Max) && near(a.SD, b.SD)
}

func TestCompare(t *testing.T) {
	q := mustQuestionnaire(t)
	before := q.Score(wsRatings(2, 4, nil))
	after := q.Score(wsRatings(2, 4, map[int]assessment.Rating{
		3: {AsIs: 4, ToBe: 4}, 5: {AsIs: 3, ToBe: 5}, 7: {AsIs: 1, ToBe: 4}, 9: {AsIs: 1, ToBe: 3},
	}))
	c := assessment.Compare(before, after)
	if !slices.Equal(c.Improved, []int{3, 5}) || !slices.Equal(c.Slipped, []int{7, 9}) {
		t.Errorf("Improved %v Slipped %v, want [3 5] [7 9]", c.Improved, c.Slipped)
	}
	if d := c.Competencies[2]; d.Number != 3 || d.AsIs != 2 || d.ToBe != 0 || d.Gap != -2 {
		t.Errorf("competency 3 delta = %+v, want +2 AS-IS, gap −2", d)
	}
	if d := c.Competencies[8]; d.ToBe != -1 || d.AsIs != -1 {
		t.Errorf("competency 9 delta = %+v", d)
	}
	// Leadership AS-IS 2,2,4 → 8/3: +2/3. Overall AS-IS +(2+1−1−1)/21 = +1/21.
	if d := c.Categories[0]; d.Key != "leadership" || !near(d.AsIs, 2.0/3) {
		t.Errorf("leadership delta = %+v, want +2/3", d)
	}
	if !near(c.Overall.AsIs, 1.0/21) {
		t.Errorf("overall delta = %g, want 1/21", c.Overall.AsIs)
	}
}

func TestNewBattle(t *testing.T) {
	q := mustQuestionnaire(t)
	b, err := q.NewBattle(13, "  Business case for NPS  ", "CFO", "2026-09-30", "")
	if err != nil || b.Title != "Business case for NPS" || b.Status != assessment.BattleNotStarted || b.Due != "2026-09-30" {
		t.Fatalf("NewBattle = %+v, %v", b, err)
	}
	tests := []struct {
		name                      string
		comp                      int
		title, owner, due, status string
		field                     string
	}{
		{"no competency", 0, "x", "", "", "", "competency"},
		{"competency 22", 22, "x", "", "", "", "competency"},
		{"no title", 1, "  ", "", "", "", "title"},
		{"bad date", 1, "x", "", "30/09/2026", "", "due"},
		{"bad status", 1, "x", "", "", "won", "status"},
		{"control in owner", 1, "x", "a\x00b", "", "", "owner"},
	}
	for _, tt := range tests {
		_, err := q.NewBattle(tt.comp, tt.title, tt.owner, tt.due, tt.status)
		fes := assessment.FieldErrors(err)
		if assessment.ErrorCode(err) != assessment.EINVALID || len(fes) != 1 || fes[0].Field != tt.field {
			t.Errorf("%s: NewBattle error = %v, want one problem with %s", tt.name, err, tt.field)
		}
	}
	if err := assessment.CheckBattleCount(4); err != nil {
		t.Errorf("CheckBattleCount(4) = %v, want nil", err)
	}
	if err := assessment.CheckBattleCount(5); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("CheckBattleCount(5) = %v, want conflict", err)
	}
}

func TestNormalizeShortCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"abcd-efgh", "ABCDEFGH", true},
		{" 7k2m 9pqr ", "7K2M9PQR", true},
		{"IlOo0000", "11000000", true},
		{"ABCDEFG", "", false},
		{"ABCDEFGHJ", "", false},
		{"ABCDEFGU", "", false},
		{"ABCD/EFG", "", false},
	}
	for _, tt := range tests {
		got, ok := assessment.NormalizeShortCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeShortCode(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNewClientAndRound(t *testing.T) {
	q := mustQuestionnaire(t)
	c, err := q.NewClient(assessment.Company{Name: " Acme ", Industry: "retail", Country: "dk", NPSYears: "1-5"}, true)
	if err != nil || c.Profile.Name != "Acme" || c.Profile.Country != "DK" || !c.BenchmarkConsent {
		t.Fatalf("NewClient = %+v, %v", c, err)
	}
	_, err = q.NewClient(assessment.Company{Name: "", Industry: "mining-on-mars", NPSYears: "7"}, false)
	if fes := assessment.FieldErrors(err); len(fes) != 3 {
		t.Errorf("NewClient(bad) problems = %v, want name, industry, nps_years", fes)
	}
	if _, err := q.NewRound("Kick-off", "da"); err != nil {
		t.Errorf("NewRound = %v", err)
	}
	_, err = q.NewRound("", "xx")
	if fes := assessment.FieldErrors(err); len(fes) != 2 {
		t.Errorf("NewRound(bad) problems = %v, want title and lang", fes)
	}
}

func TestNewUserAndPassword(t *testing.T) {
	u, err := assessment.NewUser(" Ann@Example.COM ", "Ann", assessment.RoleAdmin)
	if err != nil || u.Email != "ann@example.com" || !u.IsAdmin() {
		t.Fatalf("NewUser = %+v, %v", u, err)
	}
	for _, bad := range []string{"ann", "Ann <ann@example.com>", "a@b@c"} {
		if _, err := assessment.NewUser(bad, "Ann", assessment.RoleConsultant); assessment.ErrorCode(err) != assessment.EINVALID {
			t.Errorf("NewUser(%q) = %v, want invalid", bad, err)
		}
	}
	if _, err := assessment.NewUser("a@example.com", "A", "owner"); err == nil {
		t.Error("NewUser(role owner) = nil, want invalid")
	}
	if err := assessment.CheckPassword("short"); err == nil {
		t.Error("CheckPassword(short) = nil")
	}
	if err := assessment.CheckPassword("correct horse battery"); err != nil {
		t.Errorf("CheckPassword(long) = %v", err)
	}
}

func TestNewParticipant(t *testing.T) {
	q := mustQuestionnaire(t)
	p, err := q.NewParticipant(" Ann ", "CEO", wsRatings(2, 4, nil).Answers())
	if err != nil || p.Name != "Ann" || len(p.Ratings) != 21 {
		t.Fatalf("NewParticipant = %+v, %v", p, err)
	}
	ans := wsRatings(2, 4, nil).Answers()[:20]
	if _, err := q.NewParticipant("", "", ans); len(assessment.FieldErrors(err)) != 2 {
		t.Errorf("NewParticipant(20 answers) = %v, want 2 missing", err)
	}
}

package assessment_test

import (
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestRoundStatus(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		r    assessment.Round
		want string
	}{
		{assessment.Round{}, assessment.RoundOpen},
		{assessment.Round{Revealed: true}, assessment.RoundRevealed},
		{assessment.Round{ClosedAt: now}, assessment.RoundClosed},
		{assessment.Round{ClosedAt: now, Revealed: true}, assessment.RoundClosed},
	} {
		if got := tt.r.Status(); got != tt.want {
			t.Errorf("Status(revealed %v, closed %v) = %s, want %s", tt.r.Revealed, !tt.r.Open(), got, tt.want)
		}
	}
}

func TestCountdown(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d, err := assessment.NewDeadline(now, 5)
	if err != nil || !d.Equal(now.Add(5*time.Minute)) {
		t.Fatalf("NewDeadline(5) = %v, %v; want 10:05", d, err)
	}
	for _, m := range []int{0, -1, assessment.MaxCountdownMinutes + 1} {
		if _, err := assessment.NewDeadline(now, m); assessment.ErrorCode(err) != assessment.EINVALID {
			t.Errorf("NewDeadline(%d) error = %v, want invalid", m, err)
		}
	}
	r := assessment.Round{Deadline: d}
	if left, ok := r.CountdownLeft(now.Add(90 * time.Second)); !ok || left != 210*time.Second {
		t.Errorf("CountdownLeft after 1:30 = %v, %v; want 3:30", left, ok)
	}
	if _, ok := r.CountdownLeft(d); ok {
		t.Error("CountdownLeft at the deadline = running, want ended")
	}
	r.ClosedAt = now
	if _, ok := r.CountdownLeft(now); ok {
		t.Error("CountdownLeft of a closed round = running, want none")
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

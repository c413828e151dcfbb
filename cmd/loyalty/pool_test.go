package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// TestPoolCommands: the operator lists the consenting tests nobody has verified, verifies
// some into the benchmark pool and takes one out again; tests without consent, and unknown
// ids, are refused with a sentence.
func TestPoolCommands(t *testing.T) {
	ctx := context.Background()
	path := dbPath(t)
	store, err := sqlstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	q, err := assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, s := range []assessment.Submission{
		{Company: assessment.Company{Name: "Acme A/S", Country: "DK", Industry: "retail"}, BenchmarkConsent: true},
		{BenchmarkConsent: true},
		{Company: assessment.Company{Name: "Private"}},
	} {
		s.Lang = "en"
		for c := 1; c <= competencies; c++ {
			s.Answers = append(s.Answers, assessment.Answer{Competency: c, AsIs: float64(1 + i), ToBe: 5})
		}
		a, err := q.NewAssessment(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.CreateAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	store.Close()
	// state says whether Acme is in the pool and how many tests wait for verification.
	state := func() (acme bool, pending int) {
		t.Helper()
		s, err := sqlstore.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		_, acme, _ = s.PoolEntry(ctx, "name:acmeas|DK")
		p, _ := s.PendingAssessments(ctx, q.Version)
		return acme, len(p)
	}

	out, _, err := runOnce(t, "pool", "pending", "-db", path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	row := regexp.MustCompile(`^(\d+)\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+"([^"]+)"`)
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("pool pending =\n%s\nwant a header and the 2 consenting tests", out)
	}
	for i, want := range []string{"Acme A/S", "(no name)"} {
		if m := row.FindStringSubmatch(lines[i+1]); m == nil || m[1] != fmt.Sprint(ids[i]) || m[2] != want {
			t.Errorf("pool pending line %d = %q, want test %d %q", i+1, lines[i+1], ids[i], want)
		}
	}

	out, _, err = runOnce(t, "pool", "verify", "-db", path, fmt.Sprint(ids[0]))
	if err != nil || !strings.Contains(out, fmt.Sprintf("verified test %d", ids[0])) {
		t.Errorf("pool verify = %q, %v", out, err)
	}
	// Acme is in the pool; the unnamed test still waits.
	if acme, pending := state(); !acme || pending != 1 {
		t.Errorf("after verify: Acme in the pool %v, %d pending; want true, 1", acme, pending)
	}
	if _, _, err := runOnce(t, "pool", "verify", "-db", path, fmt.Sprint(ids[2])); err == nil || !strings.Contains(err.Error(), "did not consent") {
		t.Errorf("verifying a test without consent = %v, want a refusal", err)
	}
	if _, _, err := runOnce(t, "pool", "verify", "-db", path, "999"); err == nil || err.Error() != "pool verify 999: There is no result with that link." {
		t.Errorf("verifying an unknown id = %v", err)
	}
	if _, _, err := runOnce(t, "pool", "verify", "-db", path); err == nil {
		t.Error("pool verify without an id succeeded")
	}

	out, _, err = runOnce(t, "pool", "unverify", "-db", path, fmt.Sprint(ids[0]))
	if err != nil || !strings.Contains(out, "left the benchmark pool") {
		t.Errorf("pool unverify = %q, %v", out, err)
	}
	if acme, pending := state(); acme || pending != 2 {
		t.Errorf("after unverify: Acme in the pool %v, %d pending; want false, 2", acme, pending)
	}
}

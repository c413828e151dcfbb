package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

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
	if !strings.HasPrefix(out, "no domains wait for approval\n") {
		t.Errorf("pool pending without domains =\n%s\nwant it to say no domains wait first", out)
	}
	_, out, _ = strings.Cut(out, "Tests not in the pool (loyalty pool verify ID):\n")
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

// TestPoolDomainCommands: tests confirmed by work email wait under their domain; pool pending
// shows each domain with its tests' profiles (no answers); approve-domain puts the domain's
// latest test in the pool, once for all; reject-domain takes it out; an unknown domain is a
// sentence.
func TestPoolDomainCommands(t *testing.T) {
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
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	store.Now = func() time.Time { return now }
	var ids []int64
	for i, s := range []assessment.Submission{
		{Company: assessment.Company{Name: "Acme Bank", Country: "DK", Industry: "finance", Size: "250-999"}, BenchmarkConsent: true},
		{Company: assessment.Company{Country: "SE", Industry: "retail"}, BenchmarkConsent: true},
	} {
		s.Lang = "en"
		for c := 1; c <= competencies; c++ {
			s.Answers = append(s.Answers, assessment.Answer{Competency: c, AsIs: float64(2 + i), ToBe: 5})
		}
		a, err := q.NewAssessment(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.CreateAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
		hash := fmt.Sprintf("hash-%d", i)
		v := assessment.Verification{Domain: "acme-bank.dk", Lang: "en", CreatedAt: now, ExpiresAt: now.Add(assessment.VerificationTTL)}
		m := assessment.Mail{Kind: assessment.MailVerification, To: "anna@acme-bank.dk", Subject: "s", Text: "t", HTML: "h"}
		if err := store.RequestVerification(ctx, a.Token, hash, &v, &m); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ConfirmVerification(ctx, q, hash, now); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	store.Close()

	out, _, err := runOnce(t, "pool", "pending", "-db", path)
	if err != nil {
		t.Fatal(err)
	}
	domains, _, _ := strings.Cut(out, "\n\n")
	lines := strings.Split(domains, "\n")
	first := regexp.MustCompile(`^acme-bank\.dk\s+2026-12-07 09:0\d UTC\s+2\s+` + fmt.Sprint(ids[0]) + `\s+.*"Acme Bank"\s+DK\s+finance\s+250-999\s+yes$`)
	second := regexp.MustCompile(`^\s+` + fmt.Sprint(ids[1]) + `\s+.*"\(no name\)"\s+SE\s+retail\s+yes$`)
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "DOMAIN") || !first.MatchString(lines[2]) || !second.MatchString(lines[3]) {
		t.Fatalf("pool pending domains =\n%s\nwant acme-bank.dk with its 2 tests' profiles", domains)
	}

	out, _, err = runOnce(t, "pool", "approve-domain", "-db", path, "ACME-Bank.dk")
	if err != nil || !strings.Contains(out, "approved acme-bank.dk: its latest test is in the benchmark pool") {
		t.Fatalf("pool approve-domain = %q, %v", out, err)
	}
	check := func() (assessment.PoolEntry, bool) {
		t.Helper()
		s, err := sqlstore.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		e, ok, err := s.PoolEntry(ctx, assessment.CompanyDomainKey("acme-bank.dk"))
		if err != nil {
			t.Fatal(err)
		}
		return e, ok
	}
	if e, ok := check(); !ok || e.Source != ids[1] {
		t.Errorf("after approve-domain: entry from test %d (in %v), want the latest, %d", e.Source, ok, ids[1])
	}
	if out, _, _ := runOnce(t, "pool", "pending", "-db", path); !strings.HasPrefix(out, "no domains wait for approval") {
		t.Errorf("pool pending after approval =\n%s\nwant no domains waiting", out)
	}
	out, _, err = runOnce(t, "pool", "reject-domain", "-db", path, "acme-bank.dk")
	if err != nil || !strings.Contains(out, "rejected acme-bank.dk: its test left the benchmark pool") {
		t.Errorf("pool reject-domain = %q, %v", out, err)
	}
	if _, ok := check(); ok {
		t.Error("after reject-domain the domain is still in the pool")
	}
	if _, _, err := runOnce(t, "pool", "approve-domain", "-db", path, "nobody.example"); err == nil ||
		err.Error() != "pool approve-domain nobody.example: no test was confirmed for this domain (see loyalty pool pending)" {
		t.Errorf("approving an unknown domain = %v", err)
	}
	if _, _, err := runOnce(t, "pool", "reject-domain", "-db", path); err == nil {
		t.Error("pool reject-domain without a domain succeeded")
	}
	// Both decisions are in the operator audit log as "cli"; the failed ones are not.
	s, err := sqlstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	es, err := s.OperatorAuditEvents(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Action+" "+e.Target+" "+e.ActorName+" "+e.Address)
	}
	if want := "pool.domain_rejected domain:acme-bank.dk cli cli; pool.domain_approved domain:acme-bank.dk cli cli"; strings.Join(got, "; ") != want {
		t.Errorf("operator audit log = %v, want %s", got, want)
	}
}

// TestBlockedDomainsFile: -blocked-domains adds the operator's domains to the built-in
// lists; a file that is not a list of domains stops the server from starting.
func TestBlockedDomainsFile(t *testing.T) {
	dir := t.TempDir()
	good, bad := dir+"/blocked.txt", dir+"/bad.txt"
	if err := os.WriteFile(good, []byte("# rivals\nrival.example\n*.test.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("fine.example\nanna@acme.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := domainLists(good)
	if err != nil {
		t.Fatal(err)
	}
	for domain, want := range map[string]string{"rival.example": assessment.RuleBlockedDomain, "a.test.example": assessment.RuleBlockedDomain,
		"gmail.com": assessment.RuleFreeMail, "acme.example": ""} {
		if got := l.Refuses(domain); got != want {
			t.Errorf("with %s, Refuses(%s) = %q, want %q", good, domain, got, want)
		}
	}
	if _, err := domainLists(bad); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("domainLists(bad file) = %v, want an error naming line 2", err)
	}
	if _, err := domainLists(dir + "/missing.txt"); err == nil {
		t.Error("domainLists(missing file) succeeded")
	}
}

package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var verificationTests = []test{
	{"one company per domain, approved once", testDomainVerification},
	{"used and expired links change nothing", testVerificationLinks},
	{"rejected and deleted", testDomainRejectDelete},
}

// requestVerification stores a verification of a for domain made at now, under hash, with
// its message, and fails the test on an error.
func requestVerification(t *testing.T, db Store, a *assessment.Assessment, domain, hash string, now time.Time) {
	t.Helper()
	if err := tryVerification(db, a, domain, hash, now); err != nil {
		t.Fatalf("RequestVerification(%s, %s) = %v", a.Token, domain, err)
	}
}

func tryVerification(db Store, a *assessment.Assessment, domain, hash string, now time.Time) error {
	v := assessment.Verification{Domain: domain, Lang: "en", CreatedAt: now, ExpiresAt: now.Add(assessment.VerificationTTL)}
	m := assessment.Mail{Kind: assessment.MailVerification, To: "anna@" + domain, Subject: "Confirm", Text: "link " + hash, HTML: "<p>link</p>"}
	return db.RequestVerification(context.Background(), a.Token, hash, &v, &m)
}

func confirm(t *testing.T, q *assessment.Questionnaire, db Store, hash string, now time.Time, want assessment.DomainDecision) {
	t.Helper()
	got, err := db.ConfirmVerification(context.Background(), q, hash, now)
	if err != nil || got != want {
		t.Fatalf("ConfirmVerification(%s) = %+v, %v; want %+v", hash, got, err, want)
	}
}

func verifiedDomain(t *testing.T, db Store, a *assessment.Assessment) string {
	t.Helper()
	got, err := db.Assessment(context.Background(), a.Token)
	if err != nil {
		t.Fatal(err)
	}
	return got.VerifiedDomain
}

// testDomainVerification: a confirmed test waits for its domain's one approval; then the
// domain's latest test is its one company in the pool, and later tests replace it at once.
func testDomainVerification(t *testing.T, d Database) {
	ctx := context.Background()
	q := Questionnaire(t)
	db := d.Open(t, nil)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	a1 := Submit(t, q, db, "Acme Bank", "DK", "finance", true, 2)
	a2 := Submit(t, q, db, "Another name", "SE", "retail", true, 4)
	private := Submit(t, q, db, "Acme Bank", "DK", "finance", false, 3)

	if err := tryVerification(db, private, "acme-bank.dk", "h-private", now); err != assessment.ErrVerifyNoConsent {
		t.Errorf("RequestVerification(no consent) = %v, want ErrVerifyNoConsent", err)
	}
	requestVerification(t, db, a1, "acme-bank.dk", "h1", now)
	v, err := db.VerificationByToken(ctx, "h1")
	if err != nil || v.Domain != "acme-bank.dk" || !v.Taken.Equal(a1.CreatedAt) || !v.ExpiresAt.Equal(now.Add(24*time.Hour)) || !v.UsedAt.IsZero() {
		t.Fatalf("VerificationByToken(h1) = %+v, %v; want acme-bank.dk, taken %v, expiring a day later, unused", v, err, a1.CreatedAt)
	}
	if _, err := db.VerificationByToken(ctx, "nope"); err != assessment.ErrVerificationNotFound {
		t.Errorf("VerificationByToken(unknown) = %v, want ErrVerificationNotFound", err)
	}
	if got := verifiedDomain(t, db, a1); got != "" {
		t.Errorf("a requested verification marks the result %q; want nothing until it is confirmed", got)
	}

	confirm(t, q, db, "h1", now.Add(time.Hour), assessment.DomainDecision{Domain: "acme-bank.dk", Status: assessment.DomainPending})
	if got := verifiedDomain(t, db, a1); got != "acme-bank.dk" {
		t.Errorf("confirmed result's domain = %q, want acme-bank.dk", got)
	}
	if err := tryVerification(db, a1, "other.dk", "h1b", now); err != assessment.ErrAlreadyVerified {
		t.Errorf("RequestVerification(confirmed result) = %v, want ErrAlreadyVerified", err)
	}
	requestVerification(t, db, a2, "acme-bank.dk", "h2", now)
	confirm(t, q, db, "h2", now.Add(2*time.Hour), assessment.DomainDecision{Domain: "acme-bank.dk", Status: assessment.DomainPending})
	if n := poolSize(t, db); n != 0 {
		t.Fatalf("pool before the domain's approval = %d companies, want 0", n)
	}
	pending, err := db.PendingDomains(ctx, q.Version)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Domain != "acme-bank.dk" || !slices.Equal(idsOf(pending[0].Tests), []int64{a1.ID, a2.ID}) ||
		pending[0].Tests[1].Company.Industry != "retail" || pending[0].FirstSeen.IsZero() {
		t.Fatalf("PendingDomains = %+v, want acme-bank.dk with tests %d, %d (profiles kept)", pending, a1.ID, a2.ID)
	}
	if len(pending[0].Tests[0].Ratings) != 0 {
		t.Errorf("PendingDomains read the ratings of a test; the operator must not see answers")
	}

	entered, err := db.ApproveDomain(ctx, q, "acme-bank.dk")
	if err != nil || !entered {
		t.Fatalf("ApproveDomain = %v, %v; want the latest test in", entered, err)
	}
	key := assessment.CompanyDomainKey("acme-bank.dk")
	if e, ok := inPool(t, db, key); !ok || e.Source != a2.ID || poolSize(t, db) != 1 {
		t.Fatalf("after approval: entry %+v (in %v), pool %d; want one company from test %d", e, ok, poolSize(t, db), a2.ID)
	}
	if pending, _ := db.PendingDomains(ctx, q.Version); len(pending) != 0 {
		t.Errorf("PendingDomains after approval = %+v, want none", pending)
	}
	if approved, n, err := db.ApprovedDomains(ctx, q.Version, 10); err != nil || n != 1 || len(approved) != 1 || approved[0].Domain != "acme-bank.dk" ||
		!slices.Equal(idsOf(approved[0].Tests), []int64{a1.ID, a2.ID}) || len(approved[0].Tests[1].Ratings) != 0 {
		t.Errorf("ApprovedDomains = %+v, %d, %v; want acme-bank.dk with tests %d, %d (no ratings) of 1", approved, n, err, a1.ID, a2.ID)
	}
	if approved, n, err := db.ApprovedDomains(ctx, q.Version, 0); err != nil || n != 1 || len(approved) != 0 {
		t.Errorf("ApprovedDomains(limit 0) = %d listed of %d, %v; want 0 of 1", len(approved), n, err)
	}

	// A later test of an approved domain counts at once, in place of the earlier one.
	a3 := Submit(t, q, db, "", "", "finance", true, 5)
	requestVerification(t, db, a3, "acme-bank.dk", "h3", now)
	confirm(t, q, db, "h3", now.Add(3*time.Hour), assessment.DomainDecision{Domain: "acme-bank.dk", Status: assessment.DomainApproved, Counts: true})
	if e, ok := inPool(t, db, key); !ok || e.Source != a3.ID || poolSize(t, db) != 1 {
		t.Fatalf("after a later test: entry %+v, pool %d; want one company from test %d", e, poolSize(t, db), a3.ID)
	}

	// A test the operator verified under its name moves to its domain: never two companies.
	named := Submit(t, q, db, "Delta", "NO", "finance", true, 3)
	Verify(t, q, db, named)
	requestVerification(t, db, named, "delta.no", "h4", now)
	confirm(t, q, db, "h4", now.Add(4*time.Hour), assessment.DomainDecision{Domain: "delta.no", Status: assessment.DomainPending})
	if entered, err := db.ApproveDomain(ctx, q, "delta.no"); err != nil || !entered {
		t.Fatalf("ApproveDomain(delta.no) = %v, %v", entered, err)
	}
	if _, ok := inPool(t, db, "name:delta|NO"); ok || poolSize(t, db) != 2 {
		t.Errorf("after delta.no's approval: name entry kept %v, pool %d; want it moved to its domain, 2 companies", ok, poolSize(t, db))
	}

	if _, err := db.ApproveDomain(ctx, q, "unknown.dk"); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("ApproveDomain(unknown) = %v, want not found", err)
	}
	if _, err := db.RejectDomain(ctx, "unknown.dk"); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("RejectDomain(unknown) = %v, want not found", err)
	}
	// Deleting the counted result takes it out.
	if err := db.DeleteAssessment(ctx, a3.Token); err != nil {
		t.Fatal(err)
	}
	if _, ok := inPool(t, db, key); ok {
		t.Errorf("the deleted result's domain entry is still in the pool")
	}
}

// testVerificationLinks: an expired link and a used one change nothing.
func testVerificationLinks(t *testing.T, d Database) {
	ctx := context.Background()
	q := Questionnaire(t)
	db := d.Open(t, nil)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	a := Submit(t, q, db, "Acme", "DK", "finance", true, 2)
	b := Submit(t, q, db, "Acme", "DK", "finance", true, 3)
	requestVerification(t, db, a, "acme.dk", "old", now)
	if _, err := db.ConfirmVerification(ctx, q, "old", now.Add(24*time.Hour)); err != assessment.ErrVerificationExpired {
		t.Fatalf("ConfirmVerification(24 h later) = %v, want ErrVerificationExpired", err)
	}
	if got := verifiedDomain(t, db, a); got != "" {
		t.Errorf("an expired link confirmed the result for %q", got)
	}
	if s, _ := db.DomainStatus(ctx, "acme.dk"); s != "" {
		t.Errorf("an expired link registered the domain as %q", s)
	}
	requestVerification(t, db, a, "acme.dk", "new", now.Add(25*time.Hour))
	confirm(t, q, db, "new", now.Add(26*time.Hour), assessment.DomainDecision{Domain: "acme.dk", Status: assessment.DomainPending})
	if _, err := db.ConfirmVerification(ctx, q, "new", now.Add(26*time.Hour)); err != assessment.ErrVerificationUsed {
		t.Errorf("ConfirmVerification(used) = %v, want ErrVerificationUsed", err)
	}
	// Two links requested before either was used: the second finds the result confirmed.
	requestVerification(t, db, b, "acme.dk", "b1", now)
	requestVerification(t, db, b, "beta.dk", "b2", now)
	confirm(t, q, db, "b1", now.Add(time.Hour), assessment.DomainDecision{Domain: "acme.dk", Status: assessment.DomainPending})
	if _, err := db.ConfirmVerification(ctx, q, "b2", now.Add(time.Hour)); err != assessment.ErrAlreadyVerified {
		t.Errorf("ConfirmVerification(second link of a confirmed result) = %v, want ErrAlreadyVerified", err)
	}
	if got := verifiedDomain(t, db, b); got != "acme.dk" {
		t.Errorf("result b's domain = %q, want acme.dk (the second link changed it)", got)
	}
}

// testDomainRejectDelete: a rejected domain's tests never count, and a pending domain whose
// only result is deleted leaves the register.
func testDomainRejectDelete(t *testing.T, d Database) {
	ctx := context.Background()
	q := Questionnaire(t)
	db := d.Open(t, nil)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	a := Submit(t, q, db, "", "", "", true, 2)
	requestVerification(t, db, a, "spam.example", "r1", now)
	confirm(t, q, db, "r1", now, assessment.DomainDecision{Domain: "spam.example", Status: assessment.DomainPending})
	if left, err := db.RejectDomain(ctx, "spam.example"); err != nil || left {
		t.Fatalf("RejectDomain(pending) = %v, %v; want nothing to leave", left, err)
	}
	b := Submit(t, q, db, "", "", "", true, 4)
	requestVerification(t, db, b, "spam.example", "r2", now)
	confirm(t, q, db, "r2", now, assessment.DomainDecision{Domain: "spam.example", Status: assessment.DomainRejected})
	if n := poolSize(t, db); n != 0 {
		t.Errorf("a rejected domain's test is in the pool (%d companies)", n)
	}
	// Approved, then rejected: its entry leaves.
	if entered, err := db.ApproveDomain(ctx, q, "spam.example"); err != nil || !entered {
		t.Fatalf("ApproveDomain(rejected) = %v, %v; want the operator's change of mind to count", entered, err)
	}
	if left, err := db.RejectDomain(ctx, "spam.example"); err != nil || !left || poolSize(t, db) != 0 {
		t.Errorf("RejectDomain(approved) = %v, %v, pool %d; want its entry out", left, err, poolSize(t, db))
	}

	c := Submit(t, q, db, "", "", "", true, 3)
	requestVerification(t, db, c, "gamma.dk", "g1", now)
	confirm(t, q, db, "g1", now, assessment.DomainDecision{Domain: "gamma.dk", Status: assessment.DomainPending})
	if err := db.DeleteAssessment(ctx, c.Token); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.DomainStatus(ctx, "gamma.dk"); s != "" {
		t.Errorf("a pending domain whose only result was deleted is still registered as %q", s)
	}
	if _, err := db.VerificationByToken(ctx, "g1"); err != assessment.ErrVerificationNotFound {
		t.Errorf("the deleted result's link = %v, want not found", err)
	}
}

package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var auditTests = []test{
	{"audit log", testAuditLog},
	{"password change", testSetPassword},
	{"second factors", testSecondFactors},
}

// testAuditLog: events are read back per workspace, newest first, paged by id; an event of
// no workspace (a failed sign-in with an unknown address) is nobody's to read; the purge
// deletes exactly what is older than its cutoff.
func testAuditLog(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	// Five events of A, one a minute; one of B; one of nobody.
	for i := range 5 {
		e := assessment.AuditEvent{WorkspaceID: f.a.ID, At: start.Add(time.Duration(i) * time.Minute), ActorID: 7, ActorName: "Ann",
			Action: assessment.AuditSignIn, Target: assessment.AuditTarget(assessment.TargetMember, int64(i)), Address: "192.0.2.1"}
		if err := f.db.RecordAudit(ctx, &e); err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 {
			t.Fatal("RecordAudit set no ID")
		}
	}
	for _, e := range []assessment.AuditEvent{
		{WorkspaceID: f.b.ID, At: start, Action: assessment.AuditSignInFailed, Address: "192.0.2.2"},
		{At: start, Action: assessment.AuditSignInFailed, Address: "192.0.2.3"},
	} {
		if err := f.db.RecordAudit(ctx, &e); err != nil {
			t.Fatal(err)
		}
	}
	page, err := f.db.AuditEvents(ctx, f.a.ID, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	targets := func(es []assessment.AuditEvent) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Target)
		}
		return out
	}
	if got, want := targets(page), []string{"member:4", "member:3", "member:2"}; !slices.Equal(got, want) {
		t.Fatalf("AuditEvents(A, newest 3) = %v, want %v", got, want)
	}
	e := page[0]
	if e.WorkspaceID != f.a.ID || !e.At.Equal(start.Add(4*time.Minute)) || e.ActorID != 7 || e.ActorName != "Ann" ||
		e.Action != assessment.AuditSignIn || e.Address != "192.0.2.1" {
		t.Errorf("AuditEvents(A)[0] = %+v, want the fifth event as recorded", e)
	}
	next, err := f.db.AuditEvents(ctx, f.a.ID, page[2].ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := targets(next), []string{"member:1", "member:0"}; !slices.Equal(got, want) {
		t.Errorf("AuditEvents(A, before %d) = %v, want %v", page[2].ID, got, want)
	}
	if b, err := f.db.AuditEvents(ctx, f.b.ID, 0, 50); err != nil || len(b) != 1 || b[0].Address != "192.0.2.2" {
		t.Errorf("AuditEvents(B) = %+v, %v, want B's one event", b, err)
	}
	if none, err := f.db.AuditEvents(ctx, 0, 0, 50); err != nil || len(none) != 0 {
		t.Errorf("AuditEvents(no workspace) = %+v, %v, want nothing", none, err)
	}
	// The cutoff is the third event's time: the two before it go, with B's and nobody's.
	n, err := f.db.PurgeAudit(ctx, start.Add(2*time.Minute))
	if err != nil || n != 4 {
		t.Errorf("PurgeAudit = %d, %v, want 4 (A's first two, B's, nobody's)", n, err)
	}
	if left, err := f.db.AuditEvents(ctx, f.a.ID, 0, 50); err != nil || len(left) != 3 {
		t.Errorf("AuditEvents(A) after the purge = %d events, %v, want 3", len(left), err)
	}
}

// testSetPassword: a new password hash replaces the old one and ends every other session of
// the member, not the one kept nor another member's; "" ends them all.
func testSetPassword(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	ann, _ := assessment.NewUser("ann@alpha.example", "Ann", assessment.RoleAdmin)
	carl, _ := assessment.NewUser("carl@alpha.example", "Carl", assessment.RoleConsultant)
	for _, u := range []*assessment.User{&ann, &carl} {
		if err := f.db.CreateUser(ctx, f.a.ID, u, "old"); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []struct {
		user int64
		hash string
	}{{ann.ID, "ann-here"}, {ann.ID, "ann-phone"}, {carl.ID, "carl"}} {
		if err := f.db.CreateSession(ctx, s.user, s.hash, "csrf", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.db.SetPassword(ctx, ann.ID, "new", "ann-here"); err != nil {
		t.Fatal(err)
	}
	if h, err := f.db.PasswordHash(ctx, ann.ID); err != nil || h != "new" {
		t.Errorf("PasswordHash(ann) = %q, %v, want new", h, err)
	}
	if h, err := f.db.PasswordHash(ctx, carl.ID); err != nil || h != "old" {
		t.Errorf("PasswordHash(carl) = %q, %v, want old (untouched)", h, err)
	}
	for _, tt := range []struct {
		hash  string
		alive bool
	}{{"ann-here", true}, {"ann-phone", false}, {"carl", true}} {
		_, err := f.db.Session(ctx, tt.hash)
		if alive := err == nil; alive != tt.alive {
			t.Errorf("session %s alive = %v, want %v (%v)", tt.hash, alive, tt.alive, err)
		}
	}
	if err := f.db.SetPassword(ctx, ann.ID, "newer", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Session(ctx, "ann-here"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf(`session after SetPassword(keep "") = %v, want unauthorized`, err)
	}
	if err := f.db.SetPassword(ctx, 99999, "x", ""); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("SetPassword(no such member) = %v, want not found", err)
	}
}

// testSecondFactors: a TOTP set-up is pending until enabled; a time step is accepted once
// and never an older one; a recovery code is spent once; a new set-up is refused while one is
// on; turning it off removes the codes too; the workspace setting reads back; a pending
// sign-in expires and counts its wrong codes.
func testSecondFactors(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	ann, _ := assessment.NewUser("ann@alpha.example", "Ann", assessment.RoleAdmin)
	if err := f.db.CreateUser(ctx, f.a.ID, &ann, "x"); err != nil {
		t.Fatal(err)
	}
	factors := func() assessment.SecondFactors {
		t.Helper()
		sf, err := f.db.SecondFactors(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		return sf
	}
	if err := f.db.StartTOTP(ctx, ann.ID, "FIRST"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.StartTOTP(ctx, ann.ID, "SECOND"); err != nil { // an unconfirmed set-up is replaced
		t.Fatal(err)
	}
	if s, on, err := f.db.TOTPSecret(ctx, ann.ID); err != nil || s != "SECOND" || on {
		t.Errorf("TOTPSecret (pending) = %q, %v, %v, want SECOND, off", s, on, err)
	}
	if sf := factors(); sf.TOTP {
		t.Errorf("SecondFactors while pending = %+v, want no TOTP", sf)
	}
	if ok, err := f.db.UseTOTPStep(ctx, ann.ID, 5); err != nil || ok {
		t.Errorf("UseTOTPStep while pending = %v, %v, want false", ok, err)
	}
	if ok, err := f.db.EnableTOTP(ctx, ann.ID, 100, []string{"h1", "h2", "h3"}); err != nil || !ok {
		t.Fatalf("EnableTOTP = %v, %v", ok, err)
	}
	if ok, err := f.db.EnableTOTP(ctx, ann.ID, 101, []string{"h9"}); err != nil || ok {
		t.Errorf("EnableTOTP twice = %v, %v, want false", ok, err)
	}
	if sf := factors(); !sf.TOTP || sf.RecoveryCodes != 3 || !assessment.HasSecondFactor(sf) {
		t.Errorf("SecondFactors when on = %+v, want TOTP and 3 codes", sf)
	}
	if m, err := f.db.MembersWithSecondFactor(ctx, f.a.ID); err != nil || len(m) != 1 || !m[ann.ID] {
		t.Errorf("MembersWithSecondFactor(A) = %v, %v, want Ann only", m, err)
	}
	if m, err := f.db.MembersWithSecondFactor(ctx, f.b.ID); err != nil || len(m) != 0 {
		t.Errorf("MembersWithSecondFactor(B) = %v, %v, want none", m, err)
	}
	if err := f.db.StartTOTP(ctx, ann.ID, "THIEF"); !errors.Is(err, assessment.ErrTOTPEnabled) {
		t.Errorf("StartTOTP while on = %v, want ErrTOTPEnabled", err)
	}
	for _, tt := range []struct {
		step int64
		ok   bool
	}{{100, false}, {99, false}, {101, true}, {101, false}, {103, true}, {102, false}} {
		if ok, err := f.db.UseTOTPStep(ctx, ann.ID, tt.step); err != nil || ok != tt.ok {
			t.Errorf("UseTOTPStep(%d) = %v, %v, want %v", tt.step, ok, err, tt.ok)
		}
	}
	for _, tt := range []struct {
		hash string
		ok   bool
	}{{"h2", true}, {"h2", false}, {"nope", false}} {
		if ok, err := f.db.UseRecoveryCode(ctx, ann.ID, tt.hash); err != nil || ok != tt.ok {
			t.Errorf("UseRecoveryCode(%s) = %v, %v, want %v", tt.hash, ok, err, tt.ok)
		}
	}
	if sf := factors(); sf.RecoveryCodes != 2 {
		t.Errorf("unused recovery codes = %d, want 2", sf.RecoveryCodes)
	}
	if err := f.db.DisableTOTP(ctx, ann.ID); err != nil {
		t.Fatal(err)
	}
	if sf := factors(); sf.TOTP || sf.RecoveryCodes != 0 {
		t.Errorf("SecondFactors after DisableTOTP = %+v, want none", sf)
	}

	for _, want := range []bool{true, false} {
		if err := f.db.SetRequireSecondFactor(ctx, f.a.ID, want); err != nil {
			t.Fatal(err)
		}
		if got, err := f.db.RequiresSecondFactor(ctx, f.a.ID); err != nil || got != want {
			t.Errorf("RequiresSecondFactor = %v, %v, want %v", got, err, want)
		}
	}
	if err := f.db.SetRequireSecondFactor(ctx, f.a.ID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.db.RequiresSecondFactor(ctx, f.b.ID); got {
		t.Error("workspace B requires a second factor after A's admin set it for A")
	}

	if err := f.db.CreatePendingLogin(ctx, "p", ann.ID, "/w/portfolio", now.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	for want := 1; want <= 2; want++ {
		if n, err := f.db.FailPendingLogin(ctx, "p"); err != nil || n != want {
			t.Errorf("FailPendingLogin = %d, %v, want %d", n, err, want)
		}
	}
	if u, next, n, err := f.db.PendingLogin(ctx, "p"); err != nil || u == nil || u.ID != ann.ID || next != "/w/portfolio" || n != 2 {
		t.Errorf("PendingLogin = %+v, %q, %d, %v", u, next, n, err)
	}
	now = now.Add(5 * time.Minute)
	if u, _, _, err := f.db.PendingLogin(ctx, "p"); err != nil || u != nil {
		t.Errorf("expired PendingLogin = %+v, %v, want none", u, err)
	}
	if err := f.db.CreatePendingLogin(ctx, "q", ann.ID, "/w", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := f.db.DeletePendingLogin(ctx, "q"); err != nil {
		t.Fatal(err)
	}
	if u, _, _, err := f.db.PendingLogin(ctx, "q"); err != nil || u != nil {
		t.Errorf("deleted PendingLogin = %+v, %v, want none", u, err)
	}
}

package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var emailTests = []test{
	{"outbox claims, leases, retries and marks sent", testOutbox},
	{"member invitations", testMemberInvitations},
	{"password resets end every session", testPasswordReset},
}

func mailTo(to string) *assessment.Mail {
	return &assessment.Mail{Kind: assessment.MailInvitation, To: to, Subject: "Hi", Text: "https://x.example/invite/secret", HTML: "<p>hi</p>"}
}

// testOutbox: a claimed message is leased (no second claim gets it until the lease runs
// out), a sent one is never claimed again and loses its bodies, a failed attempt comes back
// when its retry is due, and giving up makes it failed.
func testOutbox(t *testing.T, d Database) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db := d.Open(t, func() time.Time { return now })
	var ids []int64
	for _, to := range []string{"a@x.example", "b@x.example", "c@x.example"} {
		m := mailTo(to)
		if err := db.EnqueueMail(ctx, m); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	claim := func(at time.Time) []int64 {
		t.Helper()
		ms, err := db.ClaimMail(ctx, at, 2*time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, m := range ms {
			got = append(got, m.ID)
		}
		return got
	}
	if got := claim(now); len(got) != 3 || got[0] != ids[0] || got[2] != ids[2] {
		t.Fatalf("ClaimMail(now) = %v, want %v", got, ids)
	}
	if got := claim(now.Add(time.Minute)); len(got) != 0 {
		t.Fatalf("ClaimMail(now+1m) within the lease = %v, want none", got)
	}
	if err := db.MailSent(ctx, ids[0], now); err != nil {
		t.Fatal(err)
	}
	if err := db.MailFailed(ctx, ids[1], now, now.Add(10*time.Minute), false, "relay down"); err != nil {
		t.Fatal(err)
	}
	// At +3 min the lease of c has run out (its worker died); b's retry is not due yet.
	if got := claim(now.Add(3 * time.Minute)); len(got) != 1 || got[0] != ids[2] {
		t.Fatalf("ClaimMail(now+3m) = %v, want [%d] (lease over), not a nor b", got, ids[2])
	}
	if err := db.MailSent(ctx, ids[2], now); err != nil {
		t.Fatal(err)
	}
	ms, err := db.ClaimMail(ctx, now.Add(11*time.Minute), 2*time.Minute, 10)
	if err != nil || len(ms) != 1 || ms[0].ID != ids[1] || ms[0].Attempts != 1 || ms[0].Text == "" {
		t.Fatalf("ClaimMail(now+11m) = %+v, %v; want b with 1 attempt and its body", ms, err)
	}
	if err := db.MailFailed(ctx, ids[1], now, now, true, "550 no such user"); err != nil {
		t.Fatal(err)
	}
	if got := claim(now.Add(24 * time.Hour)); len(got) != 0 {
		t.Fatalf("ClaimMail(a day later) = %v, want none: sent and failed are never claimed", got)
	}
	counts, err := db.MailCounts(ctx)
	if err != nil || counts["sent"] != 2 || counts["failed"] != 1 || counts["pending"] != 0 {
		t.Fatalf("MailCounts = %v, %v; want 2 sent, 1 failed, 0 pending", counts, err)
	}
}

// testMemberInvitations: an invitation is listed while pending, only in its workspace; its
// link makes one account, once; a used, revoked or expired link says which; an address with
// an account is a conflict; sending again replaces the link.
func testMemberInvitations(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	invite := func(ws int64, email, hash string) (*assessment.MemberInvitation, error) {
		inv, err := assessment.NewMemberInvitation(email, "member", "da", now)
		if err != nil {
			t.Fatal(err)
		}
		return &inv, f.db.CreateMemberInvitation(ctx, ws, &inv, hash, mailTo(email))
	}
	ann, err := invite(f.a.ID, "Ann@X.example", "h-ann")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := invite(f.a.ID, "bob@x.example", "h-bob"); err != nil {
		t.Fatal(err)
	}
	list, err := f.db.MemberInvitations(ctx, f.a.ID, now)
	if err != nil || len(list) != 2 || list[1].Email != "ann@x.example" || list[1].Role != assessment.RoleConsultant || list[1].Lang != "da" ||
		!list[1].ExpiresAt.Equal(now.Add(7*24*time.Hour)) || list[1].Workspace != "Alpha Consulting" {
		t.Fatalf("MemberInvitations(A) = %+v, %v; want bob then ann (member, da, expiring in 7 days)", list, err)
	}
	if other, _ := f.db.MemberInvitations(ctx, f.b.ID, now); len(other) != 0 {
		t.Errorf("MemberInvitations(B) = %+v, want none", other)
	}
	if _, err := f.db.MemberInvitation(ctx, f.b.ID, ann.ID); !errors.Is(err, assessment.ErrInviteNotFound) {
		t.Errorf("MemberInvitation(B, ann) = %v, want ErrInviteNotFound", err)
	}
	if _, err := f.db.RevokeMemberInvitation(ctx, f.b.ID, ann.ID, now); !errors.Is(err, assessment.ErrInviteNotFound) {
		t.Errorf("RevokeMemberInvitation(B, ann) = %v, want ErrInviteNotFound", err)
	}

	u, inv, err := f.db.AcceptMemberInvitation(ctx, "h-ann", "Ann Andersen", "hash", now.Add(time.Hour))
	if err != nil || u.Email != "ann@x.example" || u.WorkspaceID != f.a.ID || u.Role != assessment.RoleConsultant || inv.ID != ann.ID {
		t.Fatalf("AcceptMemberInvitation = %+v, %+v, %v", u, inv, err)
	}
	if _, _, err := f.db.AcceptMemberInvitation(ctx, "h-ann", "Mallory", "hash", now.Add(2*time.Hour)); !errors.Is(err, assessment.ErrInviteUsed) {
		t.Errorf("second AcceptMemberInvitation = %v, want ErrInviteUsed", err)
	}
	if _, err := invite(f.b.ID, "ann@x.example", "h-ann-2"); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("inviting a member's address = %v, want ECONFLICT", err)
	}

	// Sending bob's again replaces the link; revoking it ends the new one.
	bob := list[0]
	if _, err := f.db.ResendMemberInvitation(ctx, f.a.ID, bob.ID, "h-bob-2", now.Add(time.Hour), mailTo(bob.Email)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.MemberInvitationByToken(ctx, "h-bob"); !errors.Is(err, assessment.ErrInviteNotFound) {
		t.Errorf("the old link after a re-send = %v, want ErrInviteNotFound", err)
	}
	if _, err := f.db.RevokeMemberInvitation(ctx, f.a.ID, bob.ID, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.db.AcceptMemberInvitation(ctx, "h-bob-2", "Bob", "hash", now.Add(2*time.Hour)); !errors.Is(err, assessment.ErrInviteRevoked) {
		t.Errorf("accepting a revoked invitation = %v, want ErrInviteRevoked", err)
	}

	// An invitation accepted one nanosecond before its end works; at its end it has expired.
	if _, err := invite(f.a.ID, "cy@x.example", "h-cy"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.db.AcceptMemberInvitation(ctx, "h-cy", "Cy", "hash", now.Add(assessment.InvitationTTL)); !errors.Is(err, assessment.ErrInviteExpired) {
		t.Errorf("accepting at expiry = %v, want ErrInviteExpired", err)
	}
	if _, _, err := f.db.UserByEmail(ctx, "cy@x.example"); !errors.Is(err, assessment.ErrNoMember) {
		t.Errorf("after a refused link, UserByEmail(cy) = %v, want no member", err)
	}
}

// testPasswordReset: a reset link sets the password once, ends every session of the member
// and not another's, and an expired link does nothing.
func testPasswordReset(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	mk := func(email string) *assessment.User {
		u, _ := assessment.NewUser(email, "X", assessment.RoleConsultant)
		if err := f.db.CreateUser(ctx, f.a.ID, &u, "old"); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"1", "2"} {
			if err := f.db.CreateSession(ctx, u.ID, email+s, "csrf", now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		return &u
	}
	ann, bob := mk("ann@x.example"), mk("bob@x.example")
	if err := f.db.CreatePasswordReset(ctx, ann.ID, "r-ann", now.Add(assessment.ResetTTL), mailTo(ann.Email)); err != nil {
		t.Fatal(err)
	}
	if u, err := f.db.PasswordResetUser(ctx, "r-ann"); err != nil || u.ID != ann.ID {
		t.Fatalf("PasswordResetUser = %+v, %v; want ann", u, err)
	}
	if _, err := f.db.ResetPassword(ctx, "r-ann", "new"); err != nil {
		t.Fatal(err)
	}
	if _, hash, _ := f.db.UserByEmail(ctx, ann.Email); hash != "new" {
		t.Errorf("ann's hash = %q, want new", hash)
	}
	for _, s := range []struct {
		token string
		alive bool
	}{{"ann@x.example1", false}, {"ann@x.example2", false}, {"bob@x.example1", true}} {
		_, err := f.db.Session(ctx, s.token)
		if (err == nil) != s.alive {
			t.Errorf("Session(%s) after ann's reset: err = %v, want alive %v", s.token, err, s.alive)
		}
	}
	if _, err := f.db.ResetPassword(ctx, "r-ann", "again"); !errors.Is(err, assessment.ErrResetInvalid) {
		t.Errorf("a used link = %v, want ErrResetInvalid", err)
	}
	if err := f.db.CreatePasswordReset(ctx, bob.ID, "r-bob", now.Add(assessment.ResetTTL), mailTo(bob.Email)); err != nil {
		t.Fatal(err)
	}
	now = now.Add(assessment.ResetTTL)
	if _, err := f.db.ResetPassword(ctx, "r-bob", "late"); !errors.Is(err, assessment.ErrResetInvalid) {
		t.Errorf("an expired link = %v, want ErrResetInvalid", err)
	}
	if _, hash, _ := f.db.UserByEmail(ctx, bob.Email); hash != "old" {
		t.Errorf("bob's hash after an expired link = %q, want old", hash)
	}
}

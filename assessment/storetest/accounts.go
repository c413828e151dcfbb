package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var accountTests = []test{
	{"users, sessions and tokens", testUsersSessionsTokens},
	{"member management", testMemberManagement},
}

// testUsersSessionsTokens: a member is found by e-mail in any case, an e-mail is one member's
// in all workspaces, a session ends when it expires or is deleted, and an API token leads to
// its member. (That an expired session's row is cleaned up is a storage detail each engine
// checks itself.)
func testUsersSessionsTokens(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	u, _ := assessment.NewUser("ann@example.com", "Ann", assessment.RoleAdmin)
	if err := f.db.CreateUser(ctx, f.a.ID, &u, "$argon2id$hash"); err != nil {
		t.Fatal(err)
	}
	dup, _ := assessment.NewUser("ann@example.com", "Ann 2", assessment.RoleConsultant)
	if err := f.db.CreateUser(ctx, f.b.ID, &dup, "x"); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("duplicate email = %v, want conflict", err)
	}
	got, hash, err := f.db.UserByEmail(ctx, " ANN@example.com")
	if err != nil || got.ID != u.ID || hash != "$argon2id$hash" || got.Workspace != "Alpha Consulting" {
		t.Fatalf("UserByEmail = %+v, %q, %v", got, hash, err)
	}
	if err := f.db.CreateSession(ctx, u.ID, "sess", "csrf", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	s, err := f.db.Session(ctx, "sess")
	if err != nil || s.User.ID != u.ID || s.CSRF != "csrf" {
		t.Fatalf("Session = %+v, %v", s, err)
	}
	now = now.Add(time.Hour)
	if _, err := f.db.Session(ctx, "sess"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("expired session = %v, want unauthorized", err)
	}
	if err := f.db.CreateSession(ctx, u.ID, "sess2", "csrf2", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Session(ctx, "sess"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("expired session after a new one = %v, want unauthorized", err)
	}
	if err := f.db.DeleteSession(ctx, "sess2"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Session(ctx, "sess2"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("deleted session = %v, want unauthorized", err)
	}
	if err := f.db.CreateAPIToken(ctx, u.ID, "tok", &assessment.APIToken{Name: "t", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if tu, err := f.db.APITokenUser(ctx, "tok"); err != nil || tu.WorkspaceID != f.a.ID {
		t.Errorf("APITokenUser = %+v, %v", tu, err)
	}
	if _, err := f.db.APITokenUser(ctx, "other"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("unknown API token = %v", err)
	}
	if ms, err := f.db.Members(ctx, f.a.ID); err != nil || len(ms) != 1 {
		t.Errorf("Members(A) = %v, %v", ms, err)
	}
}

// testMemberManagement removes members and changes roles under the workspace's rules, and
// checks that a removed member's sessions and API tokens go with them and nothing of
// another member or workspace is touched. (That no row of the removed member is left is a
// storage detail each engine checks itself.)
func testMemberManagement(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	add := func(ws *assessment.Workspace, email, role string) *assessment.User {
		t.Helper()
		u, err := assessment.NewUser(email, email[:3], role)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.CreateUser(ctx, ws.ID, &u, "x"); err != nil {
			t.Fatal(err)
		}
		for i, kind := range []string{"sess", "tok"} {
			h := kind + "-" + email
			var err error
			if i == 0 {
				err = f.db.CreateSession(ctx, u.ID, h, "csrf", now.Add(time.Hour))
			} else {
				err = f.db.CreateAPIToken(ctx, u.ID, h, &assessment.APIToken{Name: "t", CreatedAt: now})
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		return &u
	}
	ann := add(f.a, "ann@alpha.example", assessment.RoleAdmin)
	carl := add(f.a, "carl@alpha.example", assessment.RoleConsultant)
	dora := add(f.a, "dora@alpha.example", assessment.RoleConsultant)
	bob := add(f.b, "bob@beta.example", assessment.RoleAdmin)
	// members and admins count the members of both workspaces, which are all there are.
	members := func() (all, admins int) {
		t.Helper()
		for _, ws := range []*assessment.Workspace{f.a, f.b} {
			ms, err := f.db.Members(ctx, ws.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				all++
				if m.Role == assessment.RoleAdmin {
					admins++
				}
			}
		}
		return all, admins
	}

	// Refusals change nothing.
	refusals := []struct {
		name string
		err  error
		code string
	}{
		{"consultant removes", func() error { _, err := f.db.RemoveMember(ctx, f.a.ID, carl.ID, dora.ID); return err }(), assessment.EFORBIDDEN},
		{"admin removes self", func() error { _, err := f.db.RemoveMember(ctx, f.a.ID, ann.ID, ann.ID); return err }(), assessment.ECONFLICT},
		{"last admin demotes self", func() error {
			_, err := f.db.SetMemberRole(ctx, f.a.ID, ann.ID, ann.ID, assessment.RoleConsultant)
			return err
		}(), assessment.ECONFLICT},
		{"consultant promotes self", func() error {
			_, err := f.db.SetMemberRole(ctx, f.a.ID, carl.ID, carl.ID, assessment.RoleAdmin)
			return err
		}(), assessment.EFORBIDDEN},
		{"bad role", func() error { _, err := f.db.SetMemberRole(ctx, f.a.ID, ann.ID, carl.ID, "owner"); return err }(), assessment.EINVALID},
		// Workspace B's admin names A's member through B: not found, like an unknown id.
		{"other workspace's member", func() error { _, err := f.db.RemoveMember(ctx, f.b.ID, bob.ID, carl.ID); return err }(), assessment.ENOTFOUND},
		{"other workspace's role", func() error {
			_, err := f.db.SetMemberRole(ctx, f.b.ID, bob.ID, carl.ID, assessment.RoleAdmin)
			return err
		}(), assessment.ENOTFOUND},
		// An actor who is not a member of the workspace named is refused.
		{"actor of another workspace", func() error { _, err := f.db.RemoveMember(ctx, f.a.ID, bob.ID, carl.ID); return err }(), assessment.EFORBIDDEN},
		{"unknown member", func() error { _, err := f.db.RemoveMember(ctx, f.a.ID, ann.ID, 9999); return err }(), assessment.ENOTFOUND},
	}
	for _, r := range refusals {
		if got := assessment.ErrorCode(r.err); got != r.code {
			t.Errorf("%s = %v, want code %q", r.name, r.err, r.code)
		}
	}
	if n, _ := members(); n != 4 {
		t.Fatalf("users after refusals = %d, want 4", n)
	}
	if _, n := members(); n != 2 {
		t.Fatalf("admins after refusals = %d, want 2 (Ann, Bob)", n)
	}

	// Ann promotes Carl; now Ann may step down, and Carl may not then step down too.
	if u, err := f.db.SetMemberRole(ctx, f.a.ID, ann.ID, carl.ID, assessment.RoleAdmin); err != nil || u.Role != assessment.RoleAdmin {
		t.Fatalf("promote Carl = %+v, %v", u, err)
	}
	if s, err := f.db.Session(ctx, "sess-carl@alpha.example"); err != nil || !s.User.IsAdmin() {
		t.Errorf("Carl's open session after promotion = %+v, %v, want admin", s, err)
	}
	if _, err := f.db.SetMemberRole(ctx, f.a.ID, ann.ID, ann.ID, assessment.RoleConsultant); err != nil {
		t.Fatalf("Ann steps down with Carl as admin = %v", err)
	}
	if _, err := f.db.SetMemberRole(ctx, f.a.ID, carl.ID, carl.ID, assessment.RoleConsultant); !errors.Is(err, assessment.ErrLastAdmin) {
		t.Errorf("Carl steps down as the last admin = %v, want ErrLastAdmin", err)
	}
	// Ann, now a consultant, can no longer remove anyone.
	if _, err := f.db.RemoveMember(ctx, f.a.ID, ann.ID, dora.ID); assessment.ErrorCode(err) != assessment.EFORBIDDEN {
		t.Errorf("demoted Ann removes Dora = %v, want forbidden", err)
	}

	// Carl removes Dora: her user, session and token go; everyone else's stay.
	removed, err := f.db.RemoveMember(ctx, f.a.ID, carl.ID, dora.ID)
	if err != nil || removed.Email != "dora@alpha.example" {
		t.Fatalf("remove Dora = %+v, %v", removed, err)
	}
	if _, _, err := f.db.UserByEmail(ctx, "dora@alpha.example"); !errors.Is(err, assessment.ErrNoMember) {
		t.Errorf("UserByEmail(Dora) after removal = %v, want ErrNoMember", err)
	}
	if _, err := f.db.Session(ctx, "sess-dora@alpha.example"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("Dora's session after removal = %v, want unauthorized", err)
	}
	if _, err := f.db.APITokenUser(ctx, "tok-dora@alpha.example"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("Dora's API token after removal = %v, want unauthorized", err)
	}
	// Everyone else's session and API token still work: 3 of each left (Ann, Carl, Bob).
	for _, email := range []string{"ann@alpha.example", "carl@alpha.example", "bob@beta.example"} {
		if _, err := f.db.Session(ctx, "sess-"+email); err != nil {
			t.Errorf("%s's session after Dora's removal = %v", email, err)
		}
		if _, err := f.db.APITokenUser(ctx, "tok-"+email); err != nil {
			t.Errorf("%s's API token after Dora's removal = %v", email, err)
		}
	}
	// The workspace's clients are the workspace's, not the member's: untouched.
	if _, err := f.db.Client(ctx, f.a.ID, f.client.ID); err != nil {
		t.Errorf("A's client after removing a member = %v", err)
	}
	if _, err := f.db.RemoveMember(ctx, f.a.ID, carl.ID, dora.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("remove Dora twice = %v, want not found", err)
	}
	if ms, _ := f.db.Members(ctx, f.a.ID); len(ms) != 2 {
		t.Errorf("A's members = %d, want 2", len(ms))
	}
}

package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/storetest"
)

// wsFixture is a store with two workspaces, A with one client and an open round, B empty.
type wsFixture struct {
	path   string
	db     *sqlstore.DB
	q      *assessment.Questionnaire
	a, b   *assessment.Workspace
	client *assessment.Client
	round  *assessment.Round
}

func newWSFixture(t *testing.T) *wsFixture {
	t.Helper()
	f := &wsFixture{path: filepath.Join(t.TempDir(), "ws.db"), q: storetest.Questionnaire(t)}
	f.db = open(t, f.path)
	w := storetest.NewWorkspaces(t, f.q, f.db)
	f.a, f.b, f.client, f.round = w.A, w.B, w.Client, w.Round
	return f
}

// The behaviour of clients, sessions and members is the conformance suite's
// (assessment/storetest); these tests check what it cannot see: that no row is left behind.

// TestDeleteClientLeavesNoRows: deleting a client whose closed round had participants leaves
// no row of it, its rounds, participants, answers and battles, nor its pool entry.
func TestDeleteClientLeavesNoRows(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	for tok, r := range map[string]assessment.Ratings{"h1": storetest.Flat(1, 3), "h2": storetest.Flat(4, 5), "h3": storetest.Flat(2, 5)} {
		if err := storetest.Answer(t, f.db, f.round, tok, false, r); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := f.q.NewBattle(13, "Business case", "", "", "")
	if err := f.db.AddBattle(ctx, f.a.ID, f.round.ID, &b); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM pool_companies WHERE key = ? AND industry = 'retail'", f.client.PoolKey()); n != 1 {
		t.Fatalf("pool entries for the client = %d, want 1", n)
	}
	if err := f.db.DeleteClient(ctx, f.a.ID, f.client.ID); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"clients", "rounds", "participants", "participant_answers", "battles"} {
		if n := queryInt(t, f.path, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%s rows after delete = %d, want 0", table, n)
		}
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM pool_companies WHERE key = ?", f.client.PoolKey()); n != 0 {
		t.Errorf("pool entries after delete = %d, want 0", n)
	}
}

// TestExpiredSessionsCleanedUp: creating a session deletes the rows of expired ones.
func TestExpiredSessionsCleanedUp(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	f.db.Now = func() time.Time { return now }
	u, _ := assessment.NewUser("ann@example.com", "Ann", assessment.RoleAdmin)
	if err := f.db.CreateUser(ctx, f.a.ID, &u, "$argon2id$hash"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.CreateSession(ctx, u.ID, "sess", "csrf", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if err := f.db.CreateSession(ctx, u.ID, "sess2", "csrf2", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM sessions"); n != 1 {
		t.Errorf("sessions = %d, want the expired one cleaned up", n)
	}
}

// TestRemoveMemberLeavesNoRows: a removed member's user, sessions and API tokens are
// deleted, and nobody else's.
func TestRemoveMemberLeavesNoRows(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	f.db.Now = func() time.Time { return now }
	add := func(ws *assessment.Workspace, email, role string) *assessment.User {
		t.Helper()
		u, err := assessment.NewUser(email, email[:3], role)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.CreateUser(ctx, ws.ID, &u, "x"); err != nil {
			t.Fatal(err)
		}
		if err := f.db.CreateSession(ctx, u.ID, "sess-"+email, "csrf", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := f.db.CreateAPIToken(ctx, u.ID, "tok-"+email, &assessment.APIToken{Name: "t", CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		return &u
	}
	ann := add(f.a, "ann@alpha.example", assessment.RoleAdmin)
	add(f.a, "carl@alpha.example", assessment.RoleConsultant)
	dora := add(f.a, "dora@alpha.example", assessment.RoleConsultant)
	add(f.b, "bob@beta.example", assessment.RoleAdmin)
	if _, err := f.db.RemoveMember(ctx, f.a.ID, ann.ID, dora.ID); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT count(*) FROM users WHERE email = 'dora@alpha.example'",
		"SELECT count(*) FROM sessions WHERE token_hash = 'sess-dora@alpha.example'",
		"SELECT count(*) FROM api_tokens WHERE token_hash = 'tok-dora@alpha.example'",
	} {
		if n := queryInt(t, f.path, q); n != 0 {
			t.Errorf("%s = %d after removal, want 0", q, n)
		}
	}
	for table, want := range map[string]int{"users": 3, "sessions": 3, "api_tokens": 3} {
		if n := queryInt(t, f.path, "SELECT count(*) FROM "+table); n != want {
			t.Errorf("%s left = %d, want %d (Ann, Carl, Bob)", table, n, want)
		}
	}
}

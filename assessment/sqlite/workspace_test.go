package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlite"
)

// wsFixture is a store with two workspaces, A with one client and an open round, B empty.
type wsFixture struct {
	path   string
	db     *sqlite.DB
	q      *assessment.Questionnaire
	a, b   *assessment.Workspace
	client *assessment.Client
	round  *assessment.Round
}

func newWSFixture(t *testing.T) *wsFixture {
	t.Helper()
	ctx := context.Background()
	f := &wsFixture{path: filepath.Join(t.TempDir(), "ws.db")}
	f.db = open(t, f.path)
	var err error
	if f.q, err = assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML); err != nil {
		t.Fatal(err)
	}
	if f.a, err = f.db.EnsureWorkspace(ctx, "Alpha Consulting"); err != nil {
		t.Fatal(err)
	}
	if f.b, err = f.db.EnsureWorkspace(ctx, "Beta Advisory"); err != nil {
		t.Fatal(err)
	}
	c, err := f.q.NewClient(assessment.Company{Name: "Acme", Industry: "retail", Size: "50-249", Country: "DK", NPSYears: "1-5"}, true)
	if err != nil {
		t.Fatal(err)
	}
	f.client = &c
	if err := f.db.CreateClient(ctx, f.a.ID, f.client); err != nil {
		t.Fatal(err)
	}
	r, err := f.q.NewRound("Kick-off", "en")
	if err != nil {
		t.Fatal(err)
	}
	f.round = &r
	if err := f.db.CreateRound(ctx, f.a.ID, f.client.ID, f.round); err != nil {
		t.Fatal(err)
	}
	return f
}

func wsFlat(asIs, toBe float64) assessment.Ratings {
	r := make(assessment.Ratings, assessment.CompetencyCount)
	for i := range r {
		r[i] = assessment.Rating{AsIs: asIs, ToBe: toBe}
	}
	return r
}

func (f *wsFixture) answer(t *testing.T, token string, replace bool, r assessment.Ratings) error {
	t.Helper()
	p := assessment.Participant{Name: "P", Ratings: r}
	return f.db.SaveParticipant(context.Background(), f.round.Code, token, replace, &p)
}

func TestWorkspaceIsolation(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	if err := f.answer(t, "h1", false, wsFlat(2, 4)); err != nil {
		t.Fatal(err)
	}
	b, _ := f.q.NewBattle(13, "Business case", "", "", "")
	if err := f.db.AddBattle(ctx, f.a.ID, f.round.ID, &b); err != nil {
		t.Fatal(err)
	}
	other := f.b.ID
	checks := map[string]error{}
	_, checks["Client"] = f.db.Client(ctx, other, f.client.ID)
	_, checks["Round"] = f.db.Round(ctx, other, f.round.ID)
	_, checks["RoundParticipants"] = f.db.RoundParticipants(ctx, other, f.round.ID)
	cl := *f.client
	checks["UpdateClient"] = f.db.UpdateClient(ctx, f.q, other, &cl)
	checks["SetClientArchived"] = f.db.SetClientArchived(ctx, other, f.client.ID, true)
	checks["DeleteClient"] = f.db.DeleteClient(ctx, other, f.client.ID)
	checks["SetRoundRevealed"] = f.db.SetRoundRevealed(ctx, other, f.round.ID, true)
	_, checks["CloseRound"] = f.db.CloseRound(ctx, f.q, other, f.round.ID)
	r2, _ := f.q.NewRound("x", "en")
	checks["CreateRound"] = f.db.CreateRound(ctx, other, f.client.ID, &r2)
	b2 := b
	checks["AddBattle"] = f.db.AddBattle(ctx, other, f.round.ID, &b2)
	checks["UpdateBattle"] = f.db.UpdateBattle(ctx, other, &b)
	checks["DeleteBattle"] = f.db.DeleteBattle(ctx, other, f.round.ID, b.ID)
	for name, err := range checks {
		if assessment.ErrorCode(err) != assessment.ENOTFOUND {
			t.Errorf("%s from workspace B = %v, want not found", name, err)
		}
	}
	if cs, err := f.db.Clients(ctx, other, false); err != nil || len(cs) != 0 {
		t.Errorf("Clients(B) = %v, %v, want none", cs, err)
	}
	if bs, err := f.db.Battles(ctx, other, f.round.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Battles(B) = %v, %v, want not found", bs, err)
	}
	if rs, err := f.db.Rounds(ctx, other, f.client.ID); err != nil || len(rs) != 0 {
		t.Errorf("Rounds(B) = %v, %v, want none", rs, err)
	}
	if pf, err := f.db.Portfolio(ctx, other); err != nil || len(pf) != 0 {
		t.Errorf("Portfolio(B) = %v, %v, want none", pf, err)
	}
	// Nothing changed in A.
	got, err := f.db.Client(ctx, f.a.ID, f.client.ID)
	if err != nil || got.Archived || got.Profile.Name != "Acme" {
		t.Errorf("Client(A) after B's attempts = %+v, %v", got, err)
	}
	if r, _ := f.db.Round(ctx, f.a.ID, f.round.ID); !r.Open() || r.Revealed {
		t.Errorf("round after B's attempts = %+v, want open and hidden", r)
	}
}

func TestParticipantsAndClose(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	if len(f.round.Code) < 43 || len(f.round.ShortCode) != assessment.ShortCodeLength {
		t.Fatalf("codes %q %q, want a 43-char link code and an 8-char short code", f.round.Code, f.round.ShortCode)
	}
	if r, err := f.db.OpenRoundByShortCode(ctx, f.round.ShortCode); err != nil || r.ID != f.round.ID {
		t.Fatalf("OpenRoundByShortCode = %v, %v", r, err)
	}
	if err := f.answer(t, "h1", false, wsFlat(2, 4)); err != nil {
		t.Fatal(err)
	}
	if err := f.answer(t, "h2", false, wsFlat(4, 5)); err != nil {
		t.Fatal(err)
	}
	// h1 changes their mind: still two participants, with h1's new answers.
	if err := f.answer(t, "h1", true, wsFlat(1, 3)); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.db.Round(ctx, f.a.ID, f.round.ID); r.Revision != 3 {
		t.Errorf("Revision after 3 saves = %d, want 3", r.Revision)
	}
	if err := f.answer(t, "nobody", true, wsFlat(1, 3)); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("replace with unknown token = %v, want not found", err)
	}
	ps, err := f.db.RoundParticipants(ctx, f.a.ID, f.round.ID)
	if err != nil || len(ps) != 2 || ps[0].Ratings[0].AsIs != 1 || ps[1].Ratings[20].ToBe != 5 {
		t.Fatalf("RoundParticipants = %+v, %v, want h1 (1→3) then h2 (4→5)", ps, err)
	}
	if p, err := f.db.Participant(ctx, f.round.ID, "h1"); err != nil || p.Ratings[5].ToBe != 3 {
		t.Errorf("Participant(h1) = %+v, %v", p, err)
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM pool_companies WHERE key = ?", f.client.PoolKey()); n != 0 {
		t.Errorf("pool has the client before any round closed")
	}

	closed, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID)
	if err != nil || closed.Open() {
		t.Fatalf("CloseRound = %+v, %v", closed, err)
	}
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("closing twice = %v, want conflict", err)
	}
	// Frozen: neither a new participant nor a change gets in.
	if err := f.answer(t, "h3", false, wsFlat(5, 5)); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("new answer after close = %v, want conflict", err)
	}
	if err := f.answer(t, "h1", true, wsFlat(5, 5)); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("changed answer after close = %v, want conflict", err)
	}
	if ps2, _ := f.db.RoundParticipants(ctx, f.a.ID, f.round.ID); len(ps2) != 2 || ps2[0].Ratings[0].AsIs != 1 {
		t.Errorf("participants after close = %+v", ps2)
	}
	if _, err := f.db.OpenRoundByShortCode(ctx, f.round.ShortCode); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("short code of a closed round = %v, want not found", err)
	}
	if _, err := f.db.RoundByCode(ctx, f.round.Code); err != nil {
		t.Errorf("RoundByCode(closed) = %v, want the round", err)
	}

	// The consenting client's closed round is in the pool, without its name.
	if n := queryInt(t, f.path, "SELECT count(*) FROM pool_companies WHERE key = ? AND industry = 'retail'", f.client.PoolKey()); n != 1 {
		t.Errorf("pool entries for the client = %d, want 1", n)
	}
	// Withdrawing consent takes it out; giving it again puts it back; archiving keeps it.
	c := *f.client
	c.BenchmarkConsent = false
	if err := f.db.UpdateClient(ctx, f.q, f.a.ID, &c); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM pool_companies WHERE key = ?", f.client.PoolKey()); n != 0 {
		t.Errorf("pool entries after consent withdrawn = %d, want 0", n)
	}
	c.BenchmarkConsent = true
	if err := f.db.UpdateClient(ctx, f.q, f.a.ID, &c); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetClientArchived(ctx, f.a.ID, c.ID, true); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM pool_companies WHERE key = ?", f.client.PoolKey()); n != 1 {
		t.Errorf("pool entries after consent given again and archive = %d, want 1", n)
	}
	if cs, _ := f.db.Clients(ctx, f.a.ID, true); len(cs) != 1 {
		t.Errorf("archived clients = %v, want Acme", cs)
	}

	// Deleting the client removes every answer of it and its pool entry.
	if err := f.db.DeleteClient(ctx, f.a.ID, c.ID); err != nil {
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

func TestNoConsentNoPool(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	c := *f.client
	c.BenchmarkConsent = false
	if err := f.db.UpdateClient(ctx, f.q, f.a.ID, &c); err != nil {
		t.Fatal(err)
	}
	if err := f.answer(t, "h1", false, wsFlat(2, 4)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM pool_companies"); n != 0 {
		t.Errorf("pool entries without consent = %d, want 0", n)
	}
}

func TestBattlesLimit(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	for i := 1; i <= assessment.MaxBattles; i++ {
		b, _ := f.q.NewBattle(i, "Initiative", "Owner", "2026-12-31", "")
		if err := f.db.AddBattle(ctx, f.a.ID, f.round.ID, &b); err != nil {
			t.Fatalf("battle %d: %v", i, err)
		}
	}
	b, _ := f.q.NewBattle(6, "One too many", "", "", "")
	if err := f.db.AddBattle(ctx, f.a.ID, f.round.ID, &b); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("sixth battle = %v, want conflict", err)
	}
	bs, err := f.db.Battles(ctx, f.a.ID, f.round.ID)
	if err != nil || len(bs) != 5 || bs[0].Competency != 1 || bs[0].Due != "2026-12-31" {
		t.Fatalf("Battles = %+v, %v", bs, err)
	}
	bs[0].Status = assessment.BattleDone
	if err := f.db.UpdateBattle(ctx, f.a.ID, &bs[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.db.DeleteBattle(ctx, f.a.ID, f.round.ID, bs[1].ID); err != nil {
		t.Fatal(err)
	}
	bs, _ = f.db.Battles(ctx, f.a.ID, f.round.ID)
	if len(bs) != 4 || bs[0].Status != assessment.BattleDone {
		t.Errorf("after update and delete = %+v", bs)
	}
}

func TestUsersSessionsTokens(t *testing.T) {
	ctx := context.Background()
	f := newWSFixture(t)
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	f.db.Now = func() time.Time { return now }
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
	if n := queryInt(t, f.path, "SELECT count(*) FROM sessions"); n != 1 {
		t.Errorf("sessions = %d, want the expired one cleaned up", n)
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

// TestMemberManagement removes members and changes roles under the workspace's rules, and
// checks that a removed member's sessions and API tokens go with them and nothing of
// another member or workspace is touched.
func TestMemberManagement(t *testing.T) {
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
	if n := queryInt(t, f.path, "SELECT count(*) FROM users"); n != 4 {
		t.Fatalf("users after refusals = %d, want 4", n)
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM users WHERE role = 'admin'"); n != 2 {
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
	for _, q := range []string{
		"SELECT count(*) FROM users WHERE email = 'dora@alpha.example'",
		"SELECT count(*) FROM sessions WHERE token_hash = 'sess-dora@alpha.example'",
		"SELECT count(*) FROM api_tokens WHERE token_hash = 'tok-dora@alpha.example'",
	} {
		if n := queryInt(t, f.path, q); n != 0 {
			t.Errorf("%s = %d after removal, want 0", q, n)
		}
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM sessions"); n != 3 {
		t.Errorf("sessions left = %d, want 3 (Ann, Carl, Bob)", n)
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM api_tokens"); n != 3 {
		t.Errorf("API tokens left = %d, want 3 (Ann, Carl, Bob)", n)
	}
	if _, err := f.db.Session(ctx, "sess-dora@alpha.example"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("Dora's session after removal = %v, want unauthorized", err)
	}
	if _, err := f.db.APITokenUser(ctx, "tok-dora@alpha.example"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED {
		t.Errorf("Dora's API token after removal = %v, want unauthorized", err)
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

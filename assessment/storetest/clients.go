package storetest

import (
	"context"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

var clientTests = []test{
	{"workspace isolation", testWorkspaceIsolation},
	{"participants, close and the pool", testParticipantsAndClose},
	{"no consent, no pool", testNoConsentNoPool},
}

func testWorkspaceIsolation(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	if err := f.answer(t, "h1", false, Flat(2, 4)); err != nil {
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

// testParticipantsAndClose: participants answer and change their answers until the round
// closes; a closed round is frozen and puts its consenting client in the pool, without its
// name; consent and deletion take the client out again. (That deleting a client leaves no
// row of its rounds, participants, answers and battles is a storage detail each engine
// checks itself.)
func testParticipantsAndClose(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	pooled := func() (assessment.PoolEntry, bool) { return inPool(t, f.db, f.client.PoolKey()) }
	if len(f.round.Code) < 43 || len(f.round.ShortCode) != assessment.ShortCodeLength {
		t.Fatalf("codes %q %q, want a 43-char link code and an 8-char short code", f.round.Code, f.round.ShortCode)
	}
	if r, err := f.db.OpenRoundByShortCode(ctx, f.round.ShortCode); err != nil || r.ID != f.round.ID {
		t.Fatalf("OpenRoundByShortCode = %v, %v", r, err)
	}
	if err := f.answer(t, "h1", false, Flat(2, 4)); err != nil {
		t.Fatal(err)
	}
	if err := f.answer(t, "h2", false, Flat(4, 5)); err != nil {
		t.Fatal(err)
	}
	// h1 changes their mind: still two participants, with h1's new answers.
	if err := f.answer(t, "h1", true, Flat(1, 3)); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.db.Round(ctx, f.a.ID, f.round.ID); r.Revision != 3 {
		t.Errorf("Revision after 3 saves = %d, want 3", r.Revision)
	}
	if err := f.answer(t, "nobody", true, Flat(1, 3)); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("replace with unknown token = %v, want not found", err)
	}
	ps, err := f.db.RoundParticipants(ctx, f.a.ID, f.round.ID)
	if err != nil || len(ps) != 2 || ps[0].Ratings[0].AsIs != 1 || ps[1].Ratings[20].ToBe != 5 {
		t.Fatalf("RoundParticipants = %+v, %v, want h1 (1→3) then h2 (4→5)", ps, err)
	}
	if p, err := f.db.Participant(ctx, f.round.ID, "h1"); err != nil || p.Ratings[5].ToBe != 3 {
		t.Errorf("Participant(h1) = %+v, %v", p, err)
	}
	if _, ok := pooled(); ok {
		t.Errorf("pool has the client before any round closed")
	}
	// A third: a round's result, and so its pool entry, counts nobody below
	// min_participants_for_detail.
	if err := f.answer(t, "h0", false, Flat(3, 3)); err != nil {
		t.Fatal(err)
	}

	closed, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID)
	if err != nil || closed.Open() {
		t.Fatalf("CloseRound = %+v, %v", closed, err)
	}
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("closing twice = %v, want conflict", err)
	}
	// Frozen: neither a new participant nor a change gets in.
	if err := f.answer(t, "h3", false, Flat(5, 5)); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("new answer after close = %v, want conflict", err)
	}
	if err := f.answer(t, "h1", true, Flat(5, 5)); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("changed answer after close = %v, want conflict", err)
	}
	if ps2, _ := f.db.RoundParticipants(ctx, f.a.ID, f.round.ID); len(ps2) != 3 || ps2[0].Ratings[0].AsIs != 1 {
		t.Errorf("participants after close = %+v", ps2)
	}
	if _, err := f.db.OpenRoundByShortCode(ctx, f.round.ShortCode); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("short code of a closed round = %v, want not found", err)
	}
	if _, err := f.db.RoundByCode(ctx, f.round.Code); err != nil {
		t.Errorf("RoundByCode(closed) = %v, want the round", err)
	}

	// The consenting client's closed round is in the pool, without its name.
	if e, ok := pooled(); !ok || e.Profile.Industry != "retail" || e.Profile.Name != "" {
		t.Errorf("pool entry for the client = %+v (%v), want one in retail, without a name", e, ok)
	}
	// Withdrawing consent takes it out; giving it again puts it back; archiving keeps it.
	c := *f.client
	c.BenchmarkConsent = false
	if err := f.db.UpdateClient(ctx, f.q, f.a.ID, &c); err != nil {
		t.Fatal(err)
	}
	if _, ok := pooled(); ok {
		t.Errorf("pool entry after consent withdrawn, want none")
	}
	c.BenchmarkConsent = true
	if err := f.db.UpdateClient(ctx, f.q, f.a.ID, &c); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetClientArchived(ctx, f.a.ID, c.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, ok := pooled(); !ok {
		t.Errorf("no pool entry after consent given again and archive, want 1")
	}
	if cs, _ := f.db.Clients(ctx, f.a.ID, true); len(cs) != 1 {
		t.Errorf("archived clients = %v, want Acme", cs)
	}

	// Deleting the client removes it, its rounds, every answer of it and its pool entry.
	if err := f.db.DeleteClient(ctx, f.a.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Client(ctx, f.a.ID, c.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Client after delete = %v, want not found", err)
	}
	for _, archived := range []bool{false, true} {
		if cs, err := f.db.Clients(ctx, f.a.ID, archived); err != nil || len(cs) != 0 {
			t.Errorf("Clients(archived %v) after delete = %v, %v; want none", archived, cs, err)
		}
	}
	if _, err := f.db.Round(ctx, f.a.ID, f.round.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Round after delete = %v, want not found", err)
	}
	if _, err := f.db.RoundByCode(ctx, f.round.Code); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("RoundByCode after delete = %v, want not found", err)
	}
	if _, err := f.db.Participant(ctx, f.round.ID, "h1"); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("Participant after delete = %v, want not found", err)
	}
	if _, ok := pooled(); ok {
		t.Errorf("pool entry after delete, want none")
	}
	if n := poolSize(t, f.db); n != 0 {
		t.Errorf("pool after delete = %d companies, want 0", n)
	}
}

func testNoConsentNoPool(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	c := *f.client
	c.BenchmarkConsent = false
	if err := f.db.UpdateClient(ctx, f.q, f.a.ID, &c); err != nil {
		t.Fatal(err)
	}
	if err := f.answer(t, "h1", false, Flat(2, 4)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); err != nil {
		t.Fatal(err)
	}
	if n := poolSize(t, f.db); n != 0 {
		t.Errorf("pool entries without consent = %d, want 0", n)
	}
}

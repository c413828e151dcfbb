package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var roundTests = []test{
	{"join, draft, finish", testJoinDraftFinish},
	{"remove a participant", testRemoveParticipant},
	{"re-open keeps the pool exact", testReopenKeepsPoolExact},
	{"open rounds are counted", testOpenRounds},
	{"watchers hear of rounds' changes", testWatchRounds},
}

// testOpenRounds counts open rounds by kind as they are opened, closed and reopened.
func testOpenRounds(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d) // one open workshop round
	check := func(step string, wantWorkshop, wantTeam int) {
		t.Helper()
		w, tm, err := f.db.OpenRounds(ctx)
		if err != nil || w != wantWorkshop || tm != wantTeam {
			t.Errorf("%s: OpenRounds = %d, %d, %v; want %d, %d", step, w, tm, err, wantWorkshop, wantTeam)
		}
	}
	check("one round opened", 1, 0)
	r, err := f.q.NewRound("Follow-up", "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.CreateRound(ctx, f.a.ID, f.client.ID, &r); err != nil {
		t.Fatal(err)
	}
	check("second round opened", 2, 0)
	openTeam(t, f)
	check("team round opened", 2, 1)
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); err != nil {
		t.Fatal(err)
	}
	check("first round closed", 1, 1)
	if _, err := f.db.ReopenRound(ctx, f.q, f.a.ID, f.round.ID); err != nil {
		t.Fatal(err)
	}
	check("first round reopened", 2, 1)
}

// testJoinDraftFinish follows participants from joining through answering to finishing:
// labels are unique and drawn at random, drafts are kept, progress counts by status, and
// every step bumps the revision the live views poll.
func testJoinDraftFinish(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	labels := map[string]bool{}
	for _, tok := range []string{"a", "b", "c"} {
		p := assessment.Participant{Name: "Name " + tok}
		if err := f.db.JoinRound(ctx, f.round.Code, tok, &p); err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || len(p.Label) < 2 || p.Label[0] != 'P' || labels[p.Label] {
			t.Fatalf("joined participant = %+v, want a new id and a fresh P-label", p)
		}
		labels[p.Label] = true
	}
	// a taps two answers of competency 1 and one of competency 2; b finishes.
	for _, d := range []struct {
		comp  int
		field string
		v     int
	}{{1, "as_is", 2}, {1, "to_be", 4}, {2, "as_is", 3}, {1, "as_is", 3}} {
		if err := f.db.SaveDraftAnswer(ctx, f.round.Code, "a", d.comp, d.field, d.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.answer(t, "b", true, Flat(2, 4)); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SaveDraftAnswer(ctx, f.round.Code, "nobody", 1, "as_is", 2); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("draft of an unknown participant = %v, want not found", err)
	}
	ps, err := f.db.RoundParticipants(ctx, f.a.ID, f.round.ID)
	if err != nil || len(ps) != 3 {
		t.Fatalf("RoundParticipants = %d, %v", len(ps), err)
	}
	a := ps[0]
	if a.Draft[0].AsIs != 3 || a.Draft[0].ToBe != 4 || a.Draft[1].AsIs != 2+1 || a.Answered() != 1 || a.Finished() {
		t.Errorf("a's draft = %+v %+v, answered %d, finished %v; want 3→4, 3→?, 1, no", a.Draft[0], a.Draft[1], a.Answered(), a.Finished())
	}
	if got, want := assessment.ProgressOf(ps), (assessment.Progress{Joined: 3, Answering: 1, Finished: 1}); got != want {
		t.Errorf("progress = %+v, want %+v", got, want)
	}
	// 3 joins + 4 drafts + 1 finish.
	if r, _ := f.db.Round(ctx, f.a.ID, f.round.ID); r.Revision != 8 {
		t.Errorf("revision = %d, want 8", r.Revision)
	}
	// A finished participant's tap changes their finished answers too.
	if err := f.db.SaveDraftAnswer(ctx, f.round.Code, "b", 21, "to_be", 5); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.db.Participant(ctx, f.round.ID, "b"); p.Ratings[20].ToBe != 5 || p.Draft[20].ToBe != 5 || !p.Finished() {
		t.Errorf("b after a tap = %+v / draft %+v", p.Ratings[20], p.Draft[20])
	}
}

// testRemoveParticipant removes a duplicate entry from an open round: the participant and
// their answers go at once (their published row, if any, leaves with a later publication);
// from a closed round it is ECONFLICT and nothing changes.
func testRemoveParticipant(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	for tok, r := range map[string]assessment.Ratings{"a": Flat(2, 4), "b": Flat(4, 4), "dup": Flat(4, 4)} {
		if err := f.answer(t, tok, false, r); err != nil {
			t.Fatal(err)
		}
	}
	ps, _ := f.db.RoundParticipants(ctx, f.a.ID, f.round.ID)
	var dup int64
	for _, p := range ps {
		if p.Ratings[0].AsIs == 4 {
			dup = p.ID
		}
	}
	if err := f.db.RemoveParticipant(ctx, f.a.ID, f.round.ID, dup); err != nil {
		t.Fatal(err)
	}
	ps, _ = f.db.RoundParticipants(ctx, f.a.ID, f.round.ID)
	agg := f.q.Aggregate(assessment.FinishedRatings(ps))
	// Left: 2 and one 4 → mean AS-IS 3.
	if agg.Participants != 2 || agg.Competencies[0].AsIs.Mean != 3 {
		t.Errorf("after removal: %d participants, mean %g; want 2, 3", agg.Participants, agg.Competencies[0].AsIs.Mean)
	}
	if err := f.db.RemoveParticipant(ctx, f.b.ID, f.round.ID, ps[0].ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("removal from another workspace = %v, want not found", err)
	}
	if err := f.db.RemoveParticipant(ctx, f.a.ID, f.round.ID, dup); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("removing twice = %v, want not found", err)
	}
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.db.RemoveParticipant(ctx, f.a.ID, f.round.ID, ps[0].ID); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("removal from a closed round = %v, want conflict", err)
	}
	if after, _ := f.db.RoundParticipants(ctx, f.a.ID, f.round.ID); len(after) != 2 {
		t.Errorf("after a refused removal: %d participants, want 2", len(after))
	}
}

// testReopenKeepsPoolExact closes, re-opens and closes a round again and checks after each
// step that the pool holds exactly the companies it should, with the right answers.
func testReopenKeepsPoolExact(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	companies := func() int { return poolSize(t, f.db) }
	// overall is the client's overall AS-IS in the pool, in 1/10,000 points (0: no entry).
	overall := func() int64 {
		e, ok, err := f.db.PoolEntry(ctx, f.client.PoolKey())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return 0
		}
		return e.AsIs[0]
	}
	// Three alike: a round's result counts nobody below min_participants_for_detail.
	for _, tok := range []string{"a", "b", "c"} {
		if err := f.answer(t, tok, false, Flat(2, 4)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); err != nil {
		t.Fatal(err)
	}
	if companies() != 1 || overall() != 20000 {
		t.Fatalf("after close: %d companies, overall %d; want 1 at 2", companies(), overall())
	}
	r, err := f.db.ReopenRound(ctx, f.q, f.a.ID, f.round.ID)
	if err != nil || !r.Open() {
		t.Fatalf("ReopenRound = %+v, %v", r, err)
	}
	if companies() != 0 {
		t.Errorf("after re-open: %d companies, want 0", companies())
	}
	if _, err := f.db.ReopenRound(ctx, f.q, f.a.ID, f.round.ID); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("re-opening an open round = %v, want conflict", err)
	}
	// While open it takes answers again; three changed at once enter the result.
	for _, tok := range []string{"a", "b", "c"} {
		if err := f.answer(t, tok, true, Flat(3, 4)); err != nil {
			t.Errorf("answer in a re-opened round = %v", err)
		}
	}
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, f.round.ID); err != nil {
		t.Fatal(err)
	}
	if companies() != 1 || overall() != 30000 {
		t.Errorf("after closing again: %d companies, overall %d; want 1 with the re-closed round's answers (3)", companies(), overall())
	}

	// A client with an earlier closed round is represented by it while the later one is open.
	r2, _ := f.q.NewRound("Follow-up", "en")
	if err := f.db.CreateRound(ctx, f.a.ID, f.client.ID, &r2); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"x", "y", "z"} {
		p := assessment.Participant{Ratings: Flat(5, 5)}
		if err := f.db.SaveParticipant(ctx, r2.Code, tok, false, &p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.db.CloseRound(ctx, f.q, f.a.ID, r2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ReopenRound(ctx, f.q, f.a.ID, r2.ID); err != nil {
		t.Fatal(err)
	}
	if companies() != 1 || overall() != 30000 {
		t.Errorf("with the follow-up re-opened the client is %d companies (overall %d), want 1 from the first round (3)", companies(), overall())
	}
}

// change is one call of a WatchRounds watcher.
type change struct{ round, revision int64 }

// watch registers a watcher on db that sends what it hears on the channels it returns.
func watch(t *testing.T, db Store) (changes chan change, lost chan struct{}) {
	changes, lost = make(chan change, 64), make(chan struct{}, 64)
	stop := db.WatchRounds(func(round, revision int64) { changes <- change{round, revision} },
		func() { lost <- struct{}{} })
	t.Cleanup(stop)
	return changes, lost
}

// waitFor is how long a test waits for a change that must come: a bound on failure, not a
// measurement (the test goes on as soon as it comes).
const waitFor = 20 * time.Second

// testWatchRounds: every committed change of a round is told to the watchers with the
// round's new revision, a refused one is not, a stopped watcher hears nothing more, and on
// PostgreSQL another handle (another instance) hears the changes too.
func testWatchRounds(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	changes, _ := watch(t, f.db)
	// told reports whether want was told; older changes told late (PostgreSQL's
	// notifications of this handle's own commits) are passed over.
	told := func(want change) bool {
		for {
			select {
			case c := <-changes:
				if c == want {
					return true
				}
				if c.round != want.round || c.revision > want.revision {
					t.Errorf("told %+v while waiting for %+v", c, want)
				}
			default:
				return false
			}
		}
	}
	revision := func() int64 {
		r, err := f.db.Round(ctx, f.a.ID, f.round.ID)
		if err != nil {
			t.Fatal(err)
		}
		return r.Revision
	}
	steps := []struct {
		name string
		do   func() error
	}{
		{"a participant answers", func() error { return f.answer(t, "h1", false, Flat(2, 4)) }},
		{"the result is revealed", func() error { return f.db.SetRoundRevealed(ctx, f.a.ID, f.round.ID, true) }},
		{"a countdown starts", func() error {
			return f.db.SetRoundDeadline(ctx, f.a.ID, f.round.ID, time.Now().Add(time.Minute))
		}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if want := (change{f.round.ID, revision()}); !told(want) {
			t.Errorf("%s: %+v not told when the change returned", s.name, want)
		}
	}
	// A refused change (another workspace's round) commits nothing and tells nothing.
	if err := f.db.SetRoundRevealed(ctx, f.b.ID, f.round.ID, false); err == nil {
		t.Fatal("revealing another workspace's round succeeded")
	}
	if engine(f.db) == "sqlite" {
		select {
		case c := <-changes:
			t.Errorf("a refused change told %+v", c)
		default:
		}
	}

	if engine(f.db) != "postgres" {
		return
	}
	// Another instance on the database: its listening connection hears the change committed
	// here, once it listens (lost tells that it does).
	other := d.Open(t, nil)
	theirs, listening := watch(t, other)
	select {
	case <-listening:
	case <-time.After(waitFor):
		t.Fatal("the other handle's listening connection did not start")
	}
	if err := f.answer(t, "h2", false, Flat(3, 3)); err != nil {
		t.Fatal(err)
	}
	want := change{f.round.ID, revision()}
	for {
		select {
		case c := <-theirs:
			if c.revision < want.revision {
				continue // an earlier change, notified late
			}
			if c != want {
				t.Errorf("the other instance was told %+v, want %+v", c, want)
			}
			return
		case <-time.After(waitFor):
			t.Fatalf("the other instance was not told of %+v", want)
		}
	}
}

// engine names the store's engine, "sqlite" or "postgres".
func engine(db Store) string {
	if e, ok := db.(interface{ Engine() string }); ok {
		return e.Engine()
	}
	return ""
}

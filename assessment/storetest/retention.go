package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var retentionTests = []test{
	{"remove older than", testRemoveOlderThan},
}

// testRemoveOlderThan: with the cutoff 1 January 2025, a run deletes the results taken
// before it and the participants of rounds closed before it, with their pool entries and
// their rows in release snapshots, and nothing else:
//
//	results   anonymous 2024-01 (consent, verified) → deleted, its entry too
//	          Acme 2024-02 (consent, verified)      → deleted; Acme's entry is its 2026 test's: stays
//	          Acme 2026-02 (consent, verified)      → stays
//	          anonymous 2026-03                     → stays
//	client 1  round closed 2024-03, 2 participants → deleted
//	          round closed 2026-06, 1 participant  → stays, and is the client's entry
//	client 2  round closed 2024-04, 1 participant  → deleted; the client leaves the pool
//	client 3  round opened 2024-05, still open, 1 participant → untouched
//
// Removed: 2 results, 3 participants, 2 pool entries (the anonymous test, client 2). A second
// run removes nothing.
func testRemoveOlderThan(t *testing.T, d Database) {
	ctx := context.Background()
	q := Questionnaire(t)
	var now time.Time
	db := d.Open(t, func() time.Time { return now })
	at := func(y int, m time.Month) { now = time.Date(y, m, 1, 12, 0, 0, 0, time.UTC) }

	at(2024, 1)
	anonOld := Submit(t, q, db, "", "", "retail", true, 2)
	Verify(t, q, db, anonOld)
	at(2024, 2)
	acmeOld := Submit(t, q, db, "Acme", "DK", "retail", true, 2)
	Verify(t, q, db, acmeOld)
	at(2026, 2)
	acmeNew := Submit(t, q, db, "Acme", "DK", "retail", true, 4)
	Verify(t, q, db, acmeNew)
	at(2026, 3)
	anonNew := Submit(t, q, db, "", "", "", false, 3)

	ws, err := db.EnsureWorkspace(ctx, "W")
	if err != nil {
		t.Fatal(err)
	}
	client := func(name string) *assessment.Client {
		c, err := q.NewClient(assessment.Company{Name: name, Industry: "retail"}, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateClient(ctx, ws.ID, &c); err != nil {
			t.Fatal(err)
		}
		return &c
	}
	participant := 0
	round := func(c *assessment.Client, opened time.Month, year, people int, close bool) *assessment.Round {
		at(year, opened)
		r, err := q.NewRound("R", "en")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateRound(ctx, ws.ID, c.ID, &r); err != nil {
			t.Fatal(err)
		}
		for range people {
			participant++
			p := assessment.Participant{Name: "P", Ratings: Flat(3, 4)}
			if err := db.SaveParticipant(ctx, r.Code, fmt.Sprintf("p%d", participant), false, &p); err != nil {
				t.Fatal(err)
			}
		}
		if close {
			if _, err := db.CloseRound(ctx, q, ws.ID, r.ID); err != nil {
				t.Fatal(err)
			}
		}
		return &r
	}
	c1, c2, c3 := client("One"), client("Two"), client("Three")
	// Three each: a round's result counts nobody below min_participants_for_detail.
	old1 := round(c1, 3, 2024, 3, true)
	new1 := round(c1, 6, 2026, 3, true)
	round(c2, 4, 2024, 3, true)
	open3 := round(c3, 5, 2024, 3, false)
	// Pool: anonymous 2024, Acme (2026), clients 1 and 2.
	if n := poolSize(t, db); n != 4 {
		t.Fatalf("pool before = %d, want 4", n)
	}
	// A release with 5 demo companies, so that its snapshot holds all four.
	var demo []assessment.PoolEntry
	for i := range 5 {
		e := q.NewPoolEntry(fmt.Sprintf("demo:r:%d", i), assessment.Company{}, Flat(3, 4), now)
		e.Synthetic = true
		demo = append(demo, e)
	}
	if err := db.AddSynthetic(ctx, demo); err != nil {
		t.Fatal(err)
	}
	if made, err := db.MakeRelease(ctx, q, true, ZeroNoise{}); err != nil || !made {
		t.Fatalf("MakeRelease = %v, %v", made, err)
	}
	st, err := db.ReleaseStatus(ctx, q.Version, true)
	if err != nil || st.Latest == 0 {
		t.Fatalf("ReleaseStatus = %+v, %v; want the release", st, err)
	}
	// kept counts a company's entries in the snapshot (an erased one has no key).
	kept := func(key string) int {
		t.Helper()
		e, err := db.SnapshotEntry(ctx, st.Latest, 0, key)
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			return 0
		}
		return 1
	}
	if kept("anon:"+anonOld.Token) != 1 || kept(c2.PoolKey()) != 1 {
		t.Fatal("the release snapshot does not hold the old test and client 2")
	}
	revision := func(id int64) int64 {
		t.Helper()
		r, err := db.Round(ctx, ws.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		return r.Revision
	}
	oldRevision := revision(old1.ID)

	at(2026, 11)
	cutoff := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	got, err := db.RemoveOlderThan(ctx, q, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if want := (assessment.Removed{Results: 2, Participants: 6, PoolEntries: 2}); got != want {
		t.Errorf("RemoveOlderThan = %+v, want %+v", got, want)
	}
	for _, a := range []*assessment.Assessment{anonOld, acmeOld} {
		if _, err := db.Assessment(ctx, a.Token); assessment.ErrorCode(err) != assessment.ENOTFOUND {
			t.Errorf("result of %v is still there: %v", a.CreatedAt, err)
		}
	}
	for _, a := range []*assessment.Assessment{acmeNew, anonNew} {
		if _, err := db.Assessment(ctx, a.Token); err != nil {
			t.Errorf("result of %v = %v, want kept", a.CreatedAt, err)
		}
	}
	for _, k := range []struct {
		key  string
		kept bool
	}{{"anon:" + anonOld.Token, false}, {assessment.CompanyKey(acmeNew), true}, {c1.PoolKey(), true}, {c2.PoolKey(), false}} {
		if _, ok, _ := db.PoolEntry(ctx, k.key); ok != k.kept {
			t.Errorf("pool entry %s kept = %v, want %v", k.key, ok, k.kept)
		}
	}
	if e, _, _ := db.PoolEntry(ctx, c1.PoolKey()); !e.At.Equal(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("client 1's entry is from %v, want its round closed 1 June 2026", e.At)
	}
	// The snapshot loses what was deleted (the old test, client 2's old round) and keeps the
	// rest: Acme's 2026 test and client 1's 2026 round. (Erased rows stay, without key or
	// answers, so that the next release counts them as companies that left; the demo
	// companies, which a snapshot holds without answers, stay too: storage details each
	// engine checks itself.)
	for _, k := range []struct {
		key  string
		want int
	}{{"anon:" + anonOld.Token, 0}, {c2.PoolKey(), 0}, {assessment.CompanyKey(acmeNew), 1}, {c1.PoolKey(), 1}} {
		if got := kept(k.key); got != k.want {
			t.Errorf("snapshot rows of %s = %d, want %d", k.key, got, k.want)
		}
	}
	for _, r := range []struct {
		id   int64
		want int
	}{{old1.ID, 0}, {new1.ID, 3}, {open3.ID, 3}} {
		if ps, err := db.RoundParticipants(ctx, ws.ID, r.id); err != nil || len(ps) != r.want {
			t.Errorf("round %d has %d participants (%v), want %d", r.id, len(ps), err, r.want)
		}
	}
	if revision(old1.ID) == oldRevision {
		t.Error("the revision of a round whose participants were deleted did not change")
	}
	rounds := 0
	for _, c := range []*assessment.Client{c1, c2, c3} {
		rs, err := db.Rounds(ctx, ws.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		rounds += len(rs)
	}
	if rounds != 4 {
		t.Errorf("rounds = %d, want all 4 kept", rounds)
	}

	again, err := db.RemoveOlderThan(ctx, q, cutoff)
	if err != nil || again != (assessment.Removed{}) {
		t.Errorf("a second run = %+v, %v; want nothing removed", again, err)
	}
}

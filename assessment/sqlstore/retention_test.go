package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/storetest"
)

// TestRemoveOlderThanLeavesNoRows: the conformance suite's scenario (storetest, "remove
// older than") seen in the rows: the deleted companies' snapshot rows are erased, without
// key or answers; the demo companies' rows, which hold no answers, stay; no answer of a
// deleted participant is left.
func TestRemoveOlderThanLeavesNoRows(t *testing.T) {
	ctx := context.Background()
	q := storetest.Questionnaire(t)
	path := filepath.Join(t.TempDir(), "retention.db")
	db := open(t, path)
	var now time.Time
	db.Now = func() time.Time { return now }
	at := func(y int, m time.Month) { now = time.Date(y, m, 1, 12, 0, 0, 0, time.UTC) }

	at(2024, 1)
	anonOld := storetest.Submit(t, q, db, "", "", "retail", true, 2)
	storetest.Verify(t, q, db, anonOld)
	at(2024, 2)
	acmeOld := storetest.Submit(t, q, db, "Acme", "DK", "retail", true, 2)
	storetest.Verify(t, q, db, acmeOld)
	at(2026, 2)
	acmeNew := storetest.Submit(t, q, db, "Acme", "DK", "retail", true, 4)
	storetest.Verify(t, q, db, acmeNew)
	at(2026, 3)
	storetest.Submit(t, q, db, "", "", "", false, 3)

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
			p := assessment.Participant{Name: "P", Ratings: storetest.Flat(3, 4)}
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
	round(c1, 3, 2024, 3, true)
	round(c1, 6, 2026, 3, true)
	round(c2, 4, 2024, 3, true)
	round(c3, 5, 2024, 3, false)
	// Pool: anonymous 2024, Acme (2026), clients 1 and 2.
	if n := queryInt(t, path, "SELECT count(*) FROM pool_companies"); n != 4 {
		t.Fatalf("pool before = %d, want 4", n)
	}
	// A release with 5 demo companies, so that its snapshot holds all four.
	var demo []assessment.PoolEntry
	for i := range 5 {
		e := q.NewPoolEntry(fmt.Sprintf("demo:r:%d", i), assessment.Company{}, storetest.Flat(3, 4), now)
		e.Synthetic = true
		demo = append(demo, e)
	}
	if err := db.AddSynthetic(ctx, demo); err != nil {
		t.Fatal(err)
	}
	if made, err := db.MakeRelease(ctx, q, true, storetest.ZeroNoise{}); err != nil || !made {
		t.Fatalf("MakeRelease = %v, %v", made, err)
	}
	// kept counts a company's rows in the snapshot (an erased row has no key).
	kept := func(key string) int {
		return queryInt(t, path, "SELECT count(*) FROM bench_snapshot WHERE key = ?", key)
	}
	if kept("anon:"+anonOld.Token) != 1 || kept(c2.PoolKey()) != 1 {
		t.Fatal("the release snapshot does not hold the old test and client 2")
	}

	at(2026, 11)
	cutoff := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.RemoveOlderThan(ctx, q, cutoff); err != nil {
		t.Fatal(err)
	}
	for _, k := range []struct {
		key  string
		want int
	}{{"anon:" + anonOld.Token, 0}, {c2.PoolKey(), 0}, {assessment.CompanyKey(acmeNew), 1}, {c1.PoolKey(), 1}, {"demo:r:0", 1}} {
		if got := kept(k.key); got != k.want {
			t.Errorf("snapshot rows of %s = %d, want %d", k.key, got, k.want)
		}
	}
	if n := queryInt(t, path, "SELECT count(*) FROM bench_snapshot WHERE key = '' AND as_is IS NULL AND to_be IS NULL"); n != 2 {
		t.Errorf("erased snapshot rows = %d, want 2, without answers", n)
	}
	if n := queryInt(t, path, "SELECT count(*) FROM participant_answers WHERE participant_id NOT IN (SELECT id FROM participants)"); n != 0 {
		t.Errorf("%d answers of deleted participants left", n)
	} // A round's publication holds copies of the answers: the old rounds' go with them.
	if n := queryInt(t, path, "SELECT count(*) FROM rounds WHERE closed_at < ? AND published <> ''", "2025"); n != 0 {
		t.Errorf("%d old rounds still hold a publication of deleted answers", n)
	}
	if n := queryInt(t, path, "SELECT count(*) FROM rounds WHERE closed_at > ? AND published <> ''", "2026"); n != 1 {
		t.Errorf("%d new closed rounds hold a publication, want 1", n)
	}
}

// TestRemoveOlderThanInBatches: 5 old results deleted 2 at a time (batches of 2, 2 and 1)
// are all deleted and counted once; the new one stays.
func TestRemoveOlderThanInBatches(t *testing.T) {
	ctx := context.Background()
	q := storetest.Questionnaire(t)
	sqlstore.SetRetentionBatch(t, 2)
	db := open(t, filepath.Join(t.TempDir(), "batches.db"))
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { now = now.Add(time.Hour); return now }
	for range 5 {
		storetest.Verify(t, q, db, storetest.Submit(t, q, db, "", "", "", true, 2))
	}
	now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	kept := storetest.Submit(t, q, db, "", "", "", true, 3)
	got, err := db.RemoveOlderThan(ctx, q, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if want := (assessment.Removed{Results: 5, PoolEntries: 5}); err != nil || got != want {
		t.Errorf("RemoveOlderThan = %+v, %v; want %+v", got, err, want)
	}
	if _, err := db.Assessment(ctx, kept.Token); err != nil {
		t.Errorf("the new result = %v, want kept", err)
	}
}

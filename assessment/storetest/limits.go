package storetest

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"
)

var limitTests = []test{
	{"failures", testFailures},
	{"prune failures", testPruneFailures},
}

// testFailures: failures are kept per scope and key, read oldest first from a time on,
// survive closing the database, are cleared per key, and recording one deletes the scope's
// failures older than the given time (and only the scope's).
func testFailures(t *testing.T, d Database) {
	ctx := context.Background()
	db := d.Open(t, nil)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	never := time.Time{}
	for _, f := range []struct {
		scope, key string
		min        int
	}{
		{"login-ip", "a", 0}, {"login-ip", "a", 10}, {"login-ip", "b", 5}, {"login-ip", "a", 3},
		{"join-ip", "a", 1},
	} {
		if err := db.AddFailure(ctx, f.scope, f.key, at(f.min), never); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Failures(ctx, "login-ip", "a", at(3))
	if err != nil {
		t.Fatal(err)
	}
	if want := []time.Time{at(3), at(10)}; !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("Failures(login-ip, a, 09:03) = %v, want %v (from 09:03 on, oldest first)", got, want)
	}

	// Reopened, the failures are still there.
	db.Close()
	db = d.Open(t, nil)
	if got, _ := db.Failures(ctx, "login-ip", "a", never); len(got) != 3 {
		t.Errorf("after reopening, %d failures of login-ip a, want 3", len(got))
	}

	// A failure at 09:20 forgetting 09:03 and before deletes login-ip's 09:00 and 09:03 (a),
	// keeps 09:05 (b) and 09:10 (a), and leaves join-ip alone.
	if err := db.AddFailure(ctx, "login-ip", "c", at(20), at(3)); err != nil {
		t.Fatal(err)
	}
	for _, k := range []struct {
		scope, key string
		want       []time.Time
	}{
		{"login-ip", "a", []time.Time{at(10)}},
		{"login-ip", "b", []time.Time{at(5)}},
		{"login-ip", "c", []time.Time{at(20)}},
		{"join-ip", "a", []time.Time{at(1)}}, // another scope is not pruned
	} {
		if got, err := db.Failures(ctx, k.scope, k.key, never); err != nil || !slices.EqualFunc(got, k.want, time.Time.Equal) {
			t.Errorf("after pruning, Failures(%s, %s) = %v, %v; want %v", k.scope, k.key, got, err, k.want)
		}
	}
	if err := db.ClearFailures(ctx, "login-ip", "a"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Failures(ctx, "login-ip", "a", never); len(got) != 0 {
		t.Errorf("after ClearFailures, %d failures of a, want 0", len(got))
	}
	if got, _ := db.Failures(ctx, "login-ip", "b", never); len(got) != 1 {
		t.Errorf("ClearFailures(a) touched b: %d failures, want 1", len(got))
	}
}

// testPruneFailures: every scope's failures at or before the time given go; later ones stay.
func testPruneFailures(t *testing.T, d Database) {
	ctx := context.Background()
	db := d.Open(t, nil)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	scopes := []string{"login-ip", "join-ip", "login-account"}
	for i, scope := range scopes {
		for m := range 3 {
			if err := db.AddFailure(ctx, scope, "k"+strconv.Itoa(i), t0.Add(time.Duration(m)*time.Minute), time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// 09:00, 09:01 and 09:02 in each of 3 scopes; pruning up to 09:01 deletes 2 of each.
	n, err := db.PruneFailures(ctx, t0.Add(time.Minute))
	if err != nil || n != 6 {
		t.Errorf("PruneFailures = %d, %v; want 6", n, err)
	}
	// 3 failures left, one per scope, 09:02.
	for i, scope := range scopes {
		want := []time.Time{t0.Add(2 * time.Minute)}
		if got, err := db.Failures(ctx, scope, "k"+strconv.Itoa(i), time.Time{}); err != nil || !slices.EqualFunc(got, want, time.Time.Equal) {
			t.Errorf("Failures(%s) after pruning = %v, %v; want %v", scope, got, err, want)
		}
	}
}

package sqlite_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestFailures: failures are kept per scope and key, read oldest first from a time on,
// survive closing the database, are cleared per key, and recording one deletes the scope's
// failures older than the given time (and only the scope's).
func TestFailures(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "limit.db")
	db := open(t, path)
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
	db = open(t, path)
	if got, _ := db.Failures(ctx, "login-ip", "a", never); len(got) != 3 {
		t.Errorf("after reopening, %d failures of login-ip a, want 3", len(got))
	}

	// A failure at 09:20 forgetting 09:03 and before deletes login-ip's 09:00 and 09:03 (a),
	// keeps 09:05 (b) and 09:10 (a), and leaves join-ip alone.
	if err := db.AddFailure(ctx, "login-ip", "c", at(20), at(3)); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, path, "SELECT count(*) FROM limit_failures WHERE scope = 'login-ip'"); n != 3 {
		t.Errorf("login-ip rows after pruning = %d, want 3 (b 09:05, a 09:10, c 09:20)", n)
	}
	if n := queryInt(t, path, "SELECT count(*) FROM limit_failures WHERE scope = 'join-ip'"); n != 1 {
		t.Errorf("join-ip rows = %d, want 1 (another scope is not pruned)", n)
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

// TestPruneFailures: every scope's failures at or before the time given go; later ones stay.
func TestPruneFailures(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "prune.db")
	db := open(t, path)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, scope := range []string{"login-ip", "join-ip", "login-account"} {
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
	if left := queryInt(t, path, "SELECT count(*) FROM limit_failures"); left != 3 {
		t.Errorf("%d failures left, want 3 (one per scope, 09:02)", left)
	}
}

package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// open opens a store at path and closes it when the test ends.
func open(t testing.TB, path string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryInt runs a query returning one integer on a connection of its own, independent of
// the store under test, so it sees only what was really committed to the file.
func queryInt(t *testing.T, path, query string, args ...any) int {
	t.Helper()
	raw, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// ratings returns n ratings that differ for every competency, with fractions (as company
// means have) so a column that truncated to integers would fail the round trip.
func ratings(n int) assessment.Ratings {
	r := make(assessment.Ratings, n)
	for i := range r {
		r[i] = assessment.Rating{AsIs: float64(i%5 + 1), ToBe: 1 + float64(i)/5}
	}
	return r
}

// sample returns a complete assessment as the domain would hand it to the store.
func sample() *assessment.Assessment {
	return &assessment.Assessment{
		QuestionnaireVersion: "2025.1",
		Lang:                 "cs",
		Role:                 "Head of CX",
		Company: assessment.Company{
			Name:     `Čokoládovna Příbram – 東京 🍫 "Ltd" 'x' </script>`,
			Industry: "retail",
			Size:     "50-249",
			Country:  "CZ",
			NPSYears: "1-5",
		},
		BenchmarkConsent: true,
		Ratings:          ratings(assessment.CompetencyCount),
	}
}

func TestCreateAssessment_Atomic(t *testing.T) {
	tests := []struct {
		name    string
		ratings assessment.Ratings
		errText string // the constraint that must be what failed
	}{
		{"competency 22", ratings(22), "CHECK constraint failed"},
		{"NaN score", append(ratings(20), assessment.Rating{AsIs: math.NaN(), ToBe: 3}), "NOT NULL constraint failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "loyalty.db")
			db := open(t, path)
			a := sample()
			a.Ratings = tt.ratings

			err := db.CreateAssessment(ctx, a)
			if err == nil || !strings.Contains(err.Error(), tt.errText) {
				t.Fatalf("CreateAssessment = %v, want an error containing %q", err, tt.errText)
			}
			if code := assessment.ErrorCode(err); code != assessment.EINTERNAL {
				t.Errorf("ErrorCode = %q, want %q: database text must not become a user message", code, assessment.EINTERNAL)
			}
			if a.ID != 0 || a.Token != "" || !a.CreatedAt.IsZero() {
				t.Errorf("failed create set ID = %d, Token = %q, CreatedAt = %v; want all zero", a.ID, a.Token, a.CreatedAt)
			}
			for _, table := range []string{"assessments", "answers"} {
				if n := queryInt(t, path, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("%s has %d rows after a failed create, want 0", table, n)
				}
			}

			// The rolled-back transaction must not hold the single write connection.
			if err := db.CreateAssessment(ctx, sample()); err != nil {
				t.Fatalf("CreateAssessment after a failure: %v", err)
			}
			if n := queryInt(t, path, "SELECT count(*) FROM answers"); n != assessment.CompetencyCount {
				t.Errorf("answers has %d rows, want %d", n, assessment.CompetencyCount)
			}
		})
	}
}

func TestCreateAssessment_Concurrent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "loyalty.db")
	db := open(t, path)
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			a := sample()
			a.Company.Name = fmt.Sprintf("company %d", i)
			if err := db.CreateAssessment(ctx, a); err != nil {
				errs[i] = err
				return
			}
			// Read while others write: the read pool must see the committed row.
			got, err := db.Assessment(ctx, a.Token)
			if err != nil {
				errs[i] = err
				return
			}
			if got.Company.Name != a.Company.Name || len(got.Ratings) != assessment.CompetencyCount {
				errs[i] = fmt.Errorf("read back %q with %d ratings, want %q with %d",
					got.Company.Name, len(got.Ratings), a.Company.Name, assessment.CompetencyCount)
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("goroutine %d: %v", i, err)
		}
	}
	if got := queryInt(t, path, "SELECT count(*) FROM assessments"); got != n {
		t.Errorf("assessments has %d rows, want %d", got, n)
	}
	if got := queryInt(t, path, "SELECT count(*) FROM answers"); got != n*assessment.CompetencyCount {
		t.Errorf("answers has %d rows, want %d", got, n*assessment.CompetencyCount)
	}
}

func TestOpen_Reopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "loyalty.db")
	db, err := sqlstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	a := sample()
	if err := db.CreateAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("migrations/sqlite/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v, %v", files, err)
	}
	applied := queryInt(t, path, "SELECT count(*) FROM schema_migrations")
	firstApplied := queryInt(t, path, "SELECT count(*) FROM schema_migrations WHERE version = 1 AND applied_at <> ''")
	if applied != len(files) || firstApplied != 1 {
		t.Fatalf("schema_migrations has %d rows (%d for version 1), want %d (1)", applied, firstApplied, len(files))
	}
	var appliedAt string
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.QueryRow("SELECT applied_at FROM schema_migrations WHERE version = 1").Scan(&appliedAt); err != nil {
		t.Fatal(err)
	}

	// Opening twice more must apply nothing: 0001 has no IF NOT EXISTS, so a re-run would fail.
	for range 2 {
		db = open(t, path)
		got, err := db.Assessment(ctx, a.Token)
		if err != nil {
			t.Fatalf("Assessment after reopen: %v", err)
		}
		if got.ID != a.ID || !reflect.DeepEqual(got.Ratings, a.Ratings) || got.Company != a.Company {
			t.Errorf("after reopen got %+v, want %+v", got, a)
		}
		db.Close()
	}
	var again string
	if err := raw.QueryRow("SELECT applied_at FROM schema_migrations WHERE version = 1").Scan(&again); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, path, "SELECT count(*) FROM schema_migrations"); n != len(files) || again != appliedAt {
		t.Errorf("after reopen schema_migrations has %d rows, applied_at %q; want %d, %q", n, again, len(files), appliedAt)
	}
}

func TestOpen_NewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loyalty.db")
	db := open(t, path)
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 'later')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if db, err := sqlstore.Open(path); err == nil {
		db.Close()
		t.Fatal("Open of a database migrated by a newer program succeeded, want an error")
	}
}

func TestOpen_Pragmas(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "with space.db"))
	tests := []struct {
		read bool
		name string
		want string
	}{
		{false, "journal_mode", "wal"},
		{false, "synchronous", "2"}, // FULL
		{false, "foreign_keys", "1"},
		{false, "busy_timeout", "5000"},
		{false, "query_only", "0"},
		{true, "journal_mode", "wal"},
		{true, "busy_timeout", "5000"},
		{true, "query_only", "1"},
	}
	for _, tt := range tests {
		got, err := sqlstore.Pragma(ctx, db, tt.read, tt.name)
		if err != nil || got != tt.want {
			t.Errorf("PRAGMA %s (read pool %v) = %q, %v; want %q", tt.name, tt.read, got, err, tt.want)
		}
	}
	if w, r := sqlstore.PoolLimits(db); w != 1 || r < 4 {
		t.Errorf("pool limits: write %d, read %d; want write 1, read at least 4", w, r)
	}
}

func TestOpen_Paths(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		relative bool
	}{
		{"space", "my loyalty.db", false},
		{"query and fragment characters", "a?b#c.db", false},
		{"percent escape", "100%20.db", false},
		{"unicode", "données ü 東京.db", false},
		{"relative with space", "rel ative.db", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "dir with space")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, tt.file)
			if tt.relative {
				t.Chdir(dir)
				path = tt.file
			}
			db, err := sqlstore.Open(path)
			if err != nil {
				t.Fatalf("Open(%q): %v", path, err)
			}
			a := sample()
			if err := db.CreateAssessment(ctx, a); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}

			// The file must be exactly the one named, not a mis-decoded neighbour.
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.Name() != tt.file && e.Name() != tt.file+"-wal" && e.Name() != tt.file+"-shm" {
					t.Errorf("unexpected file %q in %s, want only %q", e.Name(), dir, tt.file)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
				t.Fatalf("database file: %v", err)
			}

			db = open(t, path)
			if _, err := db.Assessment(ctx, a.Token); err != nil {
				t.Errorf("Assessment after reopen of %q: %v", path, err)
			}
		})
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "loyalty.db"))
	a, b := sample(), sample()
	b.Company.Name = "second"
	for _, x := range []*assessment.Assessment{a, b} {
		if err := db.CreateAssessment(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	want, err := db.Assessment(ctx, a.Token)
	if err != nil {
		t.Fatal(err)
	}

	backup := filepath.Join(dir, "backup copy.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	// The store stays writable after a backup.
	if err := db.CreateAssessment(ctx, sample()); err != nil {
		t.Fatalf("CreateAssessment after Backup: %v", err)
	}
	// An existing backup is never overwritten.
	if err := db.Backup(ctx, backup); err == nil {
		t.Error("second Backup to the same path succeeded, want an error")
	}
	// A backup that cannot be written reports it.
	missing := filepath.Join(dir, "no such dir", "b.db")
	if err := db.Backup(ctx, missing); err == nil {
		t.Errorf("Backup(%q) succeeded, want an error", missing)
	}

	restored := open(t, backup)
	got, err := restored.Assessment(ctx, a.Token)
	if err != nil {
		t.Fatalf("Assessment from backup: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("from backup got\n%+v\nwant\n%+v", got, want)
	}
	if n := queryInt(t, backup, "SELECT count(*) FROM assessments"); n != 2 {
		t.Errorf("backup has %d assessments, want 2 (the one created after it must not be in it)", n)
	}
}

func BenchmarkCreateAssessment(b *testing.B) {
	ctx := context.Background()
	db := open(b, filepath.Join(b.TempDir(), "loyalty.db"))
	a := sample()
	for b.Loop() {
		if err := db.CreateAssessment(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAssessment(b *testing.B) {
	ctx := context.Background()
	db := open(b, filepath.Join(b.TempDir(), "loyalty.db"))
	a := sample()
	if err := db.CreateAssessment(ctx, a); err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := db.Assessment(ctx, a.Token); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

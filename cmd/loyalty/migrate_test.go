package main

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
)

// TestMigrateDB copies a used SQLite database (a member, a test result, a verified company
// and 40 demo companies with a release made from them) into an empty PostgreSQL database, then
// serves it: the result, the member's sign-in and the benchmark are there. A second copy into
// the now full database is refused, and so are a missing file and a target that is not
// PostgreSQL.
func TestMigrateDB(t *testing.T) {
	pg := sqltest.PostgresURL(t) // skips without a server, except in CI
	file := filepath.Join(t.TempDir(), "loyalty.db")
	t.Setenv("LOYALTY_PASSWORD", "correct horse battery staple")
	if _, _, err := runOnce(t, "user", "add", "-db", file, "--workspace", "Nordic CX", "--email", "ann@example.com", "--name", "Ann", "--admin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runOnce(t, "demo", "-db", file, "--companies", "40", "--seed", "2"); err != nil {
		t.Fatal(err)
	}
	a := startApp(t, "-db", file, "-demo")
	token := submit(t, a, "Move A/S")
	if code, _ := get(t, a.URL+"/benchmark"); code != http.StatusOK { // makes the day's release
		t.Fatalf("GET /benchmark on SQLite = %d", code)
	}
	if err := a.stop(); err != nil {
		t.Fatal(err)
	}

	out, _, err := runOnce(t, "migrate-db", "--from", file, "--to", pg)
	if err != nil {
		t.Fatalf("migrate-db = %v", err)
	}
	// Every table is listed with its rows; the counts the test made are worked out by hand.
	for _, want := range []string{`(?m)^users\s+1$`, `(?m)^assessments\s+1$`, `(?m)^answers\s+21$`,
		`(?m)^pool_companies\s+40$`, `(?m)^bench_releases\s+1$`, `copied \d+ rows into postgres://\S+; row counts and the benchmark pool match`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("migrate-db output lacks %s:\n%s", want, out)
		}
	}
	// A URL without a password has nothing to hide: only a password must not be printed.
	if u, _ := url.Parse(pg); pwd(u) != "" && (strings.Contains(out, pg) || strings.Contains(out, ":"+pwd(u)+"@")) {
		t.Error("migrate-db printed the database URL with its password")
	}

	// The copy serves what the file did.
	db, err := sqlstore.Open(pg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Assessment(context.Background(), token)
	db.Close()
	if err != nil || got.Company.Name != "Move A/S" || len(got.Ratings) != competencies {
		t.Fatalf("the copied result = %+v, %v", got, err)
	}
	b := startApp(t, "-db", pg, "-demo")
	for _, path := range []string{"/r/" + token, "/benchmark"} {
		if code, body := get(t, b.URL+path); code != http.StatusOK || !strings.Contains(body, "40") {
			t.Errorf("GET %s on the copy = %d (mentions 40 companies: %v)", path, code, strings.Contains(body, "40"))
		}
	}
	// A new row continues after the copied ids.
	submit(t, b, "After the move A/S")

	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"into a database that is not empty", []string{"--from", file, "--to", pg}, "not empty"},
		{"from a missing file", []string{"--from", filepath.Join(t.TempDir(), "nope.db"), "--to", pg}, "no such file"},
		{"to a file", []string{"--from", file, "--to", filepath.Join(t.TempDir(), "other.db")}, "postgres:// URL"},
		{"without --to", []string{"--from", file}, "usage"},
	} {
		if _, _, err := runOnce(t, append([]string{"migrate-db"}, tt.args...)...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("migrate-db %s = %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

// pwd is the URL's password.
func pwd(u *url.URL) string {
	p, _ := u.User.Password()
	return p
}

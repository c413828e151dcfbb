// Package sqltest gives tests a fresh, empty database of either engine. It is imported by
// tests only.
//
// PostgreSQL tests need a server: LOYALTY_TEST_POSTGRES is the URL of a database on it the
// tests may create schemas in (each test gets a schema of its own, dropped when it ends).
// Without it they skip, except under CI=true, where that is a failure: CI must never pass by
// skipping PostgreSQL. LOYALTY_TEST_ENGINE=postgres makes Name return PostgreSQL databases,
// so that the end-to-end tests of the web layer and the command run on PostgreSQL too.
package sqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// ServerEnv names the variable holding the PostgreSQL server's URL for tests.
const ServerEnv = "LOYALTY_TEST_POSTGRES"

// EngineEnv names the variable that chooses the end-to-end tests' engine.
const EngineEnv = "LOYALTY_TEST_ENGINE"

// Postgres reports whether Name gives PostgreSQL databases (LOYALTY_TEST_ENGINE=postgres).
func Postgres() bool { return os.Getenv(EngineEnv) == "postgres" }

// Name returns the name of a fresh, empty database for t, to pass to sqlstore.Open or to the
// command's -db flag: a SQLite file in t's temporary directory, or a PostgreSQL URL when
// LOYALTY_TEST_ENGINE=postgres.
func Name(t testing.TB) string {
	t.Helper()
	if Postgres() {
		return PostgresURL(t)
	}
	return filepath.Join(t.TempDir(), "loyalty.db")
}

// PostgresURL returns the URL of a fresh, empty schema on the test server, dropped when t
// ends. Handles opened on it see each other's writes, as instances sharing a database do.
func PostgresURL(t testing.TB) string {
	t.Helper()
	server := os.Getenv(ServerEnv)
	if server == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but " + ServerEnv + " is not set: the PostgreSQL tests must run in CI; .ci/run starts a server and sets it")
		}
		t.Skip(ServerEnv + " is not set (the URL of a PostgreSQL database the tests may create schemas in); see README")
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", ServerEnv, err)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create a schema on %s: %v", u.Redacted(), err)
	}
	// Cleanups run last-in first-out: this one runs after the test's handles are closed.
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", server)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

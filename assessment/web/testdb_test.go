package web

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
)

// migrated is a SQLite file with every migration applied, made once per test binary in a
// directory TestMain removes. Each test's database starts as a copy of it: a copy costs a
// fraction of a millisecond where applying the migrations again cost each of the package's
// hundreds of test servers tens of milliseconds of CPU (about 8 s in all).
var migrated struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// freshDatabase returns the name of a database for t that has the current schema and no
// rows: on SQLite a copy of the migrated file in t's temporary directory, on PostgreSQL
// (LOYALTY_TEST_ENGINE=postgres) a fresh schema, which sqlstore.Open migrates.
func freshDatabase(t testing.TB) string {
	t.Helper()
	name := sqltest.Name(t)
	if sqlstore.IsPostgres(name) {
		return name
	}
	migrated.once.Do(func() {
		if migrated.dir, migrated.err = os.MkdirTemp("", "loyalty-web-test-"); migrated.err != nil {
			return
		}
		migrated.path = filepath.Join(migrated.dir, "migrated.db")
		db, err := sqlstore.Open(migrated.path)
		if err != nil {
			migrated.err = err
			return
		}
		// Closing checkpoints the write-ahead log into the file: the file alone is the database.
		if migrated.err = db.Close(); migrated.err != nil {
			return
		}
		if _, err := os.Stat(migrated.path + "-wal"); err == nil {
			migrated.err = fmt.Errorf("%s-wal is left after closing", migrated.path)
		}
	})
	if migrated.err != nil {
		t.Fatalf("the migrated SQLite file: %v", migrated.err)
	}
	data, err := os.ReadFile(migrated.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// removeMigrated removes the migrated file's directory, if a test made it.
func removeMigrated() {
	if migrated.dir != "" {
		os.RemoveAll(migrated.dir)
	}
}

package sqlstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
	"github.com/loyalty-cx/loyalty/assessment/storetest"
)

// database is one test's database: an SQLite file or a PostgreSQL schema.
type database struct{ name string }

// Open opens a handle on the database, as another process would.
func (d database) Open(t *testing.T, now func() time.Time) storetest.Store {
	db := open(t, d.name)
	if now != nil {
		db.Now = now
	}
	return db
}

// TestConformance runs the store's conformance suite on each engine, with a fresh database
// per test: a SQLite file, and a PostgreSQL schema (skipped without a server, except in CI).
func TestConformance(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storetest.Database {
			return database{filepath.Join(t.TempDir(), "loyalty.db")}
		})
	})
	t.Run("postgres", func(t *testing.T) {
		sqltest.PostgresURL(t) // skips the whole engine without a server
		storetest.Run(t, func(t *testing.T) storetest.Database {
			return database{sqltest.PostgresURL(t)}
		})
	})
}

var _ storetest.Store = (*sqlstore.DB)(nil)

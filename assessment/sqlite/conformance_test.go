package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment/sqlite"
	"github.com/loyalty-cx/loyalty/assessment/storetest"
)

// database is an SQLite file in a test's temporary directory.
type database struct{ path string }

// Open opens a handle on the file, as another process would.
func (d database) Open(t *testing.T, now func() time.Time) storetest.Store {
	db := open(t, d.path)
	if now != nil {
		db.Now = now
	}
	return db
}

// TestConformance runs the store's conformance suite on a fresh SQLite file per test.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Database {
		return database{filepath.Join(t.TempDir(), "loyalty.db")}
	})
}

var _ storetest.Store = (*sqlite.DB)(nil)

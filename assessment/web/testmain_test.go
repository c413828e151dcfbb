package web

import (
	"os"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestMain stops the shared browser, if a browser test started one: Chromium ends with the
// tests and is waited for, instead of outliving them. It also removes the migrated SQLite
// file the test databases are copied from (testdb_test.go).
func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Stop()
	removeMigrated()
	os.Exit(code)
}

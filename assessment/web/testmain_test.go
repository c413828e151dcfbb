package web

import (
	"os"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestMain stops the shared browser, if a browser test started one: Chromium ends with the
// tests and is waited for, instead of outliving them.
func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Stop()
	os.Exit(code)
}

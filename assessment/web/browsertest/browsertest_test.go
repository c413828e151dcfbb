package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Stop()
	os.Exit(code)
}

// TestProblemsInBrowser: a tab records what goes wrong on a page, although it turns off the
// DevTools domains (Network, CSS) that a debugger would watch: a resource and a fetch that
// fail to load, a console error, an uncaught exception and a script the page's
// Content-Security-Policy blocks. Every browser test relies on this to fail on a broken page.
func TestProblemsInBrowser(t *testing.T) {
	tb := browsertest.NewTab(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", "script-src 'self'")
			w.Write([]byte(`<!doctype html><html lang="en"><title>Broken</title>
<img src="/missing.png" alt="missing">
<script src="/page.js"></script>
<script>document.title = 'inline ran';</script>`))
		case "/page.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(`console.error('drawn wrong');
fetch('/gone').catch(function () {});
setTimeout(function () { null.x; }, 0);`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	tb.Do(chromedp.Navigate(srv.URL + "/"))
	// The fetch and the exception come after the load, and the browser reports each as it
	// happens: gather what the tab recorded until every problem is there, or the tab's
	// deadline passes.
	wants := []string{"missing.png", "/gone", "drawn wrong", "uncaught exception", "CSP script-src"}
	var got []string
	missing := func() []string {
		var out []string
		for _, want := range wants {
			if !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, want) }) {
				out = append(out, want)
			}
		}
		return out
	}
	for len(missing()) > 0 && tb.Ctx.Err() == nil {
		got = append(got, tb.Problems(true)...)
	}
	if m := missing(); len(m) > 0 {
		t.Errorf("nothing recorded mentions %q; recorded:\n  %s", m, strings.Join(got, "\n  "))
	}
}

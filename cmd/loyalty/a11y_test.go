package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeViolation is what the accessibility check reports for one broken rule.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  int    `json:"nodes"`
	Target string `json:"target"`
}

// axeRun runs axe-core's WCAG 2 A and AA rules on the page and returns the violations.
const axeRun = `axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.length,
    target: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')})))`

// TestBrowserAccessibility checks the public pages and a result page with a benchmark with
// axe-core: no serious or critical WCAG 2.1 A/AA violation may appear.
func TestBrowserAccessibility(t *testing.T) {
	tb := newTab(t)
	axe, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	// The vendored file is what VERSION.md says it is.
	sum := sha256.Sum256(axe)
	if doc, _ := os.ReadFile("testdata/axe/VERSION.md"); !strings.Contains(string(doc), hex.EncodeToString(sum[:])) {
		t.Fatal("testdata/axe/axe.min.js does not match the sha256 in VERSION.md")
	}

	path := dbPath(t)
	if err := run(context.Background(), []string{"demo", "-db", path, "--companies", "60", "--seed", "5"}, strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	a := startApp(t, "-db", path, "-demo")
	form := formAnswers("Access A/S")
	form.Set("industry", "finance")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(a.URL+"/test?lang=en", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	result := a.URL + res.Header.Get("Location")

	for _, pg := range []struct{ name, url, ready string }{
		{"home", a.URL + "/?lang=en", "main"},
		{"test", a.URL + "/test?lang=da", `[data-testid="submit"]`},
		{"result", result + "?lang=en", `[data-testid="bench-table"]`},
		{"benchmark overview", a.URL + "/benchmark?lang=sv", `[data-testid="pool-table"]`},
		{"login", a.URL + "/login?lang=nb", "main"},
		{"not found", a.URL + "/r/nope?lang=en", "main"},
	} {
		tb.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(pg.url), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
		if pg.name == "result" {
			tb.waitCharts()
		}
		tb.do(chromedp.Evaluate[chromedp.Void](string(axe)))
		violations := run1(tb, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
		for _, v := range violations {
			msg := pg.name + ": " + v.ID + " (" + v.Impact + "): " + v.Help + " — " + v.Target
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Error(msg)
			} else {
				t.Log(msg)
			}
		}
	}
}

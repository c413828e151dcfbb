package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestBrowserAccessibility checks the public pages of the built program, with a demo pool
// (so the result page shows a full benchmark), with axe-core: no violation of any rule may
// appear. assessment/web's TestEveryPageAccessibleInBrowser covers every other page.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel() // mostly waiting (on Chromium or password hashing): let other tests run meanwhile
	tb := browsertest.NewTab(t)
	// The vendored file is what VERSION.md says it is.
	if !browsertest.AxeChecksum() {
		t.Fatal("browsertest/axe/axe.min.js does not match the sha256 in VERSION.md")
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
		tb.Do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(pg.url), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
		if pg.name == "result" {
			tb.WaitCharts("radar-categories-data", "radar-competencies-data")
		}
		tb.Accessible(pg.name)
	}
}

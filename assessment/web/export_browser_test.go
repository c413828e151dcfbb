package web

// The exports' controls in a real browser: the download buttons, and the "Save image (SVG)"
// button app.js puts below every chart. It skips when Chromium is missing, except under
// CI=true, where that is a failure. Set LOYALTY_SCREENSHOT_DIR to keep screenshots.

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// captureSaves makes the page keep what it hands to the browser as a Blob URL download
// (window.__saved: the file's type, name and text) instead of downloading it, so a test can
// read the file.
const captureSaves = `(function () {
  window.__saved = [];
  var create = URL.createObjectURL, click = HTMLAnchorElement.prototype.click;
  var blobs = {};
  URL.createObjectURL = function (b) { var u = create.call(URL, b); blobs[u] = b; return u; };
  HTMLAnchorElement.prototype.click = function () {
    var b = blobs[this.href];
    if (!b) return click.call(this);
    var name = this.download;
    b.text().then(function (text) { window.__saved.push({type: b.type, name: name, text: text}); });
  };
})()`

// saved is a file the page handed over.
type saved struct {
	Type string `json:"type"`
	Name string `json:"name"`
	Text string `json:"text"`
}

// shown counts the elements sel selects that the page renders.
func shown(tb *browsertest.Tab, sel string) int {
	tb.T.Helper()
	return browsertest.Eval[int](tb, fmt.Sprintf(`Array.prototype.filter.call(document.querySelectorAll(%q), function (e) {
		return e.getClientRects().length > 0; }).length`, sel))
}

// checkSVG checks a saved chart: an SVG document with an XML header, on white, with the
// chart's own words in it.
func checkSVG(t *testing.T, s saved, name string, words ...string) {
	t.Helper()
	if s.Type != "image/svg+xml" || s.Name != name {
		t.Errorf("saved %q as %q, want %q as image/svg+xml", s.Name, s.Type, name)
	}
	head, rest, ok := strings.Cut(s.Text, "\n")
	if head != `<?xml version="1.0" encoding="UTF-8"?>` || !ok || !strings.HasPrefix(rest, "<svg") || !strings.HasSuffix(strings.TrimSpace(rest), "</svg>") {
		t.Errorf("saved file is not an SVG document with an XML header: %.120q … %.40q", s.Text, s.Text[max(0, len(s.Text)-40):])
	}
	open, _, _ := strings.Cut(rest, ">")
	if !strings.Contains(open, `xmlns="http://www.w3.org/2000/svg"`) || !strings.HasPrefix(rest[len(open)+1:], `<rect width="100%" height="100%" fill="#ffffff"/>`) {
		t.Errorf("saved SVG lacks its namespace or its white background: %.300q", rest)
	}
	for _, w := range words {
		if !strings.Contains(s.Text, w) {
			t.Errorf("saved SVG does not contain %q", w)
		}
	}
	// Well-formed XML, or no program would open it ("Communicate & Celebrate" must be &amp;).
	d := xml.NewDecoder(strings.NewReader(s.Text))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Errorf("saved SVG is not well-formed XML: %v", err)
			break
		}
	}
}

func TestExportControlsInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newWSEnv(t)
	ctx := context.Background()
	room := e.exportRoom("Acme A/S", "Ann", "Bo", "Cy")
	a, err := e.q.NewAssessment(assessment.Submission{Lang: "en", Company: assessment.Company{Name: "Acme A/S"}, Answers: workedScores().domain()})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}
	base := e.http.URL

	// The result page: both radars get the button, in the page's language.
	tb.Do(browsertest.Desktop, chromedp.Navigate(base+"/r/"+a.Token+"?lang=da"))
	tb.WaitCharts("radar-categories-data", "radar-competencies-data")
	if n := shown(tb, `[data-testid="chart-save"]`); n != 2 {
		t.Fatalf("%d save buttons on the result page, want 2", n)
	}
	if got := tb.Text(`[data-testid="chart-save"]`); got != "Gem billede (SVG)" {
		t.Errorf("save button = %q, want the Danish label", got)
	}
	// Excel, and the CSV in both dialects: Danish Excel's (semicolons) first.
	if n := shown(tb, `[data-testid="download-xlsx"]`) + shown(tb, `[data-testid="download-csv-excel-eu"]`) + shown(tb, `[data-testid="download-csv-rfc4180"]`); n != 3 {
		t.Errorf("%d download buttons on the result page, want 3", n)
	}
	if got := squash(tb.Text(`[data-testid="download-csv-excel-eu"]`)); got != "↓ Hent CSV (semikolon)" {
		t.Errorf("the semicolon CSV button = %q, want its Danish label", got)
	}
	tb.Shot("export-result-1440-da")
	tb.Do(chromedp.Evaluate[chromedp.Void](captureSaves), browsertest.ClickClear(`#radar-categories + .chart-save button`))
	tb.WaitFor(`window.__saved.length === 1`)
	s := browsertest.Eval[[]saved](tb, `window.__saved`)[0]
	checkSVG(t, s, "loyalty-radar-categories.svg", "Ledelsesforankring", "AS-IS")
	tb.Do(chromedp.Navigate(base + "/r/" + a.Token + "?lang=en"))
	tb.WaitCharts("radar-competencies-data")
	tb.Do(chromedp.Evaluate[chromedp.Void](captureSaves), browsertest.ClickClear(`#radar-competencies + .chart-save button`))
	tb.WaitFor(`window.__saved.length === 1`)
	checkSVG(t, browsertest.Eval[[]saved](tb, `window.__saved`)[0], "loyalty-radar-competencies.svg", "&amp; Celebrate")
	tb.CheckClean("saving a chart", true)
	// Printed, the page shows neither the save buttons nor the downloads.
	tb.Do(browsertest.Media("print"))
	if n := shown(tb, `[data-testid="chart-save"]`) + shown(tb, `[data-testid^="download-"]`); n != 0 {
		t.Errorf("printing shows %d save or download buttons", n)
	}
	tb.Do(browsertest.Media(""))

	// The round's report, on a phone: its downloads fit, and its radar can be saved.
	signIn(tb, base)
	tb.Do(browsertest.Phone, chromedp.Navigate(fmt.Sprintf("%s/w/rounds/%d/report?lang=en", base, room.round.ID)))
	tb.WaitCharts("radar-categories-data")
	if over, culprits := tb.Overflow(390); over > 0 {
		t.Errorf("the report is %d px too wide at 390 px: %v", over, culprits)
	}
	if n := shown(tb, `[data-testid="downloads"] a`); n != 3 {
		t.Errorf("%d download buttons on the report, want 3 (Excel, CSV in two dialects)", n)
	}
	tb.Shot("export-report-390-en")
	tb.Do(chromedp.Evaluate[chromedp.Void](captureSaves), browsertest.ClickClear(`.chart-save button`))
	tb.WaitFor(`window.__saved.length === 1`)
	// A hand-out speaks the round's language (Danish) whatever the consultant's (English).
	checkSVG(t, browsertest.Eval[[]saved](tb, `window.__saved`)[0], "loyalty-radar-categories.svg", "Resultatskabelse")
	tb.Do(browsertest.Media("print"))
	if n := shown(tb, `[data-testid="chart-save"]`) + shown(tb, `[data-testid="downloads"]`); n != 0 {
		t.Errorf("printing the report shows %d save or download controls", n)
	}
	tb.Do(browsertest.Media(""))
	tb.CheckClean("report", true)

	// The portfolio in Swedish on a desktop: Swedish Excel's CSV (semicolons) offered first.
	tb.Do(browsertest.Desktop, chromedp.Navigate(base+"/w/portfolio?lang=sv"))
	if got := browsertest.Eval[[]string](tb, `Array.prototype.map.call(document.querySelectorAll('[data-testid="downloads"] a'), function (a) { return a.dataset.testid; })`); strings.Join(got, " ") != "download-xlsx download-csv-excel-eu download-csv-rfc4180" {
		t.Errorf("portfolio downloads = %q, want Excel, then the CSV with semicolons, then with commas", got)
	}
	tb.Shot("export-portfolio-1440-sv")

	// The projector's presentation has no buttons to save anything.
	if err := e.db.SetRoundRevealed(ctx, e.a.ID, room.round.ID, true); err != nil {
		t.Fatal(err)
	}
	tb.Do(browsertest.Projector, chromedp.Navigate(fmt.Sprintf("%s/w/rounds/%d/present/radar", base, room.round.ID)))
	tb.WaitCharts("present-radar-data")
	if n := browsertest.Eval[int](tb, `document.querySelectorAll('.chart-save').length`); n != 0 {
		t.Errorf("the presentation has %d save buttons", n)
	}
	tb.CheckClean("presentation", true)
}

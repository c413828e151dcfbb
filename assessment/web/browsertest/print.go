package browsertest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// A4 in inches, as the print dialog's paper size.
const (
	a4Width  = 8.27
	a4Height = 11.69
)

// A4ContentWidth is the width in CSS pixels that the stylesheet's @page rule leaves for the
// content of an A4 page: 210 mm less 2 × 13 mm of margin, at 96 px per inch.
const A4ContentWidth = 695

// PrintPDF prints the page as the browser's "Save as PDF" does: on A4 paper, with the page's
// own @page rules (size, margins, running footer) and its backgrounds, and with the
// beforeprint and afterprint events the page's script answers. It returns the PDF.
func (tb *Tab) PrintPDF() []byte {
	tb.T.Helper()
	yes := true
	return Run(tb, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{
			PaperWidth: a4Width, PaperHeight: a4Height, PrintBackground: &yes, PreferCSSPageSize: &yes,
		})
		return res.Data, err
	}))
}

// pdfPage matches a page object of a PDF; /Type /Pages is the page tree, not a page.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// PDFPages counts the pages of a PDF that Chromium wrote.
func PDFPages(pdf []byte) int { return len(pdfPage.FindAll(pdf, -1)) }

// PDFText returns the text of a PDF as poppler's pdftotext reads it, page by page (pages end
// with a form feed), or false when pdftotext is not installed and CI is not set; under
// CI=true a missing pdftotext fails the test (.ci/run installs poppler-utils).
func PDFText(t testing.TB, pdf []byte) (string, bool) {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but pdftotext is not installed: .ci/run installs poppler-utils")
		}
		t.Log("pdftotext not found (apt-get install poppler-utils): the printed text is not checked")
		return "", false
	}
	cmd := exec.Command(path, "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), true
}

// PrintMedia lays the page out as it prints on A4, for a script to inspect: print media at
// the width of an A4 page's content. ScreenMedia undoes it.
var PrintMedia = chromedp.Steps(Media("print"), chromedp.EmulateViewport(A4ContentWidth, 1000))

// ScreenMedia ends PrintMedia: screen media at the desktop's viewport.
var ScreenMedia = chromedp.Steps(Media(""), Desktop)

// PrintProblems names what a reader of the printed page would object to, in print media
// (PrintMedia first): a control to click (a button, a field, a disclosure arrow, a group
// switch) that shows, or an element that sticks out of the page's width. Empty when none.
const PrintProblems = `(function () {
  var out = [], w = document.documentElement.clientWidth;
  function name(e) {
    var c = typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '';
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + c;
  }
  document.querySelectorAll('button, input, select, textarea, summary, a.button, .button, .group-switch, form').forEach(function (e) {
    if (e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden') out.push('visible control ' + name(e));
  });
  document.querySelectorAll('main *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > w + 1 || r.left < -1)) out.push('too wide: ' + name(e) + ' (' + Math.round(r.left) + '-' + Math.round(r.right) + ' of ' + w + ')');
  });
  if (document.documentElement.scrollWidth > w + 1) out.push('page ' + document.documentElement.scrollWidth + ' px wide for ' + w);
  return out.slice(0, 8);
})()`

package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
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

// PDFFullness returns, for every page of a PDF, how far down its content reaches: the share of
// the page's height between the top margin and the running footer (A4, the stylesheet's 13 mm
// top and 15 mm bottom margin) that lies above the page's lowest mark. 1 is a full page.
// It renders the pages with poppler's pdftoppm; without it (and without CI=true) it returns
// nil and logs why.
func PDFFullness(t testing.TB, pdf []byte) []float64 {
	t.Helper()
	path, err := exec.LookPath("pdftoppm")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but pdftoppm is not installed: .ci/run installs poppler-utils")
		}
		t.Log("pdftoppm not found (apt-get install poppler-utils): how full pages are is not checked")
		return nil
	}
	dir := t.TempDir()
	cmd := exec.Command(path, "-r", "30", "-gray", "-", filepath.Join(dir, "p"))
	cmd.Stdin = bytes.NewReader(pdf)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "p-*.pgm"))
	sort.Strings(files)
	var out []float64
	for _, f := range files {
		w, h, px, err := readPGM(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		top, bottom := int(float64(h)*13/297), int(float64(h)*(297-15)/297)
		last := top
		for y := top; y < bottom; y++ {
			for x := range w {
				if px[y*w+x] < 200 {
					last = y
					break
				}
			}
		}
		out = append(out, float64(last-top)/float64(bottom-top))
	}
	return out
}

// readPGM reads a binary 8-bit greyscale PGM (P5), as pdftoppm -gray writes it.
func readPGM(name string) (w, h int, px []byte, err error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, 0, nil, err
	}
	var magic string
	var maxVal int
	r := bytes.NewReader(data)
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxVal); err != nil || magic != "P5" {
		return 0, 0, nil, fmt.Errorf("not a P5 PGM (%q): %v", magic, err)
	}
	rest := data[len(data)-r.Len()+1:] // one white-space character ends the header
	if maxVal != 255 || len(rest) < w*h {
		return 0, 0, nil, fmt.Errorf("PGM %dx%d max %d with %d bytes", w, h, maxVal, len(rest))
	}
	return w, h, rest[:w*h], nil
}

package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestUnavailablePageInBrowser shows the page of a database that does not answer (the store
// closed under the server) in every language, on a phone and a desktop: translated, readable
// (axe), nothing wider than the screen. LOYALTY_SCREENSHOT_DIR keeps the screenshots.
func TestUnavailablePageInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t)
	e := newEnv(t)
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"da": "Midlertidigt utilgængelig", "en": "Temporarily unavailable", "sv": "Tillfälligt otillgänglig", "nb": "Midlertidig utilgjengelig"}
	// Each language's page is loaded once, on the phone, and then checked again on the
	// desktop by resizing the tab: a resize costs Chromium far less than a load.
	for _, lang := range []string{"da", "en", "sv", "nb"} {
		for i, width := range []int{390, 1440} {
			viewport := chromedp.EmulateViewport(int64(width), 900)
			if width < 700 {
				viewport = chromedp.EmulateViewport(int64(width), 844, chromedp.EmulateMobile, chromedp.EmulateTouch)
			}
			if i == 0 {
				tb.Do(viewport, chromedp.Navigate(e.http.URL+"/benchmark?lang="+lang))
			} else {
				tb.Resize(viewport)
			}
			where := fmt.Sprintf("503 page %s at %d px", lang, width)
			if h := tb.Text("h1"); !strings.Contains(h, want[lang]) {
				t.Errorf("%s: heading %q, want %q", where, h, want[lang])
			}
			if over, culprits := tb.Overflow(width); over > 0 {
				t.Errorf("%s: %d px wider than the screen: %v", where, over, culprits)
			}
			if lang == "da" { // axe-core's rules read the markup, not the words
				tb.Accessible(where)
			}
			tb.Shot(fmt.Sprintf("unavailable-%d-%s", width, lang))
		}
	}
}

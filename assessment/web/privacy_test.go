package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// TestPrivacyPage: /privacy exists in every language, says how long this server keeps data
// (its own retention setting, or that it has none), and is linked from the footer of every
// page, the test form, the workshop join page and a participant's form.
func TestPrivacyPage(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme")
	headings := map[string]string{"en": "Privacy: what this app stores", "da": "Privatliv: hvad appen gemmer",
		"sv": "Integritet: vad appen sparar", "nb": "Personvern: hva appen lagrer"}
	for _, l := range views.Languages {
		res := e.get("/privacy?lang=" + l.Code)
		d := doc(t, res.Body)
		if res.StatusCode != http.StatusOK || squash(d.Find("h1").Text()) != headings[l.Code] {
			t.Errorf("GET /privacy?lang=%s = %d, heading %q; want 200, %q", l.Code, res.StatusCode, squash(d.Find("h1").Text()), headings[l.Code])
		}
		if n := d.Find(`[data-testid="privacy"] h2`).Length(); n != 6 {
			t.Errorf("%s: %d sections, want 6 (test, workshops, accounts, cookies, how long, how to delete)", l.Code, n)
		}
	}
	if got := squash(doc(t, e.get("/privacy?lang=en").Body).Find(`[data-testid="privacy-keep"]`).Text()); !strings.Contains(got, "no retention period has been set") {
		t.Errorf("without a retention period the page says %q", got)
	}
	for _, path := range []string{"/", "/test", "/j", "/j/" + w.round.Code, "/benchmark"} {
		d := doc(t, e.get(path+"?lang=en").Body)
		if d.Find(`[data-testid="footer-privacy"][href="/privacy"]`).Length() != 1 {
			t.Errorf("%s has no privacy link in its footer", path)
		}
		if path != "/" && path != "/benchmark" && d.Find(`main [data-testid="privacy-link"][href="/privacy"]`).Length() != 1 {
			t.Errorf("%s has no privacy link in its form", path)
		}
	}

	// With a retention period of 24 months, in Danish: "24 måneder".
	r := newEnv(t, func(c *Config) { c.Retention = assessment.Period{Months: 24} })
	if got := squash(doc(t, r.get("/privacy?lang=da").Body).Find(`[data-testid="privacy-keep"]`).Text()); !strings.Contains(got, "sletter resultater af LOYALTY-testen og deltagerne i lukkede workshoprunder 24 måneder efter") {
		t.Errorf("with 24 months the Danish page says %q", got)
	}
	if got := squash(doc(t, r.get("/privacy?lang=en").Body).Find(`[data-testid="privacy-keep"]`).Text()); !strings.Contains(got, " 24 months after ") {
		t.Errorf("with 24 months the English page says %q", got)
	}
}

package web

import (
	"strings"
	"testing"
)

func TestResultShareLinkAndStrengthsHeading(t *testing.T) {
	a := newEnv(t)
	tests := []struct {
		name    string
		s       scores
		heading string
	}{
		// Highest AS-IS 2 is below the middle of the 1-5 scale (3): not strengths as such.
		{"all low", uniform(2, 4), "Your relatively strongest areas"},
		// The middle itself is not yet a strength either.
		{"middle", uniform(3, 4), "Your relatively strongest areas"},
		// One competency at 4 is a real strength.
		{"one strong", uniform(2, 4).with(5, 4, 5), "Your strengths"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := a.submitForm(tt.s, nil)
			d := doc(t, a.get(path+"?lang=en").Body)
			if got := squash(d.Find(`[data-testid="strengths"] h2`).Text()); got != tt.heading {
				t.Errorf("strengths heading = %q, want %q", got, tt.heading)
			}
			link := d.Find(`[data-testid="share-link"]`).AttrOr("value", "")
			// Relative without a base URL (baseurl.go); app.js completes it in the browser.
			if want := path; link != want {
				t.Errorf("share link = %q, want %q", link, want)
			}
			if !strings.Contains(d.Find(`[data-copy="share-link"]`).Text(), "Copy link") {
				t.Error("no copy button for the share link")
			}
		})
	}
}

func TestResultAdviceFollowsNPSYears(t *testing.T) {
	a := newEnv(t)
	tests := []struct {
		name, npsYears, eyebrow, title string
	}{
		// AS-IS 2 everywhere: index 25, stage "Getting started", whose advice is the <1 year one.
		{"by stage", "", "Advice for your stage", "6 pieces of advice for getting (properly) started"},
		// The same answers from a company with more than 5 years of NPS get that segment's advice.
		{"by years", "5+", "Advice for companies that have worked with NPS for more than 5 years",
			"4 pieces of advice for joining (and staying in) the world elite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			extra := map[string][]string{"nps_years": {tt.npsYears}}
			d := doc(t, a.get(a.submitForm(uniform(2, 4), extra)+"?lang=en").Body)
			if got := squash(d.Find(`[data-testid="advice-for"]`).Text()); got != tt.eyebrow {
				t.Errorf("advice for = %q, want %q", got, tt.eyebrow)
			}
			if got := squash(d.Find(`#advice-title`).Text()); got != tt.title {
				t.Errorf("advice title = %q, want %q", got, tt.title)
			}
		})
	}
}

func TestNoHSTSWithoutTLS(t *testing.T) {
	a := newEnv(t)
	// Plain HTTP, and a forged X-Forwarded-Proto without a trusted proxy: no HSTS, and the
	// language cookie is not Secure.
	for _, h := range [][]string{nil, {"X-Forwarded-Proto", "https"}} {
		res := a.get("/?lang=da", h...)
		if got := res.Header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("headers %v: HSTS = %q, want none over plain HTTP", h, got)
		}
		for _, ck := range res.Cookies() {
			if ck.Name == "lang" && ck.Secure {
				t.Errorf("headers %v: the language cookie is Secure over plain HTTP", h)
			}
		}
	}
}

// TestMailtoURL: the "email it to myself" link opens a message whose subject and body are
// exactly the given text: spaces as %20 (RFC 6068; a "+" would stay a plus), and "&", "=",
// "?" and line breaks escaped so that they cannot end the body or start another field.
func TestMailtoURL(t *testing.T) {
	tests := []struct{ subject, body, want string }{
		{"My result", "See /r/abc", "mailto:?subject=My%20result&body=See%20%2Fr%2Fabc"},
		{"Mit resultat", "A&B=C?\n\nhttps://x.example/r/t", "mailto:?subject=Mit%20resultat&body=A%26B%3DC%3F%0A%0Ahttps%3A%2F%2Fx.example%2Fr%2Ft"},
		{"Två+tre", "ø", "mailto:?subject=Tv%C3%A5%2Btre&body=%C3%B8"},
	}
	for _, tt := range tests {
		if got := mailtoURL(tt.subject, tt.body); got != tt.want {
			t.Errorf("mailtoURL(%q, %q) = %q, want %q", tt.subject, tt.body, got, tt.want)
		}
	}
}

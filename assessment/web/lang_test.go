package web

import (
	"testing"
)

// TestAcceptLanguage sends Accept-Language headers to the front page and reads the page's
// lang attribute: q-values order the choice, q=0 means not acceptable (RFC 9110 §12.5.4),
// regional and Norwegian tags find their language, and anything unusable gives English.
func TestAcceptLanguage(t *testing.T) {
	a := newEnv(t)
	tests := []struct {
		header, want string
	}{
		{"", "en"},
		{"da", "da"},
		{"da;q=0, en", "en"},
		{"da;q=0", "en"},
		{"sv;q=0.2, da;q=0.9", "da"},
		{"de, sv;q=0.5", "sv"},
		{"da-DK, en;q=0.8", "da"},
		{"en-GB;q=0.7, sv-FI", "sv"},
		{"nb-NO", "nb"},
		{"no", "nb"},
		{"nn", "nb"},
		{"de, fr", "en"},
		{"*", "en"},
		{"da;q=abc", "en"},
		{"xx-invalid-tag-!!", "en"},
	}
	for _, tt := range tests {
		res := a.get("/", "Accept-Language", tt.header)
		if got := doc(t, res.Body).Find("html").AttrOr("lang", ""); got != tt.want {
			t.Errorf("Accept-Language %q: page language = %q, want %q", tt.header, got, tt.want)
		}
	}
}

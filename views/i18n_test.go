package views

import (
	"strings"
	"testing"
)

// TestMessagesComplete checks that every UI string exists in every language, and that
// format verbs match, so a translation can neither be missing nor break a Sprintf.
func TestMessagesComplete(t *testing.T) {
	en := messages["en"]
	for _, l := range Languages {
		m, ok := messages[l.Code]
		if !ok {
			t.Errorf("language %q is offered but has no messages", l.Code)
			continue
		}
		for k, v := range en {
			tr, ok := m[k]
			if !ok || strings.TrimSpace(tr) == "" {
				t.Errorf("%s: message %q missing", l.Code, k)
				continue
			}
			if verbs(tr) != verbs(v) {
				t.Errorf("%s: message %q has verbs %q, English has %q", l.Code, k, verbs(tr), verbs(v))
			}
		}
		for k := range m {
			if _, ok := en[k]; !ok {
				t.Errorf("%s: message %q has no English original", l.Code, k)
			}
		}
	}
}

// verbs returns the fmt verbs of s in order, e.g. "%d%s".
func verbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			b.WriteString(s[i : i+2])
			i++
		}
	}
	return b.String()
}

func TestLocNum(t *testing.T) {
	tests := []struct {
		lang string
		v    float64
		dec  int
		want string
	}{
		{"en", 2.25, 1, "2.2"}, {"da", 2.35, 1, "2,4"}, {"en", 51, 0, "51"}, {"da", -0.04, 1, "0,0"},
		{"en", -1.5, 1, "−1.5"}, {"sv", 3.14159, 2, "3,14"},
	}
	for _, tt := range tests {
		if got := (Loc{Lang: tt.lang}).Num(tt.v, tt.dec); got != tt.want {
			t.Errorf("Loc{%s}.Num(%g, %d) = %q, want %q", tt.lang, tt.v, tt.dec, got, tt.want)
		}
	}
	if got := (Loc{Lang: "en"}).Signed(2, 0); got != "+2" {
		t.Errorf("Signed(2) = %q, want +2", got)
	}
	if got := (Loc{Lang: "en"}).Signed(0, 0); got != "0" {
		t.Errorf("Signed(0) = %q, want 0", got)
	}
}

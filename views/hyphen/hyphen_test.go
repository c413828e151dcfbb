package hyphen

import (
	"strings"
	"testing"
)

// show writes the soft hyphens as "-" so that expectations read like a dictionary.
func show(s string) string { return strings.ReplaceAll(s, Soft, "-") }

// TestText checks the words the audits found broken, and others the app shows, against break
// points read off the patterns by hand ("Resultatskabe-lse", "Ledelsesforankr-ing",
// "eksekveringshastighede-n" were cut at the box's edge; the stage chips
// "Accelereren/de" and "Verdenselite/n" mid-word).
func TestText(t *testing.T) {
	for _, tc := range []struct{ lang, in, want string }{
		{"da", "Resultatskabelse", "Re-sul-tat-ska-bel-se"},
		{"da", "Ledelsesforankring", "Le-del-ses-for-ank-ring"},
		{"da", "eksekveringshastigheden", "ek-se-kve-rings-hastig-he-den"},
		{"da", "Accelererende", "Ac-ce-le-re-ren-de"},
		{"da", "Verdenseliten", "Ver-den-se-li-ten"},
		{"nb", "Verdenseliten", "Ver-dens-eli-ten"},
		{"nb", "Akselererende", "Ak-se-le-re-ren-de"},
		{"nb", "Ledelsesforankring", "Le-del-ses-for-ank-ring"},
		{"sv", "Ledningsförankring", "Led-nings-förank-ring"},
		{"sv", "Resultatskapande", "Re-sul-tats-ka-pan-de"},
		{"en", "implementation", "im-ple-men-ta-tion"},
		{"en", "hyphenation", "hy-phen-ation"},
		// Two breaks one letter apart keep the later one: "Med-ar", not "Me-d-ar".
		{"da", "Medarbejderinvolvering", "Med-ar-bej-de-rin-vol-ve-ring"},
		// Bokmål's own exception list (hyph-nb.tex) wins over the patterns; "attende" is
		// short, so only as part of a text that is long enough: not at all here.
		{"nb", "attende", "attende"},
		// Short words, numbers and the column names are never touched: "AS-IS" stays whole.
		{"da", "Today (AS-IS) og TO-BE", "Today (AS-IS) og TO-BE"},
		{"en", "Leadership", "Lead-er-ship"},
		{"da", "Spredning", "Spredning"},
		// Each half of a hyphenated compound is a word of its own.
		{"da", "Kundeoplevelses-strategien", "Kun-de-op-le-vel-ses-stra-te-gi-en"},
		// A language without patterns is left alone.
		{"fi", "Ledelsesforankring", "Ledelsesforankring"},
	} {
		if got := show(Text(tc.lang, tc.in)); got != tc.want {
			t.Errorf("Text(%q, %q) = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

// TestTextOnlyAddsSoftHyphens: whatever the text, removing the soft hyphens gives it back, so
// what a reader copies or a screen reader reads is the text as written.
func TestTextOnlyAddsSoftHyphens(t *testing.T) {
	for _, lang := range []string{"da", "sv", "nb", "en"} {
		for _, s := range []string{
			"Der er et effektivt strategisk kundefeedback loop, hvor topledelsen sikrer, at der gennemføres de nødvendige forbedringer på tværs af organisationen?",
			"Ledelsesforankring · Resultatskabelse (AS-IS) → 4,2 — eksekveringshastigheden!",
			"", "ÆØÅæøå ÄÖäö", "x\u00ADy",
		} {
			got := Text(lang, s)
			if strings.ReplaceAll(got, Soft, "") != strings.ReplaceAll(s, Soft, "") {
				t.Errorf("Text(%q, %q) = %q: changes more than soft hyphens", lang, s, got)
			}
		}
	}
}

func BenchmarkText(b *testing.B) {
	s := "Der er et effektivt strategisk kundefeedback loop, hvor topledelsen sikrer, at der gennemføres de nødvendige forbedringer på tværs af organisationen på baggrund af kundernes feedback?"
	For("da")
	for b.Loop() {
		Text("da", s)
	}
}

package export

import (
	"strings"
	"time"
)

// Kinds of export file, as they appear in file names.
const (
	FileRound     = "round"
	FileHistory   = "history"
	FilePortfolio = "portfolio"
	FileResult    = "result"
)

// maxSlug bounds the name part of a file name: long enough to recognise a company, short
// enough for every file system and download bar.
const maxSlug = 60

// FileName returns the name of an export file: "loyalty-acme-as-round-2026-11-29.xlsx" for
// the client "Acme A/S", kind round, that day and ext xlsx. The name part is Slug(name) and
// is left out when nothing of it remains. The result is ASCII letters, digits, dashes and one
// dot, so it needs no quoting or encoding in a Content-Disposition header.
func FileName(name, kind string, day time.Time, ext string) string {
	parts := []string{"loyalty"}
	if s := Slug(name); s != "" {
		parts = append(parts, s)
	}
	parts = append(parts, kind, day.UTC().Format(time.DateOnly))
	return strings.Join(parts, "-") + "." + ext
}

// transliterations spells the Scandinavian and German letters the way their languages do
// without them (æ → ae, ø → oe, å → aa), so "Søstrene Grene" stays readable as
// "soestrene-grene" rather than "s-strene-grene".
var transliterations = map[rune]string{
	'æ': "ae", 'ø': "oe", 'å': "aa", 'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss",
}

// Slug turns a name into lower-case ASCII letters and digits separated by single dashes:
// the letters æ ø å ä ö ü ß are spelt out (transliterations); a slash, period or apostrophe,
// which join the parts of one word ("A/S", "Co.", "O'Brien"), is dropped; anything else that
// is not a letter or digit of ASCII becomes a dash. So "Acme A/S" is "acme-as". At most
// maxSlug characters, never a dash at either end.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r == '/' || r == '.' || r == '\'' || r == '’':
			continue
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case transliterations[r] != "":
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteString(transliterations[r])
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > maxSlug {
		s = strings.TrimRight(s[:maxSlug], "-")
	}
	return s
}

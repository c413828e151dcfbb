// Package hyphen hyphenates Danish, Swedish, Norwegian Bokmål and US English text with the TeX
// hyphenation patterns (Liang's algorithm), by inserting soft hyphens (U+00AD).
//
// Browsers hyphenate with `hyphens: auto` only where they carry a dictionary, and Chromium on
// Linux carries none: long compounds such as "Ledelsesforankring" were broken wherever the box
// ended ("Ledelsesforankr-ing"). A soft hyphen is invisible until the browser breaks the line
// there, and then shows as a hyphen; copying the text copies the word as it was (browsers drop
// U+00AD from the clipboard and from find-in-page matches). So the server marks the break
// points a typesetter would use and the browser picks among them.
//
// The patterns are the unmodified files of the hyph-utf8 package, embedded from patterns/ (see
// patterns/README.md for their source, licences and checksums). They are parsed on first use
// per language.
package hyphen

import (
	"embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed patterns/*.tex
var patternFS embed.FS

// Soft is the soft hyphen, the only character Text inserts.
const Soft = "\u00AD"

// MinLetters is the shortest word Text hyphenates. Shorter words fit any box the app draws and
// a broken short word is harder to read than a ragged line.
const MinLetters = 10

// language names the pattern files of one language and its hyphenmins: the fewest letters
// before the first and after the last break, as the patterns' authors set them for typesetting.
type language struct {
	files       []string
	left, right int
}

var languages = map[string]language{
	"da": {[]string{"hyph-da.tex"}, 2, 2},
	"sv": {[]string{"hyph-sv.tex"}, 2, 2},
	// Bokmål is the Norwegian patterns plus a few Bokmål exceptions, as hyph-nb.tex \inputs
	// hyph-no.tex.
	"nb": {[]string{"hyph-no.tex", "hyph-nb.tex"}, 2, 2},
	// Knuth's hyphen.tex: the US English patterns of plain TeX (hyph-en-us in hyph-utf8).
	"en": {[]string{"hyphen.tex"}, 2, 3},
}

// Hyphenator hyphenates the words of one language.
type Hyphenator struct {
	// patterns maps a pattern's letters (with "." for a word edge) to its digits: values[i]
	// is the digit before letter i, values[len] the one after the last.
	patterns   map[string][]byte
	maxLen     int // the most letters in one pattern, in runes
	exceptions map[string][]int
	left       int
	right      int
}

var (
	mu    sync.Mutex
	cache = map[string]*Hyphenator{}
)

// For returns the hyphenator of a language code ("da", "sv", "nb", "en"), or nil for a language
// without patterns. It parses the patterns on first use.
func For(lang string) *Hyphenator {
	l, ok := languages[lang]
	if !ok {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	if h := cache[lang]; h != nil {
		return h
	}
	h := &Hyphenator{patterns: map[string][]byte{}, exceptions: map[string][]int{}, left: l.left, right: l.right}
	for _, f := range l.files {
		src, err := patternFS.ReadFile("patterns/" + f)
		if err != nil {
			// The files are compiled in; a missing one is a build defect every test reports.
			panic(fmt.Sprintf("hyphen: %v", err))
		}
		h.load(string(src))
	}
	cache[lang] = h
	return h
}

// load reads the \patterns{…} and \hyphenation{…} groups of a TeX pattern file.
func (h *Hyphenator) load(src string) {
	var b strings.Builder
	for line := range strings.Lines(src) {
		if i := strings.IndexByte(line, '%'); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	text := b.String()
	for _, group := range []string{`\patterns{`, `\hyphenation{`} {
		rest := text
		for {
			i := strings.Index(rest, group)
			if i < 0 {
				break
			}
			rest = rest[i+len(group):]
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				end = len(rest)
			}
			for _, tok := range strings.Fields(rest[:end]) {
				if group == `\patterns{` {
					h.addPattern(tok)
				} else {
					h.addException(tok)
				}
			}
			rest = rest[end:]
		}
	}
}

func (h *Hyphenator) addPattern(tok string) {
	var letters strings.Builder
	values := []byte{0}
	for _, r := range tok {
		if r >= '0' && r <= '9' {
			values[len(values)-1] = byte(r - '0')
			continue
		}
		letters.WriteRune(r)
		values = append(values, 0)
	}
	key := letters.String()
	h.patterns[key] = values
	h.maxLen = max(h.maxLen, utf8.RuneCountInString(key))
}

func (h *Hyphenator) addException(tok string) {
	var word strings.Builder
	var breaks []int
	n := 0
	for _, r := range tok {
		if r == '-' {
			breaks = append(breaks, n)
			continue
		}
		word.WriteRune(r)
		n++
	}
	h.exceptions[strings.ToLower(word.String())] = breaks
}

// Points returns where word may be broken: the number of letters before each break, in
// increasing order. word is a single word of letters; case does not matter.
func (h *Hyphenator) Points(word string) []int {
	lower := strings.ToLower(word)
	n := utf8.RuneCountInString(lower)
	if b, ok := h.exceptions[lower]; ok {
		return b
	}
	if n < h.left+h.right {
		return nil
	}
	w := "." + lower + "."
	// starts[i] is the byte offset of rune i of w, so that every substring is a slice of w
	// and looking it up allocates nothing.
	starts := make([]int, 0, n+3)
	for i := range w {
		starts = append(starts, i)
	}
	starts = append(starts, len(w))
	runes := len(starts) - 1
	values := make([]byte, runes+1)
	for i := range runes {
		for j := i + 1; j <= runes && j-i <= h.maxLen; j++ {
			p, ok := h.patterns[w[starts[i]:starts[j]]]
			if !ok {
				continue
			}
			for k, v := range p {
				if v > values[i+k] {
					values[i+k] = v
				}
			}
		}
	}
	// values[m+1] sits between letter m-1 and letter m of the word (w has the "." first).
	var out []int
	for m := h.left; m <= n-h.right; m++ {
		if values[m+1]%2 == 0 {
			continue
		}
		// Two breaks one letter apart would strand that letter on a line of its own
		// ("Me-d-ar-bej-der"): keep the later one, which the patterns put at the seam of a
		// compound ("Med-ar-bej-der").
		if k := len(out) - 1; k >= 0 && out[k] == m-1 {
			out[k] = m
			continue
		}
		out = append(out, m)
	}
	return out
}

// Word returns word with a soft hyphen at each of its break points.
func (h *Hyphenator) Word(word string) string {
	points := h.Points(word)
	if len(points) == 0 {
		return word
	}
	var b strings.Builder
	b.Grow(len(word) + 2*len(points))
	i, next := 0, 0
	for _, r := range word {
		if next < len(points) && i == points[next] {
			b.WriteString(Soft)
			next++
		}
		b.WriteRune(r)
		i++
	}
	return b.String()
}

// Text returns s with soft hyphens in every word of at least MinLetters letters, in the
// language lang. A word is a run of letters: "Kunde-oplevelse" is two words, each hyphenated
// on its own, and digits, punctuation and spaces are left as they are. A language without
// patterns, or a text without long words, comes back unchanged.
func Text(lang, s string) string {
	h := For(lang)
	if h == nil || !hasLongWord(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	start, letters := -1, 0
	for i, r := range s {
		if unicode.IsLetter(r) {
			if start < 0 {
				start = i
			}
			letters++
			continue
		}
		if start >= 0 {
			b.WriteString(h.word(s[start:i], letters))
			start, letters = -1, 0
		}
		b.WriteRune(r)
	}
	if start >= 0 {
		b.WriteString(h.word(s[start:], letters))
	}
	return b.String()
}

// word hyphenates a word of the given number of letters if it is long enough.
func (h *Hyphenator) word(w string, letters int) string {
	if letters < MinLetters {
		return w
	}
	return h.Word(w)
}

// hasLongWord reports whether s has a run of at least MinLetters letters, so that most short
// texts pass through without being copied.
func hasLongWord(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
			if n >= MinLetters {
				return true
			}
			continue
		}
		n = 0
	}
	return false
}

// Package views holds the templ components of the web app, the view models they render and
// the translation catalogue every user-visible string comes from.
//
// View models are shaped for display (labels, formatted numbers, translated strings) so that
// templates stay free of business rules; the web package builds them from the domain.
package views

import (
	"embed"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views/hyphen"
)

// The catalogue: one YAML file per language under locales/, loaded into a go-i18n bundle
// once. go-i18n brings the CLDR plural rules (a message may have "one" and "other" forms,
// chosen by its Count), and x/text the locale's number format.

//go:embed locales/*.yaml
var localeFS embed.FS

// Languages lists the languages with a complete UI translation, in the order the language
// switch shows them. Each has a file locales/<code>.yaml.
var Languages = []Language{{"da", "Dansk"}, {"sv", "Svenska"}, {"nb", "Norsk"}, {"en", "English"}}

// Language is a selectable UI language.
type Language struct {
	Code string
	Name string
}

// defaultLang is the language of a missing translation and of an unknown language code.
const defaultLang = "en"

// Args are the named values of a message's placeholders: Args{"Count": 3} fills {{.Count}}.
// A "Count" also chooses the message's plural form.
type Args = map[string]any

// catalogue is the loaded bundle with one localizer and one number printer per language.
type catalogue struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	printers   map[string]*message.Printer
	// points holds each language's decimal separator, as its printer writes it, for the
	// fast path of Num.
	points map[string]string
}

var cat = mustLoadCatalogue()

// strictParser fails on a placeholder the caller did not fill instead of printing
// "<no value>": a missing argument is a bug that the catalogue test finds.
var strictParser = &template.TextParser{Option: "missingkey=error"}

func mustLoadCatalogue() *catalogue {
	c, err := loadCatalogue()
	if err != nil {
		// The files are compiled into the binary; a broken one is a build defect that every
		// test run reports.
		panic(fmt.Sprintf("views: %v", err))
	}
	return c
}

func loadCatalogue() (*catalogue, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	c := &catalogue{bundle: b, localizers: map[string]*i18n.Localizer{}, printers: map[string]*message.Printer{}, points: map[string]string{}}
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(localeFS, "locales/"+l.Code+".yaml"); err != nil {
			return nil, fmt.Errorf("locales/%s.yaml: %w", l.Code, err)
		}
		c.localizers[l.Code] = i18n.NewLocalizer(b, l.Code)
		c.printers[l.Code] = message.NewPrinter(language.Make(l.Code))
		c.points[l.Code] = strings.Trim(c.printers[l.Code].Sprint(number.Decimal(1.5, number.Scale(1))), "15")
	}
	return c, nil
}

func (c *catalogue) localizer(lang string) *i18n.Localizer {
	if lz, ok := c.localizers[lang]; ok {
		return lz
	}
	return c.localizers[defaultLang]
}

// Loc formats and translates for one language.
type Loc struct {
	// Lang is the language code ("da", "en", …).
	Lang string
}

// T returns the message key in the locale's language. A key the catalogue does not have shows
// as the key itself, so that a gap is visible rather than blank.
func (l Loc) T(key string) string { return l.F(key, nil) }

// N returns the message key with its plural form chosen by n, which fills {{.Count}}.
func (l Loc) N(key string, n int) string { return l.F(key, Args{"Count": n}) }

// F returns the message key with its placeholders filled from args. Numbers in args are
// written the locale's way (1.234 / 1,234); a "Count" also chooses the plural form.
func (l Loc) F(key string, args Args) string {
	cfg := &i18n.LocalizeConfig{MessageID: key, TemplateParser: strictParser}
	if len(args) > 0 {
		data := make(map[string]any, len(args))
		for k, v := range args {
			data[k] = l.arg(v)
		}
		cfg.TemplateData = data
		if n, ok := args["Count"]; ok {
			cfg.PluralCount = n
		}
	}
	// go-i18n reports a message without a "one" form as an error but renders its "other",
	// and a key missing in this language as an error but renders the English: both are
	// usable. Only an unknown key or a placeholder without a value renders nothing.
	s, err := cat.localizer(l.Lang).Localize(cfg)
	if err != nil && s == "" {
		return key
	}
	return s
}

// arg formats a placeholder value: whole numbers with the locale's grouping, everything else
// as given (callers format decimals with Num, which knows how many to show).
func (l Loc) arg(v any) any {
	switch n := v.(type) {
	case int:
		return l.Num(float64(n), 0)
	case int64:
		return l.Num(float64(n), 0)
	}
	return v
}

// Has reports whether the catalogue has key in the locale's language.
func (l Loc) Has(key string) bool {
	_, err := cat.localizer(l.Lang).Localize(&i18n.LocalizeConfig{MessageID: key, TemplateParser: &template.IdentityParser{}})
	return err == nil
}

// Text returns a questionnaire text in the locale's language.
func (l Loc) Text(t assessment.Text) string { return t.In(l.Lang) }

// Decimal returns the language's decimal separator as CLDR has it: "," in Danish, Swedish
// and Norwegian, "." in English (and for an unknown language, which is shown in English).
func (l Loc) Decimal() string {
	if p, ok := cat.points[l.Lang]; ok {
		return p
	}
	return cat.points[defaultLang]
}

// Num formats v with the given number of decimals the way the language writes numbers: a
// decimal comma in Danish, Swedish and Norwegian, the locale's digit grouping, and a true
// minus sign. v is rounded as strconv.FormatFloat rounds it: by its exact binary value, so
// 2.35 (stored as 2.35000000000000008…) shows as 2.4 and 2.25 as 2.2.
func (l Loc) Num(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	// Round first, as strconv does, so the shown digits are the same in every language; the
	// printer then only writes them. A value that rounds to zero loses its sign.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
	if r == 0 {
		r = 0
	}
	lang := l.Lang
	if _, ok := cat.printers[lang]; !ok {
		lang = defaultLang
	}
	var s string
	if math.Abs(r) < 1000 {
		// No digit grouping below 1,000: only the decimal separator differs, and strconv is
		// twenty times faster than the printer (a live dashboard formats ~500 numbers).
		s = strings.Replace(strconv.FormatFloat(r, 'f', decimals, 64), ".", cat.points[lang], 1)
	} else {
		s = cat.printers[lang].Sprint(number.Decimal(r, number.Scale(decimals)))
	}
	return strings.Replace(s, "-", "−", 1)
}

// Signed formats v like Num but always with a sign, as gaps are read as a direction.
func (l Loc) Signed(v float64, decimals int) string {
	s := l.Num(v, decimals)
	if v > 0 && s != l.Num(0, decimals) {
		return "+" + s
	}
	return s
}

// Keys returns every message key of the catalogue, sorted: tests scan pages for the English
// text of any of them on a page in another language.
func Keys() []string {
	data, err := localeFS.ReadFile("locales/" + defaultLang + ".yaml")
	if err != nil {
		return nil
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(raw))
}

// Hy returns s with soft hyphens (U+00AD) at the break points of its long words, from the TeX
// patterns of the locale's language: the browser breaks a competency name or a stage that does
// not fit its box at a correct syllable, with a hyphen, instead of at the box's edge. The text
// reads, copies and searches as before.
func (l Loc) Hy(s string) string { return hyphen.Text(l.Lang, s) }

// Shown returns v rounded to decimals as Num shows it.
func Shown(v float64, decimals int) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
	return r
}

// Gap formats the gap from asIs to toBe as the difference of the two figures shown beside it,
// each rounded to decimals: "2.5 → 4.2" says "+1.7" even when the unrounded means
// (2.46 → 4.24) are 1.78 apart, so that every row adds up as the reader checks it.
func (l Loc) Gap(asIs, toBe float64, decimals int) string {
	return l.Signed(Shown(toBe, decimals)-Shown(asIs, decimals), decimals)
}

package views_test

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// rawCatalogue reads locales/<lang>.yaml as data: key → forms (a plain string is the single
// form "other").
func rawCatalogue(t *testing.T, lang string) map[string]map[string]string {
	t.Helper()
	data, err := os.ReadFile("locales/" + lang + ".yaml")
	if err != nil {
		t.Fatalf("read locales/%s.yaml: %v", lang, err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("parse locales/%s.yaml: %v", lang, err)
	}
	out := map[string]map[string]string{}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = map[string]string{"other": v}
		case map[string]any:
			forms := map[string]string{}
			for f, s := range v {
				str, ok := s.(string)
				if !ok {
					t.Fatalf("%s: %s.%s is %T, want a string", lang, k, f, s)
				}
				forms[f] = str
			}
			out[k] = forms
		default:
			t.Fatalf("%s: %s is %T, want a string or plural forms", lang, k, v)
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// placeholders returns the sorted, distinct placeholder names of all forms of a message.
func placeholders(forms map[string]string) []string {
	set := map[string]bool{}
	for _, s := range forms {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			set[m[1]] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// TestCatalogueComplete proves that every key exists in every language with the same
// placeholders, that plural forms are CLDR categories these languages have (one, other) with
// "other" always present, and that no language has a key English lacks.
func TestCatalogueComplete(t *testing.T) {
	en := rawCatalogue(t, "en")
	if len(en) < 300 {
		t.Fatalf("English catalogue has %d keys; the embedded file looks truncated", len(en))
	}
	for _, l := range views.Languages {
		m := rawCatalogue(t, l.Code)
		for k, forms := range en {
			tr, ok := m[k]
			if !ok {
				t.Errorf("%s: message %q missing", l.Code, k)
				continue
			}
			if got, want := placeholders(tr), placeholders(forms); !slices.Equal(got, want) {
				t.Errorf("%s: message %q has placeholders %v, English has %v", l.Code, k, got, want)
			}
			if _, ok := tr["other"]; !ok {
				t.Errorf("%s: message %q has plural forms %v without \"other\"", l.Code, k, slices.Sorted(maps.Keys(tr)))
			}
			for f, s := range tr {
				if f != "one" && f != "other" {
					t.Errorf("%s: message %q has plural form %q; da, en, nb and sv use only one and other", l.Code, k, f)
				}
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: message %q (%s) is empty", l.Code, k, f)
				}
			}
		}
		for k := range m {
			if _, ok := en[k]; !ok {
				t.Errorf("%s: message %q has no English original", l.Code, k)
			}
		}
	}
}

// TestCatalogueRenders fills every message of every language with values for its
// placeholders, in the singular and the plural, and checks the catalogue renders it (a
// broken template or a placeholder the file misspells would fall back to the key).
func TestCatalogueRenders(t *testing.T) {
	en := rawCatalogue(t, "en")
	for _, l := range views.Languages {
		loc := views.Loc{Lang: l.Code}
		for k, forms := range en {
			for _, n := range []int{1, 2} {
				args := views.Args{}
				for _, p := range placeholders(forms) {
					args[p] = fmt.Sprintf("<%s>", p)
				}
				args["Count"] = n
				got := loc.F(k, args)
				if got == k {
					t.Errorf("%s: F(%q) did not render", l.Code, k)
				}
				if strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
					t.Errorf("%s: F(%q) = %q, has an unfilled placeholder", l.Code, k, got)
				}
			}
		}
	}
}

func TestPlurals(t *testing.T) {
	tests := []struct {
		lang, key string
		n         int
		want      string
	}{
		{"en", "errors.summary", 1, "Please check 1 answer"},
		{"en", "errors.summary", 2, "Please check 2 answers"},
		{"en", "errors.summary", 0, "Please check 0 answers"},
		{"en", "ws.login.locked", 1, "Too many failed sign-ins. Try again in 1 minute."},
		{"da", "ws.login.locked", 1, "For mange mislykkede forsøg. Prøv igen om 1 minut."},
		{"da", "ws.login.locked", 15, "For mange mislykkede forsøg. Prøv igen om 15 minutter."},
		{"nb", "ws.join.too_many", 1, "For mange ukjente koder fra nettverket ditt. Prøv igjen om 1 minutt."},
		{"sv", "ws.delete.text", 1, "Detta raderar kunden, dess 1 omgång och alla svar i den, och tar bort den ur benchmark-poolen. Det går inte att ångra."},
		{"en", "pool.companies", 100000, "100,000 companies (each counted once, with its latest result)."},
		{"da", "pool.companies", 100000, "100.000 virksomheder (hver talt én gang, med sit seneste resultat)."},
	}
	for _, tt := range tests {
		if got := (views.Loc{Lang: tt.lang}).N(tt.key, tt.n); got != tt.want {
			t.Errorf("views.Loc{%s}.N(%q, %d) = %q, want %q", tt.lang, tt.key, tt.n, got, tt.want)
		}
	}
}

func TestMissingKeyShowsKey(t *testing.T) {
	if got := (views.Loc{Lang: "da"}).T("no.such.key"); got != "no.such.key" {
		t.Errorf("T(no.such.key) = %q, want the key itself", got)
	}
	if got := (views.Loc{Lang: "xx"}).T("nav.home"); got != "About the test" {
		t.Errorf("unknown language: T(nav.home) = %q, want the English text", got)
	}
}

func TestLocNum(t *testing.T) {
	tests := []struct {
		lang string
		v    float64
		dec  int
		want string
	}{
		{"en", 2.25, 1, "2.2"}, {"da", 2.35, 1, "2,4"}, {"en", 51, 0, "51"}, {"da", -0.04, 1, "0,0"},
		{"en", -1.5, 1, "−1.5"}, {"sv", 3.14159, 2, "3,14"}, {"nb", -2, 0, "−2"},
		{"en", 100000, 0, "100,000"}, {"da", 1234.5, 1, "1.234,5"}, {"sv", 100000, 0, "100\u00a0000"},
	}
	for _, tt := range tests {
		if got := (views.Loc{Lang: tt.lang}).Num(tt.v, tt.dec); got != tt.want {
			t.Errorf("views.Loc{%s}.Num(%g, %d) = %q, want %q", tt.lang, tt.v, tt.dec, got, tt.want)
		}
	}
	if got := (views.Loc{Lang: "en"}).Signed(2, 0); got != "+2" {
		t.Errorf("Signed(2) = %q, want +2", got)
	}
	if got := (views.Loc{Lang: "en"}).Signed(0, 0); got != "0" {
		t.Errorf("Signed(0) = %q, want 0", got)
	}
	for lang, want := range map[string]string{"da": ",", "sv": ",", "nb": ",", "en": ".", "xx": "."} {
		if got := (views.Loc{Lang: lang}).Decimal(); got != want {
			t.Errorf("views.Loc{%s}.Decimal() = %q, want %q", lang, got, want)
		}
	}
}

// TestDomainMessagesTranslated proves that every message key the domain can return, and a
// sentence and a hint for every field rule, exist in the catalogue.
func TestDomainMessagesTranslated(t *testing.T) {
	for _, l := range views.Languages {
		loc := views.Loc{Lang: l.Code}
		for _, k := range assessment.MessageKeys {
			if !loc.Has(k) {
				t.Errorf("%s: the domain's message %q is not in the catalogue", l.Code, k)
			}
		}
		// Every rule has a sentence for a text field, or for an answer, or (too_short: only
		// passwords have a minimum) for the one field it applies to.
		for _, rule := range assessment.Rules {
			if !loc.Has("problem."+rule) && !loc.Has("problem.answer."+rule) && !loc.Has("problem.password."+rule) {
				t.Errorf("%s: rule %q has no problem.* message", l.Code, rule)
			}
		}
	}
}

func TestFieldProblems(t *testing.T) {
	en, da := views.Loc{Lang: "en"}, views.Loc{Lang: "da"}
	tests := []struct {
		loc     views.Loc
		fe      assessment.FieldError
		problem string
		hint    string
	}{
		{en, assessment.FieldError{Competency: 7, Field: assessment.FieldToBe, Rule: assessment.RuleRange, Args: assessment.Args{"Value": "6", "Min": 1, "Max": 5}},
			"competency 7: the TO-BE score 6 is outside the scale 1-5", "Choose a value from 1 to 5: Should be (TO-BE)."},
		{da, assessment.FieldError{Competency: 12, Field: assessment.FieldAsIs, Rule: assessment.RuleRequired},
			"kompetence 12: AS-IS-scoren mangler", "Vælg, hvor godt det passer: I dag (AS-IS)."},
		{en, assessment.FieldError{Field: "respondent.role", Rule: assessment.RuleTooLong, Args: assessment.Args{"Length": 101, "Max": 100}},
			"respondent.role: 101 characters, at most 100 allowed", "Too long: at most 100 characters."},
		{en, assessment.FieldError{Field: "password", Rule: assessment.RuleTooShort, Args: assessment.Args{"Min": 12}},
			"password: at least 12 characters are required", "The password needs at least 12 characters."},
		{da, assessment.FieldError{Field: "company.country", Rule: assessment.RuleChoice, Args: assessment.Args{"Value": `"DNK"`}},
			`company.country: "DNK" er ikke en landekode efter ISO 3166 alpha-2`, "Vælg en af mulighederne."},
		{en, assessment.FieldError{Field: "due", Rule: assessment.RuleDate, Args: assessment.Args{"Value": `"tomorrow"`}},
			`due: "tomorrow" is not a date (YYYY-MM-DD)`, "Enter a date as YYYY-MM-DD, or leave it empty."},
	}
	for _, tt := range tests {
		if got := tt.loc.Problem(tt.fe); got != tt.problem {
			t.Errorf("views.Loc{%s}.Problem(%s) = %q, want %q", tt.loc.Lang, tt.fe, got, tt.problem)
		}
		if got := tt.loc.Hint(tt.fe); got != tt.hint {
			t.Errorf("views.Loc{%s}.Hint(%s) = %q, want %q", tt.loc.Lang, tt.fe, got, tt.hint)
		}
	}
	if got := en.Error(assessment.Invalid([]assessment.FieldError{{Field: "title", Rule: assessment.RuleRequired}})); got != "title: a value is required" {
		t.Errorf("Error(one problem) = %q, want the problem itself", got)
	}
	if got := da.Error(assessment.Invalid(make([]assessment.FieldError, 3))); got != "3 felter skal rettes" {
		t.Errorf("Error(three problems) = %q", got)
	}
	if got := da.Error(errors.New("disk on fire")); got != "Noget gik galt hos os. Prøv venligst igen." {
		t.Errorf("Error(internal) = %q, want the generic sentence", got)
	}
}

package assessment

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Company is the optional profile of the respondent's company.
type Company struct {
	Name     string `json:"name,omitempty"`
	Industry string `json:"industry,omitempty"`
	Size     string `json:"size,omitempty"`
	Country  string `json:"country,omitempty"`
	NPSYears string `json:"nps_years,omitempty"`
	// Workspace is, in a consultant's client's benchmark profile only, the id of the workspace
	// the client belongs to: it selects the client's "our clients" peer group (GroupWorkspace).
	// A five-minute test has none, and nothing a respondent sends can set it.
	Workspace string `json:"-"`
}

// Assessment is one completed five-minute test: who answered (optionally), in which
// language, on which questionnaire version, and the 21 ratings.
type Assessment struct {
	// ID is the internal row id; never shown to users.
	ID int64
	// Token is the public, unguessable identifier used in result links.
	Token                string
	QuestionnaireVersion string
	Lang                 string
	CreatedAt            time.Time
	Role                 string
	Company              Company
	// BenchmarkConsent is the respondent's opt-in to include the answers anonymously in the
	// benchmark pool.
	BenchmarkConsent bool
	// Ratings holds the 21 answers in competency number order.
	Ratings Ratings
	// PreviousID is the row id of the earlier result this one retakes (retake.go), 0 for
	// none, and 0 again once the earlier result is deleted. Like ID, it is never shown.
	PreviousID int64
	// VerifiedDomain is the company domain the result was confirmed for by work email
	// (verification.go), "" when it was not; VerifiedAt is when.
	VerifiedDomain string
	VerifiedAt     time.Time
}

// Submission is a test as sent by a respondent, before validation.
type Submission struct {
	Lang             string
	Role             string
	Company          Company
	BenchmarkConsent bool
	Answers          []Answer
}

// Limits on free-text fields, in characters.
const (
	MaxCompanyName = 200
	MaxRole        = 100
)

// NewAssessment validates a submission and returns the assessment to store (without token and
// creation time, which the store assigns). An unknown language falls back to English rather
// than failing: the answers matter more than the language they were given in.
func (q *Questionnaire) NewAssessment(s Submission) (*Assessment, error) {
	var problems []FieldError
	lang := strings.ToLower(strings.TrimSpace(s.Lang))
	if !q.HasLanguage(lang) {
		lang = "en"
		if !q.HasLanguage(lang) {
			lang = q.Languages[0]
		}
	}
	role, p := CleanText("respondent.role", s.Role, MaxRole)
	problems = append(problems, p...)
	name, p := CleanText("company.name", s.Company.Name, MaxCompanyName)
	problems = append(problems, p...)
	company := s.Company
	company.Name = name
	problems = append(problems, q.checkProfile(&company)...)

	ratings, err := q.ValidateAnswers(s.Answers)
	problems = append(problems, FieldErrors(err)...)
	if len(problems) > 0 {
		return nil, Invalid(problems)
	}
	a := &Assessment{
		QuestionnaireVersion: q.Version,
		Lang:                 lang,
		Role:                 role,
		Company:              company,
		BenchmarkConsent:     s.BenchmarkConsent,
		Ratings:              ratings,
	}
	return a, nil
}

// checkProfile validates the optional company profile codes against the questionnaire's lists.
// Empty values are allowed: the profile is optional.
func (q *Questionnaire) checkProfile(c *Company) []FieldError {
	var problems []FieldError
	keys := func(opts []Option) []string {
		out := make([]string, len(opts))
		for i, o := range opts {
			out[i] = o.Key
		}
		return out
	}
	if c.Industry != "" {
		if _, ok := q.Industry(c.Industry); !ok {
			problems = append(problems, Choice("company.industry", c.Industry, keys(q.Industries)))
		}
	}
	if c.Size != "" {
		if _, ok := q.SizeBand(c.Size); !ok {
			problems = append(problems, Choice("company.size", c.Size, keys(q.SizeBands)))
		}
	}
	if c.NPSYears != "" {
		if _, ok := q.Segment(c.NPSYears); !ok {
			var segs []string
			for _, s := range q.Segments {
				segs = append(segs, s.Key)
			}
			problems = append(problems, Choice("company.nps_years", c.NPSYears, segs))
		}
	}
	if c.Country != "" {
		cc := strings.ToUpper(strings.TrimSpace(c.Country))
		if !IsCountry(cc) {
			problems = append(problems, FieldError{Field: "company.country", Rule: RuleChoice, Args: Args{"Value": strconv.Quote(c.Country)}})
		} else {
			c.Country = cc
		}
	}
	return problems
}

// CleanText trims a free-text field and checks that it is valid UTF-8, has no control
// characters and no characters that override the direction of text (IsBidiOverride), is not
// made only of characters that show nothing (IsInvisible), and is at most max characters
// long. field names the field in the problem.
func CleanText(field, s string, max int) (string, []FieldError) {
	if !utf8.ValidString(s) {
		return "", []FieldError{{Field: field, Rule: RuleEncoding}}
	}
	s = strings.TrimSpace(s)
	visible := false
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return "", []FieldError{{Field: field, Rule: RuleControl, Args: Args{"Char": fmt.Sprintf("%U", r)}}}
		case IsBidiOverride(r):
			return "", []FieldError{{Field: field, Rule: RuleBidi, Args: Args{"Char": fmt.Sprintf("%U", r)}}}
		case !IsInvisible(r):
			visible = true
		}
	}
	if s != "" && !visible {
		return "", []FieldError{{Field: field, Rule: RuleInvisible}}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", []FieldError{{Field: field, Rule: RuleTooLong, Args: Args{"Length": n, "Max": max}}}
	}
	return s, nil
}

// CleanMultiline is CleanText for a text of several lines: line breaks and tabs are kept
// (CR LF becomes LF), every other control character is refused.
func CleanMultiline(field, s string, max int) (string, []FieldError) {
	if !utf8.ValidString(s) {
		return "", []FieldError{{Field: field, Rule: RuleEncoding}}
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	for _, r := range s {
		switch {
		case unicode.IsControl(r) && r != '\n' && r != '\t':
			return "", []FieldError{{Field: field, Rule: RuleControl, Args: Args{"Char": fmt.Sprintf("%U", r)}}}
		case IsBidiOverride(r):
			return "", []FieldError{{Field: field, Rule: RuleBidi, Args: Args{"Char": fmt.Sprintf("%U", r)}}}
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", []FieldError{{Field: field, Rule: RuleTooLong, Args: Args{"Length": n, "Max": max}}}
	}
	return s, nil
}

// IsBidiOverride reports whether r is one of the explicit directional embeddings, overrides
// and isolates (U+202A–U+202E, U+2066–U+2069). They reorder the text that follows them up to
// the end of the paragraph, so a name holding one can display as a different name ("Trojan
// Source", CVE-2021-42574) wherever it is shown: pages, exports, the dashboard. Right-to-left
// scripts do not need them; the marks U+200E, U+200F and U+061C, which affect only their
// neighbours, stay allowed.
func IsBidiOverride(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// IsInvisible reports whether r shows nothing on its own: white space, format characters
// (zero-width space and joiners, the byte order mark, the soft hyphen, tags), variation
// selectors, the other default-ignorable code points (the Hangul fillers, the combining
// grapheme joiner) and the blank Braille pattern U+2800, which fonts draw as empty. A text
// made only of these looks empty but is not, so it would pass for a name while naming no one.
func IsInvisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || r == 0x2800
}

// Required returns the problem of a required field left empty.
func Required(field string) FieldError { return FieldError{Field: field, Rule: RuleRequired} }

// Choice returns the problem of a value that is not one of the allowed ones.
func Choice(field, value string, allowed []string) FieldError {
	return FieldError{Field: field, Rule: RuleChoice, Args: Args{"Value": strconv.Quote(value), "Allowed": strings.Join(allowed, ", ")}}
}

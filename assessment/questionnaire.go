package assessment

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// Text is a translated text: language code → text.
type Text map[string]string

// In returns the text in lang, falling back to English and then to any language, so a view
// never shows an empty string for a text that validation has checked.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	if s, ok := t["en"]; ok {
		return s
	}
	for _, s := range t {
		return s
	}
	return ""
}

// Scale is the answer scale shared by AS-IS and TO-BE.
type Scale struct {
	Min    int          `yaml:"min" json:"min"`
	Max    int          `yaml:"max" json:"max"`
	Labels []ScalePoint `yaml:"labels" json:"-"`
}

// ScalePoint is one point of the scale with its label.
type ScalePoint struct {
	Value int  `yaml:"value"`
	Label Text `yaml:"label"`
}

// Points returns the scale values from Min to Max.
func (s Scale) Points() []int {
	p := make([]int, 0, s.Max-s.Min+1)
	for v := s.Min; v <= s.Max; v++ {
		p = append(p, v)
	}
	return p
}

// Label returns the label of value v in lang.
func (s Scale) Label(v int, lang string) string {
	for _, p := range s.Labels {
		if p.Value == v {
			return p.Label.In(lang)
		}
	}
	return fmt.Sprint(v)
}

// Index maps a mean score on the scale to 0-100.
func (s Scale) Index(mean float64) float64 {
	return (mean - float64(s.Min)) / float64(s.Max-s.Min) * 100
}

// Theme is one of the three themes that group the categories.
type Theme struct {
	Key  string `yaml:"key"`
	Name Text   `yaml:"name"`
}

// Category is one of the seven L-O-Y-A-L-T-Y categories. Letters repeat; Key is unique.
type Category struct {
	Key    string `yaml:"key"`
	Letter string `yaml:"letter"`
	Theme  string `yaml:"theme"`
	Name   Text   `yaml:"name"`
}

// Competency is one of the 21 competencies, numbered 1-21.
type Competency struct {
	Number   int    `yaml:"number"`
	Key      string `yaml:"key"`
	Category string `yaml:"category"`
	Name     Text   `yaml:"name"`
	// Label says in a few words what the competency measures ("monthly measurement" for
	// AS-IS): lists and tables show it beside the name, which alone can read like a column
	// heading or the name of a scale.
	Label     Text `yaml:"label"`
	Statement Text `yaml:"statement"`
}

// Stage is a maturity stage on the 0-100 AS-IS index, starting at From (inclusive).
type Stage struct {
	Key         string  `yaml:"key"`
	From        float64 `yaml:"from"`
	Segment     string  `yaml:"segment"`
	Name        Text    `yaml:"name"`
	Description Text    `yaml:"description"`
}

// Segment is one of the deck's maturity segments by years of working with NPS, with advice.
type Segment struct {
	Key    string   `yaml:"key"`
	Name   Text     `yaml:"name"`
	Title  Text     `yaml:"title"`
	Advice []Advice `yaml:"advice"`
}

// Advice is one piece of advice of a segment.
type Advice struct {
	Title Text `yaml:"title"`
	Text  Text `yaml:"text"`
}

// Option is a choice in a profile list (industry, size band).
type Option struct {
	Key  string `yaml:"key"`
	Name Text   `yaml:"name"`
}

// Questionnaire is the instrument: loaded from questions.yaml and validated once at start-up,
// then shared read-only.
type Questionnaire struct {
	Version           string   `yaml:"version"`
	Languages         []string `yaml:"languages"`
	Scale             Scale    `yaml:"scale"`
	DisagreementRange int      `yaml:"disagreement_range"`
	// MinParticipantsForDetail is how many participants must have finished before a round
	// shows anything about single participants (assessment.ShowsDetail).
	MinParticipantsForDetail int          `yaml:"min_participants_for_detail"`
	Themes                   []Theme      `yaml:"themes"`
	Categories               []Category   `yaml:"categories"`
	Competencies             []Competency `yaml:"competencies"`
	Stages                   []Stage      `yaml:"stages"`
	Segments                 []Segment    `yaml:"segments"`
	Industries               []Option     `yaml:"industries"`
	SizeBands                []Option     `yaml:"size_bands"`

	// catIndex maps a category key to its position in Categories.
	catIndex map[string]int
	// themeIndex maps a theme key to its position in Themes.
	themeIndex map[string]int
	// compCat holds, for each competency in number order, the position of its category.
	compCat []int
}

// CompetencyCount is the number of competencies the LOYALTY model has.
const CompetencyCount = 21

// ParseQuestionnaire decodes and validates a questionnaire. name is used in error messages
// (usually the file name), so that a broken file is reported as
// `questions.yaml: category "tactics": 2 competencies, want 3`.
func ParseQuestionnaire(name string, data []byte) (*Questionnaire, error) {
	var q Questionnaire
	dec := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField())
	if err := dec.Decode(&q); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := q.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	q.index()
	return &q, nil
}

func (q *Questionnaire) index() {
	q.catIndex = make(map[string]int, len(q.Categories))
	for i, c := range q.Categories {
		q.catIndex[c.Key] = i
	}
	q.themeIndex = make(map[string]int, len(q.Themes))
	for i, t := range q.Themes {
		q.themeIndex[t.Key] = i
	}
	q.compCat = make([]int, len(q.Competencies))
	for i, c := range q.Competencies {
		q.compCat[i] = q.catIndex[c.Category]
	}
}

// validate checks everything the rest of the program relies on, so that no handler ever has
// to cope with a missing text or a dangling key. Each part checks one section of the file and
// names the item it rejects.
func (q *Questionnaire) validate() error {
	for _, check := range []func() error{
		q.validateLanguages, q.validateScale, q.validateThemes, q.validateCategories,
		q.validateCompetencies, q.validateSegments, q.validateStages, q.validateProfileLists,
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (q *Questionnaire) validateLanguages() error {
	if strings.TrimSpace(q.Version) == "" {
		return fmt.Errorf("version is missing")
	}
	if len(q.Languages) == 0 {
		return fmt.Errorf("languages: at least one language is required")
	}
	for i, l := range q.Languages {
		if l == "" || slices.Contains(q.Languages[:i], l) {
			return fmt.Errorf("languages: %q is empty or listed twice", l)
		}
	}
	return nil
}

// checkText requires t to have a text in every declared language and none in another.
func (q *Questionnaire) checkText(where, field string, t Text) error {
	for _, l := range q.Languages {
		if strings.TrimSpace(t[l]) == "" {
			return fmt.Errorf("%s: %s has no %q text", where, field, l)
		}
	}
	for l := range t {
		if !slices.Contains(q.Languages, l) {
			return fmt.Errorf("%s: %s has text in undeclared language %q", where, field, l)
		}
	}
	return nil
}

func (q *Questionnaire) validateScale() error {
	s := q.Scale
	if s.Max <= s.Min {
		return fmt.Errorf("scale: max %d must be greater than min %d", s.Max, s.Min)
	}
	if s.Max-s.Min > 10 {
		return fmt.Errorf("scale: %d points is more than 11", s.Max-s.Min+1)
	}
	if len(s.Labels) != s.Max-s.Min+1 {
		return fmt.Errorf("scale: %d labels, want one for each of the %d points", len(s.Labels), s.Max-s.Min+1)
	}
	for i, p := range s.Labels {
		if p.Value != s.Min+i {
			return fmt.Errorf("scale: label %d has value %d, want %d", i+1, p.Value, s.Min+i)
		}
		if err := q.checkText(fmt.Sprintf("scale point %d", p.Value), "label", p.Label); err != nil {
			return err
		}
	}
	if q.DisagreementRange < 1 || q.DisagreementRange > s.Max-s.Min {
		return fmt.Errorf("disagreement_range: %d, want 1 to %d", q.DisagreementRange, s.Max-s.Min)
	}
	if q.MinParticipantsForDetail == 0 {
		q.MinParticipantsForDetail = DefaultMinParticipantsForDetail
	}
	if q.MinParticipantsForDetail < 2 || q.MinParticipantsForDetail > 100 {
		return fmt.Errorf("min_participants_for_detail: %d, want 2 to 100", q.MinParticipantsForDetail)
	}
	return nil
}

func (q *Questionnaire) validateThemes() error {
	if len(q.Themes) != 3 {
		return fmt.Errorf("themes: %d themes, want 3", len(q.Themes))
	}
	seen := map[string]bool{}
	for _, t := range q.Themes {
		if t.Key == "" {
			return fmt.Errorf("themes: a theme has no key")
		}
		if seen[t.Key] {
			return fmt.Errorf("theme %q: key used twice", t.Key)
		}
		seen[t.Key] = true
		if err := q.checkText(fmt.Sprintf("theme %q", t.Key), "name", t.Name); err != nil {
			return err
		}
	}
	return nil
}

func (q *Questionnaire) validateCategories() error {
	const letters = "LOYALTY"
	if len(q.Categories) != len(letters) {
		return fmt.Errorf("categories: %d categories, want %d", len(q.Categories), len(letters))
	}
	themes := map[string]int{}
	for _, t := range q.Themes {
		themes[t.Key] = 0
	}
	seen := map[string]bool{}
	for i, c := range q.Categories {
		if c.Key == "" {
			return fmt.Errorf("categories: category %d has no key", i+1)
		}
		if seen[c.Key] {
			return fmt.Errorf("category %q: key used twice", c.Key)
		}
		seen[c.Key] = true
		if c.Letter != letters[i:i+1] {
			return fmt.Errorf("category %q: letter %q, want %q (categories spell L-O-Y-A-L-T-Y in order)", c.Key, c.Letter, letters[i:i+1])
		}
		if _, ok := themes[c.Theme]; !ok {
			return fmt.Errorf("category %q: unknown theme %q", c.Key, c.Theme)
		}
		themes[c.Theme]++
		if err := q.checkText(fmt.Sprintf("category %q", c.Key), "name", c.Name); err != nil {
			return err
		}
	}
	for _, t := range q.Themes {
		if themes[t.Key] == 0 {
			return fmt.Errorf("theme %q: no category", t.Key)
		}
	}
	return nil
}

func (q *Questionnaire) validateCompetencies() error {
	if len(q.Competencies) != CompetencyCount {
		return fmt.Errorf("competencies: %d competencies, want %d", len(q.Competencies), CompetencyCount)
	}
	cats := map[string]int{}
	for _, c := range q.Categories {
		cats[c.Key] = 0
	}
	keys := map[string]bool{}
	for i, c := range q.Competencies {
		where := fmt.Sprintf("competency %d", c.Number)
		if c.Number != i+1 {
			return fmt.Errorf("competencies: item %d has number %d, want %d (numbers must run 1-%d in order, each once)", i+1, c.Number, i+1, CompetencyCount)
		}
		if c.Key == "" {
			return fmt.Errorf("%s: no key", where)
		}
		if keys[c.Key] {
			return fmt.Errorf("%s: key %q used twice", where, c.Key)
		}
		keys[c.Key] = true
		if _, ok := cats[c.Category]; !ok {
			return fmt.Errorf("%s: unknown category %q", where, c.Category)
		}
		cats[c.Category]++
		if err := q.checkText(where, "name", c.Name); err != nil {
			return err
		}
		if err := q.checkText(where, "label", c.Label); err != nil {
			return err
		}
		if err := q.checkText(where, "statement", c.Statement); err != nil {
			return err
		}
	}
	for i, c := range q.Categories {
		if cats[c.Key] != 3 {
			return fmt.Errorf("category %q: %d competencies, want 3", c.Key, cats[c.Key])
		}
		// Competencies of a category are consecutive: 1-3 are L, 4-6 are O, and so on.
		for j := 0; j < 3; j++ {
			if got := q.Competencies[i*3+j].Category; got != c.Key {
				return fmt.Errorf("competency %d: category %q, want %q (competencies %d-%d belong to %q)", i*3+j+1, got, c.Key, i*3+1, i*3+3, c.Key)
			}
		}
	}
	return nil
}

func (q *Questionnaire) validateSegments() error {
	if len(q.Segments) == 0 {
		return fmt.Errorf("segments: at least one segment is required")
	}
	seen := map[string]bool{}
	for _, sg := range q.Segments {
		where := fmt.Sprintf("segment %q", sg.Key)
		if sg.Key == "" || seen[sg.Key] {
			return fmt.Errorf("%s: key empty or used twice", where)
		}
		seen[sg.Key] = true
		if err := q.checkText(where, "name", sg.Name); err != nil {
			return err
		}
		if err := q.checkText(where, "title", sg.Title); err != nil {
			return err
		}
		if len(sg.Advice) == 0 {
			return fmt.Errorf("%s: no advice", where)
		}
		for i, a := range sg.Advice {
			if err := q.checkText(fmt.Sprintf("%s advice %d", where, i+1), "title", a.Title); err != nil {
				return err
			}
			if err := q.checkText(fmt.Sprintf("%s advice %d", where, i+1), "text", a.Text); err != nil {
				return err
			}
		}
	}
	return nil
}

func (q *Questionnaire) validateStages() error {
	if len(q.Stages) == 0 {
		return fmt.Errorf("stages: at least one stage is required")
	}
	seen := map[string]bool{}
	for i, st := range q.Stages {
		where := fmt.Sprintf("stage %q", st.Key)
		if st.Key == "" || seen[st.Key] {
			return fmt.Errorf("%s: key empty or used twice", where)
		}
		seen[st.Key] = true
		if i == 0 && st.From != 0 {
			return fmt.Errorf("%s: from %g, the first stage must start at 0", where, st.From)
		}
		if i > 0 && st.From <= q.Stages[i-1].From {
			return fmt.Errorf("%s: from %g must be greater than the previous stage's %g", where, st.From, q.Stages[i-1].From)
		}
		if st.From < 0 || st.From >= 100 {
			return fmt.Errorf("%s: from %g, want 0 to below 100", where, st.From)
		}
		if _, ok := q.Segment(st.Segment); !ok {
			return fmt.Errorf("%s: unknown segment %q", where, st.Segment)
		}
		if err := q.checkText(where, "name", st.Name); err != nil {
			return err
		}
		if err := q.checkText(where, "description", st.Description); err != nil {
			return err
		}
	}
	return nil
}

func (q *Questionnaire) validateProfileLists() error {
	for _, list := range []struct {
		name string
		opts []Option
	}{{"industries", q.Industries}, {"size_bands", q.SizeBands}} {
		seen := map[string]bool{}
		for _, o := range list.opts {
			if o.Key == "" || seen[o.Key] {
				return fmt.Errorf("%s: key %q empty or used twice", list.name, o.Key)
			}
			seen[o.Key] = true
			if err := q.checkText(fmt.Sprintf("%s %q", list.name, o.Key), "name", o.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// HasLanguage reports whether lang is one of the questionnaire's languages.
func (q *Questionnaire) HasLanguage(lang string) bool {
	return slices.Contains(q.Languages, lang)
}

// Competency returns the competency with the given number (1-21).
func (q *Questionnaire) Competency(number int) (Competency, bool) {
	if number < 1 || number > len(q.Competencies) {
		return Competency{}, false
	}
	return q.Competencies[number-1], true
}

// Category returns the category with the given key.
func (q *Questionnaire) Category(key string) (Category, bool) {
	i, ok := q.catIndex[key]
	if !ok {
		return Category{}, false
	}
	return q.Categories[i], true
}

// Theme returns the theme with the given key.
func (q *Questionnaire) Theme(key string) (Theme, bool) {
	i, ok := q.themeIndex[key]
	if !ok {
		return Theme{}, false
	}
	return q.Themes[i], true
}

// CategoryCompetencies returns the competencies of the category with the given key.
func (q *Questionnaire) CategoryCompetencies(key string) []Competency {
	i, ok := q.catIndex[key]
	if !ok {
		return nil
	}
	return q.Competencies[i*3 : i*3+3]
}

// Segment returns the segment with the given key.
func (q *Questionnaire) Segment(key string) (Segment, bool) {
	for _, s := range q.Segments {
		if s.Key == key {
			return s, true
		}
	}
	return Segment{}, false
}

// StageFor returns the maturity stage of a 0-100 AS-IS index.
func (q *Questionnaire) StageFor(index float64) Stage {
	st := q.Stages[0]
	for _, s := range q.Stages {
		if index >= s.From {
			st = s
		}
	}
	return st
}

// AdviceFor returns the segment whose advice a company gets: the one of its own years with
// NPS when its profile says (the deck gives its advice by how long a company has worked with
// NPS), otherwise the one its maturity stage points to. own reports the first case.
func (q *Questionnaire) AdviceFor(stage Stage, profile Company) (seg Segment, own bool) {
	if s, ok := q.Segment(profile.NPSYears); ok {
		return s, true
	}
	s, _ := q.Segment(stage.Segment)
	return s, false
}

// Industry returns the industry option with the given key.
func (q *Questionnaire) Industry(key string) (Option, bool) { return findOption(q.Industries, key) }

// SizeBand returns the size band option with the given key.
func (q *Questionnaire) SizeBand(key string) (Option, bool) { return findOption(q.SizeBands, key) }

func findOption(opts []Option, key string) (Option, bool) {
	for _, o := range opts {
		if o.Key == key {
			return o, true
		}
	}
	return Option{}, false
}

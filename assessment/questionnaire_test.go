package assessment_test

import (
	"strings"
	"testing"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
)

// mustQuestionnaire loads the shipped questions.yaml.
func mustQuestionnaire(t testing.TB) *assessment.Questionnaire {
	t.Helper()
	q, err := assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML)
	if err != nil {
		t.Fatalf("ParseQuestionnaire(questions.yaml) = %v", err)
	}
	return q
}

func TestShippedQuestionnaire(t *testing.T) {
	q := mustQuestionnaire(t)
	if got := len(q.Competencies); got != 21 {
		t.Fatalf("competencies = %d, want 21", got)
	}
	var letters string
	for _, c := range q.Categories {
		letters += c.Letter
	}
	if letters != "LOYALTY" {
		t.Errorf("category letters = %q, want LOYALTY", letters)
	}
	// The Danish statements are the deck's, verbatim; spot-check the first and the last.
	if got, want := q.Competencies[0].Statement["da"], "Topledelsen har en 100% fælles forståelse af, hvordan kundeloyalitet og medarbejderengagement påvirker virksomhedens økonomiske resultater?"; got != want {
		t.Errorf("statement 1 (da) = %q, want %q", got, want)
	}
	if got, want := q.Competencies[20].Statement["da"], "Den samlede loyalitetsstrategi tilrettes når det er nødvendigt for at revitalisere processen eller fastholde momentum?"; got != want {
		t.Errorf("statement 21 (da) = %q, want %q", got, want)
	}
	if c, ok := q.Category("tactics"); !ok || c.Letter != "T" {
		t.Errorf("Category(tactics) = %+v, %v; want letter T", c, ok)
	}
	if got := q.CategoryCompetencies("results"); len(got) != 3 || got[0].Number != 19 {
		t.Errorf("CategoryCompetencies(results) = %+v, want 19-21", got)
	}
}

func TestParseQuestionnaireErrors(t *testing.T) {
	base := string(loyalty.QuestionsYAML)
	tests := []struct {
		name    string
		old     string // text to replace in questions.yaml (first occurrence)
		new     string
		wantErr string
	}{
		{"competency moved to another category", "    key: communicate-celebrate\n    category: tactics", "    key: communicate-celebrate\n    category: results", `category "tactics": 2 competencies, want 3`},
		{"duplicate competency key", "key: directions", "key: kpis", `competency 15: key "kpis" used twice`},
		{"number out of order", "  - number: 7\n", "  - number: 8\n", "competencies: item 7 has number 8, want 7"},
		{"missing english statement", `      en: "All employees have the skills they need to create great customer experiences."`, "", `competency 6: statement has no "en" text`},
		{"unknown category", "category: yearly-plan", "category: yearly", `competency 7: unknown category "yearly"`},
		{"wrong letter", "letter: O", "letter: Q", `category "mobilization": letter "Q", want "O"`},
		{"duplicate category key", "  - key: tactics\n", "  - key: strategy\n", `category "strategy": key used twice`},
		{"scale inverted", "  min: 1\n  max: 5", "  min: 5\n  max: 1", "scale: max 1 must be greater than min 5"},
		{"stages out of order", "    from: 60", "    from: 30", `stage "accelerating": from 30 must be greater than the previous stage's 40`},
		{"first stage not at zero", "    from: 0", "    from: 5", `stage "starting": from 5, the first stage must start at 0`},
		{"stage with unknown segment", `segment: "5+"`, `segment: "10+"`, `stage "elite": unknown segment "10+"`},
		{"undeclared language", "languages: [da, en, sv, nb]", "languages: [da, sv, nb]", `has text in undeclared language "en"`},
		{"missing label language", `label: { da: "Delvist", en: "Partly", sv: "Delvis", nb: "Delvis" }`, `label: { da: "Delvist", sv: "Delvis", nb: "Delvis" }`, `scale point 3: label has no "en" text`},
		{"competency label missing a language", `label: { da: "månedlig måling", en: "monthly measurement", sv: "månatlig mätning", nb: "månedlig måling" }`, `label: { da: "månedlig måling", en: "monthly measurement", sv: "månatlig mätning" }`, `competency 10: label has no "nb" text`},
		{"unknown field", "disagreement_range: 2", "disagreement_range: 2\nfoo: bar", "unknown field"},
		{"no version", `version: "2026.1"`, `version: ""`, "version is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("test setup: %q not found in questions.yaml", tt.old)
			}
			data := strings.Replace(base, tt.old, tt.new, 1)
			_, err := assessment.ParseQuestionnaire("questions.yaml", []byte(data))
			if err == nil {
				t.Fatalf("ParseQuestionnaire = nil error, want one containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "questions.yaml: ") {
				t.Errorf("ParseQuestionnaire error = %q, want prefix %q and containing %q", err, "questions.yaml: ", tt.wantErr)
			}
		})
	}
}

func TestStageFor(t *testing.T) {
	q := mustQuestionnaire(t)
	tests := []struct {
		index float64
		want  string
	}{
		{0, "starting"}, {39.99, "starting"}, {40, "developing"}, {59.9, "developing"},
		{60, "accelerating"}, {79.99, "accelerating"}, {80, "elite"}, {100, "elite"},
	}
	for _, tt := range tests {
		if got := q.StageFor(tt.index).Key; got != tt.want {
			t.Errorf("StageFor(%g) = %q, want %q", tt.index, got, tt.want)
		}
	}
}

func TestTextIn(t *testing.T) {
	tx := assessment.Text{"da": "Hej", "en": "Hello"}
	for lang, want := range map[string]string{"da": "Hej", "en": "Hello", "sv": "Hello"} {
		if got := tx.In(lang); got != want {
			t.Errorf("Text.In(%q) = %q, want %q", lang, got, want)
		}
	}
}

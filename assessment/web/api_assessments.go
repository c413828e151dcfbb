package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
)

// apiAnswer is an answer as sent through the API. Scores are pointers so that a missing
// score is reported as missing rather than as 0.
type apiAnswer struct {
	Competency int      `json:"competency"`
	AsIs       *float64 `json:"as_is"`
	ToBe       *float64 `json:"to_be"`
}

func (a apiAnswer) answer() assessment.Answer {
	out := assessment.Answer{Competency: a.Competency, AsIs: assessment.MissingScore, ToBe: assessment.MissingScore}
	if a.AsIs != nil {
		out.AsIs = *a.AsIs
	}
	if a.ToBe != nil {
		out.ToBe = *a.ToBe
	}
	return out
}

type apiCompany struct {
	Name     string `json:"name"`
	Industry string `json:"industry"`
	Size     string `json:"size"`
	Country  string `json:"country"`
	NPSYears string `json:"nps_years"`
}

type apiSubmission struct {
	Lang       string `json:"lang"`
	Respondent struct {
		Role string `json:"role"`
	} `json:"respondent"`
	Company          apiCompany  `json:"company"`
	BenchmarkConsent bool        `json:"benchmark_consent"`
	Answers          []apiAnswer `json:"answers"`
	// Previous is the token of an earlier result this test retakes (result_retake.go).
	Previous string `json:"previous"`
}

// apiCreateAssessment stores a test sent as JSON: 201 with the token and result URL. With an
// Idempotency-Key header (once.go) a repeat of the same body gets the first response again
// and stores nothing; the same key with another body is 422.
func (s *Server) apiCreateAssessment(c echo.Context) error {
	once, err := apiOnce(c, onceScopeAPITest)
	if err != nil {
		return err
	}
	if once != nil {
		first, err := s.db.assessments.OnceResponse(c.Request().Context(), once)
		if err != nil {
			return err
		}
		if first != nil {
			return replay(c, first)
		}
	}
	var in apiSubmission
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	sub := assessment.Submission{
		Lang: in.Lang, Role: in.Respondent.Role, BenchmarkConsent: in.BenchmarkConsent,
		Company: assessment.Company{Name: in.Company.Name, Industry: in.Company.Industry, Size: in.Company.Size,
			Country: in.Company.Country, NPSYears: in.Company.NPSYears},
	}
	for _, a := range in.Answers {
		sub.Answers = append(sub.Answers, a.answer())
	}
	prev, prevProblems, err := s.resolvePrevious(c.Request().Context(), in.Previous)
	if err != nil {
		return err
	}
	a, err := s.q.NewAssessment(sub)
	if len(prevProblems) > 0 {
		// Every problem at once: the earlier result's after the submission's own.
		return assessment.Invalid(append(assessment.FieldErrors(err), prevProblems...))
	}
	if err != nil {
		return err
	}
	if prev != nil {
		a.PreviousID = prev.ID
	}
	first, err := s.db.assessments.CreateAssessmentOnce(c.Request().Context(), a, once, createdAssessment)
	if err != nil {
		return err
	}
	if first != nil {
		return replay(c, first)
	}
	s.metrics.testSubmitted("api")
	r := createdAssessment(a.Token)
	c.Response().Header().Set("Location", r.Location)
	return c.Blob(r.Status, echo.MIMEApplicationJSON, r.Body)
}

// createdAssessment is the response to a test stored with token: the same bytes for the
// first request and, from the store, for every repeat of its Idempotency-Key.
func createdAssessment(token string) assessment.OnceResponse {
	// Location is the created result's address in the API; url is its page for people.
	body, _ := json.Marshal(map[string]string{"token": token, "url": "/r/" + token})
	return assessment.OnceResponse{Status: http.StatusCreated, Location: "/api/v1/assessments/" + token, Body: append(body, '\n')}
}

type apiScore struct {
	AsIs float64 `json:"as_is"`
	ToBe float64 `json:"to_be"`
	Gap  float64 `json:"gap"`
}

type apiOverall struct {
	apiScore
	AsIsIndex float64 `json:"as_is_index"`
	ToBeIndex float64 `json:"to_be_index"`
}

type apiTheme struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	apiScore
}

type apiCategory struct {
	Key    string `json:"key"`
	Letter string `json:"letter"`
	Name   string `json:"name"`
	Theme  string `json:"theme"`
	apiScore
}

type apiCompetency struct {
	Number   int    `json:"number"`
	Key      string `json:"key"`
	Name     string `json:"name"`
	Category string `json:"category"`
	apiScore
	Priority int `json:"priority"`
}

type apiAssessment struct {
	Token                string              `json:"token"`
	CreatedAt            string              `json:"created_at"`
	QuestionnaireVersion string              `json:"questionnaire_version"`
	Lang                 string              `json:"lang"`
	Respondent           *apiRespondent      `json:"respondent,omitempty"`
	Company              *assessment.Company `json:"company,omitempty"`
	Scale                struct {
		Min int `json:"min"`
		Max int `json:"max"`
	} `json:"scale"`
	Overall      apiOverall      `json:"overall"`
	Stage        apiStage        `json:"stage"`
	Themes       []apiTheme      `json:"themes"`
	Categories   []apiCategory   `json:"categories"`
	Competencies []apiCompetency `json:"competencies"`
	// Previous compares a retake with the earlier result; absent for a first test and once
	// the earlier result is deleted. It never holds the earlier token.
	Previous *apiPrevious `json:"previous,omitempty"`
}

// apiPrevious is the earlier result a retake compares with: its date, and how every score
// moved since (after minus before).
type apiPrevious struct {
	CreatedAt    string               `json:"created_at"`
	Overall      apiOverall           `json:"overall"`
	Categories   []apiKeyedDelta      `json:"categories"`
	Competencies []apiCompetencyDelta `json:"competencies"`
	// Improved and Slipped list the competencies whose AS-IS rose or fell, largest move first.
	Improved []int `json:"improved"`
	Slipped  []int `json:"slipped"`
}

type apiKeyedDelta struct {
	Key string `json:"key"`
	apiScore
}

type apiCompetencyDelta struct {
	Number int `json:"number"`
	apiScore
}

func toAPIDelta(d assessment.Delta) apiScore { return apiScore{AsIs: d.AsIs, ToBe: d.ToBe, Gap: d.Gap} }

// toAPIPrevious describes a retake's comparison.
func toAPIPrevious(rt *assessment.Retake) *apiPrevious {
	out := &apiPrevious{CreatedAt: rt.Taken.UTC().Format(time.RFC3339),
		Overall:  apiOverall{apiScore: toAPIDelta(rt.Overall), AsIsIndex: rt.AsIsIndex, ToBeIndex: rt.ToBeIndex},
		Improved: append([]int{}, rt.Improved...), Slipped: append([]int{}, rt.Slipped...)}
	for _, gd := range rt.Categories {
		out.Categories = append(out.Categories, apiKeyedDelta{Key: gd.Key, apiScore: toAPIDelta(gd.Delta)})
	}
	for _, cd := range rt.Competencies {
		out.Competencies = append(out.Competencies, apiCompetencyDelta{Number: cd.Number, apiScore: toAPIDelta(cd.Delta)})
	}
	return out
}

type apiRespondent struct {
	Role string `json:"role"`
}

type apiStage struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

func toAPIScore(s assessment.Score) apiScore { return apiScore{AsIs: s.AsIs, ToBe: s.ToBe, Gap: s.Gap} }

// apiGetAssessment returns the scored assessment with unrounded numbers, in the language it
// was taken in.
func (s *Server) apiGetAssessment(c echo.Context) error {
	a, err := s.db.assessments.Assessment(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	q := s.q
	lang := a.Lang
	res := q.Score(a.Ratings)
	out := apiAssessment{
		Token: a.Token, CreatedAt: a.CreatedAt.UTC().Format(time.RFC3339),
		QuestionnaireVersion: a.QuestionnaireVersion, Lang: lang,
		Overall: apiOverall{apiScore: toAPIScore(res.Overall), AsIsIndex: res.AsIsIndex, ToBeIndex: res.ToBeIndex},
		Stage:   apiStage{Key: res.Stage.Key, Name: res.Stage.Name.In(lang)},
	}
	if a.Role != "" {
		out.Respondent = &apiRespondent{Role: a.Role}
	}
	if a.Company != (assessment.Company{}) {
		co := a.Company
		out.Company = &co
	}
	out.Scale.Min, out.Scale.Max = q.Scale.Min, q.Scale.Max
	for i, t := range res.Themes {
		out.Themes = append(out.Themes, apiTheme{Key: t.Key, Name: q.Themes[i].Name.In(lang), apiScore: toAPIScore(t.Score)})
	}
	for i, cs := range res.Categories {
		cat := q.Categories[i]
		out.Categories = append(out.Categories, apiCategory{Key: cat.Key, Letter: cat.Letter, Name: cat.Name.In(lang), Theme: cat.Theme, apiScore: toAPIScore(cs.Score)})
	}
	for _, cs := range res.Competencies {
		comp, _ := q.Competency(cs.Number)
		out.Competencies = append(out.Competencies, apiCompetency{Number: cs.Number, Key: cs.Key, Name: comp.Name.In(lang), Category: cs.Category, apiScore: toAPIScore(cs.Score), Priority: cs.Priority})
	}
	rt, err := s.retakeOf(c.Request().Context(), a, &res)
	if err != nil {
		return err
	}
	if rt != nil {
		out.Previous = toAPIPrevious(rt)
	}
	return c.JSON(http.StatusOK, out)
}

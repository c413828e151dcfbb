package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// workedScores is the API's worked example. Per category (L O Y A L T Y):
//
//	AS-IS  3 4 2 | 2 2 2 | 1 2 3 | 1 1 1 | 1 3 2 | 3 3 3 | 1 2 3   sums  9  6  6  3  6  9  6 = 45
//	TO-BE  5 5 4 | 4 4 4 | 4 4 5 | 4 4 4 | 5 5 4 | 3 4 4 | 5 4 3   sums 14 12 13 12 14 11 12 = 88
//	gap    2 1 2 | 2 2 2 | 3 2 2 | 3 3 3 | 4 2 2 | 0 1 1 | 4 2 0
func workedScores() scores {
	return scores{
		asIs: [21]int{3, 4, 2, 2, 2, 2, 1, 2, 3, 1, 1, 1, 1, 3, 2, 3, 3, 3, 1, 2, 3},
		toBe: [21]int{5, 5, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 5, 5, 4, 3, 4, 4, 5, 4, 3},
	}
}

// workedPriority is the priority rank of each competency of workedScores (index 0 is
// competency 1): gap descending, then AS-IS ascending, then number.
//
//	gap 4: 13, 19 (AS-IS 1)                                  → ranks 1-2
//	gap 3: 7, 10, 11, 12 (AS-IS 1)                            → ranks 3-6
//	gap 2: 3, 4, 5, 6, 8, 15, 20 (AS-IS 2), 1, 9, 14 (AS-IS 3) → ranks 7-16
//	gap 1: 17, 18 (AS-IS 3), 2 (AS-IS 4)                      → ranks 17-19
//	gap 0: 16, 21 (AS-IS 3)                                   → ranks 20-21
var workedPriority = [21]int{
	14, 19, 7, 8, 9, 10, 3, 11, 15, 4, 5, 6, 1, 16, 12, 20, 17, 18, 2, 13, 21,
}

// apiResult mirrors the documented GET /api/v1/assessments/{token} body.
type apiResult struct {
	Token                string `json:"token"`
	CreatedAt            string `json:"created_at"`
	QuestionnaireVersion string `json:"questionnaire_version"`
	Lang                 string `json:"lang"`
	Respondent           *struct {
		Role string `json:"role"`
	} `json:"respondent"`
	Company *struct {
		Name     string `json:"name"`
		Industry string `json:"industry"`
		Size     string `json:"size"`
		Country  string `json:"country"`
		NPSYears string `json:"nps_years"`
	} `json:"company"`
	Scale   struct{ Min, Max int } `json:"scale"`
	Overall struct {
		AsIs      float64 `json:"as_is"`
		ToBe      float64 `json:"to_be"`
		Gap       float64 `json:"gap"`
		AsIsIndex float64 `json:"as_is_index"`
		ToBeIndex float64 `json:"to_be_index"`
	} `json:"overall"`
	Stage struct {
		Key  string `json:"key"`
		Name string `json:"name"`
	} `json:"stage"`
	Themes []struct {
		Key  string  `json:"key"`
		Name string  `json:"name"`
		AsIs float64 `json:"as_is"`
		ToBe float64 `json:"to_be"`
		Gap  float64 `json:"gap"`
	} `json:"themes"`
	Categories []struct {
		Key    string  `json:"key"`
		Letter string  `json:"letter"`
		Name   string  `json:"name"`
		Theme  string  `json:"theme"`
		AsIs   float64 `json:"as_is"`
		ToBe   float64 `json:"to_be"`
		Gap    float64 `json:"gap"`
	} `json:"categories"`
	Competencies []struct {
		Number   int     `json:"number"`
		Key      string  `json:"key"`
		Name     string  `json:"name"`
		Category string  `json:"category"`
		AsIs     float64 `json:"as_is"`
		ToBe     float64 `json:"to_be"`
		Gap      float64 `json:"gap"`
		Priority int     `json:"priority"`
	} `json:"competencies"`
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestAPICreateAndGet(t *testing.T) {
	a := newEnv(t)
	body := map[string]any{
		"lang":              "da",
		"respondent":        map[string]any{"role": "CFO"},
		"company":           map[string]any{"name": "Acme A/S", "industry": "retail", "size": "250-999", "country": "dk", "nps_years": "1-5"},
		"benchmark_consent": false,
		"answers":           workedScores().answers(),
	}
	res := a.postJSON("/api/v1/assessments", mustJSON(t, body))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST = %d, want 201; body %s", res.StatusCode, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var created map[string]string
	if err := json.Unmarshal(res.Body, &created); err != nil {
		t.Fatalf("201 body %s: %v", res.Body, err)
	}
	token := created["token"]
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`).MatchString(token) {
		t.Errorf("token = %q, want 22 base64url characters (128 bits)", token)
	}
	if created["url"] != "/r/"+token || res.Header.Get("Location") != "/api/v1/assessments/"+token || len(created) != 2 {
		t.Errorf("201 body %v, Location %q; want {token, url: /r/TOKEN} and Location /api/v1/assessments/TOKEN", created, res.Header.Get("Location"))
	}
	a.assertStored(1)

	get := a.get("/api/v1/assessments/" + token)
	if get.StatusCode != http.StatusOK {
		t.Fatalf("GET = %d, want 200; body %s", get.StatusCode, get.Body)
	}

	// Every documented field is present.
	var generic map[string]any
	if err := json.Unmarshal(get.Body, &generic); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"categories", "company", "competencies", "created_at", "lang", "overall", "questionnaire_version", "respondent", "scale", "stage", "themes", "token"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("GET body has no %q", k)
		}
	}
	for _, path := range []struct {
		obj  string
		keys []string
	}{
		{"overall", []string{"as_is", "as_is_index", "gap", "to_be", "to_be_index"}},
		{"scale", []string{"max", "min"}},
		{"stage", []string{"key", "name"}},
	} {
		m, _ := generic[path.obj].(map[string]any)
		var got []string
		for k := range m {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, path.keys) {
			t.Errorf("%s keys = %v, want %v", path.obj, got, path.keys)
		}
	}

	var r apiResult
	if err := json.Unmarshal(get.Body, &r); err != nil {
		t.Fatalf("GET body does not match the documented shape: %v\n%s", err, get.Body)
	}
	if r.Token != token || r.CreatedAt != "2026-11-23T09:30:00Z" || r.QuestionnaireVersion != "2026.1" || r.Lang != "da" {
		t.Errorf("token, created_at, version, lang = %q, %q, %q, %q; want %q, 2026-11-23T09:30:00Z, 2026.1, da",
			r.Token, r.CreatedAt, r.QuestionnaireVersion, r.Lang, token)
	}
	if r.Scale.Min != 1 || r.Scale.Max != 5 {
		t.Errorf("scale = %+v, want 1-5", r.Scale)
	}
	if r.Respondent == nil || r.Respondent.Role != "CFO" {
		t.Errorf("respondent = %+v, want role CFO", r.Respondent)
	}
	// The country code is stored upper-case.
	if c := r.Company; c == nil || c.Name != "Acme A/S" || c.Industry != "retail" || c.Size != "250-999" || c.Country != "DK" || c.NPSYears != "1-5" {
		t.Errorf("company = %+v, want Acme A/S, retail, 250-999, DK, 1-5", c)
	}

	// Overall: means 45/21 and 88/21, gap 43/21;
	// indexes (45/21 − 1)/4·100 = 600/21 = 28.57… and (88/21 − 1)/4·100 = 1675/21 = 79.76….
	o := r.Overall
	if !near(o.AsIs, 45.0/21) || !near(o.ToBe, 88.0/21) || !near(o.Gap, 43.0/21) {
		t.Errorf("overall = %+v, want 45/21, 88/21, gap 43/21", o)
	}
	if !near(o.AsIsIndex, 600.0/21) || !near(o.ToBeIndex, 1675.0/21) {
		t.Errorf("indexes = %v, %v; want 600/21 = %v, 1675/21 = %v", o.AsIsIndex, o.ToBeIndex, 600.0/21, 1675.0/21)
	}
	// 28.57 < 40: the first stage, named in the assessment's language (da).
	if r.Stage.Key != "starting" || r.Stage.Name != "Opstart" {
		t.Errorf("stage = %+v, want starting / Opstart", r.Stage)
	}

	// Themes: culture = competencies 1-9 (AS-IS 9+6+6 = 21, TO-BE 14+12+13 = 39),
	// measurements = 10-12 (3, 12), strategy = 13-21 (6+9+6 = 21, 14+11+12 = 37).
	wantThemes := []struct {
		key        string
		asIs, toBe float64
	}{{"culture", 21.0 / 9, 39.0 / 9}, {"measurements", 1, 4}, {"strategy", 21.0 / 9, 37.0 / 9}}
	if len(r.Themes) != 3 {
		t.Fatalf("%d themes, want 3", len(r.Themes))
	}
	for i, w := range wantThemes {
		th := r.Themes[i]
		if th.Key != w.key || !near(th.AsIs, w.asIs) || !near(th.ToBe, w.toBe) || !near(th.Gap, w.toBe-w.asIs) || th.Name == "" {
			t.Errorf("theme %d = %+v, want %s %v → %v", i, th, w.key, w.asIs, w.toBe)
		}
	}
	if r.Themes[1].Name != "Målinger" {
		t.Errorf("theme name = %q, want the Danish Målinger", r.Themes[1].Name)
	}

	// Categories in L-O-Y-A-L-T-Y order with the category sums above divided by 3.
	wantCats := []struct {
		key, letter, theme string
		asIsSum, toBeSum   float64
	}{
		{"leadership", "L", "culture", 9, 14}, {"mobilization", "O", "culture", 6, 12}, {"yearly-plan", "Y", "culture", 6, 13},
		{"assessment", "A", "measurements", 3, 12}, {"strategy", "L", "strategy", 6, 14}, {"tactics", "T", "strategy", 9, 11},
		{"results", "Y", "strategy", 6, 12},
	}
	if len(r.Categories) != 7 {
		t.Fatalf("%d categories, want 7", len(r.Categories))
	}
	for i, w := range wantCats {
		c := r.Categories[i]
		if c.Key != w.key || c.Letter != w.letter || c.Theme != w.theme || c.Name == "" ||
			!near(c.AsIs, w.asIsSum/3) || !near(c.ToBe, w.toBeSum/3) || !near(c.Gap, (w.toBeSum-w.asIsSum)/3) {
			t.Errorf("category %d = %+v, want %s (%s, %s) %v/3 → %v/3", i, c, w.key, w.letter, w.theme, w.asIsSum, w.toBeSum)
		}
	}
	if r.Categories[2].Name != "Årshjul" {
		t.Errorf("yearly-plan name = %q, want Årshjul", r.Categories[2].Name)
	}

	// Competencies in number order, unrounded, with their priority rank.
	if len(r.Competencies) != 21 {
		t.Fatalf("%d competencies, want 21", len(r.Competencies))
	}
	ws := workedScores()
	for i, c := range r.Competencies {
		asIs, toBe := float64(ws.asIs[i]), float64(ws.toBe[i])
		if c.Number != i+1 || c.AsIs != asIs || c.ToBe != toBe || c.Gap != toBe-asIs || c.Priority != workedPriority[i] || c.Key == "" || c.Name == "" {
			t.Errorf("competency %d = %+v, want %v → %v, priority %d", i+1, c, asIs, toBe, workedPriority[i])
		}
	}
	if c := r.Competencies[12]; c.Key != "kpis" || c.Category != "strategy" || c.Name != "KPI'er" {
		t.Errorf("competency 13 = %+v, want kpis in strategy, named KPI'er", c)
	}
}

func TestAPIOptionalFieldsAndFallbacks(t *testing.T) {
	a := newEnv(t)
	// Unknown language: stored as English, not refused. No respondent, no company.
	token := a.submitAPI(map[string]any{"lang": "xx", "answers": uniform(1, 5).answers()})
	get := a.get("/api/v1/assessments/" + token)
	var r map[string]any
	if err := json.Unmarshal(get.Body, &r); err != nil {
		t.Fatal(err)
	}
	if r["lang"] != "en" {
		t.Errorf("lang = %v, want en for an unknown language", r["lang"])
	}
	for _, k := range []string{"respondent", "company"} {
		if _, ok := r[k]; ok {
			t.Errorf("%q present for a submission without it: %v", k, r[k])
		}
	}
	// 1 → 5 everywhere: index 0 → 100, gap 4 on every competency.
	o := r["overall"].(map[string]any)
	if o["as_is_index"] != 0.0 || o["to_be_index"] != 100.0 || o["gap"] != 4.0 {
		t.Errorf("overall = %v, want indexes 0 and 100, gap 4", o)
	}
	if st := r["stage"].(map[string]any); st["key"] != "starting" || st["name"] != "Getting started" {
		t.Errorf("stage = %v, want starting / Getting started", st)
	}
	// Every questionnaire language is kept; anything else becomes English.
	for _, tt := range []struct{ lang, want string }{{"da", "da"}, {"sv", "sv"}, {"nb", "nb"}, {"en", "en"}, {"", "en"}, {"no", "en"}} {
		tok := a.submitAPI(map[string]any{"lang": tt.lang, "answers": uniform(2, 3).answers()})
		var got struct {
			Lang string `json:"lang"`
		}
		if err := json.Unmarshal(a.get("/api/v1/assessments/"+tok).Body, &got); err != nil {
			t.Fatal(err)
		}
		if got.Lang != tt.want {
			t.Errorf("lang %q stored as %q, want %q", tt.lang, got.Lang, tt.want)
		}
	}
	a.assertStored(7)

	// A score written 3.0 (or 3e0) is the whole number 3; consent is accepted.
	var raw strings.Builder
	raw.WriteString(`{"benchmark_consent": true, "answers": [`)
	for n := 1; n <= 21; n++ {
		if n > 1 {
			raw.WriteString(",")
		}
		fmt.Fprintf(&raw, `{"competency": %d, "as_is": 3.0, "to_be": 4e0}`, n)
	}
	raw.WriteString("]}")
	res := a.postJSON("/api/v1/assessments", []byte(raw.String()))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST with 3.0 and 4e0 = %d, want 201: %s", res.StatusCode, res.Body)
	}
	a.assertStored(8)
}

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	valid := func() map[string]any { return map[string]any{"lang": "en", "answers": uniform(2, 4).answers()} }
	withAnswers := func(edit func([]map[string]any) []map[string]any) []byte {
		v := valid()
		v["answers"] = edit(v["answers"].([]map[string]any))
		return mustJSON(t, v)
	}
	type fieldError struct {
		Competency int    `json:"competency"`
		Field      string `json:"field"`
		Message    string `json:"message"`
	}
	tests := []struct {
		name   string
		body   []byte
		status int
		// error is a substring of the 400/413 "error" message.
		error string
		// fields are the 422 "errors" entries, compared without their messages; message
		// holds a substring that the first entry's message must contain.
		fields  []fieldError
		message string
	}{
		{name: "malformed JSON", body: []byte(`{"lang": "en", "answers": [`), status: 400, error: "malformed JSON"},
		{name: "syntax error", body: []byte(`{"lang": en}`), status: 400, error: "malformed JSON at byte"},
		{name: "empty body", body: nil, status: 400, error: "empty"},
		{name: "array instead of object", body: []byte(`[]`), status: 400, error: "send a JSON object"},
		{name: "trailing data", body: []byte(`{} {}`), status: 400, error: "data after the JSON object"},
		{name: "unknown field", body: []byte(`{"lang": "en", "colour": "blue"}`), status: 400, error: `unknown field "colour"`},
		{name: "unknown field in an answer", body: []byte(`{"answers": [{"competency": 1, "asis": 3}]}`), status: 400, error: `unknown field "answers[0].asis"`},
		{name: "score as a string", body: []byte(`{"answers": [{"competency": 1, "as_is": "3"}]}`), status: 400, error: `"answers.as_is"`},
		{name: "invalid UTF-8", body: []byte("{\"company\": {\"name\": \"Acme \xff\"}}"), status: 400, error: "not valid UTF-8"},
		{name: "body over 64 KiB", body: []byte(`{"company": {"name": "` + strings.Repeat("a", 64<<10) + `"}}`), status: 413, error: "64 KiB"},
		{
			name: "out of range",
			body: withAnswers(func(x []map[string]any) []map[string]any { x[6]["to_be"] = 6; return x }),
			// 6 > scale max 5.
			status: 422, fields: []fieldError{{7, "to_be", ""}}, message: "outside the scale 1-5",
		},
		{
			name:   "zero",
			body:   withAnswers(func(x []map[string]any) []map[string]any { x[0]["as_is"] = 0; return x }),
			status: 422, fields: []fieldError{{1, "as_is", ""}}, message: "outside the scale",
		},
		{
			name:   "non-integer",
			body:   withAnswers(func(x []map[string]any) []map[string]any { x[6]["as_is"] = 3.5; return x }),
			status: 422, fields: []fieldError{{7, "as_is", ""}}, message: "3.5 is not a whole number",
		},
		{
			name:   "missing competency",
			body:   withAnswers(func(x []map[string]any) []map[string]any { return x[:20] }),
			status: 422, fields: []fieldError{{21, "as_is", ""}, {21, "to_be", ""}}, message: "missing",
		},
		{
			name: "duplicate competency",
			body: withAnswers(func(x []map[string]any) []map[string]any {
				return append(x, map[string]any{"competency": 5, "as_is": 1, "to_be": 1})
			}),
			status: 422, fields: []fieldError{{5, "competency", ""}}, message: "more than once",
		},
		{
			name: "unknown competency 22",
			body: withAnswers(func(x []map[string]any) []map[string]any {
				return append(x, map[string]any{"competency": 22, "as_is": 1, "to_be": 1})
			}),
			status: 422, fields: []fieldError{{22, "competency", ""}}, message: "does not exist",
		},
		{
			name:   "missing to_be key",
			body:   withAnswers(func(x []map[string]any) []map[string]any { delete(x[6], "to_be"); return x }),
			status: 422, fields: []fieldError{{7, "to_be", ""}}, message: "missing",
		},
		{
			name:   "null score",
			body:   withAnswers(func(x []map[string]any) []map[string]any { x[2]["as_is"] = nil; return x }),
			status: 422, fields: []fieldError{{3, "as_is", ""}}, message: "missing",
		},
		{
			name: "company name of 201 characters",
			body: func() []byte {
				v := valid()
				v["company"] = map[string]any{"name": strings.Repeat("é", 201)} // characters, not bytes
				return mustJSON(t, v)
			}(),
			status: 422, fields: []fieldError{{0, "company.name", ""}}, message: "201 characters, at most 200",
		},
		{
			name: "control character in company name",
			body: func() []byte {
				v := valid()
				v["company"] = map[string]any{"name": "Acme\u0000Corp"}
				return mustJSON(t, v)
			}(),
			status: 422, fields: []fieldError{{0, "company.name", ""}}, message: "control character U+0000",
		},
		{
			name: "direction override in company name",
			body: func() []byte {
				v := valid()
				v["company"] = map[string]any{"name": "Acme\u2067evil\u2069"}
				return mustJSON(t, v)
			}(),
			status: 422, fields: []fieldError{{0, "company.name", ""}}, message: "company.name: the text-direction character U+2067 is not allowed",
		},
		{
			name: "invisible role",
			body: func() []byte {
				v := valid()
				v["respondent"] = map[string]any{"role": "\u200B\u200D"}
				return mustJSON(t, v)
			}(),
			status: 422, fields: []fieldError{{0, "respondent.role", ""}}, message: "respondent.role: the text consists only of invisible characters",
		},
		{
			name: "control character in role",
			body: func() []byte {
				v := valid()
				v["respondent"] = map[string]any{"role": "CEO\u001b[31m"}
				return mustJSON(t, v)
			}(),
			status: 422, fields: []fieldError{{0, "respondent.role", ""}}, message: "control character",
		},
		{
			name: "unknown profile codes",
			body: func() []byte {
				v := valid()
				v["company"] = map[string]any{"industry": "mining", "size": "huge", "country": "DNK", "nps_years": "10"}
				return mustJSON(t, v)
			}(),
			status: 422,
			fields: []fieldError{{0, "company.industry", ""}, {0, "company.size", ""}, {0, "company.nps_years", ""}, {0, "company.country", ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newEnv(t)
			res := a.postJSON("/api/v1/assessments", tt.body, uncheckedRequest, "every row breaks the rules on purpose")
			if res.StatusCode != tt.status {
				t.Fatalf("POST = %d, want %d; body %s", res.StatusCode, tt.status, res.Body)
			}
			a.assertStored(0)
			out := problemOf(t, res)
			if tt.status != http.StatusUnprocessableEntity {
				if len(out.Errors) != 0 || !strings.Contains(out.Error, tt.error) {
					t.Errorf("body = %s, want an \"error\" containing %q and no \"errors\"", res.Body, tt.error)
				}
				return
			}
			var got []fieldError
			for _, e := range out.Errors {
				if e.Message == "" {
					t.Errorf("error %+v has no message", e)
				}
				got = append(got, fieldError{e.Competency, e.Field, ""})
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("errors = %+v\nwant %+v", got, tt.fields)
			}
			if tt.message != "" && len(out.Errors) > 0 && !strings.Contains(out.Errors[0].Message, tt.message) {
				t.Errorf("message = %q, want it to contain %q", out.Errors[0].Message, tt.message)
			}
			if out.Error == "" {
				t.Errorf("422 body has no summary \"error\": %s", res.Body)
			}
			// A field problem without a competency leaves the key out rather than sending 0.
			if tt.fields[0].Competency == 0 && bytes.Contains(res.Body, []byte(`"competency":0`)) {
				t.Errorf("422 body sends competency 0: %s", res.Body)
			}
		})
	}
}

func TestAPINotFoundAndCrossOrigin(t *testing.T) {
	a := newEnv(t)
	for _, path := range []string{"/api/v1/assessments/AAAAAAAAAAAAAAAAAAAAAA", "/api/v1/nothing"} {
		res := a.get(path, uncheckedRequest, "an unknown path on purpose")
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
		if p := problemOf(t, res); p.Code != "not_found" {
			t.Errorf("GET %s code = %q, want not_found", path, p.Code)
		}
	}
	// A browser page on another site cannot submit through a visitor's browser either.
	res := a.postJSON("/api/v1/assessments", mustJSON(t, map[string]any{"answers": uniform(2, 4).answers()}), "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST = %d, want 403", res.StatusCode)
	}
	if refused := problemOf(t, res); !strings.Contains(refused.Error, "cross-origin") {
		t.Errorf("cross-site POST body = %s, want JSON naming the cross-origin refusal", res.Body)
	}
	a.assertStored(0)
}

// TestAPIResultMatchesPage checks that the JSON and the page tell the same story for one
// assessment: the page's rounded index is the API's unrounded one.
func TestAPIResultMatchesPage(t *testing.T) {
	a := newEnv(t)
	token := a.submitAPI(map[string]any{"lang": "en", "answers": workedScores().answers()})
	d := doc(t, a.get("/r/"+token).Body)
	// 600/21 = 28.57 → "29"; 1675/21 = 79.76 → "80"; gap 1075/21 = 51.19 → "+51".
	for id, want := range map[string]string{"asis-index": "29", "tobe-index": "80", "gap-index": "+51"} {
		if got := squash(d.Find(`[data-testid="` + id + `"]`).Text()); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	var order []string
	d.Find(`[data-testid="gap-table"] tbody tr`).Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("data-competency", "")) })
	want := []string{"13", "19", "7", "10", "11", "12", "3", "4", "5", "6", "8", "15", "20", "1", "9", "14", "17", "18", "2", "16", "21"}
	if !slices.Equal(order, want) {
		t.Errorf("gap table order = %v\nwant %v", order, want)
	}
}

// BenchmarkAPISubmit posts one complete test as JSON through the handler stack (decode,
// validate, one SQLite transaction with synchronous=FULL) without a network.
func BenchmarkAPISubmit(b *testing.B) {
	srv := newEnv(b).srv
	body := mustJSON(b, map[string]any{"lang": "en", "company": map[string]any{"name": "Acme"}, "answers": workedScores().answers()})
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/assessments", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			b.Fatalf("POST = %d: %s", rec.Code, rec.Body)
		}
	}
}

// TestAPINoStore: an assessment read through the API is as private as its result page,
// which is sent with Cache-Control: no-store; the API's answers were cacheable by any shared
// cache on the way. Every API response, the workspace's included, is now no-store.
func TestAPINoStore(t *testing.T) {
	e := newWSEnv(t)
	res := e.postJSON("/api/v1/assessments", mustJSON(t, map[string]any{"answers": uniform(2, 4).answers()}))
	var created struct{ Token string }
	if err := json.Unmarshal(res.Body, &created); err != nil || created.Token == "" {
		t.Fatalf("POST = %d %s", res.StatusCode, res.Body)
	}
	w := e.world("Acme")
	tok := e.token("ann@alpha.example")
	for _, path := range []string{
		"/api/v1/assessments/" + created.Token,
		"/api/v1/assessments/" + created.Token + "/benchmark",
		"/api/v1/benchmark",
		fmt.Sprintf("/api/v1/rounds/%d", w.round.ID),
		"/api/v1/clients",
	} {
		res := e.browser().api("GET", path, tok, "")
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s = %d, Cache-Control %q; want 200, no-store", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
}

// TestAPIReadsJSONWhateverTheContentType: `curl -d '{…}'` sends a JSON body labelled as a
// form (application/x-www-form-urlencoded). docs/api.md says the Content-Type is not checked,
// and the body used to be read as a form first, which left "the request body is empty".
func TestAPIReadsJSONWhateverTheContentType(t *testing.T) {
	a := newEnv(t)
	body := mustJSON(t, map[string]any{"lang": "en", "answers": uniform(2, 4).answers()})
	for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"} {
		res := a.do(a.request(http.MethodPost, "/api/v1/assessments", bytes.NewReader(body), "Content-Type", ct,
			uncheckedRequest, "a JSON body labelled otherwise on purpose: the description asks for application/json"))
		if res.StatusCode != http.StatusCreated {
			t.Errorf("Content-Type %s: POST /api/v1/assessments = %d %s, want 201", ct, res.StatusCode, res.Body)
		}
	}
	a.assertStored(3)
}

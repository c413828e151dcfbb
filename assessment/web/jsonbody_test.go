package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestAPIJSONKeysExact: encoding/json matches keys case-insensitively and lets the last of
// two equal keys win, so {"LANG": …} and {"lang": "en", "lang": "da"} used to be accepted.
// The API promises strict decoding: a key must be byte-exact, and appear once per object.
// Every refusal is a 400 naming the key by its path (array indexes from 0), and nothing is
// stored.
func TestAPIJSONKeysExact(t *testing.T) {
	// answers is a complete, valid answers array whose entry i can be replaced.
	answers := func(replace map[int]string) string {
		var b strings.Builder
		b.WriteString("[")
		for i := range 21 {
			if i > 0 {
				b.WriteString(",")
			}
			if r, ok := replace[i]; ok {
				b.WriteString(r)
				continue
			}
			b.WriteString(`{"competency":` + itoa(i+1) + `,"as_is":2,"to_be":4}`)
		}
		b.WriteString("]")
		return b.String()
	}
	tests := []struct {
		name, body, error string
	}{
		{"upper-case top-level key", `{"LANG":"en","answers":` + answers(nil) + `}`,
			`key "LANG" must be written "lang"`},
		{"capitalised array key", `{"lang":"en","Answers":` + answers(nil) + `}`,
			`key "Answers" must be written "answers"`},
		{"mixed case in an answer", `{"answers":` + answers(map[int]string{3: `{"competency":4,"As_Is":2,"to_be":4}`}) + `}`,
			`key "answers[3].As_Is" must be written "as_is"`},
		{"case in a nested object", `{"company":{"Name":"Acme"},"answers":` + answers(nil) + `}`,
			`key "company.Name" must be written "name"`},
		// U+212A KELVIN SIGN folds to k: encoding/json would take it for "key"-like names.
		{"Unicode folding", `{"benchmar\u212a_consent":true,"answers":` + answers(nil) + `}`,
			`must be written "benchmark_consent"`},
		{"duplicate top-level key", `{"lang":"en","lang":"da","answers":` + answers(nil) + `}`,
			`duplicate key "lang"`},
		{"duplicate written with an escape", `{"lang":"en","l\u0061ng":"da","answers":` + answers(nil) + `}`,
			`duplicate key "lang"`},
		{"duplicate in an answer", `{"answers":` + answers(map[int]string{3: `{"competency":4,"as_is":1,"as_is":2,"to_be":4}`}) + `}`,
			`duplicate key "answers[3].as_is"`},
		{"duplicate in a nested object", `{"respondent":{"role":"CEO","role":"CFO"},"answers":` + answers(nil) + `}`,
			`duplicate key "respondent.role"`},
		{"duplicate array", `{"answers":` + answers(nil) + `,"answers":` + answers(nil) + `}`,
			`duplicate key "answers"`},
		{"unknown key names its path", `{"answers":` + answers(map[int]string{20: `{"competency":21,"as_is":2,"to_be":4,"asis":3}`}) + `}`,
			`unknown field "answers[20].asis"`},
	}
	a := newEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !json.Valid([]byte(tt.body)) {
				t.Fatalf("test body is not valid JSON: %s", tt.body)
			}
			before, _ := a.count()
			res := a.postJSON("/api/v1/assessments", []byte(tt.body), uncheckedRequest, "keys in the wrong case or repeated, on purpose")
			out := problemOf(t, res)
			if res.StatusCode != http.StatusBadRequest || out.Error != tt.error && !strings.Contains(out.Error, tt.error) {
				t.Errorf("POST = %d %s, want 400 with %q", res.StatusCode, res.Body, tt.error)
			}
			if after, _ := a.count(); after != before {
				t.Errorf("stored assessments %d → %d, want no change", before, after)
			}
		})
	}
	// The same body with exact, single keys is accepted: the check refuses nothing valid.
	ok := `{"lang":"en","respondent":{"role":"CEO"},"company":{"name":"Acme","country":"dk"},"benchmark_consent":false,"answers":` + answers(nil) + `}`
	if res := a.postJSON("/api/v1/assessments", []byte(ok)); res.StatusCode != http.StatusCreated {
		t.Fatalf("valid body = %d %s, want 201", res.StatusCode, res.Body)
	}
}

// TestAPIJSONKeysExactInWorkspaceAPI: the consultant API decodes with the same rules.
func TestAPIJSONKeysExactInWorkspaceAPI(t *testing.T) {
	e := newWSEnv(t)
	tok := e.token("ann@alpha.example")
	c := e.browser()
	for body, want := range map[string]string{
		`{"NAME":"Acme"}`:               `key "NAME" must be written "name"`,
		`{"name":"Acme","name":"Evil"}`: `duplicate key "name"`,
	} {
		res := c.api("POST", "/api/v1/clients", tok, body, uncheckedRequest, "keys in the wrong case or repeated, on purpose")
		var out struct{ Error string }
		_ = json.Unmarshal(res.Body, &out)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error, want) {
			t.Errorf("POST /api/v1/clients %s = %d %s, want 400 with %q", body, res.StatusCode, res.Text, want)
		}
	}
	if n := e.countRows("SELECT count(*) FROM clients"); n != 0 {
		t.Errorf("clients stored = %d, want 0", n)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestCheckJSONKeys covers the shapes of Go types the key check follows: embedded structs,
// pointers, maps (any key, but once), interfaces, a tag "-", and a value whose JSON type does
// not match (left to the decoder).
func TestCheckJSONKeys(t *testing.T) {
	type inner struct {
		B int `json:"b"`
	}
	type target struct {
		inner                   // embedded: "b" is a key of target itself
		P      *inner           `json:"p"`
		M      map[string]inner `json:"m"`
		Any    any              `json:"any"`
		Hidden int              `json:"-"`
		Plain  int              // no tag: the field's name
		List   []inner          `json:"list"`
	}
	tests := []struct {
		body string
		want string // "" for no problem, else the error's key and arguments
	}{
		{`{"b":1,"p":{"b":2},"m":{"x":{"b":3},"X":{"b":4}},"any":{"Z":1,"z":2},"Plain":5,"list":[{"b":1}]}`, ""},
		{`{"B":1}`, `error.json.key_case {Field: "B", Want: "b"}`},
		{`{"p":{"B":2}}`, `error.json.key_case {Field: "p.B", Want: "b"}`},
		{`{"m":{"x":{"b":1},"x":{"b":2}}}`, `error.json.duplicate {Field: "m.x"}`},
		{`{"m":{"x":{"c":1}}}`, `error.json.unknown_field {Field: "m.x.c"}`},
		{`{"any":{"a":1,"a":2}}`, `error.json.duplicate {Field: "any.a"}`},
		{`{"Hidden":1}`, `error.json.unknown_field {Field: "Hidden"}`},
		{`{"plain":1}`, `error.json.key_case {Field: "plain", Want: "Plain"}`},
		{`{"list":[{"b":1},{"b":1,"c":2}]}`, `error.json.unknown_field {Field: "list[1].c"}`},
		{`{"p":[{"B":1}]}`, ""}, // an array where an object belongs: the decoder's type error
		{`{"b":}`, ""},          // a syntax error: the decoder's message
	}
	for _, tt := range tests {
		err := checkJSONKeys([]byte(tt.body), reflect.TypeOf(&target{}))
		got := ""
		if err != nil {
			got = strings.TrimPrefix(err.Error(), "bad_request: ")
		}
		if got != tt.want {
			t.Errorf("checkJSONKeys(%s) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

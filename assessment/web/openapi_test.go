package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/goccy/go-yaml"
)

// This file holds the API tests to the description (openapi.yaml): every request a test sends
// under /api/v1 and every response it gets goes through apiContract.check (send, in
// env_test.go calls it), so that the description cannot drift from what the server does. A
// test that sends an invalid request on purpose says so with uncheckedRequest; its response
// is still checked.

// uncheckedRequest, followed by the reason, in the header list of env.request (and so of
// get, postJSON, browser.api …) marks a request that breaks the description on purpose (bad
// JSON, a missing token, an unknown path …): the request is not validated, the response is.
// It is not sent as a header.
const uncheckedRequest = "\x00unchecked-request"

type uncheckedKey struct{}

// markUnchecked records on req why its request is not validated.
func markUnchecked(req *http.Request, reason string) *http.Request {
	if reason == "" {
		panic("uncheckedRequest needs a reason")
	}
	return req.WithContext(context.WithValue(req.Context(), uncheckedKey{}, reason))
}

// apiContract is the description loaded once for every test (kin-openapi: its JSON Schema
// 2020-12 validator reads the whole of OpenAPI 3.1), its router, and the Problem schema for
// error bodies of paths it does not have. Validation only reads them, so tests share them.
type apiContract struct {
	doc     *openapi3.T
	router  routers.Router
	problem *openapi3.Schema
}

// loadDescription parses and validates an OpenAPI document.
func loadDescription(data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("not valid OpenAPI %s: %w", doc.OpenAPI, err)
	}
	return doc, nil
}

var loadContract = sync.OnceValues(func() (*apiContract, error) {
	// The description says a CSV export is a string (type: string, contentMediaType:
	// text/csv); kin-openapi would otherwise parse it as comma-separated records, which the
	// semicolon dialect is not.
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
	doc, err := loadDescription(OpenAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: router: %w", err)
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil || problem.Value == nil {
		return nil, fmt.Errorf("openapi.yaml has no components.schemas.Problem")
	}
	return &apiContract{doc: doc, router: router, problem: problem.Value}, nil
})

// options are the validator's settings: every error at once, a response status the
// operation does not list is an error, a request must carry the credential its operation's
// security asks for, and a schema error says what is wrong without the schema and the value
// (the report shows the body).
var options = func() *openapi3filter.Options {
	o := &openapi3filter.Options{
		MultiError:            true,
		IncludeResponseStatus: true,
		AuthenticationFunc:    presentCredential,
	}
	o.WithCustomSchemaErrorFunc(schemaReason)
	return o
}()

// schemaReason is a schema error's message: its reason only.
func schemaReason(err *openapi3.SchemaError) string { return err.Reason }

// presentCredential is the description's side of authentication: the request carries the
// bearer token its operation's security asks for (the server decides whether it is a good
// one). The description has no other scheme; one added later fails here until it is handled.
func presentCredential(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if s := in.SecurityScheme; s.Type != "http" || !strings.EqualFold(s.Scheme, "bearer") {
		return in.NewError(fmt.Errorf("security scheme %s (%s) is not checked by the tests", in.SecuritySchemeName, s.Type))
	}
	if h := in.RequestValidationInput.Request.Header.Get("Authorization"); len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return in.NewError(errors.New("no Authorization: Bearer header"))
	}
	return nil
}

// input finds req's operation and returns what the validator needs for it.
func (ac *apiContract) input(req *http.Request) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := ac.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("no operation for %s %s: %w", req.Method, req.URL.Path, err)
	}
	return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: options}, nil
}

// contract returns the loaded description or fails the test.
func contract(t testing.TB) *apiContract {
	t.Helper()
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// underAPI reports whether a request is one the description covers.
func underAPI(req *http.Request) bool { return strings.HasPrefix(req.URL.Path, "/api/v1/") }

// requestBody reads req's body and gives req a fresh copy of it, so that it can be read
// again (by the validator, then by the client that sends it).
func requestBody(t testing.TB, req *http.Request) []byte {
	t.Helper()
	if req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatalf("%s %s: read request body: %v", req.Method, req.URL.Path, err)
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return b
}

// withBody is a copy of req whose body is b.
func withBody(req *http.Request, b []byte) *http.Request {
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(b))
	return r
}

// checkRequest validates a request before it is sent, unless it is marked unchecked.
func (ac *apiContract) checkRequest(t testing.TB, req *http.Request, body []byte) {
	t.Helper()
	if _, unchecked := req.Context().Value(uncheckedKey{}).(string); unchecked {
		return
	}
	in, err := ac.input(withBody(req, body))
	if err == nil {
		err = openapi3filter.ValidateRequest(req.Context(), in)
	}
	if err != nil {
		t.Errorf("openapi.yaml: request %s %s does not match the description (mark a deliberately invalid request with uncheckedRequest):\n%s",
			req.Method, req.URL.RequestURI(), describeErrors(err))
	}
}

// checkResponse validates the response res (its decoded body body) to req. The response
// to a request the description has no operation for (an unknown path or method, sent on
// purpose and marked unchecked) must still be an error the description's Problem schema
// describes.
func (ac *apiContract) checkResponse(t testing.TB, req *http.Request, reqBody []byte, res *http.Response, body []byte) {
	t.Helper()
	copied := *res
	copied.Header = res.Header.Clone()
	copied.Header.Del("Content-Encoding") // body is decoded already
	copied.Body = io.NopCloser(bytes.NewReader(body))
	if req.Method == http.MethodHead {
		copied.Body = http.NoBody
	}
	if _, unchecked := req.Context().Value(uncheckedKey{}).(string); unchecked && !ac.hasOperation(req) {
		if res.StatusCode < 400 {
			t.Errorf("openapi.yaml: %s %s is not in the description, yet answered %d", req.Method, req.URL.Path, res.StatusCode)
			return
		}
		ct := res.Header.Get("Content-Type")
		if !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("openapi.yaml: %s %s answered %d as %q, want a problem (application/problem+json or application/json)", req.Method, req.URL.Path, res.StatusCode, ct)
			return
		}
		if req.Method == http.MethodHead {
			return // no body to read
		}
		var value any
		err := json.Unmarshal(body, &value)
		if err == nil {
			err = ac.problem.VisitJSON(value, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors(),
				openapi3.SetSchemaErrorMessageCustomizer(schemaReason))
		}
		if err != nil {
			t.Errorf("openapi.yaml: %s %s answered %d with a body that is no Problem:\n%s\nbody: %.300s", req.Method, req.URL.Path, res.StatusCode, describeErrors(err), body)
		}
		return
	}
	in, err := ac.input(withBody(req, reqBody))
	if err == nil {
		err = openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: copied.StatusCode, Header: copied.Header, Body: copied.Body, Options: options})
	}
	if err != nil {
		t.Errorf("openapi.yaml: response %d to %s %s does not match the description:\n%s\nbody: %.300s",
			res.StatusCode, req.Method, req.URL.RequestURI(), describeErrors(err), body)
	}
}

// hasOperation reports whether the description has an operation for req's method and path.
func (ac *apiContract) hasOperation(req *http.Request) bool {
	for p, item := range ac.doc.Paths.Map() {
		if templateMatches(p, req.URL.Path) && item.GetOperation(req.Method) != nil {
			return true
		}
	}
	return false
}

// templateMatches reports whether path matches the path template tmpl ("/a/{id}/b").
func templateMatches(tmpl, path string) bool {
	ts, ps := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i, seg := range ts {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if seg != ps[i] {
			return false
		}
	}
	return true
}

// describeErrors lists validation errors one a line: what is wrong, and for a schema
// failure the place in the body it concerns.
func describeErrors(err error) string {
	var b strings.Builder
	var walk func(err error)
	walk = func(err error) {
		var multi openapi3.MultiError
		if errors.As(err, &multi) {
			for _, e := range multi {
				walk(e)
			}
			return
		}
		var se *openapi3.SchemaError
		if errors.As(err, &se) && len(se.JSONPointer()) > 0 {
			fmt.Fprintf(&b, "  - at %q: %v\n", "/"+strings.Join(se.JSONPointer(), "/"), err)
			return
		}
		fmt.Fprintf(&b, "  - %v\n", err)
	}
	walk(err)
	return b.String()
}

// TestOpenAPIServed checks that GET /api/v1/openapi.json serves the repository's
// openapi.yaml, as JSON, and that it is a valid OpenAPI 3.1 document.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	res := e.get("/api/v1/openapi.json")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d, want 200", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var served, file any
	if err := json.Unmarshal(res.Body, &served); err != nil {
		t.Fatalf("served description is not JSON: %v", err)
	}
	if err := yaml.Unmarshal(OpenAPIYAML, &file); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	// Through JSON, so that numbers and maps have the same Go types on both sides.
	fileJSON, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	var fileAsJSON any
	if err := json.Unmarshal(fileJSON, &fileAsJSON); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(served, fileAsJSON) {
		t.Errorf("GET /api/v1/openapi.json differs from assessment/web/openapi.yaml")
	}

	doc, err := loadDescription(res.Body)
	if err != nil {
		t.Fatalf("the served description: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() || doc.IsOpenAPI32OrLater() {
		t.Errorf("served openapi = %q, want 3.1.0", doc.OpenAPI)
	}
}

// TestOpenAPIValidatorCatchesDrift checks the check itself: a response that breaks the
// description, and a request that does, are reported with the path and what is wrong.
func TestOpenAPIValidatorCatchesDrift(t *testing.T) {
	ac := contract(t)
	get := func(path string) *http.Request {
		req, err := http.NewRequest(http.MethodGet, "http://example.test"+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	for _, tc := range []struct {
		name, path string
		status     int
		ct, body   string
		want       string // in the report
	}{
		{"a field the description lacks", "/api/v1/clients", 200, "application/json", `{"clients": [], "total": 0}`, "total"},
		{"a wrong type", "/api/v1/clients", 200, "application/json", `{"clients": 3}`, "clients"},
		{"a status the operation does not have", "/api/v1/clients", 418, "application/json", `{"error": "teapot"}`, "418"},
		{"an error without error", "/api/v1/clients", 401, "application/problem+json", `{"title": "Unauthorized", "status": 401}`, "error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			res := &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {tc.ct},
				"Www-Authenticate": {"Bearer"}, "Cache-Control": {"no-store"}}}
			ac.checkResponse(rec, get(tc.path), nil, res, []byte(tc.body))
			if len(rec.errors) == 0 {
				t.Fatalf("check(%d %s) reported nothing", tc.status, tc.body)
			}
			if msg := strings.Join(rec.errors, "\n"); !strings.Contains(msg, tc.path) || !strings.Contains(msg, tc.want) {
				t.Errorf("report = %s\nwant it to name %s and %q", msg, tc.path, tc.want)
			}
		})
	}
	t.Run("a member unevaluatedProperties forbids", func(t *testing.T) {
		// OpenAPI 3.1's JSON Schema keywords are checked, not skipped: Overall is a Score
		// (allOf) with two indexes more, and admits nothing else.
		overall := ac.doc.Components.Schemas["Overall"].Value
		valid := map[string]any{"as_is": 2.0, "to_be": 4.0, "gap": 2.0, "as_is_index": 25.0, "to_be_index": 75.0}
		if err := overall.VisitJSON(valid, openapi3.EnableJSONSchema2020()); err != nil {
			t.Fatalf("a valid Overall was refused: %v", err)
		}
		valid["median"] = 3.0
		if err := overall.VisitJSON(valid, openapi3.EnableJSONSchema2020()); err == nil || !strings.Contains(err.Error(), "median") {
			t.Errorf("an Overall with a member more: %v, want an error naming median", err)
		}
	})
	t.Run("a request with an unknown field", func(t *testing.T) {
		rec := &recordingTB{TB: t}
		body := []byte(`{"name": "Acme", "colour": "blue"}`)
		req, _ := http.NewRequest(http.MethodPost, "http://example.test/api/v1/clients", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer x")
		ac.checkRequest(rec, req, body)
		if msg := strings.Join(rec.errors, "\n"); !strings.Contains(msg, "/api/v1/clients") || !strings.Contains(msg, "colour") {
			t.Errorf("report = %q, want it to name /api/v1/clients and colour", msg)
		}
		rec = &recordingTB{TB: t}
		ac.checkRequest(rec, markUnchecked(req, "on purpose"), body)
		if len(rec.errors) != 0 {
			t.Errorf("an unchecked request was reported: %v", rec.errors)
		}
	})
	t.Run("a request without its credential", func(t *testing.T) {
		rec := &recordingTB{TB: t}
		ac.checkRequest(rec, get("/api/v1/clients"), nil)
		if msg := strings.Join(rec.errors, "\n"); !strings.Contains(msg, "/api/v1/clients") || !strings.Contains(msg, "Authorization") {
			t.Errorf("report = %q, want it to name /api/v1/clients and the missing Authorization", msg)
		}
		rec = &recordingTB{TB: t}
		withToken := get("/api/v1/clients")
		withToken.Header.Set("Authorization", "Bearer x")
		ac.checkRequest(rec, withToken, nil)
		if len(rec.errors) != 0 {
			t.Errorf("a request with its bearer token was reported: %v", rec.errors)
		}
	})
}

// recordingTB keeps what a check reports instead of failing the test.
type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// TestOpenAPICoversRouteTable checks that every route under /api/v1 of the route table is in
// the description and every operation of the description is a route: an endpoint cannot be
// added, or removed, without its description. HEAD is described for every GET route; the
// server may answer it without a route of its own.
func TestOpenAPICoversRouteTable(t *testing.T) {
	e := newEnv(t)
	ac := contract(t)
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions}
	routes := map[string]bool{}
	for _, r := range e.srv.echo.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || !slices.Contains(methods, r.Method) {
			continue
		}
		segs := strings.Split(r.Path, "/")
		for i, s := range segs {
			if name, ok := strings.CutPrefix(s, ":"); ok {
				segs[i] = "{" + name + "}"
			}
		}
		routes[r.Method+" "+strings.Join(segs, "/")] = true
	}
	described := map[string]bool{}
	for p, item := range ac.doc.Paths.Map() {
		for m := range item.Operations() {
			described[strings.ToUpper(m)+" "+p] = true
		}
	}
	if len(routes) < 20 {
		t.Fatalf("found %d API routes in the route table, want the whole /api/v1", len(routes))
	}
	for r := range routes {
		if !described[r] {
			t.Errorf("route %s is not in openapi.yaml", r)
		}
	}
	for d := range described {
		if routes[d] {
			continue
		}
		if p, ok := strings.CutPrefix(d, "HEAD "); ok && routes["GET "+p] {
			continue
		}
		t.Errorf("openapi.yaml describes %s, which the route table does not have", d)
	}
}

// serveChecked serves req with h in-process, as a test of a second server on the same
// database does, and validates the request and the response against the description like
// send does for requests over the network.
func serveChecked(t testing.TB, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	ac := contract(t)
	body := requestBody(t, req)
	ac.checkRequest(t, req, body)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	ac.checkResponse(t, req, body, rec.Result(), rec.Body.Bytes())
	return rec
}

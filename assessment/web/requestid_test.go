package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// generatedID is the form of an ID this program makes: 128 bits in hex.
var generatedID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestRequestIDHeader: every response carries an X-Request-ID, a new one for each request,
// unless a trusted proxy sent a well-formed one; a client's own, or an ill-formed one, is
// replaced.
func TestRequestIDHeader(t *testing.T) {
	direct := newEnv(t)
	first, second := direct.get("/").Header.Get("X-Request-ID"), direct.get("/").Header.Get("X-Request-ID")
	for _, id := range []string{first, second} {
		if !generatedID.MatchString(id) {
			t.Errorf("X-Request-ID = %q, want 32 hex digits", id)
		}
	}
	if first == second {
		t.Errorf("two requests got the same X-Request-ID %q", first)
	}
	// Errors carry one too: they are what gets reported.
	if id := direct.get("/no-such-page").Header.Get("X-Request-ID"); !generatedID.MatchString(id) {
		t.Errorf("404 X-Request-ID = %q, want 32 hex digits", id)
	}

	proxied := newEnv(t, behindProxy)
	tests := []struct {
		name  string
		env   *env
		sent  string
		keeps bool
	}{
		{"client without a proxy", direct, "0123456789abcdef0123456789abcdef", false},
		{"proxy, hex", proxied, "0123456789abcdef0123456789abcdef", true},
		{"proxy, UUID", proxied, "3f2c0a4e-8b1d-4c5e-9a7f-1b2c3d4e5f60", true},
		{"proxy, too short", proxied, "abc", false},
		{"proxy, too long", proxied, strings.Repeat("a", 129), false},
		{"proxy, spaces", proxied, "id with spaces in it", false},
		{"proxy, log injection", proxied, "abcdefgh\" msg=forged", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.env.get("/", "X-Request-ID", tt.sent).Header.Get("X-Request-ID")
			if tt.keeps && got != tt.sent {
				t.Errorf("sent %q, X-Request-ID = %q, want it kept", tt.sent, got)
			}
			if !tt.keeps && !generatedID.MatchString(got) {
				t.Errorf("sent %q, X-Request-ID = %q, want a new one (32 hex digits)", tt.sent, got)
			}
		})
	}
}

// TestRequestIDInLogs: a line a handler logs while it serves a request, and the request's
// own line, carry the ID the response names, and no other request's.
func TestRequestIDInLogs(t *testing.T) {
	a := newEnv(t)
	a.db.Close() // so that /readyz logs why it is not ready
	ids := make([]string, 2)
	for i := range ids {
		res := a.get("/readyz")
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("GET /readyz with the database closed = %d, want 503", res.StatusCode)
		}
		ids[i] = res.Header.Get("X-Request-ID")
	}
	// Close waits for the requests to finish, so their lines are all written.
	a.http.Close()
	lines := strings.Split(a.logs.String(), "\n")
	for _, msg := range []string{`msg="readiness check"`, `msg=request`} {
		var got []string
		for _, line := range lines {
			if !strings.Contains(line, msg+" ") {
				continue
			}
			m := regexp.MustCompile(`request_id=(\S+)`).FindStringSubmatch(line)
			if m == nil {
				t.Errorf("log line without request_id: %s", line)
				continue
			}
			got = append(got, m[1])
		}
		if strings.Join(got, " ") != strings.Join(ids, " ") {
			t.Errorf("request_id of the %s lines = %q, want the responses' %q", msg, got, ids)
		}
	}
}

// TestPanicIsLoggedWithItsRequestID: a handler that panics answers 500; the panic is logged
// with its stack, and it and the request's line carry the response's ID (the recovery sits
// inside the request log).
func TestPanicIsLoggedWithItsRequestID(t *testing.T) {
	a := newEnv(t)
	a.srv.echo.GET("/test-only/panic", func(echo.Context) error { panic("a bug") })
	res := a.get("/test-only/panic")
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("GET a panicking handler = %d, want 500", res.StatusCode)
	}
	id := res.Header.Get("X-Request-ID")
	a.http.Close()
	logs := a.logs.String()
	if !regexp.MustCompile(`level=ERROR msg=panic err="a bug" stack=".*TestPanicIsLoggedWithItsRequestID.*" request_id=` + id).MatchString(logs) {
		t.Errorf("no panic line with the stack and request_id=%s in:\n%.2000s", id, logs)
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "msg=request ") && strings.Contains(line, "path=/test-only/panic") {
			if !strings.Contains(line, "status=500") || !strings.Contains(line, "request_id="+id) {
				t.Errorf("the request's log line = %s, want status=500 and request_id=%s", line, id)
			}
			return
		}
	}
	t.Errorf("no request line for the panicking request in:\n%s", a.logs)
}

package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestConfigRefusesWhatItDoesNotUnderstand: every value the program cannot read stops the
// start with a message naming it, instead of a default taken silently (or a server started
// where another command was meant).
func TestConfigRefusesWhatItDoesNotUnderstand(t *testing.T) {
	db := dbPath(t)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"unknown flag", nil, []string{"serve", "-no-such-flag"}, "-no-such-flag"},
		{"log format", nil, []string{"serve", "-db", db, "-log", "yaml"}, `-log "yaml"`},
		{"log format from the environment", map[string]string{"LOYALTY_LOG": "xml"}, []string{"serve", "-db", db}, `-log "xml" (or LOYALTY_LOG)`},
		{"boolean", map[string]string{"LOYALTY_DEMO": "yes"}, []string{"serve", "-db", db}, `LOYALTY_DEMO="yes" is not a boolean`},
		{"another boolean", map[string]string{"LOYALTY_TRUST_PROXY": "on"}, []string{"-db", db}, `LOYALTY_TRUST_PROXY="on" is not a boolean`},
		{"grace", map[string]string{"LOYALTY_SHUTDOWN_GRACE": "5"}, []string{"serve", "-db", db}, `LOYALTY_SHUTDOWN_GRACE="5" is not a duration`},
		{"negative grace", nil, []string{"serve", "-db", db, "-shutdown-grace", "-1s"}, "-shutdown-grace -1s"},
		{"flags before a command", nil, []string{"-db", db, "user", "add", "--email", "a@b.example"}, `the command "user" comes after flags`},
		{"flags before backup", nil, []string{"-db", db, "backup", "out.db"}, `the command "backup" comes after flags`},
		{"stray argument to serve", nil, []string{"serve", "-db", db, "now"}, `serve: unexpected argument "now"`},
		{"stray argument to demo", nil, []string{"demo", "-db", db, "--remove", "all"}, `demo: unexpected argument "all"`},
		{"stray argument to version", nil, []string{"version", "-db", db}, `version: unexpected argument "-db"`},
		{"smtp without base url", nil, []string{"serve", "-db", db, "-smtp", "smtp://127.0.0.1:25", "-mail-from", "a@b.example"}, "-smtp needs -base-url"},
		{"smtp without sender", map[string]string{"LOYALTY_SMTP": "smtp://127.0.0.1:25"}, []string{"serve", "-db", db, "-base-url", "https://x.example"}, "-mail-from (or LOYALTY_MAIL_FROM) is required"},
		{"smtp scheme", nil, []string{"serve", "-db", db, "-base-url", "https://x.example", "-mail-from", "a@b.example", "-smtp", "http://u:pw@mail.example"}, "smtp:// (STARTTLS) or smtps://"},
		{"short secret key", map[string]string{"LOYALTY_SECRET_KEY": "too short"}, []string{"serve", "-db", db}, "-secret-key (or LOYALTY_SECRET_KEY): the secret key needs at least 32 characters"},
		{"audit retention", nil, []string{"serve", "-db", db, "-audit-retention", "a year"}, "-audit-retention"},
		{"stray argument to retention", nil, []string{"retention", "-db", db, "--older-than", "2y", "now"}, `retention: unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, stderr, err := runOnce(t, tt.args...)
			if err == nil || !strings.Contains(err.Error()+stderr, tt.want) {
				t.Errorf("run(%q) = %v (stderr %q), want an error naming %s", tt.args, err, stderr, tt.want)
			}
		})
	}
}

// TestHelpExitsCleanly: -h, -help, --help and help list the commands without an error (exit
// 0), and -h after a command lists its flags without an error.
func TestHelpExitsCleanly(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"-help"}, {"--help"}, {"help"}} {
		out, _, err := runOnce(t, args...)
		if err != nil {
			t.Errorf("run(%q) = %v, want nil", args, err)
		}
		for _, cmd := range []string{"serve", "healthcheck", "backup", "user add", "token create", "retention", "migrate-db"} {
			if !strings.Contains(out, cmd) {
				t.Errorf("run(%q) output lacks %q", args, cmd)
			}
		}
	}
	for _, args := range [][]string{{"serve", "-h"}, {"backup", "-h"}, {"healthcheck", "-h"}} {
		_, stderr, err := runOnce(t, args...)
		if err != nil || !strings.Contains(stderr, "-db") && !strings.Contains(stderr, "-addr") {
			t.Errorf("run(%q) = %v, stderr %q; want nil and the flags", args, err, stderr)
		}
	}
}

// TestEnvBooleansLikeParseBool: LOYALTY_TRUST_PROXY=1 means on (it used to mean off): the
// request log then takes the client address from X-Forwarded-For. The log's duration is a
// number of milliseconds.
func TestEnvBooleansLikeParseBool(t *testing.T) {
	for _, v := range []string{"1", "t", "TRUE", "True"} {
		t.Run(v, func(t *testing.T) {
			t.Setenv("LOYALTY_TRUST_PROXY", v)
			a := startApp(t, "-db", dbPath(t))
			req, _ := http.NewRequest(http.MethodGet, a.URL+"/privacy", nil)
			req.Header.Set("X-Forwarded-For", "203.0.113.9")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if err := a.stop(); err != nil { // every log line is written once run returns
				t.Fatal(err)
			}
			line := requestLine(t, a.Logs.String(), "/privacy")
			if line["ip"] != "203.0.113.9" {
				t.Errorf("LOYALTY_TRUST_PROXY=%s: logged ip = %v, want the forwarded 203.0.113.9", v, line["ip"])
			}
			if ms, ok := line["duration_ms"].(float64); !ok || ms < 0 {
				t.Errorf("request line duration_ms = %#v, want a number of milliseconds", line["duration_ms"])
			}
			if _, ok := line["duration"]; ok {
				t.Errorf("request line still has duration (nanoseconds): %v", line)
			}
		})
	}
}

// requestLine returns the JSON request log line of path.
func requestLine(t *testing.T, logs, path string) map[string]any {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var rec map[string]any
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == "request" && rec["path"] == path {
			return rec
		}
	}
	t.Fatalf("no request line for %s in\n%s", path, logs)
	return nil
}

// TestShutdownGrace replays a rolling deploy: on SIGTERM (run's context cancelled) /readyz
// answers 503 at once, so the load balancer stops routing here, while the listener stays
// open and new connections are still served, until the grace period is over; then the
// server drains and stops. The grace period's end is a channel of the test's, not the clock.
func TestShutdownGrace(t *testing.T) {
	started, release := make(chan time.Duration, 1), make(chan time.Time)
	orig := graceOver
	graceOver = func(d time.Duration) <-chan time.Time { started <- d; return release }
	t.Cleanup(func() { graceOver = orig })

	a := startApp(t, "-db", dbPath(t), "-shutdown-grace", "45s")
	if _, _, err := runOnce(t, "healthcheck", "-addr", a.Addr); err != nil {
		t.Fatalf("healthcheck of a ready app = %v, want nil", err)
	}
	a.cancel() // what SIGTERM does in main
	if d := <-started; d != 45*time.Second {
		t.Errorf("grace period = %v, want the -shutdown-grace 45s", d)
	}
	// A new connection for each request: the listener must still accept them.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
	get := func(path string) (int, string) {
		t.Helper()
		res, err := client.Get(a.URL + path)
		if err != nil {
			t.Fatalf("GET %s during the grace period: %v", path, err)
		}
		defer res.Body.Close()
		var b strings.Builder
		_, _ = bufio.NewReader(res.Body).WriteTo(&b)
		return res.StatusCode, b.String()
	}
	if status, body := get("/readyz"); status != http.StatusServiceUnavailable || !strings.Contains(body, "shutting down") {
		t.Errorf("GET /readyz during the grace period = %d %q, want 503 shutting down", status, body)
	}
	if status, _ := get("/privacy"); status != http.StatusOK {
		t.Errorf("GET /privacy during the grace period = %d, want 200 (still serving)", status)
	}
	if status, _ := get("/healthz"); status != http.StatusOK {
		t.Errorf("GET /healthz during the grace period = %d, want 200 (alive)", status)
	}
	if _, _, err := runOnce(t, "healthcheck", "-addr", a.Addr); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("healthcheck during the grace period = %v, want an error naming 503", err)
	}
	select {
	case err := <-a.done:
		t.Fatalf("run returned (%v) before the grace period was over", err)
	default:
	}
	close(release)
	if err := a.stop(); err != nil {
		t.Fatalf("run after the grace period = %v, want nil", err)
	}
	if c, err := net.Dial("tcp", a.Addr); err == nil {
		c.Close()
		t.Error("the listener still accepts connections after the server stopped")
	}
	if _, _, err := runOnce(t, "healthcheck", "-addr", a.Addr); err == nil {
		t.Error("healthcheck of a stopped app = nil, want an error (exit 1)")
	}
}

// TestHealthcheckAddress: the listen address is asked on this machine when it names no host
// or a wildcard one.
func TestHealthcheckAddress(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{":8080", "http://127.0.0.1:8080/readyz"},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/readyz"},
		{"[::]:8080", "http://[::1]:8080/readyz"},
		{"10.0.0.5:8080", "http://10.0.0.5:8080/readyz"},
		{"localhost:8080", "http://localhost:8080/readyz"},
	} {
		if got, err := readyURL(tt.addr); err != nil || got != tt.want {
			t.Errorf("readyURL(%q) = %q, %v; want %q", tt.addr, got, err, tt.want)
		}
	}
	for _, bad := range []string{"8080", "host:", ""} {
		if _, err := readyURL(bad); err == nil {
			t.Errorf("readyURL(%q) = nil error, want one naming the address", bad)
		}
	}
}

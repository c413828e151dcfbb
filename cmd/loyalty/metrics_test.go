package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
)

// metricsAddr returns the address of the "metrics listening" line of a's log, or "".
func metricsAddr(a *app) string {
	sc := bufio.NewScanner(strings.NewReader(a.Logs.String()))
	for sc.Scan() {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "metrics listening" {
			return rec.Addr
		}
	}
	return ""
}

// get fetches url and returns its status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := noRedirect.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestServeMetrics: with -metrics-addr (or LOYALTY_METRICS_ADDR) the metrics are served on
// that address and only there, with the app's, the pools' and the runtime's metrics; without
// it nothing listens for them and the public address does not serve them either.
func TestServeMetrics(t *testing.T) {
	writeConns := "1" // SQLite writes through one connection
	if sqltest.Postgres() {
		writeConns = "4"
	}
	t.Run("off by default", func(t *testing.T) {
		a := startApp(t, "-db", dbPath(t))
		if addr := metricsAddr(a); addr != "" {
			t.Errorf("metrics listen on %s without -metrics-addr", addr)
		}
		if code, _ := get(t, a.URL+"/metrics"); code != http.StatusNotFound {
			t.Errorf("GET /metrics on the public address = %d, want 404", code)
		}
	})

	for _, how := range []string{"flag", "env"} {
		t.Run(how, func(t *testing.T) {
			args := []string{"-db", dbPath(t)}
			if how == "flag" {
				args = append(args, "-metrics-addr", "127.0.0.1:0")
			} else {
				t.Setenv("LOYALTY_METRICS_ADDR", "127.0.0.1:0")
			}
			a := startApp(t, args...)
			addr := metricsAddr(a)
			if addr == "" || addr == a.Addr {
				t.Fatalf("metrics address = %q (public %s), want one of their own:\n%s", addr, a.Addr, a.Logs)
			}
			token := submit(t, a, "Metrics A/S")
			if code, _ := get(t, a.URL+"/r/"+token); code != http.StatusOK {
				t.Fatalf("GET /r/{token} = %d, want 200", code)
			}
			if code, _ := get(t, a.URL+"/metrics"); code != http.StatusNotFound {
				t.Errorf("GET /metrics on the public address = %d, want 404", code)
			}
			code, body := get(t, "http://"+addr+"/metrics")
			if code != http.StatusOK {
				t.Fatalf("GET /metrics on the metrics address = %d:\n%s", code, body)
			}
			for _, want := range []string{
				`loyalty_tests_submitted_total{via="form"} 1`,
				`loyalty_http_request_duration_seconds_count{code="200",method="GET",route="/r/:token"} 1`,
				`loyalty_http_request_duration_seconds_count{code="303",method="POST",route="/test"} 1`,
				`loyalty_rounds_open{kind="workshop"} 0`,
				`go_sql_max_open_connections{db_name="write"} ` + writeConns,
				`go_sql_open_connections{db_name="read"}`,
				`go_goroutines `,
				`loyalty_build_info{version=`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("the scrape lacks %s", want)
				}
			}
			if strings.Contains(body, token) {
				t.Error("the scrape contains the result's token")
			}
			if code, _ := get(t, "http://"+addr+"/"); code != http.StatusNotFound {
				t.Errorf("GET / on the metrics address = %d, want 404 (it serves /metrics only)", code)
			}
		})
	}
}

// TestServeMetricsAddrInUse: a metrics address that cannot be had stops the start, rather
// than running without the metrics the operator asked for.
func TestServeMetricsAddrInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	_, _, err = runOnce(t, "serve", "-addr", "127.0.0.1:0", "-db", dbPath(t), "-metrics-addr", taken.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "metrics") {
		t.Errorf("run(serve -metrics-addr %s, which is taken) = %v, want a metrics error", taken.Addr(), err)
	}
}

package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// withMetrics counts into reg, as cmd/loyalty wires it: the app's metrics and the store's two
// pools.
func withMetrics(reg *prometheus.Registry) option {
	return func(c *Config) {
		db := c.Store.(*sqlstore.DB)
		read, write := db.Pools()
		reg.MustRegister(collectors.NewDBStatsCollector(read, "read"), collectors.NewDBStatsCollector(write, "write"))
		m, err := NewMetrics(reg, db)
		if err != nil {
			panic(err)
		}
		c.Metrics = m
	}
}

// scrape is one scrape of a metrics endpoint: the text and the families parsed from it.
type scrape struct {
	text     string
	families map[string]*dto.MetricFamily
}

// scrapeMetrics fetches url over HTTP and parses the text format, as Prometheus would.
func scrapeMetrics(t *testing.T, url string) scrape {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d:\n%s", url, res.StatusCode, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parse the scrape: %v\n%s", err, body)
	}
	return scrape{text: string(body), families: fams}
}

// series returns the metrics of family name whose labels include labels.
func (s scrape) series(name string, labels map[string]string) []*dto.Metric {
	var out []*dto.Metric
	f := s.families[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range labels {
			if have[k] != v {
				continue next
			}
		}
		out = append(out, m)
	}
	return out
}

// value is the sum of the counters, gauges or histogram counts of the matching series, and
// how many series there were.
func (s scrape) value(name string, labels map[string]string) (float64, int) {
	var sum float64
	ms := s.series(name, labels)
	for _, m := range ms {
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		}
	}
	return sum, len(ms)
}

// TestMetrics scrapes the metrics endpoint over HTTP before and after requests: requests are
// counted under their route pattern, never under the token or path they named; submissions
// go up by exactly the number submitted; releases by the number made; open rounds and the
// database pools are read at scrape time.
func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	a := newEnv(t, withMetrics(reg))
	metrics := httptest.NewServer(MetricsHandler(reg, slog.New(slog.NewTextHandler(a.logs, nil))))
	t.Cleanup(metrics.Close)
	scrapeURL := metrics.URL + "/metrics"

	before := scrapeMetrics(t, scrapeURL)
	for _, via := range []string{"form", "api"} {
		if v, n := before.value("loyalty_tests_submitted_total", map[string]string{"via": via}); v != 0 || n != 1 {
			t.Errorf("before: loyalty_tests_submitted_total{via=%q} = %v in %d series, want 0 in 1", via, v, n)
		}
	}

	// Three tests by form, two by the API.
	var tokens []string
	for range 3 {
		tokens = append(tokens, strings.TrimPrefix(a.submitForm(uniform(2, 4), nil), "/r/"))
	}
	for i := range 2 {
		tokens = append(tokens, a.submitAPI(company("Metric Co "+string(rune('A'+i)), "retail", uniform(3, 4), false)))
	}
	const unknown = "SOMETOKENthatisnotone"
	if res := a.get("/r/" + unknown); res.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /r/%s = %d, want 404", unknown, res.StatusCode)
	}
	if res := a.get("/r/" + tokens[0]); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /r/%s = %d, want 200", tokens[0], res.StatusCode)
	}
	for _, path := range []string{"/no-such-page-xyzzy", "/w/no-such-page-plugh"} {
		a.get(path)
	}

	after := scrapeMetrics(t, scrapeURL)
	for via, want := range map[string]float64{"form": 3, "api": 2} {
		if v, _ := after.value("loyalty_tests_submitted_total", map[string]string{"via": via}); v != want {
			t.Errorf("loyalty_tests_submitted_total{via=%q} = %v, want %v", via, v, want)
		}
	}
	// The result page, found and not found, is counted under its pattern only.
	hist := "loyalty_http_request_duration_seconds"
	if v, _ := after.value(hist, map[string]string{"method": "GET", "route": "/r/:token", "code": "404"}); v != 1 {
		t.Errorf("%s{route=/r/:token,code=404} count = %v, want 1", hist, v)
	}
	if v, _ := after.value(hist, map[string]string{"method": "GET", "route": "/r/:token", "code": "200"}); v != 1 {
		t.Errorf("%s{route=/r/:token,code=200} count = %v, want 1", hist, v)
	}
	if v, _ := after.value(hist, map[string]string{"method": "POST", "route": "/test", "code": "303"}); v != 3 {
		t.Errorf("%s{POST /test 303} count = %v, want 3", hist, v)
	}
	if v, _ := after.value(hist, map[string]string{"route": unmatchedRoute}); v != 2 {
		t.Errorf("%s{route=%s} count = %v, want 2 (the two unknown pages)", hist, unmatchedRoute, v)
	}
	for _, m := range after.series(hist, nil) {
		for _, l := range m.Label {
			if l.GetName() == "route" && !a.srv.routePatterns[l.GetValue()] && l.GetValue() != unmatchedRoute {
				t.Errorf("route label %q is not a pattern of the route table", l.GetValue())
			}
		}
	}
	for _, secret := range append([]string{unknown, "no-such-page", "plugh"}, tokens...) {
		if strings.Contains(after.text, secret) {
			t.Errorf("the scrape contains %q, which a request named", secret)
		}
	}

	// The pools' statistics, of both pools.
	for _, pool := range []string{"read", "write"} {
		if _, n := after.value("go_sql_open_connections", map[string]string{"db_name": pool}); n != 1 {
			t.Errorf("go_sql_open_connections{db_name=%q}: %d series, want 1", pool, n)
		}
	}
	// The write pool's size is the store's: one connection on SQLite, a few on PostgreSQL.
	_, write := a.db.Pools()
	if v, _ := after.value("go_sql_max_open_connections", map[string]string{"db_name": "write"}); v != float64(write.Stats().MaxOpenConnections) || v < 1 {
		t.Errorf("go_sql_max_open_connections{db_name=write} = %v, want the write pool's %d", v, write.Stats().MaxOpenConnections)
	}

	// Open rounds are read from the database when scraped.
	if v, n := after.value("loyalty_rounds_open", map[string]string{"kind": "workshop"}); v != 0 || n != 1 {
		t.Errorf("loyalty_rounds_open{kind=workshop} = %v in %d series, want 0 in 1", v, n)
	}
	ctx := context.Background()
	ws, err := a.db.EnsureWorkspace(ctx, "Metrics Consulting")
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.q.NewClient(assessment.Company{Name: "Roundco", Industry: "retail", Country: "DK"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.CreateClient(ctx, ws.ID, &c); err != nil {
		t.Fatal(err)
	}
	var code string
	for _, title := range []string{"Kick-off", "Follow-up"} {
		r, _ := a.q.NewRound(title, "en")
		if err := a.db.CreateRound(ctx, ws.ID, c.ID, &r); err != nil {
			t.Fatal(err)
		}
		code = r.Code
	}
	// Two participants answer through the API; one of them again (a replaced set counts).
	var participant string
	for range 2 {
		res := a.postJSON("/api/v1/join/"+code, []byte(`{"answers":`+uniform(2, 4).json()+`}`))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("POST /api/v1/join/{code} = %d: %s", res.StatusCode, res.Body)
		}
		participant = res.Text[strings.Index(res.Text, `"participant_token":"`)+len(`"participant_token":"`):]
		participant = participant[:strings.IndexByte(participant, '"')]
	}
	if res := a.postJSON("/api/v1/join/"+code, []byte(`{"answers":`+uniform(3, 4).json()+`}`), "X-Participant-Token", participant); res.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/v1/join/{code} again = %d: %s", res.StatusCode, res.Body)
	}
	rounds := scrapeMetrics(t, scrapeURL)
	if v, _ := rounds.value("loyalty_rounds_open", map[string]string{"kind": "workshop"}); v != 2 {
		t.Errorf("after opening two rounds: loyalty_rounds_open{kind=workshop} = %v, want 2", v)
	}
	if v, _ := rounds.value("loyalty_round_answers_submitted_total", map[string]string{"via": "api"}); v != 3 {
		t.Errorf("loyalty_round_answers_submitted_total{via=api} = %v, want 3", v)
	}
	if strings.Contains(rounds.text, code) {
		t.Error("the scrape contains the round's link code")
	}

	// A release: enough verified companies, a day later, and a read of the benchmark.
	if v, _ := after.value("loyalty_benchmark_releases_total", nil); v != 0 {
		t.Errorf("before any release: loyalty_benchmark_releases_total = %v, want 0", v)
	}
	for i := range 6 {
		a.verify(a.submitAPI(company("Peer "+string(rune('A'+i)), "finance", uniform(2+i%3, 5), true)))
	}
	a.nextDay()
	if res := a.get("/api/v1/benchmark"); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/benchmark = %d", res.StatusCode)
	}
	a.get("/api/v1/benchmark") // not due again: no second release
	if made := a.releases(); made != 1 {
		t.Fatalf("releases stored = %d, want 1", made)
	}
	if v, _ := scrapeMetrics(t, scrapeURL).value("loyalty_benchmark_releases_total", nil); v != 1 {
		t.Errorf("loyalty_benchmark_releases_total = %v, want 1", v)
	}
}

// TestMetricsOpenRoundsUnreadable: when the database does not answer, the scrape still
// serves every other metric, and leaves out the open rounds rather than report a false 0.
func TestMetricsOpenRoundsUnreadable(t *testing.T) {
	reg := prometheus.NewRegistry()
	a := newEnv(t, withMetrics(reg))
	metrics := httptest.NewServer(MetricsHandler(reg, slog.New(slog.NewTextHandler(a.logs, nil))))
	t.Cleanup(metrics.Close)
	a.db.Close()
	s := scrapeMetrics(t, metrics.URL+"/metrics")
	if _, n := s.value("loyalty_rounds_open", nil); n != 0 {
		t.Errorf("loyalty_rounds_open with the database closed: %d series, want none", n)
	}
	if _, n := s.value("loyalty_tests_submitted_total", nil); n != 2 {
		t.Errorf("loyalty_tests_submitted_total with the database closed: %d series, want 2", n)
	}
	if !strings.Contains(a.logs.String(), "count open rounds") {
		t.Errorf("the failed read is not logged:\n%s", a.logs)
	}
}

// TestMetricsTimeStreamsApart: a phone's live stream, opened and closed, is counted once in
// the streams' histogram under its route pattern, and not at all among the requests, whose
// latency an hour-long stream would otherwise swamp.
func TestMetricsTimeStreamsApart(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newWSEnv(t, withMetrics(reg))
	metrics := httptest.NewServer(MetricsHandler(reg, slog.New(slog.NewTextHandler(e.logs, nil))))
	t.Cleanup(metrics.Close)
	w := e.world("Acme")
	phone := finish(t, e, w.round.Code, 2)

	s := phone.openStream(t, "/j/"+w.round.Code+"/events")
	s.next("first block")
	s.close()
	// The stream is counted when its handler has returned, which follows the close.
	const stream = "loyalty_live_stream_duration_seconds"
	var after scrape
	for deadline := time.Now().Add(eventWait); ; {
		after = scrapeMetrics(t, metrics.URL+"/metrics")
		if v, _ := after.value(stream, map[string]string{"route": "/j/:code/events"}); v == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s{route=/j/:code/events} never counted the closed stream:\n%s", stream, after.text)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, n := after.value("loyalty_http_request_duration_seconds", map[string]string{"route": "/j/:code/events"}); n != 0 {
		t.Errorf("loyalty_http_request_duration_seconds has %d series of the stream's route, want 0", n)
	}
	// The phone's other requests are still requests.
	if v, _ := after.value("loyalty_http_request_duration_seconds", map[string]string{"method": "POST", "route": "/j/:code"}); v < 1 {
		t.Errorf("loyalty_http_request_duration_seconds{POST /j/:code} = %v, want the phone's answers counted", v)
	}
}

package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/loyalty-cx/loyalty/assessment/store"
)

// Metrics counts what an operator watches: how long requests take by route and status,
// tests and round answers submitted, benchmark releases made, and rounds open. It is
// registered on a registry the caller owns and serves on an address of its own
// (MetricsHandler); a nil *Metrics counts nothing, so a server runs without it.
type Metrics struct {
	requests  *prometheus.HistogramVec
	streams   *prometheus.HistogramVec
	tests     *prometheus.CounterVec
	answers   *prometheus.CounterVec
	releases  prometheus.Counter
	openRound *openRounds
	mail      *prometheus.CounterVec
	outbox    *outboxGauge
}

// unmatchedRoute is the route label of every request no route matched: a label per path
// would let anyone who sends requests grow the metrics without bound, and put whatever they
// sent (a token, a code) into them.
const unmatchedRoute = "unmatched"

// NewMetrics creates the metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer, db store.Metrics) (*Metrics, error) {
	m := &Metrics{
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "loyalty_http_request_duration_seconds",
			Help:    "Time from receiving a request to having answered it, by method, route pattern (never a token or code) and status code.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route", "code"}),
		streams: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "loyalty_live_stream_duration_seconds",
			Help:    "How long each live stream (Server-Sent Events) stayed open, by route pattern; counted when it ends. Streams are not requests: they stay open for a workshop's length, so they are kept out of loyalty_http_request_duration_seconds.",
			Buckets: []float64{1, 10, 60, 300, 900, 1800, 3600, 7200, 14400},
		}, []string{"route"}),
		tests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loyalty_tests_submitted_total",
			Help: "Five-minute tests stored, by how they were sent (form or api).",
		}, []string{"via"}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loyalty_round_answers_submitted_total",
			Help: "Complete sets of answers stored by participants of workshop and team rounds (a replaced set counts again), by how they were sent (form or api).",
		}, []string{"via"}),
		releases: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "loyalty_benchmark_releases_total",
			Help: "Benchmark releases this process made.",
		}),
		openRound: &openRounds{db: db, desc: prometheus.NewDesc("loyalty_rounds_open",
			"Rounds open now in the database, by kind (workshop or team).", []string{"kind"}, nil)},
		mail: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loyalty_email_attempts_total",
			Help: "Attempts at sending an email by this process, by kind (invitation, password-reset, result-link, team-invitation) and outcome: sent, logged (no -smtp: written to the log), retry (failed, tried again later), failed (given up).",
		}, []string{"kind", "outcome"}),
		outbox: &outboxGauge{db: db, desc: prometheus.NewDesc("loyalty_email_outbox",
			"Messages in the email outbox, by status: pending (not delivered yet), sent, failed (given up after the last retry).", []string{"status"}, nil)},
	}
	// Both channels exist from the start, at 0, so that a rate over them is defined.
	for _, via := range []string{"form", "api"} {
		m.tests.WithLabelValues(via)
		m.answers.WithLabelValues(via)
	}
	for _, c := range []prometheus.Collector{m.requests, m.streams, m.tests, m.answers, m.releases, m.openRound, m.mail, m.outbox} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// MetricsHandler serves the metrics gathered by g in Prometheus's format. It belongs on the
// metrics address, never on the public one. A metric that fails to gather (the database
// not answering) is logged and left out; the others are still served.
func MetricsHandler(g prometheus.Gatherer, log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelError),
	})
}

// testSubmitted counts a stored test.
func (m *Metrics) testSubmitted(via string) {
	if m != nil {
		m.tests.WithLabelValues(via).Inc()
	}
}

// answersSubmitted counts a participant's stored set of answers.
func (m *Metrics) answersSubmitted(via string) {
	if m != nil {
		m.answers.WithLabelValues(via).Inc()
	}
}

// releaseMade counts a benchmark release.
func (m *Metrics) releaseMade() {
	if m != nil {
		m.releases.Inc()
	}
}

// MailAttempt counts one attempt at sending an email (the outbox worker's Count).
func (m *Metrics) MailAttempt(kind, outcome string) {
	if m != nil {
		m.mail.WithLabelValues(kind, outcome).Inc()
	}
}

// measure times every request and counts it by method, route pattern and final status. It
// runs inside logRequests and, like it, lets the error handler answer first, so that the
// status is the one sent. A live stream that was served is timed apart, by route only: its
// hour in a workshop would otherwise swamp the requests' latency.
func (s *Server) measure(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		took := time.Since(start).Seconds()
		res := c.Response()
		if res.Status == http.StatusOK && strings.HasPrefix(res.Header().Get(echo.HeaderContentType), "text/event-stream") {
			s.metrics.streams.WithLabelValues(s.routeLabel(c)).Observe(took)
			return nil
		}
		s.metrics.requests.WithLabelValues(methodLabel(c.Request().Method), s.routeLabel(c),
			strconv.Itoa(res.Status)).Observe(took)
		return nil
	}
}

// routeLabel is the pattern of the route that served c ("/r/:token"), or unmatchedRoute.
// Echo gives an unmatched request the path of a catch-all it made for a group's middleware
// ("/w/*"), or of the nearest route; only a pattern of the route table counts.
func (s *Server) routeLabel(c echo.Context) string {
	if p := c.Path(); s.routePatterns[p] {
		return p
	}
	return unmatchedRoute
}

// methodLabel bounds the method label to the methods HTTP defines.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// openRounds is the gauge of open rounds, read from the database on each scrape.
type openRounds struct {
	db   store.Metrics
	desc *prometheus.Desc
}

// Describe implements prometheus.Collector.
func (o *openRounds) Describe(ch chan<- *prometheus.Desc) { ch <- o.desc }

// Collect implements prometheus.Collector. A scrape that cannot read the count reports the
// error (MetricsHandler logs it) instead of a number that is not true.
func (o *openRounds) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	workshop, team, err := o.db.OpenRounds(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(o.desc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(o.desc, prometheus.GaugeValue, float64(workshop), "workshop")
	ch <- prometheus.MustNewConstMetric(o.desc, prometheus.GaugeValue, float64(team), "team")
}

// outboxGauge is the gauge of the outbox's messages by status, read on each scrape: every
// instance on the database shares the outbox.
type outboxGauge struct {
	db   store.Metrics
	desc *prometheus.Desc
}

// Describe implements prometheus.Collector.
func (o *outboxGauge) Describe(ch chan<- *prometheus.Desc) { ch <- o.desc }

// Collect implements prometheus.Collector.
func (o *outboxGauge) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := o.db.MailCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(o.desc, err)
		return
	}
	for _, s := range []string{"pending", "sent", "failed"} {
		ch <- prometheus.MustNewConstMetric(o.desc, prometheus.GaugeValue, float64(counts[s]), s)
	}
}

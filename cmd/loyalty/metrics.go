package main

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/web"
)

// newMetrics builds the registry the metrics address serves: the app's own metrics
// (web.Metrics), the statistics of the store's two pools (connections open, in use, idle,
// waits and time waited: a write pool whose waits grow is the first sign that one machine
// is not enough), the Go runtime's and the process's, and the build's version. A registry
// of its own, not Prometheus's global one, so that nothing a library registers behind our
// back is served and tests can build as many as they like.
func newMetrics(db *sqlstore.DB) (*prometheus.Registry, *web.Metrics, error) {
	reg := prometheus.NewRegistry()
	read, write := db.Pools()
	for _, c := range []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(read, "read"),
		collectors.NewDBStatsCollector(write, "write"),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "loyalty_build_info",
			Help:        "Always 1; the version label names the running build.",
			ConstLabels: prometheus.Labels{"version": buildVersion()},
		}, func() float64 { return 1 }),
	} {
		if err := reg.Register(c); err != nil {
			return nil, nil, err
		}
	}
	m, err := web.NewMetrics(reg, db)
	if err != nil {
		return nil, nil, err
	}
	return reg, m, nil
}

// metricsServer serves GET /metrics, and nothing else, for the address of -metrics-addr.
func metricsServer(reg *prometheus.Registry, log *slog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", web.MetricsHandler(reg, log))
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

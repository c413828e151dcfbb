// Command loyalty runs the LOYALTY maturity assessment: the web app and its maintenance
// subcommands.
//
//	loyalty [serve] [-addr :8080] [-db loyalty.db] [-questions questions.yaml] [-base-url URL] [-retention 24mo] [-metrics-addr 127.0.0.1:9090]
//	loyalty backup -db loyalty.db FILE
//	loyalty retention -db loyalty.db --older-than 24mo
//	loyalty version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/web"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise the module's
// build info is used.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loyalty:", err)
		os.Exit(1)
	}
}

// run is main without the process: tests call it with their own arguments and streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr)
	case "backup":
		return backup(ctx, args, stderr)
	case "user":
		return userCmd(ctx, args, stdin, stdout, stderr)
	case "token":
		return tokenCmd(ctx, args, stdout, stderr)
	case "demo":
		return demo(ctx, args, stdout, stderr)
	case "retention":
		return retentionCmd(ctx, args, stdout, stderr)
	case "pool":
		return poolCmd(ctx, args, stdout, stderr)
	case "migrate-db":
		return migrateDB(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "loyalty", buildVersion())
		return nil
	case "help", "-h", "--help":
		usage(stdout)
		return nil
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", cmd)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  loyalty [serve] [flags]    run the web app (the default)
  loyalty backup [flags] FILE  write a consistent copy of the SQLite database to FILE
  loyalty demo --companies N [--seed S] | --remove
                             add or remove synthetic companies for trying the benchmark
  loyalty user add --workspace W --email E --name N [--admin]
                             add a consultant; the password is read from stdin or LOYALTY_PASSWORD
  loyalty token create --email E [--name N] [--expires-in 90d]
                             print a new API token for a member (shown once)
  loyalty token list --email E
                             list a member's API tokens (ID, name, created, last used, expires)
  loyalty token revoke ID    revoke an API token: it is refused from then on
  loyalty retention --older-than 24mo
                             delete test results and workshop participants older than a period
  loyalty pool pending       list consenting tests waiting for verification (ID, date, company)
  loyalty pool verify ID...  put checked tests into the benchmark pool (next release)
  loyalty pool unverify ID...
                             take tests out of the benchmark pool again
  loyalty migrate-db --from loyalty.db --to postgres://…
                             copy a SQLite database into an empty PostgreSQL one
  loyalty version            print the version

Run "loyalty serve -h" to see the flags.
`)
}

// common holds the flags every subcommand that touches data shares.
type common struct {
	db        string
	questions string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.db, "db", envOr("LOYALTY_DB", "loyalty.db"), "SQLite database file, or a postgres:// URL (env LOYALTY_DB)")
	fs.StringVar(&c.questions, "questions", envOr("LOYALTY_QUESTIONS", ""), "questionnaire YAML file instead of the embedded questions.yaml (env LOYALTY_QUESTIONS)")
}

// questionnaire loads the embedded instrument or the file named by -questions.
func (c *common) questionnaire() (*assessment.Questionnaire, error) {
	if c.questions == "" {
		return assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML)
	}
	data, err := os.ReadFile(c.questions)
	if err != nil {
		return nil, fmt.Errorf("questionnaire: %w", err)
	}
	return assessment.ParseQuestionnaire(c.questions, data)
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	addr := fs.String("addr", envOr("LOYALTY_ADDR", ":8080"), "listen address (env LOYALTY_ADDR)")
	trustProxy := fs.Bool("trust-proxy", envOr("LOYALTY_TRUST_PROXY", "") == "true", "take client IPs from X-Forwarded-For (only behind a proxy; env LOYALTY_TRUST_PROXY=true)")
	demoMode := fs.Bool("demo", envOr("LOYALTY_DEMO", "") == "true", "count synthetic demo companies in benchmarks, with a visible notice (env LOYALTY_DEMO=true)")
	logFormat := fs.String("log", envOr("LOYALTY_LOG", "text"), "log format: text or json (env LOYALTY_LOG)")
	retention := fs.String("retention", envOr("LOYALTY_RETENTION", ""), "delete test results and closed rounds' participants older than this period, at start-up and daily, e.g. 24mo or 2y (d days, w weeks, mo months, y years); empty: keep everything (env LOYALTY_RETENTION)")
	baseURL := fs.String("base-url", envOr("LOYALTY_BASE_URL", ""), "public address of the app, e.g. https://loyalty.example.com: absolute links and QR codes use it instead of the request's Host header; set it in production (env LOYALTY_BASE_URL)")
	metricsAddr := fs.String("metrics-addr", envOr("LOYALTY_METRICS_ADDR", ""), "listen address of the Prometheus metrics (GET /metrics), e.g. 127.0.0.1:9090; never the public address; empty: no metrics (env LOYALTY_METRICS_ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := web.ParseBaseURL(*baseURL); err != nil {
		return err
	}
	period, err := parseRetention(*retention)
	if err != nil {
		return err
	}
	var handler slog.Handler = slog.NewTextHandler(stdout, nil)
	if *logFormat == "json" {
		handler = slog.NewJSONHandler(stdout, nil)
	}
	log := slog.New(handler)

	q, err := c.questionnaire()
	if err != nil {
		return err
	}
	db, err := sqlstore.Open(c.db)
	if err != nil {
		return err
	}
	defer db.Close()

	// Background jobs, each at start-up and then on a ticker: the failures the rate limits no
	// longer count are deleted (and the SQLite write-ahead log checkpointed), and the
	// retention period, if any, applied.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	var jobs sync.WaitGroup
	// Before the database closes: stop the jobs and wait for a run in progress.
	defer func() { stopJobs(); jobs.Wait() }()
	every := func(d time.Duration, what string, job func(context.Context) error) error {
		if err := job(ctx); err != nil {
			return err
		}
		ticker := time.NewTicker(d)
		jobs.Go(func() { defer ticker.Stop(); repeat(jobsCtx, ticker.C, log, what, job) })
		return nil
	}
	prune := func(ctx context.Context) error {
		if _, err := db.PruneFailures(ctx, time.Now().Add(-web.LimitHorizon)); err != nil {
			return err
		}
		// A deletion's own checkpoint gives up while a reader holds an old snapshot; this
		// one finishes it, so no deleted row waits in the -wal file for longer than this.
		_, err := db.Checkpoint(ctx)
		return err
	}
	if err := every(pruneEvery, "prune failures", prune); err != nil {
		return err
	}
	if !period.IsZero() {
		r := &retainer{store: db, q: q, period: period, now: time.Now, log: log}
		retain := func(ctx context.Context) error { _, err := r.run(ctx); return err }
		if err := every(retentionEvery, "retention", retain); err != nil {
			return err
		}
	}

	// The metrics, when asked for, listen on an address of their own, which the operator
	// keeps off the public network: the public listener never serves them.
	var metrics *web.Metrics
	var servers []*http.Server
	var listeners []net.Listener
	if *metricsAddr != "" {
		reg, m, err := newMetrics(db)
		if err != nil {
			return err
		}
		metrics = m
		ln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		defer ln.Close()
		servers, listeners = append(servers, metricsServer(reg, log)), append(listeners, ln)
		log.Info("metrics listening", "addr", ln.Addr().String())
	}

	srv := &http.Server{
		Addr:              *addr,
		Handler:           web.New(web.Config{Questionnaire: q, Store: db, Demo: *demoMode, Logger: log, TrustProxy: *trustProxy, BaseURL: *baseURL, Retention: period, Metrics: metrics}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String(), "db", sqlstore.Describe(c.db), "questionnaire", q.Version, "version", buildVersion())

	servers, listeners = append(servers, srv), append(listeners, ln)

	errc := make(chan error, len(servers))
	for i, s := range servers {
		go func() { errc <- s.Serve(listeners[i]) }()
	}
	var failed error
	select {
	case failed = <-errc:
		// A server that stops by itself takes the others down with it: half a program
		// (the app without its metrics, or the reverse) is worse than a visible restart.
	case <-ctx.Done():
		log.Info("shutting down: finishing requests in flight")
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var errs []error
	for _, s := range servers {
		if err := s.Shutdown(shutdownCtx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
		}
	}
	if failed != nil {
		return errors.Join(append([]error{failed}, errs...)...)
	}
	for range servers {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	log.Info("stopped")
	return nil
}

func backup(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup: name the file to write, e.g. loyalty backup backup.db")
	}
	db, err := sqlstore.Open(c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Backup(ctx, fs.Arg(0))
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if dirty {
				rev += "-dirty"
			}
			return rev
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
	}
	return "dev"
}

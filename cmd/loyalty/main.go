// Command loyalty runs the LOYALTY maturity assessment: the web app and its maintenance
// subcommands.
//
//	loyalty [serve] [-addr :8080] [-db loyalty.db] [-questions questions.yaml] [-base-url URL] [-smtp URL -mail-from ADDR] [-retention 24mo] [-metrics-addr 127.0.0.1:9090] [-shutdown-grace 5s]
//	loyalty healthcheck [-addr :8080]
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
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/email"
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
//
// A command's flags come after its name; "-h" after a command lists its flags and is no
// error, and "-h", "-help" or "help" alone lists the commands.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			usage(stdout)
			return nil
		}
	}
	err := dispatch(ctx, args, stdin, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the flag package has printed the command's flags
	}
	return err
}

// commands are the subcommands run knows, for the message that refuses flags before one.
var commands = []string{"serve", "healthcheck", "backup", "user", "workspace", "operator", "token", "demo", "retention", "pool", "migrate-db", "version", "help"}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args, stderr)
	case "backup":
		return backup(ctx, args, stderr)
	case "user":
		return userCmd(ctx, args, stdin, stdout, stderr)
	case "workspace":
		return workspaceCmd(ctx, args, stdout, stderr)
	case "operator":
		return operatorCmd(ctx, args, stdout, stderr)
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
		if len(args) > 0 {
			return fmt.Errorf("version: unexpected argument %q", args[0])
		}
		fmt.Fprintln(stdout, "loyalty", buildVersion())
		return nil
	case "help":
		usage(stdout)
		return nil
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", cmd)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  loyalty [serve] [flags]    run the web app (the default)
  loyalty healthcheck [-addr ADDR]
                             exit 0 when the app at ADDR (default LOYALTY_ADDR) is ready
                             (GET /readyz answers 200), 1 otherwise: a container's HEALTHCHECK
  loyalty backup [flags] FILE  write a consistent copy of the SQLite database to FILE
  loyalty demo --companies N [--seed S] | --remove
                             add or remove synthetic companies for trying the benchmark
  loyalty workspace create --name N --admin-email E [--lang en] [-base-url URL]
                             create a workspace and invite its first admin by email
  loyalty operator add --email E [--lang en] [-base-url URL] | list | remove --email E
                             manage the operators of the console /ops (add emails a link
                             to set a password; a second factor is required at sign-in)
  loyalty user add --workspace W --email E --name N [--admin]
                             add a consultant; the password is read from stdin or LOYALTY_PASSWORD
  loyalty token create --email E [--name N] [--expires-in 90d]
                             print a new API token for a member (shown once)
  loyalty token list --email E
                             list a member's API tokens (ID, name, created, last used, expires)
  loyalty token revoke ID    revoke an API token: it is refused from then on
  loyalty retention --older-than 24mo
                             delete test results and workshop participants older than a period
  loyalty pool pending       list domains waiting for approval with their tests, and consenting tests waiting for verification
  loyalty pool approve-domain DOMAIN...  accept domains confirmed by work email: each counts as one company (its latest test)
  loyalty pool reject-domain DOMAIN...   refuse domains: none of their tests counts
  loyalty pool verify ID...  put checked tests into the benchmark pool (next release)
  loyalty pool unverify ID...
                             take tests out of the benchmark pool again
  loyalty migrate-db --from loyalty.db --to postgres://…
                             copy a SQLite database into an empty PostgreSQL one
  loyalty version            print the version

A command's flags come after its name ("loyalty user add -db FILE …"). Run
"loyalty serve -h" (or any command with -h) to see its flags.
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

// open loads the questionnaire and opens the database, as every command that needs both
// starts; the caller closes the database. The questionnaire is read first: a broken one
// stops the command before the database is opened.
func (c *common) open() (*assessment.Questionnaire, *sqlstore.DB, error) {
	q, err := c.questionnaire()
	if err != nil {
		return nil, nil, err
	}
	db, err := sqlstore.Open(c.db)
	if err != nil {
		return nil, nil, err
	}
	return q, db, nil
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	addr := fs.String("addr", envOr("LOYALTY_ADDR", ":8080"), "listen address (env LOYALTY_ADDR)")
	var env envReader
	trustProxy := fs.Bool("trust-proxy", env.bool("LOYALTY_TRUST_PROXY"), "take client IPs from X-Forwarded-For (only behind a proxy; env LOYALTY_TRUST_PROXY=true, or 1, t, TRUE…)")
	demoMode := fs.Bool("demo", env.bool("LOYALTY_DEMO"), "count synthetic demo companies in benchmarks, with a visible notice (env LOYALTY_DEMO=true, or 1, t, TRUE…)")
	logFormat := fs.String("log", envOr("LOYALTY_LOG", "text"), "log format: text or json (env LOYALTY_LOG)")
	grace := fs.Duration("shutdown-grace", env.duration("LOYALTY_SHUTDOWN_GRACE", defaultShutdownGrace), "on SIGTERM, how long /readyz answers 503 while requests are still served, so that a load balancer stops routing here before the listener closes, e.g. 5s or 0 (env LOYALTY_SHUTDOWN_GRACE)")
	retention := fs.String("retention", envOr("LOYALTY_RETENTION", ""), "delete test results and closed rounds' participants older than this period, at start-up and daily, e.g. 24mo or 2y (d days, w weeks, mo months, y years); empty: keep everything (env LOYALTY_RETENTION)")
	auditRetention := fs.String("audit-retention", envOr("LOYALTY_AUDIT_RETENTION", assessment.DefaultAuditRetention.String()), "delete audit log entries older than this period, at start-up and daily, e.g. 1y or 18mo; empty: keep them all (env LOYALTY_AUDIT_RETENTION)")
	secretKey := fs.String("secret-key", envOr("LOYALTY_SECRET_KEY", ""), "a random key of at least 32 characters that encrypts members' TOTP secrets in the database (e.g. openssl rand -base64 32); keep it out of backups and never change it without members setting up their app again; prefer the environment variable (env LOYALTY_SECRET_KEY)")
	baseURL := fs.String("base-url", envOr("LOYALTY_BASE_URL", ""), "public address of the app, e.g. https://loyalty.example.com: absolute links and QR codes use it instead of the request's Host header; set it in production (env LOYALTY_BASE_URL)")
	smtpURL := fs.String("smtp", envOr("LOYALTY_SMTP", ""), "SMTP relay for the app's email: smtp://user:password@host:587 (STARTTLS; required for credentials unless the relay is on this machine) or smtps://user:password@host:465; needs -base-url and -mail-from; empty: messages are written to the log instead (env LOYALTY_SMTP)")
	mailFrom := fs.String("mail-from", envOr("LOYALTY_MAIL_FROM", ""), "sender of the app's email, e.g. 'LOYALTY <noreply@example.com>' (env LOYALTY_MAIL_FROM)")
	blockedDomains := fs.String("blocked-domains", envOr("LOYALTY_BLOCKED_DOMAINS", ""), "file of mail domains that may not verify a result, one a line (# comments; *.example.com with its subdomains), beside the built-in free-mail and throw-away lists (env LOYALTY_BLOCKED_DOMAINS)")
	metricsAddr := fs.String("metrics-addr", envOr("LOYALTY_METRICS_ADDR", ""), "listen address of the Prometheus metrics (GET /metrics), e.g. 127.0.0.1:9090; never the public address; empty: no metrics (env LOYALTY_METRICS_ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		if slices.Contains(commands, fs.Arg(0)) {
			return fmt.Errorf("the command %q comes after flags, which it would not read: write the command first, then its flags (loyalty %s … -db FILE)", fs.Arg(0), fs.Arg(0))
		}
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	if err := env.err(); err != nil {
		return err
	}
	if *logFormat != "text" && *logFormat != "json" {
		return fmt.Errorf("-log %q (or LOYALTY_LOG): the log format is text or json", *logFormat)
	}
	domains, err := domainLists(*blockedDomains)
	if err != nil {
		return err
	}
	if *grace < 0 {
		return fmt.Errorf("-shutdown-grace %v (or LOYALTY_SHUTDOWN_GRACE): must not be negative", *grace)
	}
	if _, err := web.ParseBaseURL(*baseURL); err != nil {
		return err
	}
	if *smtpURL != "" && *baseURL == "" {
		return errors.New("-smtp needs -base-url (or LOYALTY_BASE_URL): the links in email must lead to the app's public address, not to whatever Host a request named")
	}
	period, err := parseRetention(*retention)
	if err != nil {
		return err
	}
	auditPeriod, err := parseAuditRetention(*auditRetention)
	if err != nil {
		return err
	}
	var sealer *auth.Sealer
	if *secretKey != "" {
		if sealer, err = auth.NewSealer(*secretKey); err != nil {
			return fmt.Errorf("-secret-key (or LOYALTY_SECRET_KEY): %w", err)
		}
	}
	var handler slog.Handler = slog.NewTextHandler(stdout, nil)
	if *logFormat == "json" {
		handler = slog.NewJSONHandler(stdout, nil)
	}
	log := slog.New(handler)
	var sender email.Sender = email.LogSender{Log: log}
	if *smtpURL != "" {
		s, err := email.NewSMTP(email.Config{URL: *smtpURL, From: *mailFrom})
		if err != nil {
			return err
		}
		sender = s
	}

	q, db, err := c.open()
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
	if !auditPeriod.IsZero() {
		a := &auditPurger{store: db, period: auditPeriod, now: time.Now, log: log}
		if err := every(retentionEvery, "audit retention", a.run); err != nil {
			return err
		}
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

	// The outbox's worker: at start-up, whenever a request stores a message, and every
	// mailPoll (messages due for a retry, and those other instances stored).
	wake := make(chan struct{}, 1)
	worker := &email.Worker{Outbox: db, Sender: sender, Log: log, Count: metrics.MailAttempt}
	mailTicker := time.NewTicker(mailPoll)
	jobs.Go(func() { defer mailTicker.Stop(); worker.Run(jobsCtx, mailTicker.C, wake) })
	mail := web.MailConfig{Delivers: sender.Delivers(), Wake: func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}}

	app := web.New(web.Config{Questionnaire: q, Store: db, Demo: *demoMode, Logger: log, TrustProxy: *trustProxy, BaseURL: *baseURL, Addr: *addr, Retention: period, Metrics: metrics, Mail: mail, Sealer: sealer, Domains: domains})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           app,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	// A live stream is never idle, so Shutdown would wait for it until its deadline: end the
	// streams when it begins, and their browsers reconnect to another instance (web/events.go).
	srv.RegisterOnShutdown(app.CloseStreams)
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
		// Not ready from now on, but still serving: a load balancer that polls /readyz
		// stops routing here within the grace period, and requests it sends until then are
		// answered instead of refused. A second signal does not wait (run's caller decides).
		app.Drain()
		log.Info("shutting down: not ready, still serving for the grace period", "grace", grace.String())
		select {
		case <-graceOver(*grace):
		case failed = <-errc:
		}
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

// mailPoll is how often the outbox's worker looks for messages due without being woken.
const mailPoll = 10 * time.Second

// defaultShutdownGrace is -shutdown-grace's default: a few of a load balancer's health checks.
const defaultShutdownGrace = 5 * time.Second

// graceOver returns a channel that fires when the shutdown grace d is over. Tests replace it
// with a channel of their own, so that no test waits on the clock.
var graceOver = func(d time.Duration) <-chan time.Time { return time.After(d) }

// envReader reads LOYALTY_* variables that must be understood, and keeps what it could not
// understand, so that a command refuses to start naming each variable and its value rather
// than silently taking a default.
type envReader struct{ errs []error }

// bool reads key like strconv.ParseBool (1, t, T, TRUE, true, True, 0, f, …); unset or empty
// is false.
func (e *envReader) bool(key string) bool {
	v := envOr(key, "")
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q is not a boolean: use true or false (or 1, 0)", key, v))
	}
	return b
}

// duration reads key like time.ParseDuration ("5s", "1m30s", "0"); unset or empty is def.
func (e *envReader) duration(key string, def time.Duration) time.Duration {
	v := envOr(key, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q is not a duration: use for example 5s, 30s or 1m", key, v))
		return def
	}
	return d
}

// err is every value that was not understood, or nil.
func (e *envReader) err() error { return errors.Join(e.errs...) }

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

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// How often serve applies the retention period after start-up, and deletes the failures the
// rate limits no longer count.
const (
	retentionEvery = 24 * time.Hour
	pruneEvery     = 10 * time.Minute
)

// remover is the store's part retention needs.
type remover interface {
	RemoveOlderThan(ctx context.Context, q *assessment.Questionnaire, cutoff time.Time) (assessment.Removed, error)
}

// retainer applies a retention period (assessment/retention.go) to the store.
type retainer struct {
	store  remover
	q      *assessment.Questionnaire
	period assessment.Period
	now    func() time.Time
	log    *slog.Logger
}

// run deletes what is older than the period now and logs what it removed.
func (r *retainer) run(ctx context.Context) (assessment.Removed, error) {
	cutoff, ok := assessment.RetentionCutoff(r.period, r.now())
	if !ok {
		return assessment.Removed{}, nil
	}
	removed, err := r.store.RemoveOlderThan(ctx, r.q, cutoff)
	r.log.Info("retention", "older_than", r.period.String(), "cutoff", cutoff.UTC().Format(time.RFC3339),
		"results", removed.Results, "participants", removed.Participants, "pool_entries", removed.PoolEntries)
	if err != nil {
		return removed, fmt.Errorf("retention: %w", err)
	}
	return removed, nil
}

// repeat runs job at every tick until ctx ends; a failed run is logged as what and the next
// tick tries again. serve ticks with time.Ticker; tests tick by hand and wait on no clock.
func repeat(ctx context.Context, ticks <-chan time.Time, log *slog.Logger, what string, job func(context.Context) error) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			if err := job(ctx); err != nil && ctx.Err() == nil {
				log.Error(what+" failed", "err", err)
			}
		}
	}
}

// auditPurger applies the audit retention (-audit-retention, default a year): older audit
// events are deleted, whatever the data retention is.
type auditPurger struct {
	store interface {
		PurgeAudit(ctx context.Context, cutoff time.Time) (int, error)
	}
	period assessment.Period
	now    func() time.Time
	log    *slog.Logger
}

// run deletes the audit events older than the period now and logs how many.
func (a *auditPurger) run(ctx context.Context) error {
	cutoff := a.period.Before(a.now())
	n, err := a.store.PurgeAudit(ctx, cutoff)
	if err != nil {
		return fmt.Errorf("audit retention: %w", err)
	}
	a.log.Info("audit retention", "older_than", a.period.String(), "cutoff", cutoff.UTC().Format(time.RFC3339), "events", n)
	return nil
}

// parseAuditRetention reads the -audit-retention flag: empty keeps the log for ever.
func parseAuditRetention(s string) (assessment.Period, error) {
	if s == "" {
		return assessment.Period{}, nil
	}
	p, err := assessment.ParsePeriod(s)
	if err != nil {
		return p, fmt.Errorf("-audit-retention: %w", sentence(err))
	}
	return p, nil
}

// parseRetention reads the -retention flag: empty is off.
func parseRetention(s string) (assessment.Period, error) {
	if s == "" {
		return assessment.Period{}, nil
	}
	p, err := assessment.ParsePeriod(s)
	if err != nil {
		return p, fmt.Errorf("-retention: %w", sentence(err))
	}
	return p, nil
}

// retentionCmd runs "loyalty retention --older-than 24mo": the retention period applied
// once, now, for an operator who does not run it with serve or wants it at once.
func retentionCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("retention", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	olderThan := fs.String("older-than", "", "delete what is older than this period, e.g. 24mo, 2y or 90d (d days, w weeks, mo months, y years)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("retention: unexpected argument %q", fs.Arg(0))
	}
	if *olderThan == "" {
		return errors.New("retention: say how old data may get, e.g. loyalty retention --older-than 24mo")
	}
	period, err := assessment.ParsePeriod(*olderThan)
	if err != nil {
		return fmt.Errorf("retention: --older-than: %w", sentence(err))
	}
	q, db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	r := &retainer{store: db, q: q, period: period, now: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	removed, err := r.run(ctx)
	cutoff, _ := assessment.RetentionCutoff(period, r.now())
	fmt.Fprintf(stdout, "removed results=%d participants=%d pool_entries=%d (older than %s: before %s)\n",
		removed.Results, removed.Participants, removed.PoolEntries, period, cutoff.UTC().Format("2006-01-02 15:04 UTC"))
	return err
}

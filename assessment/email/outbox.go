package email

import (
	"context"
	"log/slog"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Outbox is the store's side of the outbox: messages written by the actions that cause
// them, claimed by workers with a lease, then marked sent or rescheduled.
type Outbox interface {
	// ClaimMail leases up to limit messages due at now to this worker until now+lease, so
	// that no other worker (another instance on PostgreSQL) sends them meanwhile.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]assessment.Mail, error)
	// MailSent marks message id delivered and erases its bodies.
	MailSent(ctx context.Context, id int64, now time.Time) error
	// MailFailed records a failed attempt: the message is tried again at next, or, when
	// gaveUp, marked failed for good (and its bodies erased).
	MailFailed(ctx context.Context, id int64, now, next time.Time, gaveUp bool, reason string) error
}

// Outcomes of one attempt, as the metrics count them.
const (
	OutcomeSent    = "sent"
	OutcomeRetry   = "retry"
	OutcomeFailed  = "failed"
	OutcomeLogOnly = "logged"
)

// Worker sends the outbox's messages. Any number of workers may share one outbox: claims
// are leased. Its clock is injectable, so that tests move time instead of waiting.
type Worker struct {
	Outbox Outbox
	Sender Sender
	Log    *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Count, when set, is called once per attempt with the message's kind and the outcome
	// (metrics).
	Count func(kind, outcome string)
	// Batch is how many messages one claim takes; 0 means 50.
	Batch int
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now().UTC()
	}
	return w.Now().UTC()
}

// RunOnce sends every message due now, batch after batch, and returns how many it sent and
// how many attempts failed. It stops at the first error of the store (the next run goes on).
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	batch := w.Batch
	if batch == 0 {
		batch = 50
	}
	for {
		now := w.now()
		ms, err := w.Outbox.ClaimMail(ctx, now, assessment.MailLease, batch)
		if err != nil || len(ms) == 0 {
			return sent, failed, err
		}
		for _, m := range ms {
			if ctx.Err() != nil {
				// Stopping: the messages not tried yet stay claimed until their lease
				// runs out, then this or another worker sends them.
				return sent, failed, ctx.Err()
			}
			ok, err := w.send(ctx, m)
			if err != nil {
				return sent, failed, err
			}
			if ok {
				sent++
			} else {
				failed++
			}
		}
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
	}
}

// send makes one attempt at m and records its outcome.
func (w *Worker) send(ctx context.Context, m assessment.Mail) (bool, error) {
	sendCtx, cancel := context.WithTimeout(ctx, assessment.MailLease/2)
	serr := w.Sender.Send(sendCtx, m)
	cancel()
	now := w.now()
	// The outcome is recorded even when the worker is stopping: a message the relay took
	// must be marked sent, or it would go out again after the lease.
	ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if serr == nil {
		// Marked right after the SMTP transaction: a crash between the relay's "250 OK" and
		// this write sends the message again after the lease (docs/deploy.md).
		if err := w.Outbox.MailSent(ctx, m.ID, now); err != nil {
			return false, err
		}
		outcome := OutcomeSent
		if !w.Sender.Delivers() {
			outcome = OutcomeLogOnly
		}
		w.count(m.Kind, outcome)
		return true, nil
	}
	attempts := m.Attempts + 1
	wait, gaveUp := assessment.MailRetry(attempts)
	if err := w.Outbox.MailFailed(ctx, m.ID, now, now.Add(wait), gaveUp, serr.Error()); err != nil {
		return false, err
	}
	if gaveUp {
		w.Log.ErrorContext(ctx, "email failed for good", "id", m.ID, "kind", m.Kind, "attempts", attempts, "err", serr)
		w.count(m.Kind, OutcomeFailed)
	} else {
		w.Log.WarnContext(ctx, "email not sent, will retry", "id", m.ID, "kind", m.Kind, "attempts", attempts, "retry_in", wait.String(), "err", serr)
		w.count(m.Kind, OutcomeRetry)
	}
	return false, nil
}

func (w *Worker) count(kind, outcome string) {
	if w.Count != nil {
		w.Count(kind, outcome)
	}
}

// Run sends due messages whenever tick fires or wake is signalled (a request stored a
// message), until ctx ends. Store errors are logged and retried at the next tick.
func (w *Worker) Run(ctx context.Context, tick <-chan time.Time, wake <-chan struct{}) {
	for {
		if _, _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log.ErrorContext(ctx, "email outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		case <-wake:
		}
	}
}

package web

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// burstInvitations is how many invitations TestInvitationBurstWhileRelayDown sends: 250 in
// the suite, where what it asserts holds as well as at more; docs/performance.md measures
// 1,000 with -args -burst 1000.
var burstInvitations = flag.Int("burst", 250, "invitations TestInvitationBurstWhileRelayDown sends")

// TestInvitationBurstWhileRelayDown: a burst of invitations (-burst: 250 by default, 1,000 in
// docs/performance.md) sent through the API while the SMTP relay refuses everything, with
// the outbox's worker trying all along, all answer 201 (a request never waits for the relay);
// once the relay is back for a minute, every message is delivered exactly once. The figures it logs are in docs/performance.md; nothing here
// asserts a time. It runs beside the other parallel tests (its own server and database):
// measure the figures with -run TestInvitationBurstWhileRelayDown alone.
func TestInvitationBurstWhileRelayDown(t *testing.T) {
	t.Parallel()
	const clients = 4
	n := *burstInvitations
	e := newWSEnv(t, withBaseURL("https://loyalty.example"))
	box := e.mailbox()
	box.srv.SetDown(true)
	ann := e.token("ann@alpha.example")

	// The worker runs during the burst, as in the server, failing against the relay.
	var done atomic.Bool
	var worker sync.WaitGroup
	var tries int
	worker.Go(func() {
		for !done.Load() {
			_, failed, err := box.worker.RunOnce(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			tries += failed
		}
	})

	start := time.Now()
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			b := e.browser()
			for i := c; i < n; i += clients {
				res := b.api(http.MethodPost, "/api/v1/invitations", ann, fmt.Sprintf(`{"email":"guest%04d@burst.example","role":"member"}`, i))
				statuses <- res.StatusCode
			}
		})
	}
	wg.Wait()
	burst := time.Since(start)
	done.Store(true)
	worker.Wait()
	close(statuses)
	created := 0
	for s := range statuses {
		if s == http.StatusCreated {
			created++
		}
	}
	if created != n {
		t.Fatalf("%d of %d invitations answered 201 while the relay was down", created, n)
	}
	if got := len(box.srv.Messages()); got != 0 {
		t.Fatalf("the relay accepted %d messages while down", got)
	}

	// The relay comes back; a minute later every message has been retried.
	box.srv.SetDown(false)
	e.advance(time.Minute)
	start = time.Now()
	msgs := box.deliver()
	drain := time.Since(start)
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m.To[0]]++
	}
	for i := range n {
		if to := fmt.Sprintf("guest%04d@burst.example", i); seen[to] != 1 {
			t.Errorf("%s got %d messages, want exactly 1", to, seen[to])
		}
	}
	if len(msgs) != n {
		t.Errorf("delivered %d messages, want %d", len(msgs), n)
	}
	e.advance(assessment.MailMaxRetry)
	if again := box.deliver(); len(again) != n {
		t.Errorf("a later run delivered %d more", len(again)-n)
	}
	counts, err := e.db.MailCounts(context.Background())
	if err != nil || counts["sent"] != n || counts["pending"] != 0 {
		t.Errorf("MailCounts = %v, %v; want %d sent", counts, err, n)
	}
	t.Logf("%d invitations by %d clients with the relay down: %v (%.0f/s), %d failed attempts meanwhile; relay back: %d delivered in %v (%.0f/s)",
		n, clients, burst.Round(time.Millisecond), float64(n)/burst.Seconds(), tries, len(msgs), drain.Round(time.Millisecond), float64(len(msgs))/drain.Seconds())
}

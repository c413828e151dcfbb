package email_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/email"
	"github.com/loyalty-cx/loyalty/assessment/email/smtptest"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// TestParsePolicy: credentials go to a relay that is not this machine only over TLS
// (implicit, or STARTTLS required); a URL that is not a relay's is refused naming what is
// wrong, never echoing the password.
func TestParsePolicy(t *testing.T) {
	tests := []struct {
		url     string
		want    email.Policy
		wantErr string
	}{
		{"smtp://mail.example.com", email.Policy{Host: "mail.example.com", Port: 587}, ""},
		{"smtp://u:p@mail.example.com:587", email.Policy{Host: "mail.example.com", Port: 587, RequireTLS: true, Auth: true}, ""},
		{"smtps://u:p@mail.example.com", email.Policy{Host: "mail.example.com", Port: 465, Implicit: true, Auth: true}, ""},
		{"smtp://u:p@127.0.0.1:2525", email.Policy{Host: "127.0.0.1", Port: 2525, Auth: true}, ""},
		{"smtp://u:p@localhost:25", email.Policy{Host: "localhost", Port: 25, Auth: true}, ""},
		{"smtp://u:p@[::1]:25", email.Policy{Host: "::1", Port: 25, Auth: true}, ""},
		{"smtp://u:p@10.0.0.1:25", email.Policy{Host: "10.0.0.1", Port: 25, RequireTLS: true, Auth: true}, ""},
		{"http://u:secret@mail.example.com", email.Policy{}, "scheme"},
		{"smtp://u:secret@:587", email.Policy{}, "host"},
		{"smtp://u:secret@mail.example.com:99999", email.Policy{}, "port"},
		{"smtp://u:secret@mail.example.com/x?y=1", email.Policy{}, "only a user"},
	}
	for _, tt := range tests {
		got, err := email.ParsePolicy(tt.url)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "secret") {
				t.Errorf("ParsePolicy(%q) = %v, want an error naming %q without the password", tt.url, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePolicy(%q) = %+v, %v; want %+v", tt.url, got, err, tt.want)
		}
	}
}

func TestNewSMTPNeedsFrom(t *testing.T) {
	for _, from := range []string{"", "not an address"} {
		if _, err := email.NewSMTP(email.Config{URL: "smtp://127.0.0.1:25", From: from}); err == nil || !strings.Contains(err.Error(), "-mail-from") {
			t.Errorf("NewSMTP(From %q) = %v, want an error naming -mail-from", from, err)
		}
	}
}

// TestSMTPSends: a message goes over SMTP, authenticated with the URL's credentials, with
// its subject in UTF-8 and the text and HTML bodies as alternatives.
func TestSMTPSends(t *testing.T) {
	srv := smtptest.Start(t, "app", "s3cret")
	s, err := email.NewSMTP(email.Config{URL: "smtp://app:s3cret@" + srv.Addr, From: "LOYALTY <noreply@loyalty.example>"})
	if err != nil {
		t.Fatal(err)
	}
	m := assessment.Mail{ID: 7, Kind: assessment.MailInvitation, To: "åse@kunde.example", Subject: "Invitation til Nordic CX – på dansk",
		Text: "Åbn https://loyalty.example/invite/abc", HTML: "<p>Åbn <a href=\"https://loyalty.example/invite/abc\">linket</a></p>"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server got %d messages, want 1", len(got))
	}
	g := got[0]
	if g.Auth != "app" || g.From != "noreply@loyalty.example" || len(g.To) != 1 || g.To[0] != m.To || g.Subject != m.Subject {
		t.Errorf("message = auth %q, from %q, to %v, subject %q", g.Auth, g.From, g.To, g.Subject)
	}
	if strings.TrimSpace(g.Text) != m.Text || strings.TrimSpace(g.HTML) != m.HTML {
		t.Errorf("bodies = %q / %q, want %q / %q", g.Text, g.HTML, m.Text, m.HTML)
	}
	if g.Header.Get("Message-Id") == "" || g.Header.Get("Date") == "" {
		t.Errorf("headers = %v, want a Message-ID and a Date", g.Header)
	}

	bad, _ := email.NewSMTP(email.Config{URL: "smtp://app:wrong@" + srv.Addr, From: "noreply@loyalty.example"})
	if err := bad.Send(context.Background(), m); err == nil || strings.Contains(err.Error(), "wrong") {
		t.Errorf("Send with a wrong password = %v, want an error without the password", err)
	}
}

// TestLogSender: without a relay, the log gets the recipient, subject and links.
func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	s := email.LogSender{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	if s.Delivers() {
		t.Error("LogSender.Delivers() = true, want false")
	}
	if err := s.Send(context.Background(), assessment.Mail{Kind: "invitation", To: "a@x.example", Subject: "Join", Text: "Open https://x.example/invite/T1 now.\nOr https://x.example/help"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"to=a@x.example", "subject=Join", `links="https://x.example/invite/T1 https://x.example/help"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log = %q, want %q", buf.String(), want)
		}
	}
}

// clock is a test's clock: it moves only when the test says.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func openStore(t *testing.T, c *clock) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(filepath.Join(t.TempDir(), "loyalty.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = c.now
	return db
}

// TestWorkerRetriesWithBackoff: while the relay refuses, each message is retried 30 s, then
// 1 min, 2 min … later (never earlier), a worker that died holding messages loses none of
// them, and once the relay is back each is delivered exactly once.
func TestWorkerRetriesWithBackoff(t *testing.T) {
	ctx := context.Background()
	c := &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db := openStore(t, c)
	srv := smtptest.Start(t, "", "")
	sender, err := email.NewSMTP(email.Config{URL: "smtp://" + srv.Addr, From: "noreply@loyalty.example"})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	w := &email.Worker{Outbox: db, Sender: sender, Log: slog.New(slog.DiscardHandler), Now: c.now,
		Count: func(kind, outcome string) { counts[outcome]++ }}
	for _, to := range []string{"a@x.example", "b@x.example"} {
		if err := db.EnqueueMail(ctx, &assessment.Mail{Kind: "invitation", To: to, Subject: "S", Text: "T"}); err != nil {
			t.Fatal(err)
		}
	}
	run := func(wantSent, wantFailed int) {
		t.Helper()
		sent, failed, err := w.RunOnce(ctx)
		if err != nil || sent != wantSent || failed != wantFailed {
			t.Fatalf("RunOnce at %s = %d sent, %d failed, %v; want %d, %d", c.t.Format("15:04:05"), sent, failed, err, wantSent, wantFailed)
		}
	}
	srv.SetDown(true)
	run(0, 2) // 09:00:00: both fail, next try at 09:00:30
	c.t = c.t.Add(29 * time.Second)
	run(0, 0) // not due yet
	c.t = c.t.Add(time.Second)
	run(0, 2) // 09:00:30: the second failure; next at 09:01:30
	c.t = c.t.Add(59 * time.Second)
	run(0, 0)
	c.t = c.t.Add(time.Second)
	srv.SetDown(false)
	run(2, 0)
	c.t = c.t.Add(24 * time.Hour)
	run(0, 0)
	if got := len(srv.Messages()); got != 2 {
		t.Errorf("delivered %d messages, want 2 (each exactly once)", got)
	}
	if counts["retry"] != 4 || counts["sent"] != 2 {
		t.Errorf("counted %v, want 4 retries and 2 sent", counts)
	}

	// A worker that claimed a message and died (kill -9) loses nothing: after the lease,
	// another sends it.
	if err := db.EnqueueMail(ctx, &assessment.Mail{Kind: "invitation", To: "c@x.example", Subject: "S", Text: "T"}); err != nil {
		t.Fatal(err)
	}
	if ms, err := db.ClaimMail(ctx, c.t, assessment.MailLease, 10); err != nil || len(ms) != 1 {
		t.Fatalf("the dying worker's claim = %v, %v", ms, err)
	}
	run(0, 0) // leased to the dead worker
	c.t = c.t.Add(assessment.MailLease)
	run(1, 0)
	if got := len(srv.Messages()); got != 3 {
		t.Errorf("delivered %d messages, want 3", got)
	}
}

// TestWorkerGivesUp: after MailMaxAttempts refusals a message is failed for good, counted
// and logged, and never tried again.
func TestWorkerGivesUp(t *testing.T) {
	ctx := context.Background()
	c := &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db := openStore(t, c)
	srv := smtptest.Start(t, "", "")
	srv.SetDown(true)
	sender, _ := email.NewSMTP(email.Config{URL: "smtp://" + srv.Addr, From: "noreply@loyalty.example"})
	var log bytes.Buffer
	counts := map[string]int{}
	w := &email.Worker{Outbox: db, Sender: sender, Log: slog.New(slog.NewTextHandler(&log, nil)), Now: c.now,
		Count: func(kind, outcome string) { counts[outcome]++ }}
	if err := db.EnqueueMail(ctx, &assessment.Mail{Kind: "password-reset", To: "a@x.example", Subject: "S", Text: "T"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < assessment.MailMaxAttempts+3; i++ {
		if _, _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		c.t = c.t.Add(assessment.MailMaxRetry)
	}
	if counts["retry"] != assessment.MailMaxAttempts-1 || counts["failed"] != 1 {
		t.Errorf("counted %v, want %d retries then 1 failed", counts, assessment.MailMaxAttempts-1)
	}
	got, _ := db.MailCounts(ctx)
	if got["failed"] != 1 || got["pending"] != 0 {
		t.Errorf("MailCounts = %v, want 1 failed", got)
	}
	if !strings.Contains(log.String(), "email failed for good") || !strings.Contains(log.String(), "421") {
		t.Errorf("log = %q, want the give-up with the relay's 421", log.String())
	}
}

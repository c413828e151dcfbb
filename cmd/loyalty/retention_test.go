package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// seedAges stores two anonymous, consenting results in a new database, both verified into
// the benchmark pool: one taken three years ago, one today. It returns the database and the
// two tokens.
func seedAges(t *testing.T) (path, old, recent string) {
	t.Helper()
	path = dbPath(t)
	q, err := assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tokens []string
	for _, at := range []time.Time{time.Now().AddDate(-3, 0, 0), time.Now()} {
		db.Now = func() time.Time { return at.UTC() }
		var answers []assessment.Answer
		for i := 1; i <= 21; i++ {
			answers = append(answers, assessment.Answer{Competency: i, AsIs: 2, ToBe: 4})
		}
		a, err := q.NewAssessment(assessment.Submission{Lang: "en", BenchmarkConsent: true, Answers: answers})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateAssessment(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		if in, err := db.VerifyAssessment(context.Background(), q, a.ID); err != nil || !in {
			t.Fatalf("VerifyAssessment = %v, %v", in, err)
		}
		tokens = append(tokens, a.Token)
	}
	return path, tokens[0], tokens[1]
}

// TestRetentionCommand: "loyalty retention --older-than 24mo" deletes the three-year-old
// result with its benchmark entry and keeps today's; an unclear period is refused.
func TestRetentionCommand(t *testing.T) {
	db, old, recent := seedAges(t)
	if _, _, err := runOnce(t, "retention", "-db", db, "--older-than", "24m"); err == nil ||
		err.Error() != `retention: --older-than: "24m" is ambiguous: write 24mo for months` {
		t.Errorf("retention --older-than 24m = %v", err)
	}
	if _, _, err := runOnce(t, "retention", "-db", db); err == nil {
		t.Error("retention without --older-than = nil, want an error")
	}
	out, _, err := runOnce(t, "retention", "-db", db, "--older-than", "24mo")
	if err != nil || !strings.HasPrefix(out, "removed results=1 participants=0 pool_entries=1 (older than 24mo: before ") {
		t.Fatalf("retention = %q, %v", out, err)
	}
	store, err := sqlstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Assessment(context.Background(), old); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("the old result = %v, want deleted", err)
	}
	if _, err := store.Assessment(context.Background(), recent); err != nil {
		t.Errorf("today's result = %v, want kept", err)
	}
}

// TestServeRetention: serve -retention 24mo applies it at start-up and logs what it removed;
// a malformed period stops the start.
func TestServeRetention(t *testing.T) {
	if _, _, err := runOnce(t, "serve", "-addr", "127.0.0.1:0", "-db", dbPath(t), "-retention", "18m"); err == nil ||
		!strings.Contains(err.Error(), "write 18mo for months") {
		t.Errorf("serve -retention 18m = %v, want the period refused", err)
	}
	db, old, recent := seedAges(t)
	a := startApp(t, "-db", db, "-retention", "24mo")
	if logs := a.Logs.String(); !strings.Contains(logs, `"msg":"retention","older_than":"24mo"`) || !strings.Contains(logs, `"results":1,"participants":0,"pool_entries":1`) {
		t.Errorf("no retention line with what was removed in the logs:\n%s", logs)
	}
	resp, err := http.Get(a.URL + "/privacy?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "24 months after") {
		t.Error("the privacy page does not state the retention period of 24 months")
	}
	for token, want := range map[string]int{old: http.StatusNotFound, recent: http.StatusOK} {
		resp, err := http.Get(a.URL + "/r/" + token)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET /r/%s… = %d, want %d", token[:4], resp.StatusCode, want)
		}
	}
}

// fakeRemover records the cutoffs it is asked for.
type fakeRemover struct{ cutoffs chan time.Time }

func (f fakeRemover) RemoveOlderThan(_ context.Context, _ *assessment.Questionnaire, cutoff time.Time) (assessment.Removed, error) {
	f.cutoffs <- cutoff
	return assessment.Removed{Results: 1}, nil
}

// TestRetentionLoop: after start-up, serve applies the period again at every tick (daily),
// each time from the clock's now: ticked by hand, no test waits a day.
func TestRetentionLoop(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	var logs bytes.Buffer
	f := fakeRemover{cutoffs: make(chan time.Time)}
	clock := make(chan time.Time, 1)
	r := &retainer{store: f, period: assessment.Period{Months: 24}, log: slog.New(slog.NewTextHandler(&logs, nil)),
		now: func() time.Time { return <-clock }}
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		defer close(done)
		repeat(ctx, ticks, r.log, "retention", func(ctx context.Context) error { _, err := r.run(ctx); return err })
	}()
	for day := range 3 {
		clock <- now.AddDate(0, 0, day)
		ticks <- time.Time{}
		want := time.Date(2024, 11, 23+day, 9, 30, 0, 0, time.UTC)
		if got := <-f.cutoffs; !got.Equal(want) {
			t.Errorf("tick %d: cutoff %v, want %v", day+1, got, want)
		}
	}
	cancel()
	<-done
	if n := strings.Count(logs.String(), "msg=retention"); n != 3 {
		t.Errorf("%d retention lines logged, want 3:\n%s", n, logs.String())
	}
}

// TestServePrunesOldFailures: the rate limits' failures older than their longest window are
// deleted at start-up (and then every few minutes), even for keys that never fail again,
// so the privacy page's "about an hour" is true.
func TestServePrunesOldFailures(t *testing.T) {
	path := dbPath(t)
	db, err := sqlstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()
	for _, at := range []time.Time{now.Add(-2 * time.Hour), now.Add(-time.Minute)} {
		if err := db.AddFailure(ctx, "login-ip", "k", at, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	startApp(t, "-db", path)
	db, err = sqlstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	left, err := db.Failures(ctx, "login-ip", "k", time.Time{})
	if err != nil || len(left) != 1 || !left[0].Equal(now.Add(-time.Minute).UTC()) {
		t.Errorf("failures after start-up = %v, %v; want only the one of a minute ago", left, err)
	}
}

// TestAuditPurger: the audit retention deletes exactly the events older than the period,
// whatever their workspace, and keeps the rest.
func TestAuditPurger(t *testing.T) {
	db, err := sqlstore.Open(dbPath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	ws, err := db.EnsureWorkspace(ctx, "Alpha")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, e := range []assessment.AuditEvent{
		{WorkspaceID: ws.ID, At: now.AddDate(-1, 0, -1), Action: assessment.AuditSignIn}, // a year and a day: goes
		{At: now.AddDate(-2, 0, 0), Action: assessment.AuditSignInFailed},                // no workspace, two years: goes
		{WorkspaceID: ws.ID, At: now.AddDate(-1, 0, 1), Action: assessment.AuditSignIn},  // a day short of a year: stays
	} {
		if err := db.RecordAudit(ctx, &e); err != nil {
			t.Fatal(err)
		}
	}
	period, err := parseAuditRetention(assessment.DefaultAuditRetention.String())
	if err != nil || period != (assessment.Period{Years: 1}) {
		t.Fatalf("parseAuditRetention(default) = %v, %v, want 1y", period, err)
	}
	var log bytes.Buffer
	p := &auditPurger{store: db, period: period, now: func() time.Time { return now }, log: slog.New(slog.NewTextHandler(&log, nil))}
	if err := p.run(ctx); err != nil {
		t.Fatal(err)
	}
	left, err := db.AuditEvents(ctx, ws.ID, 0, 10)
	if err != nil || len(left) != 1 || !left[0].At.Equal(now.AddDate(-1, 0, 1)) {
		t.Errorf("after the purge: %+v, %v, want the one event younger than a year", left, err)
	}
	if !strings.Contains(log.String(), "events=2") {
		t.Errorf("log = %q, want events=2", log.String())
	}
	for _, s := range []string{"1 year", "-3y"} {
		if _, err := parseAuditRetention(s); err == nil {
			t.Errorf("parseAuditRetention(%q) = nil error", s)
		}
	}
	if p, err := parseAuditRetention(""); err != nil || !p.IsZero() {
		t.Errorf(`parseAuditRetention("") = %v, %v, want none (keep all)`, p, err)
	}
}

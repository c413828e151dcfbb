package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
)

// runOnce runs a command that is expected to return by itself (not a server that keeps
// serving); the timeout turns a wrongly started server into a failure instead of a hang.
func runOnce(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	err = run(ctx, args, strings.NewReader(""), &out, &errOut)
	if ctx.Err() != nil {
		t.Fatalf("run(%q) did not return by itself (it was still running after 20s)", args)
	}
	return out.String(), errOut.String(), err
}

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{
	Timeout:       20 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// submit posts the hand-computed answers through the HTML form and returns the result token.
func submit(t *testing.T, a *app, company string) string {
	t.Helper()
	resp, err := noRedirect.PostForm(a.URL+"/test", formAnswers(company))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/r/") {
		t.Fatalf("POST /test = %d Location %q, want 303 to /r/…", resp.StatusCode, loc)
	}
	return strings.TrimPrefix(loc, "/r/")
}

func TestVersion(t *testing.T) {
	out, _, err := runOnce(t, "version")
	if err != nil {
		t.Fatalf("run(version) = %v, want nil", err)
	}
	if !strings.HasPrefix(out, "loyalty ") || len(strings.TrimSpace(out)) <= len("loyalty") {
		t.Errorf("run(version) printed %q, want \"loyalty VERSION\\n\"", out)
	}
}

func TestHelp(t *testing.T) {
	out, _, err := runOnce(t, "help")
	if err != nil {
		t.Fatalf("run(help) = %v, want nil", err)
	}
	for _, cmd := range []string{"serve", "backup", "version"} {
		if !strings.Contains(out, cmd) {
			t.Errorf("run(help) output lacks %q:\n%s", cmd, out)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	_, stderr, err := runOnce(t, "frobnicate")
	if err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Errorf("run(frobnicate) = %v, want an unknown command error", err)
	}
	if !strings.Contains(stderr, "Usage") {
		t.Errorf("run(frobnicate) wrote %q to stderr, want the usage", stderr)
	}
}

func TestServeBadFlag(t *testing.T) {
	_, _, err := runOnce(t, "serve", "-no-such-flag")
	if err == nil {
		t.Error("run(serve -no-such-flag) = nil, want an error")
	}
}

// TestServeRefusesBrokenQuestionnaire moves competency 16 from tactics to results: the
// program must refuse to start, name the file and the rule, and not create the database.
func TestServeRefusesBrokenQuestionnaire(t *testing.T) {
	src := string(loyalty.QuestionsYAML)
	i := strings.Index(src, "- number: 16\n")
	if i < 0 {
		t.Fatal("questions.yaml has no competency 16")
	}
	j := strings.Index(src[i:], "category: tactics")
	if j < 0 || strings.Contains(src[i:i+j], "- number: 17") {
		t.Fatal("competency 16 is not in category tactics")
	}
	j += i
	broken := src[:j] + "category: results" + src[j+len("category: tactics"):]

	dir := t.TempDir()
	path := filepath.Join(dir, "questions.yaml")
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "loyalty.db")
	_, _, err := runOnce(t, "serve", "-addr", "127.0.0.1:0", "-db", db, "-questions", path)
	if err == nil {
		t.Fatal("run(serve) with a broken questionnaire = nil, want an error")
	}
	if !strings.HasPrefix(err.Error(), path) {
		t.Errorf("error = %q, want it to start with the file path %q", err, path)
	}
	if want := `category "tactics": 2 competencies, want 3`; !strings.Contains(err.Error(), want) {
		t.Errorf("error = %q, want it to contain %q", err, want)
	}
	if _, statErr := os.Stat(db); !errors.Is(statErr, fs.ErrNotExist) {
		t.Errorf("the database was created (stat: %v); a refused start must not touch data", statErr)
	}
}

func TestServeMissingQuestionnaire(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, _, err := runOnce(t, "serve", "-addr", "127.0.0.1:0", "-db", dbPath(t), "-questions", path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("run(serve -questions %s) = %v, want an error wrapping fs.ErrNotExist", path, err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error = %q, want it to name %s", err, path)
	}
}

// TestServeQuestionsFileGood checks that -questions with an unmodified copy works, so the
// broken-file test above fails for the right reason.
func TestServeQuestionsFileGood(t *testing.T) {
	path := filepath.Join(t.TempDir(), "questions.yaml")
	if err := os.WriteFile(path, loyalty.QuestionsYAML, 0o644); err != nil {
		t.Fatal(err)
	}
	a := startApp(t, "-db", dbPath(t), "-questions", path)
	submit(t, a, "Copy A/S")
}

func TestServeHonoursLoyaltyDBEnv(t *testing.T) {
	db := dbPath(t)
	t.Setenv("LOYALTY_DB", db)
	a := startApp(t) // no -db flag
	token := submit(t, a, "Env A/S")
	if err := a.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if !sqlstore.IsPostgres(db) {
		if _, err := os.Stat(db); err != nil {
			t.Fatalf("LOYALTY_DB=%s: database file not created: %v", db, err)
		}
	}
	store, err := sqlstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	got, err := store.Assessment(context.Background(), token)
	if err != nil {
		t.Fatalf("the assessment is not in LOYALTY_DB: %v", err)
	}
	if got.Company.Name != "Env A/S" {
		t.Errorf("company = %q, want %q", got.Company.Name, "Env A/S")
	}
}

// TestBackup takes a backup of a live SQLite database while the server runs and reads the
// copy. (PostgreSQL is backed up with its own tools: TestBackupPostgres.)
func TestBackup(t *testing.T) {
	db := filepath.Join(t.TempDir(), "loyalty.db")
	a := startApp(t, "-db", db)
	token := submit(t, a, "Backup ApS")

	out := filepath.Join(t.TempDir(), "backup.db")
	if _, stderr, err := runOnce(t, "backup", "-db", db, out); err != nil {
		t.Fatalf("run(backup) = %v (stderr %q), want nil", err, stderr)
	}
	copyDB, err := sqlstore.Open(out)
	if err != nil {
		t.Fatalf("sqlstore.Open(backup) = %v", err)
	}
	defer copyDB.Close()
	got, err := copyDB.Assessment(context.Background(), token)
	if err != nil {
		t.Fatalf("backup lacks the assessment: %v", err)
	}
	if got.Company.Name != "Backup ApS" {
		t.Errorf("backup company = %q, want %q", got.Company.Name, "Backup ApS")
	}
	if len(got.Ratings) != competencies || got.Ratings[12].AsIs != 1 || got.Ratings[12].ToBe != 5 {
		t.Errorf("backup ratings = %v, want 21 with competency 13 = {1 5}", got.Ratings)
	}

	// A second backup to the same file must not overwrite the first.
	if _, _, err := runOnce(t, "backup", "-db", db, out); err == nil {
		t.Error("run(backup) onto an existing backup = nil, want an error")
	}
	if _, _, err := runOnce(t, "backup", "-db", db); err == nil {
		t.Error("run(backup) without FILE = nil, want an error")
	}
}

// TestGracefulShutdownFinishesInFlightRequest sends half a form, cancels run's context, and
// checks that the server stops accepting connections but still answers the request it is
// reading, stores it, and only then returns nil.
func TestGracefulShutdownFinishesInFlightRequest(t *testing.T) {
	db := dbPath(t)
	a := startApp(t, "-db", db)

	body := formAnswers("Slow Client A/S").Encode()
	conn, err := net.Dial("tcp", a.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	// Expect: 100-continue makes the server answer "100 Continue" when the handler first
	// reads the body: proof that the request is in flight inside the handler (and not a
	// connection still waiting in the listen backlog, which Shutdown would reset).
	head := "POST /test HTTP/1.1\r\nHost: " + a.Addr +
		"\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n"
	if _, err := conn.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	cont, err := http.ReadResponse(br, nil)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("waiting for 100 Continue: %v, %v", cont, err)
	}
	half := len(body) / 2
	if _, err := conn.Write([]byte(body[:half])); err != nil {
		t.Fatal(err)
	}

	a.cancel() // what SIGTERM does in main

	// Shutdown closes the listener first: wait for that, so we know it has begun.
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", a.Addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 20s after cancel")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-a.done:
		t.Fatalf("run returned (%v) while a request was still being read", err)
	default:
	}

	if _, err := conn.Write([]byte(body[half:])); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading the response of the in-flight request: %v\nlogs:\n%s", err, a.Logs)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/r/") {
		t.Fatalf("in-flight POST /test = %d Location %q, want 303 to /r/…", resp.StatusCode, loc)
	}
	if err := a.stop(); err != nil {
		t.Fatalf("run after cancel = %v, want nil", err)
	}
	msgs := strings.Join(a.Logs.Messages(), " | ")
	if !strings.Contains(msgs, "shutting down") || !strings.HasSuffix(msgs, "stopped") {
		t.Errorf("log messages = %s, want shutting down … stopped", msgs)
	}

	store, err := sqlstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	got, err := store.Assessment(context.Background(), strings.TrimPrefix(loc, "/r/"))
	if err != nil {
		t.Fatalf("the in-flight submission was not stored: %v", err)
	}
	if got.Company.Name != "Slow Client A/S" {
		t.Errorf("stored company = %q, want %q", got.Company.Name, "Slow Client A/S")
	}
}

// TestServeBaseURL: -base-url (or LOYALTY_BASE_URL) puts result links on the public address
// whatever Host a request names; a malformed one stops the start; without one the server
// warns that absolute links follow the request's Host.
func TestServeBaseURL(t *testing.T) {
	if _, _, err := runOnce(t, "serve", "-addr", "127.0.0.1:0", "-db", dbPath(t), "-base-url", "loyalty.example"); err == nil ||
		!strings.Contains(err.Error(), "http:// or https://") {
		t.Errorf("run(serve -base-url loyalty.example) = %v, want an error asking for http:// or https://", err)
	}

	t.Setenv("LOYALTY_BASE_URL", "https://Loyalty.Example/")
	a := startApp(t, "-db", dbPath(t))
	token := submit(t, a, "Base A/S")
	req, _ := http.NewRequest("GET", a.URL+"/r/"+token, nil)
	req.Host = "evil.example"
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := `value="https://loyalty.example/r/` + token + `"`; !strings.Contains(string(body), want) {
		t.Errorf("result page with Host evil.example lacks the share link %s", want)
	}
	if strings.Contains(a.Logs.String(), "no base URL") {
		t.Errorf("warned about a missing base URL although LOYALTY_BASE_URL is set:\n%s", a.Logs)
	}

	t.Setenv("LOYALTY_BASE_URL", "")
	b := startApp(t, "-db", dbPath(t))
	if !strings.Contains(b.Logs.String(), "no base URL set") {
		t.Errorf("no warning about the missing base URL at start-up:\n%s", b.Logs)
	}
}

// TestBackupPostgres: loyalty backup on a PostgreSQL database says what to use instead and
// writes nothing.
func TestBackupPostgres(t *testing.T) {
	db := sqltest.PostgresURL(t)
	out := filepath.Join(t.TempDir(), "backup.db")
	_, _, err := runOnce(t, "backup", "-db", db, out)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup of PostgreSQL = %v, want an error naming pg_dump", err)
	}
	if _, statErr := os.Stat(out); statErr == nil {
		t.Error("backup of PostgreSQL wrote a file")
	}
}

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// TestShutdownEndsLiveStreams: a phone's live stream never becomes idle, so without ending
// the streams Shutdown would wait for its 20 s and run would return its error. With a stream
// open, a cancel (SIGTERM) ends the stream and run returns nil.
func TestShutdownEndsLiveStreams(t *testing.T) {
	db := dbPath(t)
	ctx := context.Background()
	store, err := sqlstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	q, err := assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML)
	if err != nil {
		t.Fatal(err)
	}
	ws, err := store.EnsureWorkspace(ctx, "Alpha Consulting")
	if err != nil {
		t.Fatal(err)
	}
	cl, _ := q.NewClient(assessment.Company{Name: "Acme", Industry: "retail", Country: "DK"}, true)
	if err := store.CreateClient(ctx, ws.ID, &cl); err != nil {
		t.Fatal(err)
	}
	r, _ := q.NewRound("Kick-off", "en")
	if err := store.CreateRound(ctx, ws.ID, cl.ID, &r); err != nil {
		t.Fatal(err)
	}
	store.Close()

	a := startApp(t, "-db", db)
	res, err := http.Get(a.URL + "/j/" + r.Code + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("GET /j/{code}/events = %d %q, want a stream", res.StatusCode, res.Header.Get("Content-Type"))
	}
	br := bufio.NewReader(res.Body)
	if line, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(line, "retry:") {
		t.Fatalf("first line = %q, %v; want retry:", line, err)
	}
	if err := a.stop(); err != nil {
		t.Fatalf("run after cancel with a stream open = %v, want nil", err)
	}
	if _, err := io.ReadAll(br); err != nil {
		t.Errorf("reading the stream to its end: %v, want a clean end", err)
	}
}

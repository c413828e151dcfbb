package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
)

// Tests of the live streams (events.go) through real HTTP: their format, resuming with
// Last-Event-ID, heartbeats, limits, shutdown, and the small-group rules on what they carry.

// eventWait bounds how long a test waits for a block of a stream that must come: a bound on
// failure, not a measurement; the test goes on the moment it arrives.
const eventWait = 20 * time.Second

// sseBlock is one block of a stream: an event, a comment, or a retry setting.
type sseBlock struct {
	id, event, data, comment string
	retry                    int
}

// sseStream is an open stream read block by block.
type sseStream struct {
	t      *testing.T
	res    *http.Response
	blocks chan sseBlock
	cancel context.CancelFunc
}

// withTicker makes the streams' heartbeats tick when the test sends on ticks.
func withTicker(ticks chan time.Time) option {
	return func(c *Config) {
		c.Ticker = func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }
	}
}

// openStream opens path as c and returns the response; when it is 200 its blocks are read
// into blocks. header is name, value, ….
func (c *browser) openStream(t *testing.T, path string, header ...string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req := c.e.request(http.MethodGet, path, nil, header...)
	req = req.WithContext(ctx)
	req.Header.Set("Accept", eventStreamType)
	req.Header.Set("Accept-Encoding", "gzip")
	if c.from != "" {
		req.Header.Set("X-Forwarded-For", c.from)
	}
	client := &http.Client{Jar: c.http.Jar, CheckRedirect: c.http.CheckRedirect}
	res, err := client.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("GET %s: %v", path, err)
	}
	s := &sseStream{t: t, res: res, blocks: make(chan sseBlock, 64), cancel: cancel}
	t.Cleanup(s.close)
	if res.StatusCode != http.StatusOK {
		return s
	}
	go func() {
		defer close(s.blocks)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 0, 64<<10), 16<<20) // a dashboard of 500 is one long data line
		var b sseBlock
		empty := true
		for sc.Scan() {
			line := sc.Text()
			if line == "" {
				if !empty {
					s.blocks <- b
				}
				b, empty = sseBlock{}, true
				continue
			}
			empty = false
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "":
				b.comment = value
			case "id":
				b.id = value
			case "event":
				b.event = value
			case "data":
				b.data += value
			case "retry":
				b.retry, _ = strconv.Atoi(value)
			}
		}
	}()
	return s
}

func (s *sseStream) close() {
	s.cancel()
	s.res.Body.Close()
}

// next returns the stream's next block; it fails the test if the stream ends or nothing
// comes within eventWait.
func (s *sseStream) next(what string) sseBlock {
	s.t.Helper()
	select {
	case b, ok := <-s.blocks:
		if !ok {
			s.t.Fatalf("%s: the stream ended", what)
		}
		return b
	case <-time.After(eventWait):
		s.t.Fatalf("%s: nothing on the stream within %s", what, eventWait)
	}
	return sseBlock{}
}

// ended reports whether the stream ends (within eventWait), skipping blocks before.
func (s *sseStream) ended() bool {
	for {
		select {
		case _, ok := <-s.blocks:
			if !ok {
				return true
			}
		case <-time.After(eventWait):
			return false
		}
	}
}

// heartbeat ticks the streams' ticker and expects the stream's next block to be the
// heartbeat: nothing that was published before it is waiting to be sent.
func (s *sseStream) heartbeat(ticks chan time.Time, what string) {
	s.t.Helper()
	ticks <- time.Time{}
	if b := s.next(what); b.comment != "heartbeat" {
		s.t.Fatalf("%s: got %+v, want only the heartbeat", what, b)
	}
}

// revision returns round id's revision as stored.
func (e *env) revision(id int64) int64 {
	e.t.Helper()
	var rev int64
	if err := e.rawQuery(fmt.Sprintf("SELECT revision FROM rounds WHERE id = %d", id), &rev); err != nil {
		e.t.Fatal(err)
	}
	return rev
}

// TestPhoneStream follows a phone's stream through a round: the headers a stream needs
// behind proxies and no compression, the retry setting, the current state at once with the
// round's revision as id and the same JSON as /j/{code}/state, a heartbeat when the ticker
// ticks, and the reveal as soon as the consultant makes it.
func TestPhoneStream(t *testing.T) {
	ticks := make(chan time.Time)
	e := newWSEnv(t, withTicker(ticks))
	w := e.world("Acme") // Sam has finished
	finish(t, e, w.round.Code, 2)
	phone := finish(t, e, w.round.Code, 3)
	path := "/j/" + w.round.Code + "/events"

	s := phone.openStream(t, path)
	h := s.res.Header
	for _, c := range []struct{ name, want string }{
		{"Content-Type", "text/event-stream; charset=utf-8"},
		{"Cache-Control", "no-store"},
		{"X-Accel-Buffering", "no"},
		{"Content-Encoding", ""},
	} {
		if got := h.Get(c.name); s.res.StatusCode != http.StatusOK || got != c.want {
			t.Errorf("GET %s: %d, %s = %q, want 200 and %q", path, s.res.StatusCode, c.name, got, c.want)
		}
	}
	if b := s.next("first block"); b.retry != streamRetryMS {
		t.Errorf("first block = %+v, want retry: %d", b, streamRetryMS)
	}
	first := s.next("current state")
	rev := e.revision(w.round.ID)
	state := phone.get("/j/" + w.round.Code + "/state")
	if first.id != strconv.FormatInt(rev, 10) || first.event != "state" || first.data != strings.TrimSpace(state.Text) {
		t.Errorf("current state = %+v, want id %d, event state, data %s", first, rev, state.Text)
	}
	s.heartbeat(ticks, "tick")

	c := e.login("carl@alpha.example")
	if res := c.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", w.round.ID), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reveal = %d", res.StatusCode)
	}
	b := s.next("the reveal")
	var st participantState
	if err := json.Unmarshal([]byte(b.data), &st); err != nil {
		t.Fatalf("reveal event %+v: %v", b, err)
	}
	if want := e.revision(w.round.ID); b.id != strconv.FormatInt(want, 10) || !st.Revealed || !st.Finished {
		t.Errorf("reveal event = %+v, want id %d, revealed and finished", b, want)
	}

	// Another phone's answer changes nothing this phone shows: no event before the next
	// heartbeat.
	finish(t, e, w.round.Code, 4)
	s.heartbeat(ticks, "after another phone's answer")
}

// TestStreamResumesWithLastEventID: a browser that reconnects with the id of the state it
// has gets nothing until the next change; one that missed a change gets the current state
// at once.
func TestStreamResumesWithLastEventID(t *testing.T) {
	ticks := make(chan time.Time)
	e := newWSEnv(t, withTicker(ticks))
	w := e.world("Acme")
	c := e.login("carl@alpha.example")
	path := fmt.Sprintf("/w/rounds/%d/events", w.round.ID)
	rev := e.revision(w.round.ID)

	cases := []struct {
		name    string
		last    string
		wantNow bool
	}{
		{"no Last-Event-ID", "", true},
		{"the current revision", strconv.FormatInt(rev, 10), false},
		{"an older revision", strconv.FormatInt(rev-1, 10), true},
		{"garbage", "x", true},
	}
	for _, tc := range cases {
		var header []string
		if tc.last != "" {
			header = []string{"Last-Event-ID", tc.last}
		}
		s := c.openStream(t, path, header...)
		s.next(tc.name + ": retry")
		if !tc.wantNow {
			s.heartbeat(ticks, tc.name)
			s.close()
			continue
		}
		if b := s.next(tc.name); b.event != "fragment" || b.id != strconv.FormatInt(rev, 10) {
			t.Errorf("%s: first event = %+v, want the fragment at revision %d", tc.name, b, rev)
		}
		s.close()
	}

	// Resumed at the current revision, the next change comes with its id.
	s := c.openStream(t, path, "Last-Event-ID", strconv.FormatInt(rev, 10))
	s.next("retry")
	finish(t, e, w.round.Code, 3)
	b := s.next("the change after resuming")
	if want := e.revision(w.round.ID); b.id != strconv.FormatInt(want, 10) {
		t.Errorf("event after resuming = %+v, want id %d", b, want)
	}
	var f fragmentEvent
	if err := json.Unmarshal([]byte(b.data), &f); err != nil {
		t.Fatal(err)
	}
	live := c.get(fmt.Sprintf("/w/rounds/%d/live", w.round.ID))
	// /live's ETag names its gzipped bytes (compress.go); the stream's, the fragment's.
	if gz := strings.TrimSuffix(f.ETag, `"`) + gzipTagSuffix + `"`; f.HTML != live.Text || gz != live.Header.Get("ETag") {
		t.Errorf("the stream's fragment differs from /live's (ETag %q vs %q)", f.ETag, live.Header.Get("ETag"))
	}
}

// TestStreamLimits: beyond the streams allowed per address and per round, 429 with
// Retry-After; streams of other addresses and rounds still open.
func TestStreamLimits(t *testing.T) {
	e := newWSEnv(t, behindProxy, func(c *Config) { c.StreamLimits = StreamLimits{PerAddress: 2, PerRound: 3} })
	w := e.world("Acme")
	path := "/j/" + w.round.Code + "/events"
	open := func(ip string) *sseStream {
		s := e.browserFrom(ip).openStream(t, path)
		if s.res.StatusCode == http.StatusOK {
			s.next("retry from " + ip)
		}
		return s
	}
	cases := []struct {
		ip   string
		want int
	}{
		{"203.0.113.1", http.StatusOK},
		{"203.0.113.1", http.StatusOK},
		{"203.0.113.1", http.StatusTooManyRequests}, // a third from one address
		{"203.0.113.2", http.StatusOK},
		{"203.0.113.3", http.StatusTooManyRequests}, // a fourth on the round
	}
	for i, c := range cases {
		s := open(c.ip)
		if got := s.res.StatusCode; got != c.want {
			t.Errorf("stream %d from %s = %d, want %d", i+1, c.ip, got, c.want)
		}
		if c.want == http.StatusTooManyRequests && s.res.Header.Get("Retry-After") == "" {
			t.Errorf("stream %d: 429 without Retry-After", i+1)
		}
	}
	if got := e.srv.Streams(); got != 3 {
		t.Errorf("Streams() = %d, want 3", got)
	}
}

// TestStreamsEndOnShutdown: CloseStreams ends the open streams, so that browsers reconnect
// elsewhere, and answers new ones 503 with Retry-After.
func TestStreamsEndOnShutdown(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme")
	c := e.login("carl@alpha.example")
	s := c.openStream(t, fmt.Sprintf("/w/rounds/%d/events", w.round.ID))
	s.next("retry")
	s.next("current state")
	e.srv.CloseStreams()
	if !s.ended() {
		t.Fatal("the stream did not end on CloseStreams")
	}
	again := c.openStream(t, fmt.Sprintf("/w/rounds/%d/events", w.round.ID))
	if again.res.StatusCode != http.StatusServiceUnavailable || again.res.Header.Get("Retry-After") == "" {
		t.Errorf("a stream after CloseStreams = %d (Retry-After %q), want 503 with Retry-After", again.res.StatusCode, again.res.Header.Get("Retry-After"))
	}
}

// TestStreamOutlivesWriteTimeout: cmd/loyalty's server has a WriteTimeout for requests; a
// stream lifts it, so the reveal still reaches a stream opened under a server whose
// WriteTimeout has long passed when it is sent.
func TestStreamOutlivesWriteTimeout(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme")
	finish(t, e, w.round.Code, 2)
	phone := finish(t, e, w.round.Code, 3)
	// The stream goes to a listener of the same server whose WriteTimeout is over as soon
	// as a request is read.
	strict := httptest.NewUnstartedServer(e.srv)
	strict.Config.WriteTimeout = time.Nanosecond
	strict.Start()
	t.Cleanup(strict.Close)
	normal := e.http
	e.http = strict
	s := phone.openStream(t, "/j/"+w.round.Code+"/events")
	e.http = normal
	s.next("retry")
	s.next("current state")
	c := e.login("carl@alpha.example")
	if res := c.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", w.round.ID), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reveal = %d", res.StatusCode)
	}
	if b := s.next("the reveal"); !strings.Contains(b.data, `"revealed":true`) {
		t.Errorf("event after the reveal = %+v, want revealed", b)
	}
}

// TestStreamRoomOfTwoShowsNoFigure replays the attack of room_privacy_test.go on the
// streams: with two finished, neither the dashboard's stream (results asked for) nor the
// projector's carries a figure.
func TestStreamRoomOfTwoShowsNoFigure(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme") // Sam: 1 on competency 1
	c := e.login("carl@alpha.example")
	id := w.round.ID
	dash := c.openStream(t, fmt.Sprintf("/w/rounds/%d/events?show=1", id))
	dash.next("retry")
	dash.next("dashboard with one")
	finish(t, e, w.round.Code, 2) // Tove: 2
	b := dash.next("dashboard with two")
	proj := c.openStream(t, fmt.Sprintf("/w/rounds/%d/present/radar/events", id))
	proj.next("retry")
	pb := proj.next("projector with two")
	for name, ev := range map[string]sseBlock{"dashboard": b, "projector": pb} {
		var f fragmentEvent
		if err := json.Unmarshal([]byte(ev.data), &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d := doc(t, []byte(f.HTML))
		if n := d.Find(`[data-testid=radar-live], [data-testid=heat-asis], table.ws-stats, canvas, script[type="application/json"]`).Length(); n != 0 {
			t.Errorf("%s stream with 2 finished carries %d result elements, want none", name, n)
		}
		for _, bad := range []string{"1.5", "1,5", "0.50", "0,50"} {
			if strings.Contains(f.HTML, bad) {
				t.Errorf("%s stream with 2 finished contains %q", name, bad)
			}
		}
	}
}

// TestStreamLateAnswerCannotBeDifferenced replays the late-answer attack on the projector's
// stream: after the reveal with three, two late answers and a changed one send nothing; the
// sixth sends the result of six, which moves by three people at once.
func TestStreamLateAnswerCannotBeDifferenced(t *testing.T) {
	ticks := make(chan time.Time)
	e := newWSEnv(t, withTicker(ticks))
	w := e.world("Acme") // Sam: 1 on competency 1
	tove := finish(t, e, w.round.Code, 2)
	finish(t, e, w.round.Code, 3)
	c := e.login("carl@alpha.example")
	id := w.round.ID
	if res := c.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", id), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reveal = %d", res.StatusCode)
	}
	proj := c.openStream(t, fmt.Sprintf("/w/rounds/%d/present/radar/events", id))
	proj.next("retry")
	var three fragmentEvent
	if err := json.Unmarshal([]byte(proj.next("the result of three").data), &three); err != nil {
		t.Fatal(err)
	}

	finish(t, e, w.round.Code, 5)
	if res := tove.post("/j/"+w.round.Code, uniform(2, 4).with(1, 5, 5).form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Tove's change = %d", res.StatusCode)
	}
	finish(t, e, w.round.Code, 5)
	proj.heartbeat(ticks, "after two late answers and a change")

	finish(t, e, w.round.Code, 4)
	b := proj.next("the result of six")
	var six fragmentEvent
	if err := json.Unmarshal([]byte(b.data), &six); err != nil {
		t.Fatal(err)
	}
	live := c.get(fmt.Sprintf("/w/rounds/%d/present/radar/live", id))
	if six.HTML == three.HTML || six.HTML != live.Text {
		t.Errorf("after the third late answer the stream should carry the new result, the same as /live")
	}
}

// TestStreamAcrossInstances: on PostgreSQL, a participant who answers through one instance
// changes the dashboard whose stream another instance holds, and the reveal made on the
// first reaches a phone's stream on the second.
func TestStreamAcrossInstances(t *testing.T) {
	if !sqltest.Postgres() {
		t.Skip("streams follow other instances through PostgreSQL's notifications (LOYALTY_TEST_ENGINE=postgres)")
	}
	a := newWSEnv(t)
	b := a.instance()
	w := a.world("Acme")
	carl := a.login("carl@alpha.example")
	dash := carl.on(b).openStream(t, fmt.Sprintf("/w/rounds/%d/events", w.round.ID))
	dash.next("retry")
	dash.next("current state")
	finish(t, a, w.round.Code, 2)
	phone := finish(t, a, w.round.Code, 3)
	// The dashboard's stream on B gets A's changes: the last one carries their revision
	// (one event may cover both).
	want := strconv.FormatInt(a.revision(w.round.ID), 10)
	for {
		ev := dash.next("A's answers on B's dashboard stream")
		if ev.id == want {
			break
		}
	}
	s := phone.on(b).openStream(t, "/j/"+w.round.Code+"/events")
	s.next("retry")
	s.next("current state")
	if res := carl.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", w.round.ID), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reveal on A = %d", res.StatusCode)
	}
	if ev := s.next("the reveal on A, on B's phone stream"); !strings.Contains(ev.data, `"revealed":true`) {
		t.Errorf("B's phone stream after A's reveal = %+v, want revealed", ev)
	}
}

// TestPhoneStreamRevealReadsOwnState: at the reveal the phones share one read of the round's
// participants (ownAt) instead of each reading itself; each still says what is true of its own
// participant at that moment. Pia opened her stream before finishing and finished after it
// (her stream read her unfinished); Quinn started and never finished.
func TestPhoneStreamRevealReadsOwnState(t *testing.T) {
	e := newWSEnv(t)
	w := e.world("Acme") // Sam has finished
	finish(t, e, w.round.Code, 2)
	join := "/j/" + w.round.Code
	start := func(name string) (*browser, *sseStream) {
		p := e.browser()
		if res := p.post(join+"/start", url.Values{"name": {name}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: start = %d", name, res.StatusCode)
		}
		s := p.openStream(t, join+"/events")
		s.next(name + ": retry")
		var st participantState
		if b := s.next(name + ": current state"); json.Unmarshal([]byte(b.data), &st) != nil || st.Finished || st.Revealed {
			t.Fatalf("%s: current state = %+v, want neither finished nor revealed", name, b)
		}
		return p, s
	}
	pia, piaStream := start("Pia")
	_, quinnStream := start("Quinn")
	if res := pia.post(join, uniform(2, 4).with(1, 3, 5).form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Pia answering = %d: %.300s", res.StatusCode, res.Text)
	}

	c := e.login("carl@alpha.example")
	if res := c.postCSRF(fmt.Sprintf("/w/rounds/%d/reveal", w.round.ID), url.Values{"revealed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reveal = %d", res.StatusCode)
	}
	for _, tc := range []struct {
		name     string
		s        *sseStream
		finished bool
	}{
		{"Pia", piaStream, true},
		{"Quinn", quinnStream, false},
	} {
		b := tc.s.next(tc.name + ": the reveal")
		var st participantState
		if err := json.Unmarshal([]byte(b.data), &st); err != nil {
			t.Fatalf("%s: reveal event %+v: %v", tc.name, b, err)
		}
		if !st.Revealed || st.Finished != tc.finished {
			t.Errorf("%s: reveal event = %+v, want revealed, finished %v", tc.name, st, tc.finished)
		}
	}
}

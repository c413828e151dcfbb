package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/web/live"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the live push of the workshop's screens: Server-Sent Events (text/event-stream)
// that tell a screen what it shows as soon as the round changes, instead of its polling every
// two seconds. Each stream has its polling twin, and sends exactly what the twin returns:
//
//	GET /j/{code}/events                      a phone: the state /j/{code}/state returns
//	GET /w/rounds/{id}/events                 the dashboard: the fragment /w/rounds/{id}/live returns
//	GET /w/rounds/{id}/present/{step}/events  the presentation: …/present/{step}/live's fragment
//	GET /t/{team}/events                      the team page: /t/{team}/live's fragment
//
// The store tells the hub (live.Hub) which round changed and its revision (on PostgreSQL also
// the changes made by other instances); the round's streams wake up and build their payload
// from the round at that revision. Fragments are cached by round, screen, language and
// revision (the cache the polling shares), and phones share one read of the round per
// revision (and, when its status changes, one read of its participants): a tap costs one
// build per screen, not one per phone. An event's id is the
// round's revision, so a browser that reconnects with Last-Event-ID gets the current state
// at once if it missed a change, and nothing if it did not.

// Stream settings. The heartbeat keeps proxies (and NAT tables) from closing an idle stream;
// writeWait is how long one write may take before the client counts as gone (a phone that
// left the hall, or one that stopped reading), which ends its stream and frees its place; a
// stream ends after maxStreamAge so that the browser reconnects, and its session, cookie or
// link is checked again.
const (
	defaultHeartbeat  = 25 * time.Second
	writeWait         = 10 * time.Second
	maxStreamAge      = 15 * time.Minute
	streamRetryMS     = 2000
	defaultPerAddress = 1000
	defaultPerRound   = 2500
)

// eventStreamType is the media type of a stream.
const eventStreamType = "text/event-stream"

// StreamLimits bound the live streams one instance holds. Zero means the default; a
// negative value means no limit.
type StreamLimits struct {
	// PerAddress bounds the streams of one client address (default 1,000). A hall's phones
	// often reach the server from one address, the venue's NAT, so it is well above a
	// room's size.
	PerAddress int
	// PerRound bounds the streams of one round (default 2,500).
	PerRound int
}

func (l StreamLimits) hub() live.Limits {
	pick := func(n, def int) int {
		switch {
		case n == 0:
			return def
		case n < 0:
			return 0
		}
		return n
	}
	return live.Limits{PerAddress: pick(l.PerAddress, defaultPerAddress), PerTopic: pick(l.PerRound, defaultPerRound)}
}

// events is the live push's state in a Server.
type events struct {
	hub *live.Hub
	// rounds shares one read of a round per revision among its phones' streams; people one
	// read of its participants per revision among its screens (the dashboard's pages, the
	// projector's steps).
	rounds roundReads
	people peopleReads
	// ticker makes a stream's heartbeat ticker; tests replace it.
	ticker    func(time.Duration) (<-chan time.Time, func())
	heartbeat time.Duration
	stop      func()
}

func newEvents(cfg Config) *events {
	ev := &events{hub: live.NewHub(cfg.StreamLimits.hub()), heartbeat: cfg.Heartbeat, ticker: cfg.Ticker}
	if ev.heartbeat <= 0 {
		ev.heartbeat = defaultHeartbeat
	}
	if ev.ticker == nil {
		ev.ticker = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	if cfg.Store != nil {
		ev.stop = cfg.Store.WatchRounds(ev.hub.Publish, func() {
			ev.rounds.forget()
			ev.people.forget()
			ev.hub.WakeAll()
		})
	}
	return ev
}

// CloseStreams ends every live stream and refuses new ones (503), so that browsers reconnect
// to another instance: cmd/loyalty calls it when the server shuts down (http.Server's
// RegisterOnShutdown), since a stream never becomes idle and Shutdown would wait for it.
func (s *Server) CloseStreams() {
	s.events.hub.Shutdown()
	if s.events.stop != nil {
		s.events.stop()
	}
}

// Streams returns how many live streams the server holds.
func (s *Server) Streams() int { return s.events.hub.Streams() }

// roundReads caches the last read of each round that phones follow, so that a change read
// once serves every phone of the round.
type roundReads struct {
	mu sync.Mutex
	m  map[int64]*roundRead
}

type roundRead struct {
	mu sync.Mutex
	r  *assessment.Round
}

// maxRoundReads bounds the cache: a server runs a few live rounds at a time.
const maxRoundReads = 1024

// get returns round id at revision rev or later, reading it with load only if the cached
// read is older. Concurrent callers wait for one read. The round returned is the caller's
// own copy.
func (rr *roundReads) get(ctx context.Context, id, rev int64, load func(context.Context) (*assessment.Round, error)) (*assessment.Round, error) {
	rr.mu.Lock()
	if rr.m == nil || len(rr.m) >= maxRoundReads {
		rr.m = map[int64]*roundRead{}
	}
	e := rr.m[id]
	if e == nil {
		e = &roundRead{}
		rr.m[id] = e
	}
	rr.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.r == nil || e.r.Revision < rev {
		r, err := load(ctx)
		if err != nil {
			return nil, err
		}
		e.r = r
	}
	r := *e.r
	return &r, nil
}

// put records a round just read (a stream's first), newer than the cached one.
func (rr *roundReads) put(r *assessment.Round) {
	rr.mu.Lock()
	if rr.m == nil || len(rr.m) >= maxRoundReads {
		rr.m = map[int64]*roundRead{}
	}
	e := rr.m[r.ID]
	if e == nil {
		e = &roundRead{}
		rr.m[r.ID] = e
	}
	rr.mu.Unlock()
	cp := *r
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.r == nil || e.r.Revision < cp.Revision {
		e.r = &cp
	}
}

// forget drops every cached read (changes may have gone unheard).
func (rr *roundReads) forget() {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	rr.m = nil
}

// peopleReads caches the last read of each round's participants with the revision of the
// round it was read for. A submission in a hall of 500 wakes the dashboard and the projector
// at once; without it each read all 500 participants and their answers for the same
// revision, and that read was two thirds of the server's CPU in the load run
// (docs/performance.md). The participants read are at that revision or newer, as they
// would be without the cache.
type peopleReads struct {
	mu sync.Mutex
	m  map[int64]*peopleRead
}

type peopleRead struct {
	mu       sync.Mutex
	ws       int64
	revision int64
	ps       []assessment.Participant
}

// get returns the participants of round r (of workspace r.WorkspaceID), read with load
// unless a read for r's revision is cached. Concurrent callers wait for one read. The slice
// is the caller's own; the participants in it are shared and not to be changed.
func (pr *peopleReads) get(ctx context.Context, r *assessment.Round, load func(context.Context) ([]assessment.Participant, error)) ([]assessment.Participant, error) {
	pr.mu.Lock()
	if pr.m == nil || len(pr.m) >= maxRoundReads {
		pr.m = map[int64]*peopleRead{}
	}
	e := pr.m[r.ID]
	if e == nil {
		e = &peopleRead{}
		pr.m[r.ID] = e
	}
	pr.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ps == nil || e.revision != r.Revision || e.ws != r.WorkspaceID {
		ps, err := load(ctx)
		if err != nil {
			return nil, err
		}
		if ps == nil {
			ps = []assessment.Participant{}
		}
		e.ws, e.revision, e.ps = r.WorkspaceID, r.Revision, ps
	}
	return slices.Clone(e.ps), nil
}

// forget drops every cached read (changes may have gone unheard).
func (pr *peopleReads) forget() {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.m = nil
}

// roundParticipants lists the participants of a workspace's round r for a live screen,
// shared by every screen that shows r at its revision (peopleReads).
func (s *Server) roundParticipants(ctx context.Context, r *assessment.Round) ([]assessment.Participant, error) {
	return s.events.people.get(ctx, r, func(ctx context.Context) ([]assessment.Participant, error) {
		return s.db.participants.RoundParticipants(ctx, r.WorkspaceID, r.ID)
	})
}

// payload is what a stream sends: an SSE event's name and its data (one line of JSON), with
// a key that says whether the screen would change (a phone's state, say, without the
// seconds of its countdown, which the phone counts itself).
type payload struct {
	event string
	data  []byte
	key   string
}

// stream describes one screen's stream.
type stream struct {
	round *assessment.Round
	// reload reads the round again when it changed, checking that the stream's credential
	// still opens it; rev is the revision the hub has seen.
	reload func(ctx context.Context, rev int64) (*assessment.Round, error)
	// build makes the payload of the round as it is.
	build func(r *assessment.Round) (payload, error)
}

// serveStream holds a stream open: the current state at once (unless Last-Event-ID says
// the browser has it), then an event whenever the screen changes, a heartbeat comment every
// so often, until the client leaves, the stream is older than maxStreamAge, or the server
// shuts down.
func (s *Server) serveStream(c echo.Context, st stream) error {
	sub, err := s.events.hub.Subscribe(st.round.ID, c.RealIP())
	switch {
	case errors.Is(err, live.ErrClosed):
		return assessment.NewError(assessment.EUNAVAILABLE, assessment.MsgUnavailable, nil)
	case err != nil:
		c.Response().Header().Set("Retry-After", "60")
		return assessment.NewError(assessment.ETOOMANY, assessment.MsgTooMany, assessment.Args{"Count": 1})
	}
	defer sub.Close()
	if c.Request().Method == http.MethodHead {
		c.Response().Header().Set(echo.HeaderContentType, eventStreamType+"; charset=utf-8")
		return c.NoContent(http.StatusOK)
	}

	// A change committed after the handler read the round but before the subscription told
	// no one here: read the round once more, now that every later change wakes this stream.
	if r, err := st.reload(c.Request().Context(), st.round.Revision+1); err == nil && r.Revision > st.round.Revision {
		st.round = r
	}
	first, err := st.build(st.round)
	if err != nil {
		return err
	}
	res := c.Response()
	rc := http.NewResponseController(res.Writer)
	// The server's read and write timeouts are for requests, not for a stream that lasts
	// minutes: lift them (a read timeout would cancel the request's context) and bound each
	// write instead.
	_ = rc.SetReadDeadline(time.Time{})
	h := res.Header()
	h.Set(echo.HeaderContentType, eventStreamType+"; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// nginx buffers proxied responses unless told not to (docs/deploy.md).
	h.Set("X-Accel-Buffering", "no")
	res.WriteHeader(http.StatusOK)

	var buf bytes.Buffer
	write := func() error {
		if err := rc.SetWriteDeadline(time.Now().Add(writeWait)); err != nil {
			return err
		}
		if _, err := res.Write(buf.Bytes()); err != nil {
			return err
		}
		buf.Reset()
		return rc.Flush()
	}
	buf.WriteString("retry: " + strconv.Itoa(streamRetryMS) + "\n\n")
	last, sent := st.round.Revision, first.key
	if lastEventID(c) != st.round.Revision {
		appendEvent(&buf, last, first)
	}
	if err := write(); err != nil {
		return nil // the client is gone: nothing to answer
	}

	// changed adds the round's change to the buffer, if the screen would show it; false
	// ends the stream.
	changed := func(ctx context.Context) bool {
		r, err := st.reload(ctx, s.events.hub.Revision(st.round.ID))
		if err != nil {
			// The round is gone or no longer open to this credential: end the stream; the
			// browser's reconnection gets the status that says why.
			return false
		}
		if r.Revision <= last {
			return true
		}
		p, err := st.build(r)
		if err != nil {
			s.log.ErrorContext(ctx, "live stream", "err", err)
			return false
		}
		last = r.Revision
		if p.key != sent {
			sent = p.key
			appendEvent(&buf, last, p)
		}
		return true
	}

	ticks, stopTicks := s.events.ticker(s.events.heartbeat)
	defer stopTicks()
	ctx := c.Request().Context()
	age := time.NewTimer(maxStreamAge)
	defer age.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.events.hub.Done():
			return nil
		case <-age.C:
			return nil
		case <-ticks:
			// A change that came before the tick goes first: whatever is published before
			// a heartbeat is in the stream before that heartbeat.
			select {
			case <-sub.C:
				if !changed(ctx) {
					return nil
				}
			default:
			}
			buf.WriteString(": heartbeat\n\n")
		case <-sub.C:
			if !changed(ctx) {
				return nil
			}
		}
		if buf.Len() == 0 {
			continue
		}
		if err := write(); err != nil {
			return nil
		}
	}
}

// appendEvent writes one event: its id (the round's revision), its name and its data.
func appendEvent(buf *bytes.Buffer, id int64, p payload) {
	buf.WriteString("id: ")
	buf.WriteString(strconv.FormatInt(id, 10))
	buf.WriteString("\nevent: ")
	buf.WriteString(p.event)
	buf.WriteString("\ndata: ")
	buf.Write(p.data) // JSON: one line, whatever it holds
	buf.WriteString("\n\n")
}

// lastEventID is the id of the last event the browser got (-1 when none): EventSource sends
// it in Last-Event-ID when it reconnects.
func lastEventID(c echo.Context) int64 {
	id, err := strconv.ParseInt(c.Request().Header.Get("Last-Event-ID"), 10, 64)
	if err != nil || id < 0 {
		return -1
	}
	return id
}

// jsonPayload marshals v as event's data.
func jsonPayload(event string, v any, key string) (payload, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return payload{}, err
	}
	if key == "" {
		key = string(b)
	}
	return payload{event: event, data: b, key: key}, nil
}

// fragmentEvent is the data of a "fragment" event: the live fragment of a screen, as its
// polling twin returns it, and that response's ETag.
type fragmentEvent struct {
	HTML string `json:"html"`
	ETag string `json:"etag"`
}

// fragmentPayload is the fragment of round r for screen kind, from the cache its polling
// twin fills (serveFragment), built if the revision is new.
func (s *Server) fragmentPayload(c echo.Context, r *assessment.Round, kind string, build func(r *assessment.Round) (templ.Component, error)) (payload, error) {
	key := liveKey{round: r.ID, kind: kind, lang: loc(c).Lang}
	body, etag, ok := s.ws.live.get(key, r.Revision)
	if !ok {
		comp, err := build(r)
		if err != nil {
			return payload{}, err
		}
		if body, etag, err = renderFragment(c, comp); err != nil {
			return payload{}, err
		}
		s.ws.live.put(key, r.Revision, body, etag)
	}
	return jsonPayload("fragment", fragmentEvent{HTML: string(body), ETag: etag}, etag)
}

// roomEvents is a phone's stream: the state its page follows (roomState), sent when the
// round's status, the reveal, the countdown or the participant's own finishing changes.
func (s *Server) roomEvents(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	own, err := s.self(c, r)
	if err != nil {
		return err
	}
	code := r.Code
	s.events.rounds.put(r)
	load := func(ctx context.Context) (*assessment.Round, error) { return s.db.rounds.RoundByCode(ctx, code) }
	var seen struct {
		status   string
		revealed bool
		deadline time.Time
	}
	seen.status, seen.revealed, seen.deadline = r.Status(), r.Revealed, r.Deadline
	return s.serveStream(c, stream{
		round: r,
		reload: func(ctx context.Context, rev int64) (*assessment.Round, error) {
			return s.events.rounds.get(ctx, r.ID, rev, load)
		},
		build: func(r *assessment.Round) (payload, error) {
			// The participant's own state changes by their own hand (which takes them to
			// another page) or by the consultant's: it is read again only when the round's
			// state did, not at every tap of the others.
			if r.Status() != seen.status || r.Revealed != seen.revealed || !r.Deadline.Equal(seen.deadline) {
				seen.status, seen.revealed, seen.deadline = r.Status(), r.Revealed, r.Deadline
				var err error
				if own, err = s.ownAt(c, r, own); err != nil {
					return payload{}, err
				}
			}
			st := s.participantStateOf(r, own)
			key := st.Status + "|" + strconv.FormatBool(st.Revealed) + "|" + strconv.FormatBool(st.Finished) + "|" + strconv.FormatInt(r.Deadline.UnixMilli(), 10)
			return jsonPayload("state", st, key)
		},
	})
}

// ownAt returns the participant own (this phone's, read when its stream opened) as it is in
// round r, or nil if it is no longer in it. A reveal or a status change wakes every phone of
// the round at once: each reading its own participant made one query per phone (250 read
// transactions on each of two PostgreSQL instances, most of the reveal's delay,
// docs/performance.md), so the phones share one read of the round's participants at r's
// revision (peopleReads, the dashboard's) and each finds itself in it. A phone that was no
// participant when its stream opened, or one of a team's round (a handful of phones), asks the
// store for itself, as before.
func (s *Server) ownAt(c echo.Context, r *assessment.Round, own *assessment.Participant) (*assessment.Participant, error) {
	if own == nil || r.IsTeam() {
		return s.self(c, r)
	}
	ps, err := s.roundParticipants(c.Request().Context(), r)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if ps[i].ID == own.ID {
			p := ps[i]
			return &p, nil
		}
	}
	return nil, nil
}

// dashboardEvents is the dashboard's stream: the fragment dashboardLive returns.
func (s *Server) dashboardEvents(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	kind, show := dashKind(c, r)
	wsID := r.WorkspaceID
	return s.serveStream(c, stream{
		round: r,
		reload: func(ctx context.Context, _ int64) (*assessment.Round, error) {
			return s.db.rounds.Round(ctx, wsID, r.ID)
		},
		build: func(r *assessment.Round) (payload, error) {
			return s.fragmentPayload(c, r, kind, func(r *assessment.Round) (templ.Component, error) {
				live, err := s.dashboardLiveView(c, r, show)
				return views.DashboardLive(live), err
			})
		},
	})
}

// presentEvents is the presentation's stream: the fragment presentLive returns for a step.
func (s *Server) presentEvents(c echo.Context) error {
	r, err := s.round(c)
	if err != nil {
		return err
	}
	step := c.Param("step")
	steps, err := s.roundSteps(c, r)
	if err != nil {
		return err
	}
	if step != stepLobby && !slices.Contains(steps, step) {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
	}
	c.Set(langKey, r.Lang)
	wsID := r.WorkspaceID
	return s.serveStream(c, stream{
		round: r,
		reload: func(ctx context.Context, _ int64) (*assessment.Round, error) {
			return s.db.rounds.Round(ctx, wsID, r.ID)
		},
		build: func(r *assessment.Round) (payload, error) {
			return s.fragmentPayload(c, r, "present/"+step, func(r *assessment.Round) (templ.Component, error) {
				content, err := s.presentContent(c, r, step)
				return views.PresentLive(content), err
			})
		},
	})
}

// teamEvents is the team page's stream: the fragment teamLive returns. A round the
// consultant took over ends it (the page's reload then says so).
func (s *Server) teamEvents(c echo.Context) error {
	team, err := s.teamDocument(c)
	if err != nil {
		return err
	}
	token := c.Param("team")
	return s.serveStream(c, stream{
		round: &team.Round,
		reload: func(ctx context.Context, _ int64) (*assessment.Round, error) {
			t, err := s.db.teams.Team(ctx, token)
			if err != nil {
				return nil, err
			}
			if t.Moved() {
				return nil, assessment.NewError(assessment.EGONE, assessment.MsgTeamMoved, nil)
			}
			return &t.Round, nil
		},
		build: func(r *assessment.Round) (payload, error) {
			return s.fragmentPayload(c, r, "team", func(r *assessment.Round) (templ.Component, error) {
				live, err := s.teamLiveView(c, r)
				return views.TeamLive(live), err
			})
		},
	})
}

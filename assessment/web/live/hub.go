// Package live is the broker of the workshop's live screens: it tells every stream that
// follows a round (a phone, the dashboard, the presentation, the team page) that the round
// changed, without ever waiting for one of them.
//
// An event names a round and its revision, nothing more: a stream that wakes up builds what
// its screen may show from the round at that revision (cached by revision, so one build
// serves every stream of the same screen), never from the event. Each subscriber has a
// buffer of one pending wake-up: a second change before the stream took the first merges
// into it, so publishing never blocks and never grows memory, and a stream that lags sends
// the newest state, which is all a screen needs. A stream whose client stops reading is
// ended by its write deadline (the web layer's), and the browser reconnects.
package live

import (
	"errors"
	"sync"
)

// ErrTooManyForAddress is Subscribe's refusal when an address holds its limit of streams.
var ErrTooManyForAddress = errors.New("live: too many streams from this address")

// ErrTooManyForTopic is Subscribe's refusal when a round has its limit of streams.
var ErrTooManyForTopic = errors.New("live: too many streams for this round")

// ErrClosed is Subscribe's refusal once the hub is shutting down.
var ErrClosed = errors.New("live: shutting down")

// Limits bound the streams a hub holds. Zero means no limit.
type Limits struct {
	// PerAddress bounds the streams of one client address. A conference hall's phones often
	// share one address (the venue's NAT), so it must be well above a room's size.
	PerAddress int
	// PerTopic bounds the streams of one round.
	PerTopic int
}

// Hub fans the changes of rounds out to their subscribers. The zero Hub is not usable; make
// one with NewHub.
type Hub struct {
	limits Limits

	mu     sync.Mutex
	topics map[int64]*topic
	byAddr map[string]int
	total  int
	closed bool
	done   chan struct{}
}

type topic struct {
	revision int64
	subs     map[*Sub]struct{}
}

// NewHub returns a hub with the given limits.
func NewHub(l Limits) *Hub {
	return &Hub{limits: l, topics: map[int64]*topic{}, byAddr: map[string]int{}, done: make(chan struct{})}
}

// Sub is one stream's subscription to one round.
type Sub struct {
	// C receives a value when the round changed since the stream last took from it.
	C <-chan struct{}

	c     chan struct{}
	hub   *Hub
	topic int64
	addr  string
	once  sync.Once
}

// Subscribe follows round id for a stream from addr. It fails with ErrTooManyForAddress,
// ErrTooManyForTopic or ErrClosed.
func (h *Hub) Subscribe(id int64, addr string) (*Sub, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	if h.limits.PerAddress > 0 && h.byAddr[addr] >= h.limits.PerAddress {
		return nil, ErrTooManyForAddress
	}
	t := h.topics[id]
	if t == nil {
		t = &topic{subs: map[*Sub]struct{}{}}
		h.topics[id] = t
	}
	if h.limits.PerTopic > 0 && len(t.subs) >= h.limits.PerTopic {
		return nil, ErrTooManyForTopic
	}
	c := make(chan struct{}, 1)
	s := &Sub{C: c, c: c, hub: h, topic: id, addr: addr}
	t.subs[s] = struct{}{}
	h.byAddr[addr]++
	h.total++
	return s, nil
}

// Close ends the subscription; closing twice does nothing.
func (s *Sub) Close() {
	s.once.Do(func() {
		h := s.hub
		h.mu.Lock()
		defer h.mu.Unlock()
		if t := h.topics[s.topic]; t != nil {
			delete(t.subs, s)
			if len(t.subs) == 0 {
				delete(h.topics, s.topic)
			}
		}
		if h.byAddr[s.addr]--; h.byAddr[s.addr] <= 0 {
			delete(h.byAddr, s.addr)
		}
		h.total--
	})
}

// Publish tells round id's subscribers that it is at revision rev now. A revision the hub
// has seen already (the same change reported by this process and, on PostgreSQL, again by
// the database's notification) wakes no one. It never blocks: a subscriber with a wake-up
// pending keeps that one.
func (h *Hub) Publish(id, rev int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[id]
	if t == nil || rev <= t.revision {
		return
	}
	t.revision = rev
	for s := range t.subs {
		select {
		case s.c <- struct{}{}:
		default:
		}
	}
}

// WakeAll wakes every subscriber of every round and forgets the revisions seen: changes may
// have gone unheard (the database's notifications were lost for a while), so every stream
// looks at its round again.
func (h *Hub) WakeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range h.topics {
		t.revision = 0
		for s := range t.subs {
			select {
			case s.c <- struct{}{}:
			default:
			}
		}
	}
}

// Revision returns the newest revision published for round id while it had subscribers, or
// 0.
func (h *Hub) Revision(id int64) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := h.topics[id]; t != nil {
		return t.revision
	}
	return 0
}

// Streams returns how many subscriptions the hub holds.
func (h *Hub) Streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.total
}

// Done is closed when the hub shuts down: every stream ends, so that its client reconnects,
// to another instance if this one is going away.
func (h *Hub) Done() <-chan struct{} { return h.done }

// Shutdown refuses new subscriptions and closes Done. Calling it twice does nothing.
func (h *Hub) Shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

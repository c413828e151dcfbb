package auth

import (
	"sync"
	"time"
)

// Limiter counts failures per key (an IP address, an account) in a sliding window and
// blocks a key that has reached its maximum until its oldest failure leaves the window.
// It lives in memory: a restart forgets it, which is acceptable for slowing down guessing.
type Limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

// maxKeys bounds the memory a flood of distinct keys can take; past it, keys with no
// failure in the window are dropped.
const maxKeys = 100_000

// NewLimiter returns a limiter that allows fewer than max failures per key in window. now
// is the clock (time.Now when nil).
func NewLimiter(max int, window time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{max: max, window: window, now: now, failures: map[string][]time.Time{}}
}

// Blocked reports whether key has reached its maximum of failures, and how long until it may
// try again.
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	f := l.prune(key, now)
	if len(f) < l.max {
		return false, 0
	}
	return true, f[0].Add(l.window).Sub(now)
}

// Fail records a failure of key.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.failures) >= maxKeys {
		for k := range l.failures {
			l.prune(k, now)
		}
	}
	f := l.prune(key, now)
	l.failures[key] = append(f, now)
}

// Reset forgets the failures of key (after a successful login).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

// prune drops the failures of key older than the window and returns the rest.
func (l *Limiter) prune(key string, now time.Time) []time.Time {
	f := l.failures[key]
	i := 0
	for i < len(f) && !f[i].After(now.Add(-l.window)) {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = f
	return f
}

package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// FailureStore keeps the failures a Limiter counts. The database implements it, so the
// counts survive a restart (a restart used to forgive every guess) and are shared by every
// process serving the same file.
type FailureStore interface {
	// Failures returns the times of the failures of key in scope at or after since, oldest
	// first.
	Failures(ctx context.Context, scope, key string, since time.Time) ([]time.Time, error)
	// AddFailure records a failure of key in scope at time at, and forgets the failures of
	// scope at or before forget, so the table holds no more than the windows need.
	AddFailure(ctx context.Context, scope, key string, at, forget time.Time) error
	// ClearFailures forgets the failures of key in scope.
	ClearFailures(ctx context.Context, scope, key string) error
}

// Limiter counts failures per key (an address, an account) in a sliding window and blocks a
// key that has reached its maximum until enough of its failures have left the window.
//
// Keys are stored as their SHA-256, so the table of failures names no address or email in
// clear; a key is only ever looked up, never listed.
type Limiter struct {
	store  FailureStore
	scope  string
	max    int
	window time.Duration
	// gap, when set, makes the limiter throttle instead of block: a key that has reached
	// max may still try once gap after its last failure.
	gap time.Duration
	now func() time.Time
}

// NewLimiter returns a limiter of scope (its name in the store: "login-ip", "join-ip") that
// allows fewer than max failures per key in window. now is the clock (time.Now when nil).
func NewLimiter(store FailureStore, scope string, max int, window time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{store: store, scope: scope, max: max, window: window, now: now}
}

// NewThrottle returns a limiter of scope that, once a key has max failures in window, lets
// it try again once gap after its last failure, instead of blocking it until the window
// forgets: it slows guessing down to one try per gap without locking anyone out for long
// (OWASP, Blocking Brute Force Attacks: an account lock that anyone can trigger is a denial
// of service).
func NewThrottle(store FailureStore, scope string, max int, window, gap time.Duration, now func() time.Time) *Limiter {
	l := NewLimiter(store, scope, max, window, now)
	l.gap = gap
	return l
}

// Max is the number of failures in a window that blocks a key.
func (l *Limiter) Max() int { return l.max }

// Window is the length of the sliding window.
func (l *Limiter) Window() time.Duration { return l.window }

// hashKey keeps keys out of the database in clear.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Blocked reports whether key has reached its maximum of failures, and how long until it may
// try again: until as many of its failures have left the window as it has beyond max − 1.
func (l *Limiter) Blocked(ctx context.Context, key string) (bool, time.Duration, error) {
	now := l.now()
	fs, err := l.store.Failures(ctx, l.scope, hashKey(key), now.Add(-l.window).Add(time.Nanosecond))
	if err != nil {
		return false, 0, fmt.Errorf("%s limit: %w", l.scope, err)
	}
	if len(fs) < l.max {
		return false, 0, nil
	}
	if l.gap > 0 {
		// Throttled: one try gap after the last failure.
		free := fs[len(fs)-1].Add(l.gap)
		if !free.After(now) {
			return false, 0, nil
		}
		return true, free.Sub(now), nil
	}
	// The key may try again when only max − 1 failures remain in the window.
	free := fs[len(fs)-l.max].Add(l.window)
	return true, free.Sub(now), nil
}

// Fail records a failure of key.
func (l *Limiter) Fail(ctx context.Context, key string) error {
	now := l.now()
	if err := l.store.AddFailure(ctx, l.scope, hashKey(key), now, now.Add(-l.window)); err != nil {
		return fmt.Errorf("%s limit: %w", l.scope, err)
	}
	return nil
}

// Reset forgets the failures of key (after a successful sign-in).
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if err := l.store.ClearFailures(ctx, l.scope, hashKey(key)); err != nil {
		return fmt.Errorf("%s limit: %w", l.scope, err)
	}
	return nil
}

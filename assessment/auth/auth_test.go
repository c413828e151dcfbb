package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment/auth"
)

func TestPasswordHash(t *testing.T) {
	ctx := context.Background()
	h, err := auth.HashPassword(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q, want argon2id with m=19456,t=2,p=1", h)
	}
	h2, _ := auth.HashPassword(ctx, "correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if ok, err := auth.CheckPassword(ctx, h, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("CheckPassword(right) = %v, %v", ok, err)
	}
	if ok, err := auth.CheckPassword(ctx, h, "correct horse battery stapler"); ok || err != nil {
		t.Errorf("CheckPassword(wrong) = %v, %v", ok, err)
	}
	for _, bad := range []string{"", "$2a$12$abc", "$argon2id$v=19$m=0,t=2,p=1$AAAA$AAAA", "$argon2id$v=19$m=19456,t=2,p=1$!!$AAAA"} {
		if ok, err := auth.CheckPassword(ctx, bad, "x"); ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v, want malformed", bad, ok, err)
		}
	}
}

func TestTokens(t *testing.T) {
	tok, hash := auth.NewToken()
	if len(tok) != 43 {
		t.Errorf("token %q has %d characters, want 43 (256 bits)", tok, len(tok))
	}
	if hash != auth.HashToken(tok) || len(hash) != 64 || strings.Contains(hash, tok) {
		t.Errorf("hash = %q, want the hex sha256 of the token", hash)
	}
	tok2, _ := auth.NewToken()
	if tok == tok2 {
		t.Error("two tokens are equal")
	}
	if !auth.Equal("abc", "abc") || auth.Equal("abc", "abd") || auth.Equal("", "") {
		t.Error("Equal is wrong")
	}
}

// memFailures is a FailureStore in memory, to test the limiter's arithmetic on its own
// (assessment/sqlstore tests the real one).
type memFailures struct{ m map[string][]time.Time }

func (s *memFailures) Failures(_ context.Context, scope, key string, since time.Time) ([]time.Time, error) {
	var out []time.Time
	for _, at := range s.m[scope+" "+key] {
		if !at.Before(since) {
			out = append(out, at)
		}
	}
	return out, nil
}

func (s *memFailures) AddFailure(_ context.Context, scope, key string, at, _ time.Time) error {
	s.m[scope+" "+key] = append(s.m[scope+" "+key], at)
	return nil
}

func (s *memFailures) ClearFailures(_ context.Context, scope, key string) error {
	delete(s.m, scope+" "+key)
	return nil
}

func TestLimiter(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	store := &memFailures{m: map[string][]time.Time{}}
	l := auth.NewLimiter(store, "test", 3, 15*time.Minute, func() time.Time { return now })
	blocked := func(key string) (bool, time.Duration) {
		t.Helper()
		b, wait, err := l.Blocked(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return b, wait
	}
	fail := func(key string) {
		t.Helper()
		if err := l.Fail(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	// Failures at 12:00, 12:01, 12:02.
	for i := range 3 {
		if b, _ := blocked("ann"); b {
			t.Fatalf("blocked after %d failures, want after 3", i)
		}
		fail("ann")
		now = now.Add(time.Minute)
	}
	// 12:03: blocked until the 12:00 failure leaves the window at 12:15.
	if b, wait := blocked("ann"); !b || wait != 12*time.Minute {
		t.Errorf("Blocked after 3 failures = %v, %v, want true, 12m (first failure leaves at 12:15)", b, wait)
	}
	if b, _ := blocked("bob"); b {
		t.Error("another key is blocked")
	}
	other := auth.NewLimiter(store, "other", 3, 15*time.Minute, func() time.Time { return now })
	if b, _, _ := other.Blocked(ctx, "ann"); b {
		t.Error("the same key in another scope is blocked")
	}
	now = now.Add(12 * time.Minute) // 12:15: the first failure has left the window
	if b, _ := blocked("ann"); b {
		t.Error("still blocked after the window")
	}
	fail("ann") // 12:15, with 12:01 and 12:02 in the window
	if b, wait := blocked("ann"); !b || wait != time.Minute {
		t.Errorf("Blocked after a third failure in the window = %v, %v, want true, 1m (12:01 leaves at 12:16)", b, wait)
	}
	// Two more at 12:15 (concurrent requests can all fail before any is refused): 12:01,
	// 12:02 and three at 12:15 are in the window. Three must leave before fewer than 3
	// remain, the last of them at 12:15 + 15m: 15m to wait, not the 1m of the oldest.
	fail("ann")
	fail("ann")
	if b, wait := blocked("ann"); !b || wait != 15*time.Minute {
		t.Errorf("Blocked with 5 failures in the window = %v, %v, want true, 15m", b, wait)
	}
	if err := l.Reset(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	if b, _ := blocked("ann"); b {
		t.Error("blocked after Reset")
	}
	for k := range store.m {
		if strings.Contains(k, "ann") {
			t.Errorf("the store holds the key in clear: %q", k)
		}
	}
}

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

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := auth.NewLimiter(3, 15*time.Minute, func() time.Time { return now })
	for i := range 3 {
		if blocked, _ := l.Blocked("ann"); blocked {
			t.Fatalf("blocked after %d failures, want after 3", i)
		}
		l.Fail("ann")
		now = now.Add(time.Minute)
	}
	blocked, wait := l.Blocked("ann")
	if !blocked || wait != 12*time.Minute {
		t.Errorf("Blocked after 3 failures = %v, %v, want true, 12m (first failure leaves at 12:15)", blocked, wait)
	}
	if b, _ := l.Blocked("bob"); b {
		t.Error("another key is blocked")
	}
	now = now.Add(12 * time.Minute) // 12:15: the first failure has left the window
	if b, _ := l.Blocked("ann"); b {
		t.Error("still blocked after the window")
	}
	l.Fail("ann")
	if b, _ := l.Blocked("ann"); !b {
		t.Error("not blocked again after a third failure in the window")
	}
	l.Reset("ann")
	if b, _ := l.Blocked("ann"); b {
		t.Error("blocked after Reset")
	}
}

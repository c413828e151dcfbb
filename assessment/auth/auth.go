// Package auth holds the credentials of the consultant workspace: argon2id password hashes
// with bounded concurrency, random session, API and participant tokens that are stored only
// as their SHA-256, and a limiter of failures (sign-ins, workshop codes) kept in the database.
//
// It depends on the standard library and golang.org/x/crypto only, so the pure domain stays
// free of cryptography and the web layer stays free of its parameters.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's minimum recommendation (19 MiB, 2 iterations, 1 lane), about
// 30 ms per hash on one core.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// hashSlots bounds the hashes computed at once, so a burst of logins costs at most
// hashSlots × 19 MiB of memory and queues instead of exhausting the machine.
var hashSlots = make(chan struct{}, max(1, runtime.NumCPU()))

func acquire(ctx context.Context) error {
	select {
	case hashSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func release() { <-hashSlots }

// HashPassword returns the PHC-formatted argon2id hash of pw with a fresh random salt:
// $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH.
func HashPassword(ctx context.Context, pw string) (string, error) {
	if err := acquire(ctx); err != nil {
		return "", err
	}
	defer release()
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// ErrMalformedHash reports a stored hash this package cannot read.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// CheckPassword reports whether pw matches the encoded hash, comparing in constant time. The
// parameters are read from the hash, so raising them later keeps old hashes valid.
func CheckPassword(ctx context.Context, encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformedHash
	}
	var v int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, ErrMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 16 || p == 0 {
		return false, ErrMalformedHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformedHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrMalformedHash
	}
	if err := acquire(ctx); err != nil {
		return false, err
	}
	defer release()
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked when a login names an unknown account, so that answering takes as
// long as for a known one and does not reveal which emails have accounts.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword(context.Background(), "not a password of anyone")
	return h
})

// CheckNoPassword spends the time of one password check and returns false.
func CheckNoPassword(ctx context.Context, pw string) {
	CheckPassword(ctx, dummyHash(), pw)
}

// TokenBytes is the entropy of every token: 256 bits, twice the 128 required.
const TokenBytes = 32

// NewToken returns a random token to hand out once (43 URL-safe characters) and its hash
// to store. crypto/rand.Read does not fail (it crashes the program rather than hand out
// weak bytes).
func NewToken() (token, hash string) {
	b := make([]byte, TokenBytes)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the hex SHA-256 of a token: what the database keeps, so a stolen copy
// of it opens no session. A single fast hash suffices because tokens have 256 random bits.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Equal compares two secrets (CSRF tokens) in constant time.
func Equal(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

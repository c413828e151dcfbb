package assessment

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// This file holds the rules for requests that must take effect once (issue 16): a form sent
// three times by impatient taps on a slow network, sent again after Back, or an API call
// retried after a timeout must store one result and answer every repeat with the first
// answer. The form carries a one-time id made when it is rendered; an API client sends an
// Idempotency-Key header. The store keeps the key with what the first request created, in
// the same transaction, so a crash cannot keep one without the other.

// OnceTTL is how long a key is kept: a repeat within it gets the first answer, after it the
// key is forgotten (and its request would create something new).
const OnceTTL = 24 * time.Hour

// Once identifies a request that must take effect at most once.
type Once struct {
	// Scope is who may present the key and what it is for ("test", "join:<round>",
	// "api:assessments"): the same key in another scope is another key, so a form's id
	// cannot be replayed against the API, or one round's against another's.
	Scope string
	// KeyHash is the SHA-256 of the key: the key leads to what the request created, so it is
	// a secret like a token and is not stored in clear.
	KeyHash string
	// RequestHash is the SHA-256 of what was asked (the body, the form): the same key with
	// another request is refused (ErrOnceMismatch). Empty only to look a key up.
	RequestHash string
}

// OnceResponse is the answer to the first request, given again to every repeat.
type OnceResponse struct {
	Status   int
	Location string
	Body     []byte
}

// MinOnceKey and MaxOnceKey bound the length of a key. A key leads to what its request
// created, so it must not be guessable: 16 characters is the least a random key (a UUID has
// 36) can be while carrying enough randomness.
const (
	MinOnceKey = 16
	MaxOnceKey = 200
)

// NewOnce checks key (a client's Idempotency-Key, or a form's one-time id) and returns the
// Once of it in scope for a request whose content is request. A key must be MinOnceKey to
// MaxOnceKey visible ASCII characters (RFC 9110 field values, no spaces); anything else is
// EINVALID with MsgOnceKey.
func NewOnce(scope, key string, request []byte) (*Once, error) {
	if len(key) < MinOnceKey || len(key) > MaxOnceKey {
		return nil, NewError(EINVALID, MsgOnceKey, Args{"Min": MinOnceKey, "Max": MaxOnceKey})
	}
	for i := 0; i < len(key); i++ {
		if key[i] <= ' ' || key[i] > '~' {
			return nil, NewError(EINVALID, MsgOnceKey, Args{"Min": MinOnceKey, "Max": MaxOnceKey})
		}
	}
	return &Once{Scope: scope, KeyHash: onceHash([]byte(key)), RequestHash: onceHash(request)}, nil
}

func onceHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ErrOnceMismatch is a key used before with another request: the key names the first
// request, so this one is refused rather than answered with something else's response.
var ErrOnceMismatch = NewError(EINVALID, MsgOnceMismatch, nil)

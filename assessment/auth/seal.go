package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// Sealer encrypts the secrets the app must be able to read back (TOTP secrets) under the
// operator's key, with AES-256-GCM, so that a copy of the database alone does not hold
// them. A nil Sealer (no key configured) stores them as they are, marked so, and can still
// read both kinds: setting a key later seals each secret set up from then on.
type Sealer struct{ aead cipher.AEAD }

// MinSecretKey is the shortest key NewSealer accepts: 32 characters of a random key.
const MinSecretKey = 32

// NewSealer derives the AES-256 key from key (SHA-256 of it); key must have at least
// MinSecretKey characters.
func NewSealer(key string) (*Sealer, error) {
	if len(key) < MinSecretKey {
		return nil, errors.New("the secret key needs at least " + strconv.Itoa(MinSecretKey) + " characters (for example: openssl rand -base64 32)")
	}
	k := sha256.Sum256([]byte(key))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Prefixes of a stored secret: sealed under the key, or plain (no key was configured).
const (
	sealedPrefix = "v1:"
	plainPrefix  = "plain:"
)

// Seal returns secret as stored: encrypted and bound to owner (a secret copied to another
// member's row does not open), or marked plain without a key.
func (s *Sealer) Seal(secret, owner string) string {
	if s == nil {
		return plainPrefix + secret
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(secret), []byte(owner)))
}

// ErrSealed is a secret sealed under a key this program does not have (none, or another).
var ErrSealed = errors.New("secret sealed under another key, or the key is missing")

// Open returns the secret stored as stored for owner.
func (s *Sealer) Open(stored, owner string) (string, error) {
	if plain, ok := strings.CutPrefix(stored, plainPrefix); ok {
		return plain, nil
	}
	b64, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok || s == nil {
		return "", ErrSealed
	}
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", ErrSealed
	}
	out, err := s.aead.Open(nil, raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():], []byte(owner))
	if err != nil {
		return "", ErrSealed
	}
	return string(out), nil
}

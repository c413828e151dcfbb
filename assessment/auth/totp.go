package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP (RFC 6238) as authenticator apps expect it: SHA-1, six digits, 30-second steps, a
// 160-bit secret.
const totpPeriod = 30

// NewTOTPKey makes a new random TOTP secret for account (the member's email) and returns it
// as base32 text and as the otpauth:// URI the QR code carries. Given a secret (base32), it
// returns that one's URI instead.
func NewTOTPKey(issuer, account string, secret ...string) (string, string, error) {
	opts := totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	if len(secret) == 1 {
		raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret[0])
		if err != nil {
			return "", "", fmt.Errorf("totp key: %w", err)
		}
		opts.Secret = raw
	}
	k, err := totp.Generate(opts)
	if err != nil {
		return "", "", fmt.Errorf("totp key: %w", err)
	}
	return k.Secret(), k.URL(), nil
}

// TOTPStep returns the time step of t: codes change at each step.
func TOTPStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// MatchTOTP returns the time step whose code code is, among the step of now and one step
// either side (a phone's clock a little off, a code typed as it changes), and false if it is
// none of them. The caller accepts a step at most once (the store's last step), which is
// what refuses a replayed code.
func MatchTOTP(secret, code string, now time.Time) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	step := TOTPStep(now)
	found, match := int64(0), false
	// Check all three steps whatever matches, so the time taken says nothing.
	for _, s := range []int64{step - 1, step, step + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && !match {
			found, match = s, true
		}
	}
	return found, match
}

// TOTPCode returns the code of secret at t, for tests that play the authenticator app.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// recoveryEncoding writes recovery codes in lower-case base32, whose alphabet has no 0, 1, 8
// or 9: "o" and "l" cannot be mistaken for a digit.
var recoveryEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewRecoveryCodes returns n random recovery codes, shown to the member once, and their
// hashes, which are all the store keeps. Each code has 60 bits from crypto/rand, written
// "xxxx-xxxx-xxxx"; the hash is of the code without the hyphens (assessment.NormalizeCode).
func NewRecoveryCodes(n int) (codes, hashes []string) {
	for range n {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			panic("crypto/rand: " + err.Error())
		}
		raw := recoveryEncoding.EncodeToString(b)[:12]
		codes = append(codes, raw[:4]+"-"+raw[4:8]+"-"+raw[8:])
		hashes = append(hashes, HashToken(raw))
	}
	return codes, hashes
}

// FormatSecret groups a base32 secret by four for typing: "JBSW Y3DP EHPK 3PXP".
func FormatSecret(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

package auth

import (
	"strings"
	"testing"
	"time"
)

// rfcSecret is RFC 6238 Appendix B's SHA-1 key, "12345678901234567890", in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// TestMatchTOTP checks codes against RFC 6238's test vectors (their last six digits: the
// vectors are eight-digit codes) and the one-step window either side.
func TestMatchTOTP(t *testing.T) {
	tests := []struct {
		name string
		code string
		at   int64 // Unix seconds
		step int64
		ok   bool
	}{
		{"RFC vector at 59 s", "287082", 59, 1, true},
		{"RFC vector at 1111111109 s", "081804", 1111111109, 37037036, true},
		{"RFC vector at 1234567890 s", "005924", 1234567890, 41152263, true},
		{"the 59 s code one step later", "287082", 89, 1, true},
		{"the 59 s code two steps later", "287082", 119, 0, false},
		{"a wrong code", "287083", 59, 0, false},
		{"too short", "28708", 59, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			step, ok := MatchTOTP(rfcSecret, tt.code, time.Unix(tt.at, 0))
			if ok != tt.ok || step != tt.step {
				t.Errorf("MatchTOTP(%s, %d) = %d, %v, want %d, %v", tt.code, tt.at, step, ok, tt.step, tt.ok)
			}
		})
	}
}

// TestNewTOTPKey: a new key is 160 bits, and its URI names the issuer and account and
// carries the secret; the same secret gives the same URI back.
func TestNewTOTPKey(t *testing.T) {
	secret, uri, err := NewTOTPKey("LOYALTY", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 32 { // 20 bytes in base32 without padding
		t.Errorf("secret %q has %d characters, want 32 (160 bits)", secret, len(secret))
	}
	if !strings.HasPrefix(uri, "otpauth://totp/LOYALTY:ann@example.com?") || !strings.Contains(uri, "secret="+secret) {
		t.Errorf("uri = %q", uri)
	}
	if _, again, err := NewTOTPKey("LOYALTY", "ann@example.com", secret); err != nil || again != uri {
		t.Errorf("NewTOTPKey(same secret) = %q, %v, want %q", again, err, uri)
	}
}

// TestNewRecoveryCodes: n distinct codes "xxxx-xxxx-xxxx", each hashed without its hyphens.
func TestNewRecoveryCodes(t *testing.T) {
	codes, hashes := NewRecoveryCodes(10)
	seen := map[string]bool{}
	for i, c := range codes {
		if len(c) != 14 || c[4] != '-' || c[9] != '-' {
			t.Errorf("code %q is not xxxx-xxxx-xxxx", c)
		}
		if seen[c] {
			t.Errorf("code %q twice", c)
		}
		seen[c] = true
		if hashes[i] != HashToken(strings.ReplaceAll(c, "-", "")) {
			t.Errorf("hash of %q is not HashToken of the code without hyphens", c)
		}
	}
	if len(codes) != 10 || len(hashes) != 10 {
		t.Errorf("NewRecoveryCodes(10) = %d codes, %d hashes", len(codes), len(hashes))
	}
}

package assessment

import (
	"strings"
	"time"
)

// SecondFactors are the second factors a member has set up: an authenticator app (TOTP,
// with its recovery codes) and passkeys.
type SecondFactors struct {
	// TOTP is an authenticator app (RFC 6238) confirmed with a code.
	TOTP bool
	// RecoveryCodes is how many of the member's single-use recovery codes are unused.
	RecoveryCodes int
	// Passkeys is how many passkeys (WebAuthn credentials) the member has registered.
	Passkeys int
}

// HasSecondFactor reports whether f includes a second factor: an authenticator app or at
// least one passkey. Recovery codes alone are not one: they back up the authenticator.
func HasSecondFactor(f SecondFactors) bool { return f.TOTP || f.Passkeys > 0 }

// MustSetUpSecondFactor reports whether a member with factors f, in a workspace that does
// (required) or does not require a second factor, must set one up before anything else.
func MustSetUpSecondFactor(required bool, f SecondFactors) bool {
	return required && !HasSecondFactor(f)
}

// Two-factor sign-in.
const (
	// RecoveryCodeCount is how many recovery codes TOTP set-up gives.
	RecoveryCodeCount = 10
	// PendingLoginTTL is how long a right password waits for its second factor: long enough
	// to find the phone, short enough that a half-signed-in browser left behind is useless.
	PendingLoginTTL = 5 * time.Minute
	// MaxSecondFactorTries is how many wrong codes one password sign-in allows; then the
	// password is asked again (and counted by the sign-in limits). A six-digit code has a
	// million values: five tries a sign-in, with sign-ins limited per account and address,
	// leave guessing hopeless.
	MaxSecondFactorTries = 5
)

// NormalizeCode reads a code as typed: spaces and hyphens dropped, letters lower-cased, so
// "123 456" is the TOTP code 123456 and "ABCD-EFGH-JKLM" a recovery code.
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, strings.TrimSpace(s))
}

// IsTOTPCode reports whether s (normalised) looks like a TOTP code: six digits. Anything
// else the sign-in form receives is tried as a recovery code.
func IsTOTPCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ErrTOTPEnabled refuses a new TOTP set-up while one is on: it must be turned off first,
// which asks for the password or a code, so a stolen session cannot swap the owner's
// authenticator for the thief's.
var ErrTOTPEnabled = &Error{Code: ECONFLICT, Key: MsgTOTPEnabled}

// ErrSecondFactorNeeded refuses a member of a workspace that requires a second factor
// anything but setting one up.
var ErrSecondFactorNeeded = &Error{Code: EFORBIDDEN, Key: MsgSecondFactorNeeded}

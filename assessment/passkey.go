package assessment

import "time"

// Passkey is a member's WebAuthn credential as the app keeps it: a name the member chose, its
// dates, and the credential record the WebAuthn library verifies sign-ins against (its public
// key, sign counter and flags), which this package treats as opaque bytes. A passkey holds no
// secret and no biometric: the private key and any fingerprint or face stay on the device.
type Passkey struct {
	ID     int64
	UserID int64
	// CredentialID is the authenticator's id of the credential (raw bytes, base64url when
	// stored): unique across the whole database, so a credential names one member only.
	CredentialID []byte
	// Name tells the member's passkeys apart ("MacBook", "Phone").
	Name      string
	CreatedAt time.Time
	// LastUsedAt is the last sign-in with the passkey; zero when it never signed in.
	LastUsedAt time.Time
	// Record is the library's credential record (JSON), rewritten after each sign-in so
	// that the sign counter moves on.
	Record []byte
	// CloneWarning is set when a sign-in presented a sign counter that did not move
	// forward: two copies of the key may exist. Such a passkey no longer signs in.
	CloneWarning bool
}

// PasskeyChallenge is the server's half of one WebAuthn ceremony (registering or signing in):
// the random challenge sent to the browser and what the library needs to check the answer.
// It is stored server-side, used at most once, and only until ExpiresAt.
type PasskeyChallenge struct {
	// Challenge is the base64url challenge the browser signs; it is also how the answer
	// finds its ceremony.
	Challenge string
	// Kind is PasskeyRegister or PasskeyLogin: a challenge of one kind never completes the
	// other.
	Kind string
	// UserID is the member registering (0 when signing in: who signs in is only known
	// from the answer).
	UserID int64
	// Data is the library's session data (JSON).
	Data      []byte
	ExpiresAt time.Time
}

// Ceremony kinds of a PasskeyChallenge.
const (
	PasskeyRegister = "register"
	PasskeyLogin    = "login"
)

// Passkey limits and lifetimes.
const (
	// MaxPasskeyName bounds a passkey's name, in characters.
	MaxPasskeyName = 60
	// MaxPasskeys bounds the passkeys of one member: enough for every device anyone owns,
	// few enough that a stolen session cannot fill the table.
	MaxPasskeys = 20
	// PasskeyChallengeTTL is how long a ceremony may take: the browser's prompt times out
	// sooner (the same value is sent as its timeout), and the server refuses an answer
	// after it, whatever the browser did.
	PasskeyChallengeTTL = 5 * time.Minute
	// RecentSignIn is how long after signing in a member may remove a passkey without
	// typing their password again: removing a way to sign in is the kind of change someone
	// at an unlocked laptop must not make unnoticed.
	RecentSignIn = 10 * time.Minute
)

// Passkey errors: each says what the member can do next.
var (
	// ErrNoPasskey is a passkey that does not exist or is another member's.
	ErrNoPasskey = &Error{Code: ENOTFOUND, Key: MsgPasskeyNotFound}
	// ErrPasskeyChallenge is a ceremony the server does not know (any more): used before,
	// expired, or never started here. The member starts again.
	ErrPasskeyChallenge = &Error{Code: EFORBIDDEN, Key: MsgPasskeyChallenge}
	// ErrPasskeyRejected is an answer that does not verify: a wrong origin, a signature
	// that does not match, a credential that belongs to no member (or to another).
	ErrPasskeyRejected = &Error{Code: EUNAUTHORIZED, Key: MsgPasskeyRejected}
	// ErrPasskeyExists is a credential registered already.
	ErrPasskeyExists = &Error{Code: ECONFLICT, Key: MsgPasskeyExists}
	// ErrPasskeysFull is a member with MaxPasskeys passkeys adding another.
	ErrPasskeysFull = &Error{Code: ECONFLICT, Key: MsgPasskeysFull, Args: Args{"Max": MaxPasskeys}}
	// ErrPasskeyPassword is a removal without a recent sign-in and without the right
	// password.
	ErrPasskeyPassword = &Error{Code: EFORBIDDEN, Key: MsgPasskeyPassword}
)

// PasskeyName validates the name a member gives a passkey; it is required so that a list of
// passkeys tells them apart.
func PasskeyName(name string) (string, error) {
	name, problems := CleanText("passkey.name", name, MaxPasskeyName)
	if name == "" && len(problems) == 0 {
		problems = append(problems, Required("passkey.name"))
	}
	if len(problems) > 0 {
		return "", Invalid(problems)
	}
	return name, nil
}

// Expired reports whether the ceremony may no longer complete at now.
func (c PasskeyChallenge) Expired(now time.Time) bool { return !now.Before(c.ExpiresAt) }

// MayRemovePasskey reports whether a member who signed in at signedIn may remove a passkey at
// now without confirming their password (RecentSignIn).
func MayRemovePasskey(signedIn, now time.Time) bool {
	return !signedIn.IsZero() && !now.Before(signedIn) && now.Sub(signedIn) < RecentSignIn
}

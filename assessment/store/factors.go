package store

import (
	"context"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// SecondFactors keeps members' second factors (TOTP and recovery codes), the browsers
// waiting to give one at sign-in, and the workspace setting that requires one.
type SecondFactors interface {
	// SecondFactors returns the factors member userID has (TOTP and passkeys).
	SecondFactors(ctx context.Context, userID int64) (assessment.SecondFactors, error)
	RequiresSecondFactor(ctx context.Context, wsID int64) (bool, error)
	SetRequireSecondFactor(ctx context.Context, wsID int64, require bool) error
	// StartTOTP stores a new, not yet enabled secret; assessment.ErrTOTPEnabled while one is on.
	StartTOTP(ctx context.Context, userID int64, secret string) error
	// TOTPSecret returns the member's secret ("" for none) and whether it is enabled.
	TOTPSecret(ctx context.Context, userID int64) (string, bool, error)
	// EnableTOTP turns a pending secret on at time step step, with new recovery code hashes.
	EnableTOTP(ctx context.Context, userID, step int64, recoveryHashes []string) (bool, error)
	// UseTOTPStep accepts a code's time step once, and none older than one accepted.
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	// UseRecoveryCode spends an unused recovery code once.
	UseRecoveryCode(ctx context.Context, userID int64, hash string) (bool, error)
	DisableTOTP(ctx context.Context, userID int64) error
	// MembersWithSecondFactor returns the members of workspace wsID who have a second factor
	// (TOTP or a passkey that signs in).
	MembersWithSecondFactor(ctx context.Context, wsID int64) (map[int64]bool, error)
	// CreatePendingLogin, PendingLogin, FailPendingLogin and DeletePendingLogin keep the
	// half-signed-in browsers: the password was right, the code is to come.
	CreatePendingLogin(ctx context.Context, tokenHash string, userID int64, next string, expires time.Time) error
	PendingLogin(ctx context.Context, tokenHash string) (*assessment.User, string, int, error)
	FailPendingLogin(ctx context.Context, tokenHash string) (int, error)
	DeletePendingLogin(ctx context.Context, tokenHash string) error
}

// Passkeys keeps members' passkeys and the WebAuthn ceremonies in progress (passkeys.go).
// Each method that lists, renames or removes takes the owner's id: another member's passkey is
// assessment.ErrNoPasskey.
type Passkeys interface {
	// PasskeyHandle returns the member's WebAuthn user handle, storing candidate as the
	// handle if the member has none yet.
	PasskeyHandle(ctx context.Context, userID int64, candidate []byte) ([]byte, error)
	// PasskeyUser returns the member of a user handle; unknown: assessment.ErrPasskeyRejected.
	PasskeyUser(ctx context.Context, handle []byte) (*assessment.User, error)
	// AddPasskey stores p for the member and sets its ID, UserID and CreatedAt; a
	// credential stored already is ErrPasskeyExists, a member with MaxPasskeys is
	// ErrPasskeysFull.
	AddPasskey(ctx context.Context, userID int64, p *assessment.Passkey) error
	// Passkeys lists the member's passkeys, oldest first.
	Passkeys(ctx context.Context, userID int64) ([]assessment.Passkey, error)
	// HasPasskey reports whether the member has at least one passkey that signs in (the
	// "has a second factor" rule counts it).
	HasPasskey(ctx context.Context, userID int64) (bool, error)
	Passkey(ctx context.Context, userID, id int64) (*assessment.Passkey, error)
	// PasskeyByCredential returns the passkey of a credential id, whoever owns it; unknown:
	// assessment.ErrPasskeyRejected.
	PasskeyByCredential(ctx context.Context, credentialID []byte) (*assessment.Passkey, error)
	RenamePasskey(ctx context.Context, userID, id int64, name string) error
	RemovePasskey(ctx context.Context, userID, id int64) (*assessment.Passkey, error)
	// UsePasskey records a sign-in: the updated credential record and its clone warning.
	UsePasskey(ctx context.Context, id int64, record []byte, cloneWarning bool) error
	// SavePasskeyChallenge stores a ceremony in progress (and forgets the expired ones).
	SavePasskeyChallenge(ctx context.Context, c assessment.PasskeyChallenge) error
	// TakePasskeyChallenge removes and returns the ceremony of challenge and kind: unknown,
	// taken already or expired is assessment.ErrPasskeyChallenge.
	TakePasskeyChallenge(ctx context.Context, challenge, kind string) (*assessment.PasskeyChallenge, error)
}

package store

import (
	"context"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
)

// Accounts keeps members, their sessions and API tokens.
type Accounts interface {
	UserByEmail(ctx context.Context, email string) (*assessment.User, string, error)
	CreateUser(ctx context.Context, wsID int64, u *assessment.User, passwordHash string) error
	Members(ctx context.Context, wsID int64) ([]assessment.User, error)
	RemoveMember(ctx context.Context, wsID, actorID, id int64) (*assessment.User, error)
	SetMemberRole(ctx context.Context, wsID, actorID, id int64, role string) (*assessment.User, error)
	CreateSession(ctx context.Context, userID int64, tokenHash, csrf string, expires time.Time) error
	Session(ctx context.Context, tokenHash string) (*assessment.Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	// CreateDevice remembers a device (its cookie's hash) on which userID signed in; a
	// sign-in from it is not throttled by the account's failures elsewhere (login.go).
	CreateDevice(ctx context.Context, userID int64, tokenHash string, expires time.Time) error
	// DeviceUser returns the member a known device signed in as, or 0.
	DeviceUser(ctx context.Context, tokenHash string) (int64, error)
	// APITokenUser returns the member of an API token that is neither revoked nor expired,
	// and records its use (at most once a minute).
	APITokenUser(ctx context.Context, tokenHash string) (*assessment.User, error)
	// PasswordHash returns the password hash of member userID.
	PasswordHash(ctx context.Context, userID int64) (string, error)
	// SetPassword sets member userID's password hash and, in the same transaction, ends
	// every session of theirs but the one under keepSession ("" ends all).
	SetPassword(ctx context.Context, userID int64, hash, keepSession string) error
}

// Tokens keeps members' API tokens. Each method takes the owner's id: another member's
// token is assessment.ErrNoToken.
type Tokens interface {
	// CreateAPIToken stores t under the hash of its secret and sets its ID.
	CreateAPIToken(ctx context.Context, userID int64, tokenHash string, t *assessment.APIToken) error
	APITokens(ctx context.Context, userID int64) ([]assessment.APIToken, error)
	APIToken(ctx context.Context, userID, id int64) (*assessment.APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, id int64) error
}

// Limits keeps the failures the rate limits count (failed sign-ins, unknown workshop
// codes), so that a restart forgives nothing and every process sees the same counts.
type Limits interface {
	auth.FailureStore
}

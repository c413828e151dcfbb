package assessment

import (
	"strconv"
	"time"
)

// APIToken is a member's API token as it is listed: a name and dates, never the secret,
// which is shown once when the token is made and stored only as its SHA-256.
type APIToken struct {
	ID     int64
	UserID int64
	// Name says what the token is for ("CRM export"), so its owner knows which to revoke.
	Name      string
	CreatedAt time.Time
	// LastUsedAt is when the token last authenticated a request, to the minute
	// (TokenUseResolution); zero when it never has.
	LastUsedAt time.Time
	// ExpiresAt is when the token stops working; zero when it never expires.
	ExpiresAt time.Time
}

// MaxTokenName bounds a token's name, in characters.
const MaxTokenName = 100

// TokenUseResolution is how precisely a token's last use is kept: a use is written only when
// the last one recorded is at least this old, so a script calling the API in a loop does not
// cost a database write per request.
const TokenUseResolution = time.Minute

// TokenLifetimes are the lifetimes a member chooses from when making a token in the
// workspace, as form values: a number of days, or "never".
var TokenLifetimes = []string{"30", "90", "365", "never"}

// ErrNoToken is an API token that does not exist or belongs to another member.
var ErrNoToken = &Error{Code: ENOTFOUND, Key: MsgTokenNotFound}

// TokenLifetime reads a lifetime chosen on the workspace form (one of TokenLifetimes) as a
// period; "never" is the zero period.
func TokenLifetime(choice string) (Period, []FieldError) {
	switch choice {
	case "never":
		return Period{}, nil
	case "30", "90", "365":
		n, _ := strconv.Atoi(choice)
		return Period{Days: n}, nil
	}
	return Period{}, []FieldError{Choice("token.expires", choice, TokenLifetimes)}
}

// NewAPIToken validates the name of a token to make at now, living for lifetime (the zero
// period: forever). The name is required, so that a list of tokens tells them apart.
func NewAPIToken(name string, lifetime Period, now time.Time) (APIToken, error) {
	name, problems := CleanText("token.name", name, MaxTokenName)
	if name == "" && len(problems) == 0 {
		problems = append(problems, Required("token.name"))
	}
	if len(problems) > 0 {
		return APIToken{}, Invalid(problems)
	}
	t := APIToken{Name: name, CreatedAt: now}
	if !lifetime.IsZero() {
		t.ExpiresAt = lifetime.After(now)
	}
	return t, nil
}

// Expired reports whether t no longer works at now.
func (t APIToken) Expired(now time.Time) bool {
	return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

// UseDue reports whether a use of t at now is to be recorded (see TokenUseResolution).
func (t APIToken) UseDue(now time.Time) bool {
	return t.LastUsedAt.IsZero() || now.Sub(t.LastUsedAt) >= TokenUseResolution
}

package assessment

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Workspace is a consultancy: its members see all of its clients and nothing of any other
// workspace's.
type Workspace struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// Member roles. An admin manages the workspace's members; a consultant works with clients.
const (
	RoleAdmin      = "admin"
	RoleConsultant = "consultant"
)

// User is a member of one workspace.
type User struct {
	ID          int64
	WorkspaceID int64
	// Workspace is the workspace's name, for display.
	Workspace string
	Email     string
	Name      string
	Role      string
	CreatedAt time.Time
}

// IsAdmin reports whether u may manage the members of its workspace.
func (u *User) IsAdmin() bool { return u.Role == RoleAdmin }

// Session is a signed-in member's server-side session.
type Session struct {
	User User
	// CSRF is the token every state-changing form of the session must carry.
	CSRF      string
	ExpiresAt time.Time
}

// Limits on account fields.
const (
	MaxEmail         = 254
	MaxName          = 100
	MaxWorkspaceName = 100
	MinPassword      = 10
	// MaxPassword bounds the work a login can cause; argon2 hashes any length.
	MaxPassword = 256
)

// NewUser validates the fields of a member to create. The email is lower-cased: it is the
// login name and must be unique whatever its case.
func NewUser(email, name, role string) (User, error) {
	var problems []FieldError
	email = strings.ToLower(strings.TrimSpace(email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > MaxEmail {
		problems = append(problems, FieldError{Field: "email", Rule: RuleChoice, Message: fmt.Sprintf("email: %q is not an email address", email)})
	}
	name, p := CleanText("name", name, MaxName)
	problems = append(problems, p...)
	if name == "" && len(p) == 0 {
		problems = append(problems, FieldError{Field: "name", Rule: RuleRequired, Message: "name: a name is required"})
	}
	if role != RoleAdmin && role != RoleConsultant {
		problems = append(problems, FieldError{Field: "role", Rule: RuleChoice, Message: fmt.Sprintf("role: %q is not admin or consultant", role)})
	}
	if len(problems) > 0 {
		return User{}, invalid(problems)
	}
	return User{Email: email, Name: name, Role: role}, nil
}

// CheckPassword enforces the password policy: long enough to resist guessing, short enough
// to bound hashing work, and valid text.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return invalid([]FieldError{{Field: "password", Rule: RuleEncoding, Message: "password: not valid UTF-8"}})
	case n < MinPassword:
		return invalid([]FieldError{{Field: "password", Rule: RuleRequired, Message: fmt.Sprintf("password: at least %d characters are required", MinPassword)}})
	case len(pw) > MaxPassword:
		return invalid([]FieldError{{Field: "password", Rule: RuleTooLong, Message: fmt.Sprintf("password: at most %d bytes allowed", MaxPassword)}})
	}
	return nil
}

// Client is a company a workspace assesses over time in workshop rounds.
type Client struct {
	ID          int64
	WorkspaceID int64
	// Profile is the client's name and benchmark profile (industry, size, country, NPS years).
	Profile Company
	// BenchmarkConsent lets the client's latest closed round enter the benchmark pool.
	BenchmarkConsent bool
	// Archived hides the client from the active list; its rounds and answers are kept.
	Archived  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ValidateProfile checks the optional profile codes of c against the questionnaire's lists
// and normalises the country code. It is the five-minute test's rule, shared.
func (q *Questionnaire) ValidateProfile(c *Company) []FieldError { return q.checkProfile(c) }

// NewClient validates a client's name and profile and returns the client to store. The
// name is required; the profile codes are optional.
func (q *Questionnaire) NewClient(profile Company, consent bool) (Client, error) {
	name, problems := CleanText("company.name", profile.Name, MaxCompanyName)
	if name == "" && len(problems) == 0 {
		problems = append(problems, FieldError{Field: "company.name", Rule: RuleRequired, Message: "company.name: a name is required"})
	}
	profile.Name = name
	problems = append(problems, q.checkProfile(&profile)...)
	if len(problems) > 0 {
		return Client{}, invalid(problems)
	}
	return Client{Profile: profile, BenchmarkConsent: consent}, nil
}

// PoolKey is the benchmark pool key of a client: one company per client.
func (c *Client) PoolKey() string { return fmt.Sprintf("client:%d", c.ID) }

func invalid(problems []FieldError) *Error {
	msg := fmt.Sprintf("%d fields need attention", len(problems))
	if len(problems) == 1 {
		msg = problems[0].Message
	}
	return &Error{Code: EINVALID, Message: msg, Fields: problems}
}

// PortfolioEntry is one client of a workspace with its latest answered round.
type PortfolioEntry struct {
	Client Client
	// Round is the client's latest round with at least one participant (the latest closed
	// one when there is one), or nil when it has none.
	Round        *Round
	Participants []Participant
}

// Errors of member management. They are conflicts with the state of the workspace, not
// malformed input, so a form can explain them and the caller may try something else.
var (
	// ErrRemoveSelf refuses an admin removing their own account: a workspace would
	// otherwise be left without the person who was managing it, by a slip of the mouse.
	ErrRemoveSelf = &Error{Code: ECONFLICT, Message: "you cannot remove yourself from the workspace"}
	// ErrLastAdmin refuses removing or demoting the only admin: nobody could then add
	// members, change roles or remove anyone.
	ErrLastAdmin = &Error{Code: ECONFLICT, Message: "a workspace needs at least one admin"}
)

// CheckRemoveMember decides whether actor may remove target from their workspace, which
// has admins admins (target included). Only admins manage members; nobody removes
// themselves; the last admin stays. Both users must belong to the same workspace.
func CheckRemoveMember(actor, target *User, admins int) error {
	if actor.WorkspaceID != target.WorkspaceID {
		return Errorf(ENOTFOUND, "no such member")
	}
	if !actor.IsAdmin() {
		return Errorf(EFORBIDDEN, "only an admin of the workspace can remove members")
	}
	if actor.ID == target.ID {
		return ErrRemoveSelf
	}
	if target.IsAdmin() && admins <= 1 {
		return ErrLastAdmin
	}
	return nil
}

// CheckRoleChange decides whether actor may give target the role role in their workspace,
// which has admins admins (target included). Only admins change roles, and the last admin
// cannot be made a consultant (not even by themselves). Giving a member the role they
// already have is allowed and changes nothing.
func CheckRoleChange(actor, target *User, role string, admins int) error {
	if actor.WorkspaceID != target.WorkspaceID {
		return Errorf(ENOTFOUND, "no such member")
	}
	if !actor.IsAdmin() {
		return Errorf(EFORBIDDEN, "only an admin of the workspace can change roles")
	}
	if role != RoleAdmin && role != RoleConsultant {
		return invalid([]FieldError{{Field: "role", Rule: RuleChoice, Message: fmt.Sprintf("role: %q is not admin or consultant", role)}})
	}
	if target.IsAdmin() && role != RoleAdmin && admins <= 1 {
		return ErrLastAdmin
	}
	return nil
}

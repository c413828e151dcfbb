package assessment

import (
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
	// Suspended is set when an operator suspended the member's workspace: the member may
	// not sign in or use the API.
	Suspended bool
}

// IsAdmin reports whether u may manage the members of its workspace.
func (u *User) IsAdmin() bool { return u.Role == RoleAdmin }

// Session is a signed-in member's server-side session.
type Session struct {
	User User
	// CSRF is the token every state-changing form of the session must carry.
	CSRF string
	// CreatedAt is when the member signed in (a passkey's removal asks for the password
	// again once that is not recent: MayRemovePasskey).
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Limits on account fields.
const (
	MaxEmail         = 254
	MaxName          = 100
	MaxWorkspaceName = 100
	// MinPassword is NIST SP 800-63B's length for a password that is the only factor
	// (rev. 4: 15; 12 is the floor most SaaS apply with a breached-password check).
	MinPassword = 12
	// MaxPassword bounds the work a login can cause (in bytes); argon2 hashes any length.
	// 256 bytes leave room for 64 characters of any script, the least NIST asks to allow.
	MaxPassword = 256
)

// NewUser validates the fields of a member to create. The email is lower-cased: it is the
// login name and must be unique whatever its case.
func NewUser(email, name, role string) (User, error) {
	email, problems := CleanEmail("email", email)
	name, p := CleanText("name", name, MaxName)
	problems = append(problems, p...)
	if name == "" && len(p) == 0 {
		problems = append(problems, Required("name"))
	}
	if role != RoleAdmin && role != RoleConsultant {
		problems = append(problems, Choice("role", role, []string{RoleAdmin, RoleConsultant}))
	}
	if len(problems) > 0 {
		return User{}, Invalid(problems)
	}
	return User{Email: email, Name: name, Role: role}, nil
}

// RuleBreached is a password found in the list of well-known breached passwords.
const RuleBreached = "breached"

// CheckPassword enforces the password policy of NIST SP 800-63B §3.1.1.2: at least
// MinPassword characters (Unicode code points, so "æøå" counts three), at most MaxPassword
// bytes to bound hashing work, valid text, and not among the well-known breached passwords
// (IsBreached). There are no composition rules ("one digit, one symbol"): they make
// passwords harder to remember, not to guess. Every place a password is set calls it.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return Invalid([]FieldError{{Field: "password", Rule: RuleEncoding}})
	case n < MinPassword:
		return Invalid([]FieldError{{Field: "password", Rule: RuleTooShort, Args: Args{"Min": MinPassword}}})
	case len(pw) > MaxPassword:
		return Invalid([]FieldError{{Field: "password", Rule: RuleTooLong, Args: Args{"Max": MaxPassword, "Length": len(pw)}}})
	case IsBreached(pw):
		return Invalid([]FieldError{{Field: "password", Rule: RuleBreached}})
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
		problems = append(problems, Required("company.name"))
	}
	profile.Name = name
	problems = append(problems, q.checkProfile(&profile)...)
	if len(problems) > 0 {
		return Client{}, Invalid(problems)
	}
	return Client{Profile: profile, BenchmarkConsent: consent}, nil
}

// Errors of member management. They are conflicts with the state of the workspace, not
// malformed input, so a form can explain them and the caller may try something else.
var (
	// ErrRemoveSelf refuses an admin removing their own account: a workspace would
	// otherwise be left without the person who was managing it, by a slip of the mouse.
	ErrRemoveSelf = &Error{Code: ECONFLICT, Key: MsgMemberSelf}
	// ErrLastAdmin refuses removing or demoting the only admin: nobody could then add
	// members, change roles or remove anyone.
	ErrLastAdmin = &Error{Code: ECONFLICT, Key: MsgMemberLastAdmin}
	// ErrNoMember is a member that does not exist or belongs to another workspace.
	ErrNoMember = &Error{Code: ENOTFOUND, Key: MsgMemberNotFound}
	// ErrAdminOnly refuses a consultant what only an admin may do.
	ErrAdminOnly = &Error{Code: EFORBIDDEN, Key: MsgAdminOnly}
)

// CheckRemoveMember decides whether actor may remove target from their workspace, which
// has admins admins (target included). Only admins manage members; nobody removes
// themselves; the last admin stays. Both users must belong to the same workspace.
func CheckRemoveMember(actor, target *User, admins int) error {
	if actor.WorkspaceID != target.WorkspaceID {
		return ErrNoMember
	}
	if !actor.IsAdmin() {
		return ErrAdminOnly
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
		return ErrNoMember
	}
	if !actor.IsAdmin() {
		return ErrAdminOnly
	}
	if role != RoleAdmin && role != RoleConsultant {
		return Invalid([]FieldError{Choice("role", role, []string{RoleAdmin, RoleConsultant})})
	}
	if target.IsAdmin() && role != RoleAdmin && admins <= 1 {
		return ErrLastAdmin
	}
	return nil
}

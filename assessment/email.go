package assessment

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// This file holds the rules of the email the app sends: the outbox's retry schedule, and the
// workspace invitations and password resets that send it. The sending itself (SMTP, the log)
// is an adapter's (assessment/email); the store keeps the outbox (sqlstore).

// Mail is one message in the outbox: rendered in its recipient's language when the action
// that causes it happens, and stored in that action's transaction.
type Mail struct {
	ID int64
	// Kind names what the message is for ("invitation", "password-reset", "result-link"),
	// for logs and metrics; never its content.
	Kind    string
	To      string
	Subject string
	// Text and HTML are the two bodies of the message; both carry the same links.
	Text string
	HTML string
	// Attempts is how many times sending it has failed so far.
	Attempts int
}

// Mail kinds.
const (
	MailInvitation     = "invitation"
	MailPasswordReset  = "password-reset"
	MailResultLink     = "result-link"
	MailTeamInvitation = "team-invitation"
	// MailVerification carries a link confirming a result for its company's domain
	// (verification.go); its address is erased once it is sent or has failed.
	MailVerification = "verification"
)

// Outbox policy: how often and for how long a message is retried. A relay that is down for
// an hour still gets every message once it is back; one that refuses a message for a day
// (a bad address, a policy) makes it failed, and the log and metrics say so.
const (
	// MailMaxAttempts is how many failed attempts make a message failed for good.
	MailMaxAttempts = 12
	// MailFirstRetry is the wait after the first failure; each further failure doubles it.
	MailFirstRetry = 30 * time.Second
	// MailMaxRetry caps the wait between two attempts.
	MailMaxRetry = time.Hour
	// MailLease is how long a worker holds a claimed message: if it dies mid-send, another
	// worker (or itself, restarted) takes the message again after this.
	MailLease = 2 * time.Minute
)

// MailRetry returns how long to wait after a message's attempts-th failed attempt (1 for the
// first), and whether to give up instead: 30 s, 1 min, 2 min, … capped at an hour, and no
// more tries after MailMaxAttempts failures (about 7 hours after the first).
func MailRetry(attempts int) (time.Duration, bool) {
	if attempts >= MailMaxAttempts {
		return 0, true
	}
	d := MailFirstRetry
	for i := 1; i < attempts && d < MailMaxRetry; i++ {
		d *= 2
	}
	return min(d, MailMaxRetry), false
}

// CleanEmail checks an email address typed into field and returns it trimmed and in lower
// case (the form the app stores and compares), or the problem.
func CleanEmail(field, email string) (string, []FieldError) {
	email = strings.ToLower(strings.TrimSpace(email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > MaxEmail {
		return email, []FieldError{{Field: field, Rule: RuleEmail, Args: Args{"Value": strconv.Quote(email)}}}
	}
	return email, nil
}

// Lifetimes of the links email carries.
const (
	// InvitationTTL is how long a workspace invitation's link works.
	InvitationTTL = 7 * 24 * time.Hour
	// ResetTTL is how long a forgotten password's link works.
	ResetTTL = time.Hour
)

// MemberInvitation is an admin's invitation to join a workspace, by email. Its link's token
// is stored only as a hash; the invitation is pending until it is accepted, revoked or
// expired.
type MemberInvitation struct {
	ID          int64
	WorkspaceID int64
	// Workspace is the workspace's name, for the invitee's page.
	Workspace string
	Email     string
	// Role is the role the invitee gets: RoleAdmin or RoleConsultant.
	Role string
	// Lang is the language the invitation was written in, which its page uses too.
	Lang       string
	InvitedBy  int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt time.Time
	RevokedAt  time.Time
}

// Pending reports whether the invitation's link still works at now.
func (i *MemberInvitation) Pending(now time.Time) bool {
	return i.AcceptedAt.IsZero() && i.RevokedAt.IsZero() && now.Before(i.ExpiresAt)
}

// Check says why the invitation's link does not work at now (used, revoked, expired), or
// nil when it does.
func (i *MemberInvitation) Check(now time.Time) error {
	switch {
	case !i.AcceptedAt.IsZero():
		return ErrInviteUsed
	case !i.RevokedAt.IsZero():
		return ErrInviteRevoked
	case !now.Before(i.ExpiresAt):
		return ErrInviteExpired
	}
	return nil
}

// InviteRoles are the roles an invitation may give, as the API and the members page name
// them: "member" is a consultant, the workspace's ordinary member.
var InviteRoles = []string{"member", RoleAdmin}

// NewMemberInvitation validates an invitation to email as role ("member", "consultant" or
// "admin"), made at now; it expires InvitationTTL later.
func NewMemberInvitation(email, role, lang string, now time.Time) (MemberInvitation, error) {
	email, problems := CleanEmail("email", email)
	switch role {
	case "member", RoleConsultant:
		role = RoleConsultant
	case RoleAdmin:
	case "":
		// Required: an admin is never made by leaving the role out.
		problems = append(problems, Required("role"))
	default:
		problems = append(problems, Choice("role", role, InviteRoles))
	}
	if len(problems) > 0 {
		return MemberInvitation{}, Invalid(problems)
	}
	return MemberInvitation{Email: email, Role: role, Lang: lang, CreatedAt: now, ExpiresAt: now.Add(InvitationTTL)}, nil
}

// InviteRoleName is the API's name of a member role: "member" for a consultant.
func InviteRoleName(role string) string {
	if role == RoleConsultant {
		return "member"
	}
	return role
}

// Errors of invitation and reset links. The link's holder reads them on a page of their own,
// so each says what happened and what to do.
var (
	// ErrInviteNotFound is an invitation link that never existed, or an invitation id of
	// another workspace.
	ErrInviteNotFound = &Error{Code: ENOTFOUND, Key: MsgInviteNotFound}
	// ErrInviteUsed is an invitation accepted already.
	ErrInviteUsed = &Error{Code: EGONE, Key: MsgInviteUsed}
	// ErrInviteRevoked is an invitation an admin withdrew.
	ErrInviteRevoked = &Error{Code: EGONE, Key: MsgInviteRevoked}
	// ErrInviteExpired is an invitation older than InvitationTTL.
	ErrInviteExpired = &Error{Code: EGONE, Key: MsgInviteExpired}
	// ErrResetInvalid is a reset link that is unknown, used or older than ResetTTL: the page
	// does not say which, and offers a new link.
	ErrResetInvalid = &Error{Code: EGONE, Key: MsgResetInvalid}
)

package store

import (
	"context"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/email"
)

// Mail keeps the email outbox and what sends email: workspace invitations and
// password resets (sqlstore/email.go). Each message is stored in the transaction of its
// action; the email package's Worker sends it.
type Mail interface {
	email.Outbox
	// EnqueueMail stores a message no stored action causes (a result's link).
	EnqueueMail(ctx context.Context, m *assessment.Mail) error
	// CreateMemberInvitation stores inv under its token's hash with its message; an address
	// with an account is ECONFLICT.
	CreateMemberInvitation(ctx context.Context, wsID int64, inv *assessment.MemberInvitation, tokenHash string, m *assessment.Mail) error
	// MemberInvitations lists the workspace's invitations pending at now.
	MemberInvitations(ctx context.Context, wsID int64, now time.Time) ([]assessment.MemberInvitation, error)
	MemberInvitation(ctx context.Context, wsID, id int64) (*assessment.MemberInvitation, error)
	MemberInvitationByToken(ctx context.Context, tokenHash string) (*assessment.MemberInvitation, error)
	RevokeMemberInvitation(ctx context.Context, wsID, id int64, now time.Time) (*assessment.MemberInvitation, error)
	// ResendMemberInvitation gives the invitation a new link and stores its message.
	ResendMemberInvitation(ctx context.Context, wsID, id int64, tokenHash string, now time.Time, m *assessment.Mail) (*assessment.MemberInvitation, error)
	// AcceptMemberInvitation makes the account, once per link.
	AcceptMemberInvitation(ctx context.Context, tokenHash, name, passwordHash string, now time.Time) (*assessment.User, *assessment.MemberInvitation, error)
	CreatePasswordReset(ctx context.Context, userID int64, tokenHash string, expires time.Time, m *assessment.Mail) error
	PasswordResetUser(ctx context.Context, tokenHash string) (*assessment.User, error)
	// ResetPassword sets the password through a reset link and ends every session.
	ResetPassword(ctx context.Context, tokenHash, passwordHash string) (*assessment.User, error)
	// DeleteUserSessions ends every session of a member.
	DeleteUserSessions(ctx context.Context, userID int64) error
}

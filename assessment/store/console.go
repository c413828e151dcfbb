package store

import (
	"context"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Console is what the operator console (/ops, ops.go) and "loyalty operator" need:
// operator accounts, the pool's waiting tests, the workspaces as an operator sees them
// (counts, never a client's answers), suspension, the outbox's state and the operator audit
// log (sqlstore/operator.go).
type Console interface {
	// CreateOperator stores an operator with no password yet and, in the same transaction,
	// a set-password link under tokenHash and its message; an address with an account is
	// assessment.ErrOperatorExists.
	CreateOperator(ctx context.Context, u *assessment.User, tokenHash string, expires time.Time, m *assessment.Mail) error
	// Operators lists the operator accounts by email.
	Operators(ctx context.Context) ([]assessment.User, error)
	// RemoveOperator deletes an operator account (assessment.ErrNoOperator for any other
	// address).
	RemoveOperator(ctx context.Context, email string) (*assessment.User, error)
	// PendingAssessments lists the consenting tests of version no operator has verified or
	// rejected, oldest first, with their profiles (never their ratings) and the domain a test
	// was confirmed for by work email, if any (VerifiedDomain: its company waits by domain).
	PendingAssessments(ctx context.Context, version string) ([]assessment.Assessment, error)
	// VerifiedAssessments lists up to limit tests of version in the pool, newest first.
	VerifiedAssessments(ctx context.Context, version string, limit int) ([]assessment.Assessment, error)
	// AssessmentByID returns a test by its row id, for the operator's check.
	AssessmentByID(ctx context.Context, id int64) (*assessment.Assessment, error)
	// VerifyAssessment lets a consenting test into the pool; it reports whether it is in.
	VerifyAssessment(ctx context.Context, q *assessment.Questionnaire, id int64) (bool, error)
	// UnverifyAssessment takes a verified test out of the pool; it reports whether it was in.
	UnverifyAssessment(ctx context.Context, id int64) (bool, error)
	// RejectAssessment takes a waiting test off the list of what waits for approval.
	RejectAssessment(ctx context.Context, id int64) error
	// WorkspaceSummaries lists every workspace with its usage.
	WorkspaceSummaries(ctx context.Context) ([]assessment.WorkspaceSummary, error)
	// WorkspaceMembers lists a workspace's members for an operator.
	WorkspaceMembers(ctx context.Context, wsID int64) ([]assessment.MemberSummary, error)
	// EnsureWorkspace returns the workspace named name, creating it if there is none.
	EnsureWorkspace(ctx context.Context, name string) (*assessment.Workspace, error)
	// SetWorkspaceSuspended suspends a workspace (ending its members' sessions) or resumes it.
	SetWorkspaceSuspended(ctx context.Context, wsID int64, suspended bool) (*assessment.Workspace, error)
	// OutboxState counts the outbox's messages by assessment.OutboxStates and lists up to
	// limit failed or retrying ones without their addresses or bodies.
	OutboxState(ctx context.Context, limit int) (map[string]int, []assessment.OutboxMessage, error)
	// PoolHealth previews the next release of the pool of version: every group's companies,
	// what the latest release shows and what the next would do, and why.
	PoolHealth(ctx context.Context, version string) (*assessment.PoolHealth, error)
	// PoolVersions counts the live pool's companies per questionnaire version.
	PoolVersions(ctx context.Context) (map[string]int, error)
	// OperatorAuditEvents pages the operator audit log, newest first.
	OperatorAuditEvents(ctx context.Context, before int64, limit int) ([]assessment.AuditEvent, error)
}

package store

import (
	"context"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Metrics is what the metrics read from the database when they are scraped: counts that
// every process on the database changes, so that no process's own count would be right.
type Metrics interface {
	// OpenRounds counts the rounds open now, of workspaces and of teams.
	OpenRounds(ctx context.Context) (workshop, team int, err error)
	// MailCounts counts the outbox's messages by status: pending, sent, failed.
	MailCounts(ctx context.Context) (map[string]int, error)
}

// Operator is what the operator's commands (cmd/loyalty) and the conformance suite's set-up use
// beyond Store: the pool's verification and its demo companies, retention, workspaces,
// pruning the rate limits' failures, and closing.
type Operator interface {
	// EnsureWorkspace returns the workspace named name, creating it if there is none.
	EnsureWorkspace(ctx context.Context, name string) (*assessment.Workspace, error)
	// AssessmentByID returns a test by its row id, for the operator's check.
	AssessmentByID(ctx context.Context, id int64) (*assessment.Assessment, error)
	// PendingAssessments lists the consenting tests of version the operator has not verified.
	PendingAssessments(ctx context.Context, version string) ([]assessment.Assessment, error)
	// VerifyAssessment lets a consenting test into the pool; it reports whether it is in.
	VerifyAssessment(ctx context.Context, q *assessment.Questionnaire, id int64) (bool, error)
	// UnverifyAssessment takes a verified test out of the pool; it reports whether it was in.
	UnverifyAssessment(ctx context.Context, id int64) (bool, error)
	// PoolEntry returns the live pool's entry of the company with key, false when none.
	PoolEntry(ctx context.Context, key string) (assessment.PoolEntry, bool, error)
	// PoolSize returns how many companies the live pool holds.
	PoolSize(ctx context.Context) (int, error)
	// PoolGeneration changes whenever the live pool does.
	PoolGeneration(ctx context.Context) (int64, error)
	// AddSynthetic, RemoveSynthetic and SyntheticCount load, remove and count demo companies.
	AddSynthetic(ctx context.Context, entries []assessment.PoolEntry) error
	RemoveSynthetic(ctx context.Context) (int, error)
	SyntheticCount(ctx context.Context) (int, error)
	// RemoveOlderThan applies a retention cutoff (assessment/retention.go).
	RemoveOlderThan(ctx context.Context, q *assessment.Questionnaire, cutoff time.Time) (assessment.Removed, error)
	// PurgeAudit deletes the audit events older than cutoff (the audit retention).
	PurgeAudit(ctx context.Context, cutoff time.Time) (int, error)
	// PruneFailures deletes every rate-limit failure at or before before.
	PruneFailures(ctx context.Context, before time.Time) (int, error)
	// APITokenByID returns any member's token, for the operator's token commands.
	APITokenByID(ctx context.Context, id int64) (*assessment.APIToken, error)
	// Close releases the handle; the database stays.
	Close() error
}

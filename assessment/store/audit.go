package store

import (
	"context"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Audit keeps the workspaces' audit logs (assessment.AuditEvent).
type Audit interface {
	// RecordAudit appends e and sets its ID (and At, when zero).
	RecordAudit(ctx context.Context, e *assessment.AuditEvent) error
	// AuditEvents returns up to limit events of workspace wsID with an id below before (0:
	// from the newest), newest first. Events of no workspace are never returned.
	AuditEvents(ctx context.Context, wsID, before int64, limit int) ([]assessment.AuditEvent, error)
}

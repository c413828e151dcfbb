package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// RecordAudit appends e to the audit log and sets its ID; a zero At is the store's now.
// An event with WorkspaceID 0 belongs to no workspace (assessment.AuditEvent).
func (db *DB) RecordAudit(ctx context.Context, e *assessment.AuditEvent) error {
	if e.At.IsZero() {
		e.At = db.Now()
	}
	var ws any
	if e.WorkspaceID != 0 {
		ws = e.WorkspaceID
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record audit event: %w", err)
	}
	defer tx.Rollback()
	if e.Scope == assessment.AuditScopeOperator {
		ws = nil // the operator log belongs to no workspace
	}
	id, err := tx.insertID(ctx, "INSERT INTO audit_events (workspace_id, at, actor_id, actor_name, action, target, address, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		ws, formatTime(e.At), e.ActorID, e.ActorName, e.Action, e.Target, e.Address, e.Scope)
	if err != nil {
		return fmt.Errorf("record audit event: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record audit event: %w", err)
	}
	e.ID = id
	return nil
}

// AuditEvents returns up to limit events of workspace wsID, newest first, older than the
// event before (0: from the newest). Paging by id rather than by offset keeps a page stable
// while new events arrive.
func (db *DB) AuditEvents(ctx context.Context, wsID, before int64, limit int) ([]assessment.AuditEvent, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	return db.auditEvents(ctx, "workspace_id = ?", wsID, before, limit)
}

// OperatorAuditEvents returns up to limit events of the operator audit log, newest first,
// older than the event before (0: from the newest).
func (db *DB) OperatorAuditEvents(ctx context.Context, before int64, limit int) ([]assessment.AuditEvent, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	return db.auditEvents(ctx, "scope = ?", assessment.AuditScopeOperator, before, limit)
}

func (db *DB) auditEvents(ctx context.Context, where string, arg any, before int64, limit int) ([]assessment.AuditEvent, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id, workspace_id, at, actor_id, actor_name, action, target, address, scope FROM audit_events WHERE "+where+" AND id < ? ORDER BY id DESC LIMIT ?",
		arg, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list audit events: %w", err)
	}
	defer rows.Close()
	var out []assessment.AuditEvent
	for rows.Next() {
		var e assessment.AuditEvent
		var ws sql.NullInt64
		var at string
		if err := rows.Scan(&e.ID, &ws, &at, &e.ActorID, &e.ActorName, &e.Action, &e.Target, &e.Address, &e.Scope); err != nil {
			return nil, fmt.Errorf("list audit events: %w", err)
		}
		e.WorkspaceID = ws.Int64
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("list audit events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// PurgeAudit deletes the audit events older than cutoff, of every workspace, and returns how
// many it deleted.
func (db *DB) PurgeAudit(ctx context.Context, cutoff time.Time) (int, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("purge audit log: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM audit_events WHERE at < ?", formatTime(cutoff))
	if err != nil {
		return 0, fmt.Errorf("purge audit log: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("purge audit log: %w", err)
	}
	return int(n), tx.Commit()
}

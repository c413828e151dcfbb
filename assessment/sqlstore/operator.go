package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores what the operator console (/ops) and "loyalty operator" need: operator
// accounts, the workspaces as an operator sees them (counts, never a client's answers),
// suspension, rejected tests and the outbox's state.

// CreateOperator stores operator u (assessment.NewOperator) with an unusable password and,
// in the same transaction, a set-password link under tokenHash valid until expires and its
// message m: the new operator chooses a password through the link, like a password reset.
// An address with an account already is assessment.ErrOperatorExists. It sets u.ID and
// u.CreatedAt.
func (db *DB) CreateOperator(ctx context.Context, u *assessment.User, tokenHash string, expires time.Time, m *assessment.Mail) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create operator: %w", err)
	}
	defer tx.Rollback()
	if exists, err := userExistsTx(ctx, tx, u.Email); err != nil {
		return fmt.Errorf("create operator: %w", err)
	} else if exists {
		return assessment.ErrOperatorExists
	}
	// "!" is no hash any password checks against: the account is closed until the link sets one.
	id, err := tx.insertID(ctx, "INSERT INTO users (workspace_id, email, name, role, password_hash, created_at) VALUES (NULL, ?, ?, ?, '!', ?)",
		u.Email, u.Name, assessment.RoleOperator, formatTime(now))
	if isUnique(err) {
		return assessment.ErrOperatorExists
	}
	if err != nil {
		return fmt.Errorf("create operator: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		tokenHash, id, formatTime(now), formatTime(expires)); err != nil {
		return fmt.Errorf("create operator: %w", err)
	}
	if err := enqueueMailTx(ctx, tx, m, now); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create operator: %w", err)
	}
	u.ID, u.WorkspaceID, u.Role, u.CreatedAt = id, 0, assessment.RoleOperator, now
	return nil
}

// Operators lists the operator accounts by email.
func (db *DB) Operators(ctx context.Context) ([]assessment.User, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+userColumns+" FROM users u LEFT JOIN workspaces w ON w.id = u.workspace_id WHERE u.role = ? ORDER BY u.email", assessment.RoleOperator)
	if err != nil {
		return nil, fmt.Errorf("list operators: %w", err)
	}
	defer rows.Close()
	var out []assessment.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list operators: %w", err)
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// RemoveOperator deletes the operator account with email, with its sessions, second factors
// and links; a member's address or an unknown one is assessment.ErrNoOperator.
func (db *DB) RemoveOperator(ctx context.Context, email string) (*assessment.User, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("remove operator: %w", err)
	}
	defer tx.Rollback()
	u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users u LEFT JOIN workspaces w ON w.id = u.workspace_id WHERE u.email = ? AND u.role = ?",
		strings.ToLower(strings.TrimSpace(email)), assessment.RoleOperator))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrNoOperator
	}
	if err != nil {
		return nil, fmt.Errorf("remove operator: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id = ?", u.ID); err != nil {
		return nil, fmt.Errorf("remove operator: %w", err)
	}
	return u, tx.Commit()
}

// WorkspaceSummaries lists every workspace by name with its counts of members, clients,
// rounds and participants and its last activity (the latest sign-in or other event of its
// audit log, round opened or answer given).
func (db *DB) WorkspaceSummaries(ctx context.Context) ([]assessment.WorkspaceSummary, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT w.id, w.name, w.created_at, w.suspended_at,
			(SELECT count(*) FROM users u WHERE u.workspace_id = w.id),
			(SELECT count(*) FROM clients c WHERE c.workspace_id = w.id),
			(SELECT count(*) FROM rounds r WHERE r.workspace_id = w.id),
			(SELECT count(*) FROM participants p JOIN rounds r ON r.id = p.round_id WHERE r.workspace_id = w.id),
			COALESCE((SELECT max(e.at) FROM audit_events e WHERE e.workspace_id = w.id), ''),
			COALESCE((SELECT max(r.opened_at) FROM rounds r WHERE r.workspace_id = w.id), ''),
			COALESCE((SELECT max(p.updated_at) FROM participants p JOIN rounds r ON r.id = p.round_id WHERE r.workspace_id = w.id), '')
		FROM workspaces w ORDER BY w.name, w.id`)
	if err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	defer rows.Close()
	var out []assessment.WorkspaceSummary
	for rows.Next() {
		var w assessment.WorkspaceSummary
		var created, suspended, audit, opened, answered string
		if err := rows.Scan(&w.ID, &w.Name, &created, &suspended, &w.Members, &w.Clients, &w.Rounds, &w.Participants, &audit, &opened, &answered); err != nil {
			return nil, fmt.Errorf("list workspaces: %w", err)
		}
		var errs [2]error
		w.CreatedAt, errs[0] = parseTime(created)
		w.SuspendedAt, errs[1] = parseTime(suspended)
		if err := errors.Join(errs[:]...); err != nil {
			return nil, fmt.Errorf("list workspaces: %w", err)
		}
		// Times are stored as RFC 3339 in UTC with a fixed width, so the latest sorts last.
		if last := max(audit, opened, answered); last != "" {
			if w.LastActivity, err = parseTime(last); err != nil {
				return nil, fmt.Errorf("list workspaces: %w", err)
			}
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// WorkspaceMembers lists the members of workspace wsID for an operator: name, email, role,
// whether a second factor protects the account, and the last sign-in the audit log holds.
// An unknown workspace is assessment.ErrNoWorkspace.
func (db *DB) WorkspaceMembers(ctx context.Context, wsID int64) ([]assessment.MemberSummary, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM workspaces WHERE id = ?", wsID).Scan(&n); err != nil {
		return nil, fmt.Errorf("workspace members: %w", err)
	}
	if n == 0 {
		return nil, assessment.ErrNoWorkspace
	}
	rows, err := db.read.QueryContext(ctx, "SELECT "+userColumns+`,
			CASE WHEN EXISTS (SELECT 1 FROM totp_secrets t WHERE t.user_id = u.id AND t.enabled = 1)
				OR EXISTS (SELECT 1 FROM passkeys k WHERE k.user_id = u.id AND k.clone_warning = 0) THEN 1 ELSE 0 END,
			COALESCE((SELECT max(e.at) FROM audit_events e WHERE e.workspace_id = u.workspace_id AND e.actor_id = u.id AND e.action = ?), '')
		FROM users u JOIN workspaces w ON w.id = u.workspace_id WHERE u.workspace_id = ? ORDER BY u.name, u.id`, assessment.AuditSignIn, wsID)
	if err != nil {
		return nil, fmt.Errorf("workspace members: %w", err)
	}
	defer rows.Close()
	var out []assessment.MemberSummary
	for rows.Next() {
		var m assessment.MemberSummary
		var last string
		u, err := scanUser(rows, &m.SecondFactor, &last)
		if err != nil {
			return nil, fmt.Errorf("workspace members: %w", err)
		}
		m.User = *u
		if m.LastSignIn, err = parseTime(last); err != nil {
			return nil, fmt.Errorf("workspace members: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetWorkspaceSuspended suspends workspace wsID (suspended) or lets it work again, and
// returns it. Suspending ends every session of its members in the same transaction; its API
// tokens are refused while it is suspended (APITokenUser), and work again on resume. An
// unknown workspace is assessment.ErrNoWorkspace; suspending a suspended one changes nothing.
func (db *DB) SetWorkspaceSuspended(ctx context.Context, wsID int64, suspended bool) (*assessment.Workspace, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("suspend workspace: %w", err)
	}
	defer tx.Rollback()
	var w assessment.Workspace
	var created, was string
	err = tx.QueryRowContext(ctx, "SELECT id, name, created_at, suspended_at FROM workspaces WHERE id = ?", wsID).Scan(&w.ID, &w.Name, &created, &was)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrNoWorkspace
	}
	if err != nil {
		return nil, fmt.Errorf("suspend workspace: %w", err)
	}
	if w.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("suspend workspace: %w", err)
	}
	at := ""
	if suspended {
		at = was
		if at == "" {
			at = formatTime(db.Now())
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE workspace_id = ?)", wsID); err != nil {
			return nil, fmt.Errorf("suspend workspace: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE workspaces SET suspended_at = ? WHERE id = ?", at, wsID); err != nil {
		return nil, fmt.Errorf("suspend workspace: %w", err)
	}
	return &w, tx.Commit()
}

// RejectAssessment marks the consenting test with id as rejected by an operator: it is no
// longer offered for verification (PendingAssessments). A test in the pool, or one without
// consent, is ECONFLICT; an unknown id is ENOTFOUND.
func (db *DB) RejectAssessment(ctx context.Context, id int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reject assessment: %w", err)
	}
	defer tx.Rollback()
	var consent, inPool int
	err = tx.QueryRowContext(ctx, `SELECT benchmark_consent,
		(SELECT count(*) FROM pool_companies p WHERE p.source_id = a.id AND p.source_id <> 0) FROM assessments a WHERE id = ?`, id).Scan(&consent, &inPool)
	if errors.Is(err, sql.ErrNoRows) {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgAssessmentNotFound, nil)
	}
	if err != nil {
		return fmt.Errorf("reject assessment: %w", err)
	}
	if consent != 1 || inPool > 0 {
		return assessment.NewError(assessment.ECONFLICT, assessment.MsgTestNotPending, nil)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE assessments SET pool_rejected_at = ? WHERE id = ?", formatTime(db.Now()), id); err != nil {
		return fmt.Errorf("reject assessment: %w", err)
	}
	return tx.Commit()
}

// VerifiedAssessments lists, newest first, up to limit five-minute tests of questionnaire
// version that an operator verified into the pool (and that are still there), with their
// profiles only: what the console offers to unverify.
func (db *DB) VerifiedAssessments(ctx context.Context, version string, limit int) ([]assessment.Assessment, error) {
	return db.testProfiles(ctx, "verified assessments", version, `SELECT a.id, a.created_at, a.company_name, a.company_industry, a.company_size, a.company_country, a.company_nps_years, a.verified_domain
		FROM assessments a JOIN pool_companies p ON p.source_id = a.id AND p.source_id <> 0
		WHERE a.questionnaire_version = ? ORDER BY a.created_at DESC, a.id DESC LIMIT ?`, version, limit)
}

// OutboxState returns how many messages of the outbox are queued, retrying, sent and failed
// (assessment.OutboxStates), and up to limit of the failed and retrying ones, newest first:
// kind, tries, last error, next attempt and the recipient's domain. It never reads a
// message's subject or bodies.
func (db *DB) OutboxState(ctx context.Context, limit int) (map[string]int, []assessment.OutboxMessage, error) {
	counts := map[string]int{}
	for _, s := range assessment.OutboxStates {
		counts[s] = 0
	}
	rows, err := db.read.QueryContext(ctx, `SELECT CASE WHEN status = 'pending' AND attempts = 0 THEN 'queued' WHEN status = 'pending' THEN 'retrying' ELSE status END AS state, count(*)
		FROM mail_outbox GROUP BY state`)
	if err != nil {
		return nil, nil, fmt.Errorf("outbox state: %w", err)
	}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("outbox state: %w", err)
		}
		counts[s] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("outbox state: %w", err)
	}
	rows, err = db.read.QueryContext(ctx, `SELECT id, kind, status, attempts, last_error, next_at, created_at, recipient FROM mail_outbox
		WHERE status = 'failed' OR (status = 'pending' AND attempts > 0) ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("outbox state: %w", err)
	}
	defer rows.Close()
	var out []assessment.OutboxMessage
	for rows.Next() {
		var m assessment.OutboxMessage
		var next, created, to string
		if err := rows.Scan(&m.ID, &m.Kind, &m.Status, &m.Attempts, &m.LastError, &next, &created, &to); err != nil {
			return nil, nil, fmt.Errorf("outbox state: %w", err)
		}
		m.LastError = assessment.RedactAddresses(m.LastError)
		m.RecipientHost = assessment.EmailDomain(to)
		m.Retrying = m.Status == "pending"
		var e1, e2 error
		m.NextAt, e1 = parseTime(next)
		m.CreatedAt, e2 = parseTime(created)
		if err := errors.Join(e1, e2); err != nil {
			return nil, nil, fmt.Errorf("outbox state: %w", err)
		}
		if m.Status == "failed" {
			m.NextAt = time.Time{}
		}
		out = append(out, m)
	}
	return counts, out, rows.Err()
}

// PoolHealth previews the next release of the pool of version (demo companies left out):
// every peer group the live pool or the latest release has, with its companies now, what the
// latest release shows of it, and what assessment.PlanRelease would decide now and why. It
// stores nothing.
func (db *DB) PoolHealth(ctx context.Context, version string) (*assessment.PoolHealth, error) {
	st, err := releaseStatus(ctx, db.read, version, false)
	if err != nil {
		return nil, fmt.Errorf("pool health: %w", err)
	}
	in, err := db.planInput(ctx, st, version, false)
	if err != nil {
		return nil, fmt.Errorf("pool health: %w", err)
	}
	plan := assessment.PlanRelease(in.members, in.last, in.previous)
	h := &assessment.PoolHealth{Version: version, Status: st, Companies: len(in.live)}
	for g, d := range plan {
		gh := assessment.GroupHealth{PeerGroup: g, Live: len(in.byGroup[g]), Next: d}
		if in.prev != nil {
			if rg, ok := in.prev.Group(g); ok {
				gh.Published = rg.Companies
			}
		}
		gh.Reason = assessment.HealthReason(gh.Live, d)
		h.Groups = append(h.Groups, gh)
	}
	slices.SortFunc(h.Groups, func(a, b assessment.GroupHealth) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.Value, b.Value))
	})
	return h, nil
}

// PoolVersions counts the live pool's companies per questionnaire version (demo companies
// left out), newest version last.
func (db *DB) PoolVersions(ctx context.Context) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT version, count(*) FROM pool_companies WHERE synthetic = 0 GROUP BY version")
	if err != nil {
		return nil, fmt.Errorf("pool versions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, fmt.Errorf("pool versions: %w", err)
		}
		out[v] = n
	}
	return out, rows.Err()
}

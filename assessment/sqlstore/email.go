package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file keeps the email outbox, workspace invitations and password resets. Every message
// is inserted by enqueueMailTx in the transaction of the action that causes it, so that a
// crash keeps both or neither; workers claim messages with a lease (claimed_until), and since
// every write transaction of the store is serialised (engine.go: SQLite's one writer,
// PostgreSQL's advisory lock), two instances never claim the same message.

// enqueueMailTx stores m in the outbox, due at once, and sets m.ID.
func enqueueMailTx(ctx context.Context, tx *Tx, m *assessment.Mail, now time.Time) error {
	id, err := tx.insertID(ctx, "INSERT INTO mail_outbox (kind, recipient, subject, body_text, body_html, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		m.Kind, m.To, m.Subject, m.Text, m.HTML, formatTime(now), formatTime(now))
	if err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	m.ID = id
	return nil
}

// EnqueueMail stores m in the outbox on its own, for a message no stored action causes (a
// result's link sent to its holder, a team invitation sent again).
func (db *DB) EnqueueMail(ctx context.Context, m *assessment.Mail) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	defer tx.Rollback()
	if err := enqueueMailTx(ctx, tx, m, db.Now()); err != nil {
		return err
	}
	return tx.Commit()
}

// ClaimMail leases up to limit pending messages due at now until now+lease, oldest due
// first. A message whose lease ran out (its worker died mid-send) is due again.
func (db *DB) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]assessment.Mail, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	defer tx.Rollback()
	at := formatTime(now)
	rows, err := tx.QueryContext(ctx, "SELECT id, kind, recipient, subject, body_text, body_html, attempts FROM mail_outbox WHERE status = 'pending' AND next_at <= ? AND claimed_until <= ? ORDER BY next_at, id LIMIT ?",
		at, at, limit)
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	var out []assessment.Mail
	for rows.Next() {
		var m assessment.Mail
		if err := rows.Scan(&m.ID, &m.Kind, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Attempts); err != nil {
			rows.Close()
			return nil, fmt.Errorf("claim mail: %w", err)
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	until := formatTime(now.Add(lease))
	for _, m := range out {
		if _, err := tx.ExecContext(ctx, "UPDATE mail_outbox SET claimed_until = ? WHERE id = ?", until, m.ID); err != nil {
			return nil, fmt.Errorf("claim mail: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	return out, nil
}

// MailSent marks message id delivered and erases its bodies, which carry single-use links
// (and, for a result's link, the address).
func (db *DB) MailSent(ctx context.Context, id int64, now time.Time) error {
	_, err := db.write.ExecContext(ctx, "UPDATE mail_outbox SET status = 'sent', done_at = ?, claimed_until = '', body_text = '', body_html = '', "+forgetRecipient+" WHERE id = ?", formatTime(now), id)
	if err != nil {
		return fmt.Errorf("mail sent: %w", err)
	}
	return nil
}

// forgetRecipient erases the address of a result's link, of a team's personal link and of a
// verification link once it is sent or has failed: the holder of a result or of a team page
// gave it for that message only.
const forgetRecipient = "recipient = CASE WHEN kind IN ('" + assessment.MailResultLink + "', '" + assessment.MailTeamInvitation + "', '" + assessment.MailVerification + "') THEN '' ELSE recipient END"

// maxMailError bounds the reason kept of a failed attempt.
const maxMailError = 500

// MailFailed records a failed attempt at message id: due again at next, or failed for good
// when gaveUp (its bodies erased). reason is the sender's error, kept for the operator.
func (db *DB) MailFailed(ctx context.Context, id int64, now, next time.Time, gaveUp bool, reason string) error {
	if len(reason) > maxMailError {
		reason = reason[:maxMailError]
		for !utf8.ValidString(reason) {
			reason = reason[:len(reason)-1]
		}
	}
	q := "UPDATE mail_outbox SET attempts = attempts + 1, next_at = ?, claimed_until = '', last_error = ? WHERE id = ?"
	args := []any{formatTime(next), reason, id}
	if gaveUp {
		q = "UPDATE mail_outbox SET attempts = attempts + 1, status = 'failed', done_at = ?, claimed_until = '', last_error = ?, body_text = '', body_html = '', " + forgetRecipient + " WHERE id = ?"
		args = []any{formatTime(now), reason, id}
	}
	if _, err := db.write.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("mail failed: %w", err)
	}
	return nil
}

// MailCounts returns how many messages are pending, sent and failed, for the metrics.
func (db *DB) MailCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT status, count(*) FROM mail_outbox GROUP BY status")
	if err != nil {
		return nil, fmt.Errorf("mail counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{"pending": 0, "sent": 0, "failed": 0}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("mail counts: %w", err)
		}
		out[s] = n
	}
	return out, rows.Err()
}

// userExistsTx reports whether an account with email exists, in any workspace (an email is
// one account's login name).
func userExistsTx(ctx context.Context, q queryer, email string) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email = ?", email).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

func memberExists(email string) error {
	return assessment.NewError(assessment.ECONFLICT, assessment.MsgMemberExists, assessment.Args{"Email": email})
}

// CreateMemberInvitation stores inv (made by assessment.NewMemberInvitation) for workspace
// wsID under the hash of its link's token, with its message m, in one transaction. An
// address that already has an account is ECONFLICT; an earlier pending invitation of the
// same address to the same workspace is revoked, so that one link works at a time. It sets
// inv.ID, inv.WorkspaceID and m.ID.
func (db *DB) CreateMemberInvitation(ctx context.Context, wsID int64, inv *assessment.MemberInvitation, tokenHash string, m *assessment.Mail) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create invitation: %w", err)
	}
	defer tx.Rollback()
	exists, err := userExistsTx(ctx, tx, inv.Email)
	if err != nil {
		return fmt.Errorf("create invitation: %w", err)
	}
	if exists {
		return memberExists(inv.Email)
	}
	now := formatTime(inv.CreatedAt)
	if _, err := tx.ExecContext(ctx, "UPDATE member_invitations SET revoked_at = ? WHERE workspace_id = ? AND email = ? AND accepted_at = '' AND revoked_at = ''",
		now, wsID, inv.Email); err != nil {
		return fmt.Errorf("create invitation: %w", err)
	}
	var by any
	if inv.InvitedBy != 0 {
		by = inv.InvitedBy
	}
	id, err := tx.insertID(ctx, "INSERT INTO member_invitations (workspace_id, email, role, lang, token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		wsID, inv.Email, inv.Role, inv.Lang, tokenHash, by, now, formatTime(inv.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create invitation: %w", err)
	}
	if err := enqueueMailTx(ctx, tx, m, inv.CreatedAt); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create invitation: %w", err)
	}
	inv.ID, inv.WorkspaceID = id, wsID
	return nil
}

const invitationColumns = "i.id, i.workspace_id, w.name, i.email, i.role, i.lang, COALESCE(i.invited_by, 0), i.created_at, i.expires_at, i.accepted_at, i.revoked_at"

func scanInvitation(row interface{ Scan(...any) error }) (*assessment.MemberInvitation, error) {
	var inv assessment.MemberInvitation
	var created, expires, accepted, revoked string
	if err := row.Scan(&inv.ID, &inv.WorkspaceID, &inv.Workspace, &inv.Email, &inv.Role, &inv.Lang, &inv.InvitedBy, &created, &expires, &accepted, &revoked); err != nil {
		return nil, err
	}
	var errs []error
	for _, p := range []struct {
		s string
		t *time.Time
	}{{created, &inv.CreatedAt}, {expires, &inv.ExpiresAt}, {accepted, &inv.AcceptedAt}, {revoked, &inv.RevokedAt}} {
		t, err := parseTime(p.s)
		*p.t = t
		errs = append(errs, err)
	}
	return &inv, errors.Join(errs...)
}

// MemberInvitations lists workspace wsID's invitations pending at now, newest first.
func (db *DB) MemberInvitations(ctx context.Context, wsID int64, now time.Time) ([]assessment.MemberInvitation, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+invitationColumns+" FROM member_invitations i JOIN workspaces w ON w.id = i.workspace_id WHERE i.workspace_id = ? AND i.accepted_at = '' AND i.revoked_at = '' AND i.expires_at > ? ORDER BY i.created_at DESC, i.id DESC",
		wsID, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("list invitations: %w", err)
	}
	defer rows.Close()
	var out []assessment.MemberInvitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, fmt.Errorf("list invitations: %w", err)
		}
		out = append(out, *inv)
	}
	return out, rows.Err()
}

// MemberInvitation returns invitation id of workspace wsID, pending or not; another
// workspace's is assessment.ErrInviteNotFound.
func (db *DB) MemberInvitation(ctx context.Context, wsID, id int64) (*assessment.MemberInvitation, error) {
	return invitationWhere(ctx, db.read, "i.id = ? AND i.workspace_id = ?", id, wsID)
}

// MemberInvitationByToken returns the invitation stored under the hash of its link's token,
// pending or not (the page says why a link no longer works).
func (db *DB) MemberInvitationByToken(ctx context.Context, tokenHash string) (*assessment.MemberInvitation, error) {
	return invitationWhere(ctx, db.read, "i.token_hash = ?", tokenHash)
}

func invitationWhere(ctx context.Context, q queryer, where string, args ...any) (*assessment.MemberInvitation, error) {
	inv, err := scanInvitation(q.QueryRowContext(ctx, "SELECT "+invitationColumns+" FROM member_invitations i JOIN workspaces w ON w.id = i.workspace_id WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrInviteNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find invitation: %w", err)
	}
	return inv, nil
}

// RevokeMemberInvitation withdraws pending invitation id of workspace wsID at now: its link
// stops working. An invitation that is no longer pending is ErrInviteNotFound, like one of
// another workspace.
func (db *DB) RevokeMemberInvitation(ctx context.Context, wsID, id int64, now time.Time) (*assessment.MemberInvitation, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("revoke invitation: %w", err)
	}
	defer tx.Rollback()
	inv, err := invitationWhere(ctx, tx, "i.id = ? AND i.workspace_id = ?", id, wsID)
	if err != nil {
		return nil, err
	}
	if !inv.Pending(now) {
		return nil, assessment.ErrInviteNotFound
	}
	if _, err := tx.ExecContext(ctx, "UPDATE member_invitations SET revoked_at = ? WHERE id = ?", formatTime(now), id); err != nil {
		return nil, fmt.Errorf("revoke invitation: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("revoke invitation: %w", err)
	}
	inv.RevokedAt = now
	return inv, nil
}

// ResendMemberInvitation gives pending invitation id of workspace wsID a new link (the
// hash of its token) valid InvitationTTL from now, and stores its message m, in one
// transaction: the old link stops working. A member who joined meanwhile is ECONFLICT.
func (db *DB) ResendMemberInvitation(ctx context.Context, wsID, id int64, tokenHash string, now time.Time, m *assessment.Mail) (*assessment.MemberInvitation, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
	}
	defer tx.Rollback()
	inv, err := invitationWhere(ctx, tx, "i.id = ? AND i.workspace_id = ?", id, wsID)
	if err != nil {
		return nil, err
	}
	// An expired invitation may be sent again; a used or revoked one may not.
	if !inv.AcceptedAt.IsZero() || !inv.RevokedAt.IsZero() {
		return nil, assessment.ErrInviteNotFound
	}
	exists, err := userExistsTx(ctx, tx, inv.Email)
	if err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
	}
	if exists {
		return nil, memberExists(inv.Email)
	}
	inv.ExpiresAt = now.Add(assessment.InvitationTTL)
	if _, err := tx.ExecContext(ctx, "UPDATE member_invitations SET token_hash = ?, expires_at = ? WHERE id = ?", tokenHash, formatTime(inv.ExpiresAt), id); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
	}
	if err := enqueueMailTx(ctx, tx, m, now); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
	}
	return inv, nil
}

// AcceptMemberInvitation turns the invitation stored under tokenHash into an account named
// u.Name with the password hash, at now, in one transaction: the link works once. A link
// that no longer works is the reason (assessment.MemberInvitation.Check); an address that
// got an account meanwhile is ECONFLICT. It returns the new member.
func (db *DB) AcceptMemberInvitation(ctx context.Context, tokenHash, name, passwordHash string, now time.Time) (*assessment.User, *assessment.MemberInvitation, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("accept invitation: %w", err)
	}
	defer tx.Rollback()
	inv, err := invitationWhere(ctx, tx, "i.token_hash = ?", tokenHash)
	if err != nil {
		return nil, nil, err
	}
	if err := inv.Check(now); err != nil {
		return nil, inv, err
	}
	u, err := assessment.NewUser(inv.Email, name, inv.Role)
	if err != nil {
		return nil, inv, err
	}
	id, err := tx.insertID(ctx, "INSERT INTO users (workspace_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		inv.WorkspaceID, u.Email, u.Name, u.Role, passwordHash, formatTime(now))
	if isUnique(err) {
		return nil, inv, memberExists(u.Email)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("accept invitation: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE member_invitations SET accepted_at = ? WHERE id = ?", formatTime(now), inv.ID); err != nil {
		return nil, nil, fmt.Errorf("accept invitation: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("accept invitation: %w", err)
	}
	u.ID, u.WorkspaceID, u.Workspace, u.CreatedAt = id, inv.WorkspaceID, inv.Workspace, now
	inv.AcceptedAt = now
	return &u, inv, nil
}

// CreatePasswordReset stores a reset link (the hash of its token) for member userID, valid
// until expires, with its message m, in one transaction.
func (db *DB) CreatePasswordReset(ctx context.Context, userID int64, tokenHash string, expires time.Time, m *assessment.Mail) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create password reset: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM password_resets WHERE expires_at <= ?", formatTime(now)); err != nil {
		return fmt.Errorf("create password reset: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		tokenHash, userID, formatTime(now), formatTime(expires)); err != nil {
		return fmt.Errorf("create password reset: %w", err)
	}
	if err := enqueueMailTx(ctx, tx, m, now); err != nil {
		return err
	}
	return tx.Commit()
}

// PasswordResetUser returns the member whose unused, unexpired reset link is stored under
// tokenHash; any other link is assessment.ErrResetInvalid.
func (db *DB) PasswordResetUser(ctx context.Context, tokenHash string) (*assessment.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+" FROM password_resets r JOIN users u ON u.id = r.user_id LEFT JOIN workspaces w ON w.id = u.workspace_id WHERE r.token_hash = ? AND r.used_at = '' AND r.expires_at > ?",
		tokenHash, formatTime(db.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrResetInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("find password reset: %w", err)
	}
	return u, nil
}

// ResetPassword sets a new password hash through the reset link stored under tokenHash, in
// one transaction: the link is used up, every other reset link of the member too, and every
// session of the member ends. A link that is unknown, used or expired is
// assessment.ErrResetInvalid.
func (db *DB) ResetPassword(ctx context.Context, tokenHash, passwordHash string) (*assessment.User, error) {
	now := formatTime(db.Now())
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	defer tx.Rollback()
	u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM password_resets r JOIN users u ON u.id = r.user_id LEFT JOIN workspaces w ON w.id = u.workspace_id WHERE r.token_hash = ? AND r.used_at = '' AND r.expires_at > ?",
		tokenHash, now))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrResetInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	for _, s := range []struct {
		q    string
		args []any
	}{
		{"UPDATE users SET password_hash = ? WHERE id = ?", []any{passwordHash, u.ID}},
		{"UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at = ''", []any{now, u.ID}},
	} {
		if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
			return nil, fmt.Errorf("reset password: %w", err)
		}
	}
	if err := deleteUserSessionsTx(ctx, tx, u.ID); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	return u, nil
}

func deleteUserSessionsTx(ctx context.Context, tx *Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of member userID (a password reset; a password
// change ends the others by deleting them and signing in again).
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	defer tx.Rollback()
	if err := deleteUserSessionsTx(ctx, tx, userID); err != nil {
		return err
	}
	return tx.Commit()
}

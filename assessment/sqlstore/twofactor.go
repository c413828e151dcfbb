package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores second factors: a member's TOTP secret and recovery codes, the
// half-signed-in browsers waiting for a code, and the workspace setting that requires a
// second factor.

// SecondFactors returns the second factors member userID has: TOTP, its unused recovery
// codes, and the passkeys that still sign in.
func (db *DB) SecondFactors(ctx context.Context, userID int64) (assessment.SecondFactors, error) {
	var f assessment.SecondFactors
	var enabled int
	err := db.read.QueryRowContext(ctx, "SELECT enabled FROM totp_secrets WHERE user_id = ?", userID).Scan(&enabled)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("second factors: %w", err)
	}
	f.TOTP = enabled == 1
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at = ''", userID).Scan(&f.RecoveryCodes); err != nil {
		return f, fmt.Errorf("second factors: %w", err)
	}
	// A passkey marked as possibly copied no longer signs in, so it is no factor either.
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM passkeys WHERE user_id = ? AND clone_warning = 0", userID).Scan(&f.Passkeys); err != nil {
		return f, fmt.Errorf("second factors: %w", err)
	}
	return f, nil
}

// RequiresSecondFactor reports whether workspace wsID requires every member to have a
// second factor.
func (db *DB) RequiresSecondFactor(ctx context.Context, wsID int64) (bool, error) {
	var req int
	if err := db.read.QueryRowContext(ctx, "SELECT require_second_factor FROM workspaces WHERE id = ?", wsID).Scan(&req); err != nil {
		return false, fmt.Errorf("workspace setting: %w", err)
	}
	return req == 1, nil
}

// SetRequireSecondFactor sets workspace wsID's requirement of a second factor.
func (db *DB) SetRequireSecondFactor(ctx context.Context, wsID int64, require bool) error {
	return db.exec1(ctx, "set workspace setting", "UPDATE workspaces SET require_second_factor = ? WHERE id = ?", require, wsID)
}

// exec1 runs one statement in a write transaction.
func (db *DB) exec1(ctx context.Context, what, q string, args ...any) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return tx.Commit()
}

// StartTOTP stores secret as member userID's TOTP secret, not yet enabled, replacing an
// earlier set-up that was never confirmed. A member whose TOTP is on gets assessment.ErrTOTPEnabled.
func (db *DB) StartTOTP(ctx context.Context, userID int64, secret string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("start totp: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM totp_secrets WHERE user_id = ? AND enabled = 0", userID); err != nil {
		return fmt.Errorf("start totp: %w", err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO totp_secrets (user_id, secret, enabled, last_step, created_at) VALUES (?, ?, 0, 0, ?)", userID, secret, formatTime(db.Now()))
	if isUnique(err) {
		return assessment.ErrTOTPEnabled
	}
	if err != nil {
		return fmt.Errorf("start totp: %w", err)
	}
	return tx.Commit()
}

// TOTPSecret returns member userID's TOTP secret and whether it is enabled; "" when there is
// none.
func (db *DB) TOTPSecret(ctx context.Context, userID int64) (secret string, enabled bool, err error) {
	var on int
	err = db.read.QueryRowContext(ctx, "SELECT secret, enabled FROM totp_secrets WHERE user_id = ?", userID).Scan(&secret, &on)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("totp secret: %w", err)
	}
	return secret, on == 1, nil
}

// EnableTOTP turns on member userID's pending TOTP, confirmed by a code of time step step,
// and stores the hashes of their new recovery codes (replacing any old ones), in one
// transaction. It reports false, changing nothing, when there is no pending set-up.
func (db *DB) EnableTOTP(ctx context.Context, userID, step int64, recoveryHashes []string) (bool, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("enable totp: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "UPDATE totp_secrets SET enabled = 1, last_step = ? WHERE user_id = ? AND enabled = 0", step, userID)
	if err != nil {
		return false, fmt.Errorf("enable totp: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return false, fmt.Errorf("enable totp: %w", err)
	}
	for _, h := range recoveryHashes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", userID, h); err != nil {
			return false, fmt.Errorf("enable totp: %w", err)
		}
	}
	return true, tx.Commit()
}

// UseTOTPStep accepts a code of time step step for member userID once: it reports true and
// remembers the step only if it is later than every step accepted before, so a code (or an
// older one) used once is refused ever after, by however many processes at once.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	return db.update1(ctx, "use totp code", "UPDATE totp_secrets SET last_step = ? WHERE user_id = ? AND enabled = 1 AND last_step < ?", step, userID, step)
}

// UseRecoveryCode spends member userID's unused recovery code with hash hash: true once,
// false for an unknown or spent code.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, hash string) (bool, error) {
	return db.update1(ctx, "use recovery code", "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at = ''", formatTime(db.Now()), userID, hash)
}

// update1 runs an UPDATE in a write transaction and reports whether it changed a row.
func (db *DB) update1(ctx context.Context, what, q string, args ...any) (bool, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	return n > 0, tx.Commit()
}

// MembersWithSecondFactor returns the members of workspace wsID whose authenticator app is
// on.
func (db *DB) MembersWithSecondFactor(ctx context.Context, wsID int64) (map[int64]bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT u.id FROM users u JOIN totp_secrets t ON t.user_id = u.id WHERE u.workspace_id = ? AND t.enabled = 1
		UNION SELECT u.id FROM users u JOIN passkeys p ON p.user_id = u.id WHERE u.workspace_id = ? AND p.clone_warning = 0`, wsID, wsID)
	if err != nil {
		return nil, fmt.Errorf("members with a second factor: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("members with a second factor: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// DisableTOTP deletes member userID's TOTP secret and recovery codes.
func (db *DB) DisableTOTP(ctx context.Context, userID int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("disable totp: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{"DELETE FROM totp_secrets WHERE user_id = ?", "DELETE FROM recovery_codes WHERE user_id = ?"} {
		if _, err := tx.ExecContext(ctx, q, userID); err != nil {
			return fmt.Errorf("disable totp: %w", err)
		}
	}
	return tx.Commit()
}

// CreatePendingLogin stores a half-signed-in browser of member userID under tokenHash, to
// go to next once its second factor is checked; expired ones are deleted on the way.
func (db *DB) CreatePendingLogin(ctx context.Context, tokenHash string, userID int64, next string, expires time.Time) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create pending login: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM pending_logins WHERE expires_at <= ?", formatTime(db.Now())); err != nil {
		return fmt.Errorf("create pending login: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO pending_logins (token_hash, user_id, next, attempts, expires_at) VALUES (?, ?, ?, 0, ?)",
		tokenHash, userID, next, formatTime(expires)); err != nil {
		return fmt.Errorf("create pending login: %w", err)
	}
	return tx.Commit()
}

// PendingLogin returns the unexpired half-signed-in browser under tokenHash: its member, where
// it goes next and how many wrong codes it sent; nil when there is none.
func (db *DB) PendingLogin(ctx context.Context, tokenHash string) (*assessment.User, string, int, error) {
	var next string
	var attempts int
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+", p.next, p.attempts FROM pending_logins p JOIN users u ON u.id = p.user_id LEFT JOIN workspaces w ON w.id = u.workspace_id WHERE p.token_hash = ? AND p.expires_at > ?",
		tokenHash, formatTime(db.Now())), &next, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", 0, nil
	}
	if err != nil {
		return nil, "", 0, fmt.Errorf("pending login: %w", err)
	}
	return u, next, attempts, nil
}

// FailPendingLogin counts a wrong code of the half-signed-in browser under tokenHash and
// returns how many it has sent.
func (db *DB) FailPendingLogin(ctx context.Context, tokenHash string) (int, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("fail pending login: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE pending_logins SET attempts = attempts + 1 WHERE token_hash = ?", tokenHash); err != nil {
		return 0, fmt.Errorf("fail pending login: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(attempts), 0) FROM pending_logins WHERE token_hash = ?", tokenHash).Scan(&n); err != nil {
		return 0, fmt.Errorf("fail pending login: %w", err)
	}
	return n, tx.Commit()
}

// DeletePendingLogin forgets the half-signed-in browser under tokenHash.
func (db *DB) DeletePendingLogin(ctx context.Context, tokenHash string) error {
	return db.exec1(ctx, "delete pending login", "DELETE FROM pending_logins WHERE token_hash = ?", tokenHash)
}

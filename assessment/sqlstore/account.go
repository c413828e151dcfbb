package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores what a member changes about their own account (/w/account): the
// password, and the sessions a change of password ends.

// PasswordHash returns the password hash of member userID (ErrNoMember if there is none), to
// check the current password before a change.
func (db *DB) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var hash string
	err := db.read.QueryRowContext(ctx, "SELECT password_hash FROM users WHERE id = ?", userID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", assessment.ErrNoMember
	}
	if err != nil {
		return "", fmt.Errorf("read password hash: %w", err)
	}
	return hash, nil
}

// SetPassword gives member userID the password hash hash and ends every session of the
// member except the one stored under keepSession ("" ends them all, as a reset does), in one
// transaction: whoever knew the old password and signed in with it is out the moment the
// new one is set.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash, keepSession string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("set password: %w", err)
	} else if n == 0 {
		return assessment.ErrNoMember
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", userID, keepSession); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return tx.Commit()
}

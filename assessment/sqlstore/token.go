package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file keeps members' API tokens: only the SHA-256 of a token is stored, with its name,
// its dates and its owner. Every method that lists or revokes takes the owner's id, so another
// member's token is ErrNoToken exactly like one that does not exist.

// CreateAPIToken stores t (validated by assessment.NewAPIToken) as an API token of user
// userID under the hash of its secret, and sets t.ID and t.UserID.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, tokenHash string, t *assessment.APIToken) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	defer tx.Rollback()
	expires := ""
	if !t.ExpiresAt.IsZero() {
		expires = formatTime(t.ExpiresAt)
	}
	id, err := tx.insertID(ctx, "INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		tokenHash, userID, t.Name, formatTime(t.CreatedAt), expires)
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	t.ID, t.UserID = id, userID
	return nil
}

const tokenColumns = "t.id, t.user_id, t.name, t.created_at, t.last_used_at, t.expires_at"

func scanToken(row interface{ Scan(...any) error }, extra ...any) (*assessment.APIToken, error) {
	var t assessment.APIToken
	var created, used, expires string
	if err := row.Scan(append([]any{&t.ID, &t.UserID, &t.Name, &created, &used, &expires}, extra...)...); err != nil {
		return nil, err
	}
	var err1, err2, err3 error
	t.CreatedAt, err1 = parseTime(created)
	t.LastUsedAt, err2 = parseTime(used)
	t.ExpiresAt, err3 = parseTime(expires)
	return &t, errors.Join(err1, err2, err3)
}

// APITokens lists the API tokens of user userID, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]assessment.APIToken, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens t WHERE t.user_id = ? ORDER BY t.id DESC", userID)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	defer rows.Close()
	var out []assessment.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list api tokens: %w", err)
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// APIToken returns the API token id of user userID.
func (db *DB) APIToken(ctx context.Context, userID, id int64) (*assessment.APIToken, error) {
	t, err := scanToken(db.read.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens t WHERE t.id = ? AND t.user_id = ?", id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrNoToken
	}
	if err != nil {
		return nil, fmt.Errorf("find api token: %w", err)
	}
	return t, nil
}

// APITokenByID returns API token id whoever owns it, for the operator's command line.
func (db *DB) APITokenByID(ctx context.Context, id int64) (*assessment.APIToken, error) {
	t, err := scanToken(db.read.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens t WHERE t.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrNoToken
	}
	if err != nil {
		return nil, fmt.Errorf("find api token: %w", err)
	}
	return t, nil
}

// RevokeAPIToken deletes API token id of user userID: the next request that sends it is
// refused.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM api_tokens WHERE id = ? AND user_id = ?", id, userID)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return assessment.ErrNoToken
	}
	return tx.Commit()
}

// APITokenUser returns the member whose API token hashes to tokenHash: EUNAUTHORIZED with
// MsgTokenInvalid for an unknown (or revoked) token, MsgTokenExpired for an expired one. It
// records the use when the last one recorded is older than assessment.TokenUseResolution,
// so a busy script costs a write a minute, not one a request.
func (db *DB) APITokenUser(ctx context.Context, tokenHash string) (*assessment.User, error) {
	var t assessment.APIToken
	var used, expires string
	u, err := scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+", t.id, t.last_used_at, t.expires_at"+
		" FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN workspaces w ON w.id = u.workspace_id WHERE t.token_hash = ?", tokenHash),
		&t.ID, &used, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.NewError(assessment.EUNAUTHORIZED, assessment.MsgTokenInvalid, nil)
	}
	var err1, err2 error
	t.LastUsedAt, err1 = parseTime(used)
	t.ExpiresAt, err2 = parseTime(expires)
	if err = errors.Join(err, err1, err2); err != nil {
		return nil, fmt.Errorf("find api token: %w", err)
	}
	// A suspended workspace's tokens are not valid while it is: 401, with the reason.
	if u.Suspended {
		return nil, assessment.NewError(assessment.EUNAUTHORIZED, assessment.MsgWorkspaceSuspended, nil)
	}
	now := db.Now()
	if t.Expired(now) {
		return nil, assessment.NewError(assessment.EUNAUTHORIZED, assessment.MsgTokenExpired, nil)
	}
	if t.UseDue(now) {
		if err := db.touchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// touchAPIToken records a use of token id at now, unless a concurrent request recorded one
// within the resolution meanwhile.
func (db *DB) touchAPIToken(ctx context.Context, id int64, now time.Time) error {
	if _, err := db.write.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND last_used_at <= ?",
		formatTime(now), id, formatTime(now.Add(-assessment.TokenUseResolution))); err != nil {
		return fmt.Errorf("record api token use: %w", err)
	}
	return nil
}

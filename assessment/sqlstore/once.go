package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file keeps the keys of requests that must take effect once (assessment.Once; the
// table once_keys, migrations/*/0011_once_devices.sql).

// OnceResponse returns the response stored for once's key in its scope: nil when the key is
// unknown (or older than assessment.OnceTTL). When the key was used with another request it
// returns the first response with assessment.ErrOnceMismatch, so a page can still lead to what
// the key created; an API must not show it. A Once without RequestHash only looks the key up.
func (db *DB) OnceResponse(ctx context.Context, once *assessment.Once) (*assessment.OnceResponse, error) {
	return onceResponse(ctx, db.read, once, db.Now().Add(-assessment.OnceTTL))
}

func onceResponse(ctx context.Context, q queryer, once *assessment.Once, since time.Time) (*assessment.OnceResponse, error) {
	var reqHash string
	var r assessment.OnceResponse
	err := q.QueryRowContext(ctx, "SELECT request_hash, status, location, body FROM once_keys WHERE scope = ? AND key_hash = ? AND created_at > ?",
		once.Scope, once.KeyHash, formatTime(since)).Scan(&reqHash, &r.Status, &r.Location, &r.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("once: %w", err)
	}
	if once.RequestHash != "" && reqHash != once.RequestHash {
		return &r, assessment.ErrOnceMismatch
	}
	return &r, nil
}

// onceCreated names what the first request of a key created, so that the key goes when it
// goes.
type onceCreated struct {
	assessmentID, participantID int64
}

// claimOnceTx stores once's key with the first response inside tx, the transaction that
// creates what the response names, after deleting keys older than assessment.OnceTTL. It
// reports false when the key is there already (a repeat that raced this one and committed
// first): the caller must roll back and answer with OnceResponse. On PostgreSQL a repeat
// running at the same time waits here for the first transaction and then finds its key.
func (db *DB) claimOnceTx(ctx context.Context, tx *Tx, once *assessment.Once, resp assessment.OnceResponse, created onceCreated) (bool, error) {
	now := db.Now()
	if _, err := tx.ExecContext(ctx, "DELETE FROM once_keys WHERE created_at <= ?", formatTime(now.Add(-assessment.OnceTTL))); err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO once_keys (scope, key_hash, request_hash, status, location, body, created_at, assessment_id, participant_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key_hash) DO NOTHING`,
		once.Scope, once.KeyHash, once.RequestHash, resp.Status, resp.Location, nonNilBytes(resp.Body), formatTime(now),
		nullID(created.assessmentID), nullID(created.participantID))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// nonNilBytes stores an empty body as an empty value, not NULL.
func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// replayOnce reads the first response of once after a transaction found its key taken.
func (db *DB) replayOnce(ctx context.Context, once *assessment.Once) (*assessment.OnceResponse, error) {
	r, err := onceResponse(ctx, db.write, once, db.Now().Add(-assessment.OnceTTL))
	if err == nil && r == nil {
		return nil, fmt.Errorf("once: key %s taken but not found", once.Scope)
	}
	return r, err
}

package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// This file keeps the failures the rate limits count (auth.FailureStore); see
// migrations/0005_security.sql.

// Failures returns the times of the failures of key in scope at or after since, oldest
// first.
func (db *DB) Failures(ctx context.Context, scope, key string, since time.Time) ([]time.Time, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT at FROM limit_failures WHERE scope = ? AND key = ? AND at >= ? ORDER BY at",
		scope, key, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("failures: %w", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("failures: %w", err)
		}
		at, err := parseTime(s)
		if err != nil {
			return nil, fmt.Errorf("failures: %w", err)
		}
		out = append(out, at)
	}
	return out, rows.Err()
}

// AddFailure records a failure of key in scope at time at and, in the same transaction,
// deletes the failures of scope at or before forget.
func (db *DB) AddFailure(ctx context.Context, scope, key string, at, forget time.Time) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add failure: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM limit_failures WHERE scope = ? AND at <= ?", scope, formatTime(forget)); err != nil {
		return fmt.Errorf("add failure: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO limit_failures (scope, key, at) VALUES (?, ?, ?)", scope, key, formatTime(at)); err != nil {
		return fmt.Errorf("add failure: %w", err)
	}
	return tx.Commit()
}

// ClearFailures forgets the failures of key in scope.
func (db *DB) ClearFailures(ctx context.Context, scope, key string) error {
	if _, err := db.write.ExecContext(ctx, "DELETE FROM limit_failures WHERE scope = ? AND key = ?", scope, key); err != nil {
		return fmt.Errorf("clear failures: %w", err)
	}
	return nil
}

// PruneFailures deletes the failures of every scope at or before before, and returns how many.
// A scope's old failures also go whenever a new one is recorded, but a key that never fails
// again would otherwise stay: serve calls this regularly with the longest window of the limits.
func (db *DB) PruneFailures(ctx context.Context, before time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, "DELETE FROM limit_failures WHERE at <= ?", formatTime(before))
	if err != nil {
		return 0, fmt.Errorf("prune failures: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// retentionBatch is how many results one transaction of RemoveOlderThan deletes: the write
// lock is given back between batches, so tests being submitted wait milliseconds, not for
// the whole run. A variable so that a test can make batches small.
var retentionBatch = 200

// RemoveOlderThan deletes what a retention period allows no longer to keep (see
// assessment/retention.go): five-minute test results taken before cutoff and the
// participants of workshop rounds closed before cutoff, with their answers and their places
// in the benchmark pool (a client's entry is brought in line with its remaining rounds,
// scored with q) and in release snapshots. It returns what it removed. Results go in batches, each in a transaction of
// its own with its pool entries; a failure leaves earlier batches deleted and reports them.
func (db *DB) RemoveOlderThan(ctx context.Context, q *assessment.Questionnaire, cutoff time.Time) (assessment.Removed, error) {
	var out assessment.Removed
	for {
		n, pooled, err := db.removeResultBatch(ctx, cutoff)
		out.Results += n
		out.PoolEntries += pooled
		if err != nil {
			return out, fmt.Errorf("retention: results: %w", err)
		}
		if n < retentionBatch {
			break
		}
	}
	n, pooled, err := db.removeOldParticipants(ctx, q, cutoff)
	out.Participants += n
	out.PoolEntries += pooled
	if err != nil {
		return out, fmt.Errorf("retention: participants: %w", err)
	}
	if out.Results+out.Participants > 0 {
		db.erased(ctx)
	}
	return out, nil
}

// poolCount counts the companies in the pool inside tx.
func poolCount(ctx context.Context, tx *Tx) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pool_companies").Scan(&n)
	return n, err
}

// removeResultBatch deletes up to retentionBatch results taken before cutoff, and returns how
// many, and how many pool entries left with them.
func (db *DB) removeResultBatch(ctx context.Context, cutoff time.Time) (removed, pooled int, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT id FROM assessments WHERE created_at < ? ORDER BY created_at LIMIT ?",
		formatTime(cutoff), retentionBatch)
	if err != nil {
		return 0, 0, err
	}
	var batch []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, 0, err
		}
		batch = append(batch, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(batch) == 0 {
		return 0, 0, err
	}
	before, err := poolCount(ctx, tx)
	if err != nil {
		return 0, 0, err
	}
	for _, id := range batch {
		if err := deleteAssessmentTx(ctx, tx, id); err != nil {
			return 0, 0, err
		}
	}
	after, err := poolCount(ctx, tx)
	if err != nil {
		return 0, 0, err
	}
	if err := bumpResultGenerationTx(ctx, tx); err != nil {
		return 0, 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	return len(batch), before - after, nil
}

// removeOldParticipants deletes the participants of rounds closed before cutoff, and brings
// the pool entries of their clients in line, in one transaction. It returns how many
// participants it deleted and how many pool entries left.
func (db *DB) removeOldParticipants(ctx context.Context, q *assessment.Questionnaire, cutoff time.Time) (removed, pooled int, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	type client struct{ ws, id int64 }
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT r.workspace_id, r.client_id FROM rounds r
		WHERE r.closed_at <> '' AND r.closed_at < ? AND EXISTS (SELECT 1 FROM participants p WHERE p.round_id = r.id)`, formatTime(cutoff))
	if err != nil {
		return 0, 0, err
	}
	var clients []client
	for rows.Next() {
		var c client
		if err := rows.Scan(&c.ws, &c.id); err != nil {
			rows.Close()
			return 0, 0, err
		}
		clients = append(clients, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(clients) == 0 {
		return 0, 0, err
	}
	before, err := poolCount(ctx, tx)
	if err != nil {
		return 0, 0, err
	}
	old := "SELECT id FROM rounds WHERE closed_at <> '' AND closed_at < ?"
	// The rounds' answers change: their revision tells caches of their dashboards so. Their
	// publications hold copies of the answers, which go too (an empty one that counts as
	// stored: the round shows nothing).
	changed, err := tx.QueryContext(ctx, "UPDATE rounds SET revision = revision + 1, published = '', published_seq = published_seq + 1 WHERE id IN ("+old+") AND id IN (SELECT round_id FROM participants) RETURNING id, revision", formatTime(cutoff))
	if err != nil {
		return 0, 0, err
	}
	var bumped []roundChange
	for changed.Next() {
		var c roundChange
		if err := changed.Scan(&c.Round, &c.Revision); err != nil {
			changed.Close()
			return 0, 0, err
		}
		bumped = append(bumped, c)
	}
	changed.Close()
	if err := changed.Err(); err != nil {
		return 0, 0, err
	}
	for _, c := range bumped {
		if err := tx.roundChanged(ctx, c); err != nil {
			return 0, 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM participant_answers WHERE participant_id IN (SELECT id FROM participants WHERE round_id IN ("+old+"))", formatTime(cutoff)); err != nil {
		return 0, 0, err
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM participants WHERE round_id IN ("+old+")", formatTime(cutoff))
	if err != nil {
		return 0, 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, 0, err
	}
	for _, c := range clients {
		if err := syncPoolTx(ctx, tx, q, c.ws, c.id); err != nil {
			return 0, 0, err
		}
	}
	// Release snapshots hold the clients' entries of those rounds too (their entries are
	// dated when the round closed): erase them with their answers.
	if err := eraseSnapshotTx(ctx, tx, "key LIKE 'client:%' AND at < ?", formatTime(cutoff)); err != nil {
		return 0, 0, err
	}
	after, err := poolCount(ctx, tx)
	if err != nil {
		return 0, 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	return int(n), before - after, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Sides of bench_metrics.side.
const (
	sideAsIs = 0
	sideToBe = 1
)

// The pool (pool_companies) holds only companies an attacker cannot create in bulk:
// consultants' clients, five-minute tests the operator verified, and synthetic demo companies.
// Nothing reads it to show a page: releases (release.go) are made from snapshots of it.

// upsertPoolTx puts e in the pool inside tx in place of the company's entry, when
// assessment.PoolEntry.Replaces says it should, and reports whether it did.
func upsertPoolTx(ctx context.Context, tx *Tx, e assessment.PoolEntry) (bool, error) {
	old, err := poolEntryTx(ctx, tx, e.Key)
	switch {
	case errors.Is(err, errNoPoolEntry):
	case err != nil:
		return false, err
	case !e.Replaces(old):
		return false, nil
	}
	asIs, _ := json.Marshal(e.AsIs)
	toBe, _ := json.Marshal(e.ToBe)
	if _, err := tx.ExecContext(ctx, `INSERT INTO pool_companies (key, version, industry, size, nps_years, country, synthetic, at, as_is, to_be, source_id, workspace)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET version = excluded.version, industry = excluded.industry, size = excluded.size,
			nps_years = excluded.nps_years, country = excluded.country, synthetic = excluded.synthetic,
			at = excluded.at, as_is = excluded.as_is, to_be = excluded.to_be, source_id = excluded.source_id,
			workspace = excluded.workspace`,
		e.Key, e.QuestionnaireVersion, e.Profile.Industry, e.Profile.Size, e.Profile.NPSYears, e.Profile.Country,
		e.Synthetic, e.At.UTC().Format(timeFormat), string(asIs), string(toBe), e.Source, e.Profile.Workspace); err != nil {
		return false, err
	}
	return true, bumpGenerationTx(ctx, tx)
}

// removePoolTx takes the company with key out of the pool inside tx; an absent key is fine.
// With erase, the company's rows in release snapshots are erased too (eraseSnapshotTx): it
// is leaving for good (deleted, consent withdrawn), not for a while (a round re-opened).
func removePoolTx(ctx context.Context, tx *Tx, key string, erase bool) error {
	res, err := tx.ExecContext(ctx, "DELETE FROM pool_companies WHERE key = ?", key)
	if err != nil {
		return err
	}
	if erase {
		if err := eraseSnapshotTx(ctx, tx, "key = ? AND key <> ''", key); err != nil {
			return err
		}
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return bumpGenerationTx(ctx, tx)
}

// eraseSnapshotTx erases the snapshot rows matching where (with args) down to what the next
// release must know to count the company as one that left: its atom and profile. Its key,
// source and answers go.
func eraseSnapshotTx(ctx context.Context, tx *Tx, where string, args ...any) error {
	_, err := tx.ExecContext(ctx, "UPDATE bench_snapshot SET key = '', source_id = 0, as_is = NULL, to_be = NULL WHERE "+where, args...)
	return err
}

var errNoPoolEntry = errors.New("no pool entry")

// bumpGenerationTx records inside tx that the pool changed.
func bumpGenerationTx(ctx context.Context, tx *Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE pool_generation SET generation = generation + 1 WHERE id = 1")
	return err
}

// PoolGeneration returns a number that changes whenever the pool changes, in this process or
// any other writing the same file: a release is attempted again only when it has changed.
func (db *DB) PoolGeneration(ctx context.Context) (int64, error) {
	return db.generation(ctx, "pool_generation")
}

// generation reads the counter of table (pool_generation, result_generation).
func (db *DB) generation(ctx context.Context, table string) (int64, error) {
	var g int64
	if err := db.read.QueryRowContext(ctx, "SELECT generation FROM "+table+" WHERE id = 1").Scan(&g); err != nil {
		return 0, fmt.Errorf("%s: %w", table, err)
	}
	return g, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// poolColumns are the columns poolEntryTx and liveEntries read, in their order.
const poolColumns = "key, version, industry, size, nps_years, country, synthetic, at, as_is, to_be, source_id, workspace"

func poolEntryTx(ctx context.Context, q queryer, key string) (assessment.PoolEntry, error) {
	var e assessment.PoolEntry
	var at, asIs, toBe string
	err := q.QueryRowContext(ctx, `SELECT `+poolColumns+` FROM pool_companies WHERE key = ?`, key).
		Scan(&e.Key, &e.QuestionnaireVersion, &e.Profile.Industry, &e.Profile.Size,
			&e.Profile.NPSYears, &e.Profile.Country, &e.Synthetic, &at, &asIs, &toBe, &e.Source, &e.Profile.Workspace)
	if errors.Is(err, sql.ErrNoRows) {
		return e, errNoPoolEntry
	}
	if err != nil {
		return e, err
	}
	if e.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
		return e, fmt.Errorf("pool entry %q: at: %w", key, err)
	}
	if err := json.Unmarshal([]byte(asIs), &e.AsIs); err != nil {
		return e, fmt.Errorf("pool entry %q: as_is: %w", key, err)
	}
	if err := json.Unmarshal([]byte(toBe), &e.ToBe); err != nil {
		return e, fmt.Errorf("pool entry %q: to_be: %w", key, err)
	}
	return e, nil
}

// PoolEntry returns the pool entry of the company with key, and false when it has none.
func (db *DB) PoolEntry(ctx context.Context, key string) (assessment.PoolEntry, bool, error) {
	e, err := poolEntryTx(ctx, db.read, key)
	if errors.Is(err, errNoPoolEntry) {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("pool entry: %w", err)
	}
	return e, true, nil
}

// AddSynthetic bulk-loads demo companies into the pool in one transaction.
func (db *DB) AddSynthetic(ctx context.Context, entries []assessment.PoolEntry) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add demo companies: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO pool_companies (key, version, industry, size, nps_years, country, synthetic, at, as_is, to_be)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("add demo companies: %w", err)
	}
	defer ins.Close()
	for _, e := range entries {
		if !e.Synthetic {
			return fmt.Errorf("add demo companies: entry %q is not marked synthetic", e.Key)
		}
		asIs, _ := json.Marshal(e.AsIs)
		toBe, _ := json.Marshal(e.ToBe)
		if _, err := ins.ExecContext(ctx, e.Key, e.QuestionnaireVersion, e.Profile.Industry, e.Profile.Size, e.Profile.NPSYears,
			e.Profile.Country, e.At.UTC().Format(timeFormat), string(asIs), string(toBe)); err != nil {
			return fmt.Errorf("add demo company %q: %w", e.Key, err)
		}
	}
	if err := bumpGenerationTx(ctx, tx); err != nil {
		return fmt.Errorf("add demo companies: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add demo companies: %w", err)
	}
	return nil
}

// RemoveSynthetic deletes every demo company, and returns how many it removed. Real companies
// are untouched.
func (db *DB) RemoveSynthetic(ctx context.Context) (int, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("remove demo companies: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM pool_companies WHERE synthetic = 1")
	if err != nil {
		return 0, fmt.Errorf("remove demo companies: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := bumpGenerationTx(ctx, tx); err != nil {
		return 0, fmt.Errorf("remove demo companies: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("remove demo companies: %w", err)
	}
	return int(n), nil
}

// VerifyAssessment puts the five-minute test with id into the benchmark pool: the operator has
// checked that it comes from the company it names (docs/privacy.md), which an anonymous test
// alone cannot show. q scores it (assessment.Questionnaire.VerifiedTestEntry). It reports
// whether the test entered the pool: one without consent or on another questionnaire version
// does not, nor one whose company has a later result in the pool already. An unknown id is
// ENOTFOUND.
func (db *DB) VerifyAssessment(ctx context.Context, q *assessment.Questionnaire, id int64) (bool, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("verify assessment: %w", err)
	}
	defer tx.Rollback()
	a, err := assessmentTx(ctx, tx, "id = ?", id)
	if err != nil {
		return false, fmt.Errorf("verify assessment: %w", err)
	}
	e, ok := q.VerifiedTestEntry(a)
	if !ok {
		return false, nil
	}
	entered, err := upsertPoolTx(ctx, tx, e)
	if err != nil {
		return false, fmt.Errorf("verify assessment: %w", err)
	}
	return entered, tx.Commit()
}

// UnverifyAssessment takes the five-minute test with id out of the benchmark pool again, and
// erases it from release snapshots. It reports whether it was in the pool.
func (db *DB) UnverifyAssessment(ctx context.Context, id int64) (bool, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("unverify assessment: %w", err)
	}
	defer tx.Rollback()
	var key string
	err = tx.QueryRowContext(ctx, "SELECT key FROM pool_companies WHERE source_id = ? AND source_id <> 0", id).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("unverify assessment: %w", err)
	}
	if err := removePoolTx(ctx, tx, key, false); err != nil {
		return false, fmt.Errorf("unverify assessment: %w", err)
	}
	if err := eraseSnapshotTx(ctx, tx, "source_id = ? AND source_id <> 0", id); err != nil {
		return false, fmt.Errorf("unverify assessment: %w", err)
	}
	return true, tx.Commit()
}

// PendingAssessments lists, oldest first, the five-minute tests on questionnaire version whose
// respondents consented to the benchmark, that are not in the pool and that no operator
// rejected (RejectAssessment): what the operator may verify. Their ratings are not read.
func (db *DB) PendingAssessments(ctx context.Context, version string) ([]assessment.Assessment, error) {
	return db.testProfiles(ctx, "pending assessments", version, `SELECT id, created_at, company_name, company_industry, company_size, company_country, company_nps_years, verified_domain
		FROM assessments a WHERE benchmark_consent = 1 AND questionnaire_version = ?
			AND pool_rejected_at = '' AND NOT EXISTS (SELECT 1 FROM pool_companies p WHERE p.source_id = a.id AND p.source_id <> 0)
		ORDER BY created_at, id`, version)
}

// testProfiles reads consenting five-minute tests of version by query, which selects id,
// created_at, the company's profile and verified_domain, in that order: what the operator
// sees of a test (its ratings are never read). what names the read in errors.
func (db *DB) testProfiles(ctx context.Context, what, version, query string, args ...any) ([]assessment.Assessment, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []assessment.Assessment
	for rows.Next() {
		a := assessment.Assessment{QuestionnaireVersion: version, BenchmarkConsent: true}
		var created string
		if err := rows.Scan(&a.ID, &created, &a.Company.Name, &a.Company.Industry, &a.Company.Size, &a.Company.Country, &a.Company.NPSYears, &a.VerifiedDomain); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if a.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SyntheticCount returns how many demo companies are in the pool.
func (db *DB) SyntheticCount(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM pool_companies WHERE synthetic = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("count demo companies: %w", err)
	}
	return n, nil
}

// PoolSize returns how many companies are in the live pool, demo companies included: the
// count an operator (or a copy to another database) checks the pool's consistency by.
func (db *DB) PoolSize(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM pool_companies").Scan(&n); err != nil {
		return 0, fmt.Errorf("count pool companies: %w", err)
	}
	return n, nil
}

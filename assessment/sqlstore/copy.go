package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// copyTables lists every table of the store in an order that satisfies the foreign keys (a
// table after the tables it references; a retake after the result it follows, by id), with
// the identity column PostgreSQL must continue from ("" when none). battle_events keeps
// SQLite's implicit rowid, by which its rows are ordered.
var copyTables = []struct{ name, identity string }{
	{"workspaces", "id"},
	{"users", "id"},
	{"sessions", ""},
	{"devices", ""},
	{"api_tokens", "id"},
	{"clients", "id"},
	{"assessments", "id"},
	{"answers", ""},
	{"email_domains", ""},
	{"verification_requests", "id"},
	{"rounds", "id"},
	{"participants", "id"},
	{"participant_answers", ""},
	{"participant_drafts", ""},
	{"battles", "id"},
	{"battle_events", "rowid"},
	{"round_notes", ""},
	{"team_rounds", ""},
	{"team_invitations", "id"},
	{"limit_failures", ""},
	{"once_keys", ""},
	{"pool_companies", ""},
	{"pool_generation", ""},
	{"result_generation", ""},
	{"bench_releases", "id"},
	{"bench_snapshot", ""},
	{"bench_contents", "id"},
	{"bench_metrics", ""},
	{"bench_release_groups", ""},
	{"bench_lines", ""},
	{"bench_history", "id"},
}

// singletons are the tables whose one row the schema creates: copying updates it.
var singletons = map[string]bool{"pool_generation": true, "result_generation": true}

// TableCount is how many rows a table holds.
type TableCount struct {
	Table string
	Rows  int
}

// CopyTo copies every row of db, a SQLite store, into dst, an empty PostgreSQL store with the
// same schema version, in one transaction of dst's: on any error nothing is left in dst. It
// refuses a dst that holds any row. Afterwards it checks that every table has as many rows
// in dst as in db and that the benchmark pool is the same company by company, and returns
// the tables' row counts. db should not be written to meanwhile (stop the program first).
func (db *DB) CopyTo(ctx context.Context, dst *DB) ([]TableCount, error) {
	if db.engine != sqliteEngine || dst.engine != postgresEngine {
		return nil, errors.New("copy: from a SQLite database to a PostgreSQL one only")
	}
	src, err := db.schemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if v, err := dst.schemaVersion(ctx); err != nil || v != src {
		return nil, fmt.Errorf("copy: schema versions differ (SQLite %d, PostgreSQL %d, %v)", src, v, err)
	}
	if err := dst.checkEmpty(ctx); err != nil {
		return nil, err
	}

	rtx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // one snapshot of it all
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	defer rtx.Rollback()
	wtx, err := dst.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	defer wtx.Rollback()
	var counts []TableCount
	for _, t := range copyTables {
		n, err := copyTable(ctx, rtx, wtx, t.name, t.identity)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.name, err)
		}
		counts = append(counts, TableCount{t.name, n})
		if t.identity != "" {
			// Ids were copied; new rows continue after the largest.
			if _, err := wtx.ExecContext(ctx, fmt.Sprintf(
				"SELECT setval(pg_get_serial_sequence('%s', '%s'), coalesce((SELECT max(%s) FROM %s), 0) + 1, false)",
				t.name, t.identity, t.identity, t.name)); err != nil {
				return nil, fmt.Errorf("copy %s: continue its ids: %w", t.name, err)
			}
		}
	}
	for _, c := range counts {
		var n int
		if err := wtx.QueryRowContext(ctx, "SELECT count(*) FROM "+c.Table).Scan(&n); err != nil {
			return nil, err
		}
		if n != c.Rows {
			return nil, fmt.Errorf("copy %s: %d rows read, %d in PostgreSQL", c.Table, c.Rows, n)
		}
	}
	want, err := poolDigest(ctx, rtx)
	if err != nil {
		return nil, err
	}
	got, err := poolDigest(ctx, wtx)
	if err != nil {
		return nil, err
	}
	if got != want {
		return nil, errors.New("copy: the benchmark pool differs after the copy")
	}
	if err := wtx.Commit(); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	return counts, nil
}

// schemaVersion is the newest migration applied.
func (db *DB) schemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// checkEmpty fails unless no table holds a row (but the singletons' own).
func (db *DB) checkEmpty(ctx context.Context) error {
	var full []string
	for _, t := range copyTables {
		var n int
		if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM "+t.name).Scan(&n); err != nil {
			return err
		}
		if n > 1 || (n == 1 && !singletons[t.name]) {
			full = append(full, fmt.Sprintf("%s (%d rows)", t.name, n))
		}
	}
	var gen int64
	if err := db.read.QueryRowContext(ctx, "SELECT generation FROM pool_generation WHERE id = 1").Scan(&gen); err != nil {
		return err
	}
	if gen != 0 {
		full = append(full, "pool_generation (changed)")
	}
	if len(full) > 0 {
		return fmt.Errorf("copy: the PostgreSQL database is not empty: %s; copy into a new database", strings.Join(full, ", "))
	}
	return nil
}

// copyTable copies every row of table from src to dst and returns how many.
func copyTable(ctx context.Context, src, dst *Tx, table, identity string) (int, error) {
	cols := "*"
	if identity == "rowid" {
		cols = "rowid, *"
	}
	rows, err := src.QueryContext(ctx, "SELECT "+cols+" FROM "+table+" ORDER BY 1")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	var insert string
	if singletons[table] {
		insert = fmt.Sprintf("UPDATE %s SET generation = ? WHERE id = ?", table)
	} else {
		insert = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(names, ", "),
			strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", "))
	}
	stmt, err := dst.PrepareContext(ctx, insert)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		args := vals
		if singletons[table] {
			args = []any{vals[1], vals[0]} // columns id, generation
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, rows.Err()
}

// poolDigest summarises the live benchmark pool, company by company, and the releases that
// pages read, so that two databases can be compared.
func poolDigest(ctx context.Context, tx *Tx) ([32]byte, error) {
	h := sha256.New()
	rows, err := tx.QueryContext(ctx, `SELECT key, version, industry, size, nps_years, country, synthetic, at, as_is, to_be, source_id, workspace
		FROM pool_companies ORDER BY key`)
	if err != nil {
		return [32]byte{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var key, version, industry, size, nps, country, at, asIs, toBe, ws string
		var synthetic, source int64
		if err := rows.Scan(&key, &version, &industry, &size, &nps, &country, &synthetic, &at, &asIs, &toBe, &source, &ws); err != nil {
			return [32]byte{}, err
		}
		fmt.Fprintf(h, "%q %q %q %q %q %q %d %q %q %q %d %q\n", key, version, industry, size, nps, country, synthetic, at, asIs, toBe, source, ws)
	}
	if err := rows.Err(); err != nil {
		return [32]byte{}, err
	}
	var gen int64
	var releases, metrics int
	var sum float64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT generation FROM pool_generation WHERE id = 1),
		(SELECT count(*) FROM bench_releases), (SELECT count(*) FROM bench_metrics), (SELECT coalesce(sum(sum), 0) FROM bench_metrics)`).
		Scan(&gen, &releases, &metrics, &sum); err != nil {
		return [32]byte{}, err
	}
	fmt.Fprintf(h, "generation %d releases %d metrics %d sum %.6f\n", gen, releases, metrics, sum)
	var d [32]byte
	copy(d[:], h.Sum(nil))
	return d, nil
}

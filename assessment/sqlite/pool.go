package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Sides of pool_hist.side.
const (
	sideAsIs = 0
	sideToBe = 1
)

// histogramDelta adds n (+1 or -1) to pool_hist for every group, side and metric of e. A
// removal is an UPDATE rather than an upsert: SQLite checks count >= 0 on the row an upsert
// would insert before it looks for the conflict.
func histogramDelta(ctx context.Context, tx *sql.Tx, e assessment.PoolEntry, n int) error {
	query := `INSERT INTO pool_hist (version, synthetic, dim, dim_value, side, metric, value, count)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1)
		ON CONFLICT DO UPDATE SET count = count + 1`
	if n < 0 {
		query = `UPDATE pool_hist SET count = count - 1 WHERE version = ? AND synthetic = ? AND dim = ?
			AND dim_value = ? AND side = ? AND metric = ? AND value = ?`
	}
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, g := range assessment.GroupsOf(e.Profile) {
		for side, values := range [][]int64{e.AsIs, e.ToBe} {
			for m, v := range values {
				if _, err := stmt.ExecContext(ctx, e.QuestionnaireVersion, e.Synthetic, g.Group, g.Value, side, m, v); err != nil {
					return err
				}
			}
		}
	}
	if n < 0 {
		// Keep the table as small as the live distributions, so reads never grow with churn.
		if _, err := tx.ExecContext(ctx, "DELETE FROM pool_hist WHERE version = ? AND synthetic = ? AND count = 0",
			e.QuestionnaireVersion, e.Synthetic); err != nil {
			return err
		}
	}
	return nil
}

// upsertPoolTx puts e in the pool inside tx in place of the company's entry (and its share of
// the distributions) when assessment.PoolEntry.Replaces says it should.
func upsertPoolTx(ctx context.Context, tx *sql.Tx, e assessment.PoolEntry) error {
	old, err := poolEntryTx(ctx, tx, e.Key)
	switch {
	case errors.Is(err, errNoPoolEntry):
	case err != nil:
		return err
	default:
		if !e.Replaces(old) {
			return nil
		}
		if err := histogramDelta(ctx, tx, old, -1); err != nil {
			return err
		}
	}
	asIs, _ := json.Marshal(e.AsIs)
	toBe, _ := json.Marshal(e.ToBe)
	if _, err := tx.ExecContext(ctx, `INSERT INTO pool_companies (key, version, industry, size, nps_years, country, synthetic, at, as_is, to_be)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET version = excluded.version, industry = excluded.industry, size = excluded.size,
			nps_years = excluded.nps_years, country = excluded.country, synthetic = excluded.synthetic,
			at = excluded.at, as_is = excluded.as_is, to_be = excluded.to_be`,
		e.Key, e.QuestionnaireVersion, e.Profile.Industry, e.Profile.Size, e.Profile.NPSYears, e.Profile.Country,
		e.Synthetic, e.At.UTC().Format(timeFormat), string(asIs), string(toBe)); err != nil {
		return err
	}
	if err := histogramDelta(ctx, tx, e, 1); err != nil {
		return err
	}
	return bumpGenerationTx(ctx, tx)
}

// removePoolTx takes the company with key out of the pool inside tx; an absent key is fine.
func removePoolTx(ctx context.Context, tx *sql.Tx, key string) error {
	old, err := poolEntryTx(ctx, tx, key)
	if errors.Is(err, errNoPoolEntry) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := histogramDelta(ctx, tx, old, -1); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, "DELETE FROM pool_companies WHERE key = ?", key); err != nil {
		return err
	}
	return bumpGenerationTx(ctx, tx)
}

var errNoPoolEntry = errors.New("no pool entry")

// bumpGenerationTx records inside tx that the pool changed.
func bumpGenerationTx(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE pool_generation SET generation = generation + 1 WHERE id = 1")
	return err
}

// PoolGeneration returns a number that changes whenever the pool changes, in this process or
// any other writing the same file. Caches of pool-derived data are valid while it is equal.
func (db *DB) PoolGeneration(ctx context.Context) (int64, error) {
	var g int64
	if err := db.read.QueryRowContext(ctx, "SELECT generation FROM pool_generation WHERE id = 1").Scan(&g); err != nil {
		return 0, fmt.Errorf("pool generation: %w", err)
	}
	return g, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func poolEntryTx(ctx context.Context, q queryer, key string) (assessment.PoolEntry, error) {
	var e assessment.PoolEntry
	var at, asIs, toBe string
	err := q.QueryRowContext(ctx, `SELECT key, version, industry, size, nps_years, country, synthetic, at, as_is, to_be
		FROM pool_companies WHERE key = ?`, key).Scan(&e.Key, &e.QuestionnaireVersion, &e.Profile.Industry, &e.Profile.Size,
		&e.Profile.NPSYears, &e.Profile.Country, &e.Synthetic, &at, &asIs, &toBe)
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

// PeerPool returns the distributions of every metric (metrics of them) for one peer group
// of one questionnaire version. Synthetic companies count only when withSynthetic is set.
// It reads the maintained histograms: its cost depends on the number of distinct values,
// not on the number of companies.
//
// Pools are cached by pool generation: while nothing changed, a group costs one tiny read.
// Callers must not modify the returned distributions (PeerPool.Without copies).
func (db *DB) PeerPool(ctx context.Context, version, group, value string, metrics int, withSynthetic bool) (assessment.PeerPool, error) {
	if db.NoPoolCache {
		return db.readPeerPool(ctx, version, group, value, metrics, withSynthetic)
	}
	gen, err := db.PoolGeneration(ctx)
	if err != nil {
		return assessment.PeerPool{}, err
	}
	key := poolKey{version, group, value, metrics, withSynthetic}
	db.poolMu.Lock()
	c, ok := db.pools[key]
	db.poolMu.Unlock()
	if ok && c.generation == gen {
		return c.pool, nil
	}
	p, err := db.readPeerPool(ctx, version, group, value, metrics, withSynthetic)
	if err != nil {
		return p, err
	}
	db.poolMu.Lock()
	if db.pools == nil || len(db.pools) > maxCachedPools {
		db.pools = map[poolKey]cachedPool{}
	}
	db.pools[key] = cachedPool{generation: gen, pool: p}
	db.poolMu.Unlock()
	return p, nil
}

// maxCachedPools bounds the cache; there are only a few dozen groups per questionnaire version.
const maxCachedPools = 1024

type poolKey struct {
	version, group, value string
	metrics               int
	synthetic             bool
}

type cachedPool struct {
	generation int64
	pool       assessment.PeerPool
}

func (db *DB) readPeerPool(ctx context.Context, version, group, value string, metrics int, withSynthetic bool) (assessment.PeerPool, error) {
	p := assessment.PeerPool{AsIs: make([]assessment.Distribution, metrics), ToBe: make([]assessment.Distribution, metrics)}
	// One row per side and metric, its values and counts packed by SQLite: scanning a row
	// through database/sql costs far more than parsing a few numbers, and this keeps the
	// number of rows fixed (2 × metrics) however many distinct values the pool holds.
	rows, err := db.read.QueryContext(ctx, `SELECT side, metric, max(synthetic), group_concat(value || ' ' || count, ' ')
		FROM pool_hist
		WHERE version = ? AND dim = ? AND dim_value = ? AND (synthetic = 0 OR ?) AND count > 0
		GROUP BY side, metric`, version, group, value, withSynthetic)
	if err != nil {
		return p, fmt.Errorf("peer pool: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var synthetic bool
		var side, metric int
		var packed string
		if err := rows.Scan(&side, &metric, &synthetic, &packed); err != nil {
			return p, fmt.Errorf("peer pool: %w", err)
		}
		if metric < 0 || metric >= metrics {
			continue // a metric this questionnaire does not have
		}
		if synthetic {
			p.Synthetic = true
		}
		d := &p.AsIs[metric]
		if side != sideAsIs {
			d = &p.ToBe[metric]
		}
		if err := unpack(d, packed); err != nil {
			return p, fmt.Errorf("peer pool: side %d metric %d: %w", side, metric, err)
		}
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("peer pool: %w", err)
	}
	return p, nil
}

// unpack adds "value count value count …" pairs to d. Values arrive sorted, so each pair
// appends (a value present in both real and demo rows is merged by Add).
func unpack(d *assessment.Distribution, packed string) error {
	fields := strings.Fields(packed)
	if len(fields)%2 != 0 {
		return fmt.Errorf("odd number of fields in %q", packed)
	}
	for i := 0; i < len(fields); i += 2 {
		v, err := strconv.ParseInt(fields[i], 10, 64)
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(fields[i+1])
		if err != nil {
			return err
		}
		d.Add(v, n)
	}
	return nil
}

// AddSynthetic bulk-loads demo companies into the pool in one transaction. Their histograms
// are summed in memory first, so loading 100,000 companies writes each distinct value once.
func (db *DB) AddSynthetic(ctx context.Context, entries []assessment.PoolEntry) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add demo companies: %w", err)
	}
	defer tx.Rollback()
	type histKey struct {
		version, dim, value string
		side, metric        int
		v                   int64
	}
	hist := map[histKey]int{}
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
		for _, g := range assessment.GroupsOf(e.Profile) {
			for side, values := range [][]int64{e.AsIs, e.ToBe} {
				for m, v := range values {
					hist[histKey{e.QuestionnaireVersion, g.Group, g.Value, side, m, v}]++
				}
			}
		}
	}
	up, err := tx.PrepareContext(ctx, `INSERT INTO pool_hist (version, synthetic, dim, dim_value, side, metric, value, count)
		VALUES (?, 1, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count`)
	if err != nil {
		return fmt.Errorf("add demo companies: %w", err)
	}
	defer up.Close()
	for k, n := range hist {
		if _, err := up.ExecContext(ctx, k.version, k.dim, k.value, k.side, k.metric, k.v, n); err != nil {
			return fmt.Errorf("add demo companies: %w", err)
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

// RemoveSynthetic deletes every demo company and its share of the distributions, and returns
// how many companies it removed. Real companies are untouched.
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
	if _, err := tx.ExecContext(ctx, "DELETE FROM pool_hist WHERE synthetic = 1"); err != nil {
		return 0, fmt.Errorf("remove demo companies: %w", err)
	}
	if err := bumpGenerationTx(ctx, tx); err != nil {
		return 0, fmt.Errorf("remove demo companies: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("remove demo companies: %w", err)
	}
	return int(n), nil
}

// SyntheticCount returns how many demo companies are in the pool.
func (db *DB) SyntheticCount(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM pool_companies WHERE synthetic = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("count demo companies: %w", err)
	}
	return n, nil
}

// PoolGroups returns the size of every peer group of a questionnaire version that has at
// least one company, so an overview can offer only the groups that may be shown.
func (db *DB) PoolGroups(ctx context.Context, version string, withSynthetic bool) ([]assessment.PeerGroupSize, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT dim, dim_value, sum(count) FROM pool_hist
		WHERE version = ? AND side = 0 AND metric = 0 AND (synthetic = 0 OR ?)
		GROUP BY dim, dim_value HAVING sum(count) > 0 ORDER BY dim, dim_value`, version, withSynthetic)
	if err != nil {
		return nil, fmt.Errorf("pool groups: %w", err)
	}
	defer rows.Close()
	var out []assessment.PeerGroupSize
	for rows.Next() {
		var g assessment.PeerGroupSize
		if err := rows.Scan(&g.Group, &g.Value, &g.Companies); err != nil {
			return nil, fmt.Errorf("pool groups: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

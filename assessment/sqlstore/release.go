package sqlstore

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores and reads benchmark releases (assessment/release.go). A release is made by
// one transaction that re-checks, just before it commits, that no other process made one in
// the meantime and that the pool did not change since it was planned: however many instances
// share the database, a release happens once. A release and the statistics in it never change
// after it is committed, so readers cache them by id.

// ReleaseStatus returns what a reader needs to know to tell whether a release is due for the
// pool of questionnaire version, with demo companies or without: the latest release, the pool
// generation and the generation the last attempt planned from. It is one small read.
func (db *DB) ReleaseStatus(ctx context.Context, version string, demo bool) (assessment.ReleaseStatus, error) {
	s, err := releaseStatus(ctx, db.read, version, demo)
	if err != nil {
		return s, fmt.Errorf("release status: %w", err)
	}
	return s, nil
}

func releaseStatus(ctx context.Context, q queryer, version string, demo bool) (assessment.ReleaseStatus, error) {
	var s assessment.ReleaseStatus
	var madeAt string
	err := q.QueryRowContext(ctx, `SELECT g.generation,
			coalesce((SELECT attempted FROM bench_lines WHERE version = ?1 AND demo = ?2), -1),
			coalesce(r.id, 0), coalesce(r.made_at, '')
		FROM pool_generation g
		LEFT JOIN (SELECT id, made_at FROM bench_releases WHERE version = ?1 AND demo = ?2 ORDER BY id DESC LIMIT 1) r ON TRUE
		WHERE g.id = 1`, version, demo).Scan(&s.Generation, &s.Attempted, &s.Latest, &madeAt)
	if err != nil {
		return s, err
	}
	if madeAt != "" {
		if s.MadeAt, err = parseTime(madeAt); err != nil {
			return s, err
		}
	}
	return s, nil
}

// MakeRelease plans the next release of the pool of q's version (with demo companies when
// demo is set) by assessment.PlanRelease and, if the plan publishes anything, stores it: the
// snapshot of the pool, the new statistics with their noise drawn from noise, and the groups
// kept from the latest release. It reports whether it made a release. The attempt is recorded
// either way, so that an unchanged pool is not planned again. Whether a release is due
// (assessment.ReleaseStatus.Due) is the caller's question.
func (db *DB) MakeRelease(ctx context.Context, q *assessment.Questionnaire, demo bool, noise assessment.NoiseSource) (bool, error) {
	made, err := db.makeRelease(ctx, q, demo, noise)
	if err != nil {
		return false, fmt.Errorf("make release: %w", err)
	}
	return made, nil
}

func (db *DB) makeRelease(ctx context.Context, q *assessment.Questionnaire, demo bool, noise assessment.NoiseSource) (bool, error) {
	st, err := releaseStatus(ctx, db.read, q.Version, demo)
	if err != nil {
		return false, err
	}
	// The pool may change while the plan is made, outside the write lock (a large pool takes
	// a while to read): the transaction below commits only if the generation is still st's.
	in, err := db.planInput(ctx, st, q.Version, demo)
	if err != nil {
		return false, err
	}
	live, members, byGroup, last, kept, previous := in.live, in.members, in.byGroup, in.last, in.kept, in.previous
	plan := assessment.PlanRelease(members, last, previous)
	if !plan.Publishes() {
		return false, db.recordAttempt(ctx, q.Version, demo, st)
	}
	groups := make([]assessment.PeerGroup, 0, len(plan))
	for g := range plan {
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b assessment.PeerGroup) int {
		return strings.Compare(a.Group+"\x00"+a.Value, b.Group+"\x00"+b.Value)
	})
	// The noise of every new group is drawn here, once; it is stored with the release and
	// never drawn again for it. Groups of the same companies (all companies of one industry,
	// say, which are also all of one size band) get the same figures, noise included: two
	// independent draws of one group's statistics would let a reader average the noise down.
	pools := map[assessment.PeerGroup]assessment.PeerPool{}
	bySet := map[string]assessment.PeerPool{}
	for _, g := range groups {
		if plan[g] != assessment.Publish {
			continue
		}
		var set strings.Builder
		for _, e := range byGroup[g] {
			set.WriteString(strconv.FormatUint(e.Atom(), 36))
			set.WriteByte(' ')
		}
		p, ok := bySet[set.String()]
		if !ok {
			p = q.PublishPool(byGroup[g], noise)
			bySet[set.String()] = p
		}
		pools[g] = p
	}

	if db.afterPlan != nil {
		db.afterPlan()
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	now, err := releaseStatus(ctx, tx, q.Version, demo)
	if err != nil {
		return false, err
	}
	if now.Generation != st.Generation || now.Latest != st.Latest {
		// Another process released, or the pool changed: this plan is stale. The next reader
		// finds the release due again if it still is.
		return false, nil
	}
	madeAt := db.Now()
	id, err := tx.insertID(ctx, "INSERT INTO bench_releases (version, demo, made_at) VALUES (?, ?, ?)", q.Version, demo, formatTime(madeAt))
	if err != nil {
		return false, err
	}
	if err := insertSnapshot(ctx, tx, id, live, members); err != nil {
		return false, err
	}
	for _, g := range groups {
		switch plan[g] {
		case assessment.Publish:
			content, err := insertContent(ctx, tx, id, g, pools[g])
			if err != nil {
				return false, err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO bench_release_groups (release_id, content_id, visible) VALUES (?, ?, 1)", id, content); err != nil {
				return false, err
			}
			if p, ok := q.HistoryPoint(g, pools[g], madeAt); ok {
				if err := insertHistory(ctx, tx, q.Version, demo, g, p); err != nil {
					return false, err
				}
			}
		case assessment.Carry, assessment.Withdraw:
			if _, err := tx.ExecContext(ctx, "INSERT INTO bench_release_groups (release_id, content_id, visible) VALUES (?, ?, ?)",
				id, kept[g].Content, plan[g] == assessment.Carry); err != nil {
				return false, err
			}
		}
	}
	if err := upsertAttemptTx(ctx, tx, q.Version, demo, st.Generation); err != nil {
		return false, err
	}
	if err := pruneReleasesTx(ctx, tx, q.Version, demo, id); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// insertHistory keeps what a release published of group g for the benchmark over time.
func insertHistory(ctx context.Context, tx *Tx, version string, demo bool, g assessment.PeerGroup, p assessment.HistoryPoint) error {
	asIs, _ := json.Marshal(p.AsIs)
	toBe, _ := json.Marshal(p.ToBe)
	_, err := tx.ExecContext(ctx, `INSERT INTO bench_history (version, demo, released_at, dim, dim_value, companies, as_is, to_be)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, version, demo, formatTime(p.ReleasedAt), g.Group, g.Value, p.Companies, string(asIs), string(toBe))
	return err
}

// BenchmarkHistory returns what the releases of the pool of version (with demo companies or
// without) published of public peer group g, oldest first: one point per release that
// published new figures for it. A release that kept the group's figures adds no point.
func (db *DB) BenchmarkHistory(ctx context.Context, version string, demo bool, g assessment.PeerGroup) ([]assessment.HistoryPoint, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT released_at, companies, as_is, to_be FROM bench_history
		WHERE version = ? AND demo = ? AND dim = ? AND dim_value = ? ORDER BY released_at, id`, version, demo, g.Group, g.Value)
	if err != nil {
		return nil, fmt.Errorf("benchmark history: %w", err)
	}
	defer rows.Close()
	var out []assessment.HistoryPoint
	for rows.Next() {
		var p assessment.HistoryPoint
		var at, asIs, toBe string
		if err := rows.Scan(&at, &p.Companies, &asIs, &toBe); err != nil {
			return nil, fmt.Errorf("benchmark history: %w", err)
		}
		if p.ReleasedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("benchmark history: %w", err)
		}
		if err := json.Unmarshal([]byte(asIs), &p.AsIs); err != nil {
			return nil, fmt.Errorf("benchmark history: %w", err)
		}
		if err := json.Unmarshal([]byte(toBe), &p.ToBe); err != nil {
			return nil, fmt.Errorf("benchmark history: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// recordAttempt records that the pool at st's generation was planned and gave no release.
func (db *DB) recordAttempt(ctx context.Context, version string, demo bool, st assessment.ReleaseStatus) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now, err := releaseStatus(ctx, tx, version, demo)
	if err != nil {
		return err
	}
	if now.Generation != st.Generation || now.Latest != st.Latest {
		return nil
	}
	if err := upsertAttemptTx(ctx, tx, version, demo, st.Generation); err != nil {
		return err
	}
	return tx.Commit()
}

func upsertAttemptTx(ctx context.Context, tx *Tx, version string, demo bool, generation int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO bench_lines (version, demo, attempted) VALUES (?, ?, ?)
		ON CONFLICT (version, demo) DO UPDATE SET attempted = excluded.attempted`, version, demo, generation)
	return err
}

// liveEntries reads the pool a release of version is made from: real companies, and
// synthetic ones too when demo is set.
func (db *DB) liveEntries(ctx context.Context, version string, demo bool) ([]assessment.PoolEntry, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+poolColumns+" FROM pool_companies WHERE version = ? AND (synthetic = 0 OR ? = 1) ORDER BY key",
		version, demo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assessment.PoolEntry
	for rows.Next() {
		var e assessment.PoolEntry
		var at, asIs, toBe string
		if err := rows.Scan(&e.Key, &e.QuestionnaireVersion, &e.Profile.Industry, &e.Profile.Size, &e.Profile.NPSYears,
			&e.Profile.Country, &e.Synthetic, &at, &asIs, &toBe, &e.Source, &e.Profile.Workspace); err != nil {
			return nil, err
		}
		if err := decodeEntry(&e, at, asIs, toBe); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// decodeEntry fills in e's time and values from their stored text.
func decodeEntry(e *assessment.PoolEntry, at, asIs, toBe string) error {
	var err error
	if e.At, err = parseTime(at); err != nil {
		return fmt.Errorf("pool entry %q: at: %w", e.Key, err)
	}
	if err := json.Unmarshal([]byte(asIs), &e.AsIs); err != nil {
		return fmt.Errorf("pool entry %q: as_is: %w", e.Key, err)
	}
	if err := json.Unmarshal([]byte(toBe), &e.ToBe); err != nil {
		return fmt.Errorf("pool entry %q: to_be: %w", e.Key, err)
	}
	return nil
}

// snapshotMembers reads the companies of release id's snapshot, erased ones included: they
// count as companies that left.
func (db *DB) snapshotMembers(ctx context.Context, id int64) ([]assessment.ReleaseMember, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT atom, key, industry, size, nps_years, workspace FROM bench_snapshot WHERE release_id = ?", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assessment.ReleaseMember
	for rows.Next() {
		var m assessment.ReleaseMember
		var atom int64
		var key string
		if err := rows.Scan(&atom, &key, &m.Profile.Industry, &m.Profile.Size, &m.Profile.NPSYears, &m.Profile.Workspace); err != nil {
			return nil, err
		}
		m.Atom = uint64(atom)
		m.Identity = assessment.Identity(key, m.Atom)
		out = append(out, m)
	}
	return out, rows.Err()
}

// insertSnapshot stores the pool a release is made from. Synthetic companies are stored
// without their answers: nobody views a result of theirs, so nothing is ever taken out of a
// comparison for them, and a large demo pool stays small.
func insertSnapshot(ctx context.Context, tx *Tx, id int64, live []assessment.PoolEntry, members []assessment.ReleaseMember) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO bench_snapshot (release_id, atom, key, source_id, at, industry, size, nps_years, synthetic, as_is, to_be, workspace)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, e := range live {
		var asIs, toBe any
		if !e.Synthetic {
			a, _ := json.Marshal(e.AsIs)
			b, _ := json.Marshal(e.ToBe)
			asIs, toBe = string(a), string(b)
		}
		if _, err := stmt.ExecContext(ctx, id, int64(members[i].Atom), e.Key, e.Source, formatTime(e.At),
			e.Profile.Industry, e.Profile.Size, e.Profile.NPSYears, e.Synthetic, asIs, toBe, e.Profile.Workspace); err != nil {
			return err
		}
	}
	return nil
}

// insertContent stores the statistics of group g computed from release id's snapshot.
func insertContent(ctx context.Context, tx *Tx, id int64, g assessment.PeerGroup, p assessment.PeerPool) (int64, error) {
	content, err := tx.insertID(ctx, "INSERT INTO bench_contents (release_id, dim, dim_value, companies, synthetic) VALUES (?, ?, ?, ?, ?)",
		id, g.Group, g.Value, p.Companies, p.Synthetic)
	if err != nil {
		return 0, err
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO bench_metrics (content_id, side, metric, hist, sum, at_or_below) VALUES (?, ?, ?, ?, ?, ?)")
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	for side, ms := range [][]assessment.PublishedMetric{sideAsIs: p.AsIs, sideToBe: p.ToBe} {
		for metric, m := range ms {
			if _, err := stmt.ExecContext(ctx, content, side, metric, packHist(m.Hist), m.Sum, packFloats(m.AtOrBelow)); err != nil {
				return 0, err
			}
		}
	}
	return content, nil
}

// pruneReleasesTx keeps, of the line's releases, only release id and what it refers to: the
// statistics it publishes or keeps, and the snapshots they were computed from.
func pruneReleasesTx(ctx context.Context, tx *Tx, version string, demo bool, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM bench_release_groups
		WHERE release_id IN (SELECT id FROM bench_releases WHERE version = ? AND demo = ? AND id < ?)`, version, demo, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM bench_contents WHERE id NOT IN (SELECT content_id FROM bench_release_groups)"); err != nil {
		return err
	}
	// A release goes with its snapshot (ON DELETE CASCADE) once no statistics refer to it.
	_, err := tx.ExecContext(ctx, `DELETE FROM bench_releases WHERE version = ? AND demo = ? AND id < ?
		AND id NOT IN (SELECT release_id FROM bench_contents)`, version, demo, id)
	return err
}

// Release returns release id with its groups. Releases never change, so they are cached.
func (db *DB) Release(ctx context.Context, id int64) (*assessment.Release, error) {
	if r, ok := db.releases.get(id); ok && !db.NoReleaseCache {
		return r.(*assessment.Release), nil
	}
	r, err := db.readRelease(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("release %d: %w", id, err)
	}
	db.releases.put(id, r)
	return r, nil
}

func (db *DB) readRelease(ctx context.Context, id int64) (*assessment.Release, error) {
	r := &assessment.Release{ID: id}
	var madeAt string
	if err := db.read.QueryRowContext(ctx, "SELECT made_at FROM bench_releases WHERE id = ?", id).Scan(&madeAt); err != nil {
		return nil, err
	}
	var err error
	if r.MadeAt, err = parseTime(madeAt); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.release_id, s.made_at, c.dim, c.dim_value, c.companies, c.synthetic, g.visible
		FROM bench_release_groups g
		JOIN bench_contents c ON c.id = g.content_id
		JOIN bench_releases s ON s.id = c.release_id
		WHERE g.release_id = ? ORDER BY c.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var rg assessment.ReleasedGroup
		var asOf string
		if err := rows.Scan(&rg.Content, &rg.Snapshot, &asOf, &rg.Group, &rg.Value, &rg.Companies, &rg.Synthetic, &rg.Visible); err != nil {
			return nil, err
		}
		if rg.AsOf, err = parseTime(asOf); err != nil {
			return nil, err
		}
		r.Groups = append(r.Groups, rg)
	}
	return r, rows.Err()
}

// ReleasePool returns the published statistics with id content (assessment.ReleasedGroup's
// Content), for q's metrics. They never change, so they are cached.
func (db *DB) ReleasePool(ctx context.Context, q *assessment.Questionnaire, content int64) (assessment.PeerPool, error) {
	if p, ok := db.pools.get(content); ok && !db.NoReleaseCache {
		return p.(assessment.PeerPool), nil
	}
	p, err := db.readPool(ctx, q, content)
	if err != nil {
		return p, fmt.Errorf("release statistics %d: %w", content, err)
	}
	db.pools.put(content, p)
	return p, nil
}

func (db *DB) readPool(ctx context.Context, q *assessment.Questionnaire, content int64) (assessment.PeerPool, error) {
	n := len(q.Metrics())
	p := assessment.PeerPool{AsIs: make([]assessment.PublishedMetric, n), ToBe: make([]assessment.PublishedMetric, n), Grid: q.Grid()}
	if err := db.read.QueryRowContext(ctx, "SELECT companies, synthetic FROM bench_contents WHERE id = ?", content).Scan(&p.Companies, &p.Synthetic); err != nil {
		return p, err
	}
	rows, err := db.read.QueryContext(ctx, "SELECT side, metric, hist, sum, at_or_below FROM bench_metrics WHERE content_id = ?", content)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var side, metric int
		var m assessment.PublishedMetric
		var hist string
		var atOrBelow sql.RawBytes // valid until the next row: decoded at once
		if err := rows.Scan(&side, &metric, &hist, &m.Sum, &atOrBelow); err != nil {
			return p, err
		}
		if metric < 0 || metric >= n {
			continue // a metric this questionnaire does not have
		}
		if err := unpackHist(&m.Hist, hist); err != nil {
			return p, fmt.Errorf("side %d metric %d: %w", side, metric, err)
		}
		if m.AtOrBelow, err = unpackFloats(atOrBelow); err != nil {
			return p, fmt.Errorf("side %d metric %d: %w", side, metric, err)
		}
		if side == sideAsIs {
			p.AsIs[metric] = m
		} else {
			p.ToBe[metric] = m
		}
	}
	return p, rows.Err()
}

// SnapshotEntry returns the entry release snapshot holds for this very company: the
// five-minute test with id source (when source is not 0), or the entry with key (when key is
// not ""; a client's). It returns nil when the snapshot does not hold it or has erased it.
func (db *DB) SnapshotEntry(ctx context.Context, snapshot, source int64, key string) (*assessment.PoolEntry, error) {
	// One query per kind of identity, each on its index: a query with both in an OR, or one
	// that lets SQLite pick the primary key for release_id (the unary + forbids it), reads the
	// whole snapshot, 100,000 rows of a large demo pool on every result page.
	where, arg := "source_id = ? AND source_id <> 0", any(source)
	switch {
	case source != 0:
	case key != "":
		where, arg = "key = ? AND key <> ''", key
	default:
		return nil, nil
	}
	var e assessment.PoolEntry
	var at, asIs, toBe string
	err := db.read.QueryRowContext(ctx, `SELECT key, source_id, at, industry, size, nps_years, synthetic, as_is, to_be, workspace FROM bench_snapshot
		WHERE `+where+` AND +release_id = ? AND as_is IS NOT NULL`, arg, snapshot).
		Scan(&e.Key, &e.Source, &at, &e.Profile.Industry, &e.Profile.Size, &e.Profile.NPSYears, &e.Synthetic, &asIs, &toBe, &e.Profile.Workspace)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot entry: %w", err)
	}
	if err := decodeEntry(&e, at, asIs, toBe); err != nil {
		return nil, fmt.Errorf("snapshot entry: %w", err)
	}
	return &e, nil
}

// packHist writes a distribution as "value count value count …".
func packHist(d assessment.Distribution) string {
	var b strings.Builder
	for i, v := range d.Values {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(v, 10))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(d.Counts[i]))
	}
	return b.String()
}

// unpackHist adds "value count value count …" pairs to d.
func unpackHist(d *assessment.Distribution, packed string) error {
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

// packFloats writes numbers as little-endian IEEE 754 doubles.
func packFloats(xs []float64) []byte {
	out := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(out[8*i:], math.Float64bits(x))
	}
	return out
}

func unpackFloats(packed []byte) ([]float64, error) {
	if len(packed)%8 != 0 {
		return nil, fmt.Errorf("%d bytes of doubles", len(packed))
	}
	out := make([]float64, len(packed)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(packed[8*i:]))
	}
	return out, nil
}

// planInput is what assessment.PlanRelease decides from, read from the live pool and the
// latest release: the next release (makeRelease) and the operator's preview of it
// (PoolHealth) read it the same way.
type planInput struct {
	live     []assessment.PoolEntry
	members  []assessment.ReleaseMember
	byGroup  map[assessment.PeerGroup][]assessment.PoolEntry
	last     map[assessment.PeerGroup][]assessment.ReleaseMember
	kept     map[assessment.PeerGroup]assessment.ReleasedGroup
	prev     *assessment.Release
	previous []assessment.ReleaseMember
}

func (db *DB) planInput(ctx context.Context, st assessment.ReleaseStatus, version string, demo bool) (*planInput, error) {
	live, err := db.liveEntries(ctx, version, demo)
	if err != nil {
		return nil, err
	}
	var prev *assessment.Release
	var previous []assessment.ReleaseMember
	last := map[assessment.PeerGroup][]assessment.ReleaseMember{}
	kept := map[assessment.PeerGroup]assessment.ReleasedGroup{}
	if st.Latest != 0 {
		if prev, err = db.readRelease(ctx, st.Latest); err != nil {
			return nil, err
		}
		members := map[int64][]assessment.ReleaseMember{}
		for _, rg := range prev.Groups {
			if _, ok := members[rg.Snapshot]; !ok {
				if members[rg.Snapshot], err = db.snapshotMembers(ctx, rg.Snapshot); err != nil {
					return nil, err
				}
			}
			var in []assessment.ReleaseMember
			for _, m := range members[rg.Snapshot] {
				if v, ok := assessment.GroupValue(rg.Group, m.Profile); ok && v == rg.Value {
					in = append(in, m)
				}
			}
			last[rg.PeerGroup], kept[rg.PeerGroup] = in, rg
		}
		if previous, err = db.snapshotMembers(ctx, st.Latest); err != nil {
			return nil, err
		}
		if previous == nil {
			previous = []assessment.ReleaseMember{} // a release of an empty pool is still a release
		}
	}
	members := make([]assessment.ReleaseMember, len(live))
	byGroup := map[assessment.PeerGroup][]assessment.PoolEntry{}
	for i, e := range live {
		members[i] = e.Member()
		for _, g := range assessment.GroupsOf(e.Profile) {
			byGroup[g] = append(byGroup[g], e)
		}
	}
	return &planInput{live: live, members: members, byGroup: byGroup, last: last, kept: kept, prev: prev, previous: previous}, nil
}

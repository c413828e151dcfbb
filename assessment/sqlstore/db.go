// Package sqlstore stores assessments in SQL, on one of two engines chosen by the database's
// name: a single SQLite file through modernc.org/sqlite, the default (a pure-Go driver, so the
// binary builds with CGO_ENABLED=0 and needs no database server), or PostgreSQL through pgx,
// for several instances of the program sharing one database. The queries are written once;
// engine.go adapts them, and each engine has its own numbered migrations.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// timeFormat is RFC 3339 in UTC with a fixed-width fraction: unlike time.RFC3339Nano, which
// drops trailing zeros, its text order is time order, so SQL can sort and compare it.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// DB is the store. It holds two pools on the same database: one the store writes through,
// one for reads. SQLite allows one writer at a time, and a single write connection queues
// writers in Go instead of letting them collide on the file lock, while reads run in parallel
// thanks to WAL. PostgreSQL's write transactions take one advisory lock (engine.go), which
// gives the same one-writer-at-a-time order across every instance on the database.
type DB struct {
	write  *pool
	read   *pool
	engine engine
	path   string // the SQLite file; empty on PostgreSQL
	dsn    string // the PostgreSQL URL, for the listening connection (changes.go); empty on SQLite

	// changes tells the rounds' changes to WatchRounds's watchers (changes.go).
	changes *watchers

	// Now returns the current time. Tests replace it to get predictable timestamps.
	Now func() time.Time

	// IntN draws the random numbers of participants' labels (0 ≤ x < n); tests replace it to
	// get predictable labels. Labels need no secrecy, only no order.
	IntN func(n int) int

	// NoReleaseCache makes Release and ReleasePool read the database every time. Benchmarks
	// set it to measure the uncached cost; the application leaves it off.
	NoReleaseCache bool

	// releases and pools cache releases and their statistics by id: they never change.
	releases, pools idCache

	// afterPlan, when set, runs between planning a release and the transaction that stores
	// it: tests use it to let another process release in between.
	afterPlan func()
}

// idCache is a small cache of values that never change once stored under their id. It is
// emptied when full: there are a few dozen live entries at a time.
type idCache struct {
	mu sync.Mutex
	m  map[int64]any
}

// maxCached bounds an idCache.
const maxCached = 1024

func (c *idCache) get(id int64) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[id]
	return v, ok
}

func (c *idCache) put(id int64, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[int64]any{}
	}
	c.m[id] = v
}

// IsPostgres reports whether name is a PostgreSQL connection URL (postgres:// or
// postgresql://) rather than the path of a SQLite file.
func IsPostgres(name string) bool {
	return strings.HasPrefix(name, "postgres://") || strings.HasPrefix(name, "postgresql://")
}

// Describe returns name fit for a log line: a PostgreSQL URL without its password.
func Describe(name string) string {
	if IsPostgres(name) {
		return redact(name)
	}
	return name
}

// Open opens the database name and brings its schema up to date: a PostgreSQL database when
// name is a postgres:// URL, else the SQLite file at that path (created if needed).
func Open(name string) (*DB, error) {
	if IsPostgres(name) {
		return openPostgres(name)
	}
	return openSQLite(name)
}

func newDB(e engine) *DB {
	return &DB{engine: e, Now: func() time.Time { return time.Now().UTC() }, IntN: rand.IntN, changes: newWatchers()}
}

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.engine.String() }

// Close closes both pools. On SQLite the last connection to close checkpoints the WAL into
// the file.
func (db *DB) Close() error {
	db.changes.stop()
	return errors.Join(db.read.Close(), db.write.Close())
}

// Ping checks that both pools can reach the database, for health checks: the read pool with
// a query that touches the file, the write pool by getting its single connection, which also
// reports a writer stuck for longer than ctx allows.
func (db *DB) Ping(ctx context.Context) error {
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// CheckSchema reports whether the schema is the one this program was built for: the
// migrations recorded in the file must be exactly the ones it embeds. Open applies the missing
// ones, so a difference means another program changed the file since: a newer one migrated it
// further (a deploy under way), or the file was replaced by an older copy. Either way this
// process may misread it, and a load balancer should send it no traffic (/readyz).
func (db *DB) CheckSchema(ctx context.Context) error {
	ms, err := db.engine.migrations()
	if err != nil {
		return err
	}
	rows, err := db.read.QueryContext(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	defer rows.Close()
	var applied []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		applied = append(applied, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	want := make([]int, len(ms))
	for i, m := range ms {
		want[i] = m.version
	}
	if !slices.Equal(applied, want) {
		return fmt.Errorf("schema has migrations %v applied, this program embeds %v", applied, want)
	}
	return nil
}

// Pools returns the read and the write pool, for monitoring only (their sql.DBStats on a
// metrics endpoint): every query goes through the store's methods.
func (db *DB) Pools() (read, write *sql.DB) { return db.read.DB, db.write.DB }

// migration is one embedded schema change, numbered by the prefix of its file name.
type migration struct {
	version int
	name    string
}

// migrations lists the engine's embedded migrations in version order. Numbers come from the
// file names (0001_init.sql is version 1) rather than their text order, and must be unique.
// Both engines number alike: PostgreSQL's history starts with one file for SQLite's first
// eight, and every later change is a file of the same number in each directory.
func (e engine) migrations() ([]migration, error) {
	dir := "migrations/" + e.String()
	names, err := fs.Glob(migrationFS, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		prefix, _, _ := strings.Cut(strings.TrimPrefix(name, dir+"/"), "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_'", name)
		}
		ms = append(ms, migration{version: v, name: name})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same number", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// migrate applies the migrations not yet recorded in schema_migrations, each in its own
// transaction together with its record, so a failed migration leaves no trace and a reopen
// applies nothing twice. A database migrated by a newer program is refused: its schema may
// be one this program misreads.
func (db *DB) migrate(ctx context.Context) error {
	if err := db.createMigrationTable(ctx); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	ms, err := db.engine.migrations()
	if err != nil {
		return err
	}
	var newest int
	if err := db.write.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&newest); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if len(ms) > 0 && newest > ms[len(ms)-1].version {
		return fmt.Errorf("schema version %d is newer than this program's %d", newest, ms[len(ms)-1].version)
	}
	for _, m := range ms {
		body, err := fs.ReadFile(migrationFS, m.name)
		if err != nil {
			return err
		}
		if err := db.migrateOne(ctx, m, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// createMigrationTable creates the table that records applied migrations, in a write
// transaction so that two instances starting at once on PostgreSQL do not both create it.
func (db *DB) createMigrationTable(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return err
	}
	return tx.Commit()
}

// applyTx applies migration m with body in tx unless it is recorded already, and records it.
// check, when not nil, runs after the body and before the record.
func (db *DB) applyTx(ctx context.Context, tx *Tx, m migration, body string, check func() error) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
		m.version, db.Now().UTC().Format(timeFormat)); err != nil {
		return err
	}
	return tx.Commit()
}

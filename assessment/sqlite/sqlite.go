// Package sqlite stores assessments in a single SQLite file through modernc.org/sqlite, a
// pure-Go driver, so the binary builds with CGO_ENABLED=0 and needs no database server.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Pragmas are per connection, so they live in the DSN and every pooled connection gets them.
// synchronous=FULL because an acknowledged answer must survive a power loss; _txlock=immediate
// takes the write lock at BEGIN, so a transaction waits for it (busy_timeout) instead of
// failing with "database is locked" when it later tries to write.
const writeParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_txlock=immediate"

// readParams leaves out _txlock (a reader must not take the write lock) and journal_mode (WAL
// is stored in the file by the write pool, which connects first), and sets query_only so that
// a write sent to the read pool by mistake fails instead of racing the single writer.
const readParams = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_query_only=1"

// timeFormat is RFC 3339 in UTC with a fixed-width fraction: unlike time.RFC3339Nano, which
// drops trailing zeros, its text order is time order, so SQL can sort and compare it.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// DB is the store. It holds two pools on the same file: SQLite allows one writer at a time,
// and a single write connection queues writers in Go instead of letting them collide on the
// file lock, while reads run in parallel on the read pool thanks to WAL.
type DB struct {
	write *sql.DB
	read  *sql.DB
	path  string

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

// Open opens (creating if needed) the database file at path and brings its schema up to date.
func Open(path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db := &DB{path: abs, Now: func() time.Time { return time.Now().UTC() }, IntN: rand.IntN}

	if db.write, err = sql.Open("sqlite", dsn(abs, writeParams)); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	// Connect and migrate before the read pool exists, so that its connections find the file
	// already in WAL mode and never need to write to it.
	if err := db.migrate(context.Background()); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}

	if db.read, err = sql.Open("sqlite", dsn(abs, readParams)); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	n := max(4, runtime.NumCPU())
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	return db, nil
}

// dsn builds a file: URI for an absolute path. The path is percent-encoded because SQLite
// reads '?' and '#' as the start of the query or fragment and decodes %HH escapes, so a
// file name containing them would otherwise open a different file.
func dsn(abs, params string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:/C:/dir/x.db
	}
	return "file:" + (&url.URL{Path: p}).EscapedPath() + "?" + params
}

// Close closes both pools. The last connection to close checkpoints the WAL into the file.
func (db *DB) Close() error {
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
	ms, err := migrations()
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
func (db *DB) Pools() (read, write *sql.DB) { return db.read, db.write }

// Backup writes a consistent copy of the live database to path with VACUUM INTO (copying the
// file could catch a write half-done, or miss what is still in the WAL). It fails if path
// exists and is not empty, so an earlier backup is never overwritten.
//
// It runs on a connection of its own: the read pool is query_only, which forbids VACUUM INTO,
// and the single write connection must stay free for submissions while a backup runs.
func (db *DB) Backup(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	_, statErr := os.Stat(abs)
	existed := !errors.Is(statErr, fs.ErrNotExist)

	conn, err := sql.Open("sqlite", dsn(db.path, "_pragma=busy_timeout(5000)"))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		// A half-written copy must not pass for a backup.
		if !existed {
			os.Remove(abs)
		}
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// migration is one embedded schema change, numbered by the prefix of its file name.
type migration struct {
	version int
	name    string
}

// migrations lists the embedded migrations in version order. Numbers come from the file names
// (0001_init.sql is version 1) rather than their text order, and must be unique.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		prefix, _, _ := strings.Cut(strings.TrimPrefix(name, "migrations/"), "_")
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
// applies nothing twice.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	// A file migrated by a newer binary may have a schema this one misreads: refuse it.
	var newest int
	if err := db.write.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&newest); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if len(ms) > 0 && newest > ms[len(ms)-1].version {
		return fmt.Errorf("schema version %d is newer than this program's %d", newest, ms[len(ms)-1].version)
	}
	for _, m := range ms {
		if err := db.migrateOne(ctx, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// foreignKeysOff is the first line of a migration that rebuilds a table other tables
// reference. SQLite's way to do that (https://www.sqlite.org/lang_altertable.html#otheralter)
// is with foreign keys off: with them on, dropping the old table would first delete its rows,
// and ON DELETE CASCADE would take every row that references them along. The pragma cannot
// change inside a transaction, so migrateOne sets it on the connection around the
// transaction, and checks every foreign key before it commits.
const foreignKeysOff = "-- migrate: foreign_keys off\n"

// migrateOne checks and applies m inside one immediate transaction, so two processes opening
// the same file at once cannot both apply it.
func (db *DB) migrateOne(ctx context.Context, m migration) error {
	body, err := fs.ReadFile(migrationFS, m.name)
	if err != nil {
		return err
	}
	// The write pool has one connection; holding it keeps the pragma and the transaction on
	// the same one.
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	fkOff := strings.HasPrefix(string(body), foreignKeysOff)
	if fkOff {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if fkOff {
		if err := checkForeignKeys(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
		m.version, db.Now().UTC().Format(timeFormat)); err != nil {
		return err
	}
	return tx.Commit()
}

// checkForeignKeys fails when any row references a row that does not exist.
func checkForeignKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("foreign key check: a row of %s (rowid %d) references a missing row of %s", table, rowid.Int64, parent)
	}
	return rows.Err()
}

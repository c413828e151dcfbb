package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Pragmas are per connection, so they live in the DSN and every pooled connection gets them.
// synchronous=FULL because an acknowledged answer must survive a power loss; _txlock=immediate
// takes the write lock at BEGIN, so a transaction waits for it (busy_timeout) instead of
// failing with "database is locked" when it later tries to write. secure_delete=ON overwrites
// what a DELETE removes with zeros, in the page that held it and in pages it frees: without it
// a deleted result (token, company, profile) stayed readable in the file's free space.
const writeParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=secure_delete(ON)&_txlock=immediate"

// readParams leaves out _txlock (a reader must not take the write lock) and journal_mode (WAL
// is stored in the file by the write pool, which connects first), and sets query_only so that
// a write sent to the read pool by mistake fails instead of racing the single writer.
const readParams = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_query_only=1"

// openSQLite opens (creating if needed) the database file at path and brings its schema up to
// date.
func openSQLite(path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db := newDB(sqliteEngine)
	db.path = abs

	w, err := sql.Open("sqlite", dsn(abs, writeParams))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	db.write = &pool{DB: w, engine: sqliteEngine, writes: true, changes: db.changes}
	// Connect and migrate before the read pool exists, so that its connections find the file
	// already in WAL mode and never need to write to it.
	if err := db.migrate(context.Background()); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}

	r, err := sql.Open("sqlite", dsn(abs, readParams))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	n := max(4, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.read = &pool{DB: r, engine: sqliteEngine}
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

// Backup writes a consistent copy of the live SQLite database to path with VACUUM INTO (copying the
// file could catch a write half-done, or miss what is still in the WAL). It fails if path
// exists and is not empty, so an earlier backup is never overwritten.
//
// It runs on a connection of its own: the read pool is query_only, which forbids VACUUM INTO,
// and the single write connection must stay free for submissions while a backup runs.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.engine != sqliteEngine {
		return errors.New("backup: loyalty backup copies a SQLite file; back PostgreSQL up with its own tools (pg_dump, or the provider's snapshots)")
	}
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

// foreignKeysOff is the first line of a migration that rebuilds a table other tables
// reference. SQLite's way to do that (https://www.sqlite.org/lang_altertable.html#otheralter)
// is with foreign keys off: with them on, dropping the old table would first delete its rows,
// and ON DELETE CASCADE would take every row that references them along. The pragma cannot
// change inside a transaction, so migrateOne sets it on the connection around the
// transaction, and checks every foreign key before it commits.
const foreignKeysOff = "-- migrate: foreign_keys off\n"

// migrateOne checks and applies m inside one immediate transaction, so two processes opening
// the same file at once cannot both apply it.
func (db *DB) migrateOne(ctx context.Context, m migration, body string) error {
	if db.engine == postgresEngine {
		return db.migrateOnePostgres(ctx, m, body)
	}
	// The write pool has one connection; holding it keeps the pragma and the transaction on
	// the same one.
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	fkOff := strings.HasPrefix(body, foreignKeysOff)
	if fkOff {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &Tx{Tx: sqlTx, engine: sqliteEngine}
	defer tx.Rollback()
	var check func() error
	if fkOff {
		check = func() error { return checkForeignKeys(ctx, tx) }
	}
	return db.applyTx(ctx, tx, m, body, check)
}

// checkForeignKeys fails when any row references a row that does not exist.
func checkForeignKeys(ctx context.Context, tx *Tx) error {
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

// erased makes a deletion that has just committed leave no copy in the files. secure_delete
// zeroes the deleted rows in the pages the deletion writes, but in WAL mode those pages go to
// the -wal file first, and earlier frames of the -wal file may still hold the rows as they were
// written. A TRUNCATE checkpoint copies the zeroed pages into the database file and empties
// the -wal file. It waits (busy_timeout) for readers in the middle of a transaction; if one is
// still reading it gives up without an error, and the next deletion's checkpoint, or serve's
// regular one (Checkpoint), finishes the job. On PostgreSQL it does nothing: see
// docs/privacy.md for VACUUM.
func (db *DB) erased(ctx context.Context) {
	if db.engine != sqliteEngine {
		return
	}
	db.Checkpoint(ctx) // best effort: the deletion itself has been committed
}

// Checkpoint copies the SQLite write-ahead log into the database file and truncates it, so
// that the -wal file keeps no earlier version of a deleted row. It reports whether it could
// (false while a reader holds an old snapshot). On PostgreSQL it does nothing and reports
// true.
func (db *DB) Checkpoint(ctx context.Context) (bool, error) {
	if db.engine != sqliteEngine {
		return true, nil
	}
	var busy, frames, done int
	if err := db.write.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done); err != nil {
		return false, fmt.Errorf("checkpoint: %w", err)
	}
	return busy == 0, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Pool sizes on PostgreSQL, per instance. Writes take one advisory lock, so more than a few
// write connections would only wait for it; reads scale with the server.
const (
	postgresWriteConns = 4
	postgresReadConns  = 16
)

// openPostgres connects to the PostgreSQL database at url and brings its schema up to date.
// Several instances may do so at once: migrations take the write lock.
func openPostgres(dsn string) (*DB, error) {
	db := newDB(postgresEngine)
	w, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redact(dsn), err)
	}
	w.SetMaxOpenConns(postgresWriteConns)
	w.SetMaxIdleConns(postgresWriteConns)
	db.write = &pool{DB: w, engine: postgresEngine, writes: true, changes: db.changes}
	db.dsn = dsn
	if err := db.migrate(context.Background()); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", redact(dsn), err)
	}
	r, err := sql.Open("pgx", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", redact(dsn), err)
	}
	r.SetMaxOpenConns(postgresReadConns)
	r.SetMaxIdleConns(postgresReadConns)
	db.read = &pool{DB: r, engine: postgresEngine}
	return db, nil
}

// redact returns the URL without its password, for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unreadable postgres URL)"
	}
	return u.Redacted()
}

// migrateOnePostgres applies m in one write transaction: the write lock keeps two instances
// starting at once from both applying it, and PostgreSQL's DDL is transactional, so a failed
// migration leaves nothing behind.
func (db *DB) migrateOnePostgres(ctx context.Context, m migration, body string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return db.applyTx(ctx, tx, m, body, nil)
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

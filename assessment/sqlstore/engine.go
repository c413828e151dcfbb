package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// engine is the database behind the store. The store's queries are written once, in the
// SQL both engines understand, with SQLite's '?' placeholders; pool, Tx and Stmt adapt them
// to PostgreSQL where it differs.
type engine int

const (
	sqliteEngine engine = iota
	postgresEngine
)

// String names the engine, for messages and metrics.
func (e engine) String() string {
	if e == postgresEngine {
		return "postgres"
	}
	return "sqlite"
}

// rebound caches PostgreSQL's form of each query: the store runs a few hundred distinct
// queries, most of them many times.
var rebound sync.Map // string → string

// query returns q in the engine's placeholder syntax: PostgreSQL numbers its parameters
// ($1, $2, …) where SQLite takes '?'. A '?' inside a quoted string or identifier is text,
// not a parameter. A numbered parameter, ?NNN, keeps its number.
func (e engine) query(q string) string {
	if e != postgresEngine || !strings.Contains(q, "?") {
		return q
	}
	if r, ok := rebound.Load(q); ok {
		return r.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte // the quote we are inside, or 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			b.WriteByte('$')
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			if j > i+1 { // ?NNN, SQLite's numbered parameter, is PostgreSQL's $NNN
				b.WriteString(q[i+1 : j])
				i = j - 1
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
			continue
		}
		b.WriteByte(c)
	}
	r := b.String()
	rebound.Store(q, r)
	return r
}

// args adapts arguments to the engine. The schema keeps SQLite's flags, integers 0 and 1, on
// both engines (the same queries compare them with 0 and 1); SQLite's driver binds a Go bool
// as 0 or 1, PostgreSQL would refuse a bool for an integer column.
func (e engine) args(args []any) []any {
	if e != postgresEngine {
		return args
	}
	copied := false
	for i, a := range args {
		b, ok := a.(bool)
		if !ok {
			continue
		}
		if !copied { // the caller's slice is not ours to change
			args, copied = append([]any(nil), args...), true
		}
		args[i] = int64(0)
		if b {
			args[i] = int64(1)
		}
	}
	return args
}

// writeLock is the key of the PostgreSQL advisory lock every write transaction holds: the
// store writes one transaction at a time on either engine (SQLite allows no other), so a
// transaction that reads, decides and writes (the pool's histogram, a company's replacement,
// a round's revision, a release) sees no other writer's change between its read and its
// write, whichever instance that writer runs in. Readers never wait for it.
const writeLock = 7_126_905_319 // "LOYALTY" on a phone keypad, wide enough not to meet another application's key

// pool is one database/sql pool of the store, speaking the engine's dialect.
type pool struct {
	*sql.DB
	engine engine
	// writes is set on the pool the store writes through: on PostgreSQL its transactions
	// take writeLock.
	writes bool
	// changes hears of the rounds a committed write transaction changed (changes.go).
	changes *watchers
}

// ExecContext runs a statement outside a transaction. On PostgreSQL's write pool it runs
// inside one holding writeLock, like every other write.
func (p *pool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if p.engine == postgresEngine && p.writes {
		tx, err := p.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		return res, tx.Commit()
	}
	return p.DB.ExecContext(ctx, p.engine.query(q), p.engine.args(args)...)
}

// QueryContext runs a query outside a transaction.
func (p *pool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return p.DB.QueryContext(ctx, p.engine.query(q), p.engine.args(args)...)
}

// QueryRowContext runs a query that returns at most one row outside a transaction.
func (p *pool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return p.DB.QueryRowContext(ctx, p.engine.query(q), p.engine.args(args)...)
}

// BeginTx starts a transaction. On PostgreSQL a write transaction first takes writeLock,
// and a read-only one reads from one snapshot (REPEATABLE READ), as SQLite's readers do in
// WAL mode.
func (p *pool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	if p.engine == postgresEngine && opts != nil && opts.ReadOnly {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	t := &Tx{Tx: tx, engine: p.engine, changes: p.changes}
	if p.engine == postgresEngine && p.writes && (opts == nil || !opts.ReadOnly) {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(writeLock)); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	return t, nil
}

// Tx is a transaction of the store, speaking the engine's dialect.
type Tx struct {
	*sql.Tx
	engine engine
	// changed lists the rounds whose revision this transaction bumped, told to changes once
	// it commits (changes.go).
	changed []roundChange
	changes *watchers
}

// Commit commits the transaction, then tells the store's watchers of the rounds it changed.
func (t *Tx) Commit() error {
	if err := t.Tx.Commit(); err != nil {
		return err
	}
	if t.changes != nil {
		for _, c := range t.changed {
			t.changes.tell(c)
		}
	}
	return nil
}

// ExecContext runs a statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, t.engine.query(q), t.engine.args(args)...)
}

// QueryContext runs a query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, t.engine.query(q), t.engine.args(args)...)
}

// QueryRowContext runs a query that returns at most one row in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, t.engine.query(q), t.engine.args(args)...)
}

// insertID runs an INSERT of one row into a table with an id column and returns the new
// row's id (RETURNING, which both engines know; PostgreSQL's driver has no LastInsertId).
func (t *Tx) insertID(ctx context.Context, insert string, args ...any) (int64, error) {
	var id int64
	err := t.QueryRowContext(ctx, insert+" RETURNING id", args...).Scan(&id)
	return id, err
}

// PrepareContext prepares a statement for repeated use in the transaction.
func (t *Tx) PrepareContext(ctx context.Context, q string) (*Stmt, error) {
	s, err := t.Tx.PrepareContext(ctx, t.engine.query(q))
	if err != nil {
		return nil, err
	}
	return &Stmt{Stmt: s, engine: t.engine}, nil
}

// Stmt is a prepared statement of the store, taking arguments in the engine's form.
type Stmt struct {
	*sql.Stmt
	engine engine
}

// ExecContext runs the statement with args.
func (s *Stmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return s.Stmt.ExecContext(ctx, s.engine.args(args)...)
}

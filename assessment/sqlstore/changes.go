package sqlstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// This file tells the live screens of a round that it changed. Every transaction that bumps
// a round's revision (bumpRevisionTx) records the round and its new revision; once the
// transaction commits, the store's watchers hear of it in this process. On PostgreSQL the
// transaction also sends a NOTIFY, which the database delivers at commit to every instance
// on it: each instance holds one connection in LISTEN, reconnecting by itself, and tells its
// watchers too. A watcher may hear of one change twice (from its own commit, then from the
// database); revisions only grow, so it keeps the newest.

// roundsChannel is the SQL expression of the PostgreSQL notification channel of rounds'
// changes; the payload is "<round id>:<revision>". Channels are shared by the whole database
// while the store's tables live in a schema (the search_path of its URL), so the channel
// names the schema: two applications (or two tests) in two schemas of one database do not
// hear each other's rounds, whose ids and revisions are unrelated.
const roundsChannel = "'loyalty_rounds_' || left(md5(current_schema()), 16)"

// roundChange says that round Round is at revision Revision now.
type roundChange struct {
	Round, Revision int64
}

// watcher hears of the rounds' changes (WatchRounds).
type watcher struct {
	changed func(round, revision int64)
	lost    func()
}

// watchers are the store's watchers, and its listening connection on PostgreSQL.
type watchers struct {
	mu     sync.Mutex
	ws     map[int]watcher
	next   int
	cancel context.CancelFunc // stops the listening connection; nil when none runs
	done   chan struct{}
}

func newWatchers() *watchers { return &watchers{ws: map[int]watcher{}} }

func (w *watchers) tell(c roundChange) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, x := range w.ws {
		x.changed(c.Round, c.Revision)
	}
}

func (w *watchers) lost() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, x := range w.ws {
		if x.lost != nil {
			x.lost()
		}
	}
}

// stop ends the listening connection, if any, and waits for it.
func (w *watchers) stop() {
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.cancel = nil
	w.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// WatchRounds calls changed with each round's new revision until stop is called: for the
// changes committed through this store and, on PostgreSQL, those committed by any instance on
// the database. It calls lost (if not nil) when changes may have gone unheard: each time the
// listening connection to PostgreSQL (re)starts, since whatever was committed while it was
// down was not delivered; every round may have changed then. Both are called from the
// goroutine that committed (or the listening connection's) and must return quickly; one
// change may be told twice (this process's commit, then the database's notification).
//
// On PostgreSQL the first watcher starts the store's one listening connection, which runs
// until Close.
func (db *DB) WatchRounds(changed func(round, revision int64), lost func()) (stop func()) {
	w := watcher{changed: changed, lost: lost}
	ws := db.changes
	ws.mu.Lock()
	id := ws.next
	ws.next++
	ws.ws[id] = w
	if db.engine == postgresEngine && ws.cancel == nil {
		ctx, cancel := context.WithCancel(context.Background())
		ws.cancel, ws.done = cancel, make(chan struct{})
		go db.listen(ctx, ws.done)
	}
	ws.mu.Unlock()
	return func() {
		ws.mu.Lock()
		defer ws.mu.Unlock()
		delete(ws.ws, id)
	}
}

// roundChanged records c in tx, for the watchers once it commits; on PostgreSQL it also
// queues the notification that the other instances hear (delivered only if tx commits).
func (tx *Tx) roundChanged(ctx context.Context, c roundChange) error {
	tx.changed = append(tx.changed, c)
	if tx.engine != postgresEngine {
		return nil
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_notify("+roundsChannel+", ?)", formatChange(c))
	return err
}

func formatChange(c roundChange) string {
	return strconv.FormatInt(c.Round, 10) + ":" + strconv.FormatInt(c.Revision, 10)
}

func parseChange(s string) (roundChange, bool) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return roundChange{}, false
	}
	id, err1 := strconv.ParseInt(a, 10, 64)
	rev, err2 := strconv.ParseInt(b, 10, 64)
	return roundChange{Round: id, Revision: rev}, err1 == nil && err2 == nil
}

// Timings of the listening connection.
const (
	// listenCheck is how long the connection waits for a notification before it checks
	// that the database still answers: a connection that died without a word (a failover,
	// a dropped NAT entry) would otherwise wait forever.
	listenCheck = 30 * time.Second
	// listenRetryMin and listenRetryMax bound the wait before connecting again.
	listenRetryMin = 100 * time.Millisecond
	listenRetryMax = 5 * time.Second
)

// listen holds the store's listening connection until ctx ends, connecting again whenever
// it is lost; after each (re)connection the watchers are told that changes may have been
// missed.
func (db *DB) listen(ctx context.Context, done chan struct{}) {
	defer close(done)
	wait := listenRetryMin
	for ctx.Err() == nil {
		if err := db.listenOnce(ctx); err != nil && ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			wait = min(wait*2, listenRetryMax)
			continue
		}
		wait = listenRetryMin
	}
}

// errListenLost ends listenOnce when the database no longer answers on the connection.
var errListenLost = errors.New("listening connection lost")

// listenOnce connects, listens, and tells the watchers of every notification until the
// connection fails or ctx ends.
func (db *DB) listenOnce(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var channel string
	if err := conn.QueryRow(ctx, "SELECT "+roundsChannel).Scan(&channel); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	db.changes.lost()
	for {
		wctx, cancel := context.WithTimeout(ctx, listenCheck)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if !errors.Is(err, context.DeadlineExceeded) || conn.IsClosed() {
				return err
			}
			pctx, cancel := context.WithTimeout(ctx, listenCheck)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return errors.Join(errListenLost, err)
			}
			continue
		}
		if c, ok := parseChange(n.Payload); ok {
			db.changes.tell(c)
		}
	}
}

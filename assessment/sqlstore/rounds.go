package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores workshop rounds through their life — open, revealed, closed, re-opened —
// and keeps each consenting client's latest closed round in the benchmark pool.

var (
	errNoRound       = assessment.NewError(assessment.ENOTFOUND, assessment.MsgRoundNotFound, nil)
	errNoParticipant = assessment.NewError(assessment.ENOTFOUND, assessment.MsgParticipantNotFound, nil)
	errRoundClosed   = assessment.NewError(assessment.ECONFLICT, assessment.MsgRoundClosed, nil)
)

// newLinkCode returns the participant link's secret: 256 bits as 43 URL-safe characters.
func newLinkCode() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newShortCode returns ShortCodeLength symbols of the short-code alphabet from crypto/rand.
func newShortCode() string {
	b := make([]byte, assessment.ShortCodeLength)
	rand.Read(b)
	for i := range b {
		b[i] = assessment.ShortCodeAlphabet[b[i]&31] // 32 symbols: no modulo bias
	}
	return string(b)
}

// roundColumns are read by scanRound. A team round has no workspace or client (NULL), read
// as 0 (assessment.Round.IsTeam).
const roundColumns = "id, coalesce(workspace_id, 0), coalesce(client_id, 0), title, lang, questionnaire_version, code, short_code, revealed, opened_at, closed_at, deadline, revision, published, published_seq"

func scanRound(row interface{ Scan(...any) error }) (*assessment.Round, error) {
	var r assessment.Round
	var opened, closed, deadline, published string
	if err := row.Scan(&r.ID, &r.WorkspaceID, &r.ClientID, &r.Title, &r.Lang, &r.QuestionnaireVersion, &r.Code, &r.ShortCode, &r.Revealed, &opened, &closed, &deadline, &r.Revision,
		&published, &r.Published.Seq); err != nil {
		return nil, err
	}
	var err1, err2, err3, err4 error
	r.OpenedAt, err1 = parseTime(opened)
	r.ClosedAt, err2 = parseTime(closed)
	r.Deadline, err3 = parseTime(deadline)
	err4 = decodePublication(published, &r.Published)
	return &r, errors.Join(err1, err2, err3, err4)
}

func findRound(ctx context.Context, q queryer, where string, args ...any) (*assessment.Round, error) {
	r, err := scanRound(q.QueryRowContext(ctx, "SELECT "+roundColumns+" FROM rounds WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoRound
	}
	if err != nil {
		return nil, fmt.Errorf("find round: %w", err)
	}
	return r, nil
}

// bumpRevisionTx records inside tx that something a live view of round id shows changed,
// and that the round's streams are to hear of it once tx commits (changes.go).
func bumpRevisionTx(ctx context.Context, tx *Tx, id int64) error {
	var rev int64
	if tx.engine == postgresEngine {
		// The notification goes in the same statement: every round trip inside a write
		// transaction holds the write lock that the other instances' writes wait for.
		var sent string
		if err := tx.QueryRowContext(ctx, "UPDATE rounds SET revision = revision + 1 WHERE id = ? RETURNING revision, pg_notify("+roundsChannel+", id || ':' || revision)::text", id).Scan(&rev, &sent); err != nil {
			return err
		}
		tx.changed = append(tx.changed, roundChange{Round: id, Revision: rev})
		return nil
	}
	if err := tx.QueryRowContext(ctx, "UPDATE rounds SET revision = revision + 1 WHERE id = ? RETURNING revision", id).Scan(&rev); err != nil {
		return err
	}
	return tx.roundChanged(ctx, roundChange{Round: id, Revision: rev})
}

// CreateRound opens r (validated by Questionnaire.NewRound) for client clientID of workspace
// wsID, with a fresh link code and a short code unique among open rounds. The client's open
// Must Win Battles of its previous round are carried into it (assessment.CarryOver), keeping
// their history. It sets r's ID, codes and times.
func (db *DB) CreateRound(ctx context.Context, wsID, clientID int64, r *assessment.Round) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM clients WHERE id = ? AND workspace_id = ?", clientID, wsID).Scan(&n); err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	if n == 0 {
		return errNoClient
	}
	var carried []assessment.Battle
	prev, err := findRound(ctx, tx, "workspace_id = ? AND client_id = ? ORDER BY opened_at DESC, id DESC LIMIT 1", wsID, clientID)
	switch {
	case errors.Is(err, errNoRound):
	case err != nil:
		return fmt.Errorf("create round: %w", err)
	default:
		bs, err := battlesTx(ctx, tx, prev.ID)
		if err != nil {
			return fmt.Errorf("create round: %w", err)
		}
		carried = assessment.CarryOver(bs)
	}
	code := newLinkCode()
	short, err := freeShortCode(ctx, tx)
	if err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	id, err := tx.insertID(ctx, `INSERT INTO rounds (workspace_id, client_id, title, lang, questionnaire_version, code, short_code, revealed, opened_at, closed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, '')`, wsID, clientID, r.Title, r.Lang, r.QuestionnaireVersion, code, short, formatTime(now))
	if err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	for i := range carried {
		if err := insertBattleTx(ctx, tx, id, &carried[i], now); err != nil {
			return fmt.Errorf("create round: carry over battles: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	r.ID, r.WorkspaceID, r.ClientID, r.Code, r.ShortCode, r.OpenedAt, r.ClosedAt, r.Revealed = id, wsID, clientID, code, short, now, time.Time{}, false
	return nil
}

// freeShortCode draws a short code no open round uses. 40 bits collide with another open
// round about never; it looks anyway.
func freeShortCode(ctx context.Context, tx *Tx) (string, error) {
	for range 5 {
		short := newShortCode()
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM rounds WHERE short_code = ? AND closed_at = ''", short).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return short, nil
		}
	}
	return "", errors.New("no free short code after 5 tries")
}

// Round returns round id of workspace wsID.
func (db *DB) Round(ctx context.Context, wsID, id int64) (*assessment.Round, error) {
	return findRound(ctx, db.read, "id = ? AND workspace_id = ?", id, wsID)
}

// RoundByCode returns the round whose participant link carries code, open or closed.
func (db *DB) RoundByCode(ctx context.Context, code string) (*assessment.Round, error) {
	if code == "" {
		return nil, errNoRound
	}
	return findRound(ctx, db.read, "code = ?", code)
}

// OpenRoundByShortCode returns the open round with the given (normalized) short code.
func (db *DB) OpenRoundByShortCode(ctx context.Context, short string) (*assessment.Round, error) {
	return findRound(ctx, db.read, "short_code = ? AND closed_at = ''", short)
}

// Rounds lists the rounds of client clientID of workspace wsID, newest first.
func (db *DB) Rounds(ctx context.Context, wsID, clientID int64) ([]assessment.Round, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+roundColumns+" FROM rounds WHERE workspace_id = ? AND client_id = ? ORDER BY opened_at DESC, id DESC", wsID, clientID)
	if err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	defer rows.Close()
	var out []assessment.Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, fmt.Errorf("list rounds: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// updateRound runs change on round id of workspace wsID inside one write transaction, with
// the round as it is in that transaction, and bumps the round's revision.
func (db *DB) updateRound(ctx context.Context, what string, wsID, id int64, change func(tx *Tx, r *assessment.Round) error) (*assessment.Round, error) {
	return db.changeRound(ctx, what, change, "id = ? AND workspace_id = ?", id, wsID)
}

// changeRound is updateRound for the round where selects (a workspace's round, or a team
// round).
func (db *DB) changeRound(ctx context.Context, what string, change func(tx *Tx, r *assessment.Round) error, where string, args ...any) (*assessment.Round, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	r, err := findRound(ctx, tx, where, args...)
	if err != nil {
		return nil, err
	}
	if err := change(tx, r); err != nil {
		var de *assessment.Error
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := bumpRevisionTx(ctx, tx, r.ID); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	r.Revision++
	return r, nil
}

// SetRoundRevealed shows the room's result on the projector and to the participants who
// answered, or hides it again. A closed round keeps what it was.
func (db *DB) SetRoundRevealed(ctx context.Context, wsID, id int64, revealed bool) error {
	_, err := db.updateRound(ctx, "reveal round", wsID, id, setRevealed(ctx, revealed))
	return err
}

// setRevealed is the change that reveals or hides a round's result.
func setRevealed(ctx context.Context, revealed bool) func(tx *Tx, r *assessment.Round) error {
	return func(tx *Tx, r *assessment.Round) error {
		_, err := tx.ExecContext(ctx, "UPDATE rounds SET revealed = ? WHERE id = ?", revealed, r.ID)
		r.Revealed = revealed
		return err
	}
}

// SetRoundDeadline starts a countdown for answering that ends at deadline, or stops it
// (a zero deadline).
func (db *DB) SetRoundDeadline(ctx context.Context, wsID, id int64, deadline time.Time) error {
	_, err := db.updateRound(ctx, "set countdown", wsID, id, func(tx *Tx, r *assessment.Round) error {
		if !r.Open() {
			return errRoundClosed
		}
		v := ""
		if !deadline.IsZero() {
			v = formatTime(deadline)
		}
		_, err := tx.ExecContext(ctx, "UPDATE rounds SET deadline = ? WHERE id = ?", v, r.ID)
		return err
	})
	return err
}

// CloseRound freezes round id: from now on no answer is added or changed, and its short code
// is free again. If the client consented, the round's company-level result becomes the
// client's entry in the benchmark pool, in the same transaction. Closing a closed round is
// ECONFLICT.
func (db *DB) CloseRound(ctx context.Context, q *assessment.Questionnaire, wsID, id int64) (*assessment.Round, error) {
	now := db.Now()
	return db.updateRound(ctx, "close round", wsID, id, func(tx *Tx, r *assessment.Round) error {
		if !r.Open() {
			return assessment.NewError(assessment.ECONFLICT, assessment.MsgRoundAlreadyClosed, nil)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE rounds SET closed_at = ?, deadline = '' WHERE id = ?", formatTime(now), r.ID); err != nil {
			return err
		}
		r.ClosedAt, r.Deadline = now, time.Time{}
		// The result freezes as it is published: what waits below the rule stays out of it.
		if err := db.publishTx(ctx, tx, q, r); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if err := syncPoolTx(ctx, tx, q, wsID, r.ClientID); err != nil {
			return fmt.Errorf("benchmark pool: %w", err)
		}
		return nil
	})
}

// ReopenRound opens a closed round again, so its participants can change their answers. While
// it is open it represents the client in the benchmark pool no more: the client's entry is
// taken out and, if it has an earlier closed round, that one stands for it until this one is
// closed again. The round gets a short code no open round uses. Re-opening an open round is
// ECONFLICT.
func (db *DB) ReopenRound(ctx context.Context, q *assessment.Questionnaire, wsID, id int64) (*assessment.Round, error) {
	return db.updateRound(ctx, "re-open round", wsID, id, func(tx *Tx, r *assessment.Round) error {
		if r.Open() {
			return assessment.NewError(assessment.ECONFLICT, assessment.MsgRoundNotClosed, nil)
		}
		short := r.ShortCode
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM rounds WHERE short_code = ? AND closed_at = ''", short).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			var err error
			if short, err = freeShortCode(ctx, tx); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE rounds SET closed_at = '', short_code = ? WHERE id = ?", short, r.ID); err != nil {
			return err
		}
		r.ClosedAt, r.ShortCode = time.Time{}, short
		c := assessment.Client{ID: r.ClientID}
		if err := removePoolTx(ctx, tx, c.PoolKey(), false); err != nil {
			return err
		}
		return syncPoolTx(ctx, tx, q, wsID, r.ClientID)
	})
}

// syncPoolTx makes the benchmark pool agree with client clientID: the entry
// assessment.Questionnaire.ClientEntry picks from its closed rounds, or none.
func syncPoolTx(ctx context.Context, tx *Tx, q *assessment.Questionnaire, wsID, clientID int64) error {
	c, err := scanClient(tx.QueryRowContext(ctx, "SELECT "+clientColumns+" FROM clients WHERE id = ? AND workspace_id = ?", clientID, wsID))
	if err != nil {
		return err
	}
	var closed []assessment.RoundAnswers
	if c.BenchmarkConsent {
		if closed, err = closedRoundsTx(ctx, tx, q, wsID, clientID); err != nil {
			return err
		}
	}
	e, ok := q.ClientEntry(*c, closed)
	if !ok {
		// Consent withdrawn: the client's answers leave release snapshots too.
		return removePoolTx(ctx, tx, c.PoolKey(), !c.BenchmarkConsent)
	}
	_, err = upsertPoolTx(ctx, tx, e)
	return err
}

// closedRoundsTx loads the closed rounds of a client with the ratings their results show
// (assessment.Questionnaire.Shown).
func closedRoundsTx(ctx context.Context, tx *Tx, q *assessment.Questionnaire, wsID, clientID int64) ([]assessment.RoundAnswers, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+roundColumns+" FROM rounds WHERE workspace_id = ? AND client_id = ? AND closed_at <> '' ORDER BY id", wsID, clientID)
	if err != nil {
		return nil, err
	}
	var out []assessment.RoundAnswers
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, assessment.RoundAnswers{Round: *r})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		ps, err := participantsTx(ctx, tx, out[i].Round.ID)
		if err != nil {
			return nil, err
		}
		out[i].Participants = assessment.FinishedRatings(q.Shown(&out[i].Round, ps))
	}
	return out, nil
}

// removeClientFromPoolTx takes a deleted client out of the benchmark pool and erases it from
// release snapshots.
func removeClientFromPoolTx(ctx context.Context, tx *Tx, clientID int64) error {
	c := assessment.Client{ID: clientID}
	return removePoolTx(ctx, tx, c.PoolKey(), true)
}

// OpenRounds counts the rounds that are open now: workshop rounds of workspaces, and team
// rounds opened from a result. It is read on every scrape of the metrics endpoint, so it
// counts what every process on the database opened and survives a restart.
func (db *DB) OpenRounds(ctx context.Context) (workshop, team int, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE workspace_id IS NOT NULL),
		count(*) FILTER (WHERE workspace_id IS NULL)
		FROM rounds WHERE closed_at = ''`).Scan(&workshop, &team)
	if err != nil {
		return 0, 0, fmt.Errorf("count open rounds: %w", err)
	}
	return workshop, team, nil
}

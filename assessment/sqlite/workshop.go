package sqlite

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

// This file stores workshop rounds, their participants' answers and Must Win Battles, and
// keeps each consenting client's latest closed round in the benchmark pool.

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

const roundColumns = "id, workspace_id, client_id, title, lang, questionnaire_version, code, short_code, revealed, opened_at, closed_at, revision"

func scanRound(row interface{ Scan(...any) error }) (*assessment.Round, error) {
	var r assessment.Round
	var opened, closed string
	if err := row.Scan(&r.ID, &r.WorkspaceID, &r.ClientID, &r.Title, &r.Lang, &r.QuestionnaireVersion, &r.Code, &r.ShortCode, &r.Revealed, &opened, &closed, &r.Revision); err != nil {
		return nil, err
	}
	var err1, err2 error
	r.OpenedAt, err1 = parseTime(opened)
	r.ClosedAt, err2 = parseTime(closed)
	return &r, errors.Join(err1, err2)
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

// CreateRound opens r (validated by Questionnaire.NewRound) for client clientID of workspace
// wsID, with a fresh link code and a short code unique among open rounds. It sets r's ID,
// codes and times.
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
	code := newLinkCode()
	var id int64
	var short string
	// 40 bits of short code collide with another open round about never; retry anyway.
	for range 5 {
		short = newShortCode()
		res, err := tx.ExecContext(ctx, `INSERT INTO rounds (workspace_id, client_id, title, lang, questionnaire_version, code, short_code, revealed, opened_at, closed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, '')`, wsID, clientID, r.Title, r.Lang, r.QuestionnaireVersion, code, short, formatTime(now))
		if isUnique(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("create round: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("create round: %w", err)
		}
		break
	}
	if id == 0 {
		return fmt.Errorf("create round: no free short code after 5 tries")
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	r.ID, r.WorkspaceID, r.ClientID, r.Code, r.ShortCode, r.OpenedAt, r.ClosedAt, r.Revealed = id, wsID, clientID, code, short, now, time.Time{}, false
	return nil
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

// SetRoundRevealed shows (or hides again) the room view of round id to its participants.
func (db *DB) SetRoundRevealed(ctx context.Context, wsID, id int64, revealed bool) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reveal round: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "UPDATE rounds SET revealed = ? WHERE id = ? AND workspace_id = ?", revealed, id, wsID)
	if err != nil {
		return fmt.Errorf("reveal round: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errNoRound
	}
	return tx.Commit()
}

// CloseRound freezes round id: from now on no answer is added or changed, and its short code
// is free again. If the client consented, the round's company-level result (the mean of its
// participants, scored with q) becomes the client's entry in the benchmark pool, in the same
// transaction. Closing a closed round is ECONFLICT.
func (db *DB) CloseRound(ctx context.Context, q *assessment.Questionnaire, wsID, id int64) (*assessment.Round, error) {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("close round: %w", err)
	}
	defer tx.Rollback()
	r, err := findRound(ctx, tx, "id = ? AND workspace_id = ?", id, wsID)
	if err != nil {
		return nil, err
	}
	if !r.Open() {
		return nil, assessment.NewError(assessment.ECONFLICT, assessment.MsgRoundAlreadyClosed, nil)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET closed_at = ? WHERE id = ?", formatTime(now), id); err != nil {
		return nil, fmt.Errorf("close round: %w", err)
	}
	if err := syncPoolTx(ctx, tx, q, wsID, r.ClientID); err != nil {
		return nil, fmt.Errorf("close round: benchmark pool: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("close round: %w", err)
	}
	r.ClosedAt = now
	return r, nil
}

// syncPoolTx makes the benchmark pool agree with client clientID: the entry
// assessment.Questionnaire.ClientEntry picks from its closed rounds, or none.
func syncPoolTx(ctx context.Context, tx *sql.Tx, q *assessment.Questionnaire, wsID, clientID int64) error {
	c, err := scanClient(tx.QueryRowContext(ctx, "SELECT "+clientColumns+" FROM clients WHERE id = ? AND workspace_id = ?", clientID, wsID))
	if err != nil {
		return err
	}
	var closed []assessment.RoundAnswers
	if c.BenchmarkConsent {
		if closed, err = closedRoundsTx(ctx, tx, wsID, clientID); err != nil {
			return err
		}
	}
	e, ok := q.ClientEntry(*c, closed)
	if !ok {
		return removePoolTx(ctx, tx, c.PoolKey())
	}
	return upsertPoolTx(ctx, tx, e)
}

// closedRoundsTx loads the closed rounds of a client with their participants' ratings.
func closedRoundsTx(ctx context.Context, tx *sql.Tx, wsID, clientID int64) ([]assessment.RoundAnswers, error) {
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
		out[i].Participants = participantRatings(ps)
	}
	return out, nil
}

// removeClientFromPoolTx takes a deleted client out of the benchmark pool.
func removeClientFromPoolTx(ctx context.Context, tx *sql.Tx, clientID int64) error {
	c := assessment.Client{ID: clientID}
	return removePoolTx(ctx, tx, c.PoolKey())
}

func participantRatings(ps []assessment.Participant) []assessment.Ratings {
	out := make([]assessment.Ratings, len(ps))
	for i, p := range ps {
		out[i] = p.Ratings
	}
	return out
}

// SaveParticipant stores a participant's answers in the open round whose link carries code.
// With replace, tokenHash must name a participant of that round, whose name, role and
// answers are replaced (ENOTFOUND otherwise); without, a new participant is stored under
// tokenHash. A closed round is ECONFLICT. The round is read in the same transaction as the
// write, so no answer slips in after the round closed.
func (db *DB) SaveParticipant(ctx context.Context, code, tokenHash string, replace bool, p *assessment.Participant) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save participant: %w", err)
	}
	defer tx.Rollback()
	r, err := findRound(ctx, tx, "code = ?", code)
	if err != nil {
		return err
	}
	if !r.Open() {
		return errRoundClosed
	}
	var id int64
	var created string
	if replace {
		err := tx.QueryRowContext(ctx, "SELECT id, created_at FROM participants WHERE round_id = ? AND token_hash = ?", r.ID, tokenHash).Scan(&id, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoParticipant
		}
		if err != nil {
			return fmt.Errorf("save participant: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE participants SET name = ?, role = ?, updated_at = ? WHERE id = ?", p.Name, p.Role, formatTime(now), id); err != nil {
			return fmt.Errorf("save participant: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM participant_answers WHERE participant_id = ?", id); err != nil {
			return fmt.Errorf("save participant: %w", err)
		}
	} else {
		created = formatTime(now)
		res, err := tx.ExecContext(ctx, "INSERT INTO participants (round_id, token_hash, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			r.ID, tokenHash, p.Name, p.Role, created, created)
		if err != nil {
			return fmt.Errorf("save participant: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("save participant: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET revision = revision + 1 WHERE id = ?", r.ID); err != nil {
		return fmt.Errorf("save participant: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO participant_answers (participant_id, competency, as_is, to_be) VALUES (?, ?, ?, ?)")
	if err != nil {
		return fmt.Errorf("save participant: %w", err)
	}
	defer stmt.Close()
	for i, x := range p.Ratings {
		if _, err := stmt.ExecContext(ctx, id, i+1, x.AsIs, x.ToBe); err != nil {
			return fmt.Errorf("save participant: competency %d: %w", i+1, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save participant: %w", err)
	}
	p.ID, p.RoundID, p.UpdatedAt = id, r.ID, now
	p.CreatedAt, _ = parseTime(created)
	return nil
}

// Participant returns the participant of round roundID stored under tokenHash, with answers.
func (db *DB) Participant(ctx context.Context, roundID int64, tokenHash string) (*assessment.Participant, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find participant: %w", err)
	}
	defer tx.Rollback()
	ps, err := queryParticipants(ctx, tx, "p.round_id = ? AND p.token_hash = ?", roundID, tokenHash)
	if err != nil {
		return nil, fmt.Errorf("find participant: %w", err)
	}
	if len(ps) == 0 {
		return nil, errNoParticipant
	}
	return &ps[0], nil
}

// RoundParticipants returns the participants of round roundID of workspace wsID with their
// answers, in the order they joined.
func (db *DB) RoundParticipants(ctx context.Context, wsID, roundID int64) ([]assessment.Participant, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("list participants: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, "id = ? AND workspace_id = ?", roundID, wsID); err != nil {
		return nil, err
	}
	ps, err := participantsTx(ctx, tx, roundID)
	if err != nil {
		return nil, fmt.Errorf("list participants: %w", err)
	}
	return ps, nil
}

type rowsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func participantsTx(ctx context.Context, tx rowsQueryer, roundID int64) ([]assessment.Participant, error) {
	return queryParticipants(ctx, tx, "p.round_id = ?", roundID)
}

// queryParticipants reads participants and their answers with one query, in join order.
func queryParticipants(ctx context.Context, tx rowsQueryer, where string, args ...any) ([]assessment.Participant, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.round_id, p.name, p.role, p.created_at, p.updated_at, a.competency, a.as_is, a.to_be
		FROM participants p JOIN participant_answers a ON a.participant_id = p.id
		WHERE `+where+` ORDER BY p.id, a.competency`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assessment.Participant
	for rows.Next() {
		var p assessment.Participant
		var created, updated string
		var c int
		var x assessment.Rating
		if err := rows.Scan(&p.ID, &p.RoundID, &p.Name, &p.Role, &created, &updated, &c, &x.AsIs, &x.ToBe); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != p.ID {
			var err1, err2 error
			p.CreatedAt, err1 = parseTime(created)
			p.UpdatedAt, err2 = parseTime(updated)
			if err := errors.Join(err1, err2); err != nil {
				return nil, err
			}
			p.Ratings = make(assessment.Ratings, 0, assessment.CompetencyCount)
			out = append(out, p)
		}
		cur := &out[len(out)-1]
		if c != len(cur.Ratings)+1 {
			return nil, fmt.Errorf("participant %d: competency %d follows %d", cur.ID, c, len(cur.Ratings))
		}
		cur.Ratings = append(cur.Ratings, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, p := range out {
		if len(p.Ratings) != assessment.CompetencyCount {
			return nil, fmt.Errorf("participant %d: %d answers, want %d", p.ID, len(p.Ratings), assessment.CompetencyCount)
		}
	}
	return out, nil
}

const battleColumns = "b.id, b.round_id, b.competency, b.title, b.owner, b.due, b.status, b.created_at"

// AddBattle records a Must Win Battle (validated by Questionnaire.NewBattle) on round
// roundID of workspace wsID; a round that has MaxBattles already is ECONFLICT.
func (db *DB) AddBattle(ctx context.Context, wsID, roundID int64, b *assessment.Battle) error {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add battle: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, "id = ? AND workspace_id = ?", roundID, wsID); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM battles WHERE round_id = ?", roundID).Scan(&n); err != nil {
		return fmt.Errorf("add battle: %w", err)
	}
	if err := assessment.CheckBattleCount(n); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO battles (round_id, competency, title, owner, due, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		roundID, b.Competency, b.Title, b.Owner, b.Due, b.Status, formatTime(now))
	if err != nil {
		return fmt.Errorf("add battle: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("add battle: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add battle: %w", err)
	}
	b.ID, b.RoundID, b.CreatedAt = id, roundID, now
	return nil
}

var errNoBattle = assessment.NewError(assessment.ENOTFOUND, assessment.MsgBattleNotFound, nil)

// UpdateBattle stores the fields of battle b.ID, which must belong to round b.RoundID of
// workspace wsID.
func (db *DB) UpdateBattle(ctx context.Context, wsID int64, b *assessment.Battle) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update battle: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE battles SET competency = ?, title = ?, owner = ?, due = ?, status = ?
		WHERE id = ? AND round_id = ? AND round_id IN (SELECT id FROM rounds WHERE workspace_id = ?)`,
		b.Competency, b.Title, b.Owner, b.Due, b.Status, b.ID, b.RoundID, wsID)
	if err != nil {
		return fmt.Errorf("update battle: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errNoBattle
	}
	return tx.Commit()
}

// DeleteBattle removes battle id of round roundID of workspace wsID.
func (db *DB) DeleteBattle(ctx context.Context, wsID, roundID, id int64) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete battle: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM battles WHERE id = ? AND round_id = ? AND round_id IN (SELECT id FROM rounds WHERE workspace_id = ?)", id, roundID, wsID)
	if err != nil {
		return fmt.Errorf("delete battle: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errNoBattle
	}
	return tx.Commit()
}

// Battles lists the Must Win Battles of round roundID of workspace wsID in the order they
// were recorded.
func (db *DB) Battles(ctx context.Context, wsID, roundID int64) ([]assessment.Battle, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+battleColumns+" FROM battles b JOIN rounds r ON r.id = b.round_id WHERE b.round_id = ? AND r.workspace_id = ? ORDER BY b.id", roundID, wsID)
	if err != nil {
		return nil, fmt.Errorf("list battles: %w", err)
	}
	defer rows.Close()
	var out []assessment.Battle
	for rows.Next() {
		var b assessment.Battle
		var created string
		if err := rows.Scan(&b.ID, &b.RoundID, &b.Competency, &b.Title, &b.Owner, &b.Due, &b.Status, &created); err != nil {
			return nil, fmt.Errorf("list battles: %w", err)
		}
		if b.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("list battles: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Portfolio returns every active client of workspace wsID with its latest answered round:
// the latest closed round, or the latest open one when none is closed.
func (db *DB) Portfolio(ctx context.Context, wsID int64) ([]assessment.PortfolioEntry, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("portfolio: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT "+clientColumns+" FROM clients WHERE workspace_id = ? AND archived = 0 ORDER BY name COLLATE NOCASE, id", wsID)
	if err != nil {
		return nil, fmt.Errorf("portfolio: %w", err)
	}
	var out []assessment.PortfolioEntry
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("portfolio: %w", err)
		}
		out = append(out, assessment.PortfolioEntry{Client: *c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("portfolio: %w", err)
	}
	for i := range out {
		r, err := findRound(ctx, tx, `workspace_id = ? AND client_id = ?
			AND EXISTS (SELECT 1 FROM participants p WHERE p.round_id = rounds.id)
			ORDER BY closed_at = '', closed_at DESC, opened_at DESC, id DESC LIMIT 1`, wsID, out[i].Client.ID)
		if errors.Is(err, errNoRound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i].Round = r
		if out[i].Participants, err = participantsTx(ctx, tx, r.ID); err != nil {
			return nil, fmt.Errorf("portfolio: %w", err)
		}
	}
	return out, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores a round's participants: joining, the draft saved as they tap, finishing,
// and being removed by the consultant. Every change bumps the round's revision, so the live
// views see it at their next poll.

// participantColumns are read by scanParticipant.
const participantColumns = "p.id, p.round_id, p.label, p.name, p.role, p.created_at, p.updated_at, p.finished_at"

func scanParticipant(row interface{ Scan(...any) error }) (assessment.Participant, error) {
	var p assessment.Participant
	var created, updated, finished string
	if err := row.Scan(&p.ID, &p.RoundID, &p.Label, &p.Name, &p.Role, &created, &updated, &finished); err != nil {
		return p, err
	}
	var err1, err2, err3 error
	p.CreatedAt, err1 = parseTime(created)
	p.UpdatedAt, err2 = parseTime(updated)
	p.FinishedAt, err3 = parseTime(finished)
	return p, errors.Join(err1, err2, err3)
}

// openRoundTx returns the round whose link carries code, ECONFLICT if it is closed.
func openRoundTx(ctx context.Context, tx *Tx, code string) (*assessment.Round, error) {
	r, err := findRound(ctx, tx, "code = ?", code)
	if err != nil {
		return nil, err
	}
	if !r.Open() {
		return nil, errRoundClosed
	}
	return r, nil
}

// labelsTx returns the labels already given in round roundID.
func labelsTx(ctx context.Context, tx *Tx, roundID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT label FROM participants WHERE round_id = ?", roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// insertParticipantTx adds a participant to round r under tokenHash with a label drawn at
// random (assessment.NewLabel), and returns its id.
func (db *DB) insertParticipantTx(ctx context.Context, tx *Tx, r *assessment.Round, tokenHash string, p *assessment.Participant) error {
	taken, err := labelsTx(ctx, tx, r.ID)
	if err != nil {
		return err
	}
	p.Label = assessment.NewLabel(taken, db.IntN)
	now := formatTime(db.Now())
	if p.ID, err = tx.insertID(ctx, "INSERT INTO participants (round_id, token_hash, label, name, role, created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, '')",
		r.ID, tokenHash, p.Label, p.Name, p.Role, now, now); err != nil {
		return err
	}
	p.RoundID, p.CreatedAt, p.UpdatedAt = r.ID, db.Now(), db.Now()
	return nil
}

// JoinRound adds a participant who has not answered yet to the open round whose link carries
// code, under tokenHash, with the name and role they gave (validated by
// assessment.NewParticipantName). It sets p's ID, label and times. A closed round is
// ECONFLICT; a team round, which admits only by personal link (JoinByInvitation), EFORBIDDEN.
func (db *DB) JoinRound(ctx context.Context, code, tokenHash string, p *assessment.Participant) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("join round: %w", err)
	}
	defer tx.Rollback()
	r, err := openRoundTx(ctx, tx, code)
	if err != nil {
		return err
	}
	if err := r.CheckJoinByCode(); err != nil {
		return err
	}
	if err := db.insertParticipantTx(ctx, tx, r, tokenHash, p); err != nil {
		return fmt.Errorf("join round: %w", err)
	}
	if err := bumpRevisionTx(ctx, tx, r.ID); err != nil {
		return fmt.Errorf("join round: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("join round: %w", err)
	}
	return nil
}

// participantIDTx returns the id and finish time of the participant stored under tokenHash in
// round roundID.
func participantIDTx(ctx context.Context, tx *Tx, roundID int64, tokenHash string) (int64, string, error) {
	var id int64
	var finished string
	err := tx.QueryRowContext(ctx, "SELECT id, finished_at FROM participants WHERE round_id = ? AND token_hash = ?", roundID, tokenHash).Scan(&id, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", errNoParticipant
	}
	return id, finished, err
}

// SaveDraftAnswer stores one answer a participant tapped (validated by
// assessment.Questionnaire.DraftAnswer) in the open round whose link carries code. For a
// participant who has finished, the finished answers follow the draft, which stays complete.
// A closed round is ECONFLICT; an unknown participant ENOTFOUND.
func (db *DB) SaveDraftAnswer(ctx context.Context, code, tokenHash string, competency int, field string, value int) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	defer tx.Rollback()
	r, err := openRoundTx(ctx, tx, code)
	if err != nil {
		return err
	}
	id, finished, err := participantIDTx(ctx, tx, r.ID, tokenHash)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO participant_drafts (participant_id, competency, field, value) VALUES (?, ?, ?, ?)
		ON CONFLICT (participant_id, competency, field) DO UPDATE SET value = excluded.value`, id, competency, field, value); err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	if finished != "" {
		column := "as_is"
		if field == assessment.FieldToBe {
			column = "to_be"
		}
		if _, err := tx.ExecContext(ctx, "UPDATE participant_answers SET "+column+" = ? WHERE participant_id = ? AND competency = ?", value, id, competency); err != nil {
			return fmt.Errorf("save draft: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE participants SET updated_at = ? WHERE id = ?", formatTime(db.Now()), id); err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	if err := bumpRevisionTx(ctx, tx, r.ID); err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	return tx.Commit()
}

// SaveParticipant stores a participant's complete answers in the open round whose link
// carries code, and marks them finished. With replace, tokenHash must name a participant of
// that round (ENOTFOUND otherwise), whose name, role and answers are replaced; without, a new
// participant is stored under tokenHash, unless the round is a team round (EFORBIDDEN: it
// admits only by personal link). The draft becomes the answers given. A closed round
// is ECONFLICT. The round is read in the same transaction as the write, so no answer slips in
// after the round closed.
func (db *DB) SaveParticipant(ctx context.Context, code, tokenHash string, replace bool, p *assessment.Participant) error {
	_, err := db.SaveParticipantOnce(ctx, code, tokenHash, replace, p, nil, assessment.OnceResponse{})
	return err
}

// SaveParticipantOnce is SaveParticipant for a request that must take effect once. When
// once's key was used before with the same request, it stores nothing and returns the first
// response; with another request, assessment.ErrOnceMismatch. Otherwise it saves p and, in
// the same transaction, the key with resp, the response repeats will get, and returns nil.
func (db *DB) SaveParticipantOnce(ctx context.Context, code, tokenHash string, replace bool, p *assessment.Participant, once *assessment.Once, resp assessment.OnceResponse) (*assessment.OnceResponse, error) {
	now := db.Now()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("save participant: %w", err)
	}
	defer tx.Rollback()
	if once != nil {
		// Checked before the round: a repeat gets the first answer even if the round has
		// closed since.
		if r, err := onceResponse(ctx, tx, once, now.Add(-assessment.OnceTTL)); r != nil || err != nil {
			return r, err
		}
	}
	r, err := openRoundTx(ctx, tx, code)
	if err != nil {
		return nil, err
	}
	if replace {
		if p.ID, _, err = participantIDTx(ctx, tx, r.ID, tokenHash); err != nil {
			return nil, err
		}
	} else if err := r.CheckJoinByCode(); err != nil {
		return nil, err
	} else if err := db.insertParticipantTx(ctx, tx, r, tokenHash, p); err != nil {
		return nil, fmt.Errorf("save participant: %w", err)
	}
	if err := finishTx(ctx, tx, p, now); err != nil {
		return nil, fmt.Errorf("save participant: %w", err)
	}
	if err := bumpRevisionTx(ctx, tx, r.ID); err != nil {
		return nil, fmt.Errorf("save participant: %w", err)
	}
	if once != nil {
		claimed, err := db.claimOnceTx(ctx, tx, once, resp, onceCreated{participantID: p.ID})
		if err != nil {
			return nil, fmt.Errorf("save participant: %w", err)
		}
		if !claimed {
			tx.Rollback()
			return db.replayOnce(ctx, once)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("save participant: %w", err)
	}
	p.RoundID, p.UpdatedAt, p.FinishedAt = r.ID, now, now
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	return nil, nil
}

// finishTx stores p's name, role and complete answers (p.Ratings) as finished at now, in
// place of any answers and draft p had.
func finishTx(ctx context.Context, tx *Tx, p *assessment.Participant, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "UPDATE participants SET name = ?, role = ?, updated_at = ?, finished_at = ? WHERE id = ?",
		p.Name, p.Role, formatTime(now), formatTime(now), p.ID); err != nil {
		return err
	}
	for _, stmt := range []string{"DELETE FROM participant_answers WHERE participant_id = ?", "DELETE FROM participant_drafts WHERE participant_id = ?"} {
		if _, err := tx.ExecContext(ctx, stmt, p.ID); err != nil {
			return err
		}
	}
	return insertAnswersTx(ctx, tx, p.ID, p.Ratings)
}

// insertAnswersTx stores a participant's finished answers and the same values as their draft,
// with one statement for each table.
func insertAnswersTx(ctx context.Context, tx *Tx, id int64, ratings assessment.Ratings) error {
	if len(ratings) == 0 {
		return nil
	}
	answers := make([]any, 0, 4*len(ratings))
	drafts := make([]any, 0, 6*len(ratings))
	for i, x := range ratings {
		answers = append(answers, id, i+1, x.AsIs, x.ToBe)
		drafts = append(drafts, id, i+1, int(x.AsIs), id, i+1, int(x.ToBe))
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO participant_answers (participant_id, competency, as_is, to_be) VALUES "+
		rows(len(ratings), "(?, ?, ?, ?)"), answers...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO participant_drafts (participant_id, competency, field, value) VALUES "+
		rows(len(ratings), "(?, ?, 'as_is', ?), (?, ?, 'to_be', ?)"), drafts...)
	return err
}

// RemoveParticipant takes participant pid out of the open round roundID of workspace wsID,
// with every answer of theirs. The room's result does not change at once: a published
// participant's row leaves with the next publication that the rule allows
// (assessment.Questionnaire.NextPublication). A closed round is frozen: ECONFLICT
// (assessment.Round.CheckRemoveParticipant), and nothing changes.
func (db *DB) RemoveParticipant(ctx context.Context, wsID, roundID, pid int64) error {
	_, err := db.updateRound(ctx, "remove participant", wsID, roundID, func(tx *Tx, r *assessment.Round) error {
		if err := r.CheckRemoveParticipant(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM participants WHERE id = ? AND round_id = ?", pid, r.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errNoParticipant
		}
		return nil
	})
	if err == nil {
		db.erased(ctx)
	}
	return err
}

// Participant returns the participant of round roundID stored under tokenHash, with answers
// and draft.
func (db *DB) Participant(ctx context.Context, roundID int64, tokenHash string) (*assessment.Participant, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find participant: %w", err)
	}
	defer tx.Rollback()
	ps, err := queryParticipants(ctx, tx, true, "p.round_id = ? AND p.token_hash = ?", roundID, tokenHash)
	if err != nil {
		return nil, fmt.Errorf("find participant: %w", err)
	}
	if len(ps) == 0 {
		return nil, errNoParticipant
	}
	return &ps[0], nil
}

// RoundParticipants returns every participant of round roundID of workspace wsID, finished or
// not, in the order they joined, with their answers, and drafts for those who have not
// finished (for the others only the answers count).
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
	return queryParticipants(ctx, tx, false, "p.round_id = ?", roundID)
}

// queryParticipants reads participants in join order with their finished answers and drafts,
// three queries in all. Without finishedDrafts, a finished participant's draft is not read
// (it stays nil): a room of 50 does not read 2,100 rows nobody shows.
func queryParticipants(ctx context.Context, tx rowsQueryer, finishedDrafts bool, where string, args ...any) ([]assessment.Participant, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+participantColumns+" FROM participants p WHERE "+where+" ORDER BY p.id", args...)
	if err != nil {
		return nil, err
	}
	var out []assessment.Participant
	index := map[int64]int{}
	for rows.Next() {
		p, err := scanParticipant(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if finishedDrafts || !p.Finished() {
			p.Draft = make(assessment.Ratings, assessment.CompetencyCount)
			for i := range p.Draft {
				p.Draft[i] = assessment.Rating{AsIs: assessment.MissingScore, ToBe: assessment.MissingScore}
			}
		}
		index[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	if err := scanAnswers(ctx, tx, out, index, where, args); err != nil {
		return nil, err
	}
	draftsOf := where
	if !finishedDrafts {
		draftsOf += " AND p.finished_at = ''"
	}
	if err := scanDrafts(ctx, tx, out, index, draftsOf, args); err != nil {
		return nil, err
	}
	return out, nil
}

func scanAnswers(ctx context.Context, tx rowsQueryer, out []assessment.Participant, index map[int64]int, where string, args []any) error {
	rows, err := tx.QueryContext(ctx, `SELECT a.participant_id, a.competency, a.as_is, a.to_be FROM participant_answers a
		JOIN participants p ON p.id = a.participant_id WHERE `+where+" AND p.finished_at <> '' ORDER BY a.participant_id, a.competency", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var c int
		var x assessment.Rating
		if err := rows.Scan(&pid, &c, &x.AsIs, &x.ToBe); err != nil {
			return err
		}
		p := &out[index[pid]]
		if c != len(p.Ratings)+1 {
			return fmt.Errorf("participant %d: competency %d follows %d", pid, c, len(p.Ratings))
		}
		p.Ratings = append(p.Ratings, x)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range out {
		if p.Finished() && len(p.Ratings) != assessment.CompetencyCount {
			return fmt.Errorf("participant %d: %d answers, want %d", p.ID, len(p.Ratings), assessment.CompetencyCount)
		}
	}
	return nil
}

func scanDrafts(ctx context.Context, tx rowsQueryer, out []assessment.Participant, index map[int64]int, where string, args []any) error {
	rows, err := tx.QueryContext(ctx, `SELECT d.participant_id, d.competency, d.field, d.value FROM participant_drafts d
		JOIN participants p ON p.id = d.participant_id WHERE `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var c, v int
		var field string
		if err := rows.Scan(&pid, &c, &field, &v); err != nil {
			return err
		}
		p := &out[index[pid]]
		if c < 1 || c > len(p.Draft) {
			continue
		}
		if field == assessment.FieldAsIs {
			p.Draft[c-1].AsIs = float64(v)
		} else {
			p.Draft[c-1].ToBe = float64(v)
		}
	}
	return rows.Err()
}

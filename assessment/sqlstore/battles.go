package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores the Must Win Battles of rounds, with the history of their statuses across
// the rounds they are carried into, and the consultant's notes per competency.

var errNoBattle = assessment.NewError(assessment.ENOTFOUND, assessment.MsgBattleNotFound, nil)

const battleColumns = "b.id, b.round_id, b.lineage, b.competency, b.title, b.owner, b.due, b.status, b.created_at"

// insertBattleTx stores b in round roundID. A battle without a lineage starts one (its own id)
// and its history with its first status; a carried battle keeps both.
func insertBattleTx(ctx context.Context, tx *Tx, roundID int64, b *assessment.Battle, now time.Time) error {
	var err error
	if b.ID, err = tx.insertID(ctx, "INSERT INTO battles (round_id, lineage, competency, title, owner, due, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		roundID, b.Lineage, b.Competency, b.Title, b.Owner, b.Due, b.Status, formatTime(now)); err != nil {
		return err
	}
	b.RoundID, b.CreatedAt = roundID, now
	if b.Lineage == 0 {
		b.Lineage = b.ID
		if _, err := tx.ExecContext(ctx, "UPDATE battles SET lineage = ? WHERE id = ?", b.ID, b.ID); err != nil {
			return err
		}
		return addBattleEventTx(ctx, tx, b.Lineage, roundID, b.Status, now)
	}
	return nil
}

func addBattleEventTx(ctx context.Context, tx *Tx, lineage, roundID int64, status string, at time.Time) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO battle_events (lineage, round_id, status, at) VALUES (?, ?, ?, ?)", lineage, roundID, status, formatTime(at))
	return err
}

// AddBattle records a Must Win Battle (validated by Questionnaire.NewBattle) on round
// roundID of workspace wsID; a round that has MaxBattles already is ECONFLICT.
func (db *DB) AddBattle(ctx context.Context, wsID, roundID int64, b *assessment.Battle) error {
	now := db.Now()
	_, err := db.updateRound(ctx, "add battle", wsID, roundID, func(tx *Tx, r *assessment.Round) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM battles WHERE round_id = ?", r.ID).Scan(&n); err != nil {
			return err
		}
		if err := assessment.CheckBattleCount(n); err != nil {
			return err
		}
		b.Lineage = 0
		return insertBattleTx(ctx, tx, r.ID, b, now)
	})
	return err
}

// UpdateBattle stores the fields of battle b.ID, which must belong to round b.RoundID of
// workspace wsID. A new status goes into the battle's history.
func (db *DB) UpdateBattle(ctx context.Context, wsID int64, b *assessment.Battle) error {
	return db.UpdateBattleIf(ctx, wsID, b, nil)
}

// UpdateBattleIf is UpdateBattle on a condition: check is called with the battle as stored,
// in the transaction that changes it, and an error from it leaves the battle as it was. So a
// change made on a copy that another writer has changed since (an HTTP If-Match) cannot
// overwrite theirs. A nil check is no condition.
func (db *DB) UpdateBattleIf(ctx context.Context, wsID int64, b *assessment.Battle, check func(current *assessment.Battle) error) error {
	now := db.Now()
	_, err := db.updateRound(ctx, "update battle", wsID, b.RoundID, func(tx *Tx, r *assessment.Round) error {
		if check != nil {
			cur, err := queryBattles(ctx, tx, "b.id = ? AND b.round_id = ?", b.ID, r.ID)
			if err != nil {
				return err
			}
			if len(cur) == 0 {
				return errNoBattle
			}
			if err := check(&cur[0]); err != nil {
				return err
			}
		}
		var lineage int64
		var status string
		err := tx.QueryRowContext(ctx, "SELECT lineage, status FROM battles WHERE id = ? AND round_id = ?", b.ID, r.ID).Scan(&lineage, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoBattle
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE battles SET competency = ?, title = ?, owner = ?, due = ?, status = ? WHERE id = ?",
			b.Competency, b.Title, b.Owner, b.Due, b.Status, b.ID); err != nil {
			return err
		}
		b.Lineage = lineage
		if status != b.Status {
			return addBattleEventTx(ctx, tx, lineage, r.ID, b.Status, now)
		}
		return nil
	})
	return err
}

// DeleteBattle removes battle id of round roundID of workspace wsID. The history of its
// lineage stays with the rounds it was carried from.
func (db *DB) DeleteBattle(ctx context.Context, wsID, roundID, id int64) error {
	_, err := db.updateRound(ctx, "delete battle", wsID, roundID, func(tx *Tx, r *assessment.Round) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM battles WHERE id = ? AND round_id = ?", id, r.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errNoBattle
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM battle_events WHERE round_id = ? AND lineage NOT IN (SELECT lineage FROM battles)", r.ID)
		return err
	})
	return err
}

// Battles lists the Must Win Battles of round roundID of workspace wsID in the order they
// were recorded, each with its history.
func (db *DB) Battles(ctx context.Context, wsID, roundID int64) ([]assessment.Battle, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("list battles: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, "id = ? AND workspace_id = ?", roundID, wsID); err != nil {
		return nil, err
	}
	bs, err := battlesTx(ctx, tx, roundID)
	if err != nil {
		return nil, fmt.Errorf("list battles: %w", err)
	}
	return bs, nil
}

// Battle returns battle id of workspace wsID with its history.
func (db *DB) Battle(ctx context.Context, wsID, id int64) (*assessment.Battle, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find battle: %w", err)
	}
	defer tx.Rollback()
	bs, err := queryBattles(ctx, tx, "b.id = ? AND b.round_id IN (SELECT id FROM rounds WHERE workspace_id = ?)", id, wsID)
	if err != nil {
		return nil, fmt.Errorf("find battle: %w", err)
	}
	if len(bs) == 0 {
		return nil, errNoBattle
	}
	return &bs[0], nil
}

func battlesTx(ctx context.Context, tx rowsQueryer, roundID int64) ([]assessment.Battle, error) {
	return queryBattles(ctx, tx, "b.round_id = ?", roundID)
}

func queryBattles(ctx context.Context, tx rowsQueryer, where string, args ...any) ([]assessment.Battle, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+battleColumns+" FROM battles b WHERE "+where+" ORDER BY b.id", args...)
	if err != nil {
		return nil, err
	}
	var out []assessment.Battle
	for rows.Next() {
		var b assessment.Battle
		var created string
		if err := rows.Scan(&b.ID, &b.RoundID, &b.Lineage, &b.Competency, &b.Title, &b.Owner, &b.Due, &b.Status, &created); err != nil {
			rows.Close()
			return nil, err
		}
		if b.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].History, err = battleHistory(ctx, tx, out[i].Lineage); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func battleHistory(ctx context.Context, tx rowsQueryer, lineage int64) ([]assessment.BattleEvent, error) {
	rows, err := tx.QueryContext(ctx, "SELECT status, at, round_id FROM battle_events WHERE lineage = ? ORDER BY at, rowid", lineage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assessment.BattleEvent
	for rows.Next() {
		var ev assessment.BattleEvent
		var at string
		if err := rows.Scan(&ev.Status, &at, &ev.RoundID); err != nil {
			return nil, err
		}
		if ev.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// SaveNote stores the consultant's note on a competency of round roundID (validated by
// Questionnaire.NewNote); an empty text deletes it.
func (db *DB) SaveNote(ctx context.Context, wsID, roundID int64, n *assessment.Note) error {
	now := db.Now()
	_, err := db.updateRound(ctx, "save note", wsID, roundID, func(tx *Tx, r *assessment.Round) error {
		if n.Text == "" {
			_, err := tx.ExecContext(ctx, "DELETE FROM round_notes WHERE round_id = ? AND competency = ?", r.ID, n.Competency)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO round_notes (round_id, competency, text, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (round_id, competency) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
			r.ID, n.Competency, n.Text, formatTime(now))
		n.RoundID, n.UpdatedAt = r.ID, now
		return err
	})
	return err
}

// Notes returns the notes of round roundID of workspace wsID by competency number.
func (db *DB) Notes(ctx context.Context, wsID, roundID int64) ([]assessment.Note, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT n.round_id, n.competency, n.text, n.updated_at FROM round_notes n
		JOIN rounds r ON r.id = n.round_id WHERE n.round_id = ? AND r.workspace_id = ? ORDER BY n.competency`, roundID, wsID)
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	defer rows.Close()
	var out []assessment.Note
	for rows.Next() {
		var n assessment.Note
		var at string
		if err := rows.Scan(&n.RoundID, &n.Competency, &n.Text, &at); err != nil {
			return nil, fmt.Errorf("list notes: %w", err)
		}
		if n.UpdatedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("list notes: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

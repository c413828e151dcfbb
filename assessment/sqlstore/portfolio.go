package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Portfolio returns every active client of workspace wsID with the round that represents it
// (assessment.LatestAnswered) and that round's participants.
func (db *DB) Portfolio(ctx context.Context, wsID int64) ([]assessment.PortfolioEntry, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("portfolio: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT "+clientColumns+" FROM clients WHERE workspace_id = ? AND archived = 0 ORDER BY lower(name), id", wsID)
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
		rounds, err := answeredRounds(ctx, tx, wsID, out[i].Client.ID)
		if err != nil {
			return nil, fmt.Errorf("portfolio: %w", err)
		}
		r, ok := assessment.LatestAnswered(rounds)
		if !ok {
			continue
		}
		out[i].Round = &r
		if out[i].Participants, err = participantsTx(ctx, tx, r.ID); err != nil {
			return nil, fmt.Errorf("portfolio: %w", err)
		}
	}
	return out, nil
}

// answeredRounds lists the rounds of client clientID, each with whether anyone has finished it.
func answeredRounds(ctx context.Context, tx *Tx, wsID, clientID int64) ([]assessment.AnsweredRound, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+roundColumns+`, EXISTS (SELECT 1 FROM participants p WHERE p.round_id = rounds.id AND p.finished_at <> '')
		FROM rounds WHERE workspace_id = ? AND client_id = ?`, wsID, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assessment.AnsweredRound
	for rows.Next() {
		var answered bool
		r, err := scanRound(answeredScanner{rows, &answered})
		if err != nil {
			return nil, err
		}
		out = append(out, assessment.AnsweredRound{Round: *r, Answered: answered})
	}
	return out, rows.Err()
}

// answeredScanner lets scanRound read a round followed by one more column.
type answeredScanner struct {
	rows     *sql.Rows
	answered *bool
}

func (s answeredScanner) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.answered)...) }

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Portfolio returns every active client of workspace wsID with its latest answered round:
// the latest closed round, or the latest open one when none is closed.
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
		r, err := findRound(ctx, tx, `workspace_id = ? AND client_id = ?
			AND EXISTS (SELECT 1 FROM participants p WHERE p.round_id = rounds.id AND p.finished_at <> '')
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

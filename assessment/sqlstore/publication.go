package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file stores a round's publication (assessment/publication.go): the copy of the
// finished answers its result shows, as JSON in rounds.published, with published_seq
// counting publications.

type publicationJSON struct {
	At   string    `json:"at"`
	Rows []rowJSON `json:"rows"`
}

type rowJSON struct {
	Participant int64        `json:"p"`
	Label       string       `json:"l"`
	Ratings     [][2]float64 `json:"r"`
}

func encodePublication(p *assessment.Publication) (string, error) {
	if p.Seq == 0 {
		return "", nil
	}
	out := publicationJSON{At: formatTime(p.At), Rows: []rowJSON{}}
	for _, r := range p.Rows {
		row := rowJSON{Participant: r.Participant, Label: r.Label}
		for _, x := range r.Ratings {
			row.Ratings = append(row.Ratings, [2]float64{x.AsIs, x.ToBe})
		}
		out.Rows = append(out.Rows, row)
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodePublication(s string, p *assessment.Publication) error {
	if s == "" {
		return nil
	}
	var in publicationJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return fmt.Errorf("publication: %w", err)
	}
	at, err := parseTime(in.At)
	if err != nil {
		return fmt.Errorf("publication: %w", err)
	}
	p.At, p.Rows = at, nil
	for _, r := range in.Rows {
		row := assessment.PublishedRow{Participant: r.Participant, Label: r.Label, Ratings: make(assessment.Ratings, len(r.Ratings))}
		for i, x := range r.Ratings {
			row.Ratings[i] = assessment.Rating{AsIs: x[0], ToBe: x[1]}
		}
		p.Rows = append(p.Rows, row)
	}
	return nil
}

// PublishRound stores next as the publication of open round roundID if the round still has
// the one before it (next.Seq − 1), and reports whether it did: of two requests that publish
// at once, one wins and the other reads the round again. A publication changes no revision:
// it happens while a view of the round is built, after the change that made it possible
// (which did).
func (db *DB) PublishRound(ctx context.Context, roundID int64, next assessment.Publication) (bool, error) {
	enc, err := encodePublication(&next)
	if err != nil {
		return false, fmt.Errorf("publish round: %w", err)
	}
	res, err := db.write.ExecContext(ctx, "UPDATE rounds SET published = ?, published_seq = ? WHERE id = ? AND published_seq = ? AND closed_at = ''",
		enc, next.Seq, roundID, next.Seq-1)
	if err != nil {
		return false, fmt.Errorf("publish round: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("publish round: %w", err)
	}
	return n == 1, nil
}

// RoundPublication returns the publication round roundID has stored, after PublishRound
// found that another request published first.
func (db *DB) RoundPublication(ctx context.Context, roundID int64) (assessment.Publication, error) {
	var p assessment.Publication
	var enc string
	if err := db.read.QueryRowContext(ctx, "SELECT published, published_seq FROM rounds WHERE id = ?", roundID).Scan(&enc, &p.Seq); err != nil {
		return p, fmt.Errorf("read publication: %w", err)
	}
	return p, decodePublication(enc, &p)
}

// publishTx takes the next publication of round r that the rule allows, in tx, as a round
// is closed.
func (db *DB) publishTx(ctx context.Context, tx *Tx, q *assessment.Questionnaire, r *assessment.Round) error {
	ps, err := participantsTx(ctx, tx, r.ID)
	if err != nil {
		return err
	}
	next, _, changed := q.NextPublication(r.Published, ps, db.Now().UTC().Truncate(time.Second), db.IntN)
	if !changed {
		return nil
	}
	enc, err := encodePublication(&next)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET published = ?, published_seq = ? WHERE id = ?", enc, next.Seq, r.ID); err != nil {
		return err
	}
	r.Published = next
	return nil
}

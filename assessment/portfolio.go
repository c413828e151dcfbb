package assessment

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// PortfolioEntry is one client of a workspace with its latest answered round.
type PortfolioEntry struct {
	Client Client
	// Round is the client's latest round with at least one participant (the latest closed
	// one when there is one), or nil when it has none.
	Round        *Round
	Participants []Participant
}

// AnsweredRound is one of a client's rounds and whether at least one participant finished
// it: what LatestAnswered chooses from.
type AnsweredRound struct {
	Round    Round
	Answered bool
}

// LatestAnswered returns the round that represents a client in its portfolio: of the rounds
// at least one participant finished, the latest closed one (by ClosedAt), or, when none of
// those is closed, the latest opened one; ties go to the later ID. A closed round is the
// client's settled picture, so a newer round still being answered does not replace it. ok is
// false when no round was answered.
func LatestAnswered(rounds []AnsweredRound) (Round, bool) {
	var best *Round
	for i := range rounds {
		r := &rounds[i].Round
		if !rounds[i].Answered {
			continue
		}
		if best == nil || laterAnswered(r, best) {
			best = r
		}
	}
	if best == nil {
		return Round{}, false
	}
	return *best, true
}

// laterAnswered reports whether a represents a client before b: closed beats open, then the
// later close, then the later opening, then the later ID.
func laterAnswered(a, b *Round) bool {
	if ac, bc := !a.ClosedAt.IsZero(), !b.ClosedAt.IsZero(); ac != bc {
		return ac
	}
	if !a.ClosedAt.Equal(b.ClosedAt) {
		return a.ClosedAt.After(b.ClosedAt)
	}
	if !a.OpenedAt.Equal(b.OpenedAt) {
		return a.OpenedAt.After(b.OpenedAt)
	}
	return a.ID > b.ID
}

// PortfolioRow is a client of the portfolio, scored: what the portfolio page shows and its
// export writes.
type PortfolioRow struct {
	PortfolioEntry
	// HasData reports whether the client has an answered round; the fields below are set
	// only then.
	HasData bool
	// Result is the company-level result of the round's finished participants.
	Result Result
	// Assessed is when the round was closed, or opened while it is still open.
	Assessed time.Time
}

// Ways to sort the portfolio.
const (
	PortfolioByName = "name" // by client name, case ignored
	PortfolioByAsIs = "asis" // weakest overall AS-IS first: where help is needed
	PortfolioByGap  = "gap"  // largest overall gap first
	PortfolioByDate = "date" // most recently assessed first
)

// PortfolioSorts lists the ways to sort the portfolio; the first is the default.
var PortfolioSorts = []string{PortfolioByName, PortfolioByAsIs, PortfolioByGap, PortfolioByDate}

// PortfolioSort returns key if it is one of PortfolioSorts, and the default otherwise: a
// portfolio link with an odd sort still shows the portfolio.
func PortfolioSort(key string) string {
	if slices.Contains(PortfolioSorts, key) {
		return key
	}
	return PortfolioByName
}

// PortfolioRows scores the entries, keeps those in industry (all when it is empty) and sorts
// them by key (PortfolioSort). Except by name, clients without an answered round come last.
// The sort is stable, so equal clients keep the order they came in.
func (q *Questionnaire) PortfolioRows(entries []PortfolioEntry, industry, key string) []PortfolioRow {
	key = PortfolioSort(key)
	var rows []PortfolioRow
	for _, e := range entries {
		if industry != "" && e.Client.Profile.Industry != industry {
			continue
		}
		r := PortfolioRow{PortfolioEntry: e}
		if e.Round == nil {
			rows = append(rows, r)
			continue
		}
		if done := FinishedRatings(q.Shown(e.Round, e.Participants)); len(done) > 0 {
			r.HasData = true
			r.Result = q.Aggregate(done).Result
			r.Assessed = e.Round.OpenedAt
			if !e.Round.Open() {
				r.Assessed = e.Round.ClosedAt
			}
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b PortfolioRow) int {
		if a.HasData != b.HasData && key != PortfolioByName {
			if a.HasData {
				return -1
			}
			return 1
		}
		switch key {
		case PortfolioByAsIs:
			return cmp.Compare(a.Result.Overall.AsIs, b.Result.Overall.AsIs)
		case PortfolioByGap:
			return cmp.Compare(b.Result.Overall.Gap, a.Result.Overall.Gap)
		case PortfolioByDate:
			return b.Assessed.Compare(a.Assessed)
		}
		return strings.Compare(strings.ToLower(a.Client.Profile.Name), strings.ToLower(b.Client.Profile.Name))
	})
	return rows
}

// CategorySpread is where a workspace's clients stand on one category: each client's AS-IS
// (of the round the portfolio shows it by) and the quartiles of those values. It is the
// consultancy's own view of its own clients, so every client is a point; nothing of it is
// shown to a client (a client's report compares it with "our clients" through the benchmark
// releases instead, see GroupWorkspace).
type CategorySpread struct {
	Category Category
	// Points are the clients with data, in the rows' order.
	Points []SpreadPoint
	// P25, Median and P75 are type-7 quantiles of the points (NaN without points).
	P25, Median, P75 float64
}

// SpreadPoint is one client on one category.
type SpreadPoint struct {
	Client Client
	AsIs   float64
}

// PortfolioSpread returns, for every category in the questionnaire's order, the spread of the
// rows that have data.
func (q *Questionnaire) PortfolioSpread(rows []PortfolioRow) []CategorySpread {
	out := make([]CategorySpread, len(q.Categories))
	for i, c := range q.Categories {
		s := CategorySpread{Category: c}
		var d Distribution
		for _, r := range rows {
			if !r.HasData || i >= len(r.Result.Categories) {
				continue
			}
			v := r.Result.Categories[i].AsIs
			s.Points = append(s.Points, SpreadPoint{Client: r.Client, AsIs: v})
			d.Add(Quantize(v), 1)
		}
		s.P25, s.Median, s.P75 = d.Quantile(0.25), d.Quantile(0.5), d.Quantile(0.75)
		out[i] = s
	}
	return out
}

// RoundStep is one answered round of a client in its movement: when, and its overall AS-IS.
type RoundStep struct {
	Round Round
	AsIs  float64
}

// Movement is how a client moved between its closed rounds: the overall AS-IS of each, oldest
// first, and the change from the first to the last (zero with fewer than two).
type Movement struct {
	Steps  []RoundStep
	Change float64
}

// MovementOf orders a client's closed rounds with a result by when they closed (then by id)
// and returns its movement. Open rounds are left out: their result still changes.
func MovementOf(steps []RoundStep) Movement {
	var m Movement
	for _, s := range steps {
		if !s.Round.Open() {
			m.Steps = append(m.Steps, s)
		}
	}
	slices.SortStableFunc(m.Steps, func(a, b RoundStep) int {
		return cmp.Or(a.Round.ClosedAt.Compare(b.Round.ClosedAt), cmp.Compare(a.Round.ID, b.Round.ID))
	})
	if len(m.Steps) >= 2 {
		m.Change = m.Steps[len(m.Steps)-1].AsIs - m.Steps[0].AsIs
	}
	return m
}

package assessment

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// A round's result is never computed from its participants as they are this second: a room
// watching a projector, or a consultant watching names turn "finished", could then tie every
// change of the result to the one person who just answered, and the difference of two exact
// means before and after is that person's answers. Instead a round shows a Publication: a
// copy of the finished answers taken at one moment, which the result, the per-person rows,
// the API and every export are computed from.
//
// NextPublication takes the next copy. Changes since the last one are counted in three kinds: new
// finishers (added), published participants whose answers changed since (changed), and
// published participants who are gone (removed by the consultant). A kind enters the next
// publication only when at least MinParticipantsForDetail of it have accumulated, so that
// whatever differs between two publications — the means, or the set of per-person rows —
// stems from at least that many people at once; every row is relabelled at each
// publication, so a row cannot be followed from one to the next. Counting the kinds apart
// matters: a changed row resembles its old version, so one changed participant published
// with two new finishers would leave those two as the only new rows.
//
// The first publication is the first time MinParticipantsForDetail have finished: below it
// a round shows no figure at all, not even a mean.

// PublishedRow is one participant's answers as a publication holds them.
type PublishedRow struct {
	// Participant is the participant's ID: it tells which rows a later publication changes,
	// and is never shown.
	Participant int64
	// Label is the row's anonymous name ("P17"), drawn anew at every publication.
	Label   string
	Ratings Ratings
}

// Publication is the set of answers a round's result shows. The zero value is a round that
// has shown nothing yet.
type Publication struct {
	// Seq counts the publications of the round; 0 for none.
	Seq  int64
	At   time.Time
	Rows []PublishedRow
}

// Size is the number of participants the publication counts.
func (p *Publication) Size() int { return len(p.Rows) }

// Participants returns the publication's rows as finished participants under their
// publication labels, in label order: what the aggregate, the heatmaps and the exports are
// computed from. Their IDs are the participants' own; their names are never copied.
func (p *Publication) Participants() []Participant {
	out := make([]Participant, 0, len(p.Rows))
	for _, r := range p.Rows {
		out = append(out, Participant{ID: r.Participant, Label: r.Label, Ratings: r.Ratings, FinishedAt: p.At, UpdatedAt: p.At, CreatedAt: p.At})
	}
	slices.SortStableFunc(out, func(a, b Participant) int { return LabelNumber(a.Label) - LabelNumber(b.Label) })
	return out
}

// Ratings returns the answers of the publication's rows, what Aggregate takes.
func (p *Publication) Ratings() []Ratings { return FinishedRatings(p.Participants()) }

// Pending counts what a round's participants changed that its publication does not show yet.
type Pending struct {
	Added   int // finished, not in the publication
	Changed int // in the publication with answers that changed since
	Removed int // in the publication, no longer a finished participant of the round
}

// Total is the number of changes waiting.
func (p Pending) Total() int { return p.Added + p.Changed + p.Removed }

// Missing is how many more changes of the kind that is closest to showing must accumulate
// before it shows, given min; 0 when nothing waits.
func (p Pending) Missing(min int) int {
	best := 0
	for _, n := range []int{p.Added, p.Changed, p.Removed} {
		if n > 0 && (best == 0 || min-n < best) {
			best = min - n
		}
	}
	return max(best, 0)
}

// NextPublication returns the publication a round shows next, given the one it shows now (cur) and
// its participants as they are, and what still waits after it. It reports whether the
// publication changed; when it did, every row has a new label drawn with intn (a source of
// random numbers 0 ≤ x < n) and Seq is one more. With intn nil the rows are numbered
// P1, P2, … in the order of their answers: a frozen round whose publication was never
// stored is read that way, the same on every read.
func (q *Questionnaire) NextPublication(cur Publication, ps []Participant, now time.Time, intn func(int) int) (Publication, Pending, bool) {
	k := max(q.MinParticipantsForDetail, 1)
	finished := map[int64]*Participant{}
	for i := range ps {
		if ps[i].Finished() {
			finished[ps[i].ID] = &ps[i]
		}
	}
	shown := map[int64]bool{}
	var added, changed, removed []int64
	for _, r := range cur.Rows {
		shown[r.Participant] = true
		p, ok := finished[r.Participant]
		switch {
		case !ok:
			removed = append(removed, r.Participant)
		case !slices.Equal(p.Ratings, r.Ratings):
			changed = append(changed, r.Participant)
		}
	}
	for i := range ps {
		if ps[i].Finished() && !shown[ps[i].ID] {
			added = append(added, ps[i].ID)
		}
	}
	apply := func(ids []int64) bool { return len(ids) >= k }
	var pending Pending
	take := map[int64]bool{}
	size := len(cur.Rows)
	if apply(added) {
		for _, id := range added {
			take[id] = true
		}
		size += len(added)
	} else {
		pending.Added = len(added)
	}
	if apply(changed) {
		for _, id := range changed {
			take[id] = true
		}
	} else {
		pending.Changed = len(changed)
	}
	drop := map[int64]bool{}
	// Removals leave together, and never leave fewer than k rows behind (none is fine).
	if apply(removed) && (size-len(removed) == 0 || size-len(removed) >= k) {
		for _, id := range removed {
			drop[id] = true
		}
	} else {
		pending.Removed = len(removed)
	}
	if len(take) == 0 && len(drop) == 0 {
		return cur, pending, false
	}
	next := Publication{Seq: cur.Seq + 1, At: now}
	for _, r := range cur.Rows {
		switch {
		case drop[r.Participant]:
		case take[r.Participant]:
			p := finished[r.Participant]
			next.Rows = append(next.Rows, PublishedRow{Participant: p.ID, Label: p.Label, Ratings: slices.Clone(p.Ratings)})
		default:
			next.Rows = append(next.Rows, PublishedRow{Participant: r.Participant, Label: r.Label, Ratings: r.Ratings})
		}
	}
	for _, id := range added {
		if take[id] {
			p := finished[id]
			next.Rows = append(next.Rows, PublishedRow{Participant: p.ID, Label: p.Label, Ratings: slices.Clone(p.Ratings)})
		}
	}
	if intn != nil {
		var taken []string
		for i := range next.Rows {
			next.Rows[i].Label = NewLabel(taken, intn)
			taken = append(taken, next.Rows[i].Label)
		}
	} else {
		// Without randomness the rows are numbered in the order of their answers, which
		// says nothing of who gave them or when.
		slices.SortStableFunc(next.Rows, func(a, b PublishedRow) int { return compareRatings(a.Ratings, b.Ratings) })
		for i := range next.Rows {
			next.Rows[i].Label = "P" + strconv.Itoa(i+1)
		}
	}
	// Rows are kept in label order, so that neither the order of finishing nor that of the
	// previous publication shows through.
	slices.SortStableFunc(next.Rows, func(a, b PublishedRow) int { return LabelNumber(a.Label) - LabelNumber(b.Label) })
	return next, pending, true
}

// Shown returns the participants round r's result is computed from: its publication's
// rows, under their publication labels. A closed round that never stored a publication
// (closed before publications existed) shows what NextPublication takes from nothing, numbered by NextPublication
// without randomness; it is frozen, so that never changes.
func (q *Questionnaire) Shown(r *Round, ps []Participant) []Participant {
	if r.Published.Seq > 0 || r.Open() {
		return r.Published.Participants()
	}
	next, _, _ := q.NextPublication(Publication{}, ps, r.ClosedAt, nil)
	return next.Participants()
}

// CheckReveal returns ECONFLICT when a round whose publication counts shown participants
// may not be revealed yet: below MinParticipantsForDetail there is nothing it could show.
// finished, the round's finished participants, goes into the message.
func (q *Questionnaire) CheckReveal(shown, finished int) error {
	if shown >= q.MinParticipantsForDetail {
		return nil
	}
	return NewError(ECONFLICT, MsgRevealTooFew, Args{"Min": q.MinParticipantsForDetail, "Finished": finished})
}

// CheckRemoveParticipant returns ECONFLICT for a round that is closed: a closed round is
// frozen, and taking someone out would change its report, comparisons, history and
// benchmark entry after the fact. Re-open it first.
func (r *Round) CheckRemoveParticipant() error {
	if r.Open() {
		return nil
	}
	return NewError(ECONFLICT, MsgRemoveClosed, nil)
}

// compareRatings orders two sets of answers by their first differing AS-IS, then TO-BE.
func compareRatings(a, b Ratings) int {
	for i := range min(len(a), len(b)) {
		if c := cmp.Compare(a[i].AsIs, b[i].AsIs); c != 0 {
			return c
		}
		if c := cmp.Compare(a[i].ToBe, b[i].ToBe); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

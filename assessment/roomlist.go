package assessment

import (
	"strings"
	"unicode/utf8"
)

// This file is the consultant's list of a round's participants when the room is a hall: a
// search by name, a filter by status and pages of ParticipantPageSize, so that 500 phones
// make a list one can read and act on rather than 500 rows.
//
// The search looks at the name a participant typed, never at their anonymous label: the
// labels name the rows of the consultant's heatmaps, and a list that put a name next to its
// label would undo that.

// ParticipantPageSize is how many participants a page of the list shows.
const ParticipantPageSize = 50

// MaxParticipantQuery bounds a search's length in characters; a longer one is cut there.
const MaxParticipantQuery = 100

// ParticipantFilter is what the consultant asked of the list: a search in the names
// (case-insensitive, spaces collapsed), a status (empty: every one; else
// ParticipantJoined, ParticipantAnswering or ParticipantFinished) and a page, counted from 1.
type ParticipantFilter struct {
	Query  string
	Status string
	Page   int
}

// Clean returns the filter as the list applies it: the query trimmed, its spaces collapsed
// and cut at MaxParticipantQuery characters; an unknown status read as none; a page below 1
// read as 1.
func (f ParticipantFilter) Clean() ParticipantFilter {
	q := strings.Join(strings.Fields(f.Query), " ")
	if utf8.RuneCountInString(q) > MaxParticipantQuery {
		q = string([]rune(q)[:MaxParticipantQuery])
	}
	f.Query = q
	switch f.Status {
	case ParticipantJoined, ParticipantAnswering, ParticipantFinished:
	default:
		f.Status = ""
	}
	f.Page = max(f.Page, 1)
	return f
}

// ParticipantPage is one page of the list.
type ParticipantPage struct {
	// Filter is the filter applied (Clean), its page within 1..Pages.
	Filter ParticipantFilter
	// Rows are the participants of the page, in the order given.
	Rows []Participant
	// Matched counts the participants the search and status select; Total all of them.
	Matched, Total int
	// Pages is how many pages the matched participants fill (at least 1).
	Pages int
	// First is the position of the page's first row among the matched, from 1 (0 when the
	// page is empty).
	First int
	// ByStatus counts the participants the search selects, whatever their status, by status:
	// what each status filter would find.
	ByStatus Progress
}

// Apply returns the page of ps that f selects, size rows a page (ParticipantPageSize when
// size < 1). A page past the last shows the last: after someone was removed, the consultant
// stays near where they were.
func (f ParticipantFilter) Apply(ps []Participant, size int) ParticipantPage {
	if size < 1 {
		size = ParticipantPageSize
	}
	f = f.Clean()
	needle := strings.ToLower(f.Query)
	var searched []Participant
	for _, p := range ps {
		if needle == "" || strings.Contains(strings.ToLower(strings.Join(strings.Fields(p.Name), " ")), needle) {
			searched = append(searched, p)
		}
	}
	out := ParticipantPage{Total: len(ps), ByStatus: ProgressOf(searched)}
	var matched []Participant
	for _, p := range searched {
		if f.Status == "" || p.Status() == f.Status {
			matched = append(matched, p)
		}
	}
	out.Matched = len(matched)
	out.Pages = max(1, (len(matched)+size-1)/size)
	f.Page = min(f.Page, out.Pages)
	out.Filter = f
	from := (f.Page - 1) * size
	out.Rows = matched[from:min(from+size, len(matched))]
	if len(out.Rows) > 0 {
		out.First = from + 1
	}
	return out
}

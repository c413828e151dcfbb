package assessment_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// hall returns n participants named "Phone 1" … "Phone n": every third finished, every third
// answering (a draft begun), the rest joined only.
func hall(n int) []assessment.Participant {
	ps := make([]assessment.Participant, n)
	done := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i := range ps {
		ps[i] = assessment.Participant{ID: int64(i + 1), Name: fmt.Sprintf("Phone %d", i+1)}
		switch i % 3 {
		case 0:
			ps[i].FinishedAt, ps[i].Ratings = done, make(assessment.Ratings, 21)
		case 1:
			ps[i].Draft = draft(map[int][2]float64{1: {3, 4}})
		}
	}
	return ps
}

func TestParticipantFilterApply(t *testing.T) {
	ps := hall(500) // 167 finished (i = 0, 3, …, 498), 167 answering, 166 joined
	for _, tt := range []struct {
		f                              assessment.ParticipantFilter
		page, pages, matched, first    int
		rows                           int
		firstName                      string
		byJoined, byAnswering, byFinis int
	}{
		// 500 in pages of 50: page 1 holds Phone 1-50.
		{assessment.ParticipantFilter{}, 1, 10, 500, 1, 50, "Phone 1", 500, 167, 167},
		{assessment.ParticipantFilter{Page: 3}, 3, 10, 500, 101, 50, "Phone 101", 500, 167, 167},
		// A page past the last shows the last; a page below 1 the first.
		{assessment.ParticipantFilter{Page: 99}, 10, 10, 500, 451, 50, "Phone 451", 500, 167, 167},
		{assessment.ParticipantFilter{Page: -4}, 1, 10, 500, 1, 50, "Phone 1", 500, 167, 167},
		// "phone 12" (any case, spaces collapsed) is in Phone 12 and Phone 120-129: 11. Phone k
		// has i = k-1: finished Phone 121, 124, 127 (i = 120, 123, 126), answering Phone 122,
		// 125, 128, joined the other 5.
		{assessment.ParticipantFilter{Query: "  PHONE   12 "}, 1, 1, 11, 1, 11, "Phone 12", 11, 3, 3},
		// One exact name: one row (i = 436, answering).
		{assessment.ParticipantFilter{Query: "Phone 437"}, 1, 1, 1, 1, 1, "Phone 437", 1, 1, 0},
		// The finished: 167 in 4 pages; page 4 starts at the 151st (i = 450) and holds 17.
		{assessment.ParticipantFilter{Status: assessment.ParticipantFinished, Page: 4}, 4, 4, 167, 151, 17, "Phone 451", 500, 167, 167},
		// An unknown status is none.
		{assessment.ParticipantFilter{Status: "gone"}, 1, 10, 500, 1, 50, "Phone 1", 500, 167, 167},
		// Nothing found: one empty page.
		{assessment.ParticipantFilter{Query: "nobody"}, 1, 1, 0, 0, 0, "", 0, 0, 0},
	} {
		got := tt.f.Apply(ps, 0)
		name := ""
		if len(got.Rows) > 0 {
			name = got.Rows[0].Name
		}
		if got.Filter.Page != tt.page || got.Pages != tt.pages || got.Matched != tt.matched || got.First != tt.first || len(got.Rows) != tt.rows || name != tt.firstName || got.Total != 500 {
			t.Errorf("%+v.Apply = page %d of %d, matched %d of %d, first %d, %d rows from %q; want page %d of %d, matched %d of 500, first %d, %d rows from %q",
				tt.f, got.Filter.Page, got.Pages, got.Matched, got.Total, got.First, len(got.Rows), name, tt.page, tt.pages, tt.matched, tt.first, tt.rows, tt.firstName)
		}
		if b := got.ByStatus; b.Joined != tt.byJoined || b.Answering != tt.byAnswering || b.Finished != tt.byFinis {
			t.Errorf("%+v.Apply.ByStatus = %+v, want joined %d, answering %d, finished %d", tt.f, b, tt.byJoined, tt.byAnswering, tt.byFinis)
		}
	}
}

func TestParticipantFilterClean(t *testing.T) {
	long := strings.Repeat("æ", assessment.MaxParticipantQuery+7)
	got := assessment.ParticipantFilter{Query: long}.Clean()
	if want := strings.Repeat("æ", assessment.MaxParticipantQuery); got.Query != want {
		t.Errorf("Clean(%d × æ).Query has %d characters, want %d", len([]rune(long)), len([]rune(got.Query)), assessment.MaxParticipantQuery)
	}
}

package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// TestRetake: a retake remembers the earlier result by row id; the store gives the earlier
// one back without its token; deleting the earlier result leaves the retake whole, only
// without its link, and deleting a retake leaves the earlier one alone.
func TestRetake(t *testing.T) {
	ctx := context.Background()
	q := questionnaire(t)
	path := filepath.Join(t.TempDir(), "retake.db")
	db := open(t, path)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { clock = clock.Add(24 * time.Hour); return clock }

	first := submit(t, q, db, "Acme A/S", "DK", "retail", false, 2)
	if got, err := db.Assessment(ctx, first.Token); err != nil || got.PreviousID != 0 {
		t.Fatalf("a first test: PreviousID = %v, %v; want 0", got, err)
	}
	if _, err := db.PreviousAssessment(ctx, first); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("PreviousAssessment of a first test = %v, want not found", err)
	}

	retake := sample()
	retake.PreviousID = first.ID
	if err := db.CreateAssessment(ctx, retake); err != nil {
		t.Fatal(err)
	}
	got, err := db.Assessment(ctx, retake.Token)
	if err != nil || got.PreviousID != first.ID {
		t.Fatalf("retake read back: PreviousID = %+v, %v; want %d", got, err, first.ID)
	}
	prev, err := db.PreviousAssessment(ctx, got)
	if err != nil {
		t.Fatal(err)
	}
	if prev.ID != first.ID || prev.Token != "" || !prev.CreatedAt.Equal(first.CreatedAt) || len(prev.Ratings) != 21 || prev.Ratings[0].AsIs != 2 {
		t.Errorf("PreviousAssessment = id %d token %q taken %v ratings %d; want id %d, no token, %v, 21 ratings from 2",
			prev.ID, prev.Token, prev.CreatedAt, len(prev.Ratings), first.ID, first.CreatedAt)
	}

	// A retake of the retake: each result points at the one before it.
	third := sample()
	third.PreviousID = retake.ID
	if err := db.CreateAssessment(ctx, third); err != nil {
		t.Fatal(err)
	}

	// Deleting the middle one: the third keeps working without its link; the first is
	// untouched.
	if err := db.DeleteAssessment(ctx, retake.Token); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Assessment(ctx, third.Token); err != nil || got.PreviousID != 0 || len(got.Ratings) != 21 {
		t.Errorf("the newer result after its earlier one was deleted = %+v, %v; want it whole, PreviousID 0", got, err)
	}
	if n := queryInt(t, path, "SELECT count(*) FROM assessments WHERE previous_id IS NOT NULL"); n != 0 {
		t.Errorf("%d rows still point at something, want 0", n)
	}
	if _, err := db.Assessment(ctx, first.Token); err != nil {
		t.Errorf("the first result after a later one was deleted: %v", err)
	}
}

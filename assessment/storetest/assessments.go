package storetest

import (
	"context"
	"encoding/base64"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var assessmentTests = []test{
	{"CreateAssessment round trip", testCreateAssessmentRoundTrip},
	{"CreateAssessment default clock is UTC", testCreateAssessmentDefaultNowIsUTC},
	{"Assessment not found", testAssessmentNotFound},
	{"CreateAssessment tokens", testCreateAssessmentTokens},
	{"Ping", testPing},
	{"retake", testRetake},
	{"DeleteAssessment", testDeleteAssessment},
	{"CreateAssessmentOnce", testCreateAssessmentOnce},
	{"devices", testDevices},
}

// ratings returns n ratings that differ for every competency, with fractions (as company
// means have) so a column that truncated to integers would fail the round trip.
func ratings(n int) assessment.Ratings {
	r := make(assessment.Ratings, n)
	for i := range r {
		r[i] = assessment.Rating{AsIs: float64(i%5 + 1), ToBe: 1 + float64(i)/5}
	}
	return r
}

// sample returns a complete assessment as the domain would hand it to the store.
func sample() *assessment.Assessment {
	return &assessment.Assessment{
		QuestionnaireVersion: "2025.1",
		Lang:                 "cs",
		Role:                 "Head of CX",
		Company: assessment.Company{
			Name:     `Čokoládovna Příbram – 東京 🍫 "Ltd" 'x' </script>`,
			Industry: "retail",
			Size:     "50-249",
			Country:  "CZ",
			NPSYears: "1-5",
		},
		BenchmarkConsent: true,
		Ratings:          ratings(assessment.CompetencyCount),
	}
}

func testCreateAssessmentRoundTrip(t *testing.T, d Database) {
	now := time.Date(2025, 3, 30, 1, 59, 58, 120000000, time.FixedZone("CET", 3600))
	db := d.Open(t, func() time.Time { return now })
	tests := []struct {
		name string
		a    *assessment.Assessment
	}{
		{"full profile", sample()},
		{"empty profile", &assessment.Assessment{
			QuestionnaireVersion: "2025.1", Lang: "en", Ratings: ratings(assessment.CompetencyCount),
		}},
		{"whole-number ratings", &assessment.Assessment{
			QuestionnaireVersion: "2025.1", Lang: "de", Role: "CEO", BenchmarkConsent: true,
			Ratings: slices.Repeat(assessment.Ratings{{AsIs: 1, ToBe: 5}}, assessment.CompetencyCount),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			want := *tt.a

			if err := db.CreateAssessment(ctx, tt.a); err != nil {
				t.Fatalf("CreateAssessment: %v", err)
			}
			if tt.a.ID == 0 || tt.a.Token == "" {
				t.Fatalf("CreateAssessment set ID = %d, Token = %q, want both set", tt.a.ID, tt.a.Token)
			}
			if !tt.a.CreatedAt.Equal(now) || tt.a.CreatedAt.Location() != time.UTC {
				t.Errorf("CreatedAt = %v, want %v in UTC", tt.a.CreatedAt, now.UTC())
			}

			got, err := db.Assessment(ctx, tt.a.Token)
			if err != nil {
				t.Fatalf("Assessment(%q): %v", tt.a.Token, err)
			}
			want.ID, want.Token, want.CreatedAt = tt.a.ID, tt.a.Token, now.UTC()
			if !got.CreatedAt.Equal(want.CreatedAt) || got.CreatedAt.Location() != time.UTC {
				t.Errorf("read CreatedAt = %v, want %v in UTC", got.CreatedAt, want.CreatedAt)
			}
			got.CreatedAt = want.CreatedAt // compared above; time.Time is not comparable with DeepEqual
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("Assessment(%q) =\n%+v\nwant\n%+v", tt.a.Token, got, &want)
			}
		})
	}
}

func testCreateAssessmentDefaultNowIsUTC(t *testing.T, d Database) {
	db := d.Open(t, nil)
	before := time.Now()
	a := sample()
	if err := db.CreateAssessment(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	if a.CreatedAt.Location() != time.UTC || a.CreatedAt.Before(before) || a.CreatedAt.After(after) {
		t.Errorf("CreatedAt = %v, want UTC between %v and %v", a.CreatedAt, before, after)
	}
}

func testAssessmentNotFound(t *testing.T, d Database) {
	ctx := context.Background()
	db := d.Open(t, nil)
	a := sample()
	if err := db.CreateAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}
	// Change one character of a real token: near misses must not match.
	near := []byte(a.Token)
	if near[0] == 'A' {
		near[0] = 'B'
	} else {
		near[0] = 'A'
	}
	for _, token := range []string{"", "AAAAAAAAAAAAAAAAAAAAAA", string(near), a.Token + "x", a.Token[:21], "' OR '1'='1", strings.ToLower(a.Token)} {
		if token == a.Token {
			continue // ToLower of an all-lowercase token; vanishingly rare
		}
		t.Run(fmt.Sprintf("%q", token), func(t *testing.T) {
			got, err := db.Assessment(ctx, token)
			if code := assessment.ErrorCode(err); code != assessment.ENOTFOUND {
				t.Fatalf("Assessment(%q) = %v, %v; want code %s", token, got, err, assessment.ENOTFOUND)
			}
			if e, _ := assessment.AsError(err); e == nil || e.Key != assessment.MsgAssessmentNotFound {
				t.Errorf("error = %v, want message %s", err, assessment.MsgAssessmentNotFound)
			}
		})
	}
}

func testCreateAssessmentTokens(t *testing.T, d Database) {
	ctx := context.Background()
	db := d.Open(t, nil)
	urlSafe := regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)
	seen := make(map[string]bool)
	for i := range 1000 {
		a := sample()
		if err := db.CreateAssessment(ctx, a); err != nil {
			t.Fatalf("creation %d: %v", i, err)
		}
		if !urlSafe.MatchString(a.Token) {
			t.Fatalf("Token = %q, want 22 URL-safe base64 characters", a.Token)
		}
		if b, err := base64.RawURLEncoding.DecodeString(a.Token); err != nil || len(b) != 16 {
			t.Fatalf("Token %q decodes to %d bytes, %v; want 16 bytes", a.Token, len(b), err)
		}
		if seen[a.Token] {
			t.Fatalf("creation %d: Token %q was already issued", i, a.Token)
		}
		seen[a.Token] = true
	}
}

func testPing(t *testing.T, d Database) {
	db := d.Open(t, nil)
	if err := db.Ping(context.Background()); err != nil {
		t.Errorf("Ping on an open store: %v", err)
	}
	db.Close()
	if err := db.Ping(context.Background()); err == nil {
		t.Error("Ping on a closed store succeeded, want an error")
	}
}

// testRetake: a retake remembers the earlier result by row id; the store gives the earlier
// one back without its token; deleting the earlier result leaves the retake whole, only
// without its link, and deleting a retake leaves the earlier one alone.
func testRetake(t *testing.T, d Database) {
	ctx := context.Background()
	q := Questionnaire(t)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db := d.Open(t, func() time.Time { clock = clock.Add(24 * time.Hour); return clock })

	first := Submit(t, q, db, "Acme A/S", "DK", "retail", false, 2)
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
	// No result left points at anything: the first and the third are all there is.
	for _, a := range []*assessment.Assessment{first, third} {
		if got, err := db.AssessmentByID(ctx, a.ID); err != nil || got.PreviousID != 0 {
			t.Errorf("result %d after the deletion = %+v, %v; want it pointing at nothing", a.ID, got, err)
		}
	}
	if _, err := db.Assessment(ctx, first.Token); err != nil {
		t.Errorf("the first result after a later one was deleted: %v", err)
	}
}

// testDeleteAssessment: deleting a result removes it and, in the same transaction, its
// company's pool entry when that entry came from this result (an entry that came from a
// later test of the same company stays), and erases it from release snapshots. Every
// deletion changes the result generation, so no cached page serves the deleted result again;
// the pool generation changes only when the pool does. (That no row of its answers is left,
// and what an erased snapshot row keeps, are storage details each engine checks itself.)
func testDeleteAssessment(t *testing.T, d Database) {
	ctx := context.Background()
	q := Questionnaire(t)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db := d.Open(t, func() time.Time { clock = clock.Add(time.Minute); return clock })
	companies := func() int { return poolSize(t, db) }
	gens := func() (pool, results int64) {
		t.Helper()
		var err error
		if pool, err = db.PoolGeneration(ctx); err != nil {
			t.Fatal(err)
		}
		if results, err = db.ResultGeneration(ctx); err != nil {
			t.Fatal(err)
		}
		return pool, results
	}

	anon := Submit(t, q, db, "", "", "retail", true, 2)
	first := Submit(t, q, db, "Acme A/S", "DK", "retail", true, 2)
	Verify(t, q, db, anon)
	Verify(t, q, db, first)
	later := Submit(t, q, db, "ACME AS", "dk", "retail", true, 4) // the same company, later: its entry
	Verify(t, q, db, later)
	private := Submit(t, q, db, "Beta", "SE", "", false, 3)
	// Three more companies, so that a release holds a snapshot with the two.
	for range 3 {
		Verify(t, q, db, Submit(t, q, db, "", "", "retail", true, 3))
	}
	if made, err := db.MakeRelease(ctx, q, false, ZeroNoise{}); err != nil || !made {
		t.Fatalf("MakeRelease = %v, %v", made, err)
	}
	if companies() != 5 {
		t.Fatalf("pool before = %d companies, want 5 (anonymous, Acme, three more)", companies())
	}
	st, err := db.ReleaseStatus(ctx, q.Version, false)
	if err != nil || st.Latest == 0 {
		t.Fatalf("ReleaseStatus = %+v, %v; want the release", st, err)
	}
	// The release's snapshot holds anon and later (the first test was replaced before it).
	for _, a := range []*assessment.Assessment{anon, later} {
		if e, err := db.SnapshotEntry(ctx, st.Latest, a.ID, ""); err != nil || e == nil {
			t.Fatalf("SnapshotEntry(%d) before = %v, %v; want the result", a.ID, e, err)
		}
	}
	erased := func(a *assessment.Assessment) bool {
		t.Helper()
		e, err := db.SnapshotEntry(ctx, st.Latest, a.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		return e == nil
	}

	steps := []struct {
		name        string
		a           *assessment.Assessment
		companies   int
		poolChanged bool
	}{
		// The anonymous test was its own company: it leaves the pool.
		{"anonymous", anon, 4, true},
		// Acme's first test was replaced by the later one, which stays.
		{"replaced by a later test", first, 4, false},
		// Without consent there is no entry; the pool is unchanged.
		{"without consent", private, 4, false},
		// Acme's later test is its entry: Acme leaves.
		{"the company's entry", later, 3, true},
	}
	for _, s := range steps {
		pool, results := gens()
		if err := db.DeleteAssessment(ctx, s.a.Token); err != nil {
			t.Fatalf("%s: DeleteAssessment = %v", s.name, err)
		}
		if _, err := db.Assessment(ctx, s.a.Token); assessment.ErrorCode(err) != assessment.ENOTFOUND {
			t.Errorf("%s: Assessment after delete = %v, want not found", s.name, err)
		}
		if _, err := db.AssessmentByID(ctx, s.a.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
			t.Errorf("%s: AssessmentByID after delete = %v, want not found", s.name, err)
		}
		if companies() != s.companies {
			t.Errorf("%s: pool = %d companies, want %d", s.name, companies(), s.companies)
		}
		if !erased(s.a) {
			t.Errorf("%s: the release snapshot still holds the result", s.name)
		}
		p2, r2 := gens()
		if r2 == results {
			t.Errorf("%s: the result generation did not change", s.name)
		}
		if (p2 != pool) != s.poolChanged {
			t.Errorf("%s: pool generation changed = %v, want %v", s.name, p2 != pool, s.poolChanged)
		}
	}
	if err := db.DeleteAssessment(ctx, anon.Token); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("deleting twice = %v, want not found", err)
	}
}

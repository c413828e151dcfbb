// Package storetest is the store's conformance suite: the behaviour every storage engine
// must show, written once against the contract and run against each engine. It is imported
// by tests only.
//
// An engine plugs in with one test:
//
//	func TestConformance(t *testing.T) { storetest.Run(t, freshDatabase) }
//
// where freshDatabase makes an empty database of that engine for one test.
//
// The contract is declared once, in assessment/store; this package checks it.
package storetest

import (
	"context"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/store"
)

// Store is the contract the suite checks: the web layer's needs and the operator's.
type Store interface {
	store.Store
	store.Metrics
	store.Operator
}

// Database is one empty database of an engine, made for one test.
type Database interface {
	// Open opens a handle on the database whose clock is now (nil: the engine's own clock,
	// the real time). Handles see each other's writes, as processes sharing the database
	// do. The handle is closed when the test ends.
	Open(t *testing.T, now func() time.Time) Store
}

// Run runs the suite: each test gets a database of its own from fresh.
func Run(t *testing.T, fresh func(t *testing.T) Database) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"assessments", assessmentTests},
		{"pool and releases", poolTests},
		{"accounts and sessions", accountTests},
		{"audit log and passwords", auditTests},
		{"clients", clientTests},
		{"rounds, participants and drafts", roundTests},
		{"battles and notes", battleTests},
		{"limits", limitTests},
		{"tokens", tokenTests},
		{"passkeys", passkeyTests},
		{"teams", teamTests},
		{"retention", retentionTests},
		{"email", emailTests},
		{"verification by work email", verificationTests},
		{"operators", operatorTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tt := range g.tests {
				t.Run(tt.name, func(t *testing.T) { tt.run(t, fresh(t)) })
			}
		})
	}
}

// test is one test of the suite, run on a fresh database.
type test struct {
	name string
	run  func(t *testing.T, d Database)
}

// Questionnaire returns the embedded questionnaire (questions.yaml).
func Questionnaire(t testing.TB) *assessment.Questionnaire {
	t.Helper()
	q, err := assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// Flat returns the 21 ratings asIs → toBe.
func Flat(asIs, toBe float64) assessment.Ratings {
	r := make(assessment.Ratings, assessment.CompetencyCount)
	for i := range r {
		r[i] = assessment.Rating{AsIs: asIs, ToBe: toBe}
	}
	return r
}

// Submit stores a test through the domain, as the web layer does.
func Submit(t *testing.T, q *assessment.Questionnaire, db Store, name, country, industry string, consent bool, asIs float64) *assessment.Assessment {
	t.Helper()
	var answers []assessment.Answer
	for i := 1; i <= 21; i++ {
		answers = append(answers, assessment.Answer{Competency: i, AsIs: asIs, ToBe: 5})
	}
	a, err := q.NewAssessment(assessment.Submission{Lang: "en", Company: assessment.Company{Name: name, Country: country, Industry: industry}, BenchmarkConsent: consent, Answers: answers})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAssessment(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// Verify is the operator's check of a test (loyalty pool verify): it must enter the pool.
func Verify(t *testing.T, q *assessment.Questionnaire, db Store, a *assessment.Assessment) {
	t.Helper()
	if in, err := db.VerifyAssessment(context.Background(), q, a.ID); err != nil || !in {
		t.Fatalf("VerifyAssessment(%d) = %v, %v; want it in the pool", a.ID, in, err)
	}
}

// poolSize returns the live pool's size.
func poolSize(t *testing.T, db Store) int {
	t.Helper()
	n, err := db.PoolSize(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// inPool reports whether the live pool has an entry under key.
func inPool(t *testing.T, db Store, key string) (assessment.PoolEntry, bool) {
	t.Helper()
	e, ok, err := db.PoolEntry(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return e, ok
}

// ZeroNoise draws no noise, so that released statistics are the exact ones.
type ZeroNoise struct{}

// DiscreteLaplace returns 0.
func (ZeroNoise) DiscreteLaplace(assessment.NoiseScale) int64 { return 0 }

// wsFixture is a store with two workspaces, A with one client and an open round, B empty.
// Its clock is the real time until a test sets now.
type wsFixture struct {
	db     Store
	q      *assessment.Questionnaire
	a, b   *assessment.Workspace
	client *assessment.Client
	round  *assessment.Round
	now    func() time.Time
}

func newWSFixture(t *testing.T, d Database) *wsFixture {
	t.Helper()
	f := &wsFixture{q: Questionnaire(t)}
	f.db = d.Open(t, func() time.Time {
		if f.now != nil {
			return f.now()
		}
		return time.Now()
	})
	w := NewWorkspaces(t, f.q, f.db)
	f.a, f.b, f.client, f.round = w.A, w.B, w.Client, w.Round
	return f
}

// Workspaces is what most workspace tests start from: two workspaces, A with one client
// (Acme) and an open round (Kick-off), B empty.
type Workspaces struct {
	A, B   *assessment.Workspace
	Client *assessment.Client
	Round  *assessment.Round
}

// NewWorkspaces stores Workspaces in db.
func NewWorkspaces(t *testing.T, q *assessment.Questionnaire, db Store) Workspaces {
	t.Helper()
	ctx := context.Background()
	var w Workspaces
	var err error
	if w.A, err = db.EnsureWorkspace(ctx, "Alpha Consulting"); err != nil {
		t.Fatal(err)
	}
	if w.B, err = db.EnsureWorkspace(ctx, "Beta Advisory"); err != nil {
		t.Fatal(err)
	}
	c, err := q.NewClient(assessment.Company{Name: "Acme", Industry: "retail", Size: "50-249", Country: "DK", NPSYears: "1-5"}, true)
	if err != nil {
		t.Fatal(err)
	}
	w.Client = &c
	if err := db.CreateClient(ctx, w.A.ID, w.Client); err != nil {
		t.Fatal(err)
	}
	r, err := q.NewRound("Kick-off", "en")
	if err != nil {
		t.Fatal(err)
	}
	w.Round = &r
	if err := db.CreateRound(ctx, w.A.ID, w.Client.ID, w.Round); err != nil {
		t.Fatal(err)
	}
	return w
}

// answer stores a complete set of answers of the participant token in f's round.
func (f *wsFixture) answer(t *testing.T, token string, replace bool, r assessment.Ratings) error {
	t.Helper()
	return Answer(t, f.db, f.round, token, replace, r)
}

// Answer stores a complete set of answers r of the participant token in round, as a new
// participant or, with replace, instead of the token's earlier answers.
func Answer(t *testing.T, db Store, round *assessment.Round, token string, replace bool, r assessment.Ratings) error {
	t.Helper()
	p := assessment.Participant{Name: "P", Ratings: r}
	return db.SaveParticipant(context.Background(), round.Code, token, replace, &p)
}

package store

import (
	"context"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Pool reads the benchmark's releases, and makes the next one when it is due. Nothing a
// page shows is read from the live pool.
type Pool interface {
	// ReleaseStatus tells cheaply whether a release is due (assessment.ReleaseStatus.Due).
	ReleaseStatus(ctx context.Context, version string, demo bool) (assessment.ReleaseStatus, error)
	// MakeRelease plans the next release by assessment.PlanRelease and stores it if it
	// publishes anything, once however many processes try; it reports whether it made one.
	MakeRelease(ctx context.Context, q *assessment.Questionnaire, demo bool, noise assessment.NoiseSource) (bool, error)
	Release(ctx context.Context, id int64) (*assessment.Release, error)
	// ReleasePool returns the published statistics of one group of a release.
	ReleasePool(ctx context.Context, q *assessment.Questionnaire, content int64) (assessment.PeerPool, error)
	// BenchmarkHistory returns what the releases published of one public peer group, oldest
	// first: the benchmark over time.
	BenchmarkHistory(ctx context.Context, version string, demo bool, g assessment.PeerGroup) ([]assessment.HistoryPoint, error)
	// SnapshotEntry returns the entry a release snapshot holds for this very company: the
	// test with id source, or a client's key; nil when the snapshot does not hold it.
	SnapshotEntry(ctx context.Context, snapshot, source int64, key string) (*assessment.PoolEntry, error)
	// ResultGeneration changes whenever a result is deleted; result pages are cached by it.
	ResultGeneration(ctx context.Context) (int64, error)
}

// Domains is the operator's register of company domains: one approval per company, not
// per test. The operator console (/ops) and `loyalty pool` call it. The per-test operator
// methods (VerifyAssessment, UnverifyAssessment, PendingAssessments) stay beside it.
type Domains interface {
	// PendingDomains lists the domains waiting for approval, first seen first. For each the
	// console shows the domain, when it was first seen, and its confirmed tests' profiles:
	// how many, their sizes, industries and countries, and when each was taken and
	// confirmed. Never their answers or any address.
	PendingDomains(ctx context.Context, version string) ([]assessment.PendingDomain, error)
	// ApproveDomain accepts a domain as a company's: its latest consenting test on q's
	// version enters the pool, and later tests do when confirmed. It reports whether a test
	// entered; an unknown domain is ENOTFOUND.
	ApproveDomain(ctx context.Context, q *assessment.Questionnaire, domain string) (bool, error)
	// ApprovedDomains lists up to limit approved domains, the latest approved first, each
	// with when it was first seen and its confirmed tests' profiles on version (as
	// PendingDomains), and how many are approved in all: the companies an operator may take
	// out again (RejectDomain).
	ApprovedDomains(ctx context.Context, version string, limit int) ([]assessment.PendingDomain, int, error)
	// RejectDomain refuses a domain: none of its tests counts, and an entry it had leaves
	// the pool. It reports whether one left; an unknown domain is ENOTFOUND.
	RejectDomain(ctx context.Context, domain string) (bool, error)
}

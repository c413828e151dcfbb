package store

import (
	"context"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Assessments keeps five-minute tests.
type Assessments interface {
	// CreateAssessment stores a and sets its token and time. A consenting test enters the
	// benchmark pool only once the operator verifies it (loyalty pool verify).
	CreateAssessment(ctx context.Context, a *assessment.Assessment) error
	// CreateAssessmentOnce stores a unless once's key was used before: then it stores
	// nothing and returns the first response (assessment.ErrOnceMismatch for another
	// request). The key and respond(token) are stored in a's transaction.
	CreateAssessmentOnce(ctx context.Context, a *assessment.Assessment, once *assessment.Once, respond func(token string) assessment.OnceResponse) (*assessment.OnceResponse, error)
	// OnceResponse returns the stored response of once's key, nil for an unknown key, and
	// assessment.ErrOnceMismatch for a key used with another request.
	OnceResponse(ctx context.Context, once *assessment.Once) (*assessment.OnceResponse, error)
	Assessment(ctx context.Context, token string) (*assessment.Assessment, error)
	// PreviousAssessment returns the earlier result a retakes, without its token (no page of
	// the newer result may lead to the earlier one); ENOTFOUND when there is none.
	PreviousAssessment(ctx context.Context, a *assessment.Assessment) (*assessment.Assessment, error)
	// DeleteAssessment deletes the assessment with its answers and, in the same transaction,
	// its pool entry if the entry came from it and its rows in release snapshots; it changes
	// the result generation.
	DeleteAssessment(ctx context.Context, token string) error
}

package store

import (
	"context"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Verification keeps the verification of five-minute tests by work email
// (assessment/verification.go): single-use links stored by the hash of their token, and on
// each result the domain it was confirmed for, never the address.
type Verification interface {
	// RequestVerification stores verification v of the result with token, its link's
	// tokenHash and the message m carrying the link in one transaction. A result without
	// benchmark consent is assessment.ErrVerifyNoConsent, a confirmed one
	// assessment.ErrAlreadyVerified.
	RequestVerification(ctx context.Context, token, tokenHash string, v *assessment.Verification, m *assessment.Mail) error
	// VerificationByToken returns the verification under tokenHash, used or not, for its
	// page; assessment.ErrVerificationNotFound when there is none.
	VerificationByToken(ctx context.Context, tokenHash string) (*assessment.Verification, error)
	// ConfirmVerification confirms the result of the verification under tokenHash for its
	// domain at now, once: a first-seen domain becomes pending, an approved domain's result
	// enters the pool as the company's latest. A used or expired link changes nothing.
	ConfirmVerification(ctx context.Context, q *assessment.Questionnaire, tokenHash string, now time.Time) (assessment.DomainDecision, error)
	// DomainStatus returns a domain's state in the register ("" for none), for the result
	// page's line on what the result counts for.
	DomainStatus(ctx context.Context, domain string) (string, error)
}

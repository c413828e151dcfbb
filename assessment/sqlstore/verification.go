package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file keeps verification by work email (assessment/verification.go): the single-use
// links, by the hash of their token; the operator's register of company domains; and on each
// result, the domain it was confirmed for. A confirmed result of an approved domain is its
// company's entry in the pool under the key "domain:<domain>", so a domain is one company and
// its latest result counts (assessment.PoolEntry.Replaces).

var errNoDomain = assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)

// RequestVerification stores the verification v of the result with token, its link's
// tokenHash, and the message m that carries the link, in one transaction. The result must
// exist (ENOTFOUND), have consent to the benchmark (assessment.ErrVerifyNoConsent) and not be
// confirmed already (assessment.ErrAlreadyVerified). It sets v.ID and v.AssessmentID.
func (db *DB) RequestVerification(ctx context.Context, token, tokenHash string, v *assessment.Verification, m *assessment.Mail) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("request verification: %w", err)
	}
	defer tx.Rollback()
	var id int64
	var consent bool
	var domain string
	err = tx.QueryRowContext(ctx, "SELECT id, benchmark_consent, verified_domain FROM assessments WHERE token = ?", token).Scan(&id, &consent, &domain)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return errNoAssessment
	case err != nil:
		return fmt.Errorf("request verification: %w", err)
	case domain != "":
		return assessment.ErrAlreadyVerified
	case !consent:
		return assessment.ErrVerifyNoConsent
	}
	v.ID, err = tx.insertID(ctx, "INSERT INTO verification_requests (assessment_id, token_hash, domain, lang, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
		id, tokenHash, v.Domain, v.Lang, formatTime(v.CreatedAt), formatTime(v.ExpiresAt))
	if err != nil {
		return fmt.Errorf("request verification: %w", err)
	}
	v.AssessmentID = id
	if err := enqueueMailTx(ctx, tx, m, v.CreatedAt); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("request verification: %w", err)
	}
	return nil
}

type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// verificationTx reads the verification stored under tokenHash with its result's date.
func verificationTx(ctx context.Context, q rowQueryer, tokenHash string) (*assessment.Verification, error) {
	var v assessment.Verification
	var created, expires, used, taken, confirmed string
	err := q.QueryRowContext(ctx, `SELECT v.id, v.assessment_id, v.domain, v.lang, v.created_at, v.expires_at, v.used_at, a.created_at, a.verified_domain
		FROM verification_requests v JOIN assessments a ON a.id = v.assessment_id WHERE v.token_hash = ?`, tokenHash).
		Scan(&v.ID, &v.AssessmentID, &v.Domain, &v.Lang, &created, &expires, &used, &taken, &confirmed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assessment.ErrVerificationNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("verification: %w", err)
	}
	v.ResultConfirmed = confirmed != ""
	for _, t := range []struct {
		s string
		t *time.Time
	}{{created, &v.CreatedAt}, {expires, &v.ExpiresAt}, {used, &v.UsedAt}, {taken, &v.Taken}} {
		if *t.t, err = parseTime(t.s); err != nil {
			return nil, fmt.Errorf("verification %d: %w", v.ID, err)
		}
	}
	return &v, nil
}

// VerificationByToken returns the verification whose link carries the token with tokenHash,
// used or not, for its page; assessment.ErrVerificationNotFound when there is none.
func (db *DB) VerificationByToken(ctx context.Context, tokenHash string) (*assessment.Verification, error) {
	return verificationTx(ctx, db.read, tokenHash)
}

// ConfirmVerification confirms the result of the verification under tokenHash for its domain
// at now, in one transaction: the link is used, the result carries the domain and the time,
// a domain seen for the first time enters the register as pending, and if the domain is
// approved the result becomes its company's pool entry (in place of an earlier result of the
// same domain, and of this result's own entry under its name, if the operator had verified it
// so). A link that no longer works is its reason (assessment.Verification.Check), and a result
// confirmed meanwhile by another link assessment.ErrAlreadyVerified; both change nothing.
func (db *DB) ConfirmVerification(ctx context.Context, q *assessment.Questionnaire, tokenHash string, now time.Time) (assessment.DomainDecision, error) {
	var d assessment.DomainDecision
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return d, fmt.Errorf("confirm verification: %w", err)
	}
	defer tx.Rollback()
	v, err := verificationTx(ctx, tx, tokenHash)
	if err != nil {
		return d, err
	}
	if err := v.Check(now); err != nil {
		return d, err
	}
	a, err := assessmentTx(ctx, tx, "id = ?", v.AssessmentID)
	if err != nil {
		return d, fmt.Errorf("confirm verification: %w", err)
	}
	at := formatTime(now)
	if _, err := tx.ExecContext(ctx, "UPDATE verification_requests SET used_at = ? WHERE id = ?", at, v.ID); err != nil {
		return d, fmt.Errorf("confirm verification: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE assessments SET verified_domain = ?, verified_at = ? WHERE id = ?", v.Domain, at, a.ID); err != nil {
		return d, fmt.Errorf("confirm verification: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO email_domains (domain, status, first_seen) VALUES (?, ?, ?) ON CONFLICT (domain) DO NOTHING",
		v.Domain, assessment.DomainPending, at); err != nil {
		return d, fmt.Errorf("confirm verification: %w", err)
	}
	d.Domain = v.Domain
	if err := tx.QueryRowContext(ctx, "SELECT status FROM email_domains WHERE domain = ?", v.Domain).Scan(&d.Status); err != nil {
		return d, fmt.Errorf("confirm verification: %w", err)
	}
	if d.Status == assessment.DomainApproved {
		a.VerifiedDomain, a.VerifiedAt = v.Domain, now
		if d.Counts, err = enterDomainTx(ctx, tx, q, a); err != nil {
			return d, fmt.Errorf("confirm verification: %w", err)
		}
	}
	// The result page says what the result counts for: its cached copies are stale.
	if err := bumpResultGenerationTx(ctx, tx); err != nil {
		return d, fmt.Errorf("confirm verification: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return d, fmt.Errorf("confirm verification: %w", err)
	}
	return d, nil
}

// enterDomainTx makes the confirmed result a its domain's company entry in the pool, when it
// may count (consent, the current questionnaire) and is the domain's latest; any entry the
// result had under another key (its name, verified by the operator before) goes, so that one
// result is never two companies. It reports whether a is in the pool now.
func enterDomainTx(ctx context.Context, tx *Tx, q *assessment.Questionnaire, a *assessment.Assessment) (bool, error) {
	e, ok := q.VerifiedTestEntry(a)
	if !ok {
		return false, nil
	}
	var old string
	err := tx.QueryRowContext(ctx, "SELECT key FROM pool_companies WHERE source_id = ? AND key <> ?", a.ID, e.Key).Scan(&old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return false, err
	default:
		if err := removePoolTx(ctx, tx, old, false); err != nil {
			return false, err
		}
		if err := eraseSnapshotTx(ctx, tx, "source_id = ? AND key = ?", a.ID, old); err != nil {
			return false, err
		}
	}
	return upsertPoolTx(ctx, tx, e)
}

// forgetVerificationTx, as result id is deleted, drops its links and takes its domain out of
// the register if the domain is still pending and no other result names it: an operator
// should not learn that someone at a company took the test and then deleted the result.
func forgetVerificationTx(ctx context.Context, tx *Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM verification_requests WHERE assessment_id = ?", id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM email_domains WHERE status = ?
		AND domain = (SELECT verified_domain FROM assessments WHERE id = ?)
		AND NOT EXISTS (SELECT 1 FROM assessments o WHERE o.verified_domain = email_domains.domain AND o.id <> ?)`,
		assessment.DomainPending, id, id)
	return err
}

// PendingDomains lists, first seen first, the domains waiting for the operator's approval,
// each with the profiles of its confirmed tests on questionnaire version (no ratings).
func (db *DB) PendingDomains(ctx context.Context, version string) ([]assessment.PendingDomain, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT domain, first_seen FROM email_domains WHERE status = ? ORDER BY first_seen, domain", assessment.DomainPending)
	if err != nil {
		return nil, fmt.Errorf("pending domains: %w", err)
	}
	var out []assessment.PendingDomain
	for rows.Next() {
		var p assessment.PendingDomain
		var first string
		if err := rows.Scan(&p.Domain, &first); err != nil {
			rows.Close()
			return nil, fmt.Errorf("pending domains: %w", err)
		}
		if p.FirstSeen, err = parseTime(first); err != nil {
			rows.Close()
			return nil, fmt.Errorf("pending domains: %w", err)
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending domains: %w", err)
	}
	for i := range out {
		if out[i].Tests, err = db.domainTests(ctx, version, out[i].Domain); err != nil {
			return nil, fmt.Errorf("pending domains: %w", err)
		}
	}
	return out, nil
}

// ApprovedDomains lists up to limit approved domains, the latest approved first, with their
// confirmed tests' profiles on version (no ratings), and how many are approved in all.
func (db *DB) ApprovedDomains(ctx context.Context, version string, limit int) ([]assessment.PendingDomain, int, error) {
	var total int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM email_domains WHERE status = ?", assessment.DomainApproved).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("approved domains: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, "SELECT domain, first_seen FROM email_domains WHERE status = ? ORDER BY decided_at DESC, domain LIMIT ?", assessment.DomainApproved, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("approved domains: %w", err)
	}
	var out []assessment.PendingDomain
	for rows.Next() {
		var p assessment.PendingDomain
		var first string
		if err := rows.Scan(&p.Domain, &first); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("approved domains: %w", err)
		}
		if p.FirstSeen, err = parseTime(first); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("approved domains: %w", err)
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("approved domains: %w", err)
	}
	for i := range out {
		if out[i].Tests, err = db.domainTests(ctx, version, out[i].Domain); err != nil {
			return nil, 0, fmt.Errorf("approved domains: %w", err)
		}
	}
	return out, total, nil
}

// domainTests reads the profiles of the tests confirmed for domain on version, oldest first.
func (db *DB) domainTests(ctx context.Context, version, domain string) ([]assessment.Assessment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, created_at, verified_at, company_name, company_industry, company_size, company_country,
			company_nps_years, benchmark_consent
		FROM assessments WHERE verified_domain = ? AND questionnaire_version = ? ORDER BY created_at, id`, domain, version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assessment.Assessment
	for rows.Next() {
		a := assessment.Assessment{QuestionnaireVersion: version, VerifiedDomain: domain}
		var created, verified string
		if err := rows.Scan(&a.ID, &created, &verified, &a.Company.Name, &a.Company.Industry, &a.Company.Size, &a.Company.Country,
			&a.Company.NPSYears, &a.BenchmarkConsent); err != nil {
			return nil, err
		}
		if a.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if a.VerifiedAt, err = parseTime(verified); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// decideDomainTx sets domain's status in the register; an unknown domain is ENOTFOUND.
func (db *DB) decideDomainTx(ctx context.Context, tx *Tx, domain, status string) error {
	res, err := tx.ExecContext(ctx, "UPDATE email_domains SET status = ?, decided_at = ? WHERE domain = ?", status, formatTime(db.Now()), domain)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNoDomain
	}
	return bumpResultGenerationTx(ctx, tx)
}

// ApproveDomain accepts domain as a company's, once for all its tests: its latest confirmed
// test on q's version with consent enters the pool (and the next release), and later tests
// enter at once when confirmed. It reports whether a test entered. A domain no test was
// confirmed for is ENOTFOUND; approving a rejected domain is the operator changing their mind.
func (db *DB) ApproveDomain(ctx context.Context, q *assessment.Questionnaire, domain string) (bool, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("approve domain: %w", err)
	}
	defer tx.Rollback()
	if err := db.decideDomainTx(ctx, tx, domain, assessment.DomainApproved); err != nil {
		return false, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM assessments WHERE verified_domain = ? AND benchmark_consent = 1 AND questionnaire_version = ?
		ORDER BY created_at DESC, id DESC LIMIT 1`, domain, q.Version).Scan(&id)
	entered := false
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return false, fmt.Errorf("approve domain: %w", err)
	default:
		a, err := assessmentTx(ctx, tx, "id = ?", id)
		if err != nil {
			return false, fmt.Errorf("approve domain: %w", err)
		}
		if entered, err = enterDomainTx(ctx, tx, q, a); err != nil {
			return false, fmt.Errorf("approve domain: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("approve domain: %w", err)
	}
	return entered, nil
}

// RejectDomain refuses domain as a company's: none of its tests counts, and an entry it has
// in the pool (it was approved before) leaves, erased from release snapshots. It reports
// whether an entry left. A domain no test was confirmed for is ENOTFOUND.
func (db *DB) RejectDomain(ctx context.Context, domain string) (bool, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("reject domain: %w", err)
	}
	defer tx.Rollback()
	if err := db.decideDomainTx(ctx, tx, domain, assessment.DomainRejected); err != nil {
		return false, err
	}
	key := assessment.CompanyDomainKey(domain)
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pool_companies WHERE key = ?", key).Scan(&n); err != nil {
		return false, fmt.Errorf("reject domain: %w", err)
	}
	if err := removePoolTx(ctx, tx, key, true); err != nil {
		return false, fmt.Errorf("reject domain: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("reject domain: %w", err)
	}
	return n > 0, nil
}

// DomainStatus returns domain's state in the register, "" when it has none (its results
// were all deleted while it was pending).
func (db *DB) DomainStatus(ctx context.Context, domain string) (string, error) {
	var s string
	err := db.read.QueryRowContext(ctx, "SELECT status FROM email_domains WHERE domain = ?", domain).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("domain status: %w", err)
	}
	return s, nil
}

package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// CreateAssessment stores a and its ratings (competency = index + 1) in one transaction, so a
// failure stores nothing. On success it sets a.ID, a.Token and a.CreatedAt; on failure a is
// left as it was, so a caller cannot show a link that leads nowhere.
func (db *DB) CreateAssessment(ctx context.Context, a *assessment.Assessment) error {
	_, err := db.CreateAssessmentOnce(ctx, a, nil, nil)
	return err
}

// CreateAssessmentOnce is CreateAssessment for a request that must take effect once. When
// once's key was used before with the same request, it stores nothing and returns the first
// response (a left as it was); with another request, assessment.ErrOnceMismatch. Otherwise it
// stores a and, in the same transaction, the key with respond(token), the response that
// repeats will get, and returns nil. A nil once stores a without a key.
func (db *DB) CreateAssessmentOnce(ctx context.Context, a *assessment.Assessment, once *assessment.Once, respond func(token string) assessment.OnceResponse) (*assessment.OnceResponse, error) {
	token := newToken()
	createdAt := db.Now().UTC()

	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("create assessment: %w", err)
	}
	defer tx.Rollback()
	if once != nil {
		// Writers take turns (one write connection; PostgreSQL's write lock), so a repeat
		// that waited for the first request's transaction finds its key here.
		if r, err := onceResponse(ctx, tx, once, createdAt.Add(-assessment.OnceTTL)); r != nil || err != nil {
			return r, err
		}
	}

	id, err := tx.insertID(ctx, `INSERT INTO assessments (
		token, questionnaire_version, lang, created_at, role,
		company_name, company_industry, company_size, company_country, company_nps_years,
		benchmark_consent, previous_id
	) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		token, a.QuestionnaireVersion, a.Lang, createdAt.Format(timeFormat), a.Role,
		a.Company.Name, a.Company.Industry, a.Company.Size, a.Company.Country, a.Company.NPSYears,
		a.BenchmarkConsent, nullID(a.PreviousID),
	)
	if err != nil {
		return nil, fmt.Errorf("create assessment: %w", err)
	}
	// A consenting test does not enter the benchmark pool here: it waits for the operator to
	// verify it (VerifyAssessment), since anyone can submit any number of tests.
	if err := insertRatings(ctx, tx, id, a.Ratings); err != nil {
		return nil, fmt.Errorf("create assessment: %w", err)
	}
	if once != nil {
		claimed, err := db.claimOnceTx(ctx, tx, once, respond(token), onceCreated{assessmentID: id})
		if err != nil {
			return nil, fmt.Errorf("create assessment: %w", err)
		}
		if !claimed {
			tx.Rollback()
			return db.replayOnce(ctx, once)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create assessment: %w", err)
	}
	a.ID, a.Token, a.CreatedAt = id, token, createdAt
	return nil, nil
}

// nullID stores a missing reference (0) as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// insertRatings stores ratings in number order with one statement: one round trip to the
// database whatever the engine.
func insertRatings(ctx context.Context, tx *Tx, id int64, ratings assessment.Ratings) error {
	if len(ratings) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(ratings))
	for i, r := range ratings {
		args = append(args, id, i+1, r.AsIs, r.ToBe)
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO answers (assessment_id, competency, as_is, to_be) VALUES "+rows(len(ratings), "(?, ?, ?, ?)"), args...)
	return err
}

// rows repeats one row of placeholders n times, comma-separated, for a multi-row INSERT.
func rows(n int, row string) string {
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// newToken returns 128 random bits as 22 URL-safe characters, the unguessable part of a result
// link. crypto/rand.Read never returns an error (since Go 1.24 it crashes the program rather
// than hand out weak bytes), so there is none to handle.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Assessment returns the assessment whose result link carries token, with its ratings in
// number order. An unknown token is ENOTFOUND.
func (db *DB) Assessment(ctx context.Context, token string) (*assessment.Assessment, error) {
	return db.findAssessment(ctx, "token = ?", token)
}

// AssessmentByID returns the assessment with id, with its ratings, for the operator's
// commands. An unknown id is ENOTFOUND.
func (db *DB) AssessmentByID(ctx context.Context, id int64) (*assessment.Assessment, error) {
	return db.findAssessment(ctx, "id = ?", id)
}

// PreviousAssessment returns the earlier result that a retakes (a.PreviousID), with its
// ratings, without its token: nothing that shows the newer result may lead to the earlier
// one. ENOTFOUND when a retakes none, or the earlier one was deleted meanwhile.
func (db *DB) PreviousAssessment(ctx context.Context, a *assessment.Assessment) (*assessment.Assessment, error) {
	if a.PreviousID == 0 {
		return nil, errNoAssessment
	}
	prev, err := db.findAssessment(ctx, "id = ?", a.PreviousID)
	if err != nil {
		return nil, err
	}
	prev.Token = ""
	return prev, nil
}

// findAssessment reads the one assessment where selects, with its ratings.
func (db *DB) findAssessment(ctx context.Context, where string, arg any) (*assessment.Assessment, error) {
	// One read transaction, so the row and its answers come from the same snapshot.
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find assessment: %w", err)
	}
	defer tx.Rollback()
	return assessmentTx(ctx, tx, where, arg)
}

// assessmentTx reads the assessment matching where (with arg) and its ratings inside tx.
func assessmentTx(ctx context.Context, tx *Tx, where string, arg any) (*assessment.Assessment, error) {
	var a assessment.Assessment
	var createdAt, verifiedAt string
	err := tx.QueryRowContext(ctx, `SELECT id, token, questionnaire_version, lang, created_at, role,
		company_name, company_industry, company_size, company_country, company_nps_years,
		benchmark_consent, coalesce(previous_id, 0), verified_domain, verified_at
		FROM assessments WHERE `+where, arg).Scan(
		&a.ID, &a.Token, &a.QuestionnaireVersion, &a.Lang, &createdAt, &a.Role,
		&a.Company.Name, &a.Company.Industry, &a.Company.Size, &a.Company.Country, &a.Company.NPSYears,
		&a.BenchmarkConsent, &a.PreviousID, &a.VerifiedDomain, &verifiedAt,
	)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoAssessment
	}
	if err != nil {
		return nil, fmt.Errorf("find assessment: %w", err)
	}
	if a.CreatedAt, err = time.Parse(time.RFC3339Nano, createdAt); err != nil {
		return nil, fmt.Errorf("find assessment %d: created_at: %w", a.ID, err)
	}
	if a.VerifiedAt, err = parseTime(verifiedAt); err != nil {
		return nil, fmt.Errorf("find assessment %d: verified_at: %w", a.ID, err)
	}
	if a.Ratings, err = ratings(ctx, tx, a.ID); err != nil {
		return nil, fmt.Errorf("find assessment %d: %w", a.ID, err)
	}
	return &a, nil
}

// ratings reads the answers of assessment id in number order. Ratings[i] must be competency
// i+1, so a gap in the numbers is reported rather than silently shifting every later rating.
func ratings(ctx context.Context, tx *Tx, id int64) (assessment.Ratings, error) {
	rows, err := tx.QueryContext(ctx, "SELECT competency, as_is, to_be FROM answers WHERE assessment_id = ? ORDER BY competency", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	r := make(assessment.Ratings, 0, assessment.CompetencyCount)
	for rows.Next() {
		var c int
		var x assessment.Rating
		if err := rows.Scan(&c, &x.AsIs, &x.ToBe); err != nil {
			return nil, err
		}
		if c != len(r)+1 {
			return nil, fmt.Errorf("answers: competency %d follows %d", c, len(r))
		}
		r = append(r, x)
	}
	return r, rows.Err()
}

var errNoAssessment = assessment.NewError(assessment.ENOTFOUND, assessment.MsgAssessmentNotFound, nil)

// DeleteAssessment deletes the assessment whose result link carries token, with its answers
// and the team round opened from it (unless a consultant took that over: then only its team
// link goes), in one transaction with its pool entry if it was verified into the pool (a
// named company's entry that came from another test of the same company stays; an earlier
// test does not take its place), and with its rows in release snapshots erased. Statistics
// already published keep it, as anonymous noisy figures of at least 5 companies, until its
// group's next release: changing them at once would publish the difference, which is the
// result. An
// unknown token is ENOTFOUND.
func (db *DB) DeleteAssessment(ctx context.Context, token string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete assessment: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, "SELECT id FROM assessments WHERE token = ?", token).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoAssessment
	}
	if err != nil {
		return fmt.Errorf("delete assessment: %w", err)
	}
	if err := deleteAssessmentTx(ctx, tx, id); err != nil {
		return fmt.Errorf("delete assessment: %w", err)
	}
	if err := bumpResultGenerationTx(ctx, tx); err != nil {
		return fmt.Errorf("delete assessment: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete assessment: %w", err)
	}
	db.erased(ctx)
	return nil
}

// bumpResultGenerationTx records inside tx that results were deleted.
func bumpResultGenerationTx(ctx context.Context, tx *Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE result_generation SET generation = generation + 1 WHERE id = 1")
	return err
}

// ResultGeneration returns a number that changes whenever a result is deleted, in this
// process or any other writing the same file: caches of result pages are valid while it is
// equal.
func (db *DB) ResultGeneration(ctx context.Context) (int64, error) {
	return db.generation(ctx, "result_generation")
}

// deleteAssessmentTx deletes assessment id and its answers inside tx, takes its pool entry
// out if it has one, and erases it from release snapshots.
func deleteAssessmentTx(ctx context.Context, tx *Tx, id int64) error {
	var key string
	err := tx.QueryRowContext(ctx, "SELECT key FROM pool_companies WHERE source_id = ? AND source_id <> 0", id).Scan(&key)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		if err := removePoolTx(ctx, tx, key, false); err != nil {
			return err
		}
	}
	if err := eraseSnapshotTx(ctx, tx, "source_id = ? AND source_id <> 0", id); err != nil {
		return err
	}
	// answers go with the assessment (ON DELETE CASCADE) and retakes of it forget it (ON
	// DELETE SET NULL); both done explicitly all the same, so that a connection without
	// foreign keys leaves nothing behind either. A retake keeps working, without comparison.
	if _, err := tx.ExecContext(ctx, "DELETE FROM answers WHERE assessment_id = ?", id); err != nil {
		return err
	}
	// The keys of the requests that created it lead to it: they go too.
	if _, err := tx.ExecContext(ctx, "DELETE FROM once_keys WHERE assessment_id = ?", id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE assessments SET previous_id = NULL WHERE previous_id = ?", id); err != nil {
		return err
	}
	if err := deleteTeamOfTx(ctx, tx, id); err != nil {
		return err
	}
	if err := forgetVerificationTx(ctx, tx, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM assessments WHERE id = ?", id)
	return err
}

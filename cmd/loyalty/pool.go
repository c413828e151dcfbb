package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// poolCmd runs "loyalty pool pending|verify|unverify": the operator's check of five-minute
// tests. A test enters the benchmark only once someone has checked that it comes from the
// company it names, because anyone can submit any number of tests: a benchmark counting them
// could be filled with an attacker's own companies (docs/privacy.md).
func poolCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "pool: usage: loyalty pool pending | verify ID… | unverify ID…"
	if len(args) == 0 {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("pool "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var ids []int64
	for _, a := range fs.Args() {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("pool %s: %q is not a test ID (see loyalty pool pending)", args[0], a)
		}
		ids = append(ids, id)
	}
	switch args[0] {
	case "pending":
		if len(ids) > 0 {
			return errors.New("pool pending: takes no arguments")
		}
	case "verify", "unverify":
		if len(ids) == 0 {
			return fmt.Errorf("pool %s: name at least one test ID (see loyalty pool pending)", args[0])
		}
	default:
		return errors.New(use)
	}
	q, db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "pending":
		return poolPending(ctx, db, q.Version, stdout)
	case "verify":
		for _, id := range ids {
			a, err := db.AssessmentByID(ctx, id)
			if err != nil {
				return fmt.Errorf("pool verify %d: %w", id, sentence(err))
			}
			switch {
			case !a.BenchmarkConsent:
				return fmt.Errorf("pool verify %d: the respondent did not consent to the benchmark", id)
			case a.QuestionnaireVersion != q.Version:
				return fmt.Errorf("pool verify %d: answered on questionnaire %s, not %s", id, a.QuestionnaireVersion, q.Version)
			}
			in, err := db.VerifyAssessment(ctx, q, id)
			if err != nil {
				return fmt.Errorf("pool verify %d: %w", id, sentence(err))
			}
			if err := cliAudit(ctx, db, assessment.AuditTestApproved, assessment.AuditTarget(assessment.TargetResult, id)); err != nil {
				return err
			}
			if in {
				fmt.Fprintf(stdout, "verified test %d: it is in the benchmark pool and enters the next release\n", id)
			} else {
				fmt.Fprintf(stdout, "test %d is not in the pool: a later result of the same company is there already\n", id)
			}
		}
	case "unverify":
		for _, id := range ids {
			out, err := db.UnverifyAssessment(ctx, id)
			if err != nil {
				return err
			}
			if out {
				if err := cliAudit(ctx, db, assessment.AuditTestUnverified, assessment.AuditTarget(assessment.TargetResult, id)); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "test %d left the benchmark pool; published figures drop it with their next release\n", id)
			} else {
				fmt.Fprintf(stdout, "test %d was not in the benchmark pool\n", id)
			}
		}
	}
	return nil
}

// poolPending lists the consenting tests nobody has verified yet, with what the operator
// needs to check them: when, and the company they name.
func poolPending(ctx context.Context, db *sqlstore.DB, version string, stdout io.Writer) error {
	pending, err := db.PendingAssessments(ctx, version)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		fmt.Fprintln(stdout, "no tests wait for verification")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tTAKEN\tCOMPANY\tCOUNTRY\tINDUSTRY\tSIZE\tNPS YEARS")
	for _, a := range pending {
		name := a.Company.Name
		if name == "" {
			name = "(no name)"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, cliTime(a.CreatedAt), strconv.Quote(name), a.Company.Country,
			a.Company.Industry, a.Company.Size, a.Company.NPSYears)
	}
	return w.Flush()
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// poolCmd runs "loyalty pool pending|verify|unverify|approve-domain|reject-domain": the
// operator's check of five-minute tests. A test enters the benchmark only once someone has
// checked that it comes from the company it names, because anyone can submit any number of
// tests: a benchmark counting them could be filled with an attacker's own companies
// (docs/privacy.md). A test confirmed by work email names its company by its domain: the
// operator approves a domain once, and its latest test counts.
func poolCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "pool: usage: loyalty pool pending | verify ID… | unverify ID… | approve-domain DOMAIN… | reject-domain DOMAIN…"
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
	if args[0] == "approve-domain" || args[0] == "reject-domain" {
		return poolDomains(ctx, c, args[0], fs.Args(), stdout)
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
		if err := poolPendingDomains(ctx, db, q.Version, stdout); err != nil {
			return err
		}
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
	fmt.Fprintln(stdout, "Tests not in the pool (loyalty pool verify ID):")
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

// poolPendingDomains lists the domains waiting for approval, each with its confirmed tests'
// profiles: what the operator checks a domain by (is it a company's, do the tests look like
// that company's), never their answers.
func poolPendingDomains(ctx context.Context, db *sqlstore.DB, version string, stdout io.Writer) error {
	domains, err := db.PendingDomains(ctx, version)
	if err != nil {
		return err
	}
	if len(domains) == 0 {
		fmt.Fprintln(stdout, "no domains wait for approval")
		return nil
	}
	fmt.Fprintln(stdout, "Domains waiting for approval (loyalty pool approve-domain DOMAIN or reject-domain DOMAIN):")
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "DOMAIN\tFIRST SEEN\tTESTS\tTEST\tTAKEN\tCOMPANY\tCOUNTRY\tINDUSTRY\tSIZE\tCONSENT")
	for _, d := range domains {
		fmt.Fprintf(w, "%s\t%s\t%d", d.Domain, cliTime(d.FirstSeen), len(d.Tests))
		if len(d.Tests) == 0 {
			fmt.Fprintln(w, "\t\t\t\t\t\t\t")
		}
		for i, a := range d.Tests {
			if i > 0 {
				fmt.Fprint(w, "\t\t")
			}
			name := a.Company.Name
			if name == "" {
				name = "(no name)"
			}
			consent := "yes"
			if !a.BenchmarkConsent {
				consent = "no"
			}
			fmt.Fprintf(w, "\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, cliTime(a.CreatedAt), strconv.Quote(name), a.Company.Country,
				a.Company.Industry, a.Company.Size, consent)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	return nil
}

// poolDomains approves or rejects each domain named, once for all its tests.
func poolDomains(ctx context.Context, c common, cmd string, domains []string, stdout io.Writer) error {
	if len(domains) == 0 {
		return fmt.Errorf("pool %s: name at least one domain (see loyalty pool pending)", cmd)
	}
	q, db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	for _, d := range domains {
		d = strings.ToLower(strings.TrimSpace(d))
		switch cmd {
		case "approve-domain":
			in, err := db.ApproveDomain(ctx, q, d)
			if err != nil {
				return fmt.Errorf("pool approve-domain %s: %w", d, domainSentence(err))
			}
			if err := cliAudit(ctx, db, assessment.AuditDomainApproved, assessment.AuditDomainTarget(d)); err != nil {
				return err
			}
			if in {
				fmt.Fprintf(stdout, "approved %s: its latest test is in the benchmark pool and enters the next release; its later tests count when confirmed\n", d)
			} else {
				fmt.Fprintf(stdout, "approved %s: none of its tests can count yet (no consent, or another questionnaire version); its later tests count when confirmed\n", d)
			}
		default:
			out, err := db.RejectDomain(ctx, d)
			if err != nil {
				return fmt.Errorf("pool reject-domain %s: %w", d, domainSentence(err))
			}
			if err := cliAudit(ctx, db, assessment.AuditDomainRejected, assessment.AuditDomainTarget(d)); err != nil {
				return err
			}
			if out {
				fmt.Fprintf(stdout, "rejected %s: its test left the benchmark pool; published figures drop it with their next release\n", d)
			} else {
				fmt.Fprintf(stdout, "rejected %s: none of its tests counts\n", d)
			}
		}
	}
	return nil
}

// domainSentence says an unknown domain as the operator needs to read it.
func domainSentence(err error) error {
	if assessment.ErrorCode(err) == assessment.ENOTFOUND {
		return errors.New("no test was confirmed for this domain (see loyalty pool pending)")
	}
	return sentence(err)
}

// domainLists returns the built-in free-mail and throw-away lists with the operator's file
// of blocked domains (-blocked-domains) added, if any.
func domainLists(file string) (*assessment.DomainLists, error) {
	l, err := assessment.BuiltinDomainLists()
	if err != nil {
		return nil, err
	}
	if file == "" {
		return l, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("-blocked-domains: %w", err)
	}
	defer f.Close()
	if err := l.Read(f, assessment.RuleBlockedDomain); err != nil {
		return nil, fmt.Errorf("-blocked-domains %s: %w", file, err)
	}
	return l, nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/web"
	"github.com/loyalty-cx/loyalty/views"
)

// operatorCmd runs "loyalty operator add|list|remove": the operator accounts that sign in to
// the console (/ops). "add" stores the account without a password and a link to set one,
// sent by email through the outbox (the running server sends it; without -smtp it writes the
// link to its log): nothing secret is printed, and nobody types a password for someone else.
// Every change is recorded in the operator audit log with the address "cli".
func operatorCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "operator: usage: loyalty operator add --email E [--lang da|sv|nb|en] [-base-url URL] | list | remove --email E"
	if len(args) == 0 || !slices.Contains([]string{"add", "list", "remove"}, args[0]) {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("operator "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	email := fs.String("email", "", "the operator's email: the sign-in name, and where the set-password link goes")
	lang := fs.String("lang", "en", "the language of the email: da, sv, nb or en")
	baseURL := fs.String("base-url", envOr("LOYALTY_BASE_URL", ""), "public address of the app, which the link leads to (env LOYALTY_BASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("operator %s: unexpected argument %q", args[0], fs.Arg(0))
	}
	switch args[0] {
	case "list":
		db, err := sqlstore.Open(c.db)
		if err != nil {
			return err
		}
		defer db.Close()
		ops, err := db.Operators(ctx)
		if err != nil {
			return err
		}
		if len(ops) == 0 {
			fmt.Fprintln(stdout, "no operators: add one with loyalty operator add --email E")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tSINCE")
		for _, o := range ops {
			fmt.Fprintf(tw, "%s\t%s\n", o.Email, o.CreatedAt.Format("2006-01-02"))
		}
		return tw.Flush()
	case "remove":
		if *email == "" {
			return errors.New("operator remove: --email is required")
		}
		db, err := sqlstore.Open(c.db)
		if err != nil {
			return err
		}
		defer db.Close()
		u, err := db.RemoveOperator(ctx, *email)
		if err != nil {
			return fmt.Errorf("operator remove: --email %s: %w", *email, sentence(err))
		}
		if err := cliAudit(ctx, db, assessment.AuditOperatorRemoved, assessment.AuditTarget(assessment.TargetOperator, u.ID)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "operator %s removed: signed out everywhere, the account is gone\n", u.Email)
		return nil
	}
	op, err := assessment.NewOperator(*email)
	if err != nil {
		return fmt.Errorf("operator add: --email: %w", sentence(err))
	}
	if !slices.ContainsFunc(views.Languages, func(l views.Language) bool { return l.Code == *lang }) {
		return fmt.Errorf("operator add: --lang %q: use da, sv, nb or en", *lang)
	}
	base, err := web.ParseBaseURL(*baseURL)
	if err != nil {
		return err
	}
	if base == "" {
		return errors.New("operator add: -base-url (or LOYALTY_BASE_URL) is required: the set-password link must lead to the app's public address")
	}
	db, err := sqlstore.Open(c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	tok, hash := auth.NewToken()
	m, err := views.Loc{Lang: *lang}.ResetMail(op.Email, base+"/password/reset/"+tok)
	if err != nil {
		return err
	}
	if err := db.CreateOperator(ctx, &op, hash, time.Now().Add(assessment.OperatorSetPasswordTTL), &m); err != nil {
		return fmt.Errorf("operator add: --email %s: %w", op.Email, sentence(err))
	}
	if err := cliAudit(ctx, db, assessment.AuditOperatorAdded, assessment.AuditTarget(assessment.TargetOperator, op.ID)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "operator %s added: a link to set a password (valid for 7 days, once) is in the outbox; the server sends it (without -smtp it writes the link to its log). Signing in asks them to set up a second factor before anything else.\n", op.Email)
	return nil
}

// cliAudit records an operator action taken on the server's shell in the operator audit
// log: the actor is "cli", as is the address.
func cliAudit(ctx context.Context, db *sqlstore.DB, action, target string) error {
	e := assessment.AuditEvent{Scope: assessment.AuditScopeOperator, ActorName: assessment.AuditAddressCLI, Action: action, Target: target, Address: assessment.AuditAddressCLI}
	if err := db.RecordAudit(ctx, &e); err != nil {
		return fmt.Errorf("record the action in the operator audit log: %w", err)
	}
	return nil
}

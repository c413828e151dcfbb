package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/web"
	"github.com/loyalty-cx/loyalty/views"
)

// workspaceCmd runs "loyalty workspace create": it creates a workspace and invites its first
// admin by email. The invitation and its message go into the outbox in one transaction; the
// running server sends it (or, without -smtp, writes the link to its log). Nobody types a
// password for someone else.
func workspaceCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New(`workspace: usage: loyalty workspace create --name N --admin-email E [--lang da|sv|nb|en] [-base-url URL]`)
	}
	fs := flag.NewFlagSet("workspace create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	name := fs.String("name", "", "the workspace's (consultancy's) name")
	adminEmail := fs.String("admin-email", "", "the email of its first admin, who gets an invitation")
	lang := fs.String("lang", "en", "the language of the invitation: da, sv, nb or en")
	baseURL := fs.String("base-url", envOr("LOYALTY_BASE_URL", ""), "public address of the app, which the invitation's link leads to (env LOYALTY_BASE_URL)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("workspace create: unexpected argument %q", fs.Arg(0))
	}
	base, err := web.ParseBaseURL(*baseURL)
	if err != nil {
		return err
	}
	if base == "" {
		return errors.New("workspace create: -base-url (or LOYALTY_BASE_URL) is required: the invitation's link must lead to the app's public address")
	}
	if !slices.ContainsFunc(views.Languages, func(l views.Language) bool { return l.Code == *lang }) {
		return fmt.Errorf("workspace create: --lang %q: use da, sv, nb or en", *lang)
	}
	inv, err := assessment.NewMemberInvitation(*adminEmail, assessment.RoleAdmin, *lang, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("workspace create: --admin-email: %w", err)
	}
	db, err := sqlstore.Open(c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	ws, err := db.EnsureWorkspace(ctx, *name)
	if err != nil {
		return fmt.Errorf("workspace create: --name: %w", err)
	}
	tok, hash := auth.NewToken()
	link := base + "/invite/" + tok
	l := views.Loc{Lang: *lang}
	m, err := l.InvitationMail(inv.Email, l.T("mail.invite.operator"), ws.Name, link)
	if err != nil {
		return err
	}
	if err := db.CreateMemberInvitation(ctx, ws.ID, &inv, hash, &m); err != nil {
		return fmt.Errorf("workspace create: %w", err)
	}
	if err := cliAudit(ctx, db, assessment.AuditWorkspaceCreated, assessment.AuditTarget(assessment.TargetWorkspace, ws.ID)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "workspace %q: invitation of %s as its admin stored; the server sends it (without -smtp it writes the link to its log). The link, valid for 7 days, once:\n%s\n", ws.Name, inv.Email, link)
	return nil
}

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/views"
)

// userCmd runs "loyalty user add": it creates the workspace if needed and adds a member. The
// password never comes from the command line, where other users of the machine and the shell
// history would see it: it is LOYALTY_PASSWORD or the first line of standard input.
func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New(`user: usage: loyalty user add --workspace W --email E --name N [--admin]`)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	wsName := fs.String("workspace", "", "workspace (consultancy) name; created if it does not exist")
	email := fs.String("email", "", "the member's email, used to sign in")
	name := fs.String("name", "", "the member's name")
	admin := fs.Bool("admin", false, "make the member an admin of the workspace")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user add: unexpected argument %q (the password is read from stdin or LOYALTY_PASSWORD, never from the command line)", fs.Arg(0))
	}
	role := assessment.RoleConsultant
	if *admin {
		role = assessment.RoleAdmin
	}
	u, err := assessment.NewUser(*email, *name, role)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	if err := assessment.CheckPassword(pw); err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	hash, err := auth.HashPassword(ctx, pw)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	db, err := sqlstore.Open(c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	ws, err := db.EnsureWorkspace(ctx, *wsName)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	if err := db.CreateUser(ctx, ws.ID, &u, hash); err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	fmt.Fprintf(stdout, "added %s <%s> as %s of workspace %q\n", u.Name, u.Email, u.Role, ws.Name)
	return nil
}

// readPassword returns LOYALTY_PASSWORD, or else the first line of stdin.
func readPassword(stdin io.Reader) (string, error) {
	if pw, ok := os.LookupEnv("LOYALTY_PASSWORD"); ok && pw != "" {
		return pw, nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password: set LOYALTY_PASSWORD or write it to standard input")
	}
	return line, nil
}

// tokenCmd runs "loyalty token create|list|revoke": an operator's view of members' API
// tokens, the same the members have at /w/tokens.
func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	usage := errors.New("token: usage: loyalty token create --email E [--name N] [--expires-in 90d] | list --email E | revoke ID")
	if len(args) == 0 {
		return usage
	}
	switch args[0] {
	case "create":
		return tokenCreate(ctx, args[1:], stdout, stderr)
	case "list":
		return tokenList(ctx, args[1:], stdout, stderr)
	case "revoke":
		return tokenRevoke(ctx, args[1:], stdout, stderr)
	}
	return usage
}

// tokenCreate prints a new API token for a member once. Only its hash is stored, so a lost
// token cannot be shown again; create another.
func tokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	email := fs.String("email", "", "the member the token acts for")
	name := fs.String("name", "command line", "what the token is for, shown in the member's list of tokens")
	expiresIn := fs.String("expires-in", "", "lifetime, e.g. 30d, 12w, 6mo or 1y (d days, w weeks, mo months, y years); empty: never expires")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token create: unexpected argument %q", fs.Arg(0))
	}
	var life assessment.Period
	if *expiresIn != "" {
		var err error
		if life, err = assessment.ParsePeriod(*expiresIn); err != nil {
			return fmt.Errorf("token create: --expires-in: %w", sentence(err))
		}
	}
	t, err := assessment.NewAPIToken(*name, life, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("token create: %w", sentence(err))
	}
	db, err := sqlstore.Open(c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	u, _, err := db.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("token create: %w", sentence(err))
	}
	token, hash := auth.NewToken()
	if err := db.CreateAPIToken(ctx, u.ID, hash, &t); err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	fmt.Fprintln(stdout, token)
	expires := "never expires"
	if !t.ExpiresAt.IsZero() {
		expires = "expires " + cliTime(t.ExpiresAt)
	}
	fmt.Fprintf(stderr, "API token %d %q for %s <%s> of workspace %q, %s; it is shown only this once.\n",
		t.ID, t.Name, u.Name, u.Email, u.Workspace, expires)
	return nil
}

// tokenList prints a member's API tokens, newest first, without their secrets.
func tokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	email := fs.String("email", "", "the member whose tokens to list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token list: unexpected argument %q", fs.Arg(0))
	}
	db, err := sqlstore.Open(c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	u, _, err := db.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("token list: %w", sentence(err))
	}
	ts, err := db.APITokens(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("token list: %w", err)
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tCREATED\tLAST USED\tEXPIRES")
	now := time.Now()
	for _, t := range ts {
		used, expires := "never", "never"
		if !t.LastUsedAt.IsZero() {
			used = cliTime(t.LastUsedAt)
		}
		if !t.ExpiresAt.IsZero() {
			expires = cliTime(t.ExpiresAt)
			if t.Expired(now) {
				expires += " (expired)"
			}
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", t.ID, strconv.Quote(t.Name), cliTime(t.CreatedAt), used, expires)
	}
	return w.Flush()
}

// tokenRevoke deletes an API token by its id (from token list): requests that send it are
// refused from then on.
func tokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("token revoke: name the token's ID (see loyalty token list --email E)")
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("token revoke: %q is not a token ID", fs.Arg(0))
	}
	db, err := sqlstore.Open(c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := db.APITokenByID(ctx, id)
	if err == nil {
		err = db.RevokeAPIToken(ctx, t.UserID, t.ID)
	}
	if err != nil {
		return fmt.Errorf("token revoke: %w", sentence(err))
	}
	fmt.Fprintf(stdout, "revoked API token %d %q\n", t.ID, t.Name)
	return nil
}

// cliTime writes a time for the command line: UTC to the minute.
func cliTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// sentence turns a domain error into its English sentence, as the API would say it; other
// errors pass unchanged.
func sentence(err error) error {
	if _, ok := assessment.AsError(err); ok {
		return errors.New(views.Loc{Lang: "en"}.Error(err))
	}
	return err
}

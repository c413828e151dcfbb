package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/sqlite"
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
	db, err := sqlite.Open(c.db)
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

// tokenCmd runs "loyalty token create": it prints a new API token for a member once. Only
// its hash is stored, so a lost token cannot be shown again; create another.
func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("token: usage: loyalty token create --email E")
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	email := fs.String("email", "", "the member the token acts for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := sqlite.Open(c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	u, _, err := db.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	token, hash := auth.NewToken()
	if err := db.CreateAPIToken(ctx, u.ID, hash); err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintf(stderr, "API token for %s <%s> of workspace %q; it is shown only this once.\n", u.Name, u.Email, u.Workspace)
	return nil
}

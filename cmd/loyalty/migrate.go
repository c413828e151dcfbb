package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// migrateDB runs "loyalty migrate-db --from FILE --to URL": it copies a SQLite database into
// an empty PostgreSQL one, the way out for a user who outgrows one machine, and prints what
// it copied. Stop the program that writes to FILE first.
func migrateDB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate-db", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the SQLite database file to copy")
	to := fs.String("to", "", "the empty PostgreSQL database to copy into (postgres://…)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("migrate-db: unexpected argument %q", fs.Arg(0))
	case *from == "" || *to == "":
		return errors.New("migrate-db: usage: loyalty migrate-db --from loyalty.db --to postgres://user:password@host/db")
	case sqlstore.IsPostgres(*from):
		return errors.New("migrate-db: --from must be a SQLite file")
	case !sqlstore.IsPostgres(*to):
		return errors.New("migrate-db: --to must be a postgres:// URL")
	}
	if err := requireFile(*from); err != nil {
		return fmt.Errorf("migrate-db: %w", err)
	}
	src, err := sqlstore.Open(*from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := sqlstore.Open(*to)
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := src.CopyTo(ctx, dst)
	if err != nil {
		return fmt.Errorf("migrate-db: %w", err)
	}
	width, total := 0, 0
	for _, c := range counts {
		width = max(width, len(c.Table))
		total += c.Rows
	}
	for _, c := range counts {
		fmt.Fprintf(stdout, "%-*s %9d\n", width, c.Table, c.Rows)
	}
	fmt.Fprintf(stdout, "copied %d rows into %s; row counts and the benchmark pool match. Serve it with -db set to that URL.\n",
		total, sqlstore.Describe(*to))
	return nil
}

// requireFile fails unless path is an existing regular file: opening a missing one would
// create an empty database and copy nothing.
func requireFile(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("--from %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("--from %s is not a file", path)
	}
	return nil
}

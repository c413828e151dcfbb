package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// demo adds synthetic companies to the benchmark pool, or removes them all. They count in
// benchmarks only when the server runs with -demo, and pages then say so.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	n := fs.Int("companies", 0, "number of synthetic companies to add")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same companies")
	remove := fs.Bool("remove", false, "remove every synthetic company")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("demo: unexpected argument %q", fs.Arg(0))
	}
	if *remove == (*n > 0) {
		return errors.New("demo: give either --companies N (N > 0) or --remove")
	}
	if *n > 1_000_000 {
		return errors.New("demo: at most 1,000,000 companies")
	}
	q, db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	if *remove {
		removed, err := db.RemoveSynthetic(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed %d synthetic companies from %s\n", removed, c.db)
		return nil
	}
	if err := db.AddSynthetic(ctx, q.SyntheticCompanies(*n, *seed, db.Now())); err != nil {
		if total, cerr := db.SyntheticCount(ctx); cerr == nil && total > 0 {
			return fmt.Errorf("%w (the pool already has %d synthetic companies; a seed can be loaded once: remove them first or use another --seed)", err, total)
		}
		return err
	}
	total, err := db.SyntheticCount(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %d synthetic companies (seed %d) to %s; %d in the pool. Run the server with -demo to include them.\n", *n, *seed, c.db, total)
	return nil
}

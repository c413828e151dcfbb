package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// TestTokenCommands: the operator makes, lists and revokes a member's API tokens from the
// command line; a revoked token no longer authenticates, and a lifetime in an unclear unit
// is refused with a sentence that says how to write it.
func TestTokenCommands(t *testing.T) {
	db := dbPath(t)
	t.Setenv("LOYALTY_PASSWORD", "correct horse battery staple")
	if _, _, err := runOnce(t, "user", "add", "-db", db, "--workspace", "Nordic CX", "--email", "ann@example.com", "--name", "Ann", "--admin"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	old, _, err := runOnce(t, "token", "create", "-db", db, "--email", "ann@example.com")
	if err != nil {
		t.Fatalf("token create without --name (as before): %v", err)
	}
	secret, stderr, err := runOnce(t, "token", "create", "-db", db, "--email", "ann@example.com", "--name", "Laptop", "--expires-in", "30d")
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	secret = strings.TrimSpace(secret)
	if !strings.Contains(stderr, `API token 2 "Laptop" for Ann <ann@example.com>`) || !strings.Contains(stderr, "expires ") {
		t.Errorf("token create said %q", stderr)
	}
	if _, _, err := runOnce(t, "token", "create", "-db", db, "--email", "ann@example.com", "--expires-in", "18m"); err == nil ||
		err.Error() != `token create: --expires-in: "18m" is ambiguous: write 18mo for months` {
		t.Errorf("token create --expires-in 18m = %v", err)
	}

	list, _, err := runOnce(t, "token", "list", "-db", db, "--email", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(list), "\n")
	row := regexp.MustCompile(`^(\d+)\s+"([^"]+)"\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+never\s+(never|\d{4}-\d\d-\d\d \d\d:\d\d UTC)$`)
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("token list =\n%s\nwant a header and 2 tokens", list)
	}
	for i, want := range []struct{ id, name string }{{"2", "Laptop"}, {"1", "command line"}} {
		m := row.FindStringSubmatch(lines[i+1])
		if m == nil || m[1] != want.id || m[2] != want.name || (want.id == "1") != (m[3] == "never") {
			t.Errorf("token list line %d = %q, want token %s %q", i+1, lines[i+1], want.id, want.name)
		}
	}

	out, _, err := runOnce(t, "token", "revoke", "-db", db, "2")
	if err != nil || strings.TrimSpace(out) != `revoked API token 2 "Laptop"` {
		t.Errorf("token revoke 2 = %q, %v", out, err)
	}
	if _, _, err := runOnce(t, "token", "revoke", "-db", db, "2"); err == nil || err.Error() != "token revoke: There is no such API token." {
		t.Errorf("token revoke of a revoked token = %v", err)
	}
	store, err := sqlstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.APITokenUser(context.Background(), auth.HashToken(secret)); err == nil {
		t.Error("the revoked token still authenticates")
	}
	if _, err := store.APITokenUser(context.Background(), auth.HashToken(strings.TrimSpace(old))); err != nil {
		t.Errorf("the other token = %v, want it working", err)
	}
}

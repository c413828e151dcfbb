package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// TestWorkspaceCreateInvitesTheFirstAdmin: the command makes the workspace and stores an
// admin invitation with its message (in the language asked for) in the outbox; the link it
// prints is the one the message carries, and works for an admin of that workspace. Bad input
// names the flag and stores nothing.
func TestWorkspaceCreateInvitesTheFirstAdmin(t *testing.T) {
	db := dbPath(t)
	out, _, err := runOnce(t, "workspace", "create", "-db", db, "--name", "Nordic CX", "--admin-email", "Ann@Nordic.example", "--lang", "sv", "-base-url", "https://loyalty.example")
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`https://loyalty\.example/invite/([A-Za-z0-9_-]+)`).FindStringSubmatch(out)
	if link == nil {
		t.Fatalf("output %q has no link", out)
	}
	store, err := sqlstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	inv, err := store.MemberInvitationByToken(ctx, auth.HashToken(link[1]))
	if err != nil || inv.Email != "ann@nordic.example" || inv.Role != assessment.RoleAdmin || inv.Workspace != "Nordic CX" || inv.Lang != "sv" {
		t.Fatalf("invitation = %+v, %v; want ann as admin of Nordic CX, in Swedish", inv, err)
	}
	ms, err := store.ClaimMail(ctx, store.Now().Add(1), assessment.MailLease, 10)
	if err != nil || len(ms) != 1 || ms[0].To != "ann@nordic.example" || !strings.Contains(ms[0].Text, link[0]) || !strings.Contains(ms[0].Subject, "bjuder in dig till Nordic CX") {
		t.Fatalf("outbox = %+v, %v; want one Swedish invitation carrying the link", ms, err)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "X", "--admin-email", "not an address", "-base-url", "https://loyalty.example"}, "--admin-email"},
		{[]string{"--name", "X", "--admin-email", "a@b.example"}, "-base-url"},
		{[]string{"--name", "X", "--admin-email", "a@b.example", "-base-url", "https://loyalty.example", "--lang", "fr"}, "--lang"},
		{[]string{"--name", "", "--admin-email", "a@b.example", "-base-url", "https://loyalty.example"}, "--name"},
	} {
		_, _, err := runOnce(t, append([]string{"workspace", "create", "-db", db}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("workspace create %q = %v, want an error naming %s", tt.args, err, tt.want)
		}
	}
	if counts, _ := store.MailCounts(ctx); counts["pending"] != 1 {
		t.Errorf("outbox after refused commands = %v, want the one message", counts)
	}
}

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

// TestOperatorCommands: add stores an operator with no password and puts a set-password link
// in the outbox without printing it; the link's page knows the operator; list shows them;
// remove deletes them; bad input names the flag and stores nothing. Each change, and a
// workspace created on the shell, is in the operator audit log as "cli".
func TestOperatorCommands(t *testing.T) {
	db := dbPath(t)
	out, _, err := runOnce(t, "operator", "add", "-db", db, "--email", "Olga@Ops.example", "--lang", "da", "-base-url", "https://loyalty.example")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "/password/reset/") || !strings.Contains(out, "olga@ops.example") {
		t.Errorf("operator add printed %q: want the address and no link", out)
	}
	store, err := sqlstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	ms, err := store.ClaimMail(ctx, store.Now().Add(1), assessment.MailLease, 10)
	if err != nil || len(ms) != 1 || ms[0].To != "olga@ops.example" {
		t.Fatalf("outbox = %+v, %v; want one message to olga", ms, err)
	}
	link := regexp.MustCompile(`https://loyalty\.example/password/reset/([A-Za-z0-9_-]+)`).FindStringSubmatch(ms[0].Text)
	if link == nil {
		t.Fatalf("message %q has no set-password link", ms[0].Text)
	}
	if u, err := store.PasswordResetUser(ctx, auth.HashToken(link[1])); err != nil || !u.IsOperator() || u.Email != "olga@ops.example" {
		t.Errorf("the link's account = %+v, %v; want the operator olga", u, err)
	}
	if _, hash, err := store.UserByEmail(ctx, "olga@ops.example"); err != nil || hash != "!" {
		t.Errorf("new operator's password hash = %q, %v; want none usable", hash, err)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "--email", "olga@ops.example", "-base-url", "https://loyalty.example"}, "already has an account"},
		{[]string{"add", "--email", "not an address", "-base-url", "https://loyalty.example"}, "--email"},
		{[]string{"add", "--email", "x@ops.example"}, "-base-url"},
		{[]string{"add", "--email", "x@ops.example", "-base-url", "https://loyalty.example", "--lang", "fr"}, "--lang"},
		{[]string{"remove", "--email", "nobody@ops.example"}, "no operator"},
		{[]string{"remove"}, "--email"},
		{[]string{"promote"}, "usage"},
	} {
		_, _, err := runOnce(t, append([]string{"operator", tt.args[0], "-db", db}, tt.args[1:]...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("operator %q = %v, want an error naming %s", tt.args, err, tt.want)
		}
	}
	if counts, _ := store.MailCounts(ctx); counts["pending"] != 1 {
		t.Errorf("outbox after refused commands = %v, want the one message", counts)
	}

	if out, _, err := runOnce(t, "operator", "list", "-db", db); err != nil || !strings.Contains(out, "olga@ops.example") {
		t.Errorf("operator list = %q, %v; want olga", out, err)
	}
	if _, _, err := runOnce(t, "workspace", "create", "-db", db, "--name", "Nordic CX", "--admin-email", "ann@nordic.example", "-base-url", "https://loyalty.example"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runOnce(t, "operator", "remove", "-db", db, "--email", "OLGA@ops.example"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := runOnce(t, "operator", "list", "-db", db); err != nil || strings.Contains(out, "olga") {
		t.Errorf("operator list after remove = %q, %v", out, err)
	}
	es, err := store.OperatorAuditEvents(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Action+" "+e.ActorName+" "+e.Address)
	}
	want := "operator.removed cli cli; workspace.created cli cli; operator.added cli cli"
	if strings.Join(got, "; ") != want {
		t.Errorf("operator audit log = %v, want %s", got, want)
	}
}

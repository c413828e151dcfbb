package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var tokenTests = []test{
	{"API tokens", testAPITokens},
}

// testAPITokens: a member's tokens are listed newest first with their names and dates, only
// their owner can read or revoke them, an expired one no longer authenticates, a revoked one
// is refused at once, and a use is written at most once a minute.
func testAPITokens(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	user := func(ws *assessment.Workspace, email string) *assessment.User {
		u, _ := assessment.NewUser(email, "X", assessment.RoleConsultant)
		if err := f.db.CreateUser(ctx, ws.ID, &u, "x"); err != nil {
			t.Fatal(err)
		}
		return &u
	}
	ann, bob := user(f.a, "ann@a.example"), user(f.b, "bob@b.example")
	create := func(u *assessment.User, hash, name string, life assessment.Period) assessment.APIToken {
		tok, err := assessment.NewAPIToken(name, life, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.CreateAPIToken(ctx, u.ID, hash, &tok); err != nil {
			t.Fatal(err)
		}
		return tok
	}
	forever := create(ann, "h-forever", "CRM export", assessment.Period{})
	now = now.Add(time.Hour)
	month := create(ann, "h-month", "Laptop", assessment.Period{Days: 30})
	other := create(bob, "h-bob", "Bob's", assessment.Period{})

	list, err := f.db.APITokens(ctx, ann.ID)
	if err != nil || len(list) != 2 || list[0].ID != month.ID || list[1].ID != forever.ID {
		t.Fatalf("APITokens(ann) = %+v, %v; want Laptop then CRM export", list, err)
	}
	if l := list[0]; l.Name != "Laptop" || !l.CreatedAt.Equal(now) || !l.LastUsedAt.IsZero() ||
		!l.ExpiresAt.Equal(time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("Laptop token = %+v; want created 10:00, never used, expiring 1 April 10:00", l)
	}

	// Use at 10:00:30 is written; at 10:01:00 (30 s later) it is not; at 10:01:30 it is.
	for _, step := range []struct {
		at   time.Duration
		want time.Duration
	}{{30 * time.Second, 30 * time.Second}, {60 * time.Second, 30 * time.Second}, {90 * time.Second, 90 * time.Second}} {
		now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).Add(step.at)
		if u, err := f.db.APITokenUser(ctx, "h-month"); err != nil || u.ID != ann.ID {
			t.Fatalf("APITokenUser at %v = %v, %v", now, u, err)
		}
		got, _ := f.db.APIToken(ctx, ann.ID, month.ID)
		if want := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).Add(step.want); !got.LastUsedAt.Equal(want) {
			t.Errorf("after a use at %v, last used %v; want %v", now.Format("15:04:05"), got.LastUsedAt.Format("15:04:05"), want.Format("15:04:05"))
		}
	}

	// Another member's token is not found, to read or to revoke.
	if _, err := f.db.APIToken(ctx, ann.ID, other.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("APIToken(ann, bob's) = %v, want not found", err)
	}
	if err := f.db.RevokeAPIToken(ctx, ann.ID, other.ID); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("RevokeAPIToken(ann, bob's) = %v, want not found", err)
	}
	if _, err := f.db.APITokenUser(ctx, "h-bob"); err != nil {
		t.Errorf("bob's token after ann's attempt to revoke it = %v, want it working", err)
	}

	// Expiry: at 1 April 10:00 the month token stops working; the other goes on.
	now = time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	if _, err := f.db.APITokenUser(ctx, "h-month"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED ||
		!strings.Contains(err.Error(), assessment.MsgTokenExpired) {
		t.Errorf("expired token = %v, want unauthorized, expired", err)
	}
	if _, err := f.db.APITokenUser(ctx, "h-forever"); err != nil {
		t.Errorf("token without expiry = %v", err)
	}

	// Revoked: refused at once.
	if err := f.db.RevokeAPIToken(ctx, ann.ID, forever.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.APITokenUser(ctx, "h-forever"); assessment.ErrorCode(err) != assessment.EUNAUTHORIZED ||
		!strings.Contains(err.Error(), assessment.MsgTokenInvalid) {
		t.Errorf("revoked token = %v, want unauthorized, invalid", err)
	}
	if byID, err := f.db.APITokenByID(ctx, other.ID); err != nil || byID.UserID != bob.ID {
		t.Errorf("APITokenByID(bob's) = %+v, %v", byID, err)
	}
}

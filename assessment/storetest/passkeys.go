package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var passkeyTests = []test{
	{"passkeys", testPasskeys},
	{"passkey challenges", testPasskeyChallenges},
}

// testPasskeys: a member's passkeys are listed oldest first, only their owner renames or
// removes them, a credential is stored once in the whole database, a member has at most
// MaxPasskeys, a sign-in moves the record and the last use on, and a removed member takes
// their passkeys and handle along.
func testPasskeys(t *testing.T, d Database) {
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

	// The handle is stored once: a second candidate does not replace it.
	h, err := f.db.PasskeyHandle(ctx, ann.ID, []byte("ann-handle-1"))
	if err != nil || string(h) != "ann-handle-1" {
		t.Fatalf("PasskeyHandle(ann) = %q, %v; want ann-handle-1", h, err)
	}
	if h, err := f.db.PasskeyHandle(ctx, ann.ID, []byte("ann-handle-2")); err != nil || string(h) != "ann-handle-1" {
		t.Fatalf("PasskeyHandle(ann) again = %q, %v; want ann-handle-1 kept", h, err)
	}
	if u, err := f.db.PasskeyUser(ctx, []byte("ann-handle-1")); err != nil || u.ID != ann.ID || u.WorkspaceID != f.a.ID {
		t.Fatalf("PasskeyUser(ann's handle) = %+v, %v; want Ann of workspace A", u, err)
	}
	if _, err := f.db.PasskeyUser(ctx, []byte("nobody")); !errors.Is(err, assessment.ErrPasskeyRejected) {
		t.Fatalf("PasskeyUser(unknown) = %v, want ErrPasskeyRejected", err)
	}

	if has, err := f.db.HasPasskey(ctx, ann.ID); err != nil || has {
		t.Fatalf("HasPasskey(ann) before any = %v, %v; want false", has, err)
	}
	add := func(u *assessment.User, cred, name string) (*assessment.Passkey, error) {
		p := &assessment.Passkey{CredentialID: []byte(cred), Name: name, Record: []byte(`{"id":"` + cred + `"}`)}
		return p, f.db.AddPasskey(ctx, u.ID, p)
	}
	mac, err := add(ann, "cred-mac", "MacBook")
	if err != nil || mac.ID == 0 || mac.UserID != ann.ID || !mac.CreatedAt.Equal(now) {
		t.Fatalf("AddPasskey(MacBook) = %+v, %v", mac, err)
	}
	now = now.Add(time.Hour)
	phone, err := add(ann, "cred-phone", "Phone")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := add(bob, "cred-mac", "Stolen"); !errors.Is(err, assessment.ErrPasskeyExists) {
		t.Fatalf("AddPasskey(bob, Ann's credential) = %v, want ErrPasskeyExists", err)
	}
	if has, err := f.db.HasPasskey(ctx, ann.ID); err != nil || !has {
		t.Fatalf("HasPasskey(ann) = %v, %v; want true", has, err)
	}
	if has, err := f.db.HasPasskey(ctx, bob.ID); err != nil || has {
		t.Fatalf("HasPasskey(bob) = %v, %v; want false", has, err)
	}

	list, err := f.db.Passkeys(ctx, ann.ID)
	if err != nil || len(list) != 2 || list[0].Name != "MacBook" || list[1].Name != "Phone" {
		t.Fatalf("Passkeys(ann) = %+v, %v; want MacBook, Phone", list, err)
	}
	if !bytes.Equal(list[0].CredentialID, []byte("cred-mac")) || string(list[0].Record) != `{"id":"cred-mac"}` || !list[0].LastUsedAt.IsZero() {
		t.Errorf("Passkeys(ann)[0] = %+v; want credential cred-mac, its record, never used", list[0])
	}
	if list, err := f.db.Passkeys(ctx, bob.ID); err != nil || len(list) != 0 {
		t.Fatalf("Passkeys(bob) = %+v, %v; want none", list, err)
	}

	// Another member's passkey does not exist for them.
	if _, err := f.db.Passkey(ctx, bob.ID, mac.ID); !errors.Is(err, assessment.ErrNoPasskey) {
		t.Errorf("Passkey(bob, Ann's) = %v, want ErrNoPasskey", err)
	}
	if err := f.db.RenamePasskey(ctx, bob.ID, mac.ID, "Mine"); !errors.Is(err, assessment.ErrNoPasskey) {
		t.Errorf("RenamePasskey(bob, Ann's) = %v, want ErrNoPasskey", err)
	}
	if _, err := f.db.RemovePasskey(ctx, bob.ID, mac.ID); !errors.Is(err, assessment.ErrNoPasskey) {
		t.Errorf("RemovePasskey(bob, Ann's) = %v, want ErrNoPasskey", err)
	}
	if err := f.db.RenamePasskey(ctx, ann.ID, mac.ID, "Work laptop"); err != nil {
		t.Fatal(err)
	}
	if p, err := f.db.Passkey(ctx, ann.ID, mac.ID); err != nil || p.Name != "Work laptop" {
		t.Fatalf("Passkey(ann, mac) after rename = %+v, %v", p, err)
	}

	// Signing in: found by credential, whoever asks; the record and last use move on.
	p, err := f.db.PasskeyByCredential(ctx, []byte("cred-phone"))
	if err != nil || p.ID != phone.ID || p.UserID != ann.ID {
		t.Fatalf("PasskeyByCredential(cred-phone) = %+v, %v", p, err)
	}
	if _, err := f.db.PasskeyByCredential(ctx, []byte("cred-none")); !errors.Is(err, assessment.ErrPasskeyRejected) {
		t.Fatalf("PasskeyByCredential(unknown) = %v, want ErrPasskeyRejected", err)
	}
	now = now.Add(time.Hour)
	if err := f.db.UsePasskey(ctx, phone.ID, []byte(`{"count":7}`), false); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.db.Passkey(ctx, ann.ID, phone.ID); string(p.Record) != `{"count":7}` || !p.LastUsedAt.Equal(now) || p.CloneWarning {
		t.Errorf("phone after use = %+v; want record count 7, used at %v, no clone warning", p, now)
	}
	// A clone warning sticks, and such a passkey is no second factor.
	if err := f.db.UsePasskey(ctx, phone.ID, []byte(`{"count":7}`), true); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.db.Passkey(ctx, ann.ID, phone.ID); !p.CloneWarning {
		t.Errorf("phone after a clone warning = %+v; want CloneWarning", p)
	}

	removed, err := f.db.RemovePasskey(ctx, ann.ID, mac.ID)
	if err != nil || removed.Name != "Work laptop" {
		t.Fatalf("RemovePasskey(ann, mac) = %+v, %v", removed, err)
	}
	if _, err := f.db.PasskeyByCredential(ctx, []byte("cred-mac")); !errors.Is(err, assessment.ErrPasskeyRejected) {
		t.Errorf("PasskeyByCredential(removed) = %v, want ErrPasskeyRejected", err)
	}
	if has, err := f.db.HasPasskey(ctx, ann.ID); err != nil || has {
		t.Errorf("HasPasskey(ann) with only a cloned passkey left = %v, %v; want false", has, err)
	}

	// At most MaxPasskeys per member.
	for i := range assessment.MaxPasskeys {
		if _, err := add(bob, "bob-"+string(rune('a'+i)), "Key"); err != nil {
			t.Fatalf("AddPasskey(bob #%d) = %v", i+1, err)
		}
	}
	if _, err := add(bob, "bob-extra", "One too many"); !errors.Is(err, assessment.ErrPasskeysFull) {
		t.Fatalf("AddPasskey(bob #%d) = %v, want ErrPasskeysFull", assessment.MaxPasskeys+1, err)
	}

	// A removed member's passkeys and handle go with them.
	admin, _ := assessment.NewUser("boss@b.example", "Boss", assessment.RoleAdmin)
	if err := f.db.CreateUser(ctx, f.b.ID, &admin, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.PasskeyHandle(ctx, bob.ID, []byte("bob-handle")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.RemoveMember(ctx, f.b.ID, admin.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.PasskeyByCredential(ctx, []byte("bob-a")); !errors.Is(err, assessment.ErrPasskeyRejected) {
		t.Errorf("PasskeyByCredential(removed member's) = %v, want ErrPasskeyRejected", err)
	}
	if _, err := f.db.PasskeyUser(ctx, []byte("bob-handle")); !errors.Is(err, assessment.ErrPasskeyRejected) {
		t.Errorf("PasskeyUser(removed member's handle) = %v, want ErrPasskeyRejected", err)
	}
}

// testPasskeyChallenges: a challenge is taken once, only as its own kind, and not after it
// expired; expired ones are deleted when a new ceremony starts.
func testPasskeyChallenges(t *testing.T, d Database) {
	ctx := context.Background()
	f := newWSFixture(t, d)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	u, _ := assessment.NewUser("ann@a.example", "Ann", assessment.RoleConsultant)
	if err := f.db.CreateUser(ctx, f.a.ID, &u, "x"); err != nil {
		t.Fatal(err)
	}
	save := func(ch, kind string, user int64) {
		t.Helper()
		if err := f.db.SavePasskeyChallenge(ctx, assessment.PasskeyChallenge{Challenge: ch, Kind: kind, UserID: user,
			Data: []byte(`{"challenge":"` + ch + `"}`), ExpiresAt: now.Add(assessment.PasskeyChallengeTTL)}); err != nil {
			t.Fatal(err)
		}
	}
	save("reg", assessment.PasskeyRegister, u.ID)
	save("log", assessment.PasskeyLogin, 0)

	if _, err := f.db.TakePasskeyChallenge(ctx, "reg", assessment.PasskeyLogin); !errors.Is(err, assessment.ErrPasskeyChallenge) {
		t.Errorf("Take(reg as login) = %v, want ErrPasskeyChallenge", err)
	}
	c, err := f.db.TakePasskeyChallenge(ctx, "reg", assessment.PasskeyRegister)
	if err != nil || c.UserID != u.ID || string(c.Data) != `{"challenge":"reg"}` || !c.ExpiresAt.Equal(now.Add(5*time.Minute)) {
		t.Fatalf("Take(reg) = %+v, %v; want Ann's, its data, expiring 09:05", c, err)
	}
	if _, err := f.db.TakePasskeyChallenge(ctx, "reg", assessment.PasskeyRegister); !errors.Is(err, assessment.ErrPasskeyChallenge) {
		t.Errorf("Take(reg) twice = %v, want ErrPasskeyChallenge", err)
	}
	if c, err := f.db.TakePasskeyChallenge(ctx, "log", assessment.PasskeyLogin); err != nil || c.UserID != 0 {
		t.Errorf("Take(log) = %+v, %v; want no member", c, err)
	}

	// Expired at exactly its expiry.
	save("late", assessment.PasskeyLogin, 0)
	now = now.Add(assessment.PasskeyChallengeTTL)
	if _, err := f.db.TakePasskeyChallenge(ctx, "late", assessment.PasskeyLogin); !errors.Is(err, assessment.ErrPasskeyChallenge) {
		t.Errorf("Take(late) at its expiry = %v, want ErrPasskeyChallenge", err)
	}
	// A new ceremony deletes expired ones.
	save("old", assessment.PasskeyLogin, 0)
	now = now.Add(assessment.PasskeyChallengeTTL + time.Second)
	save("new", assessment.PasskeyLogin, 0)
	now = now.Add(-assessment.PasskeyChallengeTTL) // back in time: "old" would be valid if it were kept
	if _, err := f.db.TakePasskeyChallenge(ctx, "old", assessment.PasskeyLogin); !errors.Is(err, assessment.ErrPasskeyChallenge) {
		t.Errorf("Take(old) after a new ceremony pruned it = %v, want ErrPasskeyChallenge", err)
	}
}

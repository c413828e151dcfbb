package assessment

import (
	"testing"
	"time"
)

// TestMailRetry: 30 s after the first failure, doubling, capped at an hour; the 12th failure
// gives up. Worked out: 30 s · 2^(n-1) reaches 3,840 s > 3,600 s at n = 8.
func TestMailRetry(t *testing.T) {
	tests := []struct {
		attempts int
		want     time.Duration
		giveUp   bool
	}{
		{1, 30 * time.Second, false},
		{2, time.Minute, false},
		{3, 2 * time.Minute, false},
		{7, 32 * time.Minute, false},
		{8, time.Hour, false},
		{11, time.Hour, false},
		{12, 0, true},
		{40, 0, true},
	}
	for _, tt := range tests {
		got, giveUp := MailRetry(tt.attempts)
		if got != tt.want || giveUp != tt.giveUp {
			t.Errorf("MailRetry(%d) = %v, %v; want %v, %v", tt.attempts, got, giveUp, tt.want, tt.giveUp)
		}
	}
}

// TestNewMemberInvitation: the address is cleaned, "member" is a consultant, and bad input
// names each field.
func TestNewMemberInvitation(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	inv, err := NewMemberInvitation("  Ann@Example.COM ", "member", "sv", now)
	if err != nil || inv.Email != "ann@example.com" || inv.Role != RoleConsultant || !inv.ExpiresAt.Equal(now.Add(7*24*time.Hour)) {
		t.Fatalf("NewMemberInvitation = %+v, %v", inv, err)
	}
	if InviteRoleName(inv.Role) != "member" {
		t.Errorf("InviteRoleName(%q) = %q, want member", inv.Role, InviteRoleName(inv.Role))
	}
	_, err = NewMemberInvitation("not-an-address", "owner", "en", now)
	fes := FieldErrors(err)
	if len(fes) != 2 || fes[0].Field != "email" || fes[0].Rule != RuleEmail || fes[1].Field != "role" || fes[1].Rule != RuleChoice {
		t.Errorf("NewMemberInvitation(bad) = %v, want email and role problems", err)
	}
	for _, tt := range []struct {
		inv  MemberInvitation
		want error
	}{
		{MemberInvitation{ExpiresAt: now.Add(time.Nanosecond)}, nil},
		{MemberInvitation{ExpiresAt: now}, ErrInviteExpired},
		{MemberInvitation{ExpiresAt: now.Add(time.Hour), AcceptedAt: now}, ErrInviteUsed},
		{MemberInvitation{ExpiresAt: now.Add(time.Hour), RevokedAt: now}, ErrInviteRevoked},
	} {
		if got := tt.inv.Check(now); got != tt.want {
			t.Errorf("Check(%+v) = %v, want %v", tt.inv, got, tt.want)
		}
	}
}

package assessment

import (
	"strings"
	"testing"
	"time"
)

func TestPasskeyName(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		rule     string
	}{
		{"MacBook", "MacBook", ""},
		{"  Phone  ", "Phone", ""},
		{"", "", RuleRequired},
		{"   ", "", RuleRequired},
		{strings.Repeat("x", MaxPasskeyName), strings.Repeat("x", MaxPasskeyName), ""},
		{strings.Repeat("x", MaxPasskeyName+1), "", RuleTooLong},
		{"Mac\x00Book", "", RuleControl},
	} {
		got, err := PasskeyName(tt.in)
		rule := ""
		if fes := FieldErrors(err); len(fes) == 1 && fes[0].Field == "passkey.name" {
			rule = fes[0].Rule
		} else if err != nil {
			t.Errorf("PasskeyName(%q) = %v, want one problem with passkey.name", tt.in, err)
		}
		if got != tt.want || rule != tt.rule {
			t.Errorf("PasskeyName(%q) = %q, rule %q; want %q, rule %q", tt.in, got, rule, tt.want, tt.rule)
		}
	}
}

func TestMayRemovePasskey(t *testing.T) {
	in := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		signedIn time.Time
		after    time.Duration
		want     bool
	}{
		{in, 0, true},
		{in, 9*time.Minute + 59*time.Second, true},
		{in, 10 * time.Minute, false}, // RecentSignIn is exclusive
		{in, 3 * time.Hour, false},
		{in, -time.Minute, false}, // a sign-in in the future is no sign-in
		{time.Time{}, 0, false},   // unknown
	} {
		if got := MayRemovePasskey(tt.signedIn, in.Add(tt.after)); got != tt.want {
			t.Errorf("MayRemovePasskey(%v, +%v) = %v, want %v", tt.signedIn, tt.after, got, tt.want)
		}
	}
}

func TestPasskeyChallengeExpired(t *testing.T) {
	exp := time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)
	c := PasskeyChallenge{ExpiresAt: exp}
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{{exp.Add(-time.Nanosecond), false}, {exp, true}, {exp.Add(time.Minute), true}} {
		if got := c.Expired(tt.at); got != tt.want {
			t.Errorf("Expired(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
}

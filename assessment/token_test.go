package assessment_test

import (
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestNewAPIToken(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name, lifetime string
		wantName       string
		wantExpires    time.Time
		problem        string
	}{
		{" CRM export ", "never", "CRM export", time.Time{}, ""},
		// 30 days after 2 March: 31 − 2 = 29 days to 31 March, 1 more: 1 April.
		{"Laptop", "30", "Laptop", time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC), ""},
		{"Laptop", "90", "Laptop", time.Date(2026, 5, 31, 9, 0, 0, 0, time.UTC), ""},
		{"Laptop", "365", "Laptop", time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC), ""},
		{"", "30", "", time.Time{}, "token.name: required"},
		{"   ", "30", "", time.Time{}, "token.name: required"},
		{"\u202Eevil", "30", "", time.Time{}, "token.name: bidi {Char: U+202E}"},
		{strings.Repeat("n", 101), "30", "", time.Time{}, "token.name: too_long {Length: 101, Max: 100}"},
		{"Laptop", "7", "", time.Time{}, `token.expires: choice {Allowed: 30, 90, 365, never, Value: "7"}`},
		{"Laptop", "", "", time.Time{}, `token.expires: choice {Allowed: 30, 90, 365, never, Value: ""}`},
	}
	for _, tt := range tests {
		life, problems := assessment.TokenLifetime(tt.lifetime)
		var tok assessment.APIToken
		var err error
		if len(problems) > 0 {
			err = assessment.Invalid(problems)
		} else {
			tok, err = assessment.NewAPIToken(tt.name, life, now)
		}
		if tt.problem != "" {
			fes := assessment.FieldErrors(err)
			if len(fes) != 1 || fes[0].String() != tt.problem {
				t.Errorf("token %q, %q: problems %v, want [%s]", tt.name, tt.lifetime, fes, tt.problem)
			}
			continue
		}
		if err != nil || tok.Name != tt.wantName || !tok.ExpiresAt.Equal(tt.wantExpires) || !tok.CreatedAt.Equal(now) {
			t.Errorf("token %q, %q = %+v, %v; want name %q, expiry %v", tt.name, tt.lifetime, tok, err, tt.wantName, tt.wantExpires)
		}
	}
}

func TestAPITokenExpiryAndUse(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tok := assessment.APIToken{ExpiresAt: now}
	if !tok.Expired(now) || tok.Expired(now.Add(-time.Nanosecond)) {
		t.Error("a token expires exactly at ExpiresAt")
	}
	if (assessment.APIToken{}).Expired(now.AddDate(100, 0, 0)) {
		t.Error("a token without ExpiresAt expired")
	}
	tok = assessment.APIToken{}
	if !tok.UseDue(now) {
		t.Error("the first use is not due")
	}
	tok.LastUsedAt = now
	for d, want := range map[time.Duration]bool{0: false, 59 * time.Second: false, time.Minute: true, time.Hour: true} {
		if got := tok.UseDue(now.Add(d)); got != want {
			t.Errorf("UseDue %v after the last use = %v, want %v", d, got, want)
		}
	}
}

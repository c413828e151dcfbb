package assessment_test

import (
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestHasSecondFactor(t *testing.T) {
	tests := []struct {
		name     string
		f        assessment.SecondFactors
		required bool
		has      bool
		mustSet  bool
	}{
		{"nothing, not required", assessment.SecondFactors{}, false, false, false},
		{"nothing, required", assessment.SecondFactors{}, true, false, true},
		{"recovery codes alone do not count", assessment.SecondFactors{RecoveryCodes: 10}, true, false, true},
		{"an authenticator app", assessment.SecondFactors{TOTP: true, RecoveryCodes: 10}, true, true, false},
		{"one passkey", assessment.SecondFactors{Passkeys: 1}, true, true, false},
	}
	for _, tt := range tests {
		if got := assessment.HasSecondFactor(tt.f); got != tt.has {
			t.Errorf("%s: HasSecondFactor(%+v) = %v, want %v", tt.name, tt.f, got, tt.has)
		}
		if got := assessment.MustSetUpSecondFactor(tt.required, tt.f); got != tt.mustSet {
			t.Errorf("%s: MustSetUpSecondFactor(%v, %+v) = %v, want %v", tt.name, tt.required, tt.f, got, tt.mustSet)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		in, want string
		totp     bool
	}{
		{"123456", "123456", true},
		{" 123 456 ", "123456", true},
		{"123-456", "123456", true},
		{"12345", "12345", false},
		{"1234567", "1234567", false},
		{"ABCD-EFGH-JKLM", "abcdefghjklm", false},
		{"12345a", "12345a", false},
	}
	for _, tt := range tests {
		got := assessment.NormalizeCode(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if is := assessment.IsTOTPCode(got); is != tt.totp {
			t.Errorf("IsTOTPCode(%q) = %v, want %v", got, is, tt.totp)
		}
	}
}

func TestAuditTarget(t *testing.T) {
	if got := assessment.AuditTarget(assessment.TargetMember, 12); got != "member:12" {
		t.Errorf(`AuditTarget(member, 12) = %q, want "member:12"`, got)
	}
	for _, a := range assessment.AuditActions {
		if !assessment.IsAuditAction(a) {
			t.Errorf("IsAuditAction(%q) = false", a)
		}
	}
	if assessment.IsAuditAction("signin") {
		t.Error(`IsAuditAction("signin") = true`)
	}
}

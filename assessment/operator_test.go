package assessment

import "testing"

func TestRedactAddresses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"dial tcp: connection refused", "dial tcp: connection refused"},
		{"550 anna@acme.dk unknown", "550 …@acme.dk unknown"},
		{"550 <anna.b+x@acme.dk>: no such user", "550 <…@acme.dk>: no such user"},
		{"a@x.example, b@y.example", "…@x.example, …@y.example"},
		{"@ alone", "@ alone"},
	}
	for _, tt := range tests {
		if got := RedactAddresses(tt.in); got != tt.want {
			t.Errorf("RedactAddresses(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEmailDomain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"anna@Acme.DK", "acme.dk"},
		{"no-at-sign", ""},
		{"a@b@c.example", "c.example"},
	}
	for _, tt := range tests {
		if got := EmailDomain(tt.in); got != tt.want {
			t.Errorf("EmailDomain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewOperator(t *testing.T) {
	u, err := NewOperator("  Olga.Ops@Example.COM ")
	if err != nil || u.Email != "olga.ops@example.com" || u.Name != "olga.ops" || !u.IsOperator() || u.WorkspaceID != 0 {
		t.Errorf("NewOperator = %+v, %v; want olga.ops@example.com, operator", u, err)
	}
	if _, err := NewOperator("not an address"); ErrorCode(err) != EINVALID {
		t.Errorf("NewOperator(bad) = %v, want EINVALID", err)
	}
	if !MustSetUpOperatorFactor(SecondFactors{}) || MustSetUpOperatorFactor(SecondFactors{Passkeys: 1}) || MustSetUpOperatorFactor(SecondFactors{TOTP: true}) {
		t.Error("MustSetUpOperatorFactor: an operator without TOTP or a passkey must set one up, one with either need not")
	}
}

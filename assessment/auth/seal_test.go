package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestSealer(t *testing.T) {
	s, err := NewSealer(strings.Repeat("k", 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSealer(strings.Repeat("o", 32))
	sealed := s.Seal("JBSWY3DPEHPK3PXP", "user:1")
	if strings.Contains(sealed, "JBSWY3DPEHPK3PXP") || !strings.HasPrefix(sealed, "v1:") {
		t.Errorf("Seal = %q, want the secret encrypted", sealed)
	}
	if again := s.Seal("JBSWY3DPEHPK3PXP", "user:1"); again == sealed {
		t.Error("Seal twice gave the same text: the nonce is not fresh")
	}
	var none *Sealer
	tests := []struct {
		name   string
		by     *Sealer
		stored string
		owner  string
		want   string
		err    error
	}{
		{"its own key and owner", s, sealed, "user:1", "JBSWY3DPEHPK3PXP", nil},
		{"another member's row", s, sealed, "user:2", "", ErrSealed},
		{"another key", other, sealed, "user:1", "", ErrSealed},
		{"no key", none, sealed, "user:1", "", ErrSealed},
		{"plain, without a key", none, none.Seal("ABC", "user:1"), "user:1", "ABC", nil},
		{"plain, read once a key is set", s, "plain:ABC", "user:1", "ABC", nil},
		{"tampered", s, sealed[:len(sealed)-2] + "AA", "user:1", "", ErrSealed},
		{"garbage", s, "v1:!!", "user:1", "", ErrSealed},
	}
	for _, tt := range tests {
		got, err := tt.by.Open(tt.stored, tt.owner)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%s: Open = %q, %v, want %q, %v", tt.name, got, err, tt.want, tt.err)
		}
	}
	if _, err := NewSealer("short"); err == nil {
		t.Error("NewSealer(short) = nil error")
	}
}

package assessment_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Members of workspace 1: Ann and Alex are admins, Carl is a consultant; Bob is the admin
// of workspace 2.
var (
	ann  = &assessment.User{ID: 1, WorkspaceID: 1, Role: assessment.RoleAdmin}
	alex = &assessment.User{ID: 2, WorkspaceID: 1, Role: assessment.RoleAdmin}
	carl = &assessment.User{ID: 3, WorkspaceID: 1, Role: assessment.RoleConsultant}
	bob  = &assessment.User{ID: 4, WorkspaceID: 2, Role: assessment.RoleAdmin}
)

func TestCheckRemoveMember(t *testing.T) {
	tests := []struct {
		name          string
		actor, target *assessment.User
		admins        int
		code          string
		sentinel      error
	}{
		{"admin removes a consultant", ann, carl, 1, "", nil},
		{"admin removes another admin", ann, alex, 2, "", nil},
		{"consultant removes an admin", carl, ann, 2, assessment.EFORBIDDEN, nil},
		{"consultant removes themselves", carl, carl, 1, assessment.EFORBIDDEN, nil},
		{"admin removes themselves with another admin", ann, ann, 2, assessment.ECONFLICT, assessment.ErrRemoveSelf},
		{"only admin removes themselves", ann, ann, 1, assessment.ECONFLICT, assessment.ErrRemoveSelf},
		// Unreachable through the store (a second admin exists whenever an admin removes
		// another one), but the rule holds on its own.
		{"last admin, counted wrong", ann, alex, 1, assessment.ECONFLICT, assessment.ErrLastAdmin},
		{"admin of another workspace", bob, carl, 1, assessment.ENOTFOUND, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := assessment.CheckRemoveMember(tt.actor, tt.target, tt.admins)
			if got := assessment.ErrorCode(err); got != tt.code {
				t.Errorf("CheckRemoveMember = %v, want code %q", err, tt.code)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("CheckRemoveMember = %v, want %v", err, tt.sentinel)
			}
		})
	}
}

func TestCheckRoleChange(t *testing.T) {
	tests := []struct {
		name          string
		actor, target *assessment.User
		role          string
		admins        int
		code          string
		sentinel      error
	}{
		{"admin promotes a consultant", ann, carl, assessment.RoleAdmin, 1, "", nil},
		{"admin demotes another admin", ann, alex, assessment.RoleConsultant, 2, "", nil},
		{"admin demotes themselves, another admin left", ann, ann, assessment.RoleConsultant, 2, "", nil},
		{"only admin demotes themselves", ann, ann, assessment.RoleConsultant, 1, assessment.ECONFLICT, assessment.ErrLastAdmin},
		{"only admin keeps their role", ann, ann, assessment.RoleAdmin, 1, "", nil},
		{"consultant promotes themselves", carl, carl, assessment.RoleAdmin, 1, assessment.EFORBIDDEN, nil},
		{"consultant demotes an admin", carl, alex, assessment.RoleConsultant, 2, assessment.EFORBIDDEN, nil},
		{"unknown role", ann, carl, "owner", 1, assessment.EINVALID, nil},
		{"empty role", ann, carl, "", 1, assessment.EINVALID, nil},
		{"admin of another workspace", bob, carl, assessment.RoleAdmin, 1, assessment.ENOTFOUND, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := assessment.CheckRoleChange(tt.actor, tt.target, tt.role, tt.admins)
			if got := assessment.ErrorCode(err); got != tt.code {
				t.Errorf("CheckRoleChange = %v, want code %q", err, tt.code)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("CheckRoleChange = %v, want %v", err, tt.sentinel)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		rule string // "" when accepted
	}{
		{"eleven characters", "abcdefghijk", assessment.RuleTooShort},
		{"twelve characters", "kx7 plum tarn", ""},
		// 12 code points but 24 bytes: characters are counted, not bytes.
		{"twelve Danish letters", "æøåæøåæøåæøå", ""},
		{"eleven Danish letters", "æøåæøåæøåæø", assessment.RuleTooShort},
		{"256 bytes", strings.Repeat("a", 255) + "b", ""},
		{"257 bytes", strings.Repeat("a", 256) + "b", assessment.RuleTooLong},
		{"invalid UTF-8", "abcdefghijkl\xff", assessment.RuleEncoding},
		{"breached", "123456789012", assessment.RuleBreached},
		{"breached in another case", "QWERTY123456", assessment.RuleBreached},
		{"breached keyboard walk", "1qaz2wsx3edc", assessment.RuleBreached},
		// No composition rules: letters and spaces only are fine when long enough.
		{"passphrase", "correct horse battery staple", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := assessment.CheckPassword(tt.pw)
			got := ""
			if fe := assessment.FieldErrors(err); len(fe) == 1 {
				got = fe[0].Rule
			} else if err != nil {
				t.Fatalf("CheckPassword(%q) = %v, want one field error", tt.pw, err)
			}
			if got != tt.rule {
				t.Errorf("CheckPassword(%q) rule = %q, want %q", tt.pw, got, tt.rule)
			}
		})
	}
}

// TestBreachedList checks the embedded list is the one its README describes.
func TestBreachedList(t *testing.T) {
	if n := assessment.BreachedCount(); n != 96518 {
		t.Errorf("BreachedCount() = %d, want 96518 (breached/README.md)", n)
	}
	for _, pw := range []string{"123456", "password", "Password"} {
		if !assessment.IsBreached(pw) {
			t.Errorf("IsBreached(%q) = false, want true", pw)
		}
	}
	if assessment.IsBreached("kx7 plum tarn") {
		t.Error(`IsBreached("kx7 plum tarn") = true, want false`)
	}
}

func TestNewUserAndPassword(t *testing.T) {
	u, err := assessment.NewUser(" Ann@Example.COM ", "Ann", assessment.RoleAdmin)
	if err != nil || u.Email != "ann@example.com" || !u.IsAdmin() {
		t.Fatalf("NewUser = %+v, %v", u, err)
	}
	for _, bad := range []string{"ann", "Ann <ann@example.com>", "a@b@c"} {
		if _, err := assessment.NewUser(bad, "Ann", assessment.RoleConsultant); assessment.ErrorCode(err) != assessment.EINVALID {
			t.Errorf("NewUser(%q) = %v, want invalid", bad, err)
		}
	}
	if _, err := assessment.NewUser("a@example.com", "A", "owner"); err == nil {
		t.Error("NewUser(role owner) = nil, want invalid")
	}
	if err := assessment.CheckPassword("short"); err == nil {
		t.Error("CheckPassword(short) = nil")
	}
	if err := assessment.CheckPassword("correct horse battery"); err != nil {
		t.Errorf("CheckPassword(long) = %v", err)
	}
}

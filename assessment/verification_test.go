package assessment_test

import (
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestWorkEmail(t *testing.T) {
	lists, err := assessment.BuiltinDomainLists()
	if err != nil {
		t.Fatal(err)
	}
	if err := lists.Read(strings.NewReader("# the operator's own\nrival-bank.dk\n*.sandbox.example\n"), assessment.RuleBlockedDomain); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		email, addr, domain, rule string
	}{
		{"anna@acme-bank.dk", "anna@acme-bank.dk", "acme-bank.dk", ""},
		{"  Anna.Berg@ACME-Bank.DK ", "anna.berg@acme-bank.dk", "acme-bank.dk", ""},
		{"it@mail.acme.co.uk", "it@mail.acme.co.uk", "mail.acme.co.uk", ""},
		// A registry suffix on the free-mail list refuses only itself, not its companies.
		{"ops@bank.net.ua", "ops@bank.net.ua", "bank.net.ua", ""},
		{"someone@gmail.com", "someone@gmail.com", "gmail.com", assessment.RuleFreeMail},
		{"someone@mailinator.com", "someone@mailinator.com", "mailinator.com", assessment.RuleFreeMail},
		{"someone@hotmail.dk", "someone@hotmail.dk", "hotmail.dk", assessment.RuleFreeMail},
		{"someone@abyssemail.com", "someone@abyssemail.com", "abyssemail.com", assessment.RuleDisposable},
		// "*.33m.co" on the wildcard list refuses its subdomains too.
		{"x@any.33m.co", "x@any.33m.co", "any.33m.co", assessment.RuleDisposable},
		{"x@rival-bank.dk", "x@rival-bank.dk", "rival-bank.dk", assessment.RuleBlockedDomain},
		{"x@a.sandbox.example", "x@a.sandbox.example", "a.sandbox.example", assessment.RuleBlockedDomain},
		{"anna@bänk.dk", "anna@bänk.dk", "bänk.dk", assessment.RuleDomainASCII},
		{"anna", "anna", "", assessment.RuleEmail},
		{"anna@localhost", "anna@localhost", "localhost", assessment.RuleEmail},
		{"anna@-acme.dk", "anna@-acme.dk", "-acme.dk", assessment.RuleEmail},
		{"anna@acme.123", "anna@acme.123", "acme.123", assessment.RuleEmail},
		{"Anna <anna@acme.dk>", "anna <anna@acme.dk>", "", assessment.RuleEmail},
		{"", "", "", assessment.RuleEmail},
	}
	for _, tt := range tests {
		addr, domain, err := lists.WorkEmail(tt.email)
		rule := ""
		if fes := assessment.FieldErrors(err); len(fes) == 1 {
			rule = fes[0].Rule
			if fes[0].Field != "email" {
				t.Errorf("WorkEmail(%q) field = %q, want email", tt.email, fes[0].Field)
			}
			if tt.rule != assessment.RuleEmail && fes[0].Args["Domain"] != tt.domain {
				t.Errorf("WorkEmail(%q) names domain %v, want %q", tt.email, fes[0].Args["Domain"], tt.domain)
			}
		} else if err != nil {
			t.Fatalf("WorkEmail(%q) = %v, want one field error", tt.email, err)
		}
		if addr != tt.addr || (domain != tt.domain && tt.rule != assessment.RuleEmail) || rule != tt.rule {
			t.Errorf("WorkEmail(%q) = %q, %q, rule %q; want %q, %q, rule %q", tt.email, addr, domain, rule, tt.addr, tt.domain, tt.rule)
		}
	}
}

func TestDomainListsRead(t *testing.T) {
	var l assessment.DomainLists
	if err := l.Read(strings.NewReader("ok.example\nnot a domain\n"), assessment.RuleBlockedDomain); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("Read(bad line 2) = %v, want an error naming line 2", err)
	}
}

func TestVerificationCheck(t *testing.T) {
	made := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	v := assessment.Verification{CreatedAt: made, ExpiresAt: made.Add(assessment.VerificationTTL)}
	used := v
	used.UsedAt = made.Add(time.Hour)
	other := v
	other.ResultConfirmed = true
	tests := []struct {
		name string
		v    assessment.Verification
		at   time.Time
		want error
	}{
		{"fresh", v, made.Add(time.Minute), nil},
		{"last second", v, made.Add(24*time.Hour - time.Second), nil},
		{"24 hours", v, made.Add(24 * time.Hour), assessment.ErrVerificationExpired},
		{"used", used, made.Add(2 * time.Hour), assessment.ErrVerificationUsed},
		{"result confirmed by another link", other, made.Add(time.Hour), assessment.ErrAlreadyVerified},
	}
	for _, tt := range tests {
		if got := tt.v.Check(tt.at); got != tt.want {
			t.Errorf("%s: Check = %v, want %v", tt.name, got, tt.want)
		}
	}
}

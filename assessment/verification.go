package assessment

import (
	"bufio"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// This file holds the rules of a five-minute test's verification by work email: the holder of
// a result types an address at their company, a single-use link goes there, and opening it
// and confirming makes the result count in the benchmark for the address's domain. One domain
// is one company: its latest verified result counts. A domain seen for the first time waits
// for the operator's one approval; a rejected domain never counts. The address itself is not
// kept, only the domain and the time (docs/privacy.md).

// VerificationTTL is how long a verification link works.
const VerificationTTL = 24 * time.Hour

// Domain states in the operator's register of company domains.
const (
	// DomainPending is a domain whose first test was confirmed and that the operator has not
	// decided on: its tests do not count yet.
	DomainPending = "pending"
	// DomainApproved is a company domain the operator accepted: its latest verified test
	// counts, and later tests count at once (from the next release).
	DomainApproved = "approved"
	// DomainRejected is a domain the operator refused: its tests never count.
	DomainRejected = "rejected"
)

// Rules of a verification address (FieldError.Rule), beside RuleEmail for a malformed one.
const (
	// RuleFreeMail refuses an address at a free-mail provider: anyone can have one.
	RuleFreeMail = "free_mail"
	// RuleDisposable refuses an address at a throw-away mailbox service.
	RuleDisposable = "disposable"
	// RuleBlockedDomain refuses a domain the operator listed (-blocked-domains).
	RuleBlockedDomain = "blocked_domain"
	// RuleDomainASCII refuses an internationalised domain: the app compares domains as
	// typed in ASCII (punycode, "xn--…"), so "bank.dk" in two spellings is one company.
	RuleDomainASCII = "domain_ascii"
)

// FieldVerificationEmail is the field of the verification form and request.
const FieldVerificationEmail = "email"

// CompanyDomainKey is the pool key of the company a domain names: one company per domain.
func CompanyDomainKey(domain string) string { return "domain:" + domain }

// Verification is a request to verify a result by work email: a single-use link, stored only
// as the hash of its token, that confirms the result for Domain until ExpiresAt.
type Verification struct {
	ID           int64
	AssessmentID int64
	Domain       string
	// Lang is the language the message was written in, which the link's page uses too.
	Lang      string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
	// Taken is when the result was made, for the link's page (the result itself is not shown:
	// the link goes to a mailbox, which grants no access to the answers).
	Taken time.Time
	// ResultConfirmed reports whether the result is confirmed already (by another link).
	ResultConfirmed bool
}

// Check says why the verification link does not work at now (used, expired, its result
// confirmed by another link), or nil.
func (v *Verification) Check(now time.Time) error {
	switch {
	case !v.UsedAt.IsZero():
		return ErrVerificationUsed
	case !now.Before(v.ExpiresAt):
		return ErrVerificationExpired
	case v.ResultConfirmed:
		return ErrAlreadyVerified
	}
	return nil
}

// DomainDecision is what confirming a result's domain led to.
type DomainDecision struct {
	Domain string
	// Status is the domain's state in the register (DomainPending, DomainApproved,
	// DomainRejected).
	Status string
	// Counts reports whether the result is now the company's entry in the pool.
	Counts bool
}

// PendingDomain is one domain waiting for the operator's approval, with the profiles of its
// verified tests (never their answers or who took them): what the operator checks it by.
type PendingDomain struct {
	Domain    string
	FirstSeen time.Time
	// Tests are the domain's verified tests on the current questionnaire, oldest first:
	// their ID, time, company profile and benchmark consent; ratings are not read.
	Tests []Assessment
}

// Errors of verification.
var (
	// ErrVerificationUsed is a link that confirmed its result already.
	ErrVerificationUsed = &Error{Code: EGONE, Key: MsgVerificationUsed}
	// ErrVerificationExpired is a link older than VerificationTTL.
	ErrVerificationExpired = &Error{Code: EGONE, Key: MsgVerificationExpired}
	// ErrVerificationNotFound is a link that does not exist (mistyped, or its result deleted).
	ErrVerificationNotFound = &Error{Code: ENOTFOUND, Key: MsgVerificationNotFound}
	// ErrAlreadyVerified is a second verification of a verified result.
	ErrAlreadyVerified = &Error{Code: ECONFLICT, Key: MsgAlreadyVerified}
	// ErrVerifyNoConsent is a result whose respondent did not agree to the benchmark: there
	// is nothing to count it in.
	ErrVerifyNoConsent = &Error{Code: ECONFLICT, Key: MsgVerifyNoConsent}
)

// DomainLists are the domains a verification refuses, with the reason: free-mail providers,
// throw-away mailboxes, and the operator's own list. A domain on a list is refused with its
// subdomains only where the list says so ("*.example.com"); a free-mail list names
// "net.ua", which must not refuse every company under it.
type DomainLists struct {
	exact map[string]string
	wild  map[string]string
	// base is the shared built-in list this one adds to, nil for none.
	base *DomainLists
}

//go:embed maildomains/*.txt.gz
var mailDomainFiles embed.FS

// builtinLists reads the embedded lists once, when the first address is checked.
var builtinLists = sync.OnceValues(func() (*DomainLists, error) {
	l := &DomainLists{exact: map[string]string{}, wild: map[string]string{}}
	for _, f := range []struct{ name, rule string }{
		{"maildomains/free.txt.gz", RuleFreeMail}, {"maildomains/disposable.txt.gz", RuleDisposable},
	} {
		r, err := mailDomainFiles.Open(f.name)
		if err != nil {
			return nil, err
		}
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		if err := l.Read(z, f.rule); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		r.Close()
	}
	return l, nil
})

// BuiltinDomainLists returns the shipped free-mail and disposable lists
// (assessment/maildomains/README.md), read once per process, as a new list the operator's
// domains may be added to without changing the shared one.
func BuiltinDomainLists() (*DomainLists, error) {
	b, err := builtinLists()
	if err != nil {
		return nil, err
	}
	return &DomainLists{base: b}, nil
}

func (l *DomainLists) init() {
	if l.exact == nil {
		l.exact, l.wild = map[string]string{}, map[string]string{}
	}
}

// Read adds the domains of r, one a line, refused for rule: blank lines and lines starting
// with # are skipped, "*.d" refuses d and every subdomain of it.
func (l *DomainLists) Read(r io.Reader, rule string) error {
	l.init()
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.ToLower(strings.TrimSpace(sc.Text()))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if d, ok := strings.CutPrefix(line, "*."); ok {
			l.wild[d] = rule
			continue
		}
		if strings.ContainsAny(line, " \t@/*") {
			return fmt.Errorf("line %d: %q is not a domain", n, line)
		}
		l.exact[line] = rule
	}
	return sc.Err()
}

// Block adds domains refused for rule (the operator's RuleBlockedDomain).
func (l *DomainLists) Block(rule string, domains ...string) {
	l.init()
	for _, d := range domains {
		l.exact[strings.ToLower(strings.TrimSpace(d))] = rule
	}
}

// Refuses returns the rule that refuses domain, or "" when it may verify.
func (l *DomainLists) Refuses(domain string) string {
	if l.base != nil {
		if r := l.base.Refuses(domain); r != "" {
			return r
		}
	}
	if r, ok := l.exact[domain]; ok {
		return r
	}
	for d := domain; ; {
		if r, ok := l.wild[d]; ok {
			return r
		}
		_, rest, ok := strings.Cut(d, ".")
		if !ok {
			return ""
		}
		d = rest
	}
}

// WorkEmail checks an address typed to verify a result and returns its domain: the address
// must be well formed (CleanEmail), its domain in ASCII with at least two labels, and on no
// list of l. Each problem names the field and, for a refused domain, the domain.
func (l *DomainLists) WorkEmail(email string) (addr, domain string, err error) {
	addr, fes := CleanEmail(FieldVerificationEmail, email)
	if len(fes) > 0 {
		return addr, "", Invalid(fes)
	}
	_, domain, _ = strings.Cut(addr, "@")
	for _, r := range domain {
		if r > 0x7f {
			return addr, domain, Invalid([]FieldError{{Field: FieldVerificationEmail, Rule: RuleDomainASCII, Args: Args{"Domain": domain}}})
		}
	}
	if !validDomain(domain) {
		return addr, domain, Invalid([]FieldError{{Field: FieldVerificationEmail, Rule: RuleEmail, Args: Args{"Value": fmt.Sprintf("%q", addr)}}})
	}
	if rule := l.Refuses(domain); rule != "" {
		return addr, domain, Invalid([]FieldError{{Field: FieldVerificationEmail, Rule: rule, Args: Args{"Domain": domain}}})
	}
	return addr, domain, nil
}

// validDomain reports whether d is a host name of at least two labels of letters, digits and
// inner hyphens (RFC 1123), like a company's mail domain; "localhost" and "[10.0.0.1]" are not.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 || len(d) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	last := labels[len(labels)-1]
	return !(last[0] >= '0' && last[0] <= '9')
}

package assessment

import (
	"strings"
	"time"
)

// RoleOperator is the role of an operator: the person who runs an installation (approves
// tests into the benchmark pool, creates and suspends workspaces, watches the outbox at
// /ops). An operator is a User with no workspace (WorkspaceID 0): a member of none, so no
// query of a workspace's clients, rounds or answers ever finds anything for one.
const RoleOperator = "operator"

// IsOperator reports whether u is an operator rather than a member of a workspace.
func (u *User) IsOperator() bool { return u.Role == RoleOperator }

// OperatorSetPasswordTTL is how long the link a new operator gets to set a password stays
// usable: as long as a workspace invitation's.
const OperatorSetPasswordTTL = 7 * 24 * time.Hour

// NewOperator validates an operator's email; the operator's name is the address's local part
// until they are known better (the console shows who acted by name).
func NewOperator(email string) (User, error) {
	email, problems := CleanEmail("email", email)
	if len(problems) > 0 {
		return User{}, Invalid(problems)
	}
	name, _, _ := strings.Cut(email, "@")
	return User{Email: email, Name: name, Role: RoleOperator}, nil
}

// MustSetUpOperatorFactor reports whether an operator with second factors f must set one up
// before anything else: an operator always needs one, since the console decides what the
// benchmark publishes and who may sign in at all.
func MustSetUpOperatorFactor(f SecondFactors) bool { return MustSetUpSecondFactor(true, f) }

// WorkspaceSummary is what an operator sees of a workspace: who is in it and how much it is
// used, never a client's name or answers.
type WorkspaceSummary struct {
	Workspace
	// SuspendedAt is when an operator suspended it; zero while it is in use.
	SuspendedAt  time.Time
	Members      int
	Clients      int
	Rounds       int
	Participants int
	// LastActivity is the latest of the workspace's sign-ins, rounds and answers (zero for
	// none).
	LastActivity time.Time
}

// Suspended reports whether an operator suspended the workspace.
func (w WorkspaceSummary) Suspended() bool { return !w.SuspendedAt.IsZero() }

// MemberSummary is what an operator sees of a member: name, email, role, whether a second
// factor protects the account, and the last sign-in (zero for none the audit log still
// holds).
type MemberSummary struct {
	User
	SecondFactor bool
	LastSignIn   time.Time
}

// OutboxMessage is what an operator sees of a message that is not sent yet or failed: its
// kind, tries, last error and next attempt, and the recipient's domain only — never the
// address, subject or body (a body carries a single-use link).
type OutboxMessage struct {
	ID            int64
	Kind          string
	Status        string
	Retrying      bool
	Attempts      int
	LastError     string
	NextAt        time.Time
	CreatedAt     time.Time
	RecipientHost string
}

// Outbox states as the console counts them: a pending message that has never been tried is
// queued, one tried before is retrying.
const (
	OutboxQueued   = "queued"
	OutboxRetrying = "retrying"
	OutboxSent     = "sent"
	OutboxFailed   = "failed"
)

// OutboxStates lists the outbox states in the console's order.
var OutboxStates = []string{OutboxQueued, OutboxRetrying, OutboxSent, OutboxFailed}

// EmailDomain returns the part of an address after its last "@" (lower-case), or "" when
// there is none: the only part of a recipient the console shows.
func EmailDomain(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(addr[i+1:])
}

// RedactAddresses hides the local part of every email address in s ("550 anna@acme.dk:
// unknown" becomes "550 …@acme.dk: unknown"): an SMTP server's error often names the
// recipient, and the console shows an address's domain only.
func RedactAddresses(s string) string {
	var b strings.Builder
	start := 0 // the first byte not yet written
	for i := 0; i < len(s); i++ {
		if s[i] != '@' {
			continue
		}
		j := i
		for j > start && !strings.ContainsRune(" \t\r\n<>()[]\"',;:", rune(s[j-1])) {
			j--
		}
		if j == i {
			continue
		}
		b.WriteString(s[start:j])
		b.WriteString("…")
		start = i
	}
	b.WriteString(s[start:])
	return b.String()
}

// Operator errors.
var (
	// ErrWorkspaceSuspended refuses a member of a suspended workspace at sign-in and on the
	// API.
	ErrWorkspaceSuspended = &Error{Code: EFORBIDDEN, Key: MsgWorkspaceSuspended}
	// ErrNoWorkspace is a workspace that does not exist.
	ErrNoWorkspace = &Error{Code: ENOTFOUND, Key: MsgWorkspaceNotFound}
	// ErrNoOperator is an operator account that does not exist.
	ErrNoOperator = &Error{Code: ENOTFOUND, Key: MsgOperatorNotFound}
	// ErrOperatorFactor refuses an operator without a second factor anything but setting one
	// up.
	ErrOperatorFactor = &Error{Code: EFORBIDDEN, Key: MsgOperatorFactor}
	// ErrOperatorExists is an address that already has an account (operator or member).
	ErrOperatorExists = &Error{Code: ECONFLICT, Key: MsgOperatorExists}
)

// PoolHealth is the operator's view of one benchmark pool (a questionnaire version): how many
// companies each peer group holds now, what the latest release shows of it, and what the
// next release would do with it and why (PlanRelease's decision, previewed).
type PoolHealth struct {
	Version string
	Status  ReleaseStatus
	// Companies is how many companies the live pool holds (demo companies left out).
	Companies int
	Groups    []GroupHealth
}

// NextRelease returns when the next release may be made: ReleaseInterval after the latest
// (zero before the first, which is made as soon as the pool has a group to publish).
func (h PoolHealth) NextRelease() time.Time {
	if h.Status.Latest == 0 {
		return time.Time{}
	}
	return h.Status.MadeAt.Add(ReleaseInterval)
}

// GroupHealth is one peer group of PoolHealth.
type GroupHealth struct {
	PeerGroup
	// Live is how many companies the group holds now; Published how many the figures the
	// latest release shows were computed from (0 when it shows none).
	Live      int
	Published int
	// Next is what the next release would do with the group, Reason why (Health*).
	Next   Decision
	Reason string
}

// Reasons a group is published or withheld, as the console names them.
const (
	// HealthPublish: the next release publishes new figures.
	HealthPublish = "publish"
	// HealthKept: the group keeps its figures from an earlier release, because fewer than
	// MinPeers of its companies changed (or new figures would break the difference rule).
	HealthKept = "kept"
	// HealthBelow: fewer than MinPeers companies: withheld (withdrawn if it was published).
	HealthBelow = "below"
	// HealthDifference: enough companies, withheld by the difference rule: it differs from
	// another group an attacker knows by 1 to MinPeers−1 companies, or appeared because so
	// few joined.
	HealthDifference = "difference"
)

// HealthReason names why decision d was taken for a group of live companies.
func HealthReason(live int, d Decision) string {
	switch {
	case d == Publish:
		return HealthPublish
	case d == Carry:
		return HealthKept
	case live < MinPeers:
		return HealthBelow
	default:
		return HealthDifference
	}
}

package views

// The operator console's pages (/ops, assessment/web/ops.go). Every model holds counts,
// profiles and states, never a client's name or a rating.

// OpsTest is a five-minute test as the console lists it: its profile and date only.
type OpsTest struct {
	ID       int64
	Company  string
	Industry string
	Size     string
	Country  string
	// At is the machine-readable date (for <time>); Date the reader's.
	At   string
	Date string
}

// OpsDomain is a company domain waiting for the operator's approval: when it was first seen
// and its confirmed tests' profiles (never an answer or an address).
type OpsDomain struct {
	Domain string
	// FirstAt is the machine-readable date it was first seen (for <time>); FirstSeen the
	// reader's.
	FirstAt   string
	FirstSeen string
	Tests     []OpsTest
}

// ApprovalsPage is /ops/approvals: what waits for the operator's approval (the domains
// first, then the tests without a domain), and what was approved (to take out again).
type ApprovalsPage struct {
	WSPage
	Version string
	// Domains are the oldest waiting domains, of DomainsTotal.
	Domains      []OpsDomain
	DomainsTotal int
	// Pending are the oldest waiting tests without a domain, of PendingTotal.
	Pending      []OpsTest
	PendingTotal int
	// Approved are the latest approved domains, of ApprovedTotal: the companies to take out
	// again (a reject).
	Approved      []OpsDomain
	ApprovedTotal int
	Verified      []OpsTest
	// Error is the last action's problem, translated.
	Error string
}

// OpsCount is one labelled count.
type OpsCount struct {
	Key   string
	Label string
	Count int
}

// OpsGroup is one peer group of the pool's health.
type OpsGroup struct {
	Label     string
	Live      int
	Published int
	// Next is the next release's decision (publish, kept, withheld), Reason its sentence.
	Next   string
	Reason string
	// Shown marks a group the latest release shows.
	Shown bool
}

// PoolHealthPage is /ops/pool.
type PoolHealthPage struct {
	WSPage
	Version     string
	Companies   int
	Versions    []OpsCount
	LastRelease string
	NextRelease string
	Groups      []OpsGroup
}

// OpsWorkspace is a workspace as the console lists it.
type OpsWorkspace struct {
	ID           int64
	Name         string
	Members      int
	Clients      int
	Rounds       int
	Participants int
	LastActivity string
	Created      string
	Suspended    bool
	SuspendedAt  string
}

// WorkspacesPage is /ops/workspaces: every workspace, and the form that creates one and
// invites its first admin.
type WorkspacesPage struct {
	WSPage
	Workspaces []OpsWorkspace
	// The form: its values and problems.
	Name       string
	AdminEmail string
	MailLang   string
	Languages  []Choice
	NameError  string
	EmailError string
	FormError  string
}

// OpsMember is a member as the console shows it.
type OpsMember struct {
	Name         string
	Email        string
	Role         string
	SecondFactor bool
	LastSignIn   string
}

// OpsWorkspacePage is /ops/workspaces/{id}: its usage and members.
type OpsWorkspacePage struct {
	WSPage
	Workspace OpsWorkspace
	Members   []OpsMember
}

// OpsMail is a failed or retrying message as the console shows it.
type OpsMail struct {
	Kind      string
	State     string
	Attempts  int
	LastError string
	NextAt    string
	Domain    string
}

// OutboxPage is /ops/outbox.
type OutboxPage struct {
	WSPage
	Counts   []OpsCount
	Messages []OpsMail
}

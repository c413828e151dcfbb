package assessment

import (
	"slices"
	"strconv"
	"time"
)

// AuditEvent is one line of a workspace's audit log: who did what, when, from which address.
// The actor's name is kept as it was at the time, so the log still reads right after the
// member was renamed or removed.
type AuditEvent struct {
	ID int64
	// WorkspaceID is the workspace whose admins may read the event; 0 for an event no
	// workspace may see (a failed sign-in with an address that has no account: showing it
	// to any workspace would tell its admins which addresses are not members elsewhere).
	WorkspaceID int64
	At          time.Time
	// ActorID and ActorName are the member who acted (or whose account was tried); 0 and ""
	// when nobody is known.
	ActorID   int64
	ActorName string
	// Action is one of AuditActions.
	Action string
	// Target names what was acted on, as "kind:id" (AuditTarget), or "" when the action
	// needs none.
	Target string
	// Address is the network address the request came from (c.RealIP, which trusts a proxy
	// only when the operator said so), or "cli" for an action taken on the server's shell.
	Address string
	// Scope is "" for a workspace's event and AuditScopeOperator for the operator audit
	// log's: an operator's action or sign-in, which belongs to no workspace.
	Scope string
}

// AuditScopeOperator marks an event of the operator audit log (/ops).
const AuditScopeOperator = "operator"

// AuditAddressCLI is the address of an action taken through the command line.
const AuditAddressCLI = "cli"

// Audit actions. Other parts of the workspace (invitations, password reset, passkeys) record
// theirs with these names; AuditActions lists them all, and the audit page translates each
// as "audit.action.<name>".
const (
	AuditSignIn              = "signin.success"
	AuditSignInFailed        = "signin.failure"
	AuditPasswordChanged     = "password.changed"
	AuditPasswordReset       = "password.reset"
	AuditSecondFactorAdded   = "second_factor.added"
	AuditSecondFactorRemoved = "second_factor.removed"
	AuditRecoveryCodeUsed    = "second_factor.recovery_used"
	AuditInvitationSent      = "invitation.sent"
	AuditInvitationAccepted  = "invitation.accepted"
	AuditInvitationRevoked   = "invitation.revoked"
	AuditMemberAdded         = "member.added"
	AuditRoleChanged         = "member.role_changed"
	AuditMemberRemoved       = "member.removed"
	AuditTokenCreated        = "token.created"
	AuditTokenRevoked        = "token.revoked"
	AuditExportDownloaded    = "export.downloaded"
	AuditClientDeleted       = "client.deleted"
	AuditResultDeleted       = "result.deleted"
	AuditRoundClosed         = "round.closed"
	AuditRoundReopened       = "round.reopened"
	AuditRequireSecondFactor = "workspace.second_factor_required"
	AuditAllowOneFactor      = "workspace.second_factor_optional"
	// The operator audit log's actions (Scope AuditScopeOperator).
	AuditTestApproved   = "pool.test_approved"
	AuditTestRejected   = "pool.test_rejected"
	AuditTestUnverified = "pool.test_unverified"
	// AuditDomainApproved and AuditDomainRejected are an operator's one decision for a
	// company: its email domain (TargetDomain) approved or rejected.
	AuditDomainApproved   = "pool.domain_approved"
	AuditDomainRejected   = "pool.domain_rejected"
	AuditWorkspaceCreated = "workspace.created"
	AuditWorkspaceSuspend = "workspace.suspended"
	AuditWorkspaceResume  = "workspace.resumed"
	AuditOperatorAdded    = "operator.added"
	AuditOperatorRemoved  = "operator.removed"
)

// AuditActions lists every action the log records, in the order the audit page's filter
// would offer them.
var AuditActions = []string{
	AuditSignIn, AuditSignInFailed, AuditPasswordChanged, AuditPasswordReset,
	AuditSecondFactorAdded, AuditSecondFactorRemoved, AuditRecoveryCodeUsed,
	AuditInvitationSent, AuditInvitationAccepted, AuditInvitationRevoked,
	AuditMemberAdded, AuditRoleChanged, AuditMemberRemoved,
	AuditTokenCreated, AuditTokenRevoked, AuditExportDownloaded,
	AuditClientDeleted, AuditResultDeleted, AuditRoundClosed, AuditRoundReopened,
	AuditRequireSecondFactor, AuditAllowOneFactor,
	AuditTestApproved, AuditTestRejected, AuditTestUnverified,
	AuditDomainApproved, AuditDomainRejected,
	AuditWorkspaceCreated, AuditWorkspaceSuspend, AuditWorkspaceResume,
	AuditOperatorAdded, AuditOperatorRemoved,
}

// Audit targets: the kind of thing an event names.
const (
	TargetMember     = "member"
	TargetClient     = "client"
	TargetRound      = "round"
	TargetToken      = "token"
	TargetInvitation = "invitation"
	TargetResult     = "result"
	// TargetParticipant is a workshop participant, whose answers were deleted.
	TargetParticipant = "participant"
	// TargetPortfolio is the workspace's portfolio, exported whole.
	TargetPortfolio = "portfolio"
	// TargetWorkspace is a workspace an operator acted on.
	TargetWorkspace = "workspace"
	// TargetOperator is an operator account.
	TargetOperator = "operator"
	// TargetDomain is a company's email domain (AuditDomainTarget).
	TargetDomain = "domain"
)

// AuditDomainTarget names a company's email domain as an event's target:
// AuditDomainTarget("acme-bank.dk") = "domain:acme-bank.dk".
func AuditDomainTarget(domain string) string {
	return TargetDomain + ":" + domain
}

// AuditTarget names the thing an event acted on: AuditTarget("member", 12) = "member:12".
func AuditTarget(kind string, id int64) string {
	return kind + ":" + strconv.FormatInt(id, 10)
}

// Audit log paging and retention.
const (
	// AuditPageSize is how many events a page or an API answer shows unless asked for fewer.
	AuditPageSize = 50
	// MaxAuditPage bounds an API page (?limit=).
	MaxAuditPage = 200
)

// DefaultAuditRetention is how long the audit log is kept unless the operator says
// otherwise (-audit-retention): a year covers an annual review of who did what.
var DefaultAuditRetention = Period{Years: 1}

// IsAuditAction reports whether a is one of AuditActions.
func IsAuditAction(a string) bool {
	return slices.Contains(AuditActions, a)
}

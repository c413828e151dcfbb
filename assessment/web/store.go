package web

import (
	"context"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/email"
)

// Store is what the web layer needs from storage, declared here where it is used and split by
// concern. Every method that touches a tenant's data takes the workspace id and answers
// ENOTFOUND for another workspace's. assessment/sqlstore implements all of it, on SQLite and PostgreSQL; every engine
// passes the conformance suite in assessment/storetest, which checks it.
type Store interface {
	HealthStore
	AssessmentStore
	PoolStore
	AccountStore
	ClientStore
	RoundStore
	LimitStore
	TokenStore
	TeamStore
	MailStore
	AuditStore
	SecondFactorStore
	PasskeyStore
	VerificationStore
	DomainStore
	OperatorStore
}

// HealthStore reports whether the database can serve this program, for /readyz.
type HealthStore interface {
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// CheckSchema reports whether the database's schema is exactly the one this program
	// was built for (its migrations, no more, no fewer).
	CheckSchema(ctx context.Context) error
}

// AssessmentStore keeps five-minute tests.
type AssessmentStore interface {
	// CreateAssessment stores a and sets its token and time. A consenting test enters the
	// benchmark pool only once the operator verifies it (loyalty pool verify).
	CreateAssessment(ctx context.Context, a *assessment.Assessment) error
	// CreateAssessmentOnce stores a unless once's key was used before: then it stores
	// nothing and returns the first response (assessment.ErrOnceMismatch for another
	// request). The key and respond(token) are stored in a's transaction.
	CreateAssessmentOnce(ctx context.Context, a *assessment.Assessment, once *assessment.Once, respond func(token string) assessment.OnceResponse) (*assessment.OnceResponse, error)
	// OnceResponse returns the stored response of once's key, nil for an unknown key, and
	// assessment.ErrOnceMismatch for a key used with another request.
	OnceResponse(ctx context.Context, once *assessment.Once) (*assessment.OnceResponse, error)
	Assessment(ctx context.Context, token string) (*assessment.Assessment, error)
	// PreviousAssessment returns the earlier result a retakes, without its token (no page of
	// the newer result may lead to the earlier one); ENOTFOUND when there is none.
	PreviousAssessment(ctx context.Context, a *assessment.Assessment) (*assessment.Assessment, error)
	// DeleteAssessment deletes the assessment with its answers and, in the same transaction,
	// its pool entry if the entry came from it and its rows in release snapshots; it changes
	// the result generation.
	DeleteAssessment(ctx context.Context, token string) error
}

// PoolStore reads the benchmark's releases, and makes the next one when it is due. Nothing a
// page shows is read from the live pool.
type PoolStore interface {
	// ReleaseStatus tells cheaply whether a release is due (assessment.ReleaseStatus.Due).
	ReleaseStatus(ctx context.Context, version string, demo bool) (assessment.ReleaseStatus, error)
	// MakeRelease plans the next release by assessment.PlanRelease and stores it if it
	// publishes anything, once however many processes try; it reports whether it made one.
	MakeRelease(ctx context.Context, q *assessment.Questionnaire, demo bool, noise assessment.NoiseSource) (bool, error)
	Release(ctx context.Context, id int64) (*assessment.Release, error)
	// ReleasePool returns the published statistics of one group of a release.
	ReleasePool(ctx context.Context, q *assessment.Questionnaire, content int64) (assessment.PeerPool, error)
	// BenchmarkHistory returns what the releases published of one public peer group, oldest
	// first: the benchmark over time.
	BenchmarkHistory(ctx context.Context, version string, demo bool, g assessment.PeerGroup) ([]assessment.HistoryPoint, error)
	// SnapshotEntry returns the entry a release snapshot holds for this very company: the
	// test with id source, or a client's key; nil when the snapshot does not hold it.
	SnapshotEntry(ctx context.Context, snapshot, source int64, key string) (*assessment.PoolEntry, error)
	// ResultGeneration changes whenever a result is deleted; result pages are cached by it.
	ResultGeneration(ctx context.Context) (int64, error)
}

// AccountStore keeps members, their sessions and API tokens.
type AccountStore interface {
	UserByEmail(ctx context.Context, email string) (*assessment.User, string, error)
	CreateUser(ctx context.Context, wsID int64, u *assessment.User, passwordHash string) error
	Members(ctx context.Context, wsID int64) ([]assessment.User, error)
	RemoveMember(ctx context.Context, wsID, actorID, id int64) (*assessment.User, error)
	SetMemberRole(ctx context.Context, wsID, actorID, id int64, role string) (*assessment.User, error)
	CreateSession(ctx context.Context, userID int64, tokenHash, csrf string, expires time.Time) error
	Session(ctx context.Context, tokenHash string) (*assessment.Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	// CreateDevice remembers a device (its cookie's hash) on which userID signed in; a
	// sign-in from it is not throttled by the account's failures elsewhere (login.go).
	CreateDevice(ctx context.Context, userID int64, tokenHash string, expires time.Time) error
	// DeviceUser returns the member a known device signed in as, or 0.
	DeviceUser(ctx context.Context, tokenHash string) (int64, error)
	// APITokenUser returns the member of an API token that is neither revoked nor expired,
	// and records its use (at most once a minute).
	APITokenUser(ctx context.Context, tokenHash string) (*assessment.User, error)
	// PasswordHash returns the password hash of member userID.
	PasswordHash(ctx context.Context, userID int64) (string, error)
	// SetPassword sets member userID's password hash and, in the same transaction, ends
	// every session of theirs but the one under keepSession ("" ends all).
	SetPassword(ctx context.Context, userID int64, hash, keepSession string) error
}

// AuditStore keeps the workspaces' audit logs (assessment.AuditEvent).
type AuditStore interface {
	// RecordAudit appends e and sets its ID (and At, when zero).
	RecordAudit(ctx context.Context, e *assessment.AuditEvent) error
	// AuditEvents returns up to limit events of workspace wsID with an id below before (0:
	// from the newest), newest first. Events of no workspace are never returned.
	AuditEvents(ctx context.Context, wsID, before int64, limit int) ([]assessment.AuditEvent, error)
}

// MailStore keeps the email outbox and what sends email: workspace invitations and
// password resets (sqlstore/email.go). Each message is stored in the transaction of its
// action; the email package's Worker sends it.
type MailStore interface {
	email.Outbox
	// EnqueueMail stores a message no stored action causes (a result's link).
	EnqueueMail(ctx context.Context, m *assessment.Mail) error
	// CreateMemberInvitation stores inv under its token's hash with its message; an address
	// with an account is ECONFLICT.
	CreateMemberInvitation(ctx context.Context, wsID int64, inv *assessment.MemberInvitation, tokenHash string, m *assessment.Mail) error
	// MemberInvitations lists the workspace's invitations pending at now.
	MemberInvitations(ctx context.Context, wsID int64, now time.Time) ([]assessment.MemberInvitation, error)
	MemberInvitation(ctx context.Context, wsID, id int64) (*assessment.MemberInvitation, error)
	MemberInvitationByToken(ctx context.Context, tokenHash string) (*assessment.MemberInvitation, error)
	RevokeMemberInvitation(ctx context.Context, wsID, id int64, now time.Time) (*assessment.MemberInvitation, error)
	// ResendMemberInvitation gives the invitation a new link and stores its message.
	ResendMemberInvitation(ctx context.Context, wsID, id int64, tokenHash string, now time.Time, m *assessment.Mail) (*assessment.MemberInvitation, error)
	// AcceptMemberInvitation makes the account, once per link.
	AcceptMemberInvitation(ctx context.Context, tokenHash, name, passwordHash string, now time.Time) (*assessment.User, *assessment.MemberInvitation, error)
	CreatePasswordReset(ctx context.Context, userID int64, tokenHash string, expires time.Time, m *assessment.Mail) error
	PasswordResetUser(ctx context.Context, tokenHash string) (*assessment.User, error)
	// ResetPassword sets the password through a reset link and ends every session.
	ResetPassword(ctx context.Context, tokenHash, passwordHash string) (*assessment.User, error)
	// DeleteUserSessions ends every session of a member.
	DeleteUserSessions(ctx context.Context, userID int64) error
}

// TokenStore keeps members' API tokens. Each method takes the owner's id: another member's
// token is assessment.ErrNoToken.
type TokenStore interface {
	// CreateAPIToken stores t under the hash of its secret and sets its ID.
	CreateAPIToken(ctx context.Context, userID int64, tokenHash string, t *assessment.APIToken) error
	APITokens(ctx context.Context, userID int64) ([]assessment.APIToken, error)
	APIToken(ctx context.Context, userID, id int64) (*assessment.APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, id int64) error
}

// LimitStore keeps the failures the rate limits count (failed sign-ins, unknown workshop
// codes), so that a restart forgives nothing and every process sees the same counts.
type LimitStore interface {
	auth.FailureStore
}

// ClientStore keeps a workspace's clients.
type ClientStore interface {
	CreateClient(ctx context.Context, wsID int64, c *assessment.Client) error
	Client(ctx context.Context, wsID, id int64) (*assessment.Client, error)
	Clients(ctx context.Context, wsID int64, archived bool) ([]assessment.Client, error)
	// UpdateClient stores c and brings its pool entry in line (assessment.ClientEntry).
	UpdateClient(ctx context.Context, q *assessment.Questionnaire, wsID int64, c *assessment.Client) error
	SetClientArchived(ctx context.Context, wsID, id int64, archived bool) error
	DeleteClient(ctx context.Context, wsID, id int64) error
	Portfolio(ctx context.Context, wsID int64) ([]assessment.PortfolioEntry, error)
}

// RoundStore keeps workshop rounds, their participants and Must Win Battles.
type RoundStore interface {
	CreateRound(ctx context.Context, wsID, clientID int64, r *assessment.Round) error
	Round(ctx context.Context, wsID, id int64) (*assessment.Round, error)
	RoundByCode(ctx context.Context, code string) (*assessment.Round, error)
	OpenRoundByShortCode(ctx context.Context, short string) (*assessment.Round, error)
	Rounds(ctx context.Context, wsID, clientID int64) ([]assessment.Round, error)
	SetRoundRevealed(ctx context.Context, wsID, id int64, revealed bool) error
	// CloseRound freezes a round and brings its client's pool entry in line.
	CloseRound(ctx context.Context, q *assessment.Questionnaire, wsID, id int64) (*assessment.Round, error)
	// ReopenRound opens a closed round again; it leaves the pool until closed again.
	ReopenRound(ctx context.Context, q *assessment.Questionnaire, wsID, id int64) (*assessment.Round, error)
	// SetRoundDeadline starts (or, with a zero time, stops) the countdown for answering.
	SetRoundDeadline(ctx context.Context, wsID, id int64, deadline time.Time) error
	// WatchRounds calls changed with a round's new revision after every committed change of
	// it — on PostgreSQL those of every instance on the database — and lost when changes may
	// have gone unheard (every round may have changed), until stop. The live streams
	// (events.go) follow rounds through it.
	WatchRounds(changed func(round, revision int64), lost func()) (stop func())

	ParticipantStore
	BattleStore
}

// ParticipantStore keeps a round's participants from joining to finishing.
type ParticipantStore interface {
	// JoinRound adds a participant who has not answered yet, with a label drawn at random.
	JoinRound(ctx context.Context, code, tokenHash string, p *assessment.Participant) error
	// SaveDraftAnswer stores one tapped answer of a participant.
	SaveDraftAnswer(ctx context.Context, code, tokenHash string, competency int, field string, value int) error
	// SaveParticipant stores a complete set of answers and marks the participant finished.
	SaveParticipant(ctx context.Context, code, tokenHash string, replace bool, p *assessment.Participant) error
	// SaveParticipantOnce is SaveParticipant unless once's key was used before: then it
	// stores nothing and returns the first response. The key and resp are stored in the
	// answers' transaction.
	SaveParticipantOnce(ctx context.Context, code, tokenHash string, replace bool, p *assessment.Participant, once *assessment.Once, resp assessment.OnceResponse) (*assessment.OnceResponse, error)
	Participant(ctx context.Context, roundID int64, tokenHash string) (*assessment.Participant, error)
	RoundParticipants(ctx context.Context, wsID, roundID int64) ([]assessment.Participant, error)
	// RemoveParticipant takes a participant out of an open round; a closed one is ECONFLICT.
	RemoveParticipant(ctx context.Context, wsID, roundID, pid int64) error
	// PublishRound stores the next publication of an open round if it still has the one
	// before (compare and set), and reports whether it did.
	PublishRound(ctx context.Context, roundID int64, next assessment.Publication) (bool, error)
	// RoundPublication returns the publication a round has stored.
	RoundPublication(ctx context.Context, roundID int64) (assessment.Publication, error)
}

// BattleStore keeps a round's Must Win Battles and the consultant's notes.
type BattleStore interface {
	AddBattle(ctx context.Context, wsID, roundID int64, b *assessment.Battle) error
	UpdateBattle(ctx context.Context, wsID int64, b *assessment.Battle) error
	// UpdateBattleIf is UpdateBattle when check, called in the same transaction with the
	// battle as stored, returns nil (an If-Match that still matches).
	UpdateBattleIf(ctx context.Context, wsID int64, b *assessment.Battle, check func(current *assessment.Battle) error) error
	DeleteBattle(ctx context.Context, wsID, roundID, id int64) error
	Battles(ctx context.Context, wsID, roundID int64) ([]assessment.Battle, error)
	Battle(ctx context.Context, wsID, id int64) (*assessment.Battle, error)
	SaveNote(ctx context.Context, wsID, roundID int64, n *assessment.Note) error
	Notes(ctx context.Context, wsID, roundID int64) ([]assessment.Note, error)
}

// TeamStore keeps team rounds: rounds without a workspace that an executive opens from a
// result for the leadership team (assessment/team.go). Their participants are stored by
// ParticipantStore, like any round's.
type TeamStore interface {
	// OpenTeamRound opens the team round of result a, with first (a's answers) as its first,
	// finished participant under firstTokenHash; a result that has one gets it back, created
	// false.
	OpenTeamRound(ctx context.Context, a *assessment.Assessment, r *assessment.Round, first *assessment.Participant, firstTokenHash string) (team *assessment.Team, created bool, err error)
	// Team returns the team round of a team link, moved into a workspace or not.
	Team(ctx context.Context, token string) (*assessment.Team, error)
	TeamOfAssessment(ctx context.Context, assessmentID int64) (*assessment.Team, error)
	TeamOfRound(ctx context.Context, roundID int64) (*assessment.Team, error)
	// TeamParticipants lists a team round's participants; a round that moved is ENOTFOUND.
	TeamParticipants(ctx context.Context, roundID int64) ([]assessment.Participant, error)
	SetTeamRevealed(ctx context.Context, roundID int64, revealed bool) error
	// ImportTeamRound moves a team round into workspace wsID as a round of the new client c;
	// a round that moved already is ECONFLICT.
	ImportTeamRound(ctx context.Context, wsID int64, token string, c *assessment.Client, title string) (*assessment.Round, error)
	InvitationStore
}

// InvitationStore keeps the personal links of team rounds (assessment/invitation.go): the
// only way into a team round.
type InvitationStore interface {
	// AddInvitations makes a link for each name of the holder's list (one a line), all or
	// none; a round that moved is ENOTFOUND.
	AddInvitations(ctx context.Context, roundID int64, list string) ([]assessment.Invitation, error)
	// Invitations lists a team round's links, oldest first; a round that moved is ENOTFOUND.
	Invitations(ctx context.Context, roundID int64) ([]assessment.Invitation, error)
	// Invitation returns the link of a token with its round; unknown or withdrawn: ENOTFOUND.
	Invitation(ctx context.Context, token string) (*assessment.Invitation, *assessment.Round, error)
	// RemoveInvitation withdraws a link and removes its colleague if they joined; one who
	// finished is ECONFLICT.
	RemoveInvitation(ctx context.Context, roundID, id int64) (*assessment.Invitation, error)
	// JoinByInvitation admits a new device through a link, once; used or full: ECONFLICT.
	JoinByInvitation(ctx context.Context, token, tokenHash string, p *assessment.Participant) (*assessment.Round, error)
	// SetTeamCap sets the most colleagues who may join (0: one per link).
	SetTeamCap(ctx context.Context, roundID int64, cap int) error
}

// SecondFactorStore keeps members' second factors (TOTP and recovery codes), the browsers
// waiting to give one at sign-in, and the workspace setting that requires one.
type SecondFactorStore interface {
	// SecondFactors returns the factors member userID has (TOTP and passkeys).
	SecondFactors(ctx context.Context, userID int64) (assessment.SecondFactors, error)
	RequiresSecondFactor(ctx context.Context, wsID int64) (bool, error)
	SetRequireSecondFactor(ctx context.Context, wsID int64, require bool) error
	// StartTOTP stores a new, not yet enabled secret; assessment.ErrTOTPEnabled while one is on.
	StartTOTP(ctx context.Context, userID int64, secret string) error
	// TOTPSecret returns the member's secret ("" for none) and whether it is enabled.
	TOTPSecret(ctx context.Context, userID int64) (string, bool, error)
	// EnableTOTP turns a pending secret on at time step step, with new recovery code hashes.
	EnableTOTP(ctx context.Context, userID, step int64, recoveryHashes []string) (bool, error)
	// UseTOTPStep accepts a code's time step once, and none older than one accepted.
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	// UseRecoveryCode spends an unused recovery code once.
	UseRecoveryCode(ctx context.Context, userID int64, hash string) (bool, error)
	DisableTOTP(ctx context.Context, userID int64) error
	// MembersWithSecondFactor returns the members of workspace wsID who have a second factor
	// (TOTP or a passkey that signs in).
	MembersWithSecondFactor(ctx context.Context, wsID int64) (map[int64]bool, error)
	// CreatePendingLogin, PendingLogin, FailPendingLogin and DeletePendingLogin keep the
	// half-signed-in browsers: the password was right, the code is to come.
	CreatePendingLogin(ctx context.Context, tokenHash string, userID int64, next string, expires time.Time) error
	PendingLogin(ctx context.Context, tokenHash string) (*assessment.User, string, int, error)
	FailPendingLogin(ctx context.Context, tokenHash string) (int, error)
	DeletePendingLogin(ctx context.Context, tokenHash string) error
}

// PasskeyStore keeps members' passkeys and the WebAuthn ceremonies in progress (passkeys.go).
// Each method that lists, renames or removes takes the owner's id: another member's passkey is
// assessment.ErrNoPasskey.
type PasskeyStore interface {
	// PasskeyHandle returns the member's WebAuthn user handle, storing candidate as the
	// handle if the member has none yet.
	PasskeyHandle(ctx context.Context, userID int64, candidate []byte) ([]byte, error)
	// PasskeyUser returns the member of a user handle; unknown: assessment.ErrPasskeyRejected.
	PasskeyUser(ctx context.Context, handle []byte) (*assessment.User, error)
	// AddPasskey stores p for the member and sets its ID, UserID and CreatedAt; a
	// credential stored already is ErrPasskeyExists, a member with MaxPasskeys is
	// ErrPasskeysFull.
	AddPasskey(ctx context.Context, userID int64, p *assessment.Passkey) error
	// Passkeys lists the member's passkeys, oldest first.
	Passkeys(ctx context.Context, userID int64) ([]assessment.Passkey, error)
	// HasPasskey reports whether the member has at least one passkey that signs in (the
	// "has a second factor" rule counts it).
	HasPasskey(ctx context.Context, userID int64) (bool, error)
	Passkey(ctx context.Context, userID, id int64) (*assessment.Passkey, error)
	// PasskeyByCredential returns the passkey of a credential id, whoever owns it; unknown:
	// assessment.ErrPasskeyRejected.
	PasskeyByCredential(ctx context.Context, credentialID []byte) (*assessment.Passkey, error)
	RenamePasskey(ctx context.Context, userID, id int64, name string) error
	RemovePasskey(ctx context.Context, userID, id int64) (*assessment.Passkey, error)
	// UsePasskey records a sign-in: the updated credential record and its clone warning.
	UsePasskey(ctx context.Context, id int64, record []byte, cloneWarning bool) error
	// SavePasskeyChallenge stores a ceremony in progress (and forgets the expired ones).
	SavePasskeyChallenge(ctx context.Context, c assessment.PasskeyChallenge) error
	// TakePasskeyChallenge removes and returns the ceremony of challenge and kind: unknown,
	// taken already or expired is assessment.ErrPasskeyChallenge.
	TakePasskeyChallenge(ctx context.Context, challenge, kind string) (*assessment.PasskeyChallenge, error)
}

// VerificationStore keeps the verification of five-minute tests by work email
// (assessment/verification.go): single-use links stored by the hash of their token, and on
// each result the domain it was confirmed for, never the address.
type VerificationStore interface {
	// RequestVerification stores verification v of the result with token, its link's
	// tokenHash and the message m carrying the link in one transaction. A result without
	// benchmark consent is assessment.ErrVerifyNoConsent, a confirmed one
	// assessment.ErrAlreadyVerified.
	RequestVerification(ctx context.Context, token, tokenHash string, v *assessment.Verification, m *assessment.Mail) error
	// VerificationByToken returns the verification under tokenHash, used or not, for its
	// page; assessment.ErrVerificationNotFound when there is none.
	VerificationByToken(ctx context.Context, tokenHash string) (*assessment.Verification, error)
	// ConfirmVerification confirms the result of the verification under tokenHash for its
	// domain at now, once: a first-seen domain becomes pending, an approved domain's result
	// enters the pool as the company's latest. A used or expired link changes nothing.
	ConfirmVerification(ctx context.Context, q *assessment.Questionnaire, tokenHash string, now time.Time) (assessment.DomainDecision, error)
	// DomainStatus returns a domain's state in the register ("" for none), for the result
	// page's line on what the result counts for.
	DomainStatus(ctx context.Context, domain string) (string, error)
}

// DomainStore is the operator's register of company domains: one approval per company, not
// per test. The operator console (/ops) and `loyalty pool` call it. The per-test operator
// methods (VerifyAssessment, UnverifyAssessment, PendingAssessments) stay beside it.
type DomainStore interface {
	// PendingDomains lists the domains waiting for approval, first seen first. For each the
	// console shows the domain, when it was first seen, and its confirmed tests' profiles:
	// how many, their sizes, industries and countries, and when each was taken and
	// confirmed. Never their answers or any address.
	PendingDomains(ctx context.Context, version string) ([]assessment.PendingDomain, error)
	// ApproveDomain accepts a domain as a company's: its latest consenting test on q's
	// version enters the pool, and later tests do when confirmed. It reports whether a test
	// entered; an unknown domain is ENOTFOUND.
	ApproveDomain(ctx context.Context, q *assessment.Questionnaire, domain string) (bool, error)
	// RejectDomain refuses a domain: none of its tests counts, and an entry it had leaves
	// the pool. It reports whether one left; an unknown domain is ENOTFOUND.
	RejectDomain(ctx context.Context, domain string) (bool, error)
}

// OperatorStore is what the operator console (/ops, ops.go) and "loyalty operator" need:
// operator accounts, the pool's waiting tests, the workspaces as an operator sees them
// (counts, never a client's answers), suspension, the outbox's state and the operator audit
// log (sqlstore/operator.go).
type OperatorStore interface {
	// CreateOperator stores an operator with no password yet and, in the same transaction,
	// a set-password link under tokenHash and its message; an address with an account is
	// assessment.ErrOperatorExists.
	CreateOperator(ctx context.Context, u *assessment.User, tokenHash string, expires time.Time, m *assessment.Mail) error
	// Operators lists the operator accounts by email.
	Operators(ctx context.Context) ([]assessment.User, error)
	// RemoveOperator deletes an operator account (assessment.ErrNoOperator for any other
	// address).
	RemoveOperator(ctx context.Context, email string) (*assessment.User, error)
	// PendingAssessments lists the consenting tests of version no operator has verified or
	// rejected, oldest first, with their profiles (never their ratings).
	PendingAssessments(ctx context.Context, version string) ([]assessment.Assessment, error)
	// VerifiedAssessments lists up to limit tests of version in the pool, newest first.
	VerifiedAssessments(ctx context.Context, version string, limit int) ([]assessment.Assessment, error)
	// AssessmentByID returns a test by its row id, for the operator's check.
	AssessmentByID(ctx context.Context, id int64) (*assessment.Assessment, error)
	// VerifyAssessment lets a consenting test into the pool; it reports whether it is in.
	VerifyAssessment(ctx context.Context, q *assessment.Questionnaire, id int64) (bool, error)
	// UnverifyAssessment takes a verified test out of the pool; it reports whether it was in.
	UnverifyAssessment(ctx context.Context, id int64) (bool, error)
	// RejectAssessment takes a waiting test off the list of what waits for approval.
	RejectAssessment(ctx context.Context, id int64) error
	// WorkspaceSummaries lists every workspace with its usage.
	WorkspaceSummaries(ctx context.Context) ([]assessment.WorkspaceSummary, error)
	// WorkspaceMembers lists a workspace's members for an operator.
	WorkspaceMembers(ctx context.Context, wsID int64) ([]assessment.MemberSummary, error)
	// EnsureWorkspace returns the workspace named name, creating it if there is none.
	EnsureWorkspace(ctx context.Context, name string) (*assessment.Workspace, error)
	// SetWorkspaceSuspended suspends a workspace (ending its members' sessions) or resumes it.
	SetWorkspaceSuspended(ctx context.Context, wsID int64, suspended bool) (*assessment.Workspace, error)
	// OutboxState counts the outbox's messages by assessment.OutboxStates and lists up to
	// limit failed or retrying ones without their addresses or bodies.
	OutboxState(ctx context.Context, limit int) (map[string]int, []assessment.OutboxMessage, error)
	// PoolHealth previews the next release of the pool of version: every group's companies,
	// what the latest release shows and what the next would do, and why.
	PoolHealth(ctx context.Context, version string) (*assessment.PoolHealth, error)
	// PoolVersions counts the live pool's companies per questionnaire version.
	PoolVersions(ctx context.Context) (map[string]int, error)
	// OperatorAuditEvents pages the operator audit log, newest first.
	OperatorAuditEvents(ctx context.Context, before int64, limit int) ([]assessment.AuditEvent, error)
}

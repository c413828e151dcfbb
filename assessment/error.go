// Package assessment is the pure domain of the LOYALTY maturity assessment: the questionnaire
// model, answers and their validation, scoring, gaps, priorities and maturity stages.
//
// It imports only the standard library and a YAML decoder, so every rule here can be tested
// without a database, a web server or a browser.
package assessment

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Error codes. They are stable strings so that adapters (HTTP, CLI) can map them to a status
// without parsing messages.
const (
	EINVALID      = "invalid"            // the input breaks a rule; Fields say which
	EBADREQUEST   = "bad_request"        // the request cannot be read at all (malformed JSON, bad encoding)
	EMETHOD       = "method_not_allowed" // the address exists but does not take this method
	ENOTFOUND     = "not_found"          // the thing does not exist or is not the caller's
	ECONFLICT     = "conflict"           // the thing exists in a state that forbids the action
	ESTALE        = "stale"              // the thing changed since the caller read it (a failed If-Match)
	EGONE         = "gone"               // the thing was here and was moved or ended on purpose
	ETOOLARGE     = "too_large"          // the input is larger than allowed
	EUNAUTHORIZED = "unauthorized"       // the caller is not signed in
	EFORBIDDEN    = "forbidden"          // the caller may not do this
	ETOOMANY      = "too_many"           // the caller is rate limited
	EUNAVAILABLE  = "unavailable"        // the database does not answer: try again later
	EINTERNAL     = "internal"           // anything else; never shown to users in detail
)

// Args are the named facts of a message: Args{"Max": 200} fills the message's {{.Max}}.
type Args = map[string]any

// Error is the one error type of the application. It says what went wrong as a code and a
// message key with arguments, never as an English sentence: the adapters translate Key into
// the reader's language (views/locales), the API into English. Anything internal is wrapped
// in other errors and logged, never put here.
type Error struct {
	// Code is one of the E* constants.
	Code string
	// Key names the message in the translation catalogue ("error.round.closed").
	Key string
	// Args fill the message's placeholders.
	Args Args
	// Fields lists the individual problems of an EINVALID error, one per answer field or
	// form field, so a form can show each message beside its item.
	Fields []FieldError
}

// FieldError is one problem with one field of the input. For answers, Competency is the
// competency number and Field is "as_is", "to_be" or "competency"; for other fields
// Competency is 0 and Field names the field (for example "company.name").
type FieldError struct {
	Competency int
	Field      string
	// Rule is the machine-readable reason (one of the Rule* constants); with Field it picks
	// the message.
	Rule string
	// Args are the facts the message needs: "Max" and "Length" for too_long, "Value" and
	// "Allowed" for choice, "Char" for control, and so on.
	Args Args
}

// Error implements error with a developer's summary for logs, not a user's sentence.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	b.WriteString(e.Key)
	writeArgs(&b, e.Args)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	if len(e.Fields) > 0 {
		b.WriteString(")")
	}
	return b.String()
}

// String describes the problem for logs and test failures: "competency 7 to_be: range {Value: 6}".
func (f FieldError) String() string {
	var b strings.Builder
	if f.Competency != 0 {
		fmt.Fprintf(&b, "competency %d ", f.Competency)
	}
	b.WriteString(f.Field)
	b.WriteString(": ")
	b.WriteString(f.Rule)
	writeArgs(&b, f.Args)
	return b.String()
}

func writeArgs(b *strings.Builder, args Args) {
	if len(args) == 0 {
		return
	}
	b.WriteString(" {")
	for i, k := range slices.Sorted(maps.Keys(args)) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "%s: %v", k, args[k])
	}
	b.WriteString("}")
}

// NewError returns an *Error with the given code, message key and arguments.
func NewError(code, key string, args Args) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid returns the EINVALID error of a list of field problems.
func Invalid(problems []FieldError) *Error {
	return &Error{Code: EINVALID, Key: MsgInvalid, Args: Args{"Count": len(problems)}, Fields: problems}
}

// AsError returns err as an *Error if it is (or wraps) one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, EINTERNAL otherwise, and ""
// for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := AsError(err); ok {
		return e.Code
	}
	return EINTERNAL
}

// FieldErrors returns the field problems of err if it is (or wraps) an *Error.
func FieldErrors(err error) []FieldError {
	if e, ok := AsError(err); ok {
		return e.Fields
	}
	return nil
}

// Message keys of the errors the domain and its stores return. The catalogue in
// views/locales has every one of them in every language (a test checks MessageKeys).
const (
	MsgInternal             = "error.internal"
	MsgUnavailable          = "error.unavailable"
	MsgStale                = "error.stale"
	MsgInvalid              = "error.invalid"
	MsgNotFound             = "error.not_found"
	MsgAssessmentNotFound   = "error.assessment.not_found"
	MsgRoundNotFound        = "error.round.not_found"
	MsgParticipantNotFound  = "error.participant.not_found"
	MsgClientNotFound       = "error.client.not_found"
	MsgMemberNotFound       = "error.member.not_found"
	MsgBattleNotFound       = "error.battle.not_found"
	MsgPoolGroupNotFound    = "error.pool_group.not_found"
	MsgRoundClosed          = "error.round.closed"
	MsgRoundAlreadyClosed   = "error.round.already_closed"
	MsgRoundNotClosed       = "error.round.not_closed"
	MsgNotJoined            = "error.participant.not_joined"
	MsgBattlesMax           = "error.battles.max"
	MsgMemberExists         = "error.member.exists"
	MsgMemberSelf           = "error.member.self"
	MsgMemberLastAdmin      = "error.member.last_admin"
	MsgAdminOnly            = "error.admin_only"
	MsgSignIn               = "error.signin"
	MsgTokenMissing         = "error.token.missing"
	MsgTokenInvalid         = "error.token.invalid"
	MsgTokenExpired         = "error.token.expired"
	MsgTokenNotFound        = "error.token.not_found"
	MsgFormExpired          = "error.form.expired"
	MsgCrossOrigin          = "error.cross_origin"
	MsgTooLarge             = "error.too_large"
	MsgTooMany              = "error.too_many"
	MsgJoinTooMany          = "error.join.too_many"
	MsgOnceKey              = "error.once.key"
	MsgOnceMismatch         = "error.once.mismatch"
	MsgGroupUnknown         = "error.group.unknown"
	MsgGroupUnset           = "error.group.unset"
	MsgCompareEmpty         = "error.compare.empty"
	MsgMethod               = "error.method"
	MsgBadRequest           = "error.bad_request"
	MsgWorkspaceName        = "error.workspace.name"
	MsgJSONMalformed        = "error.json.malformed"
	MsgJSONSyntax           = "error.json.syntax"
	MsgJSONEOF              = "error.json.eof"
	MsgJSONEmpty            = "error.json.empty"
	MsgJSONNotObject        = "error.json.not_object"
	MsgJSONType             = "error.json.type"
	MsgJSONUnknownField     = "error.json.unknown_field"
	MsgJSONTrailing         = "error.json.trailing"
	MsgJSONUTF8             = "error.json.utf8"
	MsgJSONDuplicate        = "error.json.duplicate"
	MsgJSONKeyCase          = "error.json.key_case"
	MsgPeriod               = "error.period"
	MsgPeriodMonths         = "error.period.months"
	MsgTeamNotFound         = "error.team.not_found"
	MsgTeamMoved            = "error.team.moved"
	MsgExportDetail         = "error.export.detail"
	MsgRevealTooFew         = "error.reveal.too_few"
	MsgRemoveClosed         = "error.participant.remove_closed"
	MsgResultTooFew         = "error.result.too_few"
	MsgTeamByInvitation     = "error.team.by_invitation"
	MsgTeamFull             = "error.team.full"
	MsgInvitationNotFound   = "error.invitation.not_found"
	MsgInvitationUsed       = "error.invitation.used"
	MsgInvitationFinished   = "error.invitation.finished"
	MsgInviteNotFound       = "error.invite.not_found"
	MsgInviteUsed           = "error.invite.used"
	MsgInviteRevoked        = "error.invite.revoked"
	MsgInviteExpired        = "error.invite.expired"
	MsgResetInvalid         = "error.reset.invalid"
	MsgTOTPEnabled          = "error.totp.enabled"
	MsgSecondFactorNeeded   = "error.second_factor.required"
	MsgPasskeyNotFound      = "error.passkey.not_found"
	MsgPasskeyChallenge     = "error.passkey.challenge"
	MsgPasskeyRejected      = "error.passkey.rejected"
	MsgPasskeyExists        = "error.passkey.exists"
	MsgPasskeysFull         = "error.passkey.full"
	MsgPasskeyPassword      = "error.passkey.password"
	MsgPasskeyUnavailable   = "error.passkey.unavailable"
	MsgVerificationUsed     = "error.verification.used"
	MsgVerificationExpired  = "error.verification.expired"
	MsgVerificationNotFound = "error.verification.not_found"
	MsgAlreadyVerified      = "error.verification.already"
	MsgVerifyNoConsent      = "error.verification.no_consent"
	MsgWorkspaceSuspended   = "error.workspace.suspended"
	MsgWorkspaceNotFound    = "error.workspace.not_found"
	MsgOperatorNotFound     = "error.operator.not_found"
	MsgOperatorExists       = "error.operator.exists"
	MsgTestNotPending       = "error.pool.not_pending"
	MsgOperatorFactor       = "error.second_factor.operator"
	MsgTestNotVerified      = "error.pool.not_verified"
)

// MessageKeys lists every Msg* key, for the test that proves the catalogue has them all.
var MessageKeys = []string{
	MsgInternal, MsgUnavailable, MsgStale, MsgInvalid, MsgNotFound, MsgAssessmentNotFound, MsgRoundNotFound, MsgParticipantNotFound,
	MsgClientNotFound, MsgMemberNotFound, MsgBattleNotFound, MsgPoolGroupNotFound, MsgRoundClosed,
	MsgRoundAlreadyClosed, MsgRoundNotClosed, MsgNotJoined, MsgBattlesMax, MsgMemberExists, MsgMemberSelf, MsgMemberLastAdmin, MsgAdminOnly,
	MsgSignIn, MsgTokenMissing, MsgTokenInvalid, MsgFormExpired, MsgCrossOrigin, MsgTooLarge, MsgTooMany,
	MsgJoinTooMany, MsgGroupUnknown, MsgGroupUnset, MsgCompareEmpty, MsgMethod, MsgBadRequest, MsgWorkspaceName,
	MsgJSONMalformed, MsgJSONSyntax, MsgJSONEOF, MsgJSONEmpty, MsgJSONNotObject, MsgJSONType,
	MsgJSONUnknownField, MsgJSONTrailing, MsgJSONUTF8, MsgJSONDuplicate, MsgJSONKeyCase,
	MsgPeriod, MsgPeriodMonths, MsgTokenExpired, MsgTokenNotFound, MsgTeamNotFound, MsgTeamMoved, MsgExportDetail,
	MsgRevealTooFew, MsgRemoveClosed, MsgResultTooFew,
	MsgTeamByInvitation, MsgTeamFull, MsgInvitationNotFound, MsgInvitationUsed, MsgInvitationFinished,
	MsgInviteNotFound, MsgInviteUsed, MsgInviteRevoked, MsgInviteExpired, MsgResetInvalid,
	MsgTOTPEnabled, MsgSecondFactorNeeded,
	MsgPasskeyNotFound, MsgPasskeyChallenge, MsgPasskeyRejected, MsgPasskeyExists, MsgPasskeysFull, MsgPasskeyPassword,
	MsgPasskeyUnavailable,
	MsgVerificationUsed, MsgVerificationExpired, MsgVerificationNotFound, MsgAlreadyVerified, MsgVerifyNoConsent,
}

// Package assessment is the pure domain of the LOYALTY maturity assessment: the questionnaire
// model, answers and their validation, scoring, gaps, priorities and maturity stages.
//
// It imports only the standard library and a YAML decoder, so every rule here can be tested
// without a database, a web server or a browser.
package assessment

import (
	"errors"
	"fmt"
)

// Error codes. They are stable strings so that adapters (HTTP, CLI) can map them to a status
// without parsing messages.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Message says which
	ENOTFOUND     = "not_found"    // the thing does not exist or is not the caller's
	ECONFLICT     = "conflict"     // the thing exists in a state that forbids the action
	ETOOLARGE     = "too_large"    // the input is larger than allowed
	EUNAUTHORIZED = "unauthorized" // the caller is not signed in
	EFORBIDDEN    = "forbidden"    // the caller may not do this
	ETOOMANY      = "too_many"     // the caller is rate limited
	EINTERNAL     = "internal"     // anything else; never shown to users in detail
)

// Error is the one error type of the application. Message is always safe to show to a user;
// anything internal is wrapped in other errors and logged, never put in Message.
type Error struct {
	// Code is one of the E* constants.
	Code string
	// Message is a user-facing sentence in English. Adapters may translate by Code and Fields.
	Message string
	// Fields lists the individual problems of an EINVALID error, one per answer field or
	// form field, so a form can show each message beside its item.
	Fields []FieldError
}

// FieldError is one problem with one field of the input. For answers, Competency is the
// competency number and Field is "as_is" or "to_be"; for other fields Competency is 0 and
// Field names the field (for example "company.name").
type FieldError struct {
	Competency int    `json:"competency,omitempty"`
	Field      string `json:"field"`
	// Rule is a short machine-readable reason ("required", "range", "duplicate", "unknown",
	// "integer", "too_long", "control", "encoding", "choice") that views translate.
	Rule    string `json:"-"`
	Message string `json:"message"`
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s (%d problems, first: %s)", e.Code, e.Message, len(e.Fields), e.Fields[0].Message)
}

// Errorf returns an *Error with the given code and a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, EINTERNAL otherwise, and ""
// for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err if it is (or wraps) an *Error, and a
// generic sentence otherwise, so that internal details never reach a user.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

// FieldErrors returns the field problems of err if it is (or wraps) an *Error.
func FieldErrors(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

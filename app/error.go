package app

import (
	"errors"
	"fmt"
)

// Error codes name the kind of failure so that every caller (the window, the CLI,
// tests) can decide what to do without parsing text. They are translated for the
// outside world in one place each: ui for the window, cli for the terminal.
const (
	ECONFLICT     = "conflict"     // the action conflicts with data already there (a duplicate email)
	EINVALID      = "invalid"      // the input is wrong; Message says how to fix it
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	EDAMAGED      = "damaged"      // a file is not what it should be (corrupt, foreign)
	ETOONEW       = "too_new"      // a workspace written by a newer Roundtable
	EUNAVAILABLE  = "unavailable"  // a server or service cannot be reached right now
	EUNAUTHORIZED = "unauthorized" // a server refused the credentials
	ECANCELED     = "canceled"     // the coach stopped the job
	ELOCKED       = "locked"       // another Roundtable process is writing the workspace
	EINTERNAL     = "internal"     // a bug or an unexpected failure
)

// Error is the application's error: a code for programs, the input field it is
// about (when validation knows it) and a sentence for the coach. Err keeps the
// technical cause for the log. Field lets the window put the sentence under the
// right form field without reading the sentence.
type Error struct {
	Code    string
	Field   string // the input it concerns, in the json name of the input type ("email", "capacity"); "" for the whole form
	Message string
	Err     error
}

// Error returns the coach's sentence, followed by the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

// Unwrap gives errors.Is and errors.As the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted sentence.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf is Errorf for a sentence about one input field, named as the json
// name of the input type's field ("email", "startDate").
func FieldErrorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with the given code and sentence that keeps err as its cause.
func Wrap(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
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

// ErrorMessage returns the sentence to show the coach: the Message of the first
// *Error in err's chain, or a generic sentence for errors that are not ours, whose
// text means nothing to a coach.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong inside Roundtable. The details are in the log."
}

// ErrorField returns the Field of the first *Error in err's chain, "" when the
// error is about no field in particular.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

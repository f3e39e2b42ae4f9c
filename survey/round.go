package survey

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Berlin is the time zone in which dates and deadlines are meant. It is
// loaded once: pages format thousands of times per view.
var Berlin = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		// The binary embeds time/tzdata, so this only happens in a broken build.
		panic(fmt.Sprintf("time zone Europe/Berlin: %v", err))
	}
	return loc
})

// RoundStatus says whether a round takes answers.
type RoundStatus string

// Round statuses.
const (
	RoundPlanned RoundStatus = "planned"
	RoundOpen    RoundStatus = "open"
	RoundClosed  RoundStatus = "closed"
)

// Label returns the German name of the status.
func (s RoundStatus) Label() string {
	switch s {
	case RoundPlanned:
		return "geplant"
	case RoundOpen:
		return "offen"
	case RoundClosed:
		return "geschlossen"
	}
	return string(s)
}

// Text returns the status as a keyed message, for inserting into other
// messages (its German text is Label's).
func (s RoundStatus) Text() *Message { return NewMessage("msg.word." + string(s)) }

// Round is one survey round (Erhebungsrunde).
type Round struct {
	ID              int64
	QuestionnaireID int64
	Title           string
	OpensOn         time.Time // a date, midnight UTC
	Deadline        time.Time // a date, midnight UTC; the day counts until its end in Berlin
	Status          RoundStatus
	CreatedAt       time.Time
}

// DeadlineEnd returns the moment the deadline day ends in Berlin.
func (r Round) DeadlineEnd() time.Time {
	y, m, d := r.Deadline.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, Berlin())
}

// AcceptsAnswers reports whether Kommunen may change answers at now.
func (r Round) AcceptsAnswers(now time.Time) bool {
	return r.Status == RoundOpen && now.Before(r.DeadlineEnd())
}

// DaysLeft returns the whole days from now until the end of the deadline day
// (0 on the deadline day itself, negative after it).
func (r Round) DaysLeft(now time.Time) int {
	y, m, d := now.In(Berlin()).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return int(r.Deadline.Sub(today).Hours() / 24)
}

// ResponseStatus is where a Kommune's response stands.
type ResponseStatus string

// Response statuses, in the order of the workflow.
const (
	StatusNew       ResponseStatus = "new"
	StatusDraft     ResponseStatus = "draft"
	StatusSubmitted ResponseStatus = "submitted"
	StatusReturned  ResponseStatus = "returned"
)

// Label returns the German name of the status as Kommunen and staff see it.
func (s ResponseStatus) Label() string {
	switch s {
	case StatusNew:
		return "nicht begonnen"
	case StatusDraft:
		return "in Bearbeitung"
	case StatusSubmitted:
		return "eingereicht"
	case StatusReturned:
		return "zurückgegeben"
	}
	return string(s)
}

// Editable reports whether the Kommune may still change its answers.
func (s ResponseStatus) Editable() bool { return s != StatusSubmitted }

// Response is a Kommune's answer to a round, without its answers.
type Response struct {
	ID            int64
	RoundID       int64
	Kommune       Kommune
	Status        ResponseStatus
	Revision      int
	UpdatedAt     time.Time // zero when never saved
	UpdatedBy     string
	SubmittedAt   time.Time
	ReturnMessage string
}

// Actor is who does something, for the audit log.
type Actor struct {
	Kind  string // "staff", "kommune", "system"
	ID    int64  // user id for staff
	Label string // a person's name or e-mail, or "Kommune <name>"
}

// Error codes of domain errors; the HTTP layer maps them to statuses.
const (
	ENotFound  = "not_found"
	EInvalid   = "invalid"
	EConflict  = "conflict"
	EForbidden = "forbidden"
	EClosed    = "closed"
)

// Error is a domain error with a code and a message safe to show people.
// Text is the message as a key and its arguments (see Message), which the
// pages write in their locale; Message is its German text, for the command
// line, the workbook and the logs. Errors made by Errorf carry a German
// sentence only (Text is nil), which the pages still translate back by
// pattern until every family is keyed. Internal details belong in wrapped
// errors and the log.
type Error struct {
	Code    string
	Message string
	Text    *Message
	// Field names the form field the error concerns ("email"), when it
	// concerns one: the page shows the message there. Empty: the form.
	Field string
}

func (e *Error) Error() string { return e.Message }

// NewError returns an *Error with the code and the keyed message key with
// its arguments (see Message).
func NewError(code, key string, args ...any) *Error {
	m := NewMessage(key, args...)
	return &Error{Code: code, Message: m.String(), Text: m}
}

// Errorf returns an *Error with the code and a formatted German message
// without a key; new errors use NewError.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// At sets the form field the error concerns and returns the error.
func (e *Error) At(field string) *Error {
	e.Field = field
	return e
}

// ErrorCode returns the code of err if it wraps an *Error, else "".
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

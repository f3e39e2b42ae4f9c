// Package ical writes the iCalendar (RFC 5545) invitations, updates and
// cancellations that go with the mails about offer dates: one VEVENT per
// participant and date, in a VCALENDAR with METHOD:REQUEST or
// METHOD:CANCEL (iTIP, RFC 5546) and a VTIMEZONE for Europe/Berlin.
//
// The calendar objects are built and encoded with
// github.com/emersion/go-ical: it escapes TEXT values (backslash, comma,
// semicolon, line breaks), quotes parameter values that need it (a CN such
// as "Müller, Hans"), writes CRLF line ends and refuses a raw CR or LF in a
// value. It does not fold long lines, which RFC 5545 (section 3.1) asks
// for at 75 octets; folder does that on the encoded stream, on UTF-8
// character boundaries, so an umlaut or an emoji is never split.
//
// The rules of identity a calendar program relies on:
//
//   - UID names one participant's place on one offer date and never
//     changes (see UID): a program matches updates and cancellations to
//     the entry it has by it.
//   - SEQUENCE starts at 0 and grows with every change a participant is
//     told about (new time or place, move-up, cancellation); a program
//     ignores a message whose SEQUENCE is lower than the one it has.
//   - DTSTAMP is when the message was made, in UTC.
//
// The package is pure: no HTTP, no mail, no storage.
package ical

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
)

// Method is the iTIP method of a calendar object (RFC 5546).
type Method string

// The methods the offer mails use.
const (
	// MethodRequest is an invitation or an update of it (same UID, higher
	// SEQUENCE).
	MethodRequest Method = "REQUEST"
	// MethodCancel withdraws an invitation: same UID, higher SEQUENCE,
	// STATUS:CANCELLED.
	MethodCancel Method = "CANCEL"
)

// Status is the status of an event (RFC 5545, 3.8.1.11).
type Status string

// Statuses of an event.
const (
	StatusConfirmed Status = "CONFIRMED" // a booked place
	StatusTentative Status = "TENTATIVE" // a place on the waiting list
	StatusCancelled Status = "CANCELLED" // set by MethodCancel
)

// TZID is the time zone every date is written in.
const TZID = "Europe/Berlin"

// ProdID names the product that wrote the calendar object.
const ProdID = "-//bedarf//Angebote//DE"

// Person is an organizer or an attendee: a display name and a mail
// address.
type Person struct {
	Name  string
	Email string
}

// Event is one participant's place on one offer date.
type Event struct {
	// UID identifies the place; see UID.
	UID string
	// Sequence counts the changes the participant was told about: 0 for
	// the first invitation, one more for each update or cancellation.
	Sequence int
	// Stamp is when the message is made (written in UTC).
	Stamp time.Time
	// Start and End of the date; written in Europe/Berlin with TZID.
	Start, End time.Time
	// Summary is the title (one line; line breaks become spaces).
	Summary string
	// Location is the place or "online" (one line).
	Location string
	// Description is the longer text; line breaks are kept.
	Description string
	// URL is an optional link to the offer's page for the participant.
	URL string
	// Organizer is the office that runs the offer.
	Organizer Person
	// Attendee is the participant.
	Attendee Person
	// Status of the place: confirmed or tentative (waiting list).
	// MethodCancel writes CANCELLED whatever it says.
	Status Status
}

// UID returns the UID of a participant's place on an offer date, from the
// date's own UID (fixed for the date's life, see survey.OfferDate.UID)
// and the participant's id: stable for the pair, the same for the
// invitation, every update and the cancellation, and different for each
// participant of the date (each has an entry of their own).
func UID(dateUID string, participantID int64) string {
	return fmt.Sprintf("p%d-%s", participantID, dateUID)
}

// Errors of Encode.
var (
	ErrNoUID       = errors.New("ical: the event has no UID")
	ErrBadUID      = errors.New("ical: the UID may hold only letters, digits and - . _ @")
	ErrTimes       = errors.New("ical: the event must end after it starts")
	ErrNoStamp     = errors.New("ical: the event has no DTSTAMP")
	ErrSequence    = errors.New("ical: SEQUENCE must not be negative")
	ErrMethod      = errors.New("ical: unknown method")
	ErrStatus      = errors.New("ical: unknown status")
	ErrAddress     = errors.New("ical: not a plain mail address")
	ErrURL         = errors.New("ical: the URL must be an http or https address without spaces")
	errNoLocation  = errors.New("ical: time zone Europe/Berlin not available")
	errFoldedWrite = errors.New("ical: short write")
)

// berlin is the zone of every date, loaded once (the binary embeds
// time/tzdata).
var berlin = sync.OnceValues(func() (*time.Location, error) {
	loc, err := time.LoadLocation(TZID)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoLocation, err)
	}
	return loc, nil
})

// Encode writes the event as a calendar object with the method: CRLF line
// ends, lines folded at 75 octets, text escaped. Every text is cleaned
// first (see cleanText), so no input can break the object's structure;
// what cannot be written (no UID, end before start, a malformed address)
// is an error and nothing is written.
func (e Event) Encode(m Method) ([]byte, error) {
	cal, err := e.calendar(m)
	if err != nil {
		return nil, err
	}
	var raw bytes.Buffer
	if err := goical.NewEncoder(&raw).Encode(cal); err != nil {
		return nil, fmt.Errorf("ical: encode: %w", err)
	}
	var out bytes.Buffer
	if err := fold(&out, raw.Bytes()); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// calendar builds the VCALENDAR with its VTIMEZONE and VEVENT.
func (e Event) calendar(m Method) (*goical.Calendar, error) {
	loc, err := berlin()
	if err != nil {
		return nil, err
	}
	status := e.Status
	switch m {
	case MethodRequest:
		if status == "" {
			status = StatusConfirmed
		}
		if status != StatusConfirmed && status != StatusTentative {
			return nil, fmt.Errorf("%w %q for %s", ErrStatus, status, m)
		}
	case MethodCancel:
		status = StatusCancelled
	default:
		return nil, fmt.Errorf("%w %q", ErrMethod, m)
	}
	if err := e.check(); err != nil {
		return nil, err
	}

	cal := goical.NewCalendar()
	cal.Props.SetText(goical.PropProductID, ProdID)
	cal.Props.SetText(goical.PropVersion, "2.0")
	cal.Props.SetText(goical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(goical.PropMethod, string(m))
	cal.Children = append(cal.Children, berlinTimezone())

	ev := goical.NewEvent()
	ev.Props.SetText(goical.PropUID, e.UID)
	ev.Props.SetDateTime(goical.PropDateTimeStamp, e.Stamp.UTC().Truncate(time.Second))
	ev.Props.SetDateTime(goical.PropDateTimeStart, e.Start.In(loc).Truncate(time.Second))
	ev.Props.SetDateTime(goical.PropDateTimeEnd, e.End.In(loc).Truncate(time.Second))
	seq := goical.NewProp(goical.PropSequence)
	seq.Value = fmt.Sprint(e.Sequence)
	ev.Props.Set(seq)
	ev.Props.SetText(goical.PropSummary, oneLine(e.Summary))
	if l := oneLine(e.Location); l != "" {
		ev.Props.SetText(goical.PropLocation, l)
	}
	if d := cleanText(e.Description); strings.TrimSpace(d) != "" {
		ev.Props.SetText(goical.PropDescription, d)
	}
	if e.URL != "" {
		u := goical.NewProp(goical.PropURL)
		u.Value = e.URL
		ev.Props.Set(u)
	}
	ev.Props.SetText(goical.PropStatus, string(status))
	ev.Props.SetText(goical.PropTransparency, "OPAQUE")
	ev.Props.Set(person(goical.PropOrganizer, e.Organizer, nil))
	att := person(goical.PropAttendee, e.Attendee, map[string]string{
		goical.ParamRole:                "REQ-PARTICIPANT",
		goical.ParamParticipationStatus: partStat(m, status),
		goical.ParamCalendarUserType:    "INDIVIDUAL",
	})
	ev.Props.Add(att)
	cal.Children = append(cal.Children, ev.Component)
	return cal, nil
}

// partStat is the attendee's participation status: the office books the
// place, so a confirmed place is ACCEPTED, a waiting-list place TENTATIVE,
// a cancelled one DECLINED.
func partStat(m Method, s Status) string {
	switch {
	case m == MethodCancel:
		return "DECLINED"
	case s == StatusTentative:
		return "TENTATIVE"
	}
	return "ACCEPTED"
}

// check refuses what cannot be written.
func (e Event) check() error {
	switch {
	case e.UID == "":
		return ErrNoUID
	case strings.IndexFunc(e.UID, func(r rune) bool {
		return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-._@", r)))
	}) >= 0:
		return fmt.Errorf("%w: %q", ErrBadUID, e.UID)
	case e.Stamp.IsZero():
		return ErrNoStamp
	case e.Sequence < 0:
		return ErrSequence
	case e.Start.IsZero() || !e.End.After(e.Start):
		return fmt.Errorf("%w (%s – %s)", ErrTimes, e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339))
	}
	for _, p := range []Person{e.Organizer, e.Attendee} {
		if err := checkAddress(p.Email); err != nil {
			return err
		}
	}
	if e.URL != "" && (!(strings.HasPrefix(e.URL, "https://") || strings.HasPrefix(e.URL, "http://")) ||
		strings.IndexFunc(e.URL, func(r rune) bool { return r <= ' ' || r == '"' || r >= 0x7f }) >= 0) {
		return fmt.Errorf("%w: %q", ErrURL, e.URL)
	}
	return nil
}

// checkAddress accepts a plain address that a mailto: URI can carry as it
// is.
func checkAddress(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || strings.ContainsAny(s, " \t\r\n\",;:<>()[]\\") {
		return fmt.Errorf("%w: %q", ErrAddress, s)
	}
	return nil
}

// person is an ORGANIZER or ATTENDEE property: mailto: address and the
// name as CN.
func person(name string, p Person, params map[string]string) *goical.Prop {
	prop := goical.NewProp(name)
	prop.Value = "mailto:" + p.Email
	if cn := paramText(p.Name); cn != "" {
		prop.Params.Set(goical.ParamCommonName, cn)
	}
	for k, v := range params {
		prop.Params.Set(k, v)
	}
	return prop
}

// cleanText makes any string a valid TEXT value: invalid UTF-8 becomes
// U+FFFD, CRLF and CR become LF (the encoder writes LF as \n), other
// control characters (C0 but TAB and LF, DEL, C1) are dropped, TAB becomes
// a space. Direction controls are not control characters and stay: the
// mail builder neutralises them (survey.SafeText) where people read the
// text.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// oneLine is cleanText on one line: every run of white space (line breaks
// too) becomes one space.
func oneLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

// paramText makes a string a parameter value: one line, no double quote
// (a quoted parameter value cannot hold one; it becomes an apostrophe)
// and no backslash (RFC 5545 gives it no meaning there, but parsers such
// as golang-ical read it as an escape; it becomes a slash).
func paramText(s string) string {
	return strings.NewReplacer(`"`, "'", `\`, "/").Replace(oneLine(s))
}

// berlinTimezone is the VTIMEZONE of Europe/Berlin with the EU rules in
// force since 1996: summer time (CEST, +02:00) from the last Sunday of
// March, 02:00 local time, to the last Sunday of October, 03:00 local time
// (both 01:00 UTC). A test checks it against the time zone database.
func berlinTimezone() *goical.Component {
	tz := goical.NewComponent(goical.CompTimezone)
	tz.Props.SetText(goical.PropTimezoneID, TZID)
	rule := func(comp, from, to, name, start, rrule string) *goical.Component {
		c := goical.NewComponent(comp)
		c.Props.SetText(goical.PropTimezoneName, name)
		for _, p := range []struct{ name, value string }{
			{goical.PropTimezoneOffsetFrom, from}, {goical.PropTimezoneOffsetTo, to},
			{goical.PropDateTimeStart, start}, {goical.PropRecurrenceRule, rrule},
		} {
			prop := goical.NewProp(p.name)
			prop.Value = p.value
			c.Props.Set(prop)
		}
		return c
	}
	tz.Children = append(tz.Children,
		rule(goical.CompTimezoneDaylight, "+0100", "+0200", "CEST", "19810329T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
		rule(goical.CompTimezoneStandard, "+0200", "+0100", "CET", "19961027T030000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
	)
	return tz
}

// MaxLine is the longest a content line may be, in octets without its
// CRLF (RFC 5545, 3.1).
const MaxLine = 75

// fold copies the encoded calendar object to w with every content line
// longer than MaxLine octets folded: CRLF and a space before the octet that
// would pass the limit, moved back to the start of a UTF-8 character, so a
// continuation line holds at most MaxLine octets with its leading space.
func fold(w io.Writer, b []byte) error {
	for len(b) > 0 {
		line, rest, found := bytes.Cut(b, []byte("\r\n"))
		if !found {
			return fmt.Errorf("ical: encoder wrote a line without CRLF: %q", line)
		}
		b = rest
		limit := MaxLine
		for len(line) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			if err := write(w, line[:cut], []byte("\r\n ")); err != nil {
				return err
			}
			line = line[cut:]
			limit = MaxLine - 1 // the leading space counts
		}
		if err := write(w, line, []byte("\r\n")); err != nil {
			return err
		}
	}
	return nil
}

func write(w io.Writer, parts ...[]byte) error {
	for _, p := range parts {
		n, err := w.Write(p)
		if err != nil {
			return fmt.Errorf("ical: write: %w", err)
		}
		if n != len(p) {
			return errFoldedWrite
		}
	}
	return nil
}

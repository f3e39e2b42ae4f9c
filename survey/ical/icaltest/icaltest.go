// Package icaltest checks the calendar objects that package ical writes,
// for tests (of ical, of the mails that carry them and of their way
// through the mail server): Check looks at the octets (CRLF line ends,
// folding at 75 octets without splitting a UTF-8 character, the
// components and properties an iTIP message needs), and Parse reads the
// object with a parser other than the one that wrote it
// (github.com/arran4/golang-ical; ical writes with emersion/go-ical).
// Import it from tests only.
package icaltest

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// Rule is one STANDARD or DAYLIGHT part of the VTIMEZONE.
type Rule struct {
	From, To string // TZOFFSETFROM, TZOFFSETTO ("+0100")
	Start    string // DTSTART (local, "19961027T030000")
	RRule    string
	Name     string // TZNAME
}

// Person is an ORGANIZER or ATTENDEE: CN and the address of its mailto:.
type Person struct{ Name, Email string }

// Parsed is a calendar object as the second parser reads it.
type Parsed struct {
	Method, ProdID, Version                  string
	UID, Summary, Location, Description, URL string
	Status, Transp                           string
	Sequence                                 int
	Stamp, Start, End                        time.Time
	StartTZID, EndTZID                       string
	Organizer, Attendee                      Person
	PartStat, Role                           string
	TZID                                     string
	Standard, Daylight                       []Rule
	Lines                                    []string // the logical (unfolded) lines
	Events                                   int
}

var (
	utcStamp  = regexp.MustCompile(`^\d{8}T\d{6}Z$`)
	localTime = regexp.MustCompile(`^\d{8}T\d{6}$`)
	propName  = regexp.MustCompile(`^[A-Za-z0-9-]+[;:]`)
)

// Lines returns the logical lines of an encoded object (folding undone)
// and every problem of its octets: a line end that is not CRLF, a line
// longer than 75 octets, a line that is not valid UTF-8 (a character split
// by the folding), a continuation without its leading space, a control
// character.
func Lines(b []byte) (lines []string, problems []string) {
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		problems = append(problems, "does not end with CRLF")
	}
	for i := range b {
		switch {
		case b[i] == '\n' && (i == 0 || b[i-1] != '\r'):
			problems = append(problems, fmt.Sprintf("bare LF at octet %d", i))
		case b[i] == '\r' && (i+1 == len(b) || b[i+1] != '\n'):
			problems = append(problems, fmt.Sprintf("bare CR at octet %d", i))
		}
	}
	phys := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	for n, l := range phys {
		if len(l) > 75 {
			problems = append(problems, fmt.Sprintf("line %d has %d octets: %q", n+1, len(l), l))
		}
		if !utf8.ValidString(l) {
			problems = append(problems, fmt.Sprintf("line %d is not valid UTF-8 (a character split by folding?): %q", n+1, l))
		}
		if l == "" {
			problems = append(problems, fmt.Sprintf("line %d is empty", n+1))
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			if len(lines) == 0 {
				problems = append(problems, "the first line is a continuation")
				continue
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	for _, l := range lines {
		for _, r := range l {
			if r < 0x20 && r != '\t' || r == 0x7f {
				problems = append(problems, fmt.Sprintf("control character %U in %q", r, l))
			}
		}
		if !propName.MatchString(l) {
			problems = append(problems, fmt.Sprintf("not a content line: %q", l))
		}
	}
	return lines, problems
}

// Check returns every structural problem of an encoded calendar object
// (see Lines), and of its shape: one VCALENDAR with METHOD, one VTIMEZONE
// for Europe/Berlin with STANDARD and DAYLIGHT, one VEVENT with one UID,
// a DTSTAMP in UTC, DTSTART and DTEND in Europe/Berlin, a SEQUENCE.
func Check(b []byte) []string {
	lines, problems := Lines(b)
	var stack []string
	count := map[string]int{}
	props := map[string]map[string]int{} // component → property → count
	for _, l := range lines {
		name, value, _ := strings.Cut(l, ":")
		switch {
		case name == "BEGIN":
			stack = append(stack, value)
			count[value]++
			if props[value] == nil {
				props[value] = map[string]int{}
			}
			continue
		case name == "END":
			if len(stack) == 0 || stack[len(stack)-1] != value {
				problems = append(problems, fmt.Sprintf("END:%s does not close %v", value, stack))
				return problems
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) == 0 {
			problems = append(problems, fmt.Sprintf("property outside VCALENDAR: %q", l))
			continue
		}
		comp := stack[len(stack)-1]
		pname, params, _ := strings.Cut(name, ";")
		props[comp][pname]++
		switch {
		case comp == "VEVENT" && pname == "DTSTAMP" && !utcStamp.MatchString(value):
			problems = append(problems, fmt.Sprintf("DTSTAMP not in UTC: %q", l))
		case comp == "VEVENT" && (pname == "DTSTART" || pname == "DTEND") && (params != "TZID=Europe/Berlin" || !localTime.MatchString(value)):
			problems = append(problems, fmt.Sprintf("%s not a local time in Europe/Berlin: %q", pname, l))
		case comp == "VEVENT" && pname == "SEQUENCE":
			if n, err := strconv.Atoi(value); err != nil || n < 0 {
				problems = append(problems, fmt.Sprintf("SEQUENCE not a number: %q", l))
			}
		}
	}
	if len(stack) != 0 {
		problems = append(problems, fmt.Sprintf("components left open: %v", stack))
	}
	if len(lines) == 0 || lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		problems = append(problems, "not one VCALENDAR from the first line to the last")
	}
	for comp, want := range map[string]int{"VCALENDAR": 1, "VTIMEZONE": 1, "STANDARD": 1, "DAYLIGHT": 1, "VEVENT": 1} {
		if count[comp] != want {
			problems = append(problems, fmt.Sprintf("%d %s, want %d", count[comp], comp, want))
		}
	}
	exactlyOne := map[string][]string{
		"VCALENDAR": {"VERSION", "PRODID", "METHOD"},
		"VTIMEZONE": {"TZID"},
		"STANDARD":  {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"},
		"DAYLIGHT":  {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"},
		"VEVENT":    {"UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "ORGANIZER", "STATUS"},
	}
	for comp, names := range exactlyOne {
		for _, n := range names {
			if props[comp][n] != 1 {
				problems = append(problems, fmt.Sprintf("%s has %d %s, want 1", comp, props[comp][n], n))
			}
		}
	}
	if props["VEVENT"]["ATTENDEE"] < 1 {
		problems = append(problems, "VEVENT has no ATTENDEE")
	}
	return problems
}

// Parse checks b (Check) and reads it with the second parser; any
// problem fails tb.
func Parse(tb testing.TB, b []byte) Parsed {
	tb.Helper()
	for _, p := range Check(b) {
		tb.Errorf("calendar object: %s", p)
	}
	p, err := Read(b)
	if err != nil {
		tb.Fatalf("the second parser (golang-ical) cannot read the calendar object: %v\n%s", err, b)
	}
	return p
}

// Read reads an encoded calendar object with the second parser.
func Read(b []byte) (Parsed, error) {
	var p Parsed
	p.Lines, _ = Lines(b)
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		return p, err
	}
	for _, cp := range cal.CalendarProperties {
		switch cp.IANAToken {
		case "METHOD":
			p.Method = cp.Value
		case "PRODID":
			p.ProdID = cp.Value
		case "VERSION":
			p.Version = cp.Value
		}
	}
	for _, tz := range cal.Timezones() {
		if id := tz.GetProperty(ics.ComponentPropertyTzid); id != nil {
			p.TZID = id.Value
		}
		for _, c := range tz.Components {
			var base *ics.ComponentBase
			var into *[]Rule
			switch x := c.(type) {
			case *ics.Standard:
				base, into = &x.ComponentBase, &p.Standard
			case *ics.Daylight:
				base, into = &x.ComponentBase, &p.Daylight
			default:
				return p, fmt.Errorf("unexpected component %T in VTIMEZONE", c)
			}
			*into = append(*into, Rule{From: value(base, "TZOFFSETFROM"), To: value(base, "TZOFFSETTO"),
				Start: value(base, "DTSTART"), RRule: value(base, "RRULE"), Name: value(base, "TZNAME")})
		}
	}
	events := cal.Events()
	p.Events = len(events)
	if len(events) != 1 {
		return p, fmt.Errorf("%d events, want 1", len(events))
	}
	ev := &events[0].ComponentBase
	p.UID = value(ev, "UID")
	p.Summary = value(ev, "SUMMARY")
	p.Location = value(ev, "LOCATION")
	p.Description = value(ev, "DESCRIPTION")
	p.URL = value(ev, "URL")
	p.Status = value(ev, "STATUS")
	p.Transp = value(ev, "TRANSP")
	if p.Sequence, err = strconv.Atoi(value(ev, "SEQUENCE")); err != nil {
		return p, fmt.Errorf("SEQUENCE: %w", err)
	}
	if p.Stamp, err = ev.GetDtStampTime(); err != nil {
		return p, fmt.Errorf("DTSTAMP: %w", err)
	}
	if p.Start, err = ev.GetStartAt(); err != nil {
		return p, fmt.Errorf("DTSTART: %w", err)
	}
	if p.End, err = ev.GetEndAt(); err != nil {
		return p, fmt.Errorf("DTEND: %w", err)
	}
	p.StartTZID, p.EndTZID = param(ev, "DTSTART", "TZID"), param(ev, "DTEND", "TZID")
	p.Organizer = person(ev, "ORGANIZER")
	p.Attendee = person(ev, "ATTENDEE")
	p.PartStat, p.Role = param(ev, "ATTENDEE", "PARTSTAT"), param(ev, "ATTENDEE", "ROLE")
	return p, nil
}

func value(c *ics.ComponentBase, name string) string {
	if prop := c.GetProperty(ics.ComponentProperty(name)); prop != nil {
		return prop.Value
	}
	return ""
}

func param(c *ics.ComponentBase, name, par string) string {
	if prop := c.GetProperty(ics.ComponentProperty(name)); prop != nil {
		return strings.Join(prop.ICalParameters[par], ",")
	}
	return ""
}

func person(c *ics.ComponentBase, name string) Person {
	return Person{Name: param(c, name, "CN"), Email: strings.TrimPrefix(value(c, name), "mailto:")}
}

package ical_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin on any machine

	"bedarf/survey/ical"
	"bedarf/survey/ical/icaltest"
)

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// event is a training date in summer time.
func event(t testing.TB) ical.Event {
	loc := berlin(t)
	return ical.Event{
		UID:         ical.UID("0f3a9c@bedarf", 345),
		Stamp:       time.Date(2027, 2, 1, 8, 30, 15, 0, loc),
		Start:       time.Date(2027, 6, 10, 9, 0, 0, 0, loc),
		End:         time.Date(2027, 6, 10, 16, 30, 0, 0, loc),
		Summary:     "Fortbildung: Traumasensibler Umgang, Modul 2",
		Location:    "Haus der Region, Hildesheimer Str. 18, 30169 Hannover, Raum 112",
		Description: "Bitte bringen Sie Schreibzeug mit.\nFragen: ks@region-hannover.de",
		URL:         "https://bedarf.region-hannover.de/t/abc",
		Organizer:   ical.Person{Name: "Region Hannover, Koordinierungsstelle Integration", Email: "ks@region-hannover.de"},
		Attendee:    ical.Person{Name: "Jana Müller", Email: "j.mueller@garbsen.de"},
	}
}

// textCase is an event whose texts try to break the calendar object, and
// what a parser must read back.
type textCase struct {
	name              string
	edit              func(*ical.Event)
	summary, location string // what the parser must read back ("": the event's own)
	description       string
	attendeeName      string
	injectedLine      string // must not appear as a line of its own
}

// textCases are the hostile texts, and multi-byte characters at every
// position around the fold.
func textCases() []textCase {
	long := strings.Repeat("Sehr lange Beschreibung mit Umlauten äöüß und Emoji 🙂. ", 60)
	cases := []textCase{
		{name: "plain"},
		{name: "CRLF injection in the summary",
			edit:         func(e *ical.Event) { e.Summary = "Modul 1\r\nATTENDEE:mailto:evil@example.com\r\nX: y" },
			summary:      "Modul 1 ATTENDEE:mailto:evil@example.com X: y",
			injectedLine: "X: y"},
		{name: "CRLF injection in the location",
			edit:         func(e *ical.Event) { e.Location = "Raum 1\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:evil" },
			location:     "Raum 1 END:VEVENT BEGIN:VEVENT UID:evil",
			injectedLine: "UID:evil"},
		{name: "bare CR and LF in the description are line breaks",
			edit:        func(e *ical.Event) { e.Description = "a\rb\nc\r\nd" },
			description: "a\nb\nc\nd"},
		{name: "escapes , ; \\",
			edit:        func(e *ical.Event) { e.Summary, e.Description = `a,b;c\d\n`, `x\,y;z` },
			summary:     `a,b;c\d\n`,
			description: `x\,y;z`},
		{name: "formula-like text stays text",
			edit:     func(e *ical.Event) { e.Summary, e.Location = `=HYPERLINK("http://evil","x")`, `+cmd|' /C calc'!A0` },
			summary:  `=HYPERLINK("http://evil","x")`,
			location: `+cmd|' /C calc'!A0`},
		{name: "bidi controls are kept as characters",
			edit:    func(e *ical.Event) { e.Summary = "Kurs \u202egnulietrev\u202c Ende \u2067x\u2069" },
			summary: "Kurs \u202egnulietrev\u202c Ende \u2067x\u2069"},
		{name: "control characters are dropped",
			edit:        func(e *ical.Event) { e.Summary, e.Description = "a\x00b\x07c\x1bd\x7fe\u0085f", "t\tab" },
			summary:     "abcdef",
			description: "t ab"},
		{name: "invalid UTF-8 becomes U+FFFD",
			edit:    func(e *ical.Event) { e.Summary = "Kurs \xff\xfe Ende" },
			summary: "Kurs \uFFFD Ende"},
		{name: "very long text",
			edit:        func(e *ical.Event) { e.Description = long },
			description: long},
		{name: "name with comma, semicolon, colon and quotes",
			edit:         func(e *ical.Event) { e.Attendee.Name = `O'Brien, "Jo"; Dr.: X` },
			attendeeName: `O'Brien, 'Jo'; Dr.: X`},
		{name: "backslashes in a name",
			edit:         func(e *ical.Event) { e.Attendee.Name = `Verwaltung\Müller, J.\` },
			attendeeName: "Verwaltung/Müller, J./"},
		{name: "line breaks in a name",
			edit:         func(e *ical.Event) { e.Attendee.Name = "Jana\r\nMüller\nATTENDEE:x" },
			attendeeName: "Jana Müller ATTENDEE:x"},
	}
	for _, ch := range []string{"ä", "€", "🙂", "\u202e"} {
		for pad := 0; pad < 5; pad++ {
			text := strings.Repeat("x", 60+pad) + strings.Repeat(ch, 30)
			cases = append(cases, textCase{name: fmt.Sprintf("%q at the fold, padding %d", ch, pad),
				edit:    func(e *ical.Event) { e.Summary, e.Description = text, text },
				summary: text, description: text})
		}
	}
	return cases
}

// filled returns the case with the texts it expects unchanged taken from
// the event.
func (tc textCase) filled(e ical.Event) textCase {
	for _, f := range []struct {
		want *string
		own  string
	}{
		{&tc.summary, e.Summary}, {&tc.location, e.Location}, {&tc.description, e.Description}, {&tc.attendeeName, e.Attendee.Name},
	} {
		if *f.want == "" {
			*f.want = f.own
		}
	}
	return tc
}

// TestEncodeHostileText writes events whose texts try to break the
// object: each comes out structurally valid (icaltest.Check), and the
// second parser reads back the cleaned text.
func TestEncodeHostileText(t *testing.T) {
	for _, tc := range textCases() {
		t.Run(tc.name, func(t *testing.T) {
			e := event(t)
			if tc.edit != nil {
				tc.edit(&e)
			}
			tc = tc.filled(e)
			b, err := e.Encode(ical.MethodRequest)
			if err != nil {
				t.Fatal(err)
			}
			p := icaltest.Parse(t, b)
			if p.Summary != tc.summary {
				t.Errorf("SUMMARY %q, want %q", p.Summary, tc.summary)
			}
			if p.Location != tc.location {
				t.Errorf("LOCATION %q, want %q", p.Location, tc.location)
			}
			if p.Description != tc.description {
				t.Errorf("DESCRIPTION %q, want %q", p.Description, tc.description)
			}
			if p.Attendee.Name != tc.attendeeName || p.Attendee.Email != e.Attendee.Email {
				t.Errorf("ATTENDEE %+v, want %q <%s>", p.Attendee, tc.attendeeName, e.Attendee.Email)
			}
			if p.UID != e.UID || p.Method != "REQUEST" || p.Sequence != 0 || p.Status != "CONFIRMED" || p.PartStat != "ACCEPTED" {
				t.Errorf("UID %q METHOD %q SEQUENCE %d STATUS %q PARTSTAT %q", p.UID, p.Method, p.Sequence, p.Status, p.PartStat)
			}
			if !p.Start.Equal(e.Start) || !p.End.Equal(e.End) || p.StartTZID != "Europe/Berlin" || p.EndTZID != "Europe/Berlin" {
				t.Errorf("DTSTART %v (%s), DTEND %v (%s); want %v, %v in Europe/Berlin", p.Start, p.StartTZID, p.End, p.EndTZID, e.Start, e.End)
			}
			if !p.Stamp.Equal(e.Stamp) || p.Stamp.Location() != time.UTC {
				t.Errorf("DTSTAMP %v, want %v in UTC", p.Stamp, e.Stamp.UTC())
			}
			if tc.injectedLine != "" {
				for _, l := range p.Lines {
					if l == tc.injectedLine {
						t.Errorf("injected property written as a line of its own: %q", l)
					}
				}
			}
		})
	}
}

// TestSequenceAcrossUpdates follows one place from the invitation
// through a change of time to the cancellation: same UID, SEQUENCE
// growing, the cancellation with METHOD:CANCEL and STATUS:CANCELLED.
func TestSequenceAcrossUpdates(t *testing.T) {
	e := event(t)
	steps := []struct {
		method   ical.Method
		status   ical.Status
		edit     func(*ical.Event)
		wantStat string
		partStat string
	}{
		{ical.MethodRequest, ical.StatusTentative, nil, "TENTATIVE", "TENTATIVE"}, // waiting list
		{ical.MethodRequest, ical.StatusConfirmed, nil, "CONFIRMED", "ACCEPTED"},  // moved up
		{ical.MethodRequest, ical.StatusConfirmed, func(e *ical.Event) { e.Start, e.End = e.Start.Add(time.Hour), e.End.Add(time.Hour) }, "CONFIRMED", "ACCEPTED"},
		{ical.MethodCancel, ical.StatusConfirmed, nil, "CANCELLED", "DECLINED"},
	}
	last := -1
	for i, s := range steps {
		e.Sequence, e.Status = i, s.status
		e.Stamp = e.Stamp.Add(time.Duration(i) * time.Hour)
		if s.edit != nil {
			s.edit(&e)
		}
		b, err := e.Encode(s.method)
		if err != nil {
			t.Fatal(err)
		}
		p := icaltest.Parse(t, b)
		if p.UID != ical.UID("0f3a9c@bedarf", 345) {
			t.Errorf("step %d: UID %q changed", i, p.UID)
		}
		if p.Sequence <= last {
			t.Errorf("step %d: SEQUENCE %d not above %d", i, p.Sequence, last)
		}
		last = p.Sequence
		if p.Method != string(s.method) || p.Status != s.wantStat || p.PartStat != s.partStat {
			t.Errorf("step %d: METHOD %q STATUS %q PARTSTAT %q, want %s %s %s", i, p.Method, p.Status, p.PartStat, s.method, s.wantStat, s.partStat)
		}
		if !p.Start.Equal(e.Start) {
			t.Errorf("step %d: DTSTART %v, want %v", i, p.Start, e.Start)
		}
	}
}

// TestBerlinTimezoneMatchesTZDatabase reads the VTIMEZONE as written and
// checks that its rules give the same changes between CET and CEST as the
// time zone database, for every year from 1997 to 2045.
func TestBerlinTimezoneMatchesTZDatabase(t *testing.T) {
	b, err := event(t).Encode(ical.MethodRequest)
	if err != nil {
		t.Fatal(err)
	}
	p := icaltest.Parse(t, b)
	if p.TZID != "Europe/Berlin" || len(p.Standard) != 1 || len(p.Daylight) != 1 {
		t.Fatalf("VTIMEZONE %q with %d STANDARD, %d DAYLIGHT; want Europe/Berlin with one each", p.TZID, len(p.Standard), len(p.Daylight))
	}
	loc := berlin(t)
	for _, r := range []icaltest.Rule{p.Daylight[0], p.Standard[0]} {
		month, hour, from, to := ruleParts(t, r)
		start, err := time.Parse("20060102T150405", r.Start)
		if err != nil {
			t.Fatalf("DTSTART %q: %v", r.Start, err)
		}
		if start.Year() > 1997 {
			t.Errorf("rule %s starts in %d, after the dates it must cover", r.Name, start.Year())
		}
		for year := 1997; year <= 2045; year++ {
			// The last Sunday of the month, at the rule's local time in the
			// offset it changes from.
			day := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
			for day.Weekday() != time.Sunday {
				day = day.AddDate(0, 0, -1)
			}
			change := day.Add(time.Duration(hour)*time.Hour - time.Duration(from)*time.Second)
			_, before := change.Add(-time.Second).In(loc).Zone()
			_, after := change.In(loc).Zone()
			if before != from || after != to {
				t.Errorf("%s %d: at %v the database changes %d → %d, the VTIMEZONE says %d → %d", r.Name, year, change, before, after, from, to)
			}
		}
	}
}

// ruleParts reads the month, the hour and the offsets (seconds) of a
// yearly last-Sunday rule.
func ruleParts(t *testing.T, r icaltest.Rule) (month, hour, from, to int) {
	t.Helper()
	fields := map[string]string{}
	for _, f := range strings.Split(r.RRule, ";") {
		k, v, _ := strings.Cut(f, "=")
		fields[k] = v
	}
	if fields["FREQ"] != "YEARLY" || fields["BYDAY"] != "-1SU" || len(fields) != 3 {
		t.Fatalf("RRULE %q: want a yearly rule on the last Sunday of a month", r.RRule)
	}
	month, err := strconv.Atoi(fields["BYMONTH"])
	if err != nil {
		t.Fatalf("RRULE %q: %v", r.RRule, err)
	}
	hour, err = strconv.Atoi(r.Start[9:11])
	if err != nil {
		t.Fatalf("DTSTART %q: %v", r.Start, err)
	}
	offset := func(s string) int {
		tm, err := time.Parse("-0700", s)
		if err != nil {
			t.Fatalf("offset %q: %v", s, err)
		}
		_, off := tm.Zone()
		return off
	}
	return month, hour, offset(r.From), offset(r.To)
}

// TestEncodeRefuses checks that what cannot be written is an error and
// writes nothing.
func TestEncodeRefuses(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(*ical.Event)
		method ical.Method
		want   error
	}{
		{"no UID", func(e *ical.Event) { e.UID = "" }, ical.MethodRequest, ical.ErrNoUID},
		{"UID with a line break", func(e *ical.Event) { e.UID = "a@b\r\nX:1" }, ical.MethodRequest, ical.ErrBadUID},
		{"UID with a comma", func(e *ical.Event) { e.UID = "a,b@c" }, ical.MethodRequest, ical.ErrBadUID},
		{"no DTSTAMP", func(e *ical.Event) { e.Stamp = time.Time{} }, ical.MethodRequest, ical.ErrNoStamp},
		{"negative SEQUENCE", func(e *ical.Event) { e.Sequence = -1 }, ical.MethodRequest, ical.ErrSequence},
		{"end before start", func(e *ical.Event) { e.End = e.Start.Add(-time.Minute) }, ical.MethodRequest, ical.ErrTimes},
		{"end at start", func(e *ical.Event) { e.End = e.Start }, ical.MethodRequest, ical.ErrTimes},
		{"no start", func(e *ical.Event) { e.Start = time.Time{} }, ical.MethodRequest, ical.ErrTimes},
		{"attendee address with CRLF", func(e *ical.Event) { e.Attendee.Email = "a@b.de\r\nX:1" }, ical.MethodRequest, ical.ErrAddress},
		{"attendee address with a name", func(e *ical.Event) { e.Attendee.Email = "A <a@b.de>" }, ical.MethodRequest, ical.ErrAddress},
		{"organizer without address", func(e *ical.Event) { e.Organizer.Email = "" }, ical.MethodRequest, ical.ErrAddress},
		{"URL not http", func(e *ical.Event) { e.URL = "javascript:alert(1)" }, ical.MethodRequest, ical.ErrURL},
		{"URL with CRLF", func(e *ical.Event) { e.URL = "https://a.de/\r\nX:1" }, ical.MethodRequest, ical.ErrURL},
		{"unknown method", nil, ical.Method("PUBLISH"), ical.ErrMethod},
		{"cancelled status in a request", func(e *ical.Event) { e.Status = ical.StatusCancelled }, ical.MethodRequest, ical.ErrStatus},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := event(t)
			if tc.edit != nil {
				tc.edit(&e)
			}
			b, err := e.Encode(tc.method)
			if !errors.Is(err, tc.want) || b != nil {
				t.Errorf("Encode: %v and %d octets, want %v and nothing", err, len(b), tc.want)
			}
		})
	}
}

// TestUID checks that the UID names the pair and is a UID Encode takes.
func TestUID(t *testing.T) {
	a, b, c := ical.UID("d1@bedarf", 2), ical.UID("d1@bedarf", 3), ical.UID("d2@bedarf", 2)
	if a == b || a == c || b == c || a != ical.UID("d1@bedarf", 2) {
		t.Errorf("UIDs %q %q %q: want one per date and participant, stable", a, b, c)
	}
	e := event(t)
	e.UID = a
	if _, err := e.Encode(ical.MethodRequest); err != nil {
		t.Errorf("UID %q: %v", a, err)
	}
}

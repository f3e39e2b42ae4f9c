package ical_test

import (
	"strings"
	"testing"

	"bedarf/survey/ical"
	"bedarf/survey/ical/icaltest"
)

// FuzzEncode feeds any texts into an event: Encode either refuses (a
// name is data and never refused) or writes an object that passes
// icaltest.Check and that the second parser reads back with the cleaned
// one-line summary.
func FuzzEncode(f *testing.F) {
	f.Add("Modul 1\r\nX:1", "Raum, 1; \\", "a\nb", `O'Brien, "Jo"`, strings.Repeat("ä🙂", 40))
	f.Add("\xff\x00\u202e", "", "", "", "")
	f.Fuzz(func(t *testing.T, summary, location, description, name, long string) {
		e := event(t)
		e.Summary, e.Location, e.Description = summary+long, location, description+long
		e.Attendee.Name = name
		b, err := e.Encode(ical.MethodRequest)
		if err != nil {
			t.Fatalf("Encode refused texts: %v", err)
		}
		if problems := icaltest.Check(b); len(problems) > 0 {
			t.Fatalf("%v\n%q", problems, b)
		}
		p, err := icaltest.Read(b)
		if err != nil {
			t.Fatalf("the second parser: %v\n%q", err, b)
		}
		if strings.ContainsAny(p.Summary, "\r\n") || strings.ContainsAny(p.Location, "\r\n") {
			t.Errorf("a line break in a one-line value: %q %q", p.Summary, p.Location)
		}
	})
}

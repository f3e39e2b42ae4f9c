package survey

import (
	"strings"
	"unicode/utf8"
)

// Organisation is the body that runs the survey, as letters, mails, the
// questionnaire's header and the legal pages name it. Nothing in bedarf
// names a particular region: an installation enters its own.
type Organisation struct {
	// Office is the unit that runs the survey, e.g. "Koordinierungsstelle
	// Integration".
	Office string
	// Body is the public body it belongs to, e.g. "Region Hannover".
	Body string
	// Address is the postal address, one line per line.
	Address string
	// Signature is the line above the office in letters and mails, e.g.
	// "Im Auftrag" or a person's name; may be empty.
	Signature string
	// Contact is how Kommunen reach the office with questions (phone,
	// e-mail), one line per line.
	Contact string
}

// MaxOrganisationField bounds each field of an Organisation (characters).
const MaxOrganisationField = 500

// Normalize trims the fields, writes their line ends the Unix way and
// drops direction overrides (see SafeText).
func (o Organisation) Normalize() Organisation {
	clean := func(s string) string {
		s = SafeText(s)
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		lines := strings.Split(strings.TrimSpace(s), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimSpace(l)
		}
		return strings.Join(lines, "\n")
	}
	return Organisation{Office: clean(o.Office), Body: clean(o.Body), Address: clean(o.Address),
		Signature: clean(o.Signature), Contact: clean(o.Contact)}
}

// Validate says what is wrong with a normalized Organisation: the office
// and the body are needed, the office and the body on one line, no field
// longer than MaxOrganisationField.
func (o Organisation) Validate() error {
	switch {
	case o.Office == "":
		return NewError(EInvalid, "msg.org.office_missing").At("stelle")
	case o.Body == "":
		return NewError(EInvalid, "msg.org.body_missing").At("behoerde")
	case strings.Contains(o.Office, "\n"):
		return NewError(EInvalid, "msg.org.one_line").At("stelle")
	case strings.Contains(o.Body, "\n"):
		return NewError(EInvalid, "msg.org.one_line").At("behoerde")
	}
	// The fields by their form names (the setup page's organisation form).
	for _, f := range []struct{ field, v string }{{"stelle", o.Office}, {"behoerde", o.Body}, {"anschrift", o.Address}, {"gruss", o.Signature}, {"kontakt", o.Contact}} {
		if !utf8.ValidString(f.v) || utf8.RuneCountInString(f.v) > MaxOrganisationField {
			return NewError(EInvalid, "msg.org.too_long", MaxOrganisationField).At(f.field)
		}
	}
	return nil
}

// Sender is the signature block of letters and mails: the signature line
// (if any), the office and the body, one per line.
func (o Organisation) Sender() string {
	var lines []string
	for _, l := range []string{o.Signature, o.Office, o.Body} {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// Name is the office and the body on one line, "Koordinierungsstelle
// Integration, Region Hannover", or just one of them.
func (o Organisation) Name() string {
	switch {
	case o.Office == "":
		return o.Body
	case o.Body == "":
		return o.Office
	}
	return o.Office + ", " + o.Body
}

// DemoOrganisation is Region Hannover's Koordinierungsstelle Integration,
// the organisation of the demo.
func DemoOrganisation() Organisation {
	return Organisation{
		Office:    "Koordinierungsstelle Integration",
		Body:      "Region Hannover",
		Address:   "Postfach 147\n30001 Hannover",
		Signature: "Im Auftrag",
		Contact:   "E-Mail: integration@region-hannover.example\nTelefon: 0511 616-0",
	}
}

// PlaceholderOrganisation stands in for the organisation while none is
// entered: visible marks, as in the default legal texts, that the setup
// page lists as open.
func PlaceholderOrganisation() Organisation {
	return Organisation{Office: "[Name der Stelle]", Body: "[Name der Behörde]"}
}

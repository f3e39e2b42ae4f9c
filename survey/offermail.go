package survey

import (
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"bedarf/survey/ical"
)

// This file holds the mails to the participants of offers (issue 20, item
// 4): booking confirmation, waiting-list place, move-up, change and
// cancellation of a date, cancellation of a booking, reminder. Each is a
// plain text and an HTML part with the same words and an iCalendar
// object (package ical) to carry as a text/calendar part. The texts are
// keyed messages (German in offermail_text.go, English in the catalogue),
// so the caller picks the language by the format it passes to Build. The
// first mail to a participant carries the notice Art. 14 GDPR requires
// when data are collected from someone else (their Kommune named them).
//
// OfferMailData is neutral of how offers are stored: the booking code
// fills it from the offers model.

// OfferMailKind is what a mail to a participant is about.
type OfferMailKind string

// Kinds of mail to participants.
const (
	OfferMailConfirmation     OfferMailKind = "confirmation"      // a place is booked
	OfferMailWaiting          OfferMailKind = "waiting"           // a place on the waiting list
	OfferMailMovedUp          OfferMailKind = "moved_up"          // moved up from the waiting list
	OfferMailChanged          OfferMailKind = "changed"           // the date's time or place changed
	OfferMailCancelled        OfferMailKind = "cancelled"         // the date is cancelled
	OfferMailBookingCancelled OfferMailKind = "booking_cancelled" // the participant's booking is cancelled
	OfferMailReminder         OfferMailKind = "reminder"          // a few days before the date
	OfferMailMessage          OfferMailKind = "message"           // staff's message to the participants of a date
)

// OfferMailKinds lists the kinds in the order of a booking's life.
var OfferMailKinds = []OfferMailKind{OfferMailConfirmation, OfferMailWaiting, OfferMailMovedUp,
	OfferMailChanged, OfferMailCancelled, OfferMailBookingCancelled, OfferMailReminder, OfferMailMessage}

// HasCalendar reports whether a mail of the kind carries a calendar
// object. A message from staff does not: it changes nothing in the
// participant's entry, and a REQUEST sent with it could bring back an
// entry the participant removed or a date that was cancelled.
func (k OfferMailKind) HasCalendar() bool { return k != OfferMailMessage }

// Method is the iTIP method of the kind's calendar object: CANCEL for the
// cancellations, REQUEST for the rest.
func (k OfferMailKind) Method() ical.Method {
	if k == OfferMailCancelled || k == OfferMailBookingCancelled {
		return ical.MethodCancel
	}
	return ical.MethodRequest
}

// OfferSchedule is when and where a date takes place.
type OfferSchedule struct {
	Start, End time.Time
	// Place is the address or the room; for an online date the word
	// "online" or the platform (the link goes in InfoURL).
	Place string
}

// OfferPrivacy is what the Art. 14 notice needs beyond the organisation.
type OfferPrivacy struct {
	// DPO is how to reach the data protection officer (name or function,
	// address, mail); "" says to ask the controller.
	DPO string
	// LegalBasis replaces the default legal basis (Art. 6(1)(e) GDPR with
	// § 3 NDSG), as written.
	LegalBasis string
	// Authority is the supervisory authority (nominative, one line);
	// "" names Lower Saxony's commissioner.
	Authority string
	// RetentionMonths is how long after the offer's end names and
	// addresses are kept; 0 says "as long as needed".
	RetentionMonths int
	// PrivacyURL is the address of the Datenschutzhinweise page ("" for
	// none).
	PrivacyURL string
}

// OfferMailData is everything a mail to a participant says. Texts are
// data: direction controls are neutralised (SafeText) and one-line values
// put on one line.
type OfferMailData struct {
	Kind OfferMailKind
	// ParticipantName and ParticipantEmail address the mail.
	ParticipantName, ParticipantEmail string
	// Kommune names the Kommune that named the participant (see
	// MailKommuneLabel): the source of the data in the Art. 14 notice.
	Kommune string
	// Offer is the offer's title, Module its module ("" for none, e.g. a
	// supervision group).
	Offer, Module string
	// Schedule is the date as it is now; Previous what it was before a
	// change (OfferMailChanged; nil: not said).
	Schedule OfferSchedule
	Previous *OfferSchedule
	// Reason is why a date is cancelled, as staff wrote it ("" for none).
	Reason string
	// Message is staff's message (OfferMailMessage): subject and text as
	// checked by CheckOfferMessage.
	Message OfferMessage
	// UID identifies the participant's place on the date in calendars
	// (ical.UID); Sequence counts the changes they were told of (see
	// docs/offers-mail.md). Stamp is when the mail is made.
	UID      string
	Sequence int
	Stamp    time.Time
	// WaitingList marks a change or reminder to a participant who is on
	// the waiting list (their calendar entry stays tentative).
	WaitingList bool
	// DeclineURL is where a moved-up participant declines the place, by
	// DeclineBy (zero: no deadline said).
	DeclineURL string
	DeclineBy  time.Time
	// InfoURL is an optional page about the offer or the online meeting.
	InfoURL string
	// FirstMail adds the Art. 14 notice: set it for the first mail to the
	// participant.
	FirstMail bool
	// Organisation signs the mail and is the controller; OrganizerEmail is
	// its address (the mail's From) for the calendar's ORGANIZER.
	Organisation   Organisation
	OrganizerEmail string
	Privacy        OfferPrivacy
}

// OfferMail is a built mail: subject, text and HTML parts, and the
// calendar object with its method (for the part's
// "text/calendar; method=…"); Calendar is nil for a kind without one
// (OfferMailKind.HasCalendar).
type OfferMail struct {
	RenderedMail
	Calendar []byte
	Method   ical.Method
}

// Errors of Build: the data cannot make a mail (a bug of the caller, not
// a person's input).
var (
	ErrOfferMailKind  = errors.New("offer mail: unknown kind")
	ErrOfferMailData  = errors.New("offer mail: incomplete data")
	ErrOfferMailEmail = errors.New("offer mail: not a mail address")
)

// Build writes the mail in the language lang ("de", "en": the HTML part's
// lang) with the message formats of format (the catalogue's for lang; nil
// or "" for a key: German). The calendar object is the same in every
// language but for its texts.
func (d OfferMailData) Build(lang string, format func(key string) string) (OfferMail, error) {
	if format == nil {
		format = func(string) string { return "" }
	}
	if lang == "" {
		lang = "de"
	}
	if err := d.check(); err != nil {
		return OfferMail{}, err
	}
	w := offerWriter{format: format}
	paras := d.paragraphs(w)
	text, htmlBody := w.render(paras)
	subject := w.msg(NewMessage("msg.offermail.subject."+string(d.Kind), oneLine(d.Offer), w.day(d.Schedule.Start)))
	if d.Kind == OfferMailMessage {
		subject = w.key("msg.offermail.subject.message", oneLine(d.Message.Subject), oneLine(d.Offer), w.day(d.Schedule.Start))
	}
	out := OfferMail{RenderedMail: RenderedMail{Subject: oneLine(subject), Text: text, HTMLBody: htmlBody, Lang: lang}}
	if !d.Kind.HasCalendar() {
		return out, nil
	}
	cal, err := d.event(w).Encode(d.Kind.Method())
	if err != nil {
		return OfferMail{}, fmt.Errorf("offer mail %s: calendar: %w", d.Kind, err)
	}
	out.Calendar, out.Method = cal, d.Kind.Method()
	return out, nil
}

// check refuses data that cannot make a mail.
func (d OfferMailData) check() error {
	known := false
	for _, k := range OfferMailKinds {
		known = known || k == d.Kind
	}
	if !known {
		return fmt.Errorf("%w %q", ErrOfferMailKind, d.Kind)
	}
	for _, f := range []struct{ name, v string }{{"participant name", d.ParticipantName}, {"offer", d.Offer},
		{"Kommune", d.Kommune}, {"UID", d.UID}} {
		if oneLine(f.v) == "" {
			return fmt.Errorf("%w: no %s", ErrOfferMailData, f.name)
		}
	}
	if d.Kind == OfferMailMessage && (oneLine(d.Message.Subject) == "" || strings.TrimSpace(d.Message.Text) == "") {
		return fmt.Errorf("%w: no message", ErrOfferMailData)
	}
	for _, u := range []string{d.DeclineURL, d.InfoURL, d.Privacy.PrivacyURL} {
		if u != "" && !webAddress(u) {
			return fmt.Errorf("%w: not a web address: %q", ErrOfferMailData, u)
		}
	}
	for _, a := range []string{d.ParticipantEmail, d.OrganizerEmail} {
		if _, msg := CheckEmail(a); msg != nil {
			return fmt.Errorf("%w: %q", ErrOfferMailEmail, a)
		}
	}
	return nil
}

// webAddress reports whether u is an http or https address without
// spaces, quotes or controls (safe in a text, a link and a calendar URL).
func webAddress(u string) bool {
	return (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) &&
		!strings.ContainsFunc(u, func(r rune) bool { return r <= ' ' || r == '"' || r == '<' || r == '>' || r >= 0x7f })
}

// oneLine is a value on one line, direction controls neutralised.
func oneLine(s string) string { return strings.Join(strings.Fields(SafeText(s)), " ") }

// offerWriter writes keyed messages in one language.
type offerWriter struct{ format func(string) string }

func (w offerWriter) msg(m *Message) string {
	return m.In(w.format, func(s string) string { return s })
}

func (w offerWriter) key(key string, args ...any) string { return w.msg(NewMessage(key, args...)) }

// day writes a day: "Mittwoch, 10. März 2027" / "Wednesday, 10 March 2027".
func (w offerWriter) day(t time.Time) string {
	t = t.In(Berlin())
	return w.key("msg.offermail.day", NewMessage(fmt.Sprintf("msg.offermail.weekday.%d", t.Weekday())),
		t.Day(), NewMessage(fmt.Sprintf("msg.offermail.month.%d", t.Month())), t.Year())
}

// when writes a date's time: the day with the hours, or both days when
// it ends on another day.
func (w offerWriter) when(s OfferSchedule) string {
	start, end := s.Start.In(Berlin()), s.End.In(Berlin())
	if start.Format(time.DateOnly) == end.Format(time.DateOnly) {
		return w.key("msg.offermail.when", w.day(start), start.Format("15:04"), end.Format("15:04"))
	}
	return w.key("msg.offermail.when_span", w.day(start), start.Format("15:04"), w.day(end), end.Format("15:04"))
}

// para is a paragraph: its lines, and the links among its values (shown
// as links in the HTML part).
type para struct {
	lines []string
	links []string
}

func (w offerWriter) p(lines ...string) para { return para{lines: lines} }

// withLink is a paragraph whose last line is a link.
func (w offerWriter) withLink(text, url string) para {
	return para{lines: []string{text, url}, links: []string{url}}
}

// paragraphs are the mail's words, in order.
func (d OfferMailData) paragraphs(w offerWriter) []para {
	kommune := oneLine(d.Kommune)
	out := []para{w.p(w.key("msg.offermail.greeting", oneLine(d.ParticipantName)))}
	intro := NewMessage("msg.offermail.intro." + string(d.Kind))
	switch {
	case d.Kind == OfferMailConfirmation || d.Kind == OfferMailWaiting:
		intro.Args = []any{kommune} // who booked the place
	case d.Kind == OfferMailMessage && d.WaitingList:
		intro = NewMessage("msg.offermail.intro.message_waiting")
	}
	out = append(out, w.p(w.msg(intro)))
	if d.Kind == OfferMailMessage {
		out = append(out, d.details(w))
		out = append(out, d.Message.paragraphs(w)...)
		out = append(out, w.p(append([]string{w.key("msg.offermail.closing")}, strings.Split(SafeText(d.Organisation.Sender()), "\n")...)...))
		if d.FirstMail {
			out = append(out, d.privacyNotice(w)...)
		}
		return out
	}
	if d.Kind == OfferMailCancelled && oneLine(d.Reason) != "" {
		out = append(out, w.p(w.key("msg.offermail.reason", oneLine(d.Reason))))
	}
	out = append(out, d.details(w))
	if d.Kind == OfferMailChanged && d.Previous != nil {
		prev := w.key("msg.offermail.previous", w.when(*d.Previous))
		if p := oneLine(d.Previous.Place); p != "" && p != oneLine(d.Schedule.Place) {
			prev = w.key("msg.offermail.previous_place", w.when(*d.Previous), p)
		}
		out = append(out, w.p(prev))
	}
	if d.Kind == OfferMailMovedUp {
		switch {
		case d.DeclineURL != "" && !d.DeclineBy.IsZero():
			out = append(out, w.withLink(w.key("msg.offermail.decline_by", w.day(d.DeclineBy)), d.DeclineURL))
		case d.DeclineURL != "":
			out = append(out, w.withLink(w.key("msg.offermail.decline"), d.DeclineURL))
		default:
			out = append(out, w.p(w.key("msg.offermail.decline_kommune")))
		}
	}
	out = append(out, w.p(w.key(d.calendarNote())))
	if d.Kind != OfferMailCancelled && d.Kind != OfferMailBookingCancelled && d.Kind != OfferMailMovedUp {
		out = append(out, w.p(w.key("msg.offermail.cannot_attend")))
	}
	out = append(out, w.p(append([]string{w.key("msg.offermail.closing")}, strings.Split(SafeText(d.Organisation.Sender()), "\n")...)...))
	if d.FirstMail {
		out = append(out, d.privacyNotice(w)...)
	}
	return out
}

// details are the offer, module, time, place and link, one per line.
func (d OfferMailData) details(w offerWriter) para {
	p := w.p(w.key("msg.offermail.label.offer", oneLine(d.Offer)))
	if m := oneLine(d.Module); m != "" {
		p.lines = append(p.lines, w.key("msg.offermail.label.module", m))
	}
	p.lines = append(p.lines, w.key("msg.offermail.label.when", w.when(d.Schedule)))
	if pl := oneLine(d.Schedule.Place); pl != "" {
		p.lines = append(p.lines, w.key("msg.offermail.label.place", pl))
	}
	if d.InfoURL != "" {
		p.lines = append(p.lines, w.key("msg.offermail.label.info", d.InfoURL))
		p.links = append(p.links, d.InfoURL)
	}
	return p
}

// calendarNote is the key of the sentence about the attached calendar
// object.
func (d OfferMailData) calendarNote() string {
	switch {
	case d.Kind.Method() == ical.MethodCancel:
		return "msg.offermail.calendar.cancel"
	case d.tentative():
		return "msg.offermail.calendar.tentative"
	case d.Kind == OfferMailConfirmation:
		return "msg.offermail.calendar.request"
	}
	return "msg.offermail.calendar.update"
}

func (d OfferMailData) tentative() bool {
	return d.Kind == OfferMailWaiting || (d.WaitingList && (d.Kind == OfferMailChanged || d.Kind == OfferMailReminder))
}

// privacyNotice is the notice of Art. 14 GDPR: controller, data
// protection officer, purposes and legal basis, categories of data,
// recipients, retention, rights, the source (the Kommune) and that no
// automated decision is made.
func (d OfferMailData) privacyNotice(w offerWriter) []para {
	org := d.Organisation
	controller := []string{w.key("msg.offermail.privacy.controller", oneLine(org.Name()))}
	for _, l := range strings.Split(SafeText(org.Address), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			controller = append(controller, l)
		}
	}
	contact := strings.Join(strings.Fields(strings.ReplaceAll(SafeText(org.Contact), "\n", ", ")), " ")
	if contact == "" {
		contact = d.OrganizerEmail
	}
	controller = append(controller, w.key("msg.offermail.privacy.contact", contact))
	dpo := w.key("msg.offermail.privacy.dpo_via")
	if v := oneLine(d.Privacy.DPO); v != "" {
		dpo = w.key("msg.offermail.privacy.dpo", v)
	}
	basis := w.key("msg.offermail.privacy.basis_default")
	if v := oneLine(d.Privacy.LegalBasis); v != "" {
		basis = v
	}
	authority := w.key("msg.offermail.privacy.authority_default")
	if v := oneLine(d.Privacy.Authority); v != "" {
		authority = v
	}
	retention := w.key("msg.offermail.privacy.retention_default")
	switch n := d.Privacy.RetentionMonths; {
	case n == 1:
		retention = w.key("msg.offermail.privacy.retention_month")
	case n > 1:
		retention = w.key("msg.offermail.privacy.retention_months", n)
	}
	out := []para{
		w.p(w.key("msg.offermail.privacy.title")),
		w.p(w.key("msg.offermail.privacy.source", oneLine(d.Kommune))),
		w.p(controller...),
		w.p(dpo),
		w.p(w.key("msg.offermail.privacy.purpose")),
		w.p(w.key("msg.offermail.privacy.basis", basis)),
		w.p(w.key("msg.offermail.privacy.categories")),
		w.p(w.key("msg.offermail.privacy.recipients")),
		w.p(retention),
		w.p(w.key("msg.offermail.privacy.rights", authority)),
		w.p(w.key("msg.offermail.privacy.no_automated")),
	}
	if d.Privacy.PrivacyURL != "" {
		out = append(out, w.withLink(w.key("msg.offermail.privacy.more"), d.Privacy.PrivacyURL))
	}
	return append(out, w.p(w.key("msg.offermail.privacy.once")))
}

// render writes the paragraphs as the text part (paragraphs separated by
// a blank line) and the HTML part's body (<p> per paragraph, <br> between
// lines, every text escaped, the links as links).
func (w offerWriter) render(paras []para) (text, htmlBody string) {
	var t, h strings.Builder
	for i, p := range paras {
		if i > 0 {
			t.WriteString("\n")
		}
		lines := make([]string, len(p.lines))
		for j, l := range p.lines {
			t.WriteString(l + "\n")
			e := html.EscapeString(l)
			for _, link := range p.links {
				el := html.EscapeString(link)
				e = strings.ReplaceAll(e, el, `<a href="`+el+`">`+el+`</a>`)
			}
			lines[j] = e
		}
		h.WriteString("<p>" + strings.Join(lines, "<br>\n") + "</p>\n")
	}
	return t.String(), h.String()
}

// event is the calendar entry of the mail.
func (d OfferMailData) event(w offerWriter) ical.Event {
	summary := oneLine(d.Offer)
	if m := oneLine(d.Module); m != "" && m != summary {
		summary += ": " + m
	}
	desc := d.details(w).lines
	if d.Kind == OfferMailCancelled && oneLine(d.Reason) != "" {
		desc = append(desc, w.key("msg.offermail.reason", oneLine(d.Reason)))
	}
	status := ical.StatusConfirmed
	if d.tentative() {
		status = ical.StatusTentative
	}
	return ical.Event{
		UID:         d.UID,
		Sequence:    d.Sequence,
		Stamp:       d.Stamp,
		Start:       d.Schedule.Start,
		End:         d.Schedule.End,
		Summary:     summary,
		Location:    oneLine(d.Schedule.Place),
		Description: strings.Join(desc, "\n"),
		URL:         d.InfoURL,
		Organizer:   ical.Person{Name: oneLine(d.Organisation.Name()), Email: d.OrganizerEmail},
		Attendee:    ical.Person{Name: oneLine(d.ParticipantName), Email: d.ParticipantEmail},
		Status:      status,
	}
}

// DemoOfferMailData is a mail of the kind to a participant of the demo's
// organisation, about a training date four weeks after now: for previews,
// the demo and tests.
func DemoOfferMailData(kind OfferMailKind, now time.Time) OfferMailData {
	day := now.In(Berlin()).AddDate(0, 0, 28)
	start := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, Berlin())
	d := OfferMailData{
		Kind:             kind,
		ParticipantName:  "Jana Müller",
		ParticipantEmail: "jana.mueller@garbsen.example",
		Kommune:          "Stadt Garbsen",
		Offer:            "Fortbildung Traumasensible Begleitung",
		Module:           "Modul 2: Gesprächsführung",
		Schedule:         OfferSchedule{Start: start, End: start.Add(7*time.Hour + 30*time.Minute), Place: "Haus der Region, Hildesheimer Straße 18, 30169 Hannover, Raum 112"},
		UID:              ical.UID("5e1f0c2a9b7d4e3f@bedarf", 17),
		Stamp:            now,
		FirstMail:        kind == OfferMailConfirmation || kind == OfferMailWaiting,
		Organisation:     DemoOrganisation(),
		OrganizerEmail:   "integration@region-hannover.example",
		Privacy:          OfferPrivacy{RetentionMonths: 12, PrivacyURL: "https://bedarf.region-hannover.example/datenschutz"},
	}
	switch kind {
	case OfferMailMovedUp:
		d.Sequence = 1
		d.DeclineURL = "https://bedarf.region-hannover.example/t/Zx81kq"
		d.DeclineBy = start.AddDate(0, 0, -7)
	case OfferMailChanged:
		d.Sequence = 2
		prev := OfferSchedule{Start: start.AddDate(0, 0, -1), End: start.AddDate(0, 0, -1).Add(7 * time.Hour), Place: "Regionshaus, Raum 1"}
		d.Previous = &prev
	case OfferMailCancelled, OfferMailBookingCancelled:
		d.Sequence = 3
		if kind == OfferMailCancelled {
			d.Reason = "Die Referentin ist erkrankt; ein Ersatztermin folgt."
		}
	case OfferMailReminder:
		d.Sequence = 2
	case OfferMailMessage:
		d.Message = OfferMessage{Subject: "Raumänderung und Unterlagen",
			Text: "Bitte bringen Sie die Fallbeispiele aus Modul 1 mit.\n\nDer Eingang ist diesmal über den Hof; Parkplätze gibt es dort nicht."}
	}
	return d
}

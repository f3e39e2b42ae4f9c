package survey_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
	"bedarf/survey/ical"
	"bedarf/survey/ical/icaltest"
)

var mailNow = time.Date(2027, 2, 17, 10, 15, 0, 0, time.UTC)

// TestOfferMailKinds builds every kind in German and checks the parts: the
// words the kind needs, no key or format error left, the Art. 14 notice in
// the first mail only, and a calendar object that a second parser reads
// with the kind's METHOD, STATUS, UID and SEQUENCE.
func TestOfferMailKinds(t *testing.T) {
	cases := []struct {
		kind     survey.OfferMailKind
		method   string
		status   string
		subject  string
		contains []string
	}{
		{survey.OfferMailConfirmation, "REQUEST", "CONFIRMED", "Anmeldung bestätigt: Fortbildung Traumasensible Begleitung am Mittwoch, 17. März 2027",
			[]string{"Ihr Platz ist bestätigt", "Im Anhang finden Sie den Termin als Kalendereintrag"}},
		{survey.OfferMailWaiting, "REQUEST", "TENTATIVE", "Warteliste:",
			[]string{"Sie stehen auf der Warteliste", "vorläufig"}},
		{survey.OfferMailMovedUp, "REQUEST", "CONFIRMED", "Platz frei geworden:",
			[]string{"nachgerückt", "bis Mittwoch, 10. März 2027 ab", "https://bedarf.region-hannover.example/t/Zx81kq"}},
		{survey.OfferMailChanged, "REQUEST", "CONFIRMED", "Termin geändert:",
			[]string{"hat sich geändert", "Bisher: Dienstag, 16. März 2027, 09:00–16:00 Uhr, Ort: Regionshaus, Raum 1", "ersetzt den bisherigen Eintrag"}},
		{survey.OfferMailCancelled, "CANCEL", "CANCELLED", "Termin abgesagt:",
			[]string{"findet leider nicht statt", "Grund: Die Referentin ist erkrankt", "Mit der Absage im Anhang"}},
		{survey.OfferMailBookingCancelled, "CANCEL", "CANCELLED", "Anmeldung storniert:",
			[]string{"ist storniert", "Mit der Absage im Anhang"}},
		{survey.OfferMailReminder, "REQUEST", "CONFIRMED", "Erinnerung:",
			[]string{"wir erinnern Sie", "sagen Sie bitte Ihrer Kommune Bescheid"}},
		{survey.OfferMailMessage, "", "", "Raumänderung und Unterlagen – Fortbildung Traumasensible Begleitung am Mittwoch, 17. März 2027",
			[]string{"haben wir eine Mitteilung für Sie", "Bitte bringen Sie die Fallbeispiele aus Modul 1 mit.\n\nDer Eingang ist diesmal über den Hof"}},
	}
	if len(cases) != len(survey.OfferMailKinds) {
		t.Fatalf("%d cases for %d kinds", len(cases), len(survey.OfferMailKinds))
	}
	common := []string{"Guten Tag Jana Müller,", "Angebot: Fortbildung Traumasensible Begleitung", "Modul: Modul 2: Gesprächsführung",
		"Termin: Mittwoch, 17. März 2027, 09:00–16:30 Uhr", "Ort: Haus der Region, Hildesheimer Straße 18, 30169 Hannover, Raum 112",
		"Mit freundlichen Grüßen\nIm Auftrag\nKoordinierungsstelle Integration\nRegion Hannover"}
	for _, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			d := survey.DemoOfferMailData(tc.kind, mailNow)
			m, err := d.Build("de", nil)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(m.Subject, tc.subject) || strings.ContainsAny(m.Subject, "\r\n") {
				t.Errorf("subject %q, want it to start with %q, on one line", m.Subject, tc.subject)
			}
			for _, want := range append(common, tc.contains...) {
				if !strings.Contains(m.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, m.Text)
				}
			}
			for _, part := range []string{m.Subject, m.Text, m.HTML()} {
				if strings.Contains(part, "%!") || strings.Contains(part, "msg.offermail") {
					t.Errorf("a format error or a key in the mail:\n%s", part)
				}
			}
			if !strings.Contains(m.HTML(), `<html lang="de">`) {
				t.Errorf("HTML part without lang=de")
			}
			notice := strings.Contains(m.Text, "Artikel 14 DSGVO")
			if notice != d.FirstMail {
				t.Errorf("Art. 14 notice in the mail: %v, first mail: %v", notice, d.FirstMail)
			}
			if string(m.Method) != tc.method {
				t.Errorf("method %q, want %s", m.Method, tc.method)
			}
			if !tc.kind.HasCalendar() {
				if m.Calendar != nil || strings.Contains(m.Text, "Kalender") {
					t.Errorf("%s mail with a calendar object or a word of it:\n%s", tc.kind, m.Text)
				}
				return
			}
			p := icaltest.Parse(t, m.Calendar)
			if p.Method != tc.method || p.Status != tc.status || p.UID != d.UID || p.Sequence != d.Sequence {
				t.Errorf("calendar: METHOD %q STATUS %q UID %q SEQUENCE %d, want %s %s %q %d", p.Method, p.Status, p.UID, p.Sequence, tc.method, tc.status, d.UID, d.Sequence)
			}
			if p.Summary != "Fortbildung Traumasensible Begleitung: Modul 2: Gesprächsführung" || p.Location != d.Schedule.Place {
				t.Errorf("calendar: SUMMARY %q LOCATION %q", p.Summary, p.Location)
			}
			if !p.Start.Equal(d.Schedule.Start) || !p.End.Equal(d.Schedule.End) {
				t.Errorf("calendar: %v–%v, want %v–%v", p.Start, p.End, d.Schedule.Start, d.Schedule.End)
			}
			if p.Attendee != (icaltest.Person{Name: "Jana Müller", Email: d.ParticipantEmail}) ||
				p.Organizer != (icaltest.Person{Name: "Koordinierungsstelle Integration, Region Hannover", Email: d.OrganizerEmail}) {
				t.Errorf("calendar: ATTENDEE %+v ORGANIZER %+v", p.Attendee, p.Organizer)
			}
		})
	}
}

// TestOfferMailPrivacyNotice checks that the first mail names every item
// Art. 14 GDPR asks for, with the Kommune as the source, and that the
// settings of OfferPrivacy reach it.
func TestOfferMailPrivacyNotice(t *testing.T) {
	d := survey.DemoOfferMailData(survey.OfferMailConfirmation, mailNow)
	d.Privacy = survey.OfferPrivacy{DPO: "Datenschutzbeauftragte der Region Hannover, datenschutz@region-hannover.example",
		RetentionMonths: 18, PrivacyURL: "https://bedarf.example/datenschutz"}
	m, err := d.Build("de", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, notice, ok := strings.Cut(m.Text, "Hinweise zum Datenschutz (Artikel 14 DSGVO)")
	if !ok {
		t.Fatalf("no notice:\n%s", m.Text)
	}
	for item, want := range map[string]string{
		"controller (14(1)(a))":         "Verantwortlich für die Verarbeitung: Koordinierungsstelle Integration, Region Hannover\nPostfach 147\n30001 Hannover\nKontakt: E-Mail: integration@region-hannover.example, Telefon: 0511 616-0",
		"DPO (14(1)(b))":                "Datenschutzbeauftragter: Datenschutzbeauftragte der Region Hannover, datenschutz@region-hannover.example",
		"purposes (14(1)(c))":           "Zweck: die Durchführung der Angebote",
		"legal basis (14(1)(c))":        "Rechtsgrundlage: Artikel 6 Absatz 1 Buchstabe e DSGVO",
		"categories (14(1)(d))":         "Verarbeitete Daten: Name, Funktion und E-Mail-Adresse",
		"recipients (14(1)(e))":         "Empfänger: die zuständigen Mitarbeitenden",
		"third countries (14(1)(f))":    "außerhalb der Europäischen Union findet nicht statt",
		"retention (14(2)(a))":          "werden 18 Monate nach dem Ende des Angebots gelöscht",
		"rights (14(2)(c))":             "Auskunft über Ihre Daten verlangen (Artikel 15 DSGVO), ihre Berichtigung (Artikel 16), ihre Löschung (Artikel 17)",
		"objection (14(2)(c))":          "widersprechen (Artikel 21)",
		"complaint (14(2)(e))":          "beschweren (Artikel 77 DSGVO); zuständig ist: Die Landesbeauftragte für den Datenschutz Niedersachsen",
		"source (14(2)(f))":             "Ihre Kommune (Stadt Garbsen) hat Sie für das Angebot angemeldet",
		"automated decision (14(2)(g))": "Artikel 22 DSGVO findet nicht statt",
		"privacy page":                  "Mehr dazu in den Datenschutzhinweisen:\nhttps://bedarf.example/datenschutz",
	} {
		if !strings.Contains(notice, want) {
			t.Errorf("%s: the notice lacks %q:\n%s", item, want, notice)
		}
	}
	if !strings.Contains(m.HTML(), `<a href="https://bedarf.example/datenschutz">`) {
		t.Errorf("the privacy page is no link in the HTML part")
	}
	d.Privacy = survey.OfferPrivacy{RetentionMonths: 1}
	m, err = d.Build("de", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"einen Monat nach dem Ende", "erreichen Sie über die verantwortliche Stelle"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the notice lacks %q", want)
		}
	}
}

// TestOfferMailHostileData puts markup, line breaks and direction
// overrides into every text: the HTML part escapes them, the subject stays
// on one line, the text holds no override, and the calendar object stays
// valid.
func TestOfferMailHostileData(t *testing.T) {
	d := survey.DemoOfferMailData(survey.OfferMailChanged, mailNow)
	d.ParticipantName = "<script>alert(1)</script>\r\nBcc: evil@example.com \u202eevil"
	d.Offer = "Kurs & <b>Co</b>\r\nSubject: x"
	d.Module = "=HYPERLINK(\"http://evil\")"
	d.Kommune = "Stadt \u202eGarbsen"
	d.Schedule.Place = "Raum 1\r\nEND:VEVENT"
	d.FirstMail = true
	m, err := d.Build("de", nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Subject, "\r\n") || !strings.Contains(m.Subject, "Kurs & <b>Co</b> Subject: x") {
		t.Errorf("subject %q", m.Subject)
	}
	for i, part := range []string{m.Subject, m.Text, m.HTML()} {
		if strings.ContainsRune(part, '\u202e') {
			t.Errorf("a direction override in part %d (subject, text, HTML)", i)
		}
	}
	if strings.Contains(m.HTML(), "<script>") || strings.Contains(m.HTML(), "<b>") || !strings.Contains(m.HTML(), "&lt;script&gt;") {
		t.Errorf("HTML part not escaped:\n%s", m.HTML())
	}
	if !strings.Contains(m.Text, "Guten Tag <script>alert(1)</script> Bcc: evil@example.com evil,") {
		t.Errorf("the name is not on one line in the text:\n%s", m.Text)
	}
	p := icaltest.Parse(t, m.Calendar)
	if p.Location != "Raum 1 END:VEVENT" || p.Summary != `Kurs & <b>Co</b> Subject: x: =HYPERLINK("http://evil")` {
		t.Errorf("calendar: LOCATION %q SUMMARY %q", p.Location, p.Summary)
	}
}

// TestOfferMailRefuses checks that data that cannot make a mail is an
// error.
func TestOfferMailRefuses(t *testing.T) {
	cases := []struct {
		name string
		edit func(*survey.OfferMailData)
		want error
	}{
		{"unknown kind", func(d *survey.OfferMailData) { d.Kind = "invitation" }, survey.ErrOfferMailKind},
		{"no UID", func(d *survey.OfferMailData) { d.UID = "" }, survey.ErrOfferMailData},
		{"no name", func(d *survey.OfferMailData) { d.ParticipantName = " \n " }, survey.ErrOfferMailData},
		{"no Kommune", func(d *survey.OfferMailData) { d.Kommune = "" }, survey.ErrOfferMailData},
		{"participant address with CRLF", func(d *survey.OfferMailData) { d.ParticipantEmail = "a@b.de\r\nBcc: c@d.de" }, survey.ErrOfferMailEmail},
		{"no organizer address", func(d *survey.OfferMailData) { d.OrganizerEmail = "" }, survey.ErrOfferMailEmail},
		{"script link", func(d *survey.OfferMailData) { d.DeclineURL = "javascript:alert(1)" }, survey.ErrOfferMailData},
		{"link with a quote", func(d *survey.OfferMailData) { d.InfoURL = `https://a.de/"onmouseover="x` }, survey.ErrOfferMailData},
		{"end before start", func(d *survey.OfferMailData) { d.Schedule.End = d.Schedule.Start }, ical.ErrTimes},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := survey.DemoOfferMailData(survey.OfferMailMovedUp, mailNow)
			tc.edit(&d)
			if _, err := d.Build("de", nil); !errors.Is(err, tc.want) {
				t.Errorf("Build: %v, want %v", err, tc.want)
			}
		})
	}
}

// TestOfferMailSpansDays writes a date that ends on another day with both
// days.
func TestOfferMailSpansDays(t *testing.T) {
	d := survey.DemoOfferMailData(survey.OfferMailReminder, mailNow)
	d.Schedule.End = d.Schedule.Start.AddDate(0, 0, 1).Add(-time.Hour)
	m, err := d.Build("de", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Termin: Mittwoch, 17. März 2027, 09:00 Uhr bis Donnerstag, 18. März 2027, 08:00 Uhr"; !strings.Contains(m.Text, want) {
		t.Errorf("text lacks %q:\n%s", want, m.Text)
	}
}

// TestOfferMessageCheck: staff's message is normalised (direction
// controls, line ends, spaces at the ends) and refused at its field when
// empty, too long or with control characters; its words reach the mail
// escaped in the HTML part and as typed in the text part.
func TestOfferMessageCheck(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         survey.OfferMessage
		subject    string
		text       string
		key, field string
	}{
		{"normalised", survey.OfferMessage{Subject: "  Raum \u202e 112\n ", Text: "\r\nZeile 1  \r\n\r\nZeile\u202d 2\n\n"}, "Raum 112", "Zeile 1\n\nZeile 2", "", ""},
		{"formula stays text", survey.OfferMessage{Subject: "=1+1", Text: "@SUMME(A1)"}, "=1+1", "@SUMME(A1)", "", ""},
		{"empty subject", survey.OfferMessage{Subject: "\u202e", Text: "x"}, "", "x", "msg.offermessage.empty_betreff", "betreff"},
		{"empty text", survey.OfferMessage{Subject: "S", Text: " \n\t"}, "S", "", "msg.offermessage.empty_text", "text"},
		{"subject too long", survey.OfferMessage{Subject: strings.Repeat("ü", survey.MaxOfferMessageSubject+1), Text: "x"}, "", "", "msg.offermessage.long_betreff", "betreff"},
		{"text at the limit", survey.OfferMessage{Subject: "S", Text: strings.Repeat("ü", survey.MaxOfferMessageText)}, "S", "", "", ""},
		{"a control character", survey.OfferMessage{Subject: "S", Text: "a\x1bb"}, "S", "", "msg.offermessage.bad_chars", "text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.in.Normalize()
			if tc.subject != "" && m.Subject != tc.subject || tc.text != "" && m.Text != tc.text {
				t.Errorf("normalised %q / %q, want %q / %q", m.Subject, m.Text, tc.subject, tc.text)
			}
			err := m.Check()
			var e *survey.Error
			if tc.key == "" && err != nil || tc.key != "" && (!errors.As(err, &e) || e.Text == nil || e.Text.Key != tc.key || e.Field != tc.field) {
				t.Fatalf("Check: %v, want %q at %q", err, tc.key, tc.field)
			}
		})
	}
	d := survey.DemoOfferMailData(survey.OfferMailMessage, mailNow)
	d.Message = survey.OfferMessage{Subject: "<b>Achtung</b>", Text: "<script>x</script> & mehr"}
	m, err := d.Build("de", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "<script>x</script> & mehr") || strings.Contains(m.HTML(), "<script>") ||
		!strings.Contains(m.HTML(), "&lt;script&gt;x&lt;/script&gt; &amp; mehr") || !strings.HasPrefix(m.Subject, "<b>Achtung</b> – ") {
		t.Errorf("message words: subject %q\n%s\n%s", m.Subject, m.Text, m.HTML())
	}
	d.Message.Text = " "
	if _, err := d.Build("de", nil); !errors.Is(err, survey.ErrOfferMailData) {
		t.Errorf("a message mail without text: %v", err)
	}
}

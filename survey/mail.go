package survey

import (
	"encoding/csv"
	"errors"
	"html"
	"io"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file holds what the mails to the Kommunen are made of, apart from
// any mail server: the kinds of mail, their German default texts, the
// placeholders staff may use in the texts of a round ({{Kommune}},
// {{Runde}}, {{Frist}}, {{Fragebogen}}, {{Link}}), rendering to a plain
// text and an HTML part, and the contact addresses of the Kommunen with
// their CSV import.

// MailKind is what a mail is for.
type MailKind string

// Kinds of mail.
const (
	MailInvitation MailKind = "invitation" // the invitation with the link
	MailReminder   MailKind = "reminder"   // to Kommunen that have not submitted
	MailResults    MailKind = "results"    // the round's results are released (release.go)
)

// Label returns the German name of the kind.
func (k MailKind) Label() string {
	switch k {
	case MailInvitation:
		return "Einladung"
	case MailReminder:
		return "Erinnerung"
	case MailResults:
		return "Ergebnisse"
	}
	return string(k)
}

// Text returns the kind as a keyed message, for inserting into other
// messages (its German text is Label's).
func (k MailKind) Text() *Message {
	switch k {
	case MailReminder:
		return NewMessage("msg.mail.kind.reminder")
	case MailResults:
		return NewMessage("msg.mail.kind.results")
	}
	return NewMessage("msg.mail.kind.invitation")
}

// Word returns the kind as a word inside a sentence ("heute schon eine
// Einladung erhalten"; in English lower case).
func (k MailKind) Word() *Message {
	switch k {
	case MailReminder:
		return NewMessage("msg.word.reminder")
	case MailResults:
		return NewMessage("msg.word.results")
	}
	return NewMessage("msg.word.invitation")
}

// ParseMailKind reads the kind as URLs and forms name it ("einladung",
// "erinnerung") or as stored.
func ParseMailKind(s string) (MailKind, bool) {
	switch s {
	case "einladung", string(MailInvitation):
		return MailInvitation, true
	case "erinnerung", string(MailReminder):
		return MailReminder, true
	case "ergebnisse", string(MailResults):
		return MailResults, true
	}
	return "", false
}

// Slug returns the kind as URLs and forms name it.
func (k MailKind) Slug() string {
	switch k {
	case MailReminder:
		return "erinnerung"
	case MailResults:
		return "ergebnisse"
	}
	return "einladung"
}

// MailText is the subject and body of a mail with placeholders.
type MailText struct {
	Subject string
	Body    string
}

// MailPlaceholder is a placeholder staff may use in a mail text.
type MailPlaceholder struct {
	Name        string   // as written in the text, e.g. "{{Kommune}}"
	Description *Message // what it stands for
	InSubject   bool     // allowed in the subject too
}

// MailPlaceholders are the placeholders of the mail texts. The link is
// allowed in the body only: subjects end up in mail server logs and
// mailbox overviews.
var MailPlaceholders = []MailPlaceholder{
	{"{{Kommune}}", NewMessage("msg.mail.ph.kommune"), true},
	{"{{Runde}}", NewMessage("msg.mail.ph.round"), true},
	{"{{Frist}}", NewMessage("msg.mail.ph.deadline"), true},
	{"{{Fragebogen}}", NewMessage("msg.mail.ph.questionnaire"), true},
	{"{{Link}}", NewMessage("msg.mail.ph.link"), false},
	{"{{Absender}}", NewMessage("msg.mail.ph.sender"), false},
}

// MailValues are what the placeholders stand for in one mail.
type MailValues struct {
	Kommune       string // see MailKommuneLabel
	Round         string
	Deadline      string // German date
	Questionnaire string
	Link          string
	Sender        string // the signature block, see Organisation.Sender
}

func (v MailValues) value(name string) (string, bool) {
	switch name {
	case "Kommune":
		return v.Kommune, true
	case "Runde":
		return v.Round, true
	case "Frist":
		return v.Deadline, true
	case "Fragebogen":
		return v.Questionnaire, true
	case "Link":
		return v.Link, true
	case "Absender":
		return v.Sender, true
	}
	return "", false
}

// MailKommuneLabel names a Kommune with its kind, as the mails address it:
// "Stadt Garbsen"; "Kommune Wedemark" where the kind is unknown or already
// part of the name.
func MailKommuneLabel(k Kommune) string {
	if k.Kind == "" || strings.HasPrefix(k.Name, k.Kind) {
		return "Kommune " + k.Name
	}
	return k.Kind + " " + k.Name
}

// Limits of the mail texts.
const (
	MaxMailSubject = 200
	MaxMailBody    = 20000
)

// DefaultMailText returns the German default text of a kind. The
// invitation is the mail text of the invitation page (letter and link), with
// placeholders.
func DefaultMailText(kind MailKind) MailText {
	if kind == MailResults {
		return MailText{
			Subject: "Ergebnisse: {{Runde}} – Ihre Kommune im Vergleich",
			Body: `Sehr geehrte Damen und Herren,

vielen Dank für Ihre Teilnahme an der Erhebungsrunde „{{Runde}}“. Die Ergebnisse sind jetzt freigegeben: Über den persönlichen Link Ihrer Kommune sehen Sie die Kennzahlen der {{Kommune}} im Vergleich mit der Region, Ihren Teil der Planung und die Veränderung seit der vorigen Runde:

{{Link}}

Angaben anderer Kommunen erscheinen dort nur zusammengefasst über mehrere Kommunen, nie einzeln. Sie können die Ergebnisse drucken und als Arbeitsmappe herunterladen.

Bitte geben Sie den Link nicht außerhalb Ihrer Verwaltung weiter: Wer ihn hat, kann die Angaben Ihrer Kommune lesen.

Mit freundlichen Grüßen
{{Absender}}
`,
		}
	}
	if kind == MailReminder {
		return MailText{
			Subject: "Erinnerung: {{Runde}} – bitte bis {{Frist}} antworten",
			Body: `Sehr geehrte Damen und Herren,

wir möchten Sie freundlich an die Erhebungsrunde „{{Runde}}“ erinnern: Von der {{Kommune}} liegt uns noch keine abgesendete Antwort vor.

Bitte beantworten Sie den Fragebogen „{{Fragebogen}}“ bis zum {{Frist}} über den persönlichen Link Ihrer Kommune:

{{Link}}

Bereits gespeicherte Angaben bleiben erhalten; Sie können dort weiterarbeiten. Wenn alles vollständig ist, senden Sie die Antwort bitte ab. Falls Sie die Antwort gerade eben abgesendet haben, betrachten Sie diese Nachricht bitte als gegenstandslos.

Bitte geben Sie den Link nicht außerhalb Ihrer Verwaltung weiter: Wer ihn hat, kann die Antwort Ihrer Kommune lesen und ändern.

Mit freundlichen Grüßen
{{Absender}}
`,
		}
	}
	return MailText{
		Subject: "Einladung: {{Runde}} – bitte bis {{Frist}} antworten",
		Body: `Sehr geehrte Damen und Herren,

hiermit laden wir die {{Kommune}} zur Erhebungsrunde „{{Runde}}“ ein. Mit dem Fragebogen „{{Fragebogen}}“ erfassen wir den Bedarf Ihrer Kommune, damit wir unsere Angebote passend planen können.

Bitte beantworten Sie den Fragebogen bis zum {{Frist}} über den persönlichen Link Ihrer Kommune:

{{Link}}

Sie brauchen kein Konto und kein Passwort. Sie können Ihre Angaben zwischenspeichern, später weiterarbeiten und den Link an Kolleginnen und Kollegen in Ihrer Verwaltung weitergeben, die mitwirken. Wenn alles vollständig ist, senden Sie die Antwort bitte ab.

Bitte geben Sie den Link nicht außerhalb Ihrer Verwaltung weiter: Wer ihn hat, kann die Antwort Ihrer Kommune lesen und ändern. Sollte er in falsche Hände geraten, schicken wir Ihnen gern einen neuen; der alte wird dann ungültig.

Mit freundlichen Grüßen
{{Absender}}
`,
	}
}

// Normalize returns the text with Unix line ends, the subject on one line
// without surrounding spaces and the body without trailing spaces at its
// end (one final line end).
func (t MailText) Normalize() MailText {
	t.Subject = strings.Join(strings.Fields(t.Subject), " ")
	body := strings.ReplaceAll(strings.ReplaceAll(t.Body, "\r\n", "\n"), "\r", "\n")
	t.Body = strings.TrimRight(body, " \t\n") + "\n"
	return t
}

// placeholderRE finds a placeholder: two braces, a name, two braces; spaces
// inside the braces are allowed.
var placeholderRE = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// Problems returns what is wrong with the text of a kind, as messages
// naming the part ("Betreff", "Text, Zeile 3"); none when it can be sent.
func (t MailText) Problems(kind MailKind) []*Message {
	var out []*Message
	label := kind.Text()
	if !utf8.ValidString(t.Subject) || !utf8.ValidString(t.Body) {
		return []*Message{NewMessage("msg.mail.text.bad_chars", label)}
	}
	if strings.TrimSpace(t.Subject) == "" {
		out = append(out, NewMessage("msg.mail.text.no_subject", label))
	}
	if n := utf8.RuneCountInString(t.Subject); n > MaxMailSubject {
		out = append(out, NewMessage("msg.mail.text.subject_long", label, n, MaxMailSubject))
	}
	if n := utf8.RuneCountInString(t.Body); n > MaxMailBody {
		out = append(out, NewMessage("msg.mail.text.body_long", label, n, MaxMailBody))
	}
	out = append(out, placeholderProblems(NewMessage("msg.mail.text.subject_of", label), t.Subject, true)...)
	for i, line := range strings.Split(t.Body, "\n") {
		out = append(out, placeholderProblems(NewMessage("msg.mail.text.line_of", label, i+1), line, false)...)
	}
	if !placeholderUsed(t.Body, "Link") {
		out = append(out, NewMessage("msg.mail.text.need_link", label))
	}
	return out
}

func placeholderProblems(where *Message, s string, subject bool) []*Message {
	var out []*Message
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		name := canonicalPlaceholder(m[1])
		switch {
		case name == "":
			out = append(out, NewMessage("msg.mail.text.unknown_placeholder", where, m[0], placeholderList()))
		case subject && name == "Link":
			out = append(out, NewMessage("msg.mail.text.link_in_subject", where))
		}
	}
	rest := placeholderRE.ReplaceAllString(s, "")
	if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
		out = append(out, NewMessage("msg.mail.text.incomplete", where))
	}
	return out
}

func placeholderList() string {
	names := make([]string, len(MailPlaceholders))
	for i, p := range MailPlaceholders {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// canonicalPlaceholder returns the placeholder's name as documented, in any
// case written ("frist", "FRIST"), or "" when there is no such
// placeholder.
func canonicalPlaceholder(name string) string {
	for _, p := range MailPlaceholders {
		if n := strings.Trim(p.Name, "{}"); strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

func placeholderUsed(s, name string) bool {
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		if canonicalPlaceholder(m[1]) == name {
			return true
		}
	}
	return false
}

// fill replaces the placeholders of s with their values, each passed
// through esc (for HTML); text around them through lit. An unknown
// placeholder stays as written.
func fill(s string, v MailValues, lit func(string) string, val func(name, value string) string) string {
	var b strings.Builder
	last := 0
	for _, loc := range placeholderRE.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(lit(s[last:loc[0]]))
		name := canonicalPlaceholder(s[loc[2]:loc[3]])
		if value, ok := v.value(name); ok {
			b.WriteString(val(name, value))
		} else {
			b.WriteString(lit(s[loc[0]:loc[1]]))
		}
		last = loc[1]
	}
	b.WriteString(lit(s[last:]))
	return b.String()
}

func same(s string) string { return s }

// RenderedMail is a mail text with its placeholders filled in.
type RenderedMail struct {
	Subject string
	Text    string // the plain text part
	// HTMLBody is the HTML part's content (paragraphs), every piece of text
	// escaped, the link as a link: safe to embed in a page.
	HTMLBody string
	// Lang is the language of the words ("": German).
	Lang string
}

// HTML returns the whole HTML part: a small document around HTMLBody.
func (r RenderedMail) HTML() string {
	lang := "de"
	if r.Lang != "" {
		lang = html.EscapeString(r.Lang)
	}
	return "<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html.EscapeString(r.Subject) +
		"</title>\n</head>\n<body>\n" + r.HTMLBody + "</body>\n</html>\n"
}

// Render fills the placeholders of the text with v, each value's direction
// controls neutralised (SafeText). The subject is one line (line breaks in
// values become spaces); in the HTML part paragraphs
// are separated by blank lines, lines by <br>, and the link is a link.
func (t MailText) Render(v MailValues) RenderedMail {
	t = t.Normalize()
	oneLine := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	r := RenderedMail{
		Subject: oneLine(fill(t.Subject, v, same, func(_, value string) string { return oneLine(SafeText(value)) })),
		Text:    fill(t.Body, v, same, func(_, value string) string { return SafeText(value) }),
	}
	var b strings.Builder
	for _, para := range regexp.MustCompile(`\n[ \t]*\n`).Split(strings.TrimRight(t.Body, "\n"), -1) {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		for i, line := range lines {
			lines[i] = fill(line, v, html.EscapeString, func(name, value string) string {
				if name == "Link" {
					e := html.EscapeString(value)
					return `<a href="` + e + `">` + e + `</a>`
				}
				return strings.ReplaceAll(html.EscapeString(SafeText(value)), "\n", "<br>\n")
			})
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>\n") + "</p>\n")
	}
	r.HTMLBody = b.String()
	return r
}

// Contact is a contact address of a Kommune.
type Contact struct {
	ID        int64
	KommuneID int64
	Email     string
	Name      string // optional: a person or an office
	// OriginQuestion is the question of the answer the address was copied
	// from, in round OriginRoundID (0 when that round is gone); "" for an
	// address typed or imported by staff.
	OriginQuestion string
	OriginRoundID  int64
}

// Limits of contact addresses.
const (
	MaxContactEmail = 254
	MaxContactName  = 200
)

// CheckEmail returns the address in its plain form, or a message saying
// what is wrong with it. Only a plain address is accepted
// ("name@kommune.de"), not a name with an address in angle brackets.
func CheckEmail(s string) (string, *Message) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", NewMessage("msg.contact.no_email")
	case utf8.RuneCountInString(s) > MaxContactEmail:
		return "", NewMessage("msg.contact.email_long", MaxContactEmail)
	case strings.ContainsAny(s, "<>\r\n\t ,;"):
		return "", NewMessage("msg.contact.not_single", s)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", NewMessage("msg.contact.invalid", s)
	}
	_, domain, _ := strings.Cut(s, "@")
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", NewMessage("msg.contact.invalid_domain", s)
	}
	return s, nil
}

// CheckContactName returns the name cleaned up, or a message saying what
// is wrong with it.
func CheckContactName(s string) (string, *Message) {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxContactName {
		return "", NewMessage("msg.contact.name_long", MaxContactName)
	}
	return s, nil
}

// ContactRow is a line of a contacts file.
type ContactRow struct {
	Line  int
	Key   string // AGS (8 digits) or ARS (12 digits), normalized
	Email string
	Name  string
}

// ParseContactsCSV reads contact addresses: one address per line with the
// Kommune's key (AGS or, for associations without one, ARS), the address
// and an optional name. A header line naming the columns ("AGS",
// "E-Mail", "Name"; in any order) is optional; without one the columns are
// in that order. The file may be written as German Excel writes it: ';',
// ',' or TAB separated, UTF-8 with or without byte order mark or
// Windows-1252, keys that lost their leading zero. Every bad line is
// reported in an *ImportError; then nothing of the file is to be used.
func ParseContactsCSV(src []byte) ([]ContactRow, error) {
	text, bad := decodeText(src)
	if bad != nil {
		return nil, NewImportError(bad)
	}
	if strings.TrimSpace(text) == "" {
		e := &ImportError{}
		e.add(NewMessage("msg.contact.empty_file"))
		return nil, e
	}
	first, _, _ := strings.Cut(text, "\n")
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = guessSeparator(first)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	cols := map[string]int{"key": 0, "email": 1, "name": 2}
	var rows []ContactRow
	problems := &ImportError{}
	seen := map[string]int{}
	headerChecked := false // only the first non-blank line may be a header
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems.add(NewMessage("upload.line", pe.Line, NewMessage("msg.contact.bad_csv", pe.Err.Error())))
				break
			}
			e := &ImportError{}
			e.add(NewMessage("upload.line", line, err.Error()))
			return nil, e
		}
		line, _ = r.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		if !headerChecked {
			headerChecked = true
			if h, ok := contactsHeader(rec); ok {
				cols = h
				continue
			}
		}
		get := func(col string) string {
			i, ok := cols[col]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		var lp []*Message
		key := get("key")
		norm, ok := NormalizeAGS(key)
		if !ok {
			norm, ok = NormalizeARS(key)
		}
		if !ok {
			if key == "" {
				lp = append(lp, NewMessage("msg.contact.no_key"))
			} else {
				lp = append(lp, NewMessage("msg.contact.bad_key", key))
			}
		}
		email, msg := CheckEmail(get("email"))
		if msg != nil {
			lp = append(lp, msg)
		}
		name, msg := CheckContactName(get("name"))
		if msg != nil {
			lp = append(lp, msg)
		}
		if len(lp) == 0 {
			dup := norm + "\x00" + strings.ToLower(email)
			if prev, ok := seen[dup]; ok {
				lp = append(lp, NewMessage("msg.contact.duplicate", email, prev))
			} else {
				seen[dup] = line
			}
		}
		for _, p := range lp {
			problems.add(NewMessage("upload.line", line, p))
		}
		if len(lp) == 0 {
			rows = append(rows, ContactRow{Line: line, Key: norm, Email: email, Name: name})
		}
	}
	if len(problems.Problems) > 0 {
		return nil, problems
	}
	if len(rows) == 0 {
		e := &ImportError{}
		e.add(NewMessage("msg.contact.no_addresses"))
		return nil, e
	}
	return rows, nil
}

// contactsHeader recognizes a header line and returns its columns.
func contactsHeader(rec []string) (map[string]int, bool) {
	cols := map[string]int{}
	for i, f := range rec {
		f = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(f, "\ufeff")))
		f = strings.NewReplacer("-", "", "_", "", " ", "").Replace(f)
		switch f {
		case "ags", "ars", "schlüssel", "schluessel", "gemeindeschlüssel", "gemeindeschluessel", "regionalschlüssel", "regionalschluessel", "key":
			cols["key"] = i
		case "email", "mail", "emailadresse", "adresse", "mailadresse":
			cols["email"] = i
		case "name", "ansprechperson", "kontakt", "ansprechpartner", "ansprechpartnerin":
			cols["name"] = i
		}
	}
	_, k := cols["key"]
	_, e := cols["email"]
	return cols, k && e
}

// ContactEmailQuestions returns the questions whose answer can serve as a
// Kommune's contact address: text questions with format email. Personal
// ones (a contact person's address) come first, then the others, each in
// the questionnaire's order, so the first one is the default choice and
// the same questionnaire always gives the same default.
func (q *Questionnaire) ContactEmailQuestions() []*Question {
	var personal, other []*Question
	for _, qu := range q.questions {
		if qu.Type != Text || qu.Format != "email" {
			continue
		}
		if qu.Personal {
			personal = append(personal, qu)
		} else {
			other = append(other, qu)
		}
	}
	return append(personal, other...)
}

// InvitationValues are the placeholders' values for a mail or letter to a
// Kommune: its label, the round, the questionnaire's title, its personal
// link and the organisation's sender line.
func InvitationValues(k Kommune, round Round, questionnaire, link string, org Organisation) MailValues {
	return MailValues{Kommune: MailKommuneLabel(k), Round: round.Title,
		Deadline: round.Deadline.Format("02.01.2006"), Questionnaire: questionnaire, Link: link, Sender: org.Sender()}
}

// MessageDomain is the domain of Message-IDs when the mail settings name
// none: the host of the product's public address ("" when it has none).
func MessageDomain(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// DirectMail is a plain-text mail sent at once, outside every queue, so
// that no stored row holds its text (the anonymous feedback codes: a row
// would link a code to its recipient).
type DirectMail struct {
	ToName, To string
	Subject    string
	Text       string
}

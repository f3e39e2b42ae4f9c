package i18n

// Keyed messages of the planning parameters (analysis.ParamSpecs, see
// Params.Validate) and the notes of mailings (placeholders of the mail
// texts, why a Kommune gets no mail, what retention leaves of a mail): the
// domain keeps the German text of each key (survey/text.go) for the
// workbook, the command line and the logs; the pages take both languages
// from here. Bounds are data written the German way; a subject, a bound
// with its unit, a mail's kind or status are nested messages.
var _ = add(map[string]entry{
	"msg.plan.group_min":        {"Die Mindestgröße einer Gruppe muss zwischen %d und %d Personen liegen.", "The minimum size of a group must be between %d and %d persons."},
	"msg.plan.group_max":        {"Die Höchstgröße einer Gruppe muss zwischen %d und %d Personen liegen.", "The maximum size of a group must be between %d and %d persons."},
	"msg.plan.group_order":      {"Die Höchstgröße einer Gruppe (%d) darf nicht kleiner sein als die Mindestgröße (%d).", "The maximum size of a group (%d) must not be smaller than the minimum size (%d)."},
	"msg.plan.sessions":         {"Die Sitzungen pro Jahr müssen zwischen %d und %d liegen.", "Sessions per year must be between %d and %d."},
	"msg.plan.training_max":     {"Die Teilnehmenden pro Fortbildungstag müssen zwischen %d und %d liegen.", "Participants per training day must be between %d and %d."},
	"msg.plan.not_number":       {"%s ist keine gültige Zahl.", "%s is not a valid number."},
	"msg.plan.not_number_pl":    {"%s sind keine gültige Zahl.", "%s are not a valid number."},
	"msg.plan.above":            {"%s muss größer als %s und höchstens %s sein.", "%s must be greater than %s and at most %s."},
	"msg.plan.above_pl":         {"%s müssen größer als %s und höchstens %s sein.", "%s must be greater than %s and at most %s."},
	"msg.plan.between":          {"%s muss zwischen %s und %s liegen.", "%s must be between %s and %s."},
	"msg.plan.between_pl":       {"%s müssen zwischen %s und %s liegen.", "%s must be between %s and %s."},
	"msg.plan.subject.radius":   {"Der Umkreis für das Poolen", "The radius for pooling"},
	"msg.plan.subject.hours":    {"Die Dauer einer Sitzung", "The length of a session"},
	"msg.plan.subject.fee":      {"Das Honorar pro Stunde", "The fee per hour"},
	"msg.plan.subject.travel":   {"Die Fahrtkosten pro Sitzung", "The travel costs per session"},
	"msg.plan.subject.vat":      {"Die Umsatzsteuer", "The VAT"},
	"msg.plan.subject.day_cost": {"Die Kosten pro Fortbildungstag", "The costs per training day"},
	"msg.plan.subject.caseload": {"Der Betreuungsschlüssel (Personen pro Vollzeitstelle)", "The target caseload (persons per full-time position)"},
	"msg.plan.subject.cost_fte": {"Die Kosten pro Vollzeitstelle", "The costs per full-time position"},
	"msg.plan.bound.hours":      {"%s Stunden", "%s hours"},
	"msg.plan.bound.km":         {"%s km", "%s km"},
	"msg.plan.bound.eur":        {"%s €", "%s €"},
	"msg.plan.bound.percent":    {"%s %%", "%s %%"},

	"msg.mail.ph.kommune":       {"die Kommune mit ihrer Art, z. B. „Stadt Musterstadt“", "the municipality with its kind, e.g. “Stadt Musterstadt”"},
	"msg.mail.ph.round":         {"der Titel der Erhebungsrunde", "the title of the survey round"},
	"msg.mail.ph.deadline":      {"die Frist der Kommune als Datum, z. B. 24.12.2026 (eine eigene, spätere Frist der Kommune gilt)", "the municipality's deadline as a date, e.g. 24.12.2026 (a later deadline of its own applies)"},
	"msg.mail.ph.questionnaire": {"der Titel des Fragebogens", "the title of the questionnaire"},
	"msg.mail.ph.link":          {"der persönliche Link der Kommune (nur im Text, nicht im Betreff)", "the municipality's personal link (in the text only, not in the subject)"},
	"msg.mail.ph.sender":        {"die Grußzeile mit Stelle und Behörde, wie unter Einrichtung eingetragen", "the signature with office and public body, as entered under Setup"},

	"msg.mail.skip.no_contact": {"keine Kontaktadresse", "no contact address"},
	"msg.mail.skip.submitted":  {"hat eingereicht", "has submitted"},
	"msg.mail.skip.no_link":    {"kein aktiver Link", "no active link"},
	"msg.mail.skip.today":      {"heute schon eine %s erhalten", "already got one today (%s)"},
	"msg.mail.skip.failed":     {"Einladung fehlgeschlagen: bitte im Versandprotokoll erneut senden", "invitation failed: please send it again from the send log"},
	"msg.mail.skip.invited":    {"schon eingeladen (%s)", "already invited (%s)"},
	"msg.word.invitation":      {"Einladung", "invitation"},
	"msg.word.reminder":        {"Erinnerung", "reminder"},

	"msg.mail.purged_queued":  {"Nicht gesendet: Die Aufbewahrungsfrist ist abgelaufen; Empfänger, Betreff und Text wurden gelöscht, die Mail wird nicht gesendet.", "Not sent: the retention period has ended; recipients, subject and text were deleted, the mail will not be sent."},
	"msg.mail.purged_sending": {"Versand unterbrochen, Ergebnis unklar. Die Aufbewahrungsfrist ist abgelaufen; Empfänger, Betreff, Text und Antwort des Mailservers wurden gelöscht, die Mail wird nicht erneut gesendet.", "Sending was interrupted, outcome unclear. The retention period has ended; recipients, subject, text and the mail server's answer were deleted, the mail will not be sent again."},
	"msg.mail.purged_note":    {"Empfänger, Betreff, Text und Antwort des Mailservers wurden nach Ablauf der Aufbewahrungsfrist gelöscht; die Mail kann nicht erneut gesendet werden.", "Recipients, subject, text and the mail server's answer were deleted after the retention period; the mail cannot be sent again."},
})

package i18n

// Sentences of the domain packages not yet keyed (survey.Error is: see
// catalog_errors.go), as they produce them in German (see
// domain.go): the German text must equal what the package writes, with %s
// where it inserts something. Tests check that every sentence the packages
// can produce is here.
var _ = add(map[string]entry{

	// Notes retention puts in place of the mail server's answer
	// (survey/store/retention.go); shown in the send log.
	"domain.mail.purged_queued": {"Nicht gesendet: Die Aufbewahrungsfrist ist abgelaufen; Empfänger, Betreff und Text wurden gelöscht, die Mail wird nicht gesendet.",
		"Not sent: the retention period has ended; recipients, subject and text were deleted, the mail will not be sent."},
	"domain.mail.purged_sending": {"Versand unterbrochen, Ergebnis unklar. Die Aufbewahrungsfrist ist abgelaufen; Empfänger, Betreff, Text und Antwort des Mailservers wurden gelöscht, die Mail wird nicht erneut gesendet.",
		"Sending was interrupted, outcome unclear. The retention period has ended; recipients, subject, text and the mail server's answer were deleted, the mail will not be sent again."},
	"domain.mail.purged_note": {"Empfänger, Betreff, Text und Antwort des Mailservers wurden nach Ablauf der Aufbewahrungsfrist gelöscht; die Mail kann nicht erneut gesendet werden.",
		"Recipients, subject, text and the mail server's answer were deleted after the retention period; the mail cannot be sent again."},

	// Planning parameters (analysis.Params.Validate).
	"domain.plan.group_min":     {"Die Mindestgröße einer Gruppe muss zwischen %s und %s Personen liegen.", "The minimum size of a group must be between %s and %s persons."},
	"domain.plan.group_max":     {"Die Höchstgröße einer Gruppe muss zwischen %s und %s Personen liegen.", "The maximum size of a group must be between %s and %s persons."},
	"domain.plan.group_order":   {"Die Höchstgröße einer Gruppe (%s) darf nicht kleiner sein als die Mindestgröße (%s).", "The maximum size of a group (%s) must not be smaller than the minimum size (%s)."},
	"domain.plan.sessions":      {"Die Sitzungen pro Jahr müssen zwischen 1 und %s liegen.", "Sessions per year must be between 1 and %s."},
	"domain.plan.training_max":  {"Die Teilnehmenden pro Fortbildungstag müssen zwischen 1 und %s liegen.", "Participants per training day must be between 1 and %s."},
	"domain.plan.not_number":    {"%s ist keine gültige Zahl.", "%s is not a valid number."},
	"domain.plan.not_number_pl": {"%s sind keine gültige Zahl.", "%s are not a valid number."},
	"domain.plan.above":         {"%s muss größer als %s und höchstens %s sein.", "%s must be greater than %s and at most %s."},
	"domain.plan.above_pl":      {"%s müssen größer als %s und höchstens %s sein.", "%s must be greater than %s and at most %s."},
	"domain.plan.between":       {"%s muss zwischen %s und %s liegen.", "%s must be between %s and %s."},
	"domain.plan.between_pl":    {"%s müssen zwischen %s und %s liegen.", "%s must be between %s and %s."},
	"domain.plan.hours":         {"Die Dauer einer Sitzung", "The length of a session"},
	"domain.plan.fee":           {"Das Honorar pro Stunde", "The fee per hour"},
	"domain.plan.travel":        {"Die Fahrtkosten pro Sitzung", "The travel costs per session"},
	"domain.plan.radius":        {"Der Umkreis für das Poolen", "The radius for pooling"},
	"domain.plan.vat":           {"Die Umsatzsteuer", "The VAT"},
	"domain.plan.day_cost":      {"Die Kosten pro Fortbildungstag", "The costs per training day"},
	"domain.plan.caseload":      {"Der Betreuungsschlüssel (Personen pro Vollzeitstelle)", "The target caseload (persons per full-time position)"},
	"domain.plan.cost_fte":      {"Die Kosten pro Vollzeitstelle", "The costs per full-time position"},
	"domain.plan.hours_unit":    {"%s Stunden", "%s hours"},

	// Mail texts and contact addresses (survey/mail.go, survey/store/mail.go)
	"domain.mail.ph.kommune":       {"die Kommune mit ihrer Art, z. B. „Stadt Musterstadt“", "the municipality with its kind, e.g. “Stadt Musterstadt”"},
	"domain.mail.ph.round":         {"der Titel der Erhebungsrunde", "the title of the survey round"},
	"domain.mail.ph.deadline":      {"die Frist der Kommune als Datum, z. B. 24.12.2026 (eine eigene, spätere Frist der Kommune gilt)", "the municipality's deadline as a date, e.g. 24.12.2026 (a later deadline of its own applies)"},
	"domain.mail.ph.questionnaire": {"der Titel des Fragebogens", "the title of the questionnaire"},
	"domain.mail.ph.sender":        {"die Grußzeile mit Stelle und Behörde, wie unter Einrichtung eingetragen", "the signature with office and public body, as entered under Setup"},
	"domain.mail.ph.link":          {"der persönliche Link der Kommune (nur im Text, nicht im Betreff)", "the municipality's personal link (in the text only, not in the subject)"},
	"domain.contact.line":          {"Zeile %s: %s", "Line %s: %s"},
	"domain.mail.skip.no_contact":  {"keine Kontaktadresse", "no contact address"},
	"domain.mail.skip.submitted":   {"hat eingereicht", "has submitted"},
	"domain.mail.skip.no_link":     {"kein aktiver Link", "no active link"},
	"domain.mail.skip.today":       {"heute schon eine %s erhalten", "already got one today (%s)"},
	"domain.mail.skip.failed":      {"Einladung fehlgeschlagen: bitte im Versandprotokoll erneut senden", "invitation failed: please send it again from the send log"},
	"domain.mail.skip.invited":     {"schon eingeladen (%s)", "already invited (%s)"},
})

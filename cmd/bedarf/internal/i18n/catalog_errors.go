package i18n

// Keyed messages of domain errors (survey.Error made by survey.NewError)
// and the words they insert (a round's or a mail's status): the domain
// keeps the German text of each key (survey/text.go) for the command line,
// the workbook and the logs; the pages take both languages from here.
// TestKeyedMessages checks that the German texts agree key by key.
// Arguments are data (names, addresses, dates, numbers) and stay as they
// are; a status is a nested message and written in the page's language.
var _ = add(map[string]entry{
	// Answers (survey/answers.go): a constraint's own message is the
	// questionnaire's text (constraint_text), inserted as it is.
	"msg.answer.bad_chars":       {"Die Eingabe enthält ungültige Zeichen.", "The input contains invalid characters."},
	"msg.answer.no_choice":       {"Diese Auswahl gibt es nicht.", "This option does not exist."},
	"msg.answer.number":          {"Bitte eine Zahl eingeben, z. B. 12 oder 1,5.", "Please enter a number, e.g. 12 or 1.5."},
	"msg.answer.whole_number":    {"Bitte eine ganze Zahl eingeben, z. B. 12.", "Please enter a whole number, e.g. 12."},
	"msg.answer.email":           {"Bitte eine E-Mail-Adresse eingeben, z. B. name@kommune.de.", "Please enter an e-mail address, e.g. name@municipality.de."},
	"msg.answer.tel":             {"Bitte eine Telefonnummer eingeben, z. B. 0511 123456.", "Please enter a phone number, e.g. 0511 123456."},
	"msg.answer.integer":         {"Bitte eine ganze Zahl eingeben.", "Please enter a whole number."},
	"msg.answer.min":             {"Bitte eine Zahl ab %s eingeben.", "Please enter a number of at least %s."},
	"msg.answer.max":             {"Bitte eine Zahl bis %s eingeben.", "Please enter a number of at most %s."},
	"msg.answer.yes_no":          {"Bitte Ja oder Nein wählen.", "Please choose Yes or No."},
	"msg.answer.date":            {"Bitte ein Datum eingeben, z. B. 31.12.2026.", "Please enter a date, e.g. 31.12.2026."},
	"msg.answer.max_length":      {"Bitte höchstens %d Zeichen eingeben (jetzt %d).", "Please enter at most %d characters (now %d)."},
	"msg.answer.min_options":     {"Bitte mindestens %s Optionen wählen.", "Please choose at least %s options."},
	"msg.answer.max_options":     {"Bitte höchstens %s Optionen wählen.", "Please choose at most %s options."},
	"msg.answer.constraint":      {"Die Angabe erfüllt die Bedingung nicht.", "The answer does not meet the condition."},
	"msg.answer.constraint_text": {"%s", "%s"},
	"msg.answer.required":        {"Bitte beantworten Sie diese Frage.", "Please answer this question."},
	"msg.answer.matrix_row":      {"Bitte wählen Sie für jede Zeile eine Stufe.", "Please choose a level for each row."},
	"msg.answer.stored_invalid":  {"ungültig", "invalid"},
	"msg.answer.bad_revision":    {"Ungültiger Bearbeitungsstand.", "Invalid editing state."},
	"msg.answer.no_revision":     {"Der Bearbeitungsstand fehlt. Bitte laden Sie die Seite neu.", "The editing state is missing. Please reload the page."},

	"msg.legal.chars":    {"Der Text enthält unzulässige Zeichen.", "The text contains characters that are not allowed."},
	"msg.legal.lang":     {"Unbekannte Sprache.", "Unknown language."},
	"msg.legal.no_page":  {"Diese Seite gibt es nicht.", "This page does not exist."},
	"msg.legal.too_long": {"Der Text ist zu lang (%d Zeichen, höchstens %d).", "The text is too long (%d characters, at most %d)."},

	"msg.link.invalid": {"Dieser Link ist ungültig oder wurde ersetzt.", "This link is invalid or has been replaced."},

	"msg.mail.address_exists":    {"Die Adresse %s ist für diese Kommune schon eingetragen.", "The address %s is already entered for this municipality."},
	"msg.mail.address_not_found": {"Diese Adresse gibt es nicht (mehr).", "This address does not exist (any more)."},
	"msg.mail.confirm_checked":   {"Bitte bestätigen Sie, dass Sie geprüft haben, dass die Mail nicht angekommen ist. Sonst erhält die Kommune sie womöglich doppelt.", "Please confirm that you have checked that the mail did not arrive. Otherwise the municipality may get it twice."},
	"msg.mail.kommune_not_found": {"Diese Kommune gibt es nicht.", "This municipality does not exist."},
	"msg.mail.mark_unclear_only": {"Nur eine Mail mit unklarem Ergebnis kann als gesendet markiert werden.", "Only a mail with an unclear result can be marked as sent."},
	"msg.mail.no_contact":        {"Die Kommune hat keine Kontaktadresse mehr. Bitte tragen Sie zuerst eine ein.", "The municipality has no contact address any more. Please enter one first."},
	"msg.mail.no_resend":         {"Diese Mail ist %s und kann so nicht erneut gesendet werden.", "This mail is %s and cannot be sent again like this."},
	"msg.mail.not_found":         {"Diese Mail gibt es nicht.", "This mail does not exist."},
	"msg.mail.purged":            {"Von dieser Mail sind nach Ablauf der Aufbewahrungsfrist nur Art, Stand und Zeitpunkte geblieben. Sie kann nicht erneut gesendet werden.", "After the retention period only the kind, status and times of this mail are left. It cannot be sent again."},
	"msg.mail.reminder_open":     {"Erinnerungen gehen nur in einer offenen Runde hinaus.", "Reminders only go out in an open round."},
	"msg.mail.round_closed":      {"Die Runde ist geschlossen: Es werden keine Mails mehr verschickt.", "The round is closed: no more mails are sent."},
	"msg.mail.texts_changed":     {"Die Texte wurden seit der Vorschau geändert. Bitte prüfen Sie die Vorschau noch einmal.", "The texts have changed since the preview. Please check the preview again."},

	// One message per line (a form's problems): the lines are messages.
	"msg.lines": {"%s", "%s"},

	// Mail texts (survey/mail.go, survey/store/mail.go): the kind and the
	// part of the text are nested messages, a placeholder is data.
	"msg.mail.kind.invitation":          {"Einladung", "Invitation"},
	"msg.mail.kind.reminder":            {"Erinnerung", "Reminder"},
	"msg.mail.text.subject_of":          {"%s, Betreff", "%s, subject"},
	"msg.mail.text.line_of":             {"%s, Text Zeile %d", "%s, text line %d"},
	"msg.mail.text.bad_chars":           {"%s: Der Text enthält unzulässige Zeichen.", "%s: the text contains characters that are not allowed."},
	"msg.mail.text.no_subject":          {"%s: Bitte geben Sie einen Betreff an.", "%s: please give a subject."},
	"msg.mail.text.subject_long":        {"%s: Der Betreff ist zu lang (%d Zeichen, höchstens %d).", "%s: the subject is too long (%d characters, at most %d)."},
	"msg.mail.text.body_long":           {"%s: Der Text ist zu lang (%d Zeichen, höchstens %d).", "%s: the text is too long (%d characters, at most %d)."},
	"msg.mail.text.need_link":           {"%s: Der Text muss den Platzhalter {{Link}} enthalten, sonst erreicht die Kommune den Fragebogen nicht.", "%s: the text must contain the placeholder {{Link}}, otherwise the municipality cannot reach the questionnaire."},
	"msg.mail.text.unknown_placeholder": {"%s: Unbekannter Platzhalter %s. Möglich sind %s.", "%s: unknown placeholder %s. Possible are %s."},
	"msg.mail.text.link_in_subject":     {"%s: Der Link darf nicht im Betreff stehen (Betreffzeilen landen in Protokollen von Mailservern).", "%s: the link must not be in the subject (subject lines end up in mail servers' logs)."},
	"msg.mail.text.incomplete":          {"%s: Ein Platzhalter ist nicht vollständig. Schreiben Sie ihn mit zwei geschweiften Klammern auf jeder Seite, z. B. {{Kommune}}.", "%s: a placeholder is incomplete. Write it with two curly braces on each side, e.g. {{Kommune}}."},
	"msg.mail.auto_days":                {"Die automatische Erinnerung geht höchstens %d Tage vor der Frist (0 schaltet sie aus).", "The automatic reminder goes out at most %d days before the deadline (0 turns it off)."},

	// Contact addresses and the contacts CSV (survey/mail.go): an address
	// or a key from the file is data.
	"msg.contact.no_email":       {"Bitte geben Sie eine E-Mail-Adresse an.", "Please give an e-mail address."},
	"msg.contact.email_long":     {"Die E-Mail-Adresse ist zu lang (höchstens %d Zeichen).", "The e-mail address is too long (at most %d characters)."},
	"msg.contact.not_single":     {"„%s“ ist keine einzelne E-Mail-Adresse (bitte nur die Adresse, z. B. name@kommune.de).", "“%s” is not a single e-mail address (please only the address, e.g. name@kommune.de)."},
	"msg.contact.invalid":        {"„%s“ ist keine gültige E-Mail-Adresse.", "“%s” is not a valid e-mail address."},
	"msg.contact.invalid_domain": {"„%s“ ist keine gültige E-Mail-Adresse (der Teil nach dem @ muss ein Domainname wie kommune.de sein).", "“%s” is not a valid e-mail address (the part after the @ must be a domain name such as kommune.de)."},
	"msg.contact.name_long":      {"Der Name ist zu lang (höchstens %d Zeichen).", "The name is too long (at most %d characters)."},
	"msg.contact.empty_file":     {"Die Datei ist leer.", "The file is empty."},
	"msg.contact.bad_csv":        {"Die Zeile ist kein gültiges CSV (%s).", "The line is not valid CSV (%s)."},
	"msg.contact.no_key":         {"Der Schlüssel der Kommune (AGS) fehlt.", "The municipality's key (AGS) is missing."},
	"msg.contact.bad_key":        {"„%s“ ist kein Gemeindeschlüssel (AGS mit 8 Ziffern oder ARS mit 12 Ziffern).", "“%s” is not a municipality key (AGS with 8 digits or ARS with 12 digits)."},
	"msg.contact.duplicate":      {"Die Adresse %s steht für diese Kommune schon in Zeile %d.", "The address %s is already in line %d for this municipality."},
	"msg.contact.no_addresses":   {"Die Datei enthält keine Adressen.", "The file contains no addresses."},

	"msg.org.office_missing": {"Der Name der Stelle fehlt.", "The name of the office is missing."},
	"msg.org.body_missing":   {"Der Name der Behörde fehlt.", "The name of the public body is missing."},
	"msg.org.one_line":       {"Stelle und Behörde passen jeweils auf eine Zeile.", "Office and public body each fit on one line."},
	"msg.org.too_long":       {"Jede Angabe zur Organisation hat höchstens %d Zeichen.", "Each detail of the organisation has at most %d characters."},

	"msg.questionnaire.format":    {"unbekanntes Fragebogenformat %q", "unknown questionnaire format %q"},
	"msg.questionnaire.not_found": {"Fragebogen %d gibt es nicht.", "Questionnaire %d does not exist."},

	"msg.response.message_long": {"Die Nachricht ist zu lang (höchstens 4.000 Zeichen).", "The message is too long (at most 4,000 characters)."},
	"msg.response.need_message": {"Bitte schreiben Sie eine Nachricht an die Kommune.", "Please write a message to the municipality."},
	"msg.response.not_found":    {"Diese Antwort gibt es nicht.", "This answer does not exist."},
	"msg.response.not_invited":  {"Diese Kommune ist in der Runde nicht eingeladen.", "This municipality is not invited to the round."},
	"msg.response.reopen_only":  {"Nur eingereichte Antworten können wieder geöffnet werden.", "Only submitted answers can be reopened."},
	"msg.response.return_only":  {"Nur eingereichte Antworten können zurückgegeben werden.", "Only submitted answers can be returned."},
	"msg.response.submitted":    {"Die Antwort ist bereits eingereicht und kann nicht mehr geändert werden.", "The answer has already been submitted and can no longer be changed."},

	"msg.retention.audit_min": {"Das Änderungsprotokoll muss mindestens %d Tage aufbewahrt werden; die angegebene Frist ist kürzer. Nichts wurde gelöscht.", "The audit log must be kept for at least %d days; the given period is shorter. Nothing was deleted."},
	"msg.retention.negative":  {"Die Aufbewahrungsfrist darf nicht negativ sein.", "The retention period must not be negative."},

	"msg.round.already":          {"Die Runde ist bereits %s.", "The round is already %s."},
	"msg.round.close_open_only":  {"Nur eine offene Runde kann geschlossen werden.", "Only an open round can be closed."},
	"msg.round.deadline_before":  {"Die Frist darf nicht vor dem Beginn der Runde (%s) liegen.", "The deadline must not be before the start of the round (%s)."},
	"msg.round.deadline_date":    {"Bitte geben Sie die neue Frist als Datum an.", "Please give the new deadline as a date."},
	"msg.round.deadline_start":   {"Die Frist liegt vor dem Beginn.", "The deadline is before the start."},
	"msg.round.kommune_deadline": {"Die Frist für die Kommune muss nach der Frist der Runde (%s) liegen.", "The municipality's deadline must be after the round's deadline (%s)."},
	"msg.round.need_deadline":    {"Bitte geben Sie eine neue Frist an.", "Please give a new deadline."},
	"msg.round.not_accepting":    {"Die Runde nimmt keine Antworten mehr an (geschlossen oder Frist abgelaufen); nichts wurde gespeichert.", "The round no longer accepts answers (closed or past its deadline); nothing was saved."},
	"msg.round.need_title":       {"Die Runde braucht einen Titel.", "The round needs a title."},
	"msg.round.none":             {"Es gibt noch keine Erhebungsrunde.", "There is no survey round yet."},
	"msg.round.not_found":        {"Diese Erhebungsrunde gibt es nicht.", "This survey round does not exist."},

	"msg.scenario.decisive":  {"Das maßgebliche Szenario kann nicht gelöscht werden. Markieren Sie zuerst ein anderes als maßgeblich.", "The decisive scenario cannot be deleted. First mark another one as decisive."},
	"msg.scenario.exists":    {"Ein Szenario %q gibt es in dieser Runde schon.", "A scenario %q already exists in this round."},
	"msg.scenario.name_long": {"Der Name des Szenarios ist zu lang (höchstens 80 Zeichen).", "The scenario's name is too long (at most 80 characters)."},
	"msg.scenario.no_name":   {"Bitte geben Sie dem Szenario einen Namen.", "Please give the scenario a name."},
	"msg.scenario.not_found": {"Dieses Szenario gibt es nicht.", "This scenario does not exist."},

	"msg.session.expired": {"Sitzung abgelaufen.", "Session expired."},

	"msg.user.bad_email":  {"Die E-Mail-Adresse %q ist ungültig.", "The e-mail address %q is invalid."},
	"msg.user.exists":     {"Es gibt schon ein Konto mit der E-Mail-Adresse %s.", "There already is an account with the e-mail address %s."},
	"msg.user.last_admin": {"Das ist das letzte aktive Administrationskonto. Legen Sie zuerst ein weiteres an.", "This is the last active administrator account. Create another one first."},
	"msg.user.no_name":    {"Der Name fehlt.", "The name is missing."},
	"msg.user.not_found":  {"Dieses Konto gibt es nicht.", "This account does not exist."},
	"msg.user.password":   {"Das Passwort muss mindestens 12 Zeichen haben.", "The password must have at least 12 characters."},
	"msg.user.role":       {"Die Rolle muss admin oder viewer sein.", "The role must be admin or viewer."},

	"msg.word.cancelled": {"nicht gesendet", "not sent"},
	"msg.word.closed":    {"geschlossen", "closed"},
	"msg.word.failed":    {"fehlgeschlagen", "failed"},
	"msg.word.open":      {"offen", "open"},
	"msg.word.planned":   {"geplant", "planned"},
	"msg.word.queued":    {"wartet auf Versand", "waiting to be sent"},
	"msg.word.sending":   {"wird gesendet", "being sent"},
	"msg.word.sent":      {"gesendet", "sent"},
	"msg.word.unclear":   {"unklar", "unclear"},
})

package i18n

// Sentences of the domain packages, as they produce them in German (see
// domain.go): the German text must equal what the package writes, with %s
// where it inserts something. Tests check that every sentence the packages
// can produce is here.
var _ = add(map[string]entry{
	// Answers (survey/answers.go, survey/questionnaire.go).
	"domain.answer.bad_chars":    {"Die Eingabe enthält ungültige Zeichen.", "The input contains invalid characters."},
	"domain.answer.no_choice":    {"Diese Auswahl gibt es nicht.", "This option does not exist."},
	"domain.answer.number":       {"Bitte eine Zahl eingeben, z. B. 12 oder 1,5.", "Please enter a number, e.g. 12 or 1.5."},
	"domain.answer.integer":      {"Bitte eine ganze Zahl eingeben.", "Please enter a whole number."},
	"domain.answer.min":          {"Bitte eine Zahl ab %s eingeben.", "Please enter a number of at least %s."},
	"domain.answer.max":          {"Bitte eine Zahl bis %s eingeben.", "Please enter a number of at most %s."},
	"domain.answer.yes_no":       {"Bitte Ja oder Nein wählen.", "Please choose Yes or No."},
	"domain.answer.date":         {"Bitte ein Datum eingeben, z. B. 31.12.2026.", "Please enter a date, e.g. 31.12.2026."},
	"domain.answer.max_length":   {"Bitte höchstens %s Zeichen eingeben (jetzt %s).", "Please enter at most %s characters (now %s)."},
	"domain.answer.min_options":  {"Bitte mindestens %s Optionen wählen.", "Please choose at least %s options."},
	"domain.answer.max_options":  {"Bitte höchstens %s Optionen wählen.", "Please choose at most %s options."},
	"domain.answer.constraint":   {"Die Angabe erfüllt die Bedingung nicht.", "The answer does not meet the condition."},
	"domain.answer.required":     {"Bitte beantworten Sie diese Frage.", "Please answer this question."},
	"domain.answer.matrix_row":   {"Bitte wählen Sie für jede Zeile eine Stufe.", "Please choose a level for each row."},
	"domain.answer.no_revision":  {"Der Bearbeitungsstand fehlt. Bitte laden Sie die Seite neu.", "The editing state is missing. Please reload the page."},
	"domain.answer.bad_revision": {"Ungültiger Bearbeitungsstand.", "Invalid editing state."},

	// Words the sentences insert (statuses): translated inside a sentence.
	"domain.word.planned":   {"geplant", "planned"},
	"domain.word.open":      {"offen", "open"},
	"domain.word.closed":    {"geschlossen", "closed"},
	"domain.word.queued":    {"wartet auf Versand", "waiting to be sent"},
	"domain.word.sending":   {"wird gesendet", "being sent"},
	"domain.word.sent":      {"gesendet", "sent"},
	"domain.word.failed":    {"fehlgeschlagen", "failed"},
	"domain.word.unclear":   {"unklar", "unclear"},
	"domain.word.cancelled": {"nicht gesendet", "not sent"},

	// Responses and links (survey/store/responses.go).
	"domain.response.not_found":    {"Diese Antwort gibt es nicht.", "This answer does not exist."},
	"domain.link.invalid":          {"Dieser Link ist ungültig oder wurde ersetzt.", "This link is invalid or has been replaced."},
	"domain.response.not_invited":  {"Diese Kommune ist in der Runde nicht eingeladen.", "This municipality is not invited to the round."},
	"domain.response.submitted":    {"Die Antwort ist bereits eingereicht und kann nicht mehr geändert werden.", "The answer has already been submitted and can no longer be changed."},
	"domain.response.need_message": {"Bitte schreiben Sie eine Nachricht an die Kommune.", "Please write a message to the municipality."},
	"domain.response.message_long": {"Die Nachricht ist zu lang (höchstens 4.000 Zeichen).", "The message is too long (at most 4,000 characters)."},
	"domain.response.return_only":  {"Nur eingereichte Antworten können zurückgegeben werden.", "Only submitted answers can be returned."},
	"domain.response.reopen_only":  {"Nur eingereichte Antworten können wieder geöffnet werden.", "Only submitted answers can be reopened."},

	// Rounds (survey/store/rounds.go, admin.go, cmd/bedarf/rounds.go).
	"domain.round.not_found":         {"Diese Erhebungsrunde gibt es nicht.", "This survey round does not exist."},
	"domain.round.none":              {"Es gibt noch keine Erhebungsrunde.", "There is no survey round yet."},
	"domain.round.already":           {"Die Runde ist bereits %s.", "The round is already %s."},
	"domain.round.close_open_only":   {"Nur eine offene Runde kann geschlossen werden.", "Only an open round can be closed."},
	"domain.round.need_deadline":     {"Bitte geben Sie eine neue Frist an.", "Please give a new deadline."},
	"domain.round.deadline_date":     {"Bitte geben Sie die neue Frist als Datum an.", "Please give the new deadline as a date."},
	"domain.round.deadline_before":   {"Die Frist darf nicht vor dem Beginn der Runde (%s) liegen.", "The deadline must not be before the start of the round (%s)."},
	"domain.round.kommune_deadline":  {"Die Frist für die Kommune muss nach der Frist der Runde (%s) liegen.", "The municipality's deadline must be after the round's deadline (%s)."},
	"domain.round.need_title":        {"Die Runde braucht einen Titel.", "The round needs a title."},
	"domain.round.deadline_start":    {"Die Frist liegt vor dem Beginn.", "The deadline is before the start."},
	"domain.questionnaire.format":    {"unbekanntes Fragebogenformat \"%s\"", "unknown questionnaire format \"%s\""},
	"domain.questionnaire.not_found": {"Fragebogen %s gibt es nicht.", "Questionnaire %s does not exist."},
	"domain.retention.negative":      {"Die Aufbewahrungsfrist darf nicht negativ sein.", "The retention period must not be negative."},

	// Accounts (survey/store/users.go, admin.go).
	"domain.user.bad_email":  {"Die E-Mail-Adresse \"%s\" ist ungültig.", "The e-mail address \"%s\" is invalid."},
	"domain.user.no_name":    {"Der Name fehlt.", "The name is missing."},
	"domain.user.role":       {"Die Rolle muss admin oder viewer sein.", "The role must be admin or viewer."},
	"domain.user.password":   {"Das Passwort muss mindestens 12 Zeichen haben.", "The password must have at least 12 characters."},
	"domain.user.exists":     {"Es gibt schon ein Konto mit der E-Mail-Adresse %s.", "There already is an account with the e-mail address %s."},
	"domain.user.not_found":  {"Dieses Konto gibt es nicht.", "This account does not exist."},
	"domain.user.last_admin": {"Das ist das letzte aktive Administrationskonto. Legen Sie zuerst ein weiteres an.", "This is the last active administrator account. Create another one first."},
	"domain.session.expired": {"Sitzung abgelaufen.", "Session expired."},

	// Scenarios (survey/store/scenarios.go).
	"domain.scenario.no_name":   {"Bitte geben Sie dem Szenario einen Namen.", "Please give the scenario a name."},
	"domain.scenario.name_long": {"Der Name des Szenarios ist zu lang (höchstens 80 Zeichen).", "The scenario's name is too long (at most 80 characters)."},
	"domain.scenario.exists":    {"Ein Szenario \"%s\" gibt es in dieser Runde schon.", "A scenario \"%s\" already exists in this round."},
	"domain.scenario.not_found": {"Dieses Szenario gibt es nicht.", "This scenario does not exist."},
	"domain.scenario.decisive":  {"Das maßgebliche Szenario kann nicht gelöscht werden. Markieren Sie zuerst ein anderes als maßgeblich.", "The decisive scenario cannot be deleted. First mark another one as decisive."},

	// Mail (survey/store/mail.go, cmd/bedarf/mail_pages.go).
	"domain.mail.kommune_not_found": {"Diese Kommune gibt es nicht.", "This municipality does not exist."},
	"domain.mail.address_exists":    {"Die Adresse %s ist für diese Kommune schon eingetragen.", "The address %s is already entered for this municipality."},
	"domain.mail.address_not_found": {"Diese Adresse gibt es nicht (mehr).", "This address does not exist (any more)."},
	"domain.mail.not_found":         {"Diese Mail gibt es nicht.", "This mail does not exist."},
	"domain.mail.texts_changed":     {"Die Texte wurden seit der Vorschau geändert. Bitte prüfen Sie die Vorschau noch einmal.", "The texts have changed since the preview. Please check the preview again."},
	"domain.mail.round_closed":      {"Die Runde ist geschlossen: Es werden keine Mails mehr verschickt.", "The round is closed: no more mails are sent."},
	"domain.mail.reminder_open":     {"Erinnerungen gehen nur in einer offenen Runde hinaus.", "Reminders only go out in an open round."},
	"domain.mail.no_resend":         {"Diese Mail ist %s und kann so nicht erneut gesendet werden.", "This mail is %s and cannot be sent again like this."},
	"domain.mail.no_contact":        {"Die Kommune hat keine Kontaktadresse mehr. Bitte tragen Sie zuerst eine ein.", "The municipality has no contact address any more. Please enter one first."},
	"domain.mail.mark_unclear_only": {"Nur eine Mail mit unklarem Ergebnis kann als gesendet markiert werden.", "Only a mail with an unclear result can be marked as sent."},
	"domain.mail.confirm_checked":   {"Bitte bestätigen Sie, dass Sie geprüft haben, dass die Mail nicht angekommen ist. Sonst erhält die Kommune sie womöglich doppelt.", "Please confirm that you have checked that the mail did not arrive. Otherwise the municipality may get it twice."},

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
})

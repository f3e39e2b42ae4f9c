package i18n

// The setup page (templates/setup.html, cmd/bedarf/internal/web/setup.go); the steps'
// names are also what bedarf serve and bedarf doctor say (in German).
var _ = add(map[string]entry{
	"layout.nav.setup": {"Einrichtung", "Setup"},
	"setup.title":      {"Einrichtung", "Setup"},
	"setup.intro": {"Von der leeren Installation zur ersten Erhebungsrunde: Jede Zeile ist ein Schritt mit seinem Stand und dem, was zu tun ist. Kommunen, Fragebogen und erste Runde sind nötig; bis sie erledigt sind, führt die Anmeldung hierher.",
		"From an empty installation to the first survey round: each line is a step with its state and what to do. Kommunen, questionnaire and first round are required; until they are done, logging in leads here."},
	"setup.steps":            {"Schritte der Einrichtung", "Setup steps"},
	"setup.open_count.one":   {"%d Schritt ist offen.", "%d step is open."},
	"setup.open_count.other": {"%d Schritte sind offen.", "%d steps are open."},
	"setup.all_done":         {"Alle Schritte sind erledigt.", "All steps are done."},
	"setup.saved":            {"Gespeichert: %s.", "Saved: %s."},
	"setup.read_only":        {"Sie sehen den Stand der Einrichtung; ändern können ihn nur Konten mit der Rolle admin.", "You see the state of the setup; only accounts with the admin role can change it."},
	"setup.save":             {"Speichern", "Save"},

	"setup.state.done":     {"erledigt", "done"},
	"setup.state.open":     {"offen", "open"},
	"setup.state.optional": {"optional", "optional"},

	"setup.step.organisation": {"Organisation", "Organisation"},
	"setup.step.kommunen":     {"Kommunen", "Kommunen"},
	"setup.step.grenzen":      {"Kartengrenzen", "Map boundaries"},
	"setup.step.fragebogen":   {"Fragebogen", "Questionnaire"},
	"setup.step.rechtstexte":  {"Rechtstexte", "Legal texts"},
	"setup.step.mail":         {"E-Mail-Versand", "Sending mail"},
	"setup.step.runde":        {"Erste Runde", "First round"},

	"setup.organisation.help": {"Die Stelle, die die Abfrage durchführt: Sie steht in Briefen, Mails, im Kopf des Fragebogens und in den Rechtstexten.",
		"The office that runs the survey: it appears in letters, mails, the questionnaire's header and the legal texts."},
	"setup.organisation.office":    {"Name der Stelle (z. B. Fachdienst Integration)", "Name of the office (e.g. integration service)"},
	"setup.organisation.body":      {"Name der Behörde (z. B. Landkreis Musterland)", "Name of the public body (e.g. Landkreis Musterland)"},
	"setup.organisation.address":   {"Anschrift", "Postal address"},
	"setup.organisation.signature": {"Grußzeile über dem Namen der Stelle (z. B. Im Auftrag)", "Line above the office's name (e.g. Im Auftrag)"},
	"setup.organisation.contact":   {"Kontakt für die Kommunen (Telefon, E-Mail)", "Contact for the Kommunen (phone, e-mail)"},

	"setup.kommunen.stored.one":   {"%d Kommune ist gespeichert.", "%d Kommune is stored."},
	"setup.kommunen.stored.other": {"%d Kommunen sind gespeichert.", "%d Kommunen are stored."},
	"setup.kommunen.none":         {"Noch keine Kommunen gespeichert. Laden Sie die Kommunen Ihrer Region als CSV-Datei oder übernehmen Sie die 21 Kommunen der Region Hannover.", "No Kommunen stored yet. Upload your region's Kommunen as a CSV file or take the 21 Kommunen of Region Hannover."},
	"setup.kommunen.hannover":     {"21 Kommunen der Region Hannover übernehmen", "Take the 21 Kommunen of Region Hannover"},

	"setup.boundaries.none":     {"Keine Grenzen gespeichert: Die Karten zeigen ihre Tabelle. Grenzen sind optional.", "No boundaries stored: the maps show their table. Boundaries are optional."},
	"setup.boundaries.hannover": {"Grenzen der Region Hannover übernehmen", "Take the boundaries of Region Hannover"},

	"setup.questionnaire.stored.one":   {"%d Fragebogenversion ist gespeichert.", "%d questionnaire version is stored."},
	"setup.questionnaire.stored.other": {"%d Fragebogenversionen sind gespeichert.", "%d questionnaire versions are stored."},
	"setup.questionnaire.none":         {"Noch kein Fragebogen gespeichert.", "No questionnaire stored yet."},
	"setup.questionnaire.default":      {"Standardfragebogen übernehmen", "Take the default questionnaire"},
	"setup.questionnaire.file":         {"Eigener Fragebogen (YAML oder XLSForm, höchstens %d MB)", "Own questionnaire (YAML or XLSForm, at most %d MB)"},

	"setup.legal.placeholders.one":   {"In Impressum, Datenschutzhinweisen und Erklärung zur Barrierefreiheit ist noch %d Platzhalter auszufüllen.", "%d placeholder in the imprint, privacy notice and accessibility statement is still to be filled in."},
	"setup.legal.placeholders.other": {"In Impressum, Datenschutzhinweisen und Erklärung zur Barrierefreiheit sind noch %d Platzhalter auszufüllen.", "%d placeholders in the imprint, privacy notice and accessibility statement are still to be filled in."},
	"setup.legal.done":               {"Alle Platzhalter der Rechtstexte sind ausgefüllt.", "All placeholders of the legal texts are filled in."},

	"setup.mail.none": {"Kein Mailserver eingerichtet: Mails warten in der Warteschlange. Der Server liest die Einstellungen beim Start aus --smtp-host, --smtp-port, --smtp-tls, --smtp-user, --mail-from und dem Passwort aus BEDARF_SMTP_PASSWORD oder --smtp-password-file (siehe docs/betrieb.md); in der Datenbank wird nichts davon gespeichert.",
		"No mail server set up: mails wait in the queue. The server reads the settings at start from --smtp-host, --smtp-port, --smtp-tls, --smtp-user, --mail-from and the password from BEDARF_SMTP_PASSWORD or --smtp-password-file (see docs/betrieb.md); none of it is stored in the database."},
	"setup.mail.settings":     {"Mailserver laut Start des Servers: %s. Das Passwort wird nicht angezeigt.", "Mail server as the server was started: %s. The password is not shown."},
	"setup.mail.test":         {"Testmail an %s senden", "Send a test mail to %s"},
	"setup.mail.sent":         {"Der Mailserver hat die Testmail an %s angenommen.", "The mail server accepted the test mail to %s."},
	"setup.mail.failed":       {"Die Testmail an %s wurde nicht angenommen.", "The test mail to %s was not accepted."},
	"setup.mail.answer":       {"Antwort des Mailservers:", "The mail server's answer:"},
	"setup.mail.test_subject": {"bedarf: Testmail", "bedarf: test mail"},
	"setup.mail.test_body":    {"Diese Testmail kommt von bedarf unter %s. Wenn Sie sie lesen, funktioniert der Versand.\n", "This test mail comes from bedarf at %s. If you read it, sending works.\n"},

	"setup.round.stored.one":   {"%d Runde ist angelegt.", "%d round has been created."},
	"setup.round.stored.other": {"%d Runden sind angelegt.", "%d rounds have been created."},
	"setup.round.help":         {"Die Runde lädt alle gespeicherten Kommunen mit dem neuesten Fragebogen ein, wird geöffnet und bekommt für jede Kommune einen Link.", "The round invites all stored Kommunen with the newest questionnaire, is opened and gets a link for each Kommune."},
	"setup.round.submit":       {"Runde anlegen und öffnen", "Create and open the round"},
	"setup.round.first":        {"Zuerst Kommunen und Fragebogen einrichten.", "First set up the Kommunen and the questionnaire."},

	"audit.action.organisation.save": {"Organisation gespeichert", "Organisation saved"},
	"audit.action.mail.test":         {"Testmail gesendet", "Test mail sent"},
})

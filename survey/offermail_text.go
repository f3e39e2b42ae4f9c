package survey

// offerMailTexts are the German texts of the mails to participants
// (offermail.go); the catalogue (cmd/bedarf/internal/i18n,
// catalog_offermail.go) holds them in German and English.
var offerMailTexts = map[string]string{
	// Subjects: the offer and the day.
	"msg.offermail.subject.confirmation":      "Anmeldung bestätigt: %s am %s",
	"msg.offermail.subject.waiting":           "Warteliste: %s am %s",
	"msg.offermail.subject.moved_up":          "Platz frei geworden: %s am %s",
	"msg.offermail.subject.changed":           "Termin geändert: %s am %s",
	"msg.offermail.subject.cancelled":         "Termin abgesagt: %s am %s",
	"msg.offermail.subject.booking_cancelled": "Anmeldung storniert: %s am %s",
	"msg.offermail.subject.reminder":          "Erinnerung: %s am %s",
	"msg.offermail.subject.message":           "%s – %s am %s",

	"msg.offermail.greeting":                "Guten Tag %s,",
	"msg.offermail.intro.confirmation":      "Ihre Kommune (%s) hat Sie für das folgende Angebot angemeldet. Ihr Platz ist bestätigt.",
	"msg.offermail.intro.waiting":           "Ihre Kommune (%s) hat Sie für das folgende Angebot angemeldet. Der Termin ist ausgebucht, Sie stehen auf der Warteliste. Wird ein Platz frei, rücken Sie automatisch nach und erhalten eine Mail.",
	"msg.offermail.intro.moved_up":          "für das folgende Angebot ist ein Platz frei geworden: Sie sind von der Warteliste nachgerückt und fest angemeldet.",
	"msg.offermail.intro.changed":           "der folgende Termin hat sich geändert. Ihre Anmeldung gilt weiter.",
	"msg.offermail.intro.cancelled":         "der folgende Termin findet leider nicht statt. Ihre Anmeldung entfällt damit.",
	"msg.offermail.intro.booking_cancelled": "Ihre Anmeldung für den folgenden Termin ist storniert.",
	"msg.offermail.intro.reminder":          "wir erinnern Sie an den folgenden Termin, für den Sie angemeldet sind.",
	"msg.offermail.intro.message":           "zu dem folgenden Termin, für den Sie angemeldet sind, haben wir eine Mitteilung für Sie.",
	"msg.offermail.intro.message_waiting":   "zu dem folgenden Termin, für den Sie auf der Warteliste stehen, haben wir eine Mitteilung für Sie.",
	"msg.offermail.reason":                  "Grund: %s",

	"msg.offermail.label.offer":  "Angebot: %s",
	"msg.offermail.label.module": "Modul: %s",
	"msg.offermail.label.when":   "Termin: %s",
	"msg.offermail.label.place":  "Ort: %s",
	"msg.offermail.label.info":   "Weitere Informationen: %s",

	"msg.offermail.previous":       "Bisher: %s",
	"msg.offermail.previous_place": "Bisher: %s, Ort: %s",

	"msg.offermail.decline_by":      "Wenn Sie den Platz nicht wahrnehmen können, sagen Sie ihn bitte bis %s ab, damit die nächste Person nachrücken kann:",
	"msg.offermail.decline":         "Wenn Sie den Platz nicht wahrnehmen können, sagen Sie ihn bitte möglichst bald ab, damit die nächste Person nachrücken kann:",
	"msg.offermail.decline_kommune": "Wenn Sie den Platz nicht wahrnehmen können, sagen Sie bitte möglichst bald Ihrer Kommune Bescheid, damit die nächste Person nachrücken kann.",

	"msg.offermail.calendar.request":   "Im Anhang finden Sie den Termin als Kalendereintrag (.ics), den Sie in Ihren Kalender übernehmen können.",
	"msg.offermail.calendar.update":    "Der Kalendereintrag im Anhang ersetzt den bisherigen Eintrag in Ihrem Kalender.",
	"msg.offermail.calendar.tentative": "Der Kalendereintrag im Anhang ist vorläufig, solange Sie auf der Warteliste stehen.",
	"msg.offermail.calendar.cancel":    "Mit der Absage im Anhang kann Ihr Kalenderprogramm den Eintrag entfernen.",
	"msg.offermail.cannot_attend":      "Wenn Sie nicht teilnehmen können, sagen Sie bitte Ihrer Kommune Bescheid, damit sie den Platz rechtzeitig absagt und er nachbesetzt werden kann.",
	"msg.offermail.closing":            "Mit freundlichen Grüßen",

	// A day and a date's time: weekday, day, month, year; the day with the
	// hours from and to; or two days with their hours.
	"msg.offermail.day":       "%s, %d. %s %d",
	"msg.offermail.when":      "%s, %s–%s Uhr",
	"msg.offermail.when_span": "%s, %s Uhr bis %s, %s Uhr",
	"msg.offermail.weekday.0": "Sonntag",
	"msg.offermail.weekday.1": "Montag",
	"msg.offermail.weekday.2": "Dienstag",
	"msg.offermail.weekday.3": "Mittwoch",
	"msg.offermail.weekday.4": "Donnerstag",
	"msg.offermail.weekday.5": "Freitag",
	"msg.offermail.weekday.6": "Samstag",
	"msg.offermail.month.1":   "Januar",
	"msg.offermail.month.2":   "Februar",
	"msg.offermail.month.3":   "März",
	"msg.offermail.month.4":   "April",
	"msg.offermail.month.5":   "Mai",
	"msg.offermail.month.6":   "Juni",
	"msg.offermail.month.7":   "Juli",
	"msg.offermail.month.8":   "August",
	"msg.offermail.month.9":   "September",
	"msg.offermail.month.10":  "Oktober",
	"msg.offermail.month.11":  "November",
	"msg.offermail.month.12":  "Dezember",

	// The notice of Art. 14 GDPR in the first mail to a participant.
	"msg.offermail.privacy.title":             "Hinweise zum Datenschutz (Artikel 14 DSGVO)",
	"msg.offermail.privacy.source":            "Ihre Daten haben wir nicht bei Ihnen selbst erhoben: Ihre Kommune (%s) hat Sie für das Angebot angemeldet und dabei Ihren Namen, Ihre Funktion und Ihre E-Mail-Adresse angegeben.",
	"msg.offermail.privacy.controller":        "Verantwortlich für die Verarbeitung: %s",
	"msg.offermail.privacy.contact":           "Kontakt: %s",
	"msg.offermail.privacy.dpo":               "Datenschutzbeauftragte oder Datenschutzbeauftragter: %s",
	"msg.offermail.privacy.dpo_via":           "Die oder den Datenschutzbeauftragten erreichen Sie über die verantwortliche Stelle.",
	"msg.offermail.privacy.purpose":           "Zweck: die Durchführung der Angebote – Anmeldung, Warteliste und Nachrücken, Mitteilungen zu Terminen und ihren Änderungen, Teilnahmeliste und Anwesenheit, Teilnahmebescheinigung – und die Auswertung, wie die Angebote genutzt werden (nur als Zahlen, ohne Namen).",
	"msg.offermail.privacy.basis":             "Rechtsgrundlage: %s",
	"msg.offermail.privacy.basis_default":     "Artikel 6 Absatz 1 Buchstabe e DSGVO (Wahrnehmung einer Aufgabe im öffentlichen Interesse) in Verbindung mit § 3 des Niedersächsischen Datenschutzgesetzes (NDSG).",
	"msg.offermail.privacy.categories":        "Verarbeitete Daten: Name, Funktion und E-Mail-Adresse, die Kommune, die Sie angemeldet hat, Ihre Anmeldungen (Termine, Warteliste, Absagen) und Ihre Anwesenheit.",
	"msg.offermail.privacy.recipients":        "Empfänger: die zuständigen Mitarbeitenden der verantwortlichen Stelle; die Referentin, der Referent, die Supervisorin oder der Supervisor des Termins (Teilnahmeliste mit Name, Funktion und Kommune); Ihre Kommune (sie sieht nur ihre eigenen Teilnehmenden); der IT-Dienstleister, der die Anwendung im Auftrag betreibt (Artikel 28 DSGVO), und der Mailserver, über den diese Mails gehen. Eine Übermittlung in Staaten außerhalb der Europäischen Union findet nicht statt.",
	"msg.offermail.privacy.retention_month":   "Speicherdauer: Name, Funktion und E-Mail-Adresse werden einen Monat nach dem Ende des Angebots gelöscht; danach bleiben nur Zahlen ohne Bezug zu Personen.",
	"msg.offermail.privacy.retention_months":  "Speicherdauer: Name, Funktion und E-Mail-Adresse werden %d Monate nach dem Ende des Angebots gelöscht; danach bleiben nur Zahlen ohne Bezug zu Personen.",
	"msg.offermail.privacy.retention_default": "Speicherdauer: Name, Funktion und E-Mail-Adresse werden nach dem Ende des Angebots gelöscht, sobald sie für Bescheinigungen und Rückfragen nicht mehr gebraucht werden; danach bleiben nur Zahlen ohne Bezug zu Personen.",
	"msg.offermail.privacy.rights":            "Ihre Rechte: Sie können Auskunft über Ihre Daten verlangen (Artikel 15 DSGVO), ihre Berichtigung (Artikel 16), ihre Löschung (Artikel 17) und die Einschränkung ihrer Verarbeitung (Artikel 18), und Sie können der Verarbeitung aus Gründen, die sich aus Ihrer besonderen Situation ergeben, widersprechen (Artikel 21). Wenden Sie sich dazu an die verantwortliche Stelle. Außerdem können Sie sich bei einer Datenschutz-Aufsichtsbehörde beschweren (Artikel 77 DSGVO); zuständig ist: %s.",
	"msg.offermail.privacy.authority_default": "Die Landesbeauftragte für den Datenschutz Niedersachsen, Prinzenstraße 5, 30159 Hannover",
	"msg.offermail.privacy.no_automated":      "Plätze werden in der Reihenfolge der Anmeldungen vergeben; eine automatisierte Entscheidung im Sinne von Artikel 22 DSGVO findet nicht statt.",
	"msg.offermail.privacy.more":              "Mehr dazu in den Datenschutzhinweisen:",
	"msg.offermail.privacy.once":              "Diesen Hinweis erhalten Sie einmal, mit der ersten Mail zu Ihrer Anmeldung.",

	// Staff's message to the participants of a date (offermessage.go).
	"msg.offermessage.bad_chars":     "Bitte nur Text eingeben, ohne Steuerzeichen.",
	"msg.offermessage.empty_betreff": "Bitte einen Betreff eingeben.",
	"msg.offermessage.empty_text":    "Bitte einen Text eingeben.",
	"msg.offermessage.long_betreff":  "Der Betreff hat %d Zeichen, höchstens %d sind möglich.",
	"msg.offermessage.long_text":     "Der Text hat %d Zeichen, höchstens %d sind möglich.",
	"msg.offermessage.nobody":        "An diesen Termin ist niemand mit E-Mail-Adresse angemeldet: Die Mitteilung ging an niemanden.",
	"msg.offermessage.changed":       "Die Teilnehmenden des Termins haben sich seit der Vorschau geändert. Bitte die Vorschau noch einmal prüfen.",
}

// joinTexts returns one map of the areas' texts; a key in two areas stops
// the program at start (and every test).
func joinTexts(areas ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, a := range areas {
		for k, v := range a {
			if _, dup := out[k]; dup {
				panic("survey: message " + k + " has two German texts")
			}
			out[k] = v
		}
	}
	return out
}

package survey

import (
	"fmt"
	"maps"
	"strings"
)

// Message is a message for people as a catalogue key and its arguments, the
// shape of upload diagnostics and of domain errors (Error, NewError) and
// every new message takes (the older ones, not yet keyed, are German
// sentences that the pages translate back by pattern; see
// cmd/bedarf/internal/i18n/domain.go).
// The domain keeps the German text of each key (germanTexts) for the
// command line, the workbook and the logs; the web's catalogue
// (cmd/bedarf/internal/i18n) holds the same keys in German and English, and a test
// there checks that both agree key by key. Arguments are data (file names,
// ids, numbers, lines) inserted as they are; an argument that is itself a
// *Message is written in the same language as the message.
type Message struct {
	Key  string
	Args []any
}

// NewMessage returns the message key with its arguments.
func NewMessage(key string, args ...any) *Message { return &Message{Key: key, Args: args} }

// Sentence is a German sentence of the older diagnostics inserted into a
// keyed message; the pages translate it by its German text.
type Sentence string

// Parts are messages and sentences written one after the other, separated
// by "; " (the problems of one line of a file).
type Parts []any

// Lines are messages written one per line (the problems of a form).
type Lines []*Message

// String returns the message in German.
func (t *Message) String() string {
	if t == nil {
		return ""
	}
	return t.In(func(key string) string { return germanTexts[key] }, func(s string) string { return s })
}

// In writes the message with the formats that format returns for a key
// (German where it returns ""), inserting arguments that are Messages,
// Parts or Sentences (passed through sentence) in the same language; a
// nil message is "".
func (t *Message) In(format, sentence func(string) string) string {
	if t == nil {
		return ""
	}
	f := format(t.Key)
	if f == "" {
		f = germanTexts[t.Key]
	}
	if f == "" {
		return t.Key
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		args[i] = inserted(a, format, sentence)
	}
	return fmt.Sprintf(f, args...)
}

func inserted(a any, format, sentence func(string) string) any {
	switch x := a.(type) {
	case *Message:
		return x.In(format, sentence)
	case Sentence:
		return sentence(string(x))
	case Parts:
		out := make([]string, len(x))
		for i, p := range x {
			out[i] = fmt.Sprint(inserted(p, format, sentence))
		}
		return strings.Join(out, "; ")
	case Lines:
		out := make([]string, len(x))
		for i, m := range x {
			out[i] = m.In(format, sentence)
		}
		return strings.Join(out, "\n")
	}
	return a
}

// GermanTexts returns the German text of every message key.
func GermanTexts() map[string]string { return maps.Clone(germanTexts) }

// germanTexts holds the German text of every key a Message may have, by area
// (the mails to participants in offermail_text.go).
var germanTexts = joinTexts(offerMailTexts, bookingTexts, releaseTexts, feedbackTexts, attendanceTexts, map[string]string{
	// Domain errors (Error, see NewError) and the words they insert, by area.
	// Offers, their dates and providers (offer.go, store/offers.go).
	"msg.offer.required":          "Bitte ausfüllen.",
	"msg.offer.too_long":          "Zu lang (höchstens %d Zeichen).",
	"msg.offer.one_line":          "Bitte in einer Zeile.",
	"msg.offer.range":             "Bitte eine ganze Zahl von %d bis %d.",
	"msg.offer.kind":              "Diese Art von Angebot gibt es nicht.",
	"msg.offer.status":            "Diesen Stand eines Angebots gibt es nicht.",
	"msg.offer.date_order":        "Das Ende muss nach dem Beginn liegen.",
	"msg.offer.date_long":         "Ein Termin dauert höchstens %d Stunden.",
	"msg.offer.date_bad":          "Bitte ein Datum wie 31.12.2026 und Uhrzeiten wie 09:30 angeben.",
	"msg.offer.provider_kind":     "Bitte Supervision oder Fortbildung wählen.",
	"msg.offer.fee_unit":          "Bitte pro Stunde oder pro Tag wählen.",
	"msg.offer.money_range":       "Bitte einen Betrag von 0 bis %d € mit höchstens zwei Nachkommastellen.",
	"msg.offer.vat_range":         "Bitte einen Steuersatz von 0 bis 100 %% mit höchstens zwei Nachkommastellen.",
	"msg.offer.not_found":         "Dieses Angebot gibt es in dieser Runde nicht.",
	"msg.offer.date_not_found":    "Diesen Termin gibt es bei diesem Angebot nicht.",
	"msg.offer.provider_missing":  "Diese Anbieterin bzw. diesen Anbieter gibt es nicht.",
	"msg.offer.provider_kind_bad": "Eine Gruppe braucht eine Supervision, eine Fortbildung eine Referentin oder einen Referenten.",
	"msg.offer.kommune_missing":   "Diese Kommune ist nicht in der Gruppe.",
	"msg.offer.kommune_unknown":   "Diese Kommune gibt es nicht.",
	"msg.offer.not_group":         "Das geht nur bei Supervisionsgruppen.",
	"msg.offer.same_group":        "Bitte eine andere Gruppe wählen.",
	"msg.offer.seats_more":        "Die Kommune hat in dieser Gruppe nur %d Plätze.",
	"msg.offer.split_all":         "Bitte nicht alle Kommunen abspalten: mindestens eine bleibt in der Gruppe.",
	"msg.offer.split_none":        "Bitte mindestens eine Kommune zum Abspalten wählen.",
	"msg.offer.stale":             "Die Angebote wurden inzwischen geändert. Bitte prüfen Sie die Änderungen erneut.",
	"msg.offer.no_change":         "Bitte mindestens eine Änderung wählen.",
	"msg.offer.cancelled":         "Dieses Angebot ist abgesagt und kann nicht mehr geändert werden.",
	"msg.offer.date_cancelled":    "Dieser Termin ist bereits abgesagt.",
	"msg.offer.plan_key_taken":    "Aus diesem Teil des Plans gibt es schon ein Angebot.",

	"msg.answer.bad_chars":       "Die Eingabe enthält ungültige Zeichen.",
	"msg.answer.no_choice":       "Diese Auswahl gibt es nicht.",
	"msg.answer.number":          "Bitte eine Zahl eingeben, z. B. 12 oder 1,5.",
	"msg.answer.whole_number":    "Bitte eine ganze Zahl eingeben, z. B. 12.",
	"msg.answer.email":           "Bitte eine E-Mail-Adresse eingeben, z. B. name@kommune.de.",
	"msg.answer.tel":             "Bitte eine Telefonnummer eingeben, z. B. 0511 123456.",
	"msg.answer.integer":         "Bitte eine ganze Zahl eingeben.",
	"msg.answer.min":             "Bitte eine Zahl ab %s eingeben.",
	"msg.answer.max":             "Bitte eine Zahl bis %s eingeben.",
	"msg.answer.yes_no":          "Bitte Ja oder Nein wählen.",
	"msg.answer.date":            "Bitte ein Datum eingeben, z. B. 31.12.2026.",
	"msg.answer.max_length":      "Bitte höchstens %d Zeichen eingeben (jetzt %d).",
	"msg.answer.min_options":     "Bitte mindestens %s Optionen wählen.",
	"msg.answer.max_options":     "Bitte höchstens %s Optionen wählen.",
	"msg.answer.constraint":      "Die Angabe erfüllt die Bedingung nicht.",
	"msg.answer.constraint_text": "%s",
	"msg.answer.required":        "Bitte beantworten Sie diese Frage.",
	"msg.answer.matrix_row":      "Bitte wählen Sie für jede Zeile eine Stufe.",
	"msg.answer.stored_invalid":  "ungültig",
	"msg.answer.bad_revision":    "Ungültiger Bearbeitungsstand.",
	"msg.answer.no_revision":     "Der Bearbeitungsstand fehlt. Bitte laden Sie die Seite neu.",

	// Conditions (ExprError, survey/expr.go): what the parser found is a
	// nested message (msg.expr.tok.*); ids, names, characters and the
	// keywords of the language are as they are written.
	"msg.expr.column":        "Spalte %d: %s",
	"msg.expr.too_long":      "Ausdruck zu lang (mehr als %d Bytes)",
	"msg.expr.utf8":          "ungültige Zeichenkodierung (kein UTF-8)",
	"msg.expr.empty":         "leerer Ausdruck",
	"msg.expr.trailing":      "unerwartet: %s",
	"msg.expr.trailing_join": "unerwartet: %s (fehlt 'and' oder 'or'?)",
	"msg.expr.trailing_case": "unerwartet: %s (bitte klein schreiben: '%s')",
	"msg.expr.dollar":        "'{' nach '$' erwartet (Frageverweise schreiben Sie als ${id})",
	"msg.expr.brace":         "nach '${' fehlt die schließende Klammer '}'",
	"msg.expr.empty_ref":     "leerer Frageverweis '${}'",
	"msg.expr.bad_id":        "ungültige Frage-ID %q",
	"msg.expr.unterminated":  "Text ohne schließendes Anführungszeichen",
	"msg.expr.double_eq":     "bitte '=' zum Vergleichen verwenden, nicht '=='",
	"msg.expr.bang":          "'=' nach '!' erwartet (zum Verneinen schreiben Sie not(...))",
	"msg.expr.amp":           "unerwartetes Zeichen '&' (schreiben Sie 'and')",
	"msg.expr.pipe":          "unerwartetes Zeichen '|' (schreiben Sie 'or')",
	"msg.expr.minus":         "unerwartetes Zeichen '-' (Rechnen wird nicht unterstützt)",
	"msg.expr.char":          "unerwartetes Zeichen %s",
	"msg.expr.number_range":  "Zahl außerhalb des zulässigen Bereichs",
	"msg.expr.no_operand":    "nach '%s' fehlt ein Wert",
	"msg.expr.chained":       "Vergleiche lassen sich nicht verketten; bitte Klammern setzen",
	"msg.expr.empty_parens":  "in '()' fehlt ein Ausdruck",
	"msg.expr.operand_end":   "Wert erwartet, aber der Ausdruck endet hier",
	"msg.expr.operand":       "Wert erwartet, gefunden: %s",
	"msg.expr.function_case": "unbekannte Funktion '%s' (bitte klein schreiben: '%s')",
	"msg.expr.function":      "unbekannte Funktion '%s'",
	"msg.expr.word_ref":      "unerwartetes Wort '%[1]s' (Frageverweise schreiben Sie als ${%[1]s})",
	"msg.expr.word":          "unerwartetes Wort '%s'",
	"msg.expr.not_one":       "not() braucht genau eine Bedingung",
	"msg.expr.paren_close":   "')' erwartet, gefunden: %s",
	"msg.expr.paren_open":    "'(' nach '%s' erwartet, gefunden: %s",
	"msg.expr.comma":         "',' nach dem Frageverweis erwartet, gefunden: %s",
	"msg.expr.first_ref":     "%s() braucht als Erstes einen Frageverweis wie ${q}, gefunden: %s",
	"msg.expr.selected_code": "selected() braucht als Zweites einen Auswahl-Code in Anführungszeichen, gefunden: %s",
	"msg.expr.too_many":      "zu viele Angaben in %s()",
	"msg.expr.too_deep":      "Ausdruck zu tief verschachtelt (mehr als %d Ebenen)",
	"msg.expr.tok.end":       "Ende des Ausdrucks",
	"msg.expr.tok.ref":       "Frageverweis ${%s}",
	"msg.expr.tok.text":      "Text %s",
	"msg.expr.tok.number":    "Zahl '%s'",
	"msg.expr.tok.word":      "Wort '%s'",
	"msg.expr.tok.symbol":    "'%s'",

	// Results and comparisons (analysis.TypeNote, analysis.Comparable): how
	// a question type is counted, why a question is not compared; a question
	// type (Type.Text) is a nested message, a unit is data.
	"msg.results.note_multi":  "Mehrfachnennungen möglich: Anteile bezogen auf die Kommunen mit Antwort.",
	"msg.results.note_matrix": "Je Zeile eine Stufe; Anteile bezogen auf die Kommunen, die die Zeile beantwortet haben.",
	"msg.results.note_items":  "Je Eintrag eine Zahl; Kennzahlen je Eintrag über die Kommunen mit Angabe.",
	"msg.compare.in_neither":  "in keiner der beiden Fassungen",
	"msg.compare.only_b":      "nur in der Fassung der Runde B",
	"msg.compare.only_a":      "nur in der Fassung der Runde A",
	"msg.compare.type":        "Fragetyp geändert (%s → %s)",
	"msg.compare.note":        "Hinweis ohne Antwort",
	"msg.compare.personal":    "personenbezogene Angabe, wird nicht verglichen",
	"msg.compare.text":        "Freitext, wird nicht verglichen",
	"msg.compare.date":        "Datum, wird nicht verglichen",
	"msg.compare.unit":        "Einheit geändert (%s → %s)",
	"msg.compare.no_unit":     "ohne",

	// A Kommune's report of a round (analysis.KommuneReport, report*.go):
	// figures, positions, notes on what is left out and why, the plan part
	// and its cost rules. Counts and thresholds are numbers; a module's
	// label, a Kommune's name and an amount are data.
	"msg.report.not_invited":         "Die Kommune %s ist zu dieser Runde nicht eingeladen.",
	"msg.report.not_submitted":       "Ihre Kommune hat in dieser Runde keine Antworten eingereicht; Ihre eigenen Werte fehlen daher.",
	"msg.report.not_asked":           "Der Fragebogen dieser Runde fragt diese Angabe nicht ab.",
	"msg.report.own_not_answered":    "Ihre Kommune hat diese Angabe nicht gemacht.",
	"msg.report.too_few":             "Der Vergleich entfällt: andere Kommunen mit dieser Angabe: %d; nötig sind mindestens %d, damit keine einzelne Kommune erkennbar ist.",
	"msg.report.pos.below":           "unter dem unteren Quartil der anderen Kommunen",
	"msg.report.pos.within":          "im mittleren Bereich (zwischen unterem und oberem Quartil der anderen Kommunen)",
	"msg.report.pos.above":           "über dem oberen Quartil der anderen Kommunen",
	"msg.report.fig.people_per_fte":  "Betreute Personen je Fachkraft",
	"msg.report.fig.burden":          "Belastung insgesamt",
	"msg.report.fig.group_wish":      "Wunsch nach Gruppensupervision je Fachkraft",
	"msg.report.fig.vacancies":       "Unbesetzte Stellen",
	"msg.report.fig.training":        "Fortbildungswunsch: %s",
	"msg.report.unit.people_per_fte": "Personen je Vollzeitstelle",
	"msg.report.unit.level":          "Stufe von 1 (entspannt) bis 5 (überlastet)",
	"msg.report.unit.per_staff":      "Personen je Fachkraft",
	"msg.report.unit.fte":            "Vollzeitstellen",
	"msg.report.unit.persons":        "Personen",
	"msg.report.def.people_per_fte":  "Betreute Personen (in Gemeinschaftsunterkünften und in Privatwohnungen) geteilt durch die besetzten Vollzeitstellen.",
	"msg.report.def.burden":          "Die angegebene Stufe der Gesamtbelastung.",
	"msg.report.def.group_wish":      "Fachkräfte mit Wunsch nach Gruppensupervision geteilt durch alle Fachkräfte (Personen).",
	"msg.report.def.vacancies":       "Die angegebenen unbesetzten Stellen in Vollzeitäquivalenten.",
	"msg.report.def.training":        "Die angegebene Zahl der Fachkräfte, die an dem Modul teilnehmen möchten.",
	"msg.report.plan_invalid":        "Der maßgebliche Plan hat ungültige Parameter; der Planungsteil entfällt.",
	"msg.report.rule.supervision":    "Supervision als Richtwert je Platz: Kosten einer Gruppe ihrer Art (online oder vor Ort, aus den Planungsparametern) ÷ höchstens %d Personen je Gruppe, mal Ihre Personen in der Gruppe (Ihre Plätze in einer vollen Gruppe).",
	"msg.report.rule.training":       "Fortbildung als Richtwert je Platz: Kosten eines Fortbildungstags (%s €) ÷ höchstens %d Teilnehmende je Tag, mal Ihre Plätze.",
	"msg.report.place.online":        "online",
	"msg.report.place.own":           "in Ihrer Kommune",
	"msg.report.place.neighbour":     "in einer Nachbarkommune (den Ort nennt Ihnen die Koordinierungsstelle)",
	"msg.report.place.named":         "in %s",
	"msg.report.no_group_wish":       "Ihre Kommune hat keinen Wunsch nach Gruppensupervision angegeben.",
	"msg.report.unplaced":            "Personen Ihrer Kommune, die im Plan noch ohne Gruppe sind: %d.",
	"msg.report.no_previous":         "Es gibt keine frühere Runde, in der Ihre Kommune Antworten eingereicht hat.",
	"msg.report.prev_not_asked":      "In der früheren Runde nicht abgefragt.",
	"msg.report.prev_changed":        "Nicht vergleichbar: %s",

	// Question types (Type.Text); a type bedarf does not know is data.
	"msg.type.single_choice":   "Einfachauswahl",
	"msg.type.multiple_choice": "Mehrfachauswahl",
	"msg.type.integer":         "Ganzzahl",
	"msg.type.decimal":         "Dezimalzahl",
	"msg.type.text":            "Kurztext",
	"msg.type.long_text":       "Langtext",
	"msg.type.yes_no":          "Ja/Nein",
	"msg.type.date":            "Datum",
	"msg.type.likert":          "Skala",
	"msg.type.matrix":          "Matrix",
	"msg.type.item_numbers":    "Zahlen je Eintrag",
	"msg.type.note":            "Hinweis",
	"msg.type.unknown":         "%s",

	"msg.legal.chars":    "Der Text enthält unzulässige Zeichen.",
	"msg.legal.lang":     "Unbekannte Sprache.",
	"msg.legal.no_page":  "Diese Seite gibt es nicht.",
	"msg.legal.too_long": "Der Text ist zu lang (%d Zeichen, höchstens %d).",

	"msg.link.invalid": "Dieser Link ist ungültig oder wurde ersetzt.",

	"msg.mail.address_exists":    "Die Adresse %s ist für diese Kommune schon eingetragen.",
	"msg.mail.address_not_found": "Diese Adresse gibt es nicht (mehr).",
	"msg.mail.confirm_checked":   "Bitte bestätigen Sie, dass Sie geprüft haben, dass die Mail nicht angekommen ist. Sonst erhält die Kommune sie womöglich doppelt.",
	"msg.mail.kommune_not_found": "Diese Kommune gibt es nicht.",
	"msg.mail.mark_unclear_only": "Nur eine Mail mit unklarem Ergebnis kann als gesendet markiert werden.",
	"msg.mail.no_contact":        "Die Kommune hat keine Kontaktadresse mehr. Bitte tragen Sie zuerst eine ein.",
	"msg.mail.no_resend":         "Diese Mail ist %s und kann so nicht erneut gesendet werden.",
	"msg.mail.not_found":         "Diese Mail gibt es nicht.",
	"msg.mail.purged":            "Von dieser Mail sind nach Ablauf der Aufbewahrungsfrist nur Art, Stand und Zeitpunkte geblieben. Sie kann nicht erneut gesendet werden.",
	"msg.mail.reminder_open":     "Erinnerungen gehen nur in einer offenen Runde hinaus.",
	"msg.mail.round_closed":      "Die Runde ist geschlossen: Es werden keine Mails mehr verschickt.",
	"msg.mail.texts_changed":     "Die Texte wurden seit der Vorschau geändert. Bitte prüfen Sie die Vorschau noch einmal.",

	"msg.lines": "%s",

	"msg.mail.kind.invitation":          "Einladung",
	"msg.mail.kind.reminder":            "Erinnerung",
	"msg.mail.kind.results":             "Ergebnisse",
	"msg.mail.text.subject_of":          "%s, Betreff",
	"msg.mail.text.line_of":             "%s, Text Zeile %d",
	"msg.mail.text.bad_chars":           "%s: Der Text enthält unzulässige Zeichen.",
	"msg.mail.text.no_subject":          "%s: Bitte geben Sie einen Betreff an.",
	"msg.mail.text.subject_long":        "%s: Der Betreff ist zu lang (%d Zeichen, höchstens %d).",
	"msg.mail.text.body_long":           "%s: Der Text ist zu lang (%d Zeichen, höchstens %d).",
	"msg.mail.text.need_link":           "%s: Der Text muss den Platzhalter {{Link}} enthalten, sonst erreicht die Kommune den Fragebogen nicht.",
	"msg.mail.text.unknown_placeholder": "%s: Unbekannter Platzhalter %s. Möglich sind %s.",
	"msg.mail.text.link_in_subject":     "%s: Der Link darf nicht im Betreff stehen (Betreffzeilen landen in Protokollen von Mailservern).",
	"msg.mail.text.incomplete":          "%s: Ein Platzhalter ist nicht vollständig. Schreiben Sie ihn mit zwei geschweiften Klammern auf jeder Seite, z. B. {{Kommune}}.",
	// Placeholders of the mail texts (MailPlaceholders).
	"msg.mail.ph.kommune":       "die Kommune mit ihrer Art, z. B. „Stadt Musterstadt“",
	"msg.mail.ph.round":         "der Titel der Erhebungsrunde",
	"msg.mail.ph.deadline":      "die Frist der Kommune als Datum, z. B. 24.12.2026 (eine eigene, spätere Frist der Kommune gilt)",
	"msg.mail.ph.questionnaire": "der Titel des Fragebogens",
	"msg.mail.ph.link":          "der persönliche Link der Kommune (nur im Text, nicht im Betreff)",
	"msg.mail.ph.sender":        "die Grußzeile mit Stelle und Behörde, wie unter Einrichtung eingetragen",

	// Why a Kommune gets no mail of a mailing (store.MailTarget.Skip).
	"msg.mail.skip.no_contact": "keine Kontaktadresse",
	"msg.mail.skip.submitted":  "hat eingereicht",
	"msg.mail.skip.no_link":    "kein aktiver Link",
	"msg.mail.skip.today":      "heute schon eine %s erhalten",
	"msg.mail.skip.failed":     "Einladung fehlgeschlagen: bitte im Versandprotokoll erneut senden",
	"msg.mail.skip.invited":    "schon eingeladen (%s)",

	// What retention writes in place of the mail server's answer, by the
	// status the mail had (store.MailRow.Note).
	"msg.mail.purged_queued":  "Nicht gesendet: Die Aufbewahrungsfrist ist abgelaufen; Empfänger, Betreff und Text wurden gelöscht, die Mail wird nicht gesendet.",
	"msg.mail.purged_sending": "Versand unterbrochen, Ergebnis unklar. Die Aufbewahrungsfrist ist abgelaufen; Empfänger, Betreff, Text und Antwort des Mailservers wurden gelöscht, die Mail wird nicht erneut gesendet.",
	"msg.mail.purged_note":    "Empfänger, Betreff, Text und Antwort des Mailservers wurden nach Ablauf der Aufbewahrungsfrist gelöscht; die Mail kann nicht erneut gesendet werden.",

	"msg.mail.auto_days": "Die automatische Erinnerung geht höchstens %d Tage vor der Frist (0 schaltet sie aus).",

	"msg.contact.no_email":       "Bitte geben Sie eine E-Mail-Adresse an.",
	"msg.contact.email_long":     "Die E-Mail-Adresse ist zu lang (höchstens %d Zeichen).",
	"msg.contact.not_single":     "„%s“ ist keine einzelne E-Mail-Adresse (bitte nur die Adresse, z. B. name@kommune.de).",
	"msg.contact.invalid":        "„%s“ ist keine gültige E-Mail-Adresse.",
	"msg.contact.invalid_domain": "„%s“ ist keine gültige E-Mail-Adresse (der Teil nach dem @ muss ein Domainname wie kommune.de sein).",
	"msg.contact.name_long":      "Der Name ist zu lang (höchstens %d Zeichen).",
	"msg.contact.empty_file":     "Die Datei ist leer.",
	"msg.contact.bad_csv":        "Die Zeile ist kein gültiges CSV (%s).",
	"msg.contact.no_key":         "Der Schlüssel der Kommune (AGS) fehlt.",
	"msg.contact.bad_key":        "„%s“ ist kein Gemeindeschlüssel (AGS mit 8 Ziffern oder ARS mit 12 Ziffern).",
	"msg.contact.duplicate":      "Die Adresse %s steht für diese Kommune schon in Zeile %d.",
	"msg.contact.no_addresses":   "Die Datei enthält keine Adressen.",
	"msg.contact.no_kommune":     "Eine Kommune mit dem Schlüssel %s gibt es nicht. Bitte legen Sie sie zuerst unter „Kommunen“ an.",

	"msg.org.office_missing": "Der Name der Stelle fehlt.",
	"msg.org.body_missing":   "Der Name der Behörde fehlt.",
	"msg.org.one_line":       "Stelle und Behörde passen jeweils auf eine Zeile.",
	"msg.org.too_long":       "Jede Angabe zur Organisation hat höchstens %d Zeichen.",

	// Planning parameters (analysis.ParamSpecs, Params.Validate): a
	// whole number's message names its bounds; a decimal's is built of
	// its subject, a form of the verb (…_pl for a plural subject) and the
	// upper bound with its unit. Bounds are written the German way.
	"msg.plan.group_min":        "Die Mindestgröße einer Gruppe muss zwischen %d und %d Personen liegen.",
	"msg.plan.group_max":        "Die Höchstgröße einer Gruppe muss zwischen %d und %d Personen liegen.",
	"msg.plan.group_order":      "Die Höchstgröße einer Gruppe (%d) darf nicht kleiner sein als die Mindestgröße (%d).",
	"msg.plan.sessions":         "Die Sitzungen pro Jahr müssen zwischen %d und %d liegen.",
	"msg.plan.training_max":     "Die Teilnehmenden pro Fortbildungstag müssen zwischen %d und %d liegen.",
	"msg.plan.not_number":       "%s ist keine gültige Zahl.",
	"msg.plan.not_number_pl":    "%s sind keine gültige Zahl.",
	"msg.plan.above":            "%s muss größer als %s und höchstens %s sein.",
	"msg.plan.above_pl":         "%s müssen größer als %s und höchstens %s sein.",
	"msg.plan.between":          "%s muss zwischen %s und %s liegen.",
	"msg.plan.between_pl":       "%s müssen zwischen %s und %s liegen.",
	"msg.plan.subject.radius":   "Der Umkreis für das Poolen",
	"msg.plan.subject.hours":    "Die Dauer einer Sitzung",
	"msg.plan.subject.fee":      "Das Honorar pro Stunde",
	"msg.plan.subject.travel":   "Die Fahrtkosten pro Sitzung",
	"msg.plan.subject.vat":      "Die Umsatzsteuer",
	"msg.plan.subject.day_cost": "Die Kosten pro Fortbildungstag",
	"msg.plan.subject.caseload": "Der Betreuungsschlüssel (Personen pro Vollzeitstelle)",
	"msg.plan.subject.cost_fte": "Die Kosten pro Vollzeitstelle",
	"msg.plan.bound.hours":      "%s Stunden",
	"msg.plan.bound.km":         "%s km",
	"msg.plan.bound.eur":        "%s €",
	"msg.plan.bound.percent":    "%s %%",

	"msg.questionnaire.format":    "unbekanntes Fragebogenformat %q",
	"msg.questionnaire.not_found": "Fragebogen %d gibt es nicht.",

	"msg.response.message_long": "Die Nachricht ist zu lang (höchstens 4.000 Zeichen).",
	"msg.response.need_message": "Bitte schreiben Sie eine Nachricht an die Kommune.",
	"msg.response.not_found":    "Diese Antwort gibt es nicht.",
	"msg.response.not_invited":  "Diese Kommune ist in der Runde nicht eingeladen.",
	"msg.response.reopen_only":  "Nur eingereichte Antworten können wieder geöffnet werden.",
	"msg.response.return_only":  "Nur eingereichte Antworten können zurückgegeben werden.",
	"msg.response.submitted":    "Die Antwort ist bereits eingereicht und kann nicht mehr geändert werden.",

	"msg.retention.audit_min": "Das Änderungsprotokoll muss mindestens %d Tage aufbewahrt werden; die angegebene Frist ist kürzer. Nichts wurde gelöscht.",
	"msg.retention.negative":  "Die Aufbewahrungsfrist darf nicht negativ sein.",

	"msg.round.already":          "Die Runde ist bereits %s.",
	"msg.round.close_open_only":  "Nur eine offene Runde kann geschlossen werden.",
	"msg.round.deadline_before":  "Die Frist darf nicht vor dem Beginn der Runde (%s) liegen.",
	"msg.round.deadline_date":    "Bitte geben Sie die neue Frist als Datum an.",
	"msg.round.deadline_start":   "Die Frist liegt vor dem Beginn.",
	"msg.round.kommune_deadline": "Die Frist für die Kommune muss nach der Frist der Runde (%s) liegen.",
	"msg.round.need_deadline":    "Bitte geben Sie eine neue Frist an.",
	"msg.round.not_accepting":    "Die Runde nimmt keine Antworten mehr an (geschlossen oder Frist abgelaufen); nichts wurde gespeichert.",
	"msg.round.need_title":       "Die Runde braucht einen Titel.",
	"msg.round.none":             "Es gibt noch keine Erhebungsrunde.",
	"msg.round.not_found":        "Diese Erhebungsrunde gibt es nicht.",

	"msg.scenario.decisive":  "Das maßgebliche Szenario kann nicht gelöscht werden. Markieren Sie zuerst ein anderes als maßgeblich.",
	"msg.scenario.exists":    "Ein Szenario %q gibt es in dieser Runde schon.",
	"msg.scenario.name_long": "Der Name des Szenarios ist zu lang (höchstens 80 Zeichen).",
	"msg.scenario.no_name":   "Bitte geben Sie dem Szenario einen Namen.",
	"msg.scenario.not_found": "Dieses Szenario gibt es nicht.",

	"msg.session.expired": "Sitzung abgelaufen.",

	"msg.user.bad_email":  "Die E-Mail-Adresse %q ist ungültig.",
	"msg.user.exists":     "Es gibt schon ein Konto mit der E-Mail-Adresse %s.",
	"msg.user.last_admin": "Das ist das letzte aktive Administrationskonto. Legen Sie zuerst ein weiteres an.",
	"msg.user.no_name":    "Der Name fehlt.",
	"msg.user.not_found":  "Dieses Konto gibt es nicht.",
	"msg.user.password":   "Das Passwort muss mindestens 12 Zeichen haben.",
	"msg.user.role":       "Die Rolle muss admin oder viewer sein.",

	"msg.word.cancelled":  "nicht gesendet",
	"msg.word.closed":     "geschlossen",
	"msg.word.failed":     "fehlgeschlagen",
	"msg.word.invitation": "Einladung",
	"msg.word.reminder":   "Erinnerung",
	"msg.word.results":    "Ergebnismitteilung",
	"msg.word.open":       "offen",
	"msg.word.planned":    "geplant",
	"msg.word.queued":     "wartet auf Versand",
	"msg.word.sending":    "wird gesendet",
	"msg.word.sent":       "gesendet",
	"msg.word.unclear":    "unklar",

	// Places in uploaded files: a sheet and its row.
	"upload.place.sheet_row": "%s, Zeile %d",

	// Any file: a line and its problems.
	"upload.line":    "Zeile %d: %s",
	"upload.too_big": "%s ist größer als %d MB",

	// Text files (Kommunen and contacts CSV): their encoding.
	"upload.text.utf16":    "Die Datei ist als UTF-16 nicht lesbar: %s",
	"upload.text.encoding": "Die Datei ist weder UTF-8 noch Windows-1252: %s",

	// Kommunen files: a line's problems go into upload.line; a key label
	// (AGS, ARS) is the same in every language.
	"upload.kommunen.too_many":           "Zeile %d: Die Datei hat mehr als %d Kommunen (Deutschland hat etwa 10.800 Gemeinden); sie wird nicht weiter gelesen.",
	"upload.kommunen.no_land":            "%s %s ist kein Gemeindeschlüssel (die ersten beiden Ziffern sind das Land, 01 bis 16, dahinter nicht nur Nullen)",
	"upload.kommunen.header_bad":         "Kopfzeile nicht lesbar: %s",
	"upload.kommunen.column_missing":     "Spalte %s fehlt",
	"upload.kommunen.columns_missing":    "Spalten %s fehlen",
	"upload.kommunen.header":             "%s in der Kopfzeile (erwartet: ags;ars;name;kind;lat;lon;population;population_year, gefunden: %s)",
	"upload.kommunen.unreadable":         "nicht lesbar: %s",
	"upload.kommunen.twice":              "%s %s kommt doppelt vor (auch Zeile %d)",
	"upload.kommunen.key_is_ars":         "Schlüssel %s ist auch die ARS der Zeile %d",
	"upload.kommunen.none":               "Die Datei enthält keine Kommunen.",
	"upload.kommunen.digits":             "%s %q hat nicht %d Ziffern",
	"upload.kommunen.digits_sheet":       "%s %q hat nicht %d Ziffern (die Tabellenkalkulation hat den Schlüssel wohl als Zahl formatiert: Spalte als Text formatieren)",
	"upload.kommunen.no_key":             "AGS fehlt (Gemeindeverbände ohne eigenen AGS, etwa Samtgemeinden, brauchen die ARS in der Spalte ars)",
	"upload.kommunen.ars_mismatch":       "ARS %s passt nicht zum AGS %s",
	"upload.kommunen.no_name":            "Name fehlt",
	"upload.kommunen.name_long":          "Name ist länger als %d Zeichen",
	"upload.kommunen.kind_long":          "Art (kind) ist länger als %d Zeichen",
	"upload.kommunen.lat":                "Breitengrad (lat)",
	"upload.kommunen.lon":                "Längengrad (lon)",
	"upload.kommunen.coordinate_missing": "%s fehlt",
	"upload.kommunen.coordinate":         "%s %q ist keine Zahl zwischen -%d und %d",
	"upload.kommunen.population":         "Einwohnerzahl %q ist keine ganze Zahl ab 0",
	"upload.kommunen.population_year":    "Jahr der Einwohnerzahl %q ist keine Jahreszahl",
	"upload.kommunen.ars_taken":          "ARS %s von %s gehört schon zur gespeicherten Kommune %s (%s)",

	// Boundary files (MatchBoundaries, analysis.ParseRegionGeoJSON and
	// analysis.ImportBoundaries); a feature is upload.bounds.feature(_of).
	"upload.bounds.no_kommunen":    "Es sind noch keine Kommunen gespeichert: bitte zuerst die Kommunen importieren.",
	"upload.bounds.not_geojson":    "Die Datei ist kein GeoJSON: %s",
	"upload.bounds.not_collection": "GeoJSON: erwartet wird eine FeatureCollection, gefunden %q",
	"upload.bounds.feature":        "Objekt %d",
	"upload.bounds.feature_of":     "Objekt %d (%s)",
	"upload.bounds.unreadable":     "%s: nicht lesbar: %s",
	"upload.bounds.no_area":        "%s: ohne Fläche",
	"upload.bounds.no_match":       "%s: keine Kommune mit diesem Schlüssel",
	"upload.bounds.no_key":         "%s: ohne Schlüssel (Eigenschaft \"ags\" oder \"ars\")",
	"upload.bounds.none_fits":      "Keine Fläche der Datei passt zu einer gespeicherten Kommune (verglichen werden die Eigenschaften \"ags\"/\"AGS\" und \"ars\"/\"ARS\").",
	"upload.bounds.more":           "… und %d weitere",
	"upload.bounds.cannot_read":    "GeoJSON kann nicht gelesen werden: %s",
	"upload.bounds.feature_read":   "GeoJSON: Objekt %d kann nicht gelesen werden: %s",
	"upload.bounds.feature_no_ags": "GeoJSON: Objekt %d (%s) hat keinen Gemeindeschlüssel (Eigenschaft \"ags\")",
	"upload.bounds.no_name":        "ohne Namen",
	"upload.bounds.feature_bad":    "GeoJSON: Objekt %d (%s, %s): %s",
	"upload.bounds.no_areas":       "GeoJSON enthält keine Flächen",
	"upload.bounds.polygon":        "ungültige Polygon-Koordinaten: %s",
	"upload.bounds.multipolygon":   "ungültige MultiPolygon-Koordinaten: %s",
	"upload.bounds.geometry":       "Geometrietyp %q wird nicht unterstützt (nur Polygon und MultiPolygon)",
	"upload.bounds.no_ring":        "Polygon ohne Ring",
	"upload.bounds.position":       "ungültige Position %s (erwartet Länge, Breite in WGS84)",
	"upload.bounds.short_ring":     "Ring mit weniger als drei Punkten",

	// YAML questionnaires: the decoder's errors in words of the format.
	"upload.yaml.type":           "erwartet wird %s, gefunden %s",
	"upload.yaml.type_value":     "erwartet wird %s, gefunden %s: „%s“",
	"upload.yaml.unknown_key":    "unbekannter Schlüssel „%s“",
	"upload.yaml.unreadable":     "YAML nicht lesbar: %s",
	"upload.yaml.syntax":         "YAML nicht lesbar (%s)",
	"upload.yaml.syntax.mapping": "YAML nicht lesbar: hier ist kein „Schlüssel: Wert“ möglich (Einrückung prüfen; ein Text mit Doppelpunkt braucht Anführungszeichen)",
	"upload.yaml.syntax.key":     "YAML nicht lesbar: die Einrückung passt nicht zu den Zeilen davor",
	"upload.yaml.syntax.token":   "YAML nicht lesbar: ein Zeichen, mit dem nichts beginnen kann (Tabulator statt Leerzeichen?)",
	"upload.yaml.syntax.end":     "YAML nicht lesbar: die Datei endet mitten in einem Wert (fehlt ein schließendes Anführungszeichen?)",
	"upload.yaml.syntax.colon":   "YAML nicht lesbar: ein Doppelpunkt fehlt",
	"upload.yaml.kind.list":      "eine Liste",
	"upload.yaml.kind.map":       "eine Zuordnung (Schlüssel: Wert)",
	"upload.yaml.kind.text":      "ein Text",
	"upload.yaml.kind.number":    "eine Zahl",
	"upload.yaml.kind.bool":      "true oder false",
	"upload.yaml.kind.null":      "nichts",
	"upload.yaml.kind.unknown":   "ein anderer Wert",
	"upload.yaml.want.choice":    "eine Auswahl (value und label)",
	"upload.yaml.want.choices":   "eine Liste von Auswahlen (je value und label)",
	"upload.yaml.want.integer":   "eine ganze Zahl",
	"upload.yaml.want.question":  "eine Frage (Schlüssel: Wert)",
	"upload.yaml.want.questions": "eine Liste von Fragen",
	"upload.yaml.want.section":   "ein Abschnitt (Schlüssel: Wert)",
	"upload.yaml.want.sections":  "eine Liste von Abschnitten",
	"upload.yaml.want.lists":     "Listen (Name: Liste von Auswahlen)",
	"upload.yaml.want.unknown":   "ein anderer Wert",

	// Questionnaire files.
	"upload.xls.old_format":         "%s ist eine Excel-Arbeitsmappe im alten Format (.xls): bitte in Excel oder LibreOffice „Speichern unter“ als Excel-Arbeitsmappe (.xlsx) wählen und diese Datei hochladen.",
	"upload.xls.ods":                "%s ist eine LibreOffice-Tabelle (.ods): bitte „Speichern unter“ als Excel 2007-365 (.xlsx) wählen und diese Datei hochladen.",
	"upload.xls.only_sheet":         "Die Arbeitsmappe hat nur das Blatt %s; es wird als Blatt survey gelesen.",
	"upload.xls.meta_ignored":       "%s, Zeile %d: Typ %s (Gerätedaten) wird ignoriert; bedarf zeichnet Zeit und Bearbeitende selbst auf.",
	"upload.xls.renamed":            "%s, Zeile %d: Name %q heißt in bedarf %q (Bindestrich und Punkt sind in Frage-IDs nicht möglich).",
	"upload.def.too_many_questions": "Der Fragebogen hat %d Fragen, höchstens %d sind möglich.",
	"upload.def.form_too_big":       "Das Formular des Fragebogens würde etwa %d MB groß, höchstens %d MB sind möglich: bitte Texte kürzen oder den Fragebogen teilen.",
	"upload.xlsx.unzipped":          "Datei ist entpackt größer als %d MB",
	"upload.xlsx.corrupt_part":      "Datei nicht lesbar: Teil %s der Arbeitsmappe ist beschädigt (Größe oder Prüfsumme stimmt nicht)",

	// Questionnaire definitions (survey/questionnaire.go): the builder's checks and YAML's shapes.
	"upload.def.yaml_mapping":     "Zeile %d: eine Frage muss eine Zuordnung (Schlüssel: Wert) sein",
	"upload.def.yaml_unknown_key": "Zeile %d: unbekannter Schlüssel %q",
	"upload.def.choices_scale":    "choices und scale schließen sich aus",
	"upload.def.items_rows":       "items und rows schließen sich aus",
	"upload.def.list_undefined":   "%s: Liste %q ist nicht unter lists definiert",
	"upload.def.list_expected":    "%s: erwartet einen Listennamen oder eine Liste",
	"upload.def.list_unreadable":  "%s: %s",
	"upload.def.section_id":       "Abschnitts-ID %q ist ungültig (Buchstaben, Ziffern, _)",
	"upload.def.section_title":    "Abschnitt %q hat keinen Titel",
	"upload.def.section_twice":    "Abschnitts-ID %q kommt doppelt vor",
	"upload.def.no_id":            "Frage ohne id",
	"upload.def.bad_id":           "Frage-ID %q ist ungültig (Buchstabe oder _, dann Buchstaben, Ziffern, _; höchstens 64 Zeichen)",
	"upload.def.id_twice":         "Frage-ID %q kommt doppelt vor (zuerst %s)",
	"upload.def.unknown_type":     "Frage %q: unbekannter Typ %q (erlaubt: %s)",
	"upload.def.no_label":         "Frage %q hat keinen Text (label)",
	"upload.def.needs_choices":    "Frage %q (%s) braucht eine nicht leere Auswahlliste",
	"upload.def.no_choices":       "Frage %q (%s) hat keine Auswahlliste",
	"upload.def.needs_items":      "Frage %q (%s) braucht Einträge (rows/items)",
	"upload.def.no_items":         "Frage %q (%s) hat keine Einträge (rows/items)",
	"upload.def.bad_code":         "Frage %q: %s-Code %q ist ungültig (Buchstaben, Ziffern, _ . -)",
	"upload.def.code_twice":       "Frage %q: %s-Code %q kommt doppelt vor",
	"upload.def.code_no_label":    "Frage %q: %s %q hat keinen Text",
	"upload.def.what.choice":      "Auswahl",
	"upload.def.what.item":        "Eintrag",
	"upload.def.min_max":          "Frage %q: min (%g) ist größer als max (%g)",
	"upload.def.min_max_type":     "Frage %q (%s): min/max gelten nur für Zahlen und Mehrfachauswahl",
	"upload.def.note_required":    "Hinweis %q kann nicht Pflicht sein",
	"upload.def.unknown_format":   "Frage %q: format %q gibt es nicht (möglich: %s)",
	"upload.def.format_text_only": "Frage %q (%s): format gilt nur für Fragen vom Typ text",
	"upload.def.max_length":       "Frage %q: max_length %d ist zu groß (höchstens %d Zeichen)",
	"upload.def.condition":        "Frage %q: %s %q: %s",
	"upload.def.refers_self":      "Frage %q: %s verweist auf die Frage selbst",
	"upload.def.refers_unknown":   "Frage %q: %s verweist auf ${%s}, die es davor nicht gibt",
	"upload.def.refers_no_value":  "Frage %q: %s verweist auf ${%s} (%s), die keinen einzelnen Wert hat",
	"upload.def.no_title":         "der Fragebogen hat keinen Titel (title)",
	"upload.def.no_questions":     "der Fragebogen enthält keine Fragen",

	// XLSForm workbooks (survey/xlsform.go): the file, its sheets and rows.
	"upload.xls.unreadable":              "Datei nicht lesbar: %s",
	"upload.xls.damaged":                 "Datei nicht lesbar: beschädigte Arbeitsmappe (%s)",
	"upload.xls.not_xlsx":                "Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx): %s",
	"upload.xls.no_survey":               "Blatt survey fehlt (gefunden: %s)",
	"upload.xls.sheet_unreadable":        "Blatt nicht lesbar: %s",
	"upload.xls.row_unreadable":          "Zeile nicht lesbar: %s",
	"upload.xls.columns":                 "mehr als %d Spalten",
	"upload.xls.rows":                    "Blatt hat mehr als %d Zeilen",
	"upload.xls.sheet_empty":             "Blatt ist leer",
	"upload.xls.column_missing":          "Spalte %s fehlt",
	"upload.xls.column_refused":          "Spalte %q wird nicht unterstützt (%s)",
	"upload.xls.form_id":                 "form_id %q ist ungültig (Buchstaben, Ziffern, _ . -; höchstens 64 Zeichen)",
	"upload.xls.piped":                   "%s %q enthält ${…}: Antworten im Text einsetzen wird nicht unterstützt",
	"upload.xls.text.choice":             "Text der Auswahl",
	"upload.xls.text.group":              "Text der Gruppe",
	"upload.xls.text.question":           "Text der Frage",
	"upload.xls.text.hint":               "Hinweis",
	"upload.xls.text.constraint_message": "constraint_message",
	"upload.xls.no_list_name":            "Auswahl ohne list_name",
	"upload.xls.no_name":                 "Liste %q: Auswahl ohne name",
	"upload.xls.bad_code":                "Liste %q: Auswahl-Code %q ist ungültig (Buchstaben, Ziffern, _ . -; höchstens 64 Zeichen)",
	"upload.xls.code_twice":              "Liste %q: Auswahl-Code %q kommt doppelt vor (zuerst Zeile %d)",
	"upload.xls.no_label":                "Liste %q: Auswahl %q hat keinen Text (label)",
	"upload.xls.no_type":                 "Zeile ohne Typ (type)",
	"upload.xls.type_refused":            "Typ %q wird nicht unterstützt (%s)",
	"upload.xls.type_unknown":            "Typ %q ist unbekannt (unterstützt: %s)",
	"upload.xls.supported":               "select_one LISTE, select_multiple LISTE, integer, decimal, text, note, date, begin_group, end_group",
	"upload.xls.group_open":              "Gruppe %q wird nicht geschlossen (end_group fehlt)",
	"upload.xls.group_no_name":           "Gruppe ohne name",
	"upload.xls.group_required":          "Gruppe %q: required gilt nicht für Gruppen",
	"upload.xls.group_constraint":        "Gruppe %q: constraint gilt nicht für Gruppen",
	"upload.xls.group_condition":         "Gruppe %q: relevant %q: %s",
	"upload.xls.group_unknown":           "Gruppe %q: relevant verweist auf ${%s}, die es davor nicht gibt",
	"upload.xls.group_no_value":          "Gruppe %q: relevant verweist auf ${%s} (%s), die keinen einzelnen Wert hat",
	"upload.xls.end_group":               "end_group ohne begin_group",
	"upload.xls.end_repeat":              "%q ohne passenden Anfang",
	"upload.xls.end_mismatch":            "%q schließt nicht die zuletzt geöffnete %s %q (%s)",
	"upload.xls.kind.group":              "Gruppe",
	"upload.xls.kind.repeat":             "Wiederholung",
	"upload.xls.required":                "Frage %q: required %q: nur yes oder no (bedingte Pflichtangaben werden nicht unterstützt)",
	"upload.xls.no_list":                 "Frage %q: Typ %q nennt keine Auswahlliste",
	"upload.xls.list_no_sheet":           "Frage %q: Auswahlliste %q fehlt (kein Blatt choices)",
	"upload.xls.list_missing":            "Frage %q: Auswahlliste %q gibt es im Blatt choices nicht",

	// Why XLSForm columns and types are refused (xlsRefusedCols, xlsRefusedTypes).
	"upload.xls.why.filtered":    "gefilterte Auswahllisten",
	"upload.xls.why.calc":        "Berechnungen",
	"upload.xls.why.defaults":    "Vorgabewerte",
	"upload.xls.why.read_only":   "schreibgeschützte Felder",
	"upload.xls.why.trigger":     "Auslöser",
	"upload.xls.why.repeats":     "Wiederholungsgruppen",
	"upload.xls.why.media":       "Bilder, Ton und Video",
	"upload.xls.why.xform":       "XForm-Attribute",
	"upload.xls.why.hidden":      "versteckte Felder",
	"upload.xls.why.geo":         "Ortsangaben",
	"upload.xls.why.device_geo":  "Ortsangaben; zeichnet den Standort des Geräts auf",
	"upload.xls.why.osm":         "OpenStreetMap-Karten",
	"upload.xls.why.range":       "Schieberegler",
	"upload.xls.why.rank":        "Rangfolgen",
	"upload.xls.why.capture":     "Datei- und Medienaufnahmen",
	"upload.xls.why.barcode":     "Barcode-Scan",
	"upload.xls.why.acknowledge": "Bestätigungsfelder",
	"upload.xls.why.time":        "Uhrzeiten; nur date wird unterstützt",
	"upload.xls.why.phone":       "Telefonnummer mit Ziffernprüfung; bitte als text anlegen",
	"upload.xls.why.external":    "externe Daten",
	"upload.xls.why.ext_lists":   "externe Auswahllisten",
	"upload.xls.why.file_lists":  "Auswahllisten aus Dateien",
	"upload.xls.why.or_other":    "Auswahl „Sonstiges“ mit Freitext; bitte eine Auswahl other und eine eigene text-Frage mit relevant anlegen",
})

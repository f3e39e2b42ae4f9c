package survey

// What an offer covers (issue 20, item 5): a text per offer, one point per
// line, printed on the attendance certificates. Offers made from the plan
// take the default of their module (training) or of supervision (groups);
// staff edit it on the offer's page. Migration 0025 fills the same
// defaults into offers made before it (a test keeps the two equal).

import (
	"strings"
	"unicode/utf8"
)

// MaxOfferContent bounds an offer's content text in each language
// (characters).
const MaxOfferContent = 2000

// MaxOfferContentLines bounds the lines (points) of a content text.
const MaxOfferContentLines = 12

// OfferContent is what an offer covers, in German (Content, shown by
// default) and English (ContentEN, for the English pages; empty: the
// German text is shown, marked as German).
type OfferContent struct {
	Content, ContentEN string
}

// defaultContents are the content texts of the training modules of the
// default questionnaire (survey/defaults/fragebogen.yaml, question
// fortbildung_teilnehmende) by module id, and of supervision groups
// (key "group").
var defaultContents = map[string]OfferContent{
	"asylrecht": {
		Content: lines(
			"Ablauf des Asylverfahrens und Zuständigkeiten von BAMF, Ausländerbehörde und Verwaltungsgericht",
			"Aufenthaltsgestattung, Duldung und Aufenthaltserlaubnis und die Rechte, die an sie geknüpft sind",
			"Schutzformen: Asylberechtigung, Flüchtlingsschutz, subsidiärer Schutz, Abschiebungsverbote",
			"Bescheide, Fristen und Rechtsmittel: worauf in der Beratung zu achten ist",
			"Grenzen der Beratung nach dem Rechtsdienstleistungsgesetz und Verweis an Fachberatungsstellen"),
		ContentEN: lines(
			"The asylum procedure and the roles of the Federal Office (BAMF), the foreigners authority and the administrative court",
			"Permission to reside, toleration (Duldung) and residence permits, and the rights attached to them",
			"Forms of protection: asylum, refugee protection, subsidiary protection, bans on deportation",
			"Decisions, deadlines and legal remedies: what to look out for in counselling",
			"The limits of counselling under the Legal Services Act and referral to specialist advice services"),
	},
	"ausbildung_arbeit": {
		Content: lines(
			"Zugang zum Arbeitsmarkt nach Aufenthaltsstatus: Beschäftigungserlaubnis, Zustimmung der Bundesagentur für Arbeit, Beschäftigungsverbote",
			"Ausbildungsduldung und Beschäftigungsduldung: Voraussetzungen und Antrag",
			"Anerkennung ausländischer Berufs- und Studienabschlüsse",
			"Förderung durch Agentur für Arbeit und Jobcenter, Integrations- und Berufssprachkurse",
			"Zusammenarbeit mit Betrieben, Kammern und Beratungsstellen"),
		ContentEN: lines(
			"Access to the labour market by residence status: work permission, approval of the Federal Employment Agency, bans on employment",
			"Toleration for training and for employment (Ausbildungs- and Beschäftigungsduldung): conditions and application",
			"Recognition of foreign vocational and academic qualifications",
			"Support from the employment agency and the job centre, integration and vocational language courses",
			"Working with employers, chambers and advice services"),
	},
	"gesundheit": {
		Content: lines(
			"Gesundheitsversorgung nach dem Asylbewerberleistungsgesetz (§§ 4 und 6 AsylbLG) und Übergang in die gesetzliche Krankenversicherung",
			"Erstuntersuchung, Impfangebote und die Aufgaben des Gesundheitsamts",
			"Infektionsschutz in Gemeinschaftsunterkünften: Hygiene, Meldepflichten nach dem Infektionsschutzgesetz, Vorgehen bei Ausbrüchen",
			"Sprachmittlung im Gesundheitswesen und Schweigepflicht",
			"Eigenschutz der Fachkräfte"),
		ContentEN: lines(
			"Health care under the Asylum Seekers' Benefits Act (sections 4 and 6 AsylbLG) and the move into statutory health insurance",
			"Initial medical examination, vaccination and the tasks of the public health office",
			"Infection control in shared accommodation: hygiene, notification duties under the Infection Protection Act, handling outbreaks",
			"Language mediation in health care and confidentiality",
			"Protecting staff themselves"),
	},
	"trauma": {
		Content: lines(
			"Traumafolgen erkennen: Belastungsreaktionen, Posttraumatische Belastungsstörung, Anzeichen bei Kindern und Jugendlichen",
			"Stabilisierende Haltung und Gesprächsführung im Beratungsalltag",
			"Grenzen der eigenen Rolle und Verweis an psychosoziale Zentren und Psychotherapie",
			"Selbstfürsorge und Schutz vor Sekundärtraumatisierung"),
		ContentEN: lines(
			"Recognising the effects of trauma: stress reactions, post-traumatic stress disorder, signs in children and young people",
			"A stabilising attitude and conversation in everyday counselling",
			"The limits of one's own role and referral to psychosocial centres and psychotherapy",
			"Self-care and protection against secondary traumatisation"),
	},
	"group": {
		Content: lines(
			"Fallbesprechungen aus der Flüchtlingssozialarbeit",
			"Reflexion der eigenen Rolle, von Nähe und Distanz und von Belastungen im Arbeitsalltag",
			"Kollegiale Beratung und Austausch zwischen den Kommunen",
			"Entlastung und Vorbeugung von Überlastung"),
		ContentEN: lines(
			"Case discussions from social work with refugees",
			"Reflecting on one's own role, on closeness and distance and on the strains of daily work",
			"Peer consultation and exchange between the municipalities",
			"Relief and prevention of overload"),
	},
}

func lines(ls ...string) string { return strings.Join(ls, "\n") }

// DefaultOfferContent returns the default content text of an offer: of its
// module for training (empty for modules other than the default
// questionnaire's), of supervision for groups.
func DefaultOfferContent(kind OfferKind, moduleID string) OfferContent {
	if kind == OfferGroup {
		return defaultContents["group"]
	}
	return defaultContents[moduleID]
}

// DefaultContentModules returns the module ids with a default content text.
func DefaultContentModules() []string {
	return []string{"asylrecht", "ausbildung_arbeit", "gesundheit", "trauma"}
}

// Points returns the content text's lines without empty ones, as the
// certificate lists them.
func Points(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// checkContent cleans a content text (direction overrides dropped, line
// ends the Unix way, each line trimmed, empty lines dropped, a leading
// bullet "-", "•" or "*" dropped) and refuses it when longer than
// MaxOfferContent or MaxOfferContentLines; field names the form field.
func checkContent(s, field string) (string, error) {
	s = SafeText(s)
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var out []string
	for _, l := range Points(s) {
		for _, b := range []string{"- ", "• ", "* ", "–\u00a0", "– "} {
			l = strings.TrimSpace(strings.TrimPrefix(l, b))
		}
		if l != "" {
			out = append(out, l)
		}
	}
	s = strings.Join(out, "\n")
	switch {
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxOfferContent:
		return "", NewError(EInvalid, "msg.offer.content_long", MaxOfferContent).At(field)
	case len(out) > MaxOfferContentLines:
		return "", NewError(EInvalid, "msg.offer.content_lines", MaxOfferContentLines).At(field)
	}
	return s, nil
}

// Normalize cleans both texts (see checkContent); the error names the form
// field ("inhalt", "inhalt_en").
func (c *OfferContent) Normalize() error {
	var err error
	if c.Content, err = checkContent(c.Content, "inhalt"); err != nil {
		return err
	}
	c.ContentEN, err = checkContent(c.ContentEN, "inhalt_en")
	return err
}

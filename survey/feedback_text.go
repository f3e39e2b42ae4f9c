package survey

// feedbackTexts are the German texts of the anonymous feedback's messages
// (feedback.go, store/feedback.go); the catalogue
// (cmd/bedarf/internal/i18n/catalog_feedback.go) holds them in German and
// English.
var feedbackTexts = map[string]string{
	"msg.feedback.unknown":         "Diesen Code gibt es nicht. Bitte prüfen Sie ihn auf Tippfehler (zwölf Zeichen, z. B. 7KQ2-MX9D-4TRB).",
	"msg.feedback.used":            "Mit diesem Code wurde schon eine Rückmeldung gegeben. Jeder Code gilt nur einmal.",
	"msg.feedback.not_training":    "Feedback-Codes gibt es nur für stattfindende Fortbildungstermine.",
	"msg.feedback.not_over":        "Der Termin ist noch nicht vorbei. Feedback-Codes gibt es erst danach.",
	"msg.feedback.issued":          "Für diesen Termin wurden die Feedback-Codes schon ausgegeben.",
	"msg.feedback.no_participants": "Für diesen Termin ist niemand angemeldet.",
}

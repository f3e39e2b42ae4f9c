package i18n

// The anonymous feedback on training dates (survey/feedback.go,
// store/feedback.go) and its domain messages.
var _ = add(map[string]entry{
	"msg.feedback.unknown":         {"Diesen Code gibt es nicht. Bitte prüfen Sie ihn auf Tippfehler (zwölf Zeichen, z. B. 7KQ2-MX9D-4TRB).", "This code does not exist. Please check it for typos (twelve characters, e.g. 7KQ2-MX9D-4TRB)."},
	"msg.feedback.used":            {"Mit diesem Code wurde schon eine Rückmeldung gegeben. Jeder Code gilt nur einmal.", "Feedback has already been given with this code. Each code works only once."},
	"msg.feedback.not_training":    {"Feedback-Codes gibt es nur für stattfindende Fortbildungstermine.", "Feedback codes exist only for training dates that take place."},
	"msg.feedback.not_over":        {"Der Termin ist noch nicht vorbei. Feedback-Codes gibt es erst danach.", "The date is not over yet. Feedback codes are issued only afterwards."},
	"msg.feedback.issued":          {"Für diesen Termin wurden die Feedback-Codes schon ausgegeben.", "The feedback codes for this date have already been issued."},
	"msg.feedback.no_participants": {"Für diesen Termin ist niemand angemeldet.", "Nobody is booked on this date."},
})

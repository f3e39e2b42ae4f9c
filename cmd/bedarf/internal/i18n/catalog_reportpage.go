package i18n

// The results released to the Kommunen (issue 22): the staff's release
// page, the preview, the Kommune's page "Ihre Ergebnisse", its print view,
// the results mail and the audit log's actions (web/report*.go,
// templates/report*.html, survey/release.go).
var _ = add(map[string]entry{
	// Keyed domain messages.
	"msg.release.min_group":         {"Die Mindestgruppengröße muss eine ganze Zahl von %d bis %d sein.", "The minimum group size must be a whole number from %d to %d."},
	"msg.release.planned":           {"Die Runde ist noch geplant: Ohne Antworten gibt es keine Ergebnisse freizugeben.", "The round is still planned: without answers there are no results to release."},
	"msg.release.not_released":      {"Die Ergebnisse dieser Runde sind nicht freigegeben.", "The results of this round are not released."},
	"msg.mail.kind.results":         {"Ergebnisse", "Results"},
	"msg.word.results":              {"Ergebnismitteilung", "results notice"},
	"enum.mail_kind.results":        {"Ergebnisse", "Results"},
	"enum.mail_kind_plural.results": {"Ergebnismitteilungen", "Results notices"},

	// The audit log.
	"audit.action.results.all":      {"Ergebnisse: alle Vorgänge", "Results: all events"},
	"audit.action.results.release":  {"Ergebnisse freigegeben", "Results released"},
	"audit.action.results.withdraw": {"Freigabe zurückgenommen", "Release withdrawn"},
	"audit.action.results.open":     {"Ergebnisse geöffnet", "Results opened"},
})

package i18n

// The audit log's names of the offers' actions (issue 20): offers and
// providers (survey/store/offers.go), attendance, feedback and the
// participants' retention.
var _ = add(map[string]entry{
	"audit.action.offer.all":              {"Angebote: alle Änderungen", "Offers: all changes"},
	"audit.action.offer.plan":             {"Angebote aus dem Plan übernommen", "Offers taken from the plan"},
	"audit.action.offer.create":           {"Angebot angelegt", "Offer created"},
	"audit.action.offer.update":           {"Angebot geändert", "Offer changed"},
	"audit.action.offer.move":             {"Plätze in eine andere Gruppe verschoben", "Seats moved to another group"},
	"audit.action.offer.split":            {"Gruppe geteilt", "Group split"},
	"audit.action.offer.merge":            {"Gruppen zusammengelegt", "Groups merged"},
	"audit.action.offer.date.add":         {"Termin hinzugefügt", "Date added"},
	"audit.action.offer.date.update":      {"Termin geändert", "Date changed"},
	"audit.action.offer.date.cancel":      {"Termin abgesagt", "Date cancelled"},
	"audit.action.offer.date.reserve":     {"Plätze für eine Kommune reserviert", "Places reserved for a municipality"},
	"audit.action.provider.save":          {"Anbieter gespeichert", "Provider saved"},
	"audit.action.attendance.mark":        {"Anwesenheit erfasst", "Attendance recorded"},
	"audit.action.feedback.all":           {"Feedback: alle Änderungen", "Feedback: all changes"},
	"audit.action.feedback.issue":         {"Feedback-Codes ausgegeben", "Feedback codes issued"},
	"audit.action.feedback.mail":          {"Feedback-Codes per Mail gesendet", "Feedback codes sent by mail"},
	"audit.action.retention.participants": {"Daten von Teilnehmenden gelöscht (Aufbewahrungsfrist)", "Participants' data erased (retention period)"},
})

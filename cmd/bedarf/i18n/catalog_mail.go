package i18n

// Mail pages (templates/mail*.html, mail_pages.go) and the mail parts of other pages.
var _ = add(map[string]entry{
	"mail.log_unreadable": {"Das Versandprotokoll ist gerade nicht lesbar.", "The send log cannot be read at the moment."},
	"mail.col.queued":     {"Vorgemerkt", "Queued"},
	"mail.col.kind":       {"Art", "Kind"},
	"mail.col.to":         {"An", "To"},
	"mail.col.answer":     {"Antwort des Mailservers", "Mail server's answer"},
	"mail.col.action":     {"Aktion", "Action"},
	"mail.automatic":      {"(automatisch)", "(automatic)"},
	"mail.resend":         {"Erneut senden", "Send again"},
	"mail.arrived":        {"Ist angekommen", "Has arrived"},
	"mail.not_arrived":    {"nicht angekommen (geprüft)", "did not arrive (checked)"},
})

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

// The staff's release page (templates/report_release.html).
var _ = add(map[string]entry{
	"release.title":              {"Ergebnisse für die Kommunen: %s", "Results for the municipalities: %s"},
	"release.confirm.title":      {"Ergebnisse freigeben: %s", "Release the results: %s"},
	"release.withdraw.title":     {"Freigabe zurücknehmen: %s", "Withdraw the release: %s"},
	"release.back":               {"Runde verwalten", "Manage the round"},
	"release.admin_only":         {"Nur die Administration kann Ergebnisse freigeben oder die Freigabe zurücknehmen.", "Only administrators can release results or withdraw a release."},
	"release.intro":              {"Nach der Freigabe sieht jede eingeladene Kommune über ihren persönlichen Link „Ihre Ergebnisse“: ihre eigenen Kennzahlen neben dem unteren Quartil, dem Median und dem oberen Quartil der anderen Kommunen, ihren Teil der maßgeblichen Planung und die Veränderung seit ihrer vorigen Runde. Angaben anderer Kommunen erscheinen nur zusammengefasst über mindestens so viele Kommunen wie unten eingestellt, nie einzeln; Freitexte anderer Kommunen nie.", "After the release every invited municipality sees “Your results” on its personal link: its own key figures beside the lower quartile, median and upper quartile of the other municipalities, its part of the decisive plan and its change since its previous round. Other municipalities' figures appear only aggregated over at least as many municipalities as set below, never singly; other municipalities' free texts never."},
	"release.state.released":     {"Freigegeben am %s von %s.", "Released on %s by %s."},
	"release.state.options":      {"Mindestgruppe: %d Kommunen.", "Minimum group: %d municipalities."},
	"release.state.not_released": {"Die Ergebnisse sind nicht freigegeben: Die Kommunen sehen auf ihrem Link „noch nicht freigegeben“.", "The results are not released: the municipalities see “not released yet” on their link."},
	"release.do":                 {"Ergebnisse freigeben", "Release the results"},
	"release.change":             {"Einstellungen der Freigabe ändern", "Change the release's settings"},
	"release.min_group":          {"Mindestgruppengröße", "Minimum group size"},
	"release.min_group.help":     {"Vergleichswerte anderer Kommunen nur über mindestens so viele Kommunen (%d bis %d). Bei weniger wird der Vergleich mit einem Hinweis weggelassen.", "Comparison figures of other municipalities only over at least this many municipalities (%d to %d). With fewer, the comparison is left out with a note."},
	"release.min_group.value":    {"%s Kommunen", "%s municipalities"},
	"release.members":            {"Namen der Gruppenmitglieder", "Names of group members"},
	"release.members.label":      {"Kommunen sehen die Namen der anderen Kommunen in ihrer Supervisionsgruppe", "Municipalities see the names of the other municipalities in their supervision group"},
	"release.members.yes":        {"Die Namen der anderen Kommunen einer Supervisionsgruppe werden gezeigt.", "The names of the other municipalities of a supervision group are shown."},
	"release.members.no":         {"Die Namen der anderen Kommunen einer Supervisionsgruppe werden nicht gezeigt, nur ihre Zahl.", "The names of the other municipalities of a supervision group are not shown, only their number."},
	"release.next":               {"Weiter zur Bestätigung", "Continue to confirmation"},
	"release.confirm.what":       {"Bitte prüfen Sie die Einstellungen. Nach der Freigabe sehen alle eingeladenen Kommunen ihre Ergebnisse sofort über ihren Link; eine Mail geht erst hinaus, wenn Sie sie danach verschicken.", "Please check the settings. After the release all invited municipalities see their results on their link at once; a mail goes out only when you send it afterwards."},
	"release.confirm.yes":        {"Jetzt freigeben", "Release now"},
	"release.confirm.no":         {"Abbrechen", "Cancel"},
	"release.withdraw.what":      {"Nach dem Zurücknehmen sehen die Kommunen auf ihrem Link wieder „noch nicht freigegeben“. Ergebnismitteilungen, die noch in der Warteschlange stehen, werden nicht mehr gesendet.", "After withdrawing, the municipalities see “not released yet” on their link again. Results notices still in the queue are not sent."},
	"release.withdraw.yes":       {"Freigabe zurücknehmen", "Withdraw the release"},
	"release.withdraw.link":      {"Freigabe zurücknehmen …", "Withdraw the release …"},
	"release.mail.link":          {"Ergebnismitteilung an die Kommunen: Vorschau und Versand", "Results notice to the municipalities: preview and sending"},
	"release.opens":              {"Wer hat seine Ergebnisse geöffnet?", "Who has opened their results?"},
	"release.opens.count":        {"Ergebnisse geöffnet: %d von %d Kommunen.", "Results opened: %d of %d municipalities."},
	"release.opens.first":        {"Zuerst geöffnet", "First opened"},
	"release.opens.last":         {"Zuletzt geöffnet", "Last opened"},
	"release.opens.entries":      {"Einträge im Protokoll", "Entries in the audit log"},
	"release.opens.audit":        {"Alle Einträge im Protokoll", "All entries in the audit log"},
	"release.notice.released":    {"Die Ergebnisse sind freigegeben.", "The results are released."},
	"release.notice.withdrawn":   {"Die Freigabe ist zurückgenommen.", "The release is withdrawn."},
	"release.dash.opened":        {"Ergebnisse geöffnet: %d von %d.", "Results opened: %d of %d."},
	"release.dash.withdrawn":     {"(Freigabe zurückgenommen)", "(release withdrawn)"},
	"release.dash.not_released":  {"Ergebnisse für die Kommunen: nicht freigegeben.", "Results for the municipalities: not released."},
	"release.dash.link":          {"Freigabe der Ergebnisse", "Release of the results"},
	"release.round_admin.link":   {"Ergebnisse für die Kommunen: Freigabe, Vorschau, wer sie geöffnet hat", "Results for the municipalities: release, preview, who opened them"},
})

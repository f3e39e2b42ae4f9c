package survey

// attendanceTexts are the German texts of attendance and uptake
// (store/attendance.go); the catalogue (cmd/bedarf/internal/i18n,
// catalog_attendance.go) holds them in German and English.
var attendanceTexts = map[string]string{
	"msg.attendance.date_missing": "Diesen Termin gibt es in dieser Runde nicht.",
	"msg.attendance.cancelled":    "Dieser Termin ist abgesagt: Anwesenheit kann nicht erfasst werden.",
	"msg.attendance.future":       "Dieser Termin hat noch nicht begonnen: Anwesenheit kann erst ab Beginn erfasst werden.",
	"msg.attendance.not_listed":   "Diese Person ist für diesen Termin nicht angemeldet.",
	// The content text of an offer (offer_content.go) and the certificates.
	"msg.offer.content_long":       "Zu lang (höchstens %d Zeichen).",
	"msg.offer.content_lines":      "Bitte höchstens %d Zeilen (ein Punkt je Zeile).",
	"msg.certificate.not_attended": "Für diese Person ist an diesem Termin keine Teilnahme erfasst: Eine Teilnahmebescheinigung gibt es erst, wenn sie auf der Teilnahmeliste als anwesend markiert ist.",
	"msg.certificate.no_session":   "Für diese Person ist in dieser Gruppe noch keine besuchte Sitzung erfasst.",
	"msg.certificate.not_listed":   "Diese Person steht nicht auf der Teilnahmeliste dieses Termins.",
}

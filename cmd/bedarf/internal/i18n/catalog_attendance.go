package i18n

// Attendance, participant lists, certificates and the uptake against the
// need (issue 20, items 5 and 7): the domain's messages
// (survey/attendance_text.go) and the pages' texts.
var _ = add(map[string]entry{
	"msg.attendance.date_missing": {"Diesen Termin gibt es in dieser Runde nicht.", "This date does not exist in this round."},
	"msg.attendance.cancelled":    {"Dieser Termin ist abgesagt: Anwesenheit kann nicht erfasst werden.", "This date is cancelled: attendance cannot be recorded."},
	"msg.attendance.future":       {"Dieser Termin hat noch nicht begonnen: Anwesenheit kann erst ab Beginn erfasst werden.", "This date has not started yet: attendance can be recorded from its start."},
	"msg.attendance.not_listed":   {"Diese Person ist für diesen Termin nicht angemeldet.", "This person is not booked for this date."},
})

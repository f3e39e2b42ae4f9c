package i18n

// Booking through the Kommune's personal link (issue 20, item 3): the
// domain's messages (German in survey/booking.go; TestKeyedMessages checks
// that both agree) and the booking page.
var _ = add(map[string]entry{
	"msg.booking.required":          {"Bitte ausfüllen.", "Please fill in."},
	"msg.booking.too_long":          {"Zu lang (höchstens %d Zeichen).", "Too long (at most %d characters)."},
	"msg.booking.one_line":          {"Bitte in einer Zeile und ohne Steuerzeichen.", "Please on one line and without control characters."},
	"msg.booking.not_found":         {"Dieses Angebot oder dieser Termin ist nicht (mehr) buchbar.", "This offer or date cannot be booked (any more)."},
	"msg.booking.date_past":         {"Dieser Termin hat schon begonnen; er kann nicht mehr gebucht oder storniert werden.", "This date has already begun; it can no longer be booked or cancelled."},
	"msg.booking.no_seats":          {"Ihre Kommune hat in dieser Gruppe keine Plätze.", "Your municipality has no seats in this group."},
	"msg.booking.seats_full":        {"Alle %d Plätze Ihrer Kommune in dieser Gruppe sind vergeben. Stornieren Sie eine Anmeldung, um jemand anderen zu nennen.", "All %d seats of your municipality in this group are taken. Cancel a booking to name someone else."},
	"msg.booking.twice":             {"Diese Person ist für diesen Termin schon angemeldet oder auf der Warteliste.", "This person is already booked or on the waiting list for this date."},
	"msg.booking.booking_missing":   {"Diese Anmeldung gibt es nicht (mehr).", "This booking does not exist (any more)."},
	"msg.booking.deadline":          {"Die Frist zum Stornieren dieses Termins ist am %s abgelaufen. Bitte wenden Sie sich an die Koordinierungsstelle.", "The deadline for cancelling this date passed on %s. Please contact the coordination office."},
	"msg.booking.not_moved_up":      {"Diese Anmeldung ist nicht von der Warteliste nachgerückt; stornieren Sie sie stattdessen.", "This booking did not move up from the waiting list; cancel it instead."},
	"msg.booking.already_cancelled": {"Diese Anmeldung ist schon storniert.", "This booking is already cancelled."},
})

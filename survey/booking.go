package survey

// Booking through the Kommune's personal link (issue 20, item 3): the
// checks of what a Kommune types for a participant, and the German texts
// of the booking's messages (the catalogue holds them in both languages,
// cmd/bedarf/internal/i18n/catalog_booking.go). The invariants of the
// places are kept by the store (survey/store/bookings.go).

import (
	"strings"
	"unicode/utf8"
)

// MaxParticipantText bounds a participant's name and function (characters).
const MaxParticipantText = 200

// Normalize trims the participant's name, function and e-mail and checks
// them: a name and an e-mail address are required, each on one line and
// at most MaxParticipantText characters. The error names the form field
// ("name", "funktion", "email").
func (p *Participant) Normalize() error {
	for _, f := range []struct {
		v        *string
		field    string
		required bool
	}{{&p.Name, "name", true}, {&p.Function, "funktion", false}} {
		s := strings.TrimSpace(*f.v)
		switch {
		case s == "" && f.required:
			return NewError(EInvalid, "msg.booking.required").At(f.field)
		case !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxParticipantText:
			return NewError(EInvalid, "msg.booking.too_long", MaxParticipantText).At(f.field)
		case strings.ContainsAny(s, "\r\n") || SafeText(s) != s:
			return NewError(EInvalid, "msg.booking.one_line").At(f.field)
		}
		*f.v = s
	}
	email, msg := CheckEmail(p.Email)
	if msg != nil {
		return (&Error{Code: EInvalid, Message: msg.String(), Text: msg}).At("email")
	}
	p.Email = email
	return nil
}

// bookingTexts are the German texts of the booking's messages.
var bookingTexts = map[string]string{
	"msg.booking.required":          "Bitte ausfüllen.",
	"msg.booking.too_long":          "Zu lang (höchstens %d Zeichen).",
	"msg.booking.one_line":          "Bitte in einer Zeile und ohne Steuerzeichen.",
	"msg.booking.not_found":         "Dieses Angebot oder dieser Termin ist nicht (mehr) buchbar.",
	"msg.booking.date_past":         "Dieser Termin hat schon begonnen; er kann nicht mehr gebucht oder storniert werden.",
	"msg.booking.no_seats":          "Ihre Kommune hat in dieser Gruppe keine Plätze.",
	"msg.booking.seats_full":        "Alle %d Plätze Ihrer Kommune in dieser Gruppe sind vergeben. Stornieren Sie eine Anmeldung, um jemand anderen zu nennen.",
	"msg.booking.twice":             "Diese Person ist für diesen Termin schon angemeldet oder auf der Warteliste.",
	"msg.booking.booking_missing":   "Diese Anmeldung gibt es nicht (mehr).",
	"msg.booking.deadline":          "Die Frist zum Stornieren dieses Termins ist am %s abgelaufen. Bitte wenden Sie sich an die Koordinierungsstelle.",
	"msg.booking.not_moved_up":      "Diese Anmeldung ist nicht von der Warteliste nachgerückt; stornieren Sie sie stattdessen.",
	"msg.booking.already_cancelled": "Diese Anmeldung ist schon storniert.",
}

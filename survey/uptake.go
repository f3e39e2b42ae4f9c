package survey

// Uptake (issue 20, item 7): what the store counts of a round's bookings
// and attendance, without names, for the analysis to set against the
// need (analysis.UptakeOf).

// BookingCount is the number of bookings of one offer (and date, for
// training; DateID 0 for a group seat) by one Kommune with one status.
type BookingCount struct {
	OfferID, DateID int64
	// AGS names the Kommune.
	AGS    string
	Status BookingStatus
	N      int
}

// Reservation is a Kommune's seats reserved on a training date.
type Reservation struct {
	DateID int64
	AGS    string
	Seats  int
}

// Presence is one participant's attended sessions of a supervision group:
// the number of the group's scheduled dates recorded in
// session_attendance for them.
type Presence struct {
	OfferID, ParticipantID int64
	AGS                    string
	Sessions               int
}

// UptakeData is everything the uptake of a round is computed from: its
// offers (with members and dates), the providers, the booking counts
// (cancelled bookings left out), the reservations, the group members'
// attendance (one Presence per participant with a group booking that is
// not cancelled, Sessions 0 when they attended none). Kommunen are named
// by AGS, as in the plan.
type UptakeData struct {
	Offers       []Offer
	Providers    []Provider
	Counts       []BookingCount
	Reservations []Reservation
	Presence     []Presence
	// Names are the names of the Kommunen named in the counts, by AGS.
	Names map[string]string
}

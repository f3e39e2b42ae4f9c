package survey

// Offers (issue 20): what the Koordinierungsstelle actually offers after a
// round's plan, supervision groups and training dates, and the providers
// who run them. The store keeps them (survey/store/offers.go); the
// analysis makes them from the plan, compares them with it and computes
// their cost (analysis/offers.go). Money is in integer cents.

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// OfferKind says what an offer is.
type OfferKind string

// The kinds of offer.
const (
	// OfferGroup is a supervision group: member Kommunen with seats, a
	// place or online, planned sessions.
	OfferGroup OfferKind = "group"
	// OfferTraining is the training days of one module.
	OfferTraining OfferKind = "training"
)

// OfferStatus is where an offer stands.
type OfferStatus string

// The statuses of an offer: made from the plan or by staff as a draft,
// published to the Kommunen (booking), or cancelled (kept, so the plan
// item it came from is not offered again).
const (
	OfferDraft     OfferStatus = "draft"
	OfferPublished OfferStatus = "published"
	OfferCancelled OfferStatus = "cancelled"
)

// DateStatus is where a date of an offer stands.
type DateStatus string

// The statuses of a date.
const (
	DateScheduled DateStatus = "scheduled"
	DateCancelled DateStatus = "cancelled"
)

// BookingStatus is where a participant's booking stands. Booked and
// attended bookings take a place; waiting ones queue by WaitingSince.
type BookingStatus string

// The statuses of a booking.
const (
	BookingBooked    BookingStatus = "booked"
	BookingWaiting   BookingStatus = "waiting"
	BookingCancelled BookingStatus = "cancelled"
	BookingAttended  BookingStatus = "attended"
)

// TakesPlace reports whether the booking occupies a place of its date.
func (s BookingStatus) TakesPlace() bool { return s == BookingBooked || s == BookingAttended }

// Offer is a supervision group or a module's training of a round.
type Offer struct {
	ID, RoundID int64
	Kind        OfferKind
	Title       string
	// ModuleID is the training module (OfferTraining only).
	ModuleID string
	// PlanKey names the plan item the offer was made from ("group:G03",
	// "module:asyl"); empty for offers staff added or split off. Unique
	// within a round.
	PlanKey string
	// PlanSnapshot is the plan item as it was when the offer was made or
	// last updated from the plan (JSON owned by the analysis).
	PlanSnapshot []byte
	Online       bool
	// MeetingAGS is the Kommune where a group meets (empty: online or
	// not set); Place is the address or room as staff write it.
	MeetingAGS, Place string
	// Sessions is the planned number of sessions (groups) or days
	// (training); SessionMinutes the length of each.
	Sessions, SessionMinutes int
	// Capacity is the places per date of a training (the default of new
	// dates).
	Capacity int
	// ProviderID is the supervisor or trainer (0: none yet).
	ProviderID int64
	Status     OfferStatus
	// OfferContent is what the offer covers (offer_content.go), printed on
	// the attendance certificates.
	OfferContent
	// Members are a group's Kommunen with their seats, by AGS.
	Members []OfferMember
	// Dates are the offer's dates by start.
	Dates     []OfferDate
	UpdatedAt time.Time
}

// Seats returns the sum of the members' seats.
func (o Offer) Seats() int {
	n := 0
	for _, m := range o.Members {
		n += m.Seats
	}
	return n
}

// ScheduledDates returns the dates that are not cancelled.
func (o Offer) ScheduledDates() []OfferDate {
	var out []OfferDate
	for _, d := range o.Dates {
		if d.Status == DateScheduled {
			out = append(out, d)
		}
	}
	return out
}

// OfferMember is a Kommune's seats in a supervision group.
type OfferMember struct {
	KommuneID int64
	AGS, Name string
	Seats     int
}

// OfferDate is one dated session or training day of an offer.
type OfferDate struct {
	ID, OfferID int64
	// Start and End are instants (shown in Berlin time).
	Start, End time.Time
	Place      string
	Capacity   int
	Status     DateStatus
	// Sequence counts the changes participants are told of (iCalendar
	// SEQUENCE); UID is the date's iCalendar UID, fixed for its life.
	Sequence int
	UID      string
	// CancelUntil is the last day (Berlin) a Kommune may cancel a booking;
	// zero: until the date starts. ReleaseOn is the day reserved places
	// open to all; zero: reserved until the date.
	CancelUntil, ReleaseOn time.Time
}

// Minutes returns the date's length in whole minutes.
func (d OfferDate) Minutes() int { return int(d.End.Sub(d.Start) / time.Minute) }

// The bounds of offer fields.
const (
	// MaxOfferText bounds titles, places and the providers' texts
	// (characters).
	MaxOfferText = 200
	// MaxOfferCount bounds sessions, capacities and seats.
	MaxOfferCount = 1000
	// MaxSessionMinutes bounds the length of a session or day (12 hours).
	MaxSessionMinutes = 12 * 60
	// MaxFeeCents bounds fees and travel (100,000 EUR).
	MaxFeeCents = 100_000_00
)

// checkOfferText trims s and refuses it when empty (and required), longer than
// MaxOfferText or on several lines; field names the form field.
func checkOfferText(s, field string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		return "", NewError(EInvalid, "msg.offer.required").At(field)
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxOfferText:
		return "", NewError(EInvalid, "msg.offer.too_long", MaxOfferText).At(field)
	case strings.ContainsAny(s, "\r\n"):
		return "", NewError(EInvalid, "msg.offer.one_line").At(field)
	}
	return s, nil
}

func checkCount(n, low, high int, field string) error {
	if n < low || n > high {
		return NewError(EInvalid, "msg.offer.range", low, high).At(field)
	}
	return nil
}

// Normalize trims the offer's texts and checks its fields; the error
// names the form field ("titel", "ort", "sitzungen", "dauer",
// "kapazitaet", "inhalt", "inhalt_en").
func (o *Offer) Normalize() error {
	var err error
	if o.Kind != OfferGroup && o.Kind != OfferTraining {
		return NewError(EInvalid, "msg.offer.kind")
	}
	if o.Title, err = checkOfferText(o.Title, "titel", true); err != nil {
		return err
	}
	if o.Place, err = checkOfferText(o.Place, "ort", false); err != nil {
		return err
	}
	if err := checkCount(o.Sessions, 0, MaxOfferCount, "sitzungen"); err != nil {
		return err
	}
	if err := checkCount(o.SessionMinutes, 0, MaxSessionMinutes, "dauer"); err != nil {
		return err
	}
	if err := checkCount(o.Capacity, 0, MaxOfferCount, "kapazitaet"); err != nil {
		return err
	}
	switch o.Status {
	case OfferDraft, OfferPublished, OfferCancelled:
	default:
		return NewError(EInvalid, "msg.offer.status").At("status")
	}
	if err := o.OfferContent.Normalize(); err != nil {
		return err
	}
	for _, m := range o.Members {
		if err := checkCount(m.Seats, 1, MaxOfferCount, "plaetze"); err != nil {
			return err
		}
	}
	return nil
}

// Normalize trims the date's place and checks it: it ends after it starts,
// lasts at most MaxSessionMinutes, and its capacity is 0..MaxOfferCount.
func (d *OfferDate) Normalize() error {
	var err error
	if d.Place, err = checkOfferText(d.Place, "ort", false); err != nil {
		return err
	}
	if d.Start.IsZero() || !d.End.After(d.Start) {
		return NewError(EInvalid, "msg.offer.date_order").At("ende")
	}
	if d.End.Sub(d.Start) > MaxSessionMinutes*time.Minute {
		return NewError(EInvalid, "msg.offer.date_long", MaxSessionMinutes/60).At("ende")
	}
	return checkCount(d.Capacity, 0, MaxOfferCount, "kapazitaet")
}

// ProviderKind says whether a provider supervises groups or trains.
type ProviderKind string

// The kinds of provider.
const (
	ProviderSupervisor ProviderKind = "supervisor"
	ProviderTrainer    ProviderKind = "trainer"
)

// FeeUnit is what a provider's fee is per.
type FeeUnit string

// The fee units: per hour of a dated session, or per (training) day.
const (
	FeePerHour FeeUnit = "hour"
	FeePerDay  FeeUnit = "day"
)

// Provider is a supervisor or trainer with fee and VAT.
type Provider struct {
	ID   int64
	Kind ProviderKind
	Name string
	// Organisation, Qualification (e.g. "DGSv") and Contact (e-mail or
	// phone) are free text.
	Organisation, Qualification, Contact string
	// FeeCents is the fee per FeeUnit, net of VAT.
	FeeCents int64
	FeeUnit  FeeUnit
	// TravelCents is the travel allowance per dated session or day that
	// meets on site, net of VAT.
	TravelCents int64
	// VATBasisPoints is the VAT rate in hundredths of a percent (1900 =
	// 19 %); 0 when VATExempt.
	VATBasisPoints int
	VATExempt      bool
	UpdatedAt      time.Time
}

// Normalize trims the provider's texts and checks its fields; the error
// names the form field ("name", "organisation", "qualifikation",
// "kontakt", "art", "einheit", "honorar", "fahrt", "ust").
func (p *Provider) Normalize() error {
	var err error
	if p.Kind != ProviderSupervisor && p.Kind != ProviderTrainer {
		return NewError(EInvalid, "msg.offer.provider_kind").At("art")
	}
	if p.Name, err = checkOfferText(p.Name, "name", true); err != nil {
		return err
	}
	for _, f := range []struct {
		v     *string
		field string
	}{{&p.Organisation, "organisation"}, {&p.Qualification, "qualifikation"}, {&p.Contact, "kontakt"}} {
		if *f.v, err = checkOfferText(*f.v, f.field, false); err != nil {
			return err
		}
	}
	if p.FeeUnit != FeePerHour && p.FeeUnit != FeePerDay {
		return NewError(EInvalid, "msg.offer.fee_unit").At("einheit")
	}
	if p.FeeCents < 0 || p.FeeCents > MaxFeeCents {
		return NewError(EInvalid, "msg.offer.money_range", MaxFeeCents/100).At("honorar")
	}
	if p.TravelCents < 0 || p.TravelCents > MaxFeeCents {
		return NewError(EInvalid, "msg.offer.money_range", MaxFeeCents/100).At("fahrt")
	}
	if p.VATExempt {
		p.VATBasisPoints = 0
	}
	if p.VATBasisPoints < 0 || p.VATBasisPoints > 10000 {
		return NewError(EInvalid, "msg.offer.vat_range").At("ust")
	}
	return nil
}

// ParseCents reads an amount of euros written the German or the plain way
// ("1.200,50", "120", "120.5") into cents; more than two decimals,
// negative amounts and amounts of MaxFeeCents and more are refused.
func ParseCents(s string) (int64, bool) {
	f, err := ParseNumber(s)
	if err != nil || f < 0 || f*100 > MaxFeeCents {
		return 0, false
	}
	c := math.Round(f * 100)
	if math.Abs(f*100-c) > 1e-6 {
		return 0, false
	}
	return int64(c), true
}

// ParseBasisPoints reads a percentage ("19", "7", "16,5") into basis
// points; at most two decimals, 0 to 100.
func ParseBasisPoints(s string) (int, bool) {
	f, err := ParseNumber(s)
	if err != nil || f < 0 || f > 100 {
		return 0, false
	}
	c := math.Round(f * 100)
	if math.Abs(f*100-c) > 1e-6 {
		return 0, false
	}
	return int(c), true
}

// OfferUpdate is an offer whose plan fields are set from the plan again
// (store.ApplyOfferPlan): the snapshot, members, sessions and their length,
// capacity, online and meeting place. Its plan key, title, place text,
// provider, status and dates stay as they are.
type OfferUpdate struct {
	ID             int64
	PlanSnapshot   []byte
	Members        []OfferMember
	Sessions       int
	SessionMinutes int
	Capacity       int
	Online         bool
	MeetingAGS     string
	// AddDates are dates to add (e.g. a module needs more days now).
	AddDates []OfferDate
}

// OfferPlanChanges is what turning the plan into offers changes: offers
// to make, offers to update from the plan, offers to cancel (their plan
// item is gone).
type OfferPlanChanges struct {
	Create []Offer
	Update []OfferUpdate
	Cancel []int64
}

// Empty reports whether there is nothing to change.
func (c OfferPlanChanges) Empty() bool {
	return len(c.Create) == 0 && len(c.Update) == 0 && len(c.Cancel) == 0
}

// Participant is a person a Kommune names for its seats: name, function,
// e-mail, nothing more.
type Participant struct {
	ID, KommuneID         int64
	Name, Function, Email string
}

// Booking is a participant's place in an offer: on a training date
// (DateID set) or a seat of a group (DateID 0).
type Booking struct {
	ID, OfferID, DateID, ParticipantID, KommuneID int64
	Status                                        BookingStatus
	// WaitingSince orders the waiting list.
	WaitingSince time.Time
}

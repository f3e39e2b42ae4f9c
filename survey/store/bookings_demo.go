package store

// The demo's bookings (issue 20, items 3 and 9), seeded in the demo's one
// transaction after its offers: the first training offer and the first
// supervision group are published; the first training date of the future
// is filled to its capacity by the Kommunen in turn and two more
// participants wait on its list; every member of the group names one
// participant. Every booking goes through bookTx, so the demo's bookings
// keep the same invariants as the page's; their mails are not sent. The
// training's first day lies in the past (demoOffers): the first
// demoAttendees booked on the next day also took part in it, all but the
// last recorded present (seedAttendanceTx), so the participant list,
// attendance, certificates and uptake can be clicked through.

import (
	"context"
	"database/sql"
	"fmt"

	"bedarf/survey"
)

// demoBookingNames are the demo's participants (fictitious).
var demoBookingNames = []struct{ name, function string }{
	{"Jana Müller", "Sozialamt"}, {"Ben Kaya", "Integrationsbeauftragter"}, {"Lea Schulz", "Unterkunftsverwaltung"},
	{"Tom Becker", "Ordnungsamt"}, {"Mia Wagner", "Sozialarbeit"}, {"Paul Hoffmann", "Jugendamt"},
	{"Emma Richter", "Ehrenamtskoordination"}, {"Noah Klein", "Sozialamt"}, {"Lina Wolf", "Jobcenter-Kontakt"},
	{"Finn Neumann", "Unterkunftsverwaltung"}, {"Ida Schwarz", "Sozialarbeit"}, {"Jonas Braun", "Integrationsbeauftragter"},
}

// seedBookingsTx publishes the demo's first training offer and first
// group of the round and books places within tx; it returns how many
// bookings it made (0 when the round has no offers).
func (s *Store) seedBookingsTx(ctx context.Context, tx *sql.Tx, roundID int64, a survey.Actor) (int, error) {
	set, err := readOffers(ctx, tx, roundID, 0)
	if err != nil {
		return 0, fmt.Errorf("demo bookings: %w", err)
	}
	var group, training *survey.Offer
	for i := range set.Offers {
		o := &set.Offers[i]
		switch {
		case o.Status == survey.OfferCancelled:
		case o.Kind == survey.OfferGroup && group == nil && len(o.Members) > 0:
			group = o
		case o.Kind == survey.OfferTraining && training == nil && len(o.ScheduledDates()) > 0:
			training = o
		}
	}
	var kommunen []int64
	if err := func() error {
		rows, err := tx.QueryContext(ctx, "SELECT kommune_id FROM responses WHERE round_id = ? ORDER BY kommune_id", roundID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			kommunen = append(kommunen, id)
		}
		return rows.Err()
	}(); err != nil || len(kommunen) == 0 {
		return 0, fmt.Errorf("demo bookings: Kommunen: %v", err)
	}
	n, person := 0, 0
	book := func(offer, date, kommune int64) error {
		who := demoBookingNames[person%len(demoBookingNames)]
		p := survey.Participant{Name: who.name, Function: who.function, Email: fmt.Sprintf("teilnahme%02d@kommune.example", person+1)}
		person++
		if err := p.Normalize(); err != nil {
			return err
		}
		if _, err := s.bookTx(ctx, tx, BookRequest{RoundID: roundID, KommuneID: kommune, OfferID: offer, DateID: date, Participant: p}, p, a); err != nil {
			return fmt.Errorf("demo booking of %s: %w", p.Name, err)
		}
		n++
		return nil
	}
	publish := func(o *survey.Offer) error {
		if o.Status == survey.OfferPublished {
			return nil
		}
		_, err := tx.ExecContext(ctx, "UPDATE offers SET status = 'published', updated_at = ? WHERE id = ?", s.stamp(), o.ID)
		o.Status = survey.OfferPublished
		return err
	}
	if group != nil {
		if err := publish(group); err != nil {
			return n, err
		}
		for _, m := range group.Members {
			if err := book(group.ID, 0, m.KommuneID); err != nil {
				return n, err
			}
		}
	}
	if training != nil {
		if err := publish(training); err != nil {
			return n, err
		}
		now := s.now()
		for _, d := range training.ScheduledDates() {
			if !now.Before(d.Start) {
				continue
			}
			// The first future date: full, and two more on its waiting list.
			for i := range d.Capacity + 2 {
				if err := book(training.ID, d.ID, kommunen[i%len(kommunen)]); err != nil {
					return n, err
				}
			}
			// The module's first day lay in the past: some of them came.
			m, err := s.seedAttendanceTx(ctx, tx, roundID, training, d.ID, a)
			if err != nil {
				return n, err
			}
			n += m
			break
		}
	}
	if n > 0 {
		if err := bumpOffers(ctx, tx, roundID); err != nil {
			return n, err
		}
	}
	// The demo's participants are fictitious: their mails are kept in the
	// queue's log (their SEQUENCE counts) but never sent.
	if _, err := tx.ExecContext(ctx, `UPDATE offer_mails SET status = 'cancelled', server_answer = 'Demo: nicht gesendet', updated_at = ?
		WHERE status = 'queued'`, s.stamp()); err != nil {
		return n, fmt.Errorf("demo mails: %w", err)
	}
	return n, nil
}

// demoAttendees is how many participants the demo puts on the past day.
const demoAttendees = 6

// seedAttendanceTx puts the first demoAttendees participants booked on
// the training's date next (in booking order) on its first past date,
// all but the last recorded present, within tx; it returns how many
// bookings it made. Booking refuses dates that have begun, so the rows are
// written here as staff would record them from the signed paper list
// afterwards (audit entry "attendance.mark", as MarkAttendance writes).
func (s *Store) seedAttendanceTx(ctx context.Context, tx *sql.Tx, roundID int64, training *survey.Offer, next int64, a survey.Actor) (int, error) {
	var past *survey.OfferDate
	now := s.now()
	for _, d := range training.ScheduledDates() {
		if d.Start.Before(now) {
			past = &d
			break
		}
	}
	if past == nil {
		return 0, nil
	}
	type who struct{ participant, kommune int64 }
	var people []who
	rows, err := tx.QueryContext(ctx, "SELECT participant_id, kommune_id FROM bookings WHERE date_id = ? AND status = 'booked' ORDER BY id LIMIT ?",
		next, min(demoAttendees, past.Capacity))
	if err != nil {
		return 0, fmt.Errorf("demo attendance: %w", err)
	}
	for rows.Next() {
		var w who
		if err := rows.Scan(&w.participant, &w.kommune); err != nil {
			rows.Close()
			return 0, fmt.Errorf("demo attendance: %w", err)
		}
		people = append(people, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("demo attendance: %w", err)
	}
	present := 0
	for i, w := range people {
		st := survey.BookingAttended
		if i == len(people)-1 && i > 0 {
			st = survey.BookingBooked // booked, but stayed away
		} else {
			present++
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bookings (offer_id, date_id, participant_id, kommune_id, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, training.ID, past.ID, w.participant, w.kommune, st, s.stamp(), s.stamp()); err != nil {
			return 0, fmt.Errorf("demo attendance: %w", err)
		}
	}
	if len(people) == 0 {
		return 0, nil
	}
	return len(people), s.audit(ctx, tx, a, "attendance.mark", roundID, 0,
		fmt.Sprintf("Demo: Termin %d (%s): %d von %d anwesend", past.ID, training.Title, present, len(people)))
}

package store

// The demo's bookings (issue 20, items 3 and 9), seeded in the demo's one
// transaction after its offers: the first training offer and the first
// supervision group are published; the first training date of the future
// is filled to its capacity by the Kommunen in turn and two more
// participants wait on its list; every member of the group names one
// participant. Every booking goes through bookTx, so the demo's bookings
// keep the same invariants as the page's; their mails are not sent.

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

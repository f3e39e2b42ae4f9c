package store

// Attendance and uptake (issue 20, items 5 and 7): who of a date's booked
// participants came, recorded by staff (also afterwards from a paper
// list), and the counts of bookings, reservations and attendance the
// analysis sets against the need (analysis.UptakeOf). Attendance of a
// training date is the status of its bookings ('attended' or 'booked');
// attendance of a group session is session_attendance. Every change is
// one write transaction with its audit entry.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"bedarf/survey"
)

// RosterEntry is one participant on a date's list: a booking that takes a
// place (training: of the date; group: a seat of the date's group).
type RosterEntry struct {
	BookingID, ParticipantID int64
	Name, Function, Email    string
	AGS, Kommune             string
	// Attended says whether the participant is recorded as present.
	Attended bool
}

// Roster is a date of a round's offer with its participants, by Kommune
// and name, and the number on the waiting list.
type Roster struct {
	Offer   survey.Offer
	Date    survey.OfferDate
	Entries []RosterEntry
	Waiting int
}

// Present counts the participants recorded as present.
func (r Roster) Present() int {
	n := 0
	for _, e := range r.Entries {
		if e.Attended {
			n++
		}
	}
	return n
}

// DateRoster returns the date of the round's offer with its participants;
// a date of another round is not found (survey.ENotFound).
func (s *Store) DateRoster(ctx context.Context, roundID, dateID int64) (Roster, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Roster{}, fmt.Errorf("roster of date %d: %w", dateID, err)
	}
	defer tx.Rollback()
	r, err := readRoster(ctx, tx, roundID, dateID)
	if err != nil {
		return Roster{}, fmt.Errorf("roster of date %d: %w", dateID, err)
	}
	return r, nil
}

func readRoster(ctx context.Context, q rowQuerier, roundID, dateID int64) (Roster, error) {
	var r Roster
	var offerID int64
	err := q.QueryRowContext(ctx, `SELECT d.offer_id FROM offer_dates d JOIN offers o ON o.id = d.offer_id
		WHERE d.id = ? AND o.round_id = ?`, dateID, roundID).Scan(&offerID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, survey.NewError(survey.ENotFound, "msg.attendance.date_missing")
	}
	if err != nil {
		return r, err
	}
	set, err := readOffers(ctx, q, roundID, offerID)
	if err != nil {
		return r, err
	}
	r.Offer = set.Offers[0]
	i := slices.IndexFunc(r.Offer.Dates, func(d survey.OfferDate) bool { return d.ID == dateID })
	r.Date = r.Offer.Dates[i]
	group := r.Offer.Kind == survey.OfferGroup
	present := "b.status = 'attended'"
	where := "b.date_id = ?"
	args := []any{dateID}
	if group {
		present = "EXISTS (SELECT 1 FROM session_attendance a WHERE a.date_id = ? AND a.participant_id = b.participant_id)"
		where = "b.offer_id = ? AND b.date_id IS NULL"
		args = []any{dateID, offerID}
	}
	rows, err := q.QueryContext(ctx, `SELECT b.id, p.id, p.name, p.function, p.email, k.ags, k.name, `+present+`
		FROM bookings b JOIN participants p ON p.id = b.participant_id JOIN kommunen k ON k.id = b.kommune_id
		WHERE `+where+` AND b.status IN ('booked', 'attended') ORDER BY k.ags, p.name, p.id`, args...)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var e RosterEntry
		if err := rows.Scan(&e.BookingID, &e.ParticipantID, &e.Name, &e.Function, &e.Email, &e.AGS, &e.Kommune, &e.Attended); err != nil {
			return r, err
		}
		r.Entries = append(r.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	wargs := []any{dateID}
	wwhere := "date_id = ?"
	if group {
		wargs, wwhere = []any{offerID}, "offer_id = ? AND date_id IS NULL"
	}
	err = q.QueryRowContext(ctx, "SELECT count(*) FROM bookings WHERE "+wwhere+" AND status = 'waiting'", wargs...).Scan(&r.Waiting)
	return r, err
}

// MarkAttendance records who of the date's participants were present
// (participant ids; everyone else on the list counts as absent), as staff
// tick it on the page or copy it from the signed paper list afterwards. A
// date of another round is not found; a cancelled date, a date that has
// not started by now, or an id not on the date's list is refused
// (survey.EInvalid) and nothing changes. It returns the number present and
// writes the audit entry "attendance.mark".
func (s *Store) MarkAttendance(ctx context.Context, roundID, dateID int64, present []int64, now time.Time, a survey.Actor) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		r, err := readRoster(ctx, tx, roundID, dateID)
		if err != nil {
			return err
		}
		if r.Date.Status != survey.DateScheduled {
			return survey.NewError(survey.EInvalid, "msg.attendance.cancelled")
		}
		if now.Before(r.Date.Start) {
			return survey.NewError(survey.EInvalid, "msg.attendance.future")
		}
		on := map[int64]bool{}
		for _, e := range r.Entries {
			on[e.ParticipantID] = true
		}
		want := map[int64]bool{}
		for _, id := range present {
			if !on[id] {
				return survey.NewError(survey.EInvalid, "msg.attendance.not_listed")
			}
			want[id] = true
		}
		n = len(want)
		stamp := s.stamp()
		if r.Offer.Kind == survey.OfferGroup {
			if _, err := tx.ExecContext(ctx, "DELETE FROM session_attendance WHERE date_id = ?", dateID); err != nil {
				return err
			}
			for _, e := range r.Entries {
				if !want[e.ParticipantID] {
					continue
				}
				if _, err := tx.ExecContext(ctx, "INSERT INTO session_attendance (date_id, participant_id) VALUES (?, ?)", dateID, e.ParticipantID); err != nil {
					return err
				}
			}
		} else {
			for _, e := range r.Entries {
				st := survey.BookingBooked
				if want[e.ParticipantID] {
					st = survey.BookingAttended
				}
				if _, err := tx.ExecContext(ctx, "UPDATE bookings SET status = ?, updated_at = ? WHERE id = ? AND status != ?", st, stamp, e.BookingID, st); err != nil {
					return err
				}
			}
		}
		return s.audit(ctx, tx, a, "attendance.mark", roundID, 0, fmt.Sprintf("Termin %d (%s): %d von %d anwesend", dateID, r.Offer.Title, n, len(r.Entries)))
	})
	if err != nil {
		return 0, fmt.Errorf("attendance of date %d: %w", dateID, err)
	}
	return n, nil
}

// UptakeData returns what the uptake of a round is computed from (see
// survey.UptakeData), read in one transaction: no names or addresses,
// only counts by Kommune.
func (s *Store) UptakeData(ctx context.Context, roundID int64) (survey.UptakeData, error) {
	d := survey.UptakeData{Names: map[string]string{}}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return d, fmt.Errorf("uptake of round %d: %w", roundID, err)
	}
	defer tx.Rollback()
	if err := readUptake(ctx, tx, roundID, &d); err != nil {
		return d, fmt.Errorf("uptake of round %d: %w", roundID, err)
	}
	return d, nil
}

func readUptake(ctx context.Context, tx *sql.Tx, roundID int64, d *survey.UptakeData) error {
	set, err := readOffers(ctx, tx, roundID, 0)
	if err != nil {
		return err
	}
	d.Offers = set.Offers
	var name string
	for _, o := range d.Offers {
		for _, m := range o.Members {
			d.Names[m.AGS] = m.Name
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+providerCols+" FROM providers ORDER BY kind, name, id")
	if err != nil {
		return err
	}
	for rows.Next() {
		p, err := scanProvider(rows)
		if err != nil {
			rows.Close()
			return err
		}
		d.Providers = append(d.Providers, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT b.offer_id, coalesce(b.date_id, 0), k.ags, k.name, b.status, count(*)
		FROM bookings b JOIN offers o ON o.id = b.offer_id JOIN kommunen k ON k.id = b.kommune_id
		WHERE o.round_id = ? AND b.status != 'cancelled'
		GROUP BY b.offer_id, b.date_id, k.ags, b.status ORDER BY b.offer_id, b.date_id, k.ags, b.status`, roundID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c survey.BookingCount
		if err := rows.Scan(&c.OfferID, &c.DateID, &c.AGS, &name, &c.Status, &c.N); err != nil {
			rows.Close()
			return err
		}
		d.Counts, d.Names[c.AGS] = append(d.Counts, c), name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT r.date_id, k.ags, k.name, r.seats FROM date_reservations r
		JOIN offer_dates d ON d.id = r.date_id JOIN offers o ON o.id = d.offer_id JOIN kommunen k ON k.id = r.kommune_id
		WHERE o.round_id = ? ORDER BY r.date_id, k.ags`, roundID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r survey.Reservation
		if err := rows.Scan(&r.DateID, &r.AGS, &name, &r.Seats); err != nil {
			rows.Close()
			return err
		}
		d.Reservations, d.Names[r.AGS] = append(d.Reservations, r), name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT b.offer_id, b.participant_id, k.ags, k.name,
		(SELECT count(*) FROM session_attendance a JOIN offer_dates d ON d.id = a.date_id
		  WHERE a.participant_id = b.participant_id AND d.offer_id = b.offer_id AND d.status = 'scheduled')
		FROM bookings b JOIN offers o ON o.id = b.offer_id JOIN kommunen k ON k.id = b.kommune_id
		WHERE o.round_id = ? AND o.kind = 'group' AND b.date_id IS NULL AND b.status IN ('booked', 'attended')
		ORDER BY b.offer_id, k.ags, b.participant_id`, roundID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p survey.Presence
		if err := rows.Scan(&p.OfferID, &p.ParticipantID, &p.AGS, &name, &p.Sessions); err != nil {
			return err
		}
		d.Presence, d.Names[p.AGS] = append(d.Presence, p), name
	}
	return rows.Err()
}

// GroupEntry is a participant holding a seat of a supervision group with
// the group's sessions they attended (scheduled dates, by start).
type GroupEntry struct {
	RosterEntry
	Sessions []survey.OfferDate
}

// GroupRoster is a supervision group of a round with its participants (by
// Kommune and name) and the sessions each attended.
type GroupRoster struct {
	Offer   survey.Offer
	Entries []GroupEntry
}

// GroupAttendance returns a group of the round with the sessions each
// participant attended (session_attendance); an offer of another round or
// a training is not found (survey.ENotFound).
func (s *Store) GroupAttendance(ctx context.Context, roundID, offerID int64) (GroupRoster, error) {
	var g GroupRoster
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return g, fmt.Errorf("group attendance of offer %d: %w", offerID, err)
	}
	defer tx.Rollback()
	set, err := readOffers(ctx, tx, roundID, offerID)
	if err != nil {
		return g, fmt.Errorf("group attendance of offer %d: %w", offerID, err)
	}
	if len(set.Offers) == 0 || offerID <= 0 || set.Offers[0].Kind != survey.OfferGroup {
		return g, survey.NewError(survey.ENotFound, "msg.offer.not_found")
	}
	g.Offer = set.Offers[0]
	rows, err := tx.QueryContext(ctx, `SELECT b.id, p.id, p.name, p.function, p.email, k.ags, k.name
		FROM bookings b JOIN participants p ON p.id = b.participant_id JOIN kommunen k ON k.id = b.kommune_id
		WHERE b.offer_id = ? AND b.date_id IS NULL AND b.status IN ('booked', 'attended') ORDER BY k.ags, p.name, p.id`, offerID)
	if err != nil {
		return g, fmt.Errorf("group attendance of offer %d: %w", offerID, err)
	}
	at := map[int64]int{}
	for rows.Next() {
		var e GroupEntry
		if err := rows.Scan(&e.BookingID, &e.ParticipantID, &e.Name, &e.Function, &e.Email, &e.AGS, &e.Kommune); err != nil {
			rows.Close()
			return g, err
		}
		at[e.ParticipantID] = len(g.Entries)
		g.Entries = append(g.Entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return g, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT a.participant_id, a.date_id FROM session_attendance a JOIN offer_dates d ON d.id = a.date_id
		WHERE d.offer_id = ? AND d.status = 'scheduled' ORDER BY d.starts_at, d.id`, offerID)
	if err != nil {
		return g, fmt.Errorf("group attendance of offer %d: %w", offerID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid, did int64
		if err := rows.Scan(&pid, &did); err != nil {
			return g, err
		}
		i, ok := at[pid]
		d, found := dateOf(g.Offer, did)
		if !ok || !found {
			continue
		}
		g.Entries[i].Sessions = append(g.Entries[i].Sessions, d)
		g.Entries[i].Attended = true
	}
	return g, rows.Err()
}

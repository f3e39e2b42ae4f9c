package store

// Booking through the Kommune's personal link (issue 20, item 3; the model
// is described in docs/ARCHITECTURE.md, "Offers"). Every change is one
// immediate write transaction that checks every invariant of the places,
// writes the booking, moves waiting bookings up into freed places, queues
// the mails to the participants (offer_mails, migration 0022) and writes
// the audit entries:
//
//   - booked + attended bookings of a date ≤ its capacity;
//   - a Kommune's group bookings ≤ its seats in the group;
//   - before a date's release_on the places reserved for other Kommunen
//     (date_reservations minus their bookings) are not booked; from that
//     day free places are open to all;
//   - a full date puts the booking on the waiting list (ordered by
//     waiting_since, then id); a freed place goes to the first waiting
//     booking whose Kommune may take it;
//   - a Kommune cancels until the date's cancel_until (Berlin day,
//     inclusive) and never after the date has started.
//
// Only published offers of the round named are bookable; an id of another
// round or another Kommune's booking is "not found". Bookings change
// neither a plan nor the offers' plan diff: neither the data version nor
// the offer revision moves.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"bedarf/survey"
)

// BookRequest is a Kommune's booking of a place for a participant: on a
// training date (DateID) or a seat of a supervision group (DateID 0).
type BookRequest struct {
	RoundID, KommuneID, OfferID, DateID int64
	// Participant is who is booked. A participant of the Kommune with the
	// same e-mail address is the same person (name and function are
	// updated); else a new one is named.
	Participant survey.Participant
}

// BookResult is what became of a booking: booked, or waiting at a
// position of the date's waiting list (1 = next).
type BookResult struct {
	BookingID, ParticipantID int64
	Status                   survey.BookingStatus
	Position                 int
}

// BookingLine is one of a Kommune's bookings with its participant.
type BookingLine struct {
	survey.Booking
	Participant survey.Participant
	// Position is the place on the date's waiting list (1 = next; 0 when
	// not waiting).
	Position int
	// MovedUp reports that the booking moved up from the waiting list (the
	// participant may decline it).
	MovedUp bool
}

// GroupBooking is a supervision group a Kommune is member of, with its
// seats and its own participants (never another Kommune's).
type GroupBooking struct {
	// Offer is the group without its members (they are confidential).
	Offer    survey.Offer
	Seats    int
	Bookings []BookingLine
}

// Free returns the Kommune's seats not yet taken.
func (g GroupBooking) Free() int {
	n := g.Seats
	for _, b := range g.Bookings {
		if b.Status.TakesPlace() {
			n--
		}
	}
	return max(n, 0)
}

// DateBooking is a training date as a Kommune sees it.
type DateBooking struct {
	// Offer is the training offer without members and dates.
	Offer survey.Offer
	Date  survey.OfferDate
	// Taken counts booked and attended places of all Kommunen; Free the
	// places this Kommune may book now; Reserved the Kommune's own
	// reserved seats (until release); ReservedOthers the places still
	// reserved for other Kommunen; Waiting the length of the waiting list.
	Taken, Free, Reserved, ReservedOthers, Waiting int
	// Released reports that the reservations have ended (release_on has
	// come).
	Released bool
	// Started reports that the date has begun: no booking or
	// cancellation any more.
	Started bool
	// CancelOpen reports that the Kommune may still cancel a booking.
	CancelOpen bool
	// Bookings are the Kommune's own.
	Bookings []BookingLine
}

// BookingOverview is everything the booking page shows a Kommune: its
// groups, the round's bookable training dates, and its participants.
type BookingOverview struct {
	Groups       []GroupBooking
	Dates        []DateBooking
	Participants []survey.Participant
}

// berlinDay is t's day in Berlin as "2006-01-02".
func berlinDay(t time.Time) string { return t.In(survey.Berlin()).Format(time.DateOnly) }

// released reports whether the date's reservations have ended by now.
func released(d survey.OfferDate, now time.Time) bool {
	return !d.ReleaseOn.IsZero() && berlinDay(now) >= d.ReleaseOn.Format(time.DateOnly)
}

// cancelOpen reports whether a booking of the date may be cancelled now.
func cancelOpen(d survey.OfferDate, now time.Time) bool {
	if !now.Before(d.Start) {
		return false
	}
	return d.CancelUntil.IsZero() || berlinDay(now) <= d.CancelUntil.Format(time.DateOnly)
}

// dateCounts are a date's places as seen by one Kommune.
type dateCounts struct {
	taken, reservedOthers, reservedOwn, waiting int
}

// free is the number of places the Kommune may book.
func (c dateCounts) free(capacity int) int { return max(capacity-c.taken-c.reservedOthers, 0) }

// countDate reads a date's counts for kommuneID within q; with rel the
// reservations have ended.
func countDate(ctx context.Context, q rowQuerier, dateID, kommuneID int64, rel bool) (dateCounts, error) {
	var c dateCounts
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM bookings WHERE date_id = ?1 AND status IN ('booked', 'attended')),
		(SELECT count(*) FROM bookings WHERE date_id = ?1 AND status = 'waiting'),
		coalesce((SELECT sum(max(r.seats - (SELECT count(*) FROM bookings b WHERE b.date_id = r.date_id AND b.kommune_id = r.kommune_id
			AND b.status IN ('booked', 'attended')), 0)) FROM date_reservations r WHERE r.date_id = ?1 AND r.kommune_id != ?2), 0),
		coalesce((SELECT seats FROM date_reservations WHERE date_id = ?1 AND kommune_id = ?2), 0)`,
		dateID, kommuneID).Scan(&c.taken, &c.waiting, &c.reservedOthers, &c.reservedOwn)
	if err != nil {
		return c, fmt.Errorf("places of date %d: %w", dateID, err)
	}
	if rel {
		c.reservedOthers, c.reservedOwn = 0, 0
	}
	return c, nil
}

// bookable loads a published offer of the round and, for a date, the
// scheduled date of it that has not started; anything else is not found.
//
// Of a training offer only the date asked for is read (o.Dates holds it
// alone): a booking's reads do not grow with the offer's dates.
func (s *Store) bookable(ctx context.Context, tx *sql.Tx, roundID, offerID, dateID int64) (survey.Offer, survey.OfferDate, error) {
	o, err := offerDateInTx(ctx, tx, roundID, offerID, dateID)
	if err != nil {
		if survey.ErrorCode(err) == survey.ENotFound {
			return o, survey.OfferDate{}, survey.NewError(survey.ENotFound, "msg.booking.not_found")
		}
		return o, survey.OfferDate{}, err
	}
	if o.Status != survey.OfferPublished {
		return o, survey.OfferDate{}, survey.NewError(survey.ENotFound, "msg.booking.not_found")
	}
	if o.Kind == survey.OfferGroup {
		if dateID != 0 {
			return o, survey.OfferDate{}, survey.NewError(survey.ENotFound, "msg.booking.not_found")
		}
		return o, survey.OfferDate{}, nil
	}
	d, ok := dateOf(o, dateID)
	if !ok || d.Status != survey.DateScheduled {
		return o, d, survey.NewError(survey.ENotFound, "msg.booking.not_found")
	}
	if !s.now().Before(d.Start) {
		return o, d, survey.NewError(survey.EConflict, "msg.booking.date_past")
	}
	return o, d, nil
}

// Book books a place for a participant of the Kommune: on a training date
// a place if one is free for the Kommune, else a place on the waiting
// list; in a group one of the Kommune's seats, refused when all are taken.
// The mail to the participant (confirmation or waiting list) is queued in
// the same transaction.
func (s *Store) Book(ctx context.Context, req BookRequest, a survey.Actor) (BookResult, error) {
	p := req.Participant
	if err := p.Normalize(); err != nil {
		return BookResult{}, err
	}
	var out BookResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.bookTx(ctx, tx, req, p, a)
		return err
	})
	return out, err
}

// bookTx is Book within tx, for the participant p as normalized.
func (s *Store) bookTx(ctx context.Context, tx *sql.Tx, req BookRequest, p survey.Participant, a survey.Actor) (BookResult, error) {
	var out BookResult
	err := func() error {
		o, d, err := s.bookable(ctx, tx, req.RoundID, req.OfferID, req.DateID)
		if err != nil {
			return err
		}
		if out.ParticipantID, err = s.nameParticipant(ctx, tx, req.RoundID, req.KommuneID, p, a); err != nil {
			return err
		}
		var twice int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bookings WHERE offer_id = ? AND coalesce(date_id, 0) = ?
			AND participant_id = ? AND status != 'cancelled'`, o.ID, req.DateID, out.ParticipantID).Scan(&twice); err != nil {
			return fmt.Errorf("booked before: %w", err)
		}
		if twice > 0 {
			return survey.NewError(survey.EConflict, "msg.booking.twice").At("email")
		}
		out.Status = survey.BookingBooked
		full := false
		if o.Kind == survey.OfferGroup {
			seats := 0
			for _, m := range o.Members {
				if m.KommuneID == req.KommuneID {
					seats = m.Seats
				}
			}
			if seats == 0 {
				return survey.NewError(survey.ENotFound, "msg.booking.no_seats")
			}
			var used int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM bookings WHERE offer_id = ? AND date_id IS NULL AND kommune_id = ?
				AND status IN ('booked', 'attended')`, o.ID, req.KommuneID).Scan(&used); err != nil {
				return fmt.Errorf("seats used: %w", err)
			}
			if used >= seats {
				return survey.NewError(survey.EConflict, "msg.booking.seats_full", seats)
			}
		} else {
			c, err := countDate(ctx, tx, d.ID, req.KommuneID, released(d, s.now()))
			if err != nil {
				return err
			}
			// The waiting list is served first: a new booking does not
			// overtake those waiting who could take the place.
			if c.free(d.Capacity) == 0 || c.waiting > 0 {
				out.Status = survey.BookingWaiting
			}
			// Only a date with places left may serve its waiting list now.
			full = c.taken >= d.Capacity
		}
		var since any
		if out.Status == survey.BookingWaiting {
			since = s.stamp()
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO bookings (offer_id, date_id, participant_id, kommune_id, status, waiting_since,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			o.ID, nullID(req.DateID), out.ParticipantID, req.KommuneID, out.Status, since, s.stamp(), s.stamp())
		if err != nil {
			return fmt.Errorf("insert booking: %w", err)
		}
		out.BookingID, _ = res.LastInsertId()
		action := "booking.book"
		if o.Kind == survey.OfferGroup {
			// A seat takes part in every session: an invitation to each
			// session still to come (offer_mail_dates.go).
			if err := s.sessionMails(ctx, tx, o, out.BookingID, out.ParticipantID, survey.OfferMailConfirmation); err != nil {
				return err
			}
		}
		if o.Kind == survey.OfferTraining {
			if out.Status == survey.BookingWaiting && !full {
				// Someone waiting before may fit a place this Kommune may
				// not take (reservations): serve the list in order.
				if _, err := s.fillDate(ctx, tx, req.RoundID, d, a); err != nil {
					return err
				}
				if err := tx.QueryRowContext(ctx, "SELECT status FROM bookings WHERE id = ?", out.BookingID).Scan(&out.Status); err != nil {
					return err
				}
			}
			kind := survey.OfferMailConfirmation
			if out.Status == survey.BookingWaiting {
				action, kind = "booking.wait", survey.OfferMailWaiting
				if out.Position, err = waitingPosition(ctx, tx, out.BookingID); err != nil {
					return err
				}
			}
			if err := s.queueOfferMail(ctx, tx, out.BookingID, out.ParticipantID, d.ID, kind); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, action, req.RoundID, req.KommuneID, fmt.Sprintf("Buchung %d: Teilnehmende %d, Angebot %d %s, Termin %d, %s",
			out.BookingID, out.ParticipantID, o.ID, o.Title, req.DateID, out.Status))
	}()
	return out, err
}

// nameParticipant returns the id of the Kommune's participant with p's
// e-mail address (updating name and function) or of a new one.
func (s *Store) nameParticipant(ctx context.Context, tx *sql.Tx, roundID, kommuneID int64, p survey.Participant, a survey.Actor) (int64, error) {
	var id int64
	var name, function string
	err := tx.QueryRowContext(ctx, "SELECT id, name, function FROM participants WHERE kommune_id = ? AND email = ? COLLATE NOCASE ORDER BY id LIMIT 1",
		kommuneID, p.Email).Scan(&id, &name, &function)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := tx.ExecContext(ctx, `INSERT INTO participants (kommune_id, name, function, email, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, kommuneID, p.Name, p.Function, p.Email, s.stamp(), s.stamp())
		if err != nil {
			return 0, fmt.Errorf("insert participant: %w", err)
		}
		id, _ = res.LastInsertId()
		return id, s.audit(ctx, tx, a, "participant.add", roundID, kommuneID, fmt.Sprintf("Teilnehmende %d", id))
	case err != nil:
		return 0, fmt.Errorf("participant: %w", err)
	case name == p.Name && function == p.Function:
		return id, nil
	}
	if _, err := tx.ExecContext(ctx, "UPDATE participants SET name = ?, function = ?, updated_at = ? WHERE id = ?",
		p.Name, p.Function, s.stamp(), id); err != nil {
		return 0, fmt.Errorf("update participant %d: %w", id, err)
	}
	return id, s.audit(ctx, tx, a, "participant.update", roundID, kommuneID, fmt.Sprintf("Teilnehmende %d: Name oder Funktion geändert", id))
}

// waitingPosition is the booking's place on its date's waiting list.
func waitingPosition(ctx context.Context, q rowQuerier, bookingID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM bookings w JOIN bookings b ON b.id = ?1
		WHERE w.date_id = b.date_id AND w.status = 'waiting' AND (w.waiting_since < b.waiting_since OR (w.waiting_since = b.waiting_since AND w.id <= b.id))`,
		bookingID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("waiting position of booking %d: %w", bookingID, err)
	}
	return n, nil
}

// fillDate moves waiting bookings of the date up into its free places, in
// the order of the waiting list, each only if its Kommune may take a
// place (reservations for others before release), and queues their
// move-up mails. A date that has started or is cancelled is left alone.
// It returns how many moved up.
func (s *Store) fillDate(ctx context.Context, tx *sql.Tx, roundID int64, d survey.OfferDate, a survey.Actor) (int, error) {
	now := s.now()
	if d.Status != survey.DateScheduled || !now.Before(d.Start) {
		return 0, nil
	}
	rel := released(d, now)
	moved := 0
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, participant_id, kommune_id FROM bookings WHERE date_id = ? AND status = 'waiting'
			ORDER BY waiting_since, id`, d.ID)
		if err != nil {
			return moved, fmt.Errorf("waiting list of date %d: %w", d.ID, err)
		}
		type waiting struct{ id, participant, kommune int64 }
		var list []waiting
		for rows.Next() {
			var w waiting
			if err := rows.Scan(&w.id, &w.participant, &w.kommune); err != nil {
				rows.Close()
				return moved, err
			}
			list = append(list, w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return moved, err
		}
		var next *waiting
		for i, w := range list {
			c, err := countDate(ctx, tx, d.ID, w.kommune, rel)
			if err != nil {
				return moved, err
			}
			if c.free(d.Capacity) == 0 {
				if c.taken >= d.Capacity {
					return moved, nil // full for everyone
				}
				continue
			}
			next = &list[i]
			break
		}
		if next == nil {
			return moved, nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE bookings SET status = 'booked', moved_up_at = ?, updated_at = ? WHERE id = ?",
			s.stamp(), s.stamp(), next.id); err != nil {
			return moved, fmt.Errorf("move up booking %d: %w", next.id, err)
		}
		if err := s.queueOfferMail(ctx, tx, next.id, next.participant, d.ID, survey.OfferMailMovedUp); err != nil {
			return moved, err
		}
		if err := s.audit(ctx, tx, a, "booking.move_up", roundID, next.kommune, fmt.Sprintf("Buchung %d: Teilnehmende %d, Termin %d nachgerückt",
			next.id, next.participant, d.ID)); err != nil {
			return moved, err
		}
		moved++
	}
}

// FillDate moves waiting bookings of a date of the round up into its free
// places (after a capacity raise or the release day; see fillDate) and
// returns how many moved up.
func (s *Store) FillDate(ctx context.Context, roundID, offerID, dateID int64, a survey.Actor) (int, error) {
	var n int
	err := s.write(ctx, func(tx *sql.Tx) error {
		o, err := offerInTx(ctx, tx, roundID, offerID, true)
		if err != nil {
			return err
		}
		d, ok := dateOf(o, dateID)
		if !ok {
			return survey.NewError(survey.ENotFound, "msg.offer.date_not_found")
		}
		n, err = s.fillDate(ctx, tx, roundID, d, a)
		return err
	})
	return n, err
}

// CancelBooking cancels a booking of the Kommune in the round (until the
// date's cancellation deadline; a group seat at any time), moves the
// first waiting booking that may take the freed place up and queues the
// mails (cancellation, move-up).
func (s *Store) CancelBooking(ctx context.Context, roundID, kommuneID, bookingID int64, a survey.Actor) error {
	return s.cancelBooking(ctx, roundID, kommuneID, bookingID, false, a)
}

// DeclineMoveUp cancels a booking that moved up from the waiting list,
// for the participant who cannot take the place: like CancelBooking, but
// also after the cancellation deadline (until the date starts), and only
// for a moved-up booking.
func (s *Store) DeclineMoveUp(ctx context.Context, roundID, kommuneID, bookingID int64, a survey.Actor) error {
	return s.cancelBooking(ctx, roundID, kommuneID, bookingID, true, a)
}

func (s *Store) cancelBooking(ctx context.Context, roundID, kommuneID, bookingID int64, decline bool, a survey.Actor) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var b survey.Booking
		var dateID sql.NullInt64
		var movedUp sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT b.id, b.offer_id, b.date_id, b.participant_id, b.kommune_id, b.status, b.moved_up_at
			FROM bookings b JOIN offers o ON o.id = b.offer_id WHERE b.id = ? AND b.kommune_id = ? AND o.round_id = ?`,
			bookingID, kommuneID, roundID).Scan(&b.ID, &b.OfferID, &dateID, &b.ParticipantID, &b.KommuneID, &b.Status, &movedUp)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.booking.booking_missing")
		}
		if err != nil {
			return fmt.Errorf("booking %d: %w", bookingID, err)
		}
		b.DateID = dateID.Int64
		switch {
		case b.Status == survey.BookingCancelled:
			return survey.NewError(survey.EConflict, "msg.booking.already_cancelled")
		case b.Status == survey.BookingAttended:
			return survey.NewError(survey.EConflict, "msg.booking.date_past")
		case decline && (!movedUp.Valid || b.Status != survey.BookingBooked):
			return survey.NewError(survey.EConflict, "msg.booking.not_moved_up")
		}
		o, err := offerInTx(ctx, tx, roundID, b.OfferID, true)
		if err != nil {
			return err
		}
		var d survey.OfferDate
		if b.DateID != 0 {
			var ok bool
			if d, ok = dateOf(o, b.DateID); !ok {
				return survey.NewError(survey.ENotFound, "msg.booking.booking_missing")
			}
			now := s.now()
			switch {
			case !now.Before(d.Start):
				return survey.NewError(survey.EConflict, "msg.booking.date_past")
			case !decline && !cancelOpen(d, now):
				return survey.NewError(survey.EConflict, "msg.booking.deadline", d.CancelUntil.Format("02.01.2006"))
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE bookings SET status = 'cancelled', updated_at = ? WHERE id = ?", s.stamp(), b.ID); err != nil {
			return fmt.Errorf("cancel booking %d: %w", b.ID, err)
		}
		action := "booking.cancel"
		if decline {
			action = "booking.decline"
		}
		if err := s.audit(ctx, tx, a, action, roundID, kommuneID, fmt.Sprintf("Buchung %d: Teilnehmende %d, Angebot %d %s, Termin %d, war %s",
			b.ID, b.ParticipantID, o.ID, o.Title, b.DateID, b.Status)); err != nil {
			return err
		}
		if b.DateID == 0 {
			// A group seat: its sessions still to come leave the calendar.
			return s.sessionMails(ctx, tx, o, b.ID, b.ParticipantID, survey.OfferMailBookingCancelled)
		}
		if d.Status != survey.DateScheduled {
			return nil
		}
		if err := s.queueOfferMail(ctx, tx, b.ID, b.ParticipantID, d.ID, survey.OfferMailBookingCancelled); err != nil {
			return err
		}
		_, err = s.fillDate(ctx, tx, roundID, d, a)
		return err
	})
}

// statusMailKinds are the mails that count in a participant's SEQUENCE of
// a date (docs/offers-mail.md).
const statusMailKinds = "'confirmation', 'waiting', 'moved_up', 'booking_cancelled'"

// queueOfferMail queues a mail of the kind to the participant about the
// date, with the calendar entry's SEQUENCE (the date's sequence plus the
// earlier status mails about it) and whether it is the first mail to the
// participant.
func (s *Store) queueOfferMail(ctx context.Context, tx *sql.Tx, bookingID, participantID, dateID int64, kind survey.OfferMailKind) error {
	return s.queueOfferMailWith(ctx, tx, bookingID, participantID, dateID, kind, offerMailExtra{})
}

// queueOfferMailWith is queueOfferMail with what the mail carries beyond
// its ids (offer_mail_dates.go).
func (s *Store) queueOfferMailWith(ctx context.Context, tx *sql.Tx, bookingID, participantID, dateID int64, kind survey.OfferMailKind, x offerMailExtra) error {
	var seq, earlier, before int
	err := tx.QueryRowContext(ctx, `SELECT (SELECT sequence FROM offer_dates WHERE id = ?2),
		(SELECT count(*) FROM offer_mails WHERE participant_id = ?1 AND date_id = ?2 AND kind IN (`+statusMailKinds+`)),
		(SELECT count(*) FROM offer_mails WHERE participant_id = ?1 AND status != 'cancelled')`, participantID, dateID).Scan(&seq, &earlier, &before)
	if err != nil {
		return fmt.Errorf("sequence of mail: %w", err)
	}
	seq += earlier
	if kind == survey.OfferMailReminder || kind == survey.OfferMailMessage {
		// Changes nothing: the SEQUENCE of the participant's last calendar
		// object about the date (if any).
		var last sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(sequence) FROM offer_mails WHERE participant_id = ? AND date_id = ?
			AND kind NOT IN ('reminder', 'message')`, participantID, dateID).Scan(&last); err != nil {
			return fmt.Errorf("sequence of mail: %w", err)
		}
		if last.Valid && int(last.Int64) < seq {
			seq = int(last.Int64)
		}
	}
	var prevStart, prevEnd, prevPlace any
	if x.prev != nil {
		prevStart, prevEnd, prevPlace = x.prev.Start.UTC().Format(time.RFC3339), x.prev.End.UTC().Format(time.RFC3339), x.prev.Place
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO offer_mails (booking_id, participant_id, date_id, kind, sequence, first_mail, status,
		queued_at, updated_at, prev_starts_at, prev_ends_at, prev_place, reason, message_id) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`,
		bookingID, participantID, dateID, kind, seq, before == 0, s.stamp(), s.stamp(), prevStart, prevEnd, prevPlace, x.reason, nullID(x.messageID)); err != nil {
		return fmt.Errorf("queue %s mail: %w", kind, err)
	}
	return nil
}

// KommuneBookings returns what the booking page shows the Kommune in the
// round, read in one transaction: the published groups it is member of
// with its own participants, the published training dates with their
// places and its own bookings, and its participants.
func (s *Store) KommuneBookings(ctx context.Context, roundID, kommuneID int64) (BookingOverview, error) {
	var out BookingOverview
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, fmt.Errorf("bookings of Kommune %d: %w", kommuneID, err)
	}
	defer tx.Rollback()
	set, err := readOffers(ctx, tx, roundID, 0)
	if err != nil {
		return out, fmt.Errorf("bookings of Kommune %d: %w", kommuneID, err)
	}
	lines, err := kommuneBookingLines(ctx, tx, roundID, kommuneID)
	if err != nil {
		return out, err
	}
	now := s.now()
	for _, o := range set.Offers {
		if o.Status != survey.OfferPublished {
			continue
		}
		bare := o
		bare.Members, bare.Dates = nil, nil
		if o.Kind == survey.OfferGroup {
			seats := 0
			for _, m := range o.Members {
				if m.KommuneID == kommuneID {
					seats = m.Seats
				}
			}
			if seats == 0 {
				continue
			}
			g := GroupBooking{Offer: bare, Seats: seats}
			for _, l := range lines {
				if l.OfferID == o.ID && l.DateID == 0 {
					g.Bookings = append(g.Bookings, l)
				}
			}
			out.Groups = append(out.Groups, g)
			continue
		}
		for _, d := range o.Dates {
			if d.Status != survey.DateScheduled {
				continue
			}
			rel := released(d, now)
			c, err := countDate(ctx, tx, d.ID, kommuneID, rel)
			if err != nil {
				return out, err
			}
			db := DateBooking{Offer: bare, Date: d, Taken: c.taken, Free: c.free(d.Capacity), Reserved: c.reservedOwn,
				ReservedOthers: c.reservedOthers, Waiting: c.waiting, Released: rel, Started: !now.Before(d.Start),
				CancelOpen: cancelOpen(d, now)}
			for _, l := range lines {
				if l.DateID == d.ID {
					db.Bookings = append(db.Bookings, l)
				}
			}
			out.Dates = append(out.Dates, db)
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT id, kommune_id, name, function, email FROM participants WHERE kommune_id = ? ORDER BY name, id", kommuneID)
	if err != nil {
		return out, fmt.Errorf("participants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p survey.Participant
		if err := rows.Scan(&p.ID, &p.KommuneID, &p.Name, &p.Function, &p.Email); err != nil {
			return out, err
		}
		out.Participants = append(out.Participants, p)
	}
	return out, rows.Err()
}

// kommuneBookingLines reads the Kommune's bookings (not cancelled) in the
// round with participants and waiting positions.
func kommuneBookingLines(ctx context.Context, q rowQuerier, roundID, kommuneID int64) ([]BookingLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT b.id, b.offer_id, coalesce(b.date_id, 0), b.participant_id, b.kommune_id, b.status,
		coalesce(b.waiting_since, ''), b.moved_up_at IS NOT NULL, p.name, p.function, p.email,
		CASE WHEN b.status = 'waiting' THEN (SELECT count(*) FROM bookings w WHERE w.date_id = b.date_id AND w.status = 'waiting'
			AND (w.waiting_since < b.waiting_since OR (w.waiting_since = b.waiting_since AND w.id <= b.id))) ELSE 0 END
		FROM bookings b JOIN offers o ON o.id = b.offer_id JOIN participants p ON p.id = b.participant_id
		WHERE o.round_id = ? AND b.kommune_id = ? AND b.status != 'cancelled' ORDER BY b.status = 'waiting', p.name, b.id`, roundID, kommuneID)
	if err != nil {
		return nil, fmt.Errorf("bookings of Kommune %d: %w", kommuneID, err)
	}
	defer rows.Close()
	var out []BookingLine
	for rows.Next() {
		var l BookingLine
		var since string
		if err := rows.Scan(&l.ID, &l.OfferID, &l.DateID, &l.ParticipantID, &l.KommuneID, &l.Status, &since, &l.MovedUp,
			&l.Participant.Name, &l.Participant.Function, &l.Participant.Email, &l.Position); err != nil {
			return nil, err
		}
		l.Participant.ID, l.Participant.KommuneID = l.ParticipantID, l.KommuneID
		l.WaitingSince = parseTime(sql.NullString{String: since, Valid: since != ""})
		out = append(out, l)
	}
	return out, rows.Err()
}

// DateBookings returns every booking of a date (all Kommunen; for staff
// and tests), waiting ones in the order of the list.
func (s *Store) DateBookings(ctx context.Context, dateID int64) ([]survey.Booking, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, offer_id, coalesce(date_id, 0), participant_id, kommune_id, status, coalesce(waiting_since, '')
		FROM bookings WHERE date_id = ? ORDER BY status = 'waiting', waiting_since, id`, dateID)
	if err != nil {
		return nil, fmt.Errorf("bookings of date %d: %w", dateID, err)
	}
	defer rows.Close()
	var out []survey.Booking
	for rows.Next() {
		var b survey.Booking
		var since string
		if err := rows.Scan(&b.ID, &b.OfferID, &b.DateID, &b.ParticipantID, &b.KommuneID, &b.Status, &since); err != nil {
			return nil, err
		}
		b.WaitingSince = parseTime(sql.NullString{String: since, Valid: since != ""})
		out = append(out, b)
	}
	return out, rows.Err()
}

// SetReservation sets the seats of a training date reserved for a
// Kommune (by AGS; 0 removes the reservation) until the date's release
// day, and moves waiting bookings up when places are freed by it.
func (s *Store) SetReservation(ctx context.Context, roundID, offerID, dateID int64, ags string, seats int, a survey.Actor) error {
	if seats < 0 || seats > survey.MaxOfferCount {
		return survey.NewError(survey.EInvalid, "msg.offer.range", 0, survey.MaxOfferCount).At("plaetze")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		o, err := offerInTx(ctx, tx, roundID, offerID, false)
		if err != nil {
			return err
		}
		d, ok := dateOf(o, dateID)
		if !ok || o.Kind != survey.OfferTraining {
			return survey.NewError(survey.ENotFound, "msg.offer.date_not_found")
		}
		kid, err := kommuneID(ctx, tx, ags)
		if err != nil {
			return err
		}
		if seats == 0 {
			_, err = tx.ExecContext(ctx, "DELETE FROM date_reservations WHERE date_id = ? AND kommune_id = ?", d.ID, kid)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO date_reservations (date_id, kommune_id, seats) VALUES (?, ?, ?)
				ON CONFLICT (date_id, kommune_id) DO UPDATE SET seats = excluded.seats`, d.ID, kid, seats)
		}
		if err != nil {
			return fmt.Errorf("reservation of date %d: %w", d.ID, err)
		}
		if err := s.audit(ctx, tx, a, "offer.date.reserve", roundID, kid, fmt.Sprintf("%d %s: Termin %d, %d Plätze reserviert", o.ID, o.Title, d.ID, seats)); err != nil {
			return err
		}
		_, err = s.fillDate(ctx, tx, roundID, d, a)
		return err
	})
}

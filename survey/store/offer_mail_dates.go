package store

// The mails to participants about a date as a whole (docs/offers-mail.md):
// a change of its time or place, its cancellation (alone or with its
// offer), the reminder a few days before, and staff's message to its
// participants. Each is queued in offer_mails in the write transaction of
// what it tells of, like the booking's mails (bookings.go).
//
// Who is told: on a training date the bookings of the date that are
// booked or waiting (a message: booked, and waiting only when staff ask);
// on a session of a supervision group every booked seat of the group (the
// group's participants take part in every session; a group has no
// waiting list). Participants without an address (emptied by the
// retention) are left out. Dates that have begun are not told of changes
// any more.

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"bedarf/survey"
)

// offerMailExtra is what a queued mail carries beyond its ids: the
// schedule before a change, staff's reason for a cancellation, the message.
type offerMailExtra struct {
	prev      *survey.OfferSchedule
	reason    string
	messageID int64
}

// dateRecipient is a participant told of something about a date.
type dateRecipient struct {
	booking, participant, kommune int64
}

// dateRecipients returns the participants of the date of offer o: booked
// (and, with waiting, waiting) bookings of a training date, booked seats
// of a group for its sessions; only those with an address.
func dateRecipients(ctx context.Context, q rowQuerier, o survey.Offer, dateID int64, waiting bool) ([]dateRecipient, error) {
	statuses := "'booked'"
	if waiting {
		statuses = "'booked', 'waiting'"
	}
	where, args := "b.date_id = ?", []any{dateID}
	if o.Kind == survey.OfferGroup {
		where, args = "b.offer_id = ? AND b.date_id IS NULL", []any{o.ID}
	}
	rows, err := q.QueryContext(ctx, `SELECT b.id, b.participant_id, b.kommune_id FROM bookings b JOIN participants p ON p.id = b.participant_id
		WHERE `+where+` AND b.status IN (`+statuses+`) AND p.email != '' ORDER BY b.status = 'waiting', b.waiting_since, b.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("participants of date %d: %w", dateID, err)
	}
	defer rows.Close()
	var out []dateRecipient
	for rows.Next() {
		var r dateRecipient
		if err := rows.Scan(&r.booking, &r.participant, &r.kommune); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// queueDateMails queues a mail of the kind (changed or cancelled) to every
// participant booked or waiting on the date d of offer o, unless the date
// has begun, and returns how many. The date's sequence must already be
// raised in tx.
func (s *Store) queueDateMails(ctx context.Context, tx *sql.Tx, o survey.Offer, d survey.OfferDate, kind survey.OfferMailKind, extra offerMailExtra) (int, error) {
	if !s.now().Before(d.Start) {
		return 0, nil
	}
	rs, err := dateRecipients(ctx, tx, o, d.ID, true)
	if err != nil {
		return 0, err
	}
	for _, r := range rs {
		if err := s.queueOfferMailWith(ctx, tx, r.booking, r.participant, d.ID, kind, extra); err != nil {
			return 0, err
		}
	}
	return len(rs), nil
}

// sessionMails queues a mail of the kind (an invitation or a
// cancellation) about each scheduled session still to come of the group o
// to the participant of a seat.
func (s *Store) sessionMails(ctx context.Context, tx *sql.Tx, o survey.Offer, bookingID, participantID int64, kind survey.OfferMailKind) error {
	now := s.now()
	for _, d := range o.Dates {
		if d.Status != survey.DateScheduled || !now.Before(d.Start) {
			continue
		}
		if err := s.queueOfferMail(ctx, tx, bookingID, participantID, d.ID, kind); err != nil {
			return err
		}
	}
	return nil
}

// inviteToSession queues the invitation to a new session d of the
// published group o to every booked seat, unless it has begun.
func (s *Store) inviteToSession(ctx context.Context, tx *sql.Tx, o survey.Offer, d survey.OfferDate) error {
	if o.Kind != survey.OfferGroup || o.Status != survey.OfferPublished || !s.now().Before(d.Start) {
		return nil
	}
	rs, err := dateRecipients(ctx, tx, o, d.ID, false)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := s.queueOfferMail(ctx, tx, r.booking, r.participant, d.ID, survey.OfferMailConfirmation); err != nil {
			return err
		}
	}
	return nil
}

// cancelOffer marks an offer of the round and its scheduled dates
// cancelled and queues the cancellation to the participants of each of
// its dates still to come.
func (s *Store) cancelOffer(ctx context.Context, tx *sql.Tx, roundID, id int64) error {
	o, err := offerInTx(ctx, tx, roundID, id, true)
	if err != nil {
		return err
	}
	now := s.stamp()
	if _, err := tx.ExecContext(ctx, "UPDATE offers SET status = 'cancelled', updated_at = ? WHERE id = ?", now, id); err != nil {
		return fmt.Errorf("cancel offer %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE offer_dates SET status = 'cancelled', sequence = sequence + 1, updated_at = ?
		WHERE offer_id = ? AND status = 'scheduled'`, now, id); err != nil {
		return fmt.Errorf("cancel dates of offer %d: %w", id, err)
	}
	for _, d := range o.Dates {
		if d.Status != survey.DateScheduled {
			continue
		}
		if _, err := s.queueDateMails(ctx, tx, o, d, survey.OfferMailCancelled, offerMailExtra{}); err != nil {
			return err
		}
	}
	return nil
}

// DefaultOfferReminderDays is how many days before a date its booked
// participants are reminded unless configured otherwise.
const DefaultOfferReminderDays = 3

// MaxOfferReminderDays bounds the days of the reminder.
const MaxOfferReminderDays = 30

// reminderActor writes the reminders' audit entries.
var reminderActor = survey.Actor{Kind: "system", Label: "Erinnerung an Teilnehmende"}

// QueueOfferReminders queues the reminders due now: one to every booked
// participant of a scheduled date of a published offer that starts within
// days (from the Berlin day days before the start until the start), unless
// the participant got a reminder about the date already, or their
// booking's confirmation or move-up was queued on or after the first day
// of the reminder (the mail is fresh). Waiting and cancelled bookings,
// cancelled dates and offers and dates that have begun get none. It
// returns how many it queued. One write transaction; the unique index
// offer_mails_reminder_once keeps it at one per participant and date under
// any number of runs at once.
func (s *Store) QueueOfferReminders(ctx context.Context, days int) (int, error) {
	if days <= 0 {
		return 0, nil
	}
	days = min(days, MaxOfferReminderDays)
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.now()
		// Coarse in SQL (starts within days + 2 days), exact in Berlin days
		// below.
		rows, err := tx.QueryContext(ctx, `SELECT o.round_id, o.id, d.id FROM offer_dates d JOIN offers o ON o.id = d.offer_id
			WHERE d.status = 'scheduled' AND o.status = 'published' AND d.starts_at > ? AND d.starts_at <= ? ORDER BY d.starts_at, d.id`,
			now.UTC().Format(time.RFC3339), now.AddDate(0, 0, days+2).UTC().Format(time.RFC3339))
		if err != nil {
			return fmt.Errorf("dates to remind of: %w", err)
		}
		type due struct{ round, offer, date int64 }
		var dues []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.round, &d.offer, &d.date); err != nil {
				rows.Close()
				return err
			}
			dues = append(dues, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, du := range dues {
			o, err := offerInTx(ctx, tx, du.round, du.offer, false)
			if err != nil {
				return err
			}
			d, ok := dateOf(o, du.date)
			if !ok || !now.Before(d.Start) {
				continue
			}
			start := d.Start.In(survey.Berlin())
			first := time.Date(start.Year(), start.Month(), start.Day()-days, 0, 0, 0, 0, survey.Berlin())
			if now.Before(first) {
				continue
			}
			rs, err := dateRecipients(ctx, tx, o, d.ID, false)
			if err != nil {
				return err
			}
			for _, r := range rs {
				var fresh int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM offer_mails WHERE participant_id = ? AND date_id = ?
					AND (kind = 'reminder' OR (kind IN ('confirmation', 'moved_up') AND queued_at >= ?))`,
					r.participant, d.ID, first.UTC().Format(timeLayout)).Scan(&fresh); err != nil {
					return fmt.Errorf("reminder of participant %d: %w", r.participant, err)
				}
				if fresh > 0 {
					continue
				}
				if err := s.queueOfferMailWith(ctx, tx, r.booking, r.participant, d.ID, survey.OfferMailReminder, offerMailExtra{}); err != nil {
					return err
				}
				n++
			}
		}
		if n == 0 {
			return nil
		}
		return s.audit(ctx, tx, reminderActor, "offermail.remind", 0, 0,
			fmt.Sprintf("%d Erinnerungen an Teilnehmende (%d Tage vorher)", n, days))
	})
	return n, err
}

// OfferMessageResult is what became of staff's message to a date's
// participants.
type OfferMessageResult struct {
	MessageID  int64
	Recipients int
}

// DateMessageRecipients counts who a message to the participants of the
// date of the round's offer would reach now (booked; with waiting also the
// waiting list): for the preview.
func (s *Store) DateMessageRecipients(ctx context.Context, roundID, dateID int64, waiting bool) (int, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	o, err := dateOffer(ctx, tx, roundID, dateID)
	if err != nil {
		return 0, err
	}
	rs, err := dateRecipients(ctx, tx, o, dateID, waiting)
	return len(rs), err
}

// dateOffer reads the offer of a date of the round (not found for a date
// of another round).
func dateOffer(ctx context.Context, q rowQuerier, roundID, dateID int64) (survey.Offer, error) {
	var offerID int64
	err := q.QueryRowContext(ctx, `SELECT d.offer_id FROM offer_dates d JOIN offers o ON o.id = d.offer_id
		WHERE d.id = ? AND o.round_id = ?`, dateID, roundID).Scan(&offerID)
	if err == sql.ErrNoRows {
		return survey.Offer{}, survey.NewError(survey.ENotFound, "msg.attendance.date_missing")
	}
	if err != nil {
		return survey.Offer{}, fmt.Errorf("date %d: %w", dateID, err)
	}
	set, err := readOffers(ctx, q, roundID, offerID)
	if err != nil || len(set.Offers) == 0 {
		return survey.Offer{}, fmt.Errorf("offer of date %d: %w", dateID, err)
	}
	return set.Offers[0], nil
}

// SendDateMessage stores staff's message to the participants of a date of
// the round and queues one mail to each (booked; with m.Waiting also the
// waiting list), in one write transaction with the audit entry
// "offermail.message" (ids and the count, no names and no text). The
// message is normalized and checked (survey.OfferMessage.Check); a date
// nobody with an address is booked on is refused (nothing stored), and so
// is a message whose recipients are no longer the expected number (the
// count staff saw in the preview; 0: not checked).
func (s *Store) SendDateMessage(ctx context.Context, roundID, dateID int64, m survey.OfferMessage, expect int, a survey.Actor) (OfferMessageResult, error) {
	m = m.Normalize()
	if err := m.Check(); err != nil {
		return OfferMessageResult{}, err
	}
	var out OfferMessageResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		o, err := dateOffer(ctx, tx, roundID, dateID)
		if err != nil {
			return err
		}
		rs, err := dateRecipients(ctx, tx, o, dateID, m.Waiting)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return survey.NewError(survey.EConflict, "msg.offermessage.nobody")
		}
		if expect > 0 && len(rs) != expect {
			return survey.NewError(survey.EConflict, "msg.offermessage.changed")
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO offer_messages (date_id, subject, body, waiting, recipients, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, dateID, m.Subject, m.Text, m.Waiting, len(rs), s.stamp())
		if err != nil {
			return fmt.Errorf("store message: %w", err)
		}
		out.MessageID, _ = res.LastInsertId()
		for _, r := range rs {
			if err := s.queueOfferMailWith(ctx, tx, r.booking, r.participant, dateID, survey.OfferMailMessage, offerMailExtra{messageID: out.MessageID}); err != nil {
				return err
			}
		}
		out.Recipients = len(rs)
		waiting := "angemeldete"
		if m.Waiting {
			waiting = "angemeldete und wartende"
		}
		return s.audit(ctx, tx, a, "offermail.message", roundID, 0, fmt.Sprintf("Mitteilung %d zu Angebot %d, Termin %d an %d Teilnehmende (%s)",
			out.MessageID, o.ID, dateID, len(rs), waiting))
	})
	return out, err
}

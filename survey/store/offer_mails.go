package store

// The queue of mails to participants of offers (offer_mails, migration
// 0022): rows are queued by the booking's transaction (bookings.go),
// claimed and finished by the mail worker with the same at-most-once rule
// as the Kommunen's mails (ClaimMail): 'sending' is committed before the
// mail server is contacted, and a row found 'sending' at start becomes
// 'unklar'.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"bedarf/survey"
)

// OfferMailJob is a claimed mail to a participant with everything it says.
type OfferMailJob struct {
	ID       int64
	Kind     survey.OfferMailKind
	Sequence int
	// FirstMail is set for the first mail to the participant (the Art. 14
	// notice).
	FirstMail   bool
	Attempts    int
	BookingID   int64
	Participant survey.Participant
	// Kommune is the Kommune that named the participant.
	Kommune survey.Kommune
	Offer   survey.Offer
	Date    survey.OfferDate
	// Waiting reports that the booking is on the waiting list now.
	Waiting bool
	// Previous is the date's schedule before a change (OfferMailChanged),
	// as the participant had it; Reason staff's reason for a cancellation;
	// Message staff's message (OfferMailMessage).
	Previous *survey.OfferSchedule
	Reason   string
	Message  survey.OfferMessage
}

// OfferMailRow is one queued or sent mail to a participant (for tests and
// staff).
type OfferMailRow struct {
	ID, BookingID, ParticipantID, DateID int64
	Kind                                 survey.OfferMailKind
	Sequence                             int
	FirstMail                            bool
	Status                               MailStatus
}

// OfferMails returns the mails to a participant, oldest first.
func (s *Store) OfferMails(ctx context.Context, participantID int64) ([]OfferMailRow, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, booking_id, participant_id, date_id, kind, sequence, first_mail, status
		FROM offer_mails WHERE participant_id = ? ORDER BY id`, participantID)
	if err != nil {
		return nil, fmt.Errorf("mails to participant %d: %w", participantID, err)
	}
	defer rows.Close()
	var out []OfferMailRow
	for rows.Next() {
		var m OfferMailRow
		if err := rows.Scan(&m.ID, &m.BookingID, &m.ParticipantID, &m.DateID, &m.Kind, &m.Sequence, &m.FirstMail, &m.Status); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ClaimOfferMail takes the oldest queued mail to a participant and commits
// it as 'sending' before anything is sent; false when none is queued.
func (s *Store) ClaimOfferMail(ctx context.Context) (OfferMailJob, bool, error) {
	var job OfferMailJob
	found := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		var roundID, offerID, dateID int64
		for {
			var bookingStatus, dateStatus, startsAt string
			var prevStart, prevEnd, prevPlace sql.NullString
			var messageID sql.NullInt64
			// The offer is the date's (a group booking may have moved to
			// another group since).
			err := tx.QueryRowContext(ctx, `SELECT m.id, m.kind, m.sequence, m.first_mail, m.attempts, m.booking_id, b.status, d.status, d.starts_at,
				p.id, p.kommune_id, p.name, p.function, p.email, o.round_id, o.id, m.date_id, m.prev_starts_at, m.prev_ends_at, m.prev_place,
				m.reason, m.message_id
				FROM offer_mails m JOIN bookings b ON b.id = m.booking_id JOIN participants p ON p.id = m.participant_id
				JOIN offer_dates d ON d.id = m.date_id JOIN offers o ON o.id = d.offer_id WHERE m.status = 'queued' ORDER BY m.id LIMIT 1`).Scan(
				&job.ID, &job.Kind, &job.Sequence, &job.FirstMail, &job.Attempts, &job.BookingID, &bookingStatus, &dateStatus, &startsAt,
				&job.Participant.ID, &job.Participant.KommuneID, &job.Participant.Name, &job.Participant.Function, &job.Participant.Email,
				&roundID, &offerID, &dateID, &prevStart, &prevEnd, &prevPlace, &job.Reason, &messageID)
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("next participant mail: %w", err)
			}
			job.Waiting = bookingStatus == string(survey.BookingWaiting)
			if stale := staleOfferMail(job.Kind, bookingStatus, dateStatus, startsAt, s.now()); stale != "" {
				if _, err := tx.ExecContext(ctx, "UPDATE offer_mails SET status = 'cancelled', server_answer = ?, updated_at = ? WHERE id = ?",
					stale, s.stamp(), job.ID); err != nil {
					return fmt.Errorf("drop participant mail %d: %w", job.ID, err)
				}
				if job.FirstMail { // the Art. 14 notice goes with the next mail
					if _, err := tx.ExecContext(ctx, `UPDATE offer_mails SET first_mail = 1 WHERE id = (SELECT min(id) FROM offer_mails
						WHERE participant_id = ? AND status = 'queued' AND id > ?)`, job.Participant.ID, job.ID); err != nil {
						return fmt.Errorf("drop participant mail %d: %w", job.ID, err)
					}
				}
				continue
			}
			if prevStart.Valid {
				job.Previous = &survey.OfferSchedule{Place: prevPlace.String}
				job.Previous.Start, _ = time.Parse(time.RFC3339, prevStart.String)
				job.Previous.End, _ = time.Parse(time.RFC3339, prevEnd.String)
			}
			if messageID.Valid {
				if err := tx.QueryRowContext(ctx, "SELECT subject, body, waiting FROM offer_messages WHERE id = ?", messageID.Int64).Scan(
					&job.Message.Subject, &job.Message.Text, &job.Message.Waiting); err != nil {
					return fmt.Errorf("message of participant mail %d: %w", job.ID, err)
				}
			}
			break
		}
		set, err := readOffers(ctx, tx, roundID, offerID)
		if err != nil || len(set.Offers) == 0 {
			return fmt.Errorf("offer of participant mail %d: %w", job.ID, err)
		}
		job.Offer = set.Offers[0]
		var ok bool
		if job.Date, ok = dateOf(job.Offer, dateID); !ok {
			return fmt.Errorf("date of participant mail %d missing", job.ID)
		}
		if err := tx.QueryRowContext(ctx, "SELECT id, ags, name FROM kommunen WHERE id = ?", job.Participant.KommuneID).Scan(
			&job.Kommune.ID, &job.Kommune.AGS, &job.Kommune.Name); err != nil {
			return fmt.Errorf("Kommune of participant mail %d: %w", job.ID, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE offer_mails SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'queued'",
			s.stamp(), job.ID); err != nil {
			return fmt.Errorf("claim participant mail %d: %w", job.ID, err)
		}
		job.Attempts++
		found = true
		return nil
	})
	if err != nil || !found {
		return OfferMailJob{}, false, err
	}
	return job, true, nil
}

// staleOfferMail says why a queued mail is not to be sent any more ("":
// send it): a reminder to a booking no longer booked, or of a date
// cancelled or begun; a message to a cancelled booking.
func staleOfferMail(kind survey.OfferMailKind, booking, date, startsAt string, now time.Time) string {
	start, _ := time.Parse(time.RFC3339, startsAt)
	switch {
	case kind == survey.OfferMailReminder && booking != string(survey.BookingBooked):
		return "nicht gesendet: die Buchung ist nicht mehr fest"
	case kind == survey.OfferMailReminder && date != string(survey.DateScheduled):
		return "nicht gesendet: der Termin ist abgesagt"
	case kind == survey.OfferMailReminder && !now.Before(start):
		return "nicht gesendet: der Termin hat begonnen"
	case kind == survey.OfferMailMessage && booking == string(survey.BookingCancelled):
		return "nicht gesendet: die Buchung ist storniert"
	}
	return ""
}

// FinishOfferMail records the outcome of a claimed mail to a participant:
// sent, failed or unklar, with the server's answer.
func (s *Store) FinishOfferMail(ctx context.Context, id int64, status MailStatus, answer string) error {
	if status != MailSent && status != MailFailed && status != MailUnclear {
		return fmt.Errorf("finish participant mail %d: status %q", id, status)
	}
	if len(answer) > 2000 {
		answer = answer[:2000]
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var kind survey.OfferMailKind
		var roundID, kommuneID, participantID int64
		err := tx.QueryRowContext(ctx, `SELECT m.kind, o.round_id, b.kommune_id, m.participant_id FROM offer_mails m
			JOIN bookings b ON b.id = m.booking_id JOIN offers o ON o.id = b.offer_id WHERE m.id = ? AND m.status = 'sending'`, id).Scan(
			&kind, &roundID, &kommuneID, &participantID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("finish participant mail %d: not being sent", id)
		}
		if err != nil {
			return err
		}
		var sent any
		if status == MailSent {
			sent = s.stamp()
		}
		if _, err := tx.ExecContext(ctx, "UPDATE offer_mails SET status = ?, server_answer = ?, updated_at = ?, sent_at = ? WHERE id = ?",
			status, answer, s.stamp(), sent, id); err != nil {
			return fmt.Errorf("finish participant mail %d: %w", id, err)
		}
		return s.audit(ctx, tx, mailActor, "offermail."+string(status), roundID, kommuneID,
			fmt.Sprintf("Mail %d (%s) an Teilnehmende %d: %s%s", id, kind, participantID, status.Label(), finishDetail(answer)))
	})
}

// MarkInterruptedOfferMails sets mails to participants left 'sending' by
// an earlier run to 'unklar' and returns how many.
func (s *Store) MarkInterruptedOfferMails(ctx context.Context) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE offer_mails SET status = 'unklar', updated_at = ? WHERE status = 'sending'", s.stamp())
		if err != nil {
			return fmt.Errorf("interrupted participant mails: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// QueuedOfferMails reports whether mails to participants wait in the queue.
func (s *Store) QueuedOfferMails(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM offer_mails WHERE status = 'queued'").Scan(&n)
	return n > 0, err
}

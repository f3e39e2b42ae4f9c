package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"bedarf/survey"
)

// PurgedRound is what retention removed (or would remove) from one round.
type PurgedRound struct {
	Round     survey.Round
	Questions []string // ids of the personal questions
	Answers   int      // answers removed
	Changes   int      // change-log entries whose old and new values were blanked
	// Mails counts the round's mails in the queue and send log whose
	// recipients, subject, text and mail server answer were blanked.
	Mails int
	// Stopped counts those of them that had not gone out (queued, being
	// sent, failed or unklar): none of them can be sent any more.
	Stopped int
	// MailAudit counts the audit log entries about the round's mails from
	// which the recipients' addresses or the mail server's answer were
	// removed.
	MailAudit int
}

// PurgePersonal removes the answers to personal questions (those marked
// Personal in the questionnaire: the contact person's name, e-mail, phone)
// from the responses of closed rounds whose deadline ended more than
// olderThan ago, and blanks the old and new values of those questions in
// the change log, keeping the fact that a change was made. It empties the
// mail queue and send log of those rounds the same way (see purgeMail):
// every mail keeps its Kommune, kind, status, attempts, Message-ID and
// times, but loses its recipients, subject, text and the mail server's
// answer, and a mail that had not gone out can never be sent any more; the
// audit entries about the round's mails lose the addresses and the
// server's answers. Everything else stays, so dashboards, plans and
// workbooks keep working; the contact addresses of the Kommunen, which
// serve later rounds, stay too. With dryRun it only counts. It runs in one
// transaction and records each round it changed in the audit log, with
// counts only. Running it again finds nothing more to remove. It leaves
// the audit log's age alone; Retain can shorten that too.
func (s *Store) PurgePersonal(ctx context.Context, olderThan time.Duration, dryRun bool, a survey.Actor) ([]PurgedRound, error) {
	res, err := s.Retain(ctx, Retention{Personal: olderThan, DryRun: dryRun}, a)
	return res.Rounds, err
}

// MinAuditAge is the shortest time Retain keeps audit log entries for: a
// shorter period is taken for a typo (7d for 700d) that would wipe the log.
const MinAuditAge = 30 * 24 * time.Hour

// Retention says what Retain removes.
type Retention struct {
	// Personal is the time after the deadline of a closed round after which
	// its personal answers and mails are removed (see PurgePersonal).
	Personal time.Duration
	// Audit, if not zero, is how long audit log entries are kept: older ones
	// are deleted. It must be at least MinAuditAge.
	Audit time.Duration
	// Contacts, if not zero, is how long the contact addresses of a Kommune
	// are kept after it last took part in a round: an address entered
	// (typed, imported or copied from an answer, alike) more than Contacts
	// ago is deleted when the Kommune is in no round that is planned or
	// open, or closed with a deadline that ended less than Contacts ago.
	// Zero keeps every address.
	Contacts time.Duration
	// Participants, if not zero, is how long the names, functions and
	// e-mail addresses of the offers' participants are kept after the end
	// of the offers they are booked on: a participant named more than
	// Participants ago whose every booking is on an offer whose last date
	// ended more than Participants ago (or that was cancelled that long
	// ago) is anonymised — name, function and e-mail become empty — while
	// the participant's row and bookings stay, so the counts of bookings
	// and attendance do not change. Their mails (offer_mails) keep kind,
	// status and times; the mail server's answer is emptied, and one not
	// sent yet is stopped. Zero keeps them.
	Participants time.Duration
	// DryRun only counts.
	DryRun bool
}

// PurgedParticipants is what retention anonymised (or would anonymise) of
// the offers' participants.
type PurgedParticipants struct {
	Participants int // participants whose name, function and e-mail were removed
	Bookings     int // their bookings, which stay (for the counts)
}

// PurgedContacts is what retention removed (or would remove) from the
// contact addresses.
type PurgedContacts struct {
	Addresses int // addresses removed
	Kommunen  int // Kommunen they belonged to
}

// RetentionResult is what Retain removed (or would remove).
type RetentionResult struct {
	Rounds []PurgedRound
	// Audit is nil unless Retention.Audit was set.
	Audit *PurgedAudit
	// Contacts is nil unless Retention.Contacts was set.
	Contacts *PurgedContacts
	// Participants is nil unless Retention.Participants was set.
	Participants *PurgedParticipants
}

// PurgedAudit is what retention removed (or would remove) from the audit
// log.
type PurgedAudit struct {
	// Before is the start of a day in Europe/Berlin: the entries made before
	// it are removed. It is the day on which the retention period of the
	// newest of them ended, so every entry is kept at least that long.
	Before time.Time
	// Entries counts the entries removed.
	Entries int
}

// auditCutoff is the start of the day (Europe/Berlin) on which an entry
// made keep ago is made: entries before it are older than keep.
func auditCutoff(now time.Time, keep time.Duration) time.Time {
	y, m, d := now.Add(-keep).In(survey.Berlin()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, survey.Berlin())
}

// Retain applies the retention periods in r: it purges the personal data of
// old closed rounds as PurgePersonal describes and, with r.Audit, deletes
// the audit log entries made before the day on which an entry made r.Audit
// ago was made (Europe/Berlin), all in one transaction: either everything
// is removed or nothing. Deleting audit entries leaves one entry
// "retention.audit" with their number and the date, never what they said;
// a run that deletes none adds none. With r.Contacts it deletes, in the
// same transaction, the contact addresses of Kommunen that have taken part
// in no round for that long (see Retention.Contacts; typed, imported and
// copied addresses alike), leaving one entry "retention.contacts" with the
// numbers. With r.Participants it anonymises the participants of offers
// over for that long (see Retention.Participants), leaving one entry
// "retention.participants" with the numbers. The deleted values are zeroed in the
// database file and the file is rebuilt (see secureWrite), so they do not
// stay in its free space. With r.DryRun it only counts. A negative period,
// or an audit period shorter than MinAuditAge, is refused before anything
// is read or changed. On an error the result is empty.
func (s *Store) Retain(ctx context.Context, r Retention, a survey.Actor) (RetentionResult, error) {
	if r.Personal < 0 || r.Audit < 0 || r.Contacts < 0 || r.Participants < 0 {
		return RetentionResult{}, survey.NewError(survey.EInvalid, "msg.retention.negative")
	}
	if r.Audit != 0 && r.Audit < MinAuditAge {
		return RetentionResult{}, survey.NewError(survey.EInvalid, "msg.retention.audit_min", int(MinAuditAge/(24*time.Hour)))
	}
	now := s.now()
	cutoff := now.Add(-r.Personal)
	rounds, err := s.Rounds(ctx)
	if err != nil {
		return RetentionResult{}, err
	}
	var due []PurgedRound
	var contactsWhere string
	var contactsArgs []any
	if r.Contacts > 0 {
		contactsWhere, contactsArgs = staleContacts(rounds, now, r.Contacts)
	}
	for _, round := range rounds {
		if round.Status != survey.RoundClosed || !round.DeadlineEnd().Before(cutoff) {
			continue
		}
		qn, err := s.Questionnaire(ctx, round.QuestionnaireID)
		if err != nil {
			return RetentionResult{}, fmt.Errorf("retention, round %d: %w", round.ID, err)
		}
		p := PurgedRound{Round: round}
		for _, q := range qn.Questions() {
			if q.Personal {
				p.Questions = append(p.Questions, q.ID)
			}
		}
		var mails bool
		if err := s.r.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM mail_queue WHERE round_id = ?)", round.ID).Scan(&mails); err != nil {
			return RetentionResult{}, fmt.Errorf("retention, round %d: mails: %w", round.ID, err)
		}
		if len(p.Questions) > 0 || mails {
			due = append(due, p)
		}
	}
	res := RetentionResult{Rounds: due}
	var auditBefore string
	if r.Audit > 0 {
		res.Audit = &PurgedAudit{Before: auditCutoff(now, r.Audit)}
		auditBefore = res.Audit.Before.UTC().Format(timeLayout)
	}
	if r.Contacts > 0 {
		res.Contacts = &PurgedContacts{}
	}
	var participantsCutoff [2]string
	if r.Participants > 0 {
		res.Participants = &PurgedParticipants{}
		c := now.Add(-r.Participants).UTC()
		participantsCutoff = [2]string{c.Format(timeLayout), c.Format(time.RFC3339)}
	}
	if len(due) == 0 && res.Audit == nil && res.Contacts == nil && res.Participants == nil {
		return res, nil
	}

	// Count first, in a snapshot: that is all a dry run does, and a run
	// that finds no round and no old audit entry changes nothing (and does
	// not rebuild the file).
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return RetentionResult{}, fmt.Errorf("retention: begin read: %w", err)
	}
	defer tx.Rollback()
	for i := range due {
		if err := countPersonal(ctx, tx, &due[i]); err != nil {
			return RetentionResult{}, err
		}
		if _, err := purgeMail(ctx, tx, &due[i], false, s.stamp()); err != nil {
			return RetentionResult{}, err
		}
	}
	if res.Audit != nil {
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE at < ?", auditBefore).Scan(&res.Audit.Entries); err != nil {
			return RetentionResult{}, fmt.Errorf("retention: count audit entries: %w", err)
		}
	}
	if res.Contacts != nil {
		if err := countContacts(ctx, tx, contactsWhere, contactsArgs, res.Contacts); err != nil {
			return RetentionResult{}, err
		}
	}
	if res.Participants != nil {
		if err := countParticipants(ctx, tx, participantsCutoff, res.Participants); err != nil {
			return RetentionResult{}, err
		}
	}
	tx.Rollback()
	if r.DryRun || len(due) == 0 && (res.Audit == nil || res.Audit.Entries == 0) && (res.Contacts == nil || res.Contacts.Addresses == 0) &&
		(res.Participants == nil || res.Participants.Participants == 0) {
		return res, nil
	}

	err = s.secureWrite(ctx, func(tx *sql.Tx) error {
		for i := range due {
			p := &due[i]
			if err := countPersonal(ctx, tx, p); err != nil {
				return err
			}
			if p.Answers > 0 || p.Changes > 0 {
				where, args := personalWhere(p)
				if _, err := tx.ExecContext(ctx, "DELETE FROM answers WHERE "+where, args...); err != nil {
					return fmt.Errorf("retention, round %d: delete answers: %w", p.Round.ID, err)
				}
				if _, err := tx.ExecContext(ctx, "UPDATE answer_changes SET old_raw = NULL, new_raw = NULL WHERE "+where+
					" AND (old_raw IS NOT NULL OR new_raw IS NOT NULL)", args...); err != nil {
					return fmt.Errorf("retention, round %d: blank change log: %w", p.Round.ID, err)
				}
			}
			changed, err := purgeMail(ctx, tx, p, true, s.stamp())
			if err != nil {
				return err
			}
			if p.Answers == 0 && p.Changes == 0 && !changed {
				continue
			}
			questions := strings.Join(p.Questions, ", ")
			if questions == "" {
				questions = "keine"
			}
			detail := fmt.Sprintf("Personenbezogene Angaben gelöscht: %d Antworten, %d Einträge im Änderungsprotokoll (Fragen: %s); "+
				"Versandprotokoll: %d Mails ohne Empfänger, Betreff und Text, davon %d nicht gesendete gestoppt; %d Protokolleinträge zum Versand ohne Adressen",
				p.Answers, p.Changes, questions, p.Mails, p.Stopped, p.MailAudit)
			if err := s.audit(ctx, tx, a, "retention.purge", p.Round.ID, 0, detail); err != nil {
				return err
			}
		}
		if res.Contacts != nil {
			if err := countContacts(ctx, tx, contactsWhere, contactsArgs, res.Contacts); err != nil {
				return err
			}
			if res.Contacts.Addresses > 0 {
				if _, err := tx.ExecContext(ctx, "DELETE FROM kommune_contacts WHERE "+contactsWhere, contactsArgs...); err != nil {
					return fmt.Errorf("retention: delete contact addresses: %w", err)
				}
				if err := s.audit(ctx, tx, a, "retention.contacts", 0, 0, fmt.Sprintf("Kontaktadressen: %d von %d Kommunen gelöscht (länger als %d Tage eingetragen und so lange in keiner Runde)",
					res.Contacts.Addresses, res.Contacts.Kommunen, int(r.Contacts/(24*time.Hour)))); err != nil {
					return err
				}
			}
		}
		if res.Participants != nil {
			if err := countParticipants(ctx, tx, participantsCutoff, res.Participants); err != nil {
				return err
			}
			if res.Participants.Participants > 0 {
				// Their mails that have not gone out can never go out (the
				// address is gone), and the mail server's answers, which
				// may quote the address, are emptied.
				if _, err := tx.ExecContext(ctx, `UPDATE offer_mails SET
					status = CASE status WHEN 'queued' THEN 'cancelled' WHEN 'sending' THEN 'unklar' ELSE status END,
					server_answer = '', updated_at = ? WHERE participant_id IN (SELECT id FROM participants WHERE `+staleParticipants+`)`,
					s.stamp(), participantsCutoff[0], participantsCutoff[1], participantsCutoff[0]); err != nil {
					return fmt.Errorf("retention: participants' mails: %w", err)
				}
				if _, err := tx.ExecContext(ctx, "UPDATE participants SET name = '', function = '', email = '', updated_at = ? WHERE "+staleParticipants,
					s.stamp(), participantsCutoff[0], participantsCutoff[1], participantsCutoff[0]); err != nil {
					return fmt.Errorf("retention: anonymise participants: %w", err)
				}
				// Staff's messages to participants may name people too: their
				// texts go with the last recipient who still has an address.
				if _, err := tx.ExecContext(ctx, `UPDATE offer_messages SET subject = '', body = '' WHERE (subject != '' OR body != '')
					AND NOT EXISTS (SELECT 1 FROM offer_mails m JOIN participants p ON p.id = m.participant_id
						WHERE m.message_id = offer_messages.id AND p.email != '')`); err != nil {
					return fmt.Errorf("retention: messages to participants: %w", err)
				}
				if err := s.audit(ctx, tx, a, "retention.participants", 0, 0, fmt.Sprintf("Teilnehmende: Name, Funktion und E-Mail von %d Personen gelöscht (Angebote seit mehr als %d Tagen vorbei); ihre %d Buchungen bleiben für die Zahlen",
					res.Participants.Participants, int(r.Participants/(24*time.Hour)), res.Participants.Bookings)); err != nil {
					return err
				}
			}
		}
		if res.Audit == nil {
			return nil
		}
		// After the rounds and the contacts: their new retention entries
		// are not old, and the counts match those of a dry run.
		deleted, err := tx.ExecContext(ctx, "DELETE FROM audit_log WHERE at < ?", auditBefore)
		if err != nil {
			return fmt.Errorf("retention: delete audit entries: %w", err)
		}
		n, err := deleted.RowsAffected()
		if err != nil {
			return fmt.Errorf("retention: delete audit entries: %w", err)
		}
		res.Audit.Entries = int(n)
		if n == 0 {
			return nil
		}
		entries := "Einträge"
		if n == 1 {
			entries = "Eintrag"
		}
		return s.audit(ctx, tx, a, "retention.audit", 0, 0, fmt.Sprintf("Änderungsprotokoll: %d %s vor dem %s gelöscht (Aufbewahrungsfrist abgelaufen)",
			n, entries, res.Audit.Before.Format("02.01.2006")))
	})
	if err != nil {
		return RetentionResult{}, err
	}
	return res, nil
}

// staleParticipants selects the participants retention anonymises (its
// three arguments are the cutoff, as a stamp, as a date's time (RFC 3339)
// and as a stamp again): not yet anonymised, named before the
// cutoff, and booked on no offer that has not ended before it — an offer
// has ended when its last date ended, or when it was cancelled, before the
// cutoff; an offer without dates has not ended.
const staleParticipants = `(name <> '' OR function <> '' OR email <> '') AND created_at < ? AND NOT EXISTS (
	SELECT 1 FROM bookings b JOIN offers o ON o.id = b.offer_id WHERE b.participant_id = participants.id
	AND NOT (coalesce((SELECT max(d.ends_at) FROM offer_dates d WHERE d.offer_id = o.id), '9999') < ?
	         OR (o.status = 'cancelled' AND o.updated_at < ?)))`

// countParticipants counts the participants staleParticipants selects and
// their bookings.
func countParticipants(ctx context.Context, tx *sql.Tx, cutoff [2]string, p *PurgedParticipants) error {
	if err := tx.QueryRowContext(ctx, "SELECT count(*), coalesce(sum((SELECT count(*) FROM bookings b WHERE b.participant_id = participants.id)), 0) FROM participants WHERE "+staleParticipants,
		cutoff[0], cutoff[1], cutoff[0]).Scan(&p.Participants, &p.Bookings); err != nil {
		return fmt.Errorf("retention: count participants: %w", err)
	}
	return nil
}

// staleContacts returns the condition on kommune_contacts that selects the
// addresses retention removes: entered more than keep ago, of a Kommune in
// no round that is planned or open, or closed with a deadline that ended
// less than keep ago.
func staleContacts(rounds []survey.Round, now time.Time, keep time.Duration) (string, []any) {
	cutoff := now.Add(-keep)
	where := "created_at < ?"
	args := []any{cutoff.UTC().Format(timeLayout)}
	var active []any
	for _, r := range rounds {
		if r.Status != survey.RoundClosed || !r.DeadlineEnd().Before(cutoff) {
			active = append(active, r.ID)
		}
	}
	if len(active) > 0 {
		where += " AND kommune_id NOT IN (SELECT kommune_id FROM responses WHERE round_id IN (?" + strings.Repeat(", ?", len(active)-1) + "))"
		args = append(args, active...)
	}
	return where, args
}

// countContacts counts the addresses staleContacts selects and their
// Kommunen.
func countContacts(ctx context.Context, tx *sql.Tx, where string, args []any, p *PurgedContacts) error {
	if err := tx.QueryRowContext(ctx, "SELECT count(*), count(DISTINCT kommune_id) FROM kommune_contacts WHERE "+where, args...).Scan(&p.Addresses, &p.Kommunen); err != nil {
		return fmt.Errorf("retention: count contact addresses: %w", err)
	}
	return nil
}

// personalWhere selects the rows of a round's responses that belong to its
// personal questions, in answers or answer_changes.
func personalWhere(p *PurgedRound) (string, []any) {
	args := []any{p.Round.ID}
	for _, id := range p.Questions {
		args = append(args, id)
	}
	return "response_id IN (SELECT id FROM responses WHERE round_id = ?) AND question_id IN (?" +
		strings.Repeat(", ?", len(p.Questions)-1) + ")", args
}

// countPersonal counts the personal answers and change-log values left to
// remove in a round.
func countPersonal(ctx context.Context, tx *sql.Tx, p *PurgedRound) error {
	if len(p.Questions) == 0 {
		p.Answers, p.Changes = 0, 0
		return nil
	}
	where, args := personalWhere(p)
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM answers WHERE "+where, args...).Scan(&p.Answers); err != nil {
		return fmt.Errorf("retention, round %d: count answers: %w", p.Round.ID, err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM answer_changes WHERE "+where+
		" AND (old_raw IS NOT NULL OR new_raw IS NOT NULL)", args...).Scan(&p.Changes); err != nil {
		return fmt.Errorf("retention, round %d: count change log: %w", p.Round.ID, err)
	}
	return nil
}

// Notes that replace the mail server's answer of a mail emptied by
// retention, by the status the mail had: stored in German, read back as
// keyed messages (MailRow.Note, retentionNoteOf).
var (
	retentionNoteQueued  = survey.NewMessage("msg.mail.purged_queued").String()
	retentionNoteSending = survey.NewMessage("msg.mail.purged_sending").String()
	retentionNote        = survey.NewMessage("msg.mail.purged_note").String()
)

// retentionNoteOf returns the keyed message of a mail server's answer that
// is one of retention's notes, else nil.
func retentionNoteOf(answer string) *survey.Message {
	for _, key := range []string{"msg.mail.purged_queued", "msg.mail.purged_sending", "msg.mail.purged_note"} {
		if m := survey.NewMessage(key); answer == m.String() {
			return m
		}
	}
	return nil
}

// mailLeft selects the mails of a round (the argument) that retention has
// not emptied yet. A queued mail always has a recipient, so an emptied one
// is told by its blank recipients; it is never queued or being sent.
const mailLeft = `round_id = ? AND (recipients <> '' OR subject <> '' OR body <> '' OR status IN ('queued', 'sending'))`

// purgeMail counts, and with apply empties, the mails of a round in the
// queue and send log and the audit entries about them, setting p.Mails,
// p.Stopped and p.MailAudit; it reports whether anything was left.
//
// Each mail keeps its Kommune, kind, status, attempts, Message-ID, dedup
// key and times; its recipients, subject and text become empty and the
// mail server's answer a note. A queued mail becomes cancelled and one
// being sent unklar (as at a restart): ClaimMail takes only queued mails,
// and RetryMail and RequeueMail refuse an emptied one, so none of them can
// be sent again. The audit entries of the round's mails keep their event
// but not the addresses (mail.queue) or the mail server's answer (mail.sent,
// mail.failed, mail.unklar).
func purgeMail(ctx context.Context, tx *sql.Tx, p *PurgedRound, apply bool, stamp string) (bool, error) {
	id := p.Round.ID
	if err := tx.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(status IN ('queued', 'sending', 'failed', 'unklar')), 0) FROM mail_queue WHERE "+mailLeft,
		id).Scan(&p.Mails, &p.Stopped); err != nil {
		return false, fmt.Errorf("retention, round %d: count mails: %w", id, err)
	}
	redactions, err := mailAuditRedactions(ctx, tx, id)
	if err != nil {
		return false, err
	}
	p.MailAudit = len(redactions)
	if !apply {
		return p.Mails > 0 || p.MailAudit > 0, nil
	}
	if p.Mails > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE mail_queue SET
			status = CASE status WHEN 'queued' THEN 'cancelled' WHEN 'sending' THEN 'unklar' ELSE status END,
			server_answer = CASE status WHEN 'queued' THEN ? WHEN 'sending' THEN ? ELSE ? END,
			recipients = '', subject = '', body = '', updated_at = ?
			WHERE `+mailLeft, retentionNoteQueued, retentionNoteSending, retentionNote, stamp, id); err != nil {
			return false, fmt.Errorf("retention, round %d: empty mails: %w", id, err)
		}
	}
	for _, r := range redactions {
		if _, err := tx.ExecContext(ctx, "UPDATE audit_log SET detail = ? WHERE id = ?", r.detail, r.id); err != nil {
			return false, fmt.Errorf("retention, round %d: audit entry %d: %w", id, r.id, err)
		}
	}
	return p.Mails > 0 || p.MailAudit > 0, nil
}

// auditRedaction is the detail an audit entry keeps.
type auditRedaction struct {
	id     int64
	detail string
}

// mailAuditRedactions returns the audit entries about a round's mails that
// still name recipients or quote the mail server, with what they keep.
func mailAuditRedactions(ctx context.Context, tx *sql.Tx, roundID int64) ([]auditRedaction, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, action, detail FROM audit_log
		WHERE round_id = ? AND action IN ('mail.queue', 'mail.sent', 'mail.failed', 'mail.unklar') ORDER BY id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("retention, round %d: audit entries of mails: %w", roundID, err)
	}
	defer rows.Close()
	var out []auditRedaction
	for rows.Next() {
		var r auditRedaction
		var action string
		if err := rows.Scan(&r.id, &action, &r.detail); err != nil {
			return nil, fmt.Errorf("retention, round %d: audit entries of mails: %w", roundID, err)
		}
		if kept := redactMailDetail(action, r.detail); kept != r.detail {
			r.detail = kept
			out = append(out, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("retention, round %d: audit entries of mails: %w", roundID, err)
	}
	return out, nil
}

// redactMailDetail removes the addresses from the detail of a mail.queue
// audit entry ("Einladung an a@…, b@…") and the mail server's answer from
// that of a finished mail ("Einladung: fehlgeschlagen (550 …)"). Applied
// twice it changes nothing more.
func redactMailDetail(action, detail string) string {
	if action == "mail.queue" {
		if what, _, ok := strings.Cut(detail, " an "); ok {
			return what + " an (Adressen gelöscht)"
		}
		return detail
	}
	if what, _, ok := strings.Cut(detail, " ("); ok {
		return what + " (Antwort des Mailservers gelöscht)"
	}
	return detail
}

// secureWrite runs fn in a write transaction with secure_delete on, so that
// deleted and overwritten values are zeroed in the database file rather
// than left in free space. After the commit it rebuilds the file with
// VACUUM: earlier versions of rows that were changed before without
// secure_delete (a mail's status, an answer saved again) may still lie in
// free space within pages, and only a rebuild removes them. Then it
// checkpoints the log so that the old pages leave it too. Where readers
// hold the checkpoint up, the old pages leave the log with later
// checkpoints. The deletion is committed in any case once fn succeeded; an
// error of VACUUM or the checkpoint says so.
func (s *Store) secureWrite(ctx context.Context, fn func(tx *sql.Tx) error) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("writer: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
		return fmt.Errorf("secure_delete: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA secure_delete = OFF")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "VACUUM"); err != nil {
		return fmt.Errorf("committed, but VACUUM failed (run retention again to rebuild the file): %w", err)
	}
	var busy, logged, moved int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &moved); err != nil {
		return fmt.Errorf("committed, but checkpoint failed: %w", err)
	}
	return nil
}

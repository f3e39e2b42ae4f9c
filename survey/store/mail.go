package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"bedarf/survey"
	"bedarf/survey/auth"
)

// This file holds the mails to the Kommunen: their contact addresses, the
// mail texts of a round and the outgoing queue, which is the send log too.
//
// Each mail is sent at most once: ClaimMail commits the row as 'sending'
// before the mail server is contacted, FinishMail records the outcome. A
// row still 'sending' when the program starts (MarkInterruptedMails) was
// cut off between the server's answer and the commit: it becomes 'unklar'
// and is sent again only when a person decides so (RequeueMail), or marked
// as sent (MarkMailSent).

// rowQuerier is what both the read pool and a transaction offer.
type rowQuerier interface {
	querier
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// --- contact addresses ---

// Contacts returns the contact addresses of a Kommune in the order they
// were added.
func (s *Store) Contacts(ctx context.Context, kommuneID int64) ([]survey.Contact, error) {
	m, err := contactsOf(ctx, s.r, "WHERE kommune_id = ?", kommuneID)
	return m[kommuneID], err
}

// AllContacts returns the contact addresses of every Kommune by Kommune id.
func (s *Store) AllContacts(ctx context.Context) (map[int64][]survey.Contact, error) {
	return contactsOf(ctx, s.r, "")
}

func contactsOf(ctx context.Context, q querier, where string, args ...any) (map[int64][]survey.Contact, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, kommune_id, email, name, origin_question, coalesce(origin_round_id, 0) FROM kommune_contacts "+where+" ORDER BY kommune_id, id", args...)
	if err != nil {
		return nil, fmt.Errorf("contacts: %w", err)
	}
	defer rows.Close()
	out := map[int64][]survey.Contact{}
	for rows.Next() {
		var c survey.Contact
		if err := rows.Scan(&c.ID, &c.KommuneID, &c.Email, &c.Name, &c.OriginQuestion, &c.OriginRoundID); err != nil {
			return nil, err
		}
		out[c.KommuneID] = append(out[c.KommuneID], c)
	}
	return out, rows.Err()
}

// KommuneByKey returns the Kommune with the key (AGS or ARS as stored in
// AGS).
func (s *Store) KommuneByKey(ctx context.Context, key string) (survey.Kommune, error) {
	var k survey.Kommune
	err := scanKommune(s.r.QueryRowContext(ctx, "SELECT "+kommuneCols+" FROM kommunen k WHERE k.ags = ?", key), &k)
	if errors.Is(err, sql.ErrNoRows) {
		return k, survey.NewError(survey.ENotFound, "msg.mail.kommune_not_found")
	}
	if err != nil {
		return k, fmt.Errorf("Kommune %s: %w", key, err)
	}
	return k, nil
}

// AddContact adds a contact address to a Kommune.
func (s *Store) AddContact(ctx context.Context, kommuneID int64, email, name string, a survey.Actor) error {
	email, msg := survey.CheckEmail(email)
	if msg != nil {
		return survey.NewError(survey.EInvalid, "msg.lines", survey.Lines{msg}).At("email")
	}
	name, msg = survey.CheckContactName(name)
	if msg != nil {
		return survey.NewError(survey.EInvalid, "msg.lines", survey.Lines{msg}).At("name")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM kommune_contacts WHERE kommune_id = ? AND email = ?", kommuneID, email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return survey.NewError(survey.EConflict, "msg.mail.address_exists", email)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO kommune_contacts (kommune_id, email, name, created_at) VALUES (?, ?, ?, ?)",
			kommuneID, email, name, s.stamp()); err != nil {
			return fmt.Errorf("add contact: %w", err)
		}
		return s.audit(ctx, tx, a, "contact.add", 0, kommuneID, email)
	})
}

// DeleteContact removes a contact address of a Kommune.
func (s *Store) DeleteContact(ctx context.Context, kommuneID, contactID int64, a survey.Actor) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var email string
		err := tx.QueryRowContext(ctx, "SELECT email FROM kommune_contacts WHERE id = ? AND kommune_id = ?", contactID, kommuneID).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.mail.address_not_found")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM kommune_contacts WHERE id = ?", contactID); err != nil {
			return fmt.Errorf("delete contact: %w", err)
		}
		return s.audit(ctx, tx, a, "contact.delete", 0, kommuneID, email)
	})
}

// ContactsImport is the outcome of ImportContacts.
type ContactsImport struct {
	Added, Updated, Removed int // addresses
	Kommunen                int // Kommunen named in the file
}

// ImportContacts stores the addresses of a contacts file (see
// survey.ParseContactsCSV). An address a Kommune has already gets the name
// of the file. With replace, the addresses of the Kommunen named in the
// file that the file does not list are removed; other Kommunen keep theirs.
// A key that names no Kommune is reported with its line in an
// *survey.ImportError, and then nothing is stored.
func (s *Store) ImportContacts(ctx context.Context, rows []survey.ContactRow, replace bool, a survey.Actor) (ContactsImport, error) {
	var res ContactsImport
	err := s.write(ctx, func(tx *sql.Tx) error {
		ids := map[string]int64{}
		for _, r := range rows {
			if _, ok := ids[r.Key]; ok {
				continue
			}
			var id int64
			err := tx.QueryRowContext(ctx, "SELECT id FROM kommunen WHERE ags = ? OR ars = ? ORDER BY ags = ? DESC LIMIT 1", r.Key, r.Key, r.Key).Scan(&id)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			ids[r.Key] = id
		}
		var problems []*survey.Message
		for _, r := range rows {
			if ids[r.Key] == 0 {
				problems = append(problems, survey.NewMessage("upload.line", r.Line, survey.NewMessage("msg.contact.no_kommune", r.Key)))
			}
		}
		if len(problems) > 0 {
			return survey.NewImportError(problems...)
		}
		keep := map[int64]map[string]bool{}
		for _, r := range rows {
			kid := ids[r.Key]
			if keep[kid] == nil {
				keep[kid] = map[string]bool{}
			}
			keep[kid][strings.ToLower(r.Email)] = true
			var old sql.NullString
			err := tx.QueryRowContext(ctx, "SELECT name FROM kommune_contacts WHERE kommune_id = ? AND email = ?", kid, r.Email).Scan(&old)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := tx.ExecContext(ctx, "INSERT INTO kommune_contacts (kommune_id, email, name, created_at) VALUES (?, ?, ?, ?)",
					kid, r.Email, r.Name, s.stamp()); err != nil {
					return fmt.Errorf("import contact, line %d: %w", r.Line, err)
				}
				res.Added++
			case err != nil:
				return err
			case old.String != r.Name && r.Name != "":
				if _, err := tx.ExecContext(ctx, "UPDATE kommune_contacts SET name = ? WHERE kommune_id = ? AND email = ?", r.Name, kid, r.Email); err != nil {
					return err
				}
				res.Updated++
			}
		}
		res.Kommunen = len(keep)
		if replace {
			existing, err := contactsOf(ctx, tx, "")
			if err != nil {
				return err
			}
			for kid, emails := range keep {
				for _, c := range existing[kid] {
					if emails[strings.ToLower(c.Email)] {
						continue
					}
					if _, err := tx.ExecContext(ctx, "DELETE FROM kommune_contacts WHERE id = ?", c.ID); err != nil {
						return err
					}
					res.Removed++
				}
			}
		}
		return s.audit(ctx, tx, a, "contact.import", 0, 0,
			fmt.Sprintf("%d Adressen neu, %d geändert, %d entfernt (%d Kommunen)", res.Added, res.Updated, res.Removed, res.Kommunen))
	})
	return res, err
}

// --- texts of a round ---

// RoundMail are the mail settings of a round.
type RoundMail struct {
	RoundID    int64
	Invitation survey.MailText
	Reminder   survey.MailText
	// InvitationOwn and ReminderOwn tell whether staff changed the text
	// (else the default applies).
	InvitationOwn, ReminderOwn bool
	// AutoReminderDays sends a reminder this many days before the deadline
	// to Kommunen that have not submitted; 0: off.
	AutoReminderDays int
	UpdatedAt        time.Time
	UpdatedBy        string
	// Version changes whenever the settings change; a preview carries it,
	// so a send refuses texts changed since the preview.
	Version string
}

// Text returns the text of a kind.
func (m RoundMail) Text(kind survey.MailKind) survey.MailText {
	switch kind {
	case survey.MailReminder:
		return m.Reminder
	case survey.MailResults:
		// Not editable per round: the results mail has the default text.
		return survey.DefaultMailText(survey.MailResults)
	}
	return m.Invitation
}

// MaxAutoReminderDays bounds the automatic reminder's distance to the
// deadline.
const MaxAutoReminderDays = 60

// RoundMail returns the mail settings of a round, with the default texts
// where staff have not changed them.
func (s *Store) RoundMail(ctx context.Context, roundID int64) (RoundMail, error) {
	return roundMail(ctx, s.r, roundID)
}

func roundMail(ctx context.Context, q rowQuerier, roundID int64) (RoundMail, error) {
	m := RoundMail{RoundID: roundID, Invitation: survey.DefaultMailText(survey.MailInvitation),
		Reminder: survey.DefaultMailText(survey.MailReminder), Version: "standard"}
	var is, ib, rs, rb, updated sql.NullString
	err := q.QueryRowContext(ctx, `SELECT invitation_subject, invitation_body, reminder_subject, reminder_body,
		auto_reminder_days, updated_at, updated_by FROM round_mail WHERE round_id = ?`, roundID).
		Scan(&is, &ib, &rs, &rb, &m.AutoReminderDays, &updated, &m.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("mail settings of round %d: %w", roundID, err)
	}
	if is.Valid && ib.Valid {
		m.Invitation, m.InvitationOwn = survey.MailText{Subject: is.String, Body: ib.String}, true
	}
	if rs.Valid && rb.Valid {
		m.Reminder, m.ReminderOwn = survey.MailText{Subject: rs.String, Body: rb.String}, true
	}
	m.UpdatedAt, m.Version = parseTime(updated), updated.String
	return m, nil
}

// SaveRoundMail stores the mail texts and the automatic reminder of a
// round. A text equal to the default is stored as "default", so later
// changes of the default reach it. Every problem of the texts is returned
// in one *survey.ImportError-like EInvalid error (one sentence per line).
func (s *Store) SaveRoundMail(ctx context.Context, roundID int64, inv, rem survey.MailText, autoDays int, a survey.Actor) error {
	inv, rem = inv.Normalize(), rem.Normalize()
	problems := append(inv.Problems(survey.MailInvitation), rem.Problems(survey.MailReminder)...)
	if autoDays < 0 || autoDays > MaxAutoReminderDays {
		problems = append(problems, survey.NewMessage("msg.mail.auto_days", MaxAutoReminderDays))
	}
	if len(problems) > 0 {
		return survey.NewError(survey.EInvalid, "msg.lines", survey.Lines(problems))
	}
	own := func(t survey.MailText, kind survey.MailKind) (any, any) {
		if d := survey.DefaultMailText(kind).Normalize(); t == d {
			return nil, nil
		}
		return t.Subject, t.Body
	}
	is, ib := own(inv, survey.MailInvitation)
	rs, rb := own(rem, survey.MailReminder)
	return s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM rounds WHERE id = ?", roundID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return survey.NewError(survey.ENotFound, "msg.round.not_found")
		}
		old, err := roundMail(ctx, tx, roundID)
		if err != nil {
			return err
		}
		stamp := s.stamp()
		if stamp == old.Version { // two saves within the same millisecond
			stamp = s.now().UTC().Add(time.Millisecond).Format(timeLayout)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO round_mail (round_id, invitation_subject, invitation_body, reminder_subject,
			reminder_body, auto_reminder_days, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (round_id) DO UPDATE SET invitation_subject = excluded.invitation_subject,
			invitation_body = excluded.invitation_body, reminder_subject = excluded.reminder_subject,
			reminder_body = excluded.reminder_body, auto_reminder_days = excluded.auto_reminder_days,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			roundID, is, ib, rs, rb, autoDays, stamp, a.Label); err != nil {
			return fmt.Errorf("save mail settings: %w", err)
		}
		var changes []string
		if old.Invitation.Normalize() != inv {
			changes = append(changes, "Text der Einladung")
		}
		if old.Reminder.Normalize() != rem {
			changes = append(changes, "Text der Erinnerung")
		}
		if old.AutoReminderDays != autoDays {
			changes = append(changes, fmt.Sprintf("automatische Erinnerung %s → %s", autoLabel(old.AutoReminderDays), autoLabel(autoDays)))
		}
		if len(changes) == 0 {
			changes = append(changes, "unverändert")
		}
		return s.audit(ctx, tx, a, "mail.texts", roundID, 0, strings.Join(changes, ", "))
	})
}

func autoLabel(days int) string {
	if days == 0 {
		return "aus"
	}
	return fmt.Sprintf("%d Tage vor der Frist", days)
}

// --- the queue ---

// MailStatus is where a mail stands.
type MailStatus string

// Statuses of a mail.
const (
	MailQueued    MailStatus = "queued"
	MailSending   MailStatus = "sending"
	MailSent      MailStatus = "sent"
	MailFailed    MailStatus = "failed"
	MailUnclear   MailStatus = "unklar"
	MailCancelled MailStatus = "cancelled"
)

// Label returns the German name of the status.
func (st MailStatus) Label() string {
	switch st {
	case MailQueued:
		return "wartet auf Versand"
	case MailSending:
		return "wird gesendet"
	case MailSent:
		return "gesendet"
	case MailFailed:
		return "fehlgeschlagen"
	case MailUnclear:
		return "unklar"
	case MailCancelled:
		return "nicht gesendet"
	}
	return string(st)
}

// Text returns the status as a keyed message, for inserting into other
// messages (its German text is Label's).
func (st MailStatus) Text() *survey.Message {
	if st == MailUnclear { // stored in German
		return survey.NewMessage("msg.word.unclear")
	}
	return survey.NewMessage("msg.word." + string(st))
}

// MailRow is a mail in the queue and send log.
type MailRow struct {
	ID           int64
	RoundID      int64
	Kommune      survey.Kommune
	Kind         survey.MailKind
	Automatic    bool
	Recipients   []string // "Name <address>" or "address"
	Subject      string   // with placeholders, as queued
	Body         string
	Status       MailStatus
	MessageID    string
	Attempts     int
	ServerAnswer string // the mail server's answer or why it was not sent
	// Note is ServerAnswer as a keyed message when it is a note of
	// bedarf's own (retention's, see purgeMail), nil when it is the mail
	// server's answer (data) or an older German note.
	Note      *survey.Message
	QueuedAt  time.Time
	QueuedBy  string
	UpdatedAt time.Time
	SentAt    time.Time
}

const mailCols = `m.id, m.round_id, ` + kommuneCols + `, m.kind, m.automatic, m.recipients, m.subject, m.body, m.status,
	m.message_id, m.attempts, m.server_answer, m.queued_at, m.queued_by, m.updated_at, m.sent_at`

func scanMail(sc interface{ Scan(...any) error }) (MailRow, error) {
	var m MailRow
	var recipients string
	var queued, updated, sent sql.NullString
	err := sc.Scan(append([]any{&m.ID, &m.RoundID}, kommuneScanArgs(&m.Kommune, &m.Kind, &m.Automatic, &recipients, &m.Subject, &m.Body,
		&m.Status, &m.MessageID, &m.Attempts, &m.ServerAnswer, &queued, &m.QueuedBy, &updated, &sent)...)...)
	m.Recipients = splitRecipients(recipients)
	m.QueuedAt, m.UpdatedAt, m.SentAt = parseTime(queued), parseTime(updated), parseTime(sent)
	m.Note = retentionNoteOf(m.ServerAnswer)
	return m, err
}

// Recipients are stored one per line.
func joinRecipients(cs []survey.Contact) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Email
		if c.Name != "" {
			out[i] = c.Name + "\t" + c.Email
		}
	}
	return strings.Join(out, "\n")
}

func splitRecipients(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if name, addr, ok := strings.Cut(line, "\t"); ok {
			out = append(out, name+" <"+addr+">")
		} else if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Recipient is an address of a mail with its optional name.
type Recipient struct{ Name, Email string }

// RecipientList returns the recipients of the mail as name and address.
func (m MailRow) RecipientList() []Recipient {
	var out []Recipient
	for _, r := range m.Recipients {
		if name, addr, ok := strings.Cut(r, " <"); ok && strings.HasSuffix(addr, ">") {
			out = append(out, Recipient{Name: name, Email: strings.TrimSuffix(addr, ">")})
		} else {
			out = append(out, Recipient{Email: r})
		}
	}
	return out
}

// MailLog returns the mails of a round, newest first, at most limit,
// optionally of one Kommune (kommuneID > 0).
func (s *Store) MailLog(ctx context.Context, roundID, kommuneID int64, limit int) ([]MailRow, error) {
	where, args := "WHERE m.round_id = ?", []any{roundID}
	if kommuneID > 0 {
		where, args = where+" AND m.kommune_id = ?", append(args, kommuneID)
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+mailCols+" FROM mail_queue m JOIN kommunen k ON k.id = m.kommune_id "+
		where+" ORDER BY m.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("mail log: %w", err)
	}
	defer rows.Close()
	var out []MailRow
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Mail returns one mail of a round.
func (s *Store) Mail(ctx context.Context, roundID, id int64) (MailRow, error) {
	m, err := scanMail(s.r.QueryRowContext(ctx, "SELECT "+mailCols+" FROM mail_queue m JOIN kommunen k ON k.id = m.kommune_id WHERE m.id = ? AND m.round_id = ?", id, roundID))
	if errors.Is(err, sql.ErrNoRows) {
		return m, survey.NewError(survey.ENotFound, "msg.mail.not_found")
	}
	return m, err
}

// MailCounts counts the mails of a round by kind and status.
func (s *Store) MailCounts(ctx context.Context, roundID int64) (map[survey.MailKind]map[MailStatus]int, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT kind, status, count(*) FROM mail_queue WHERE round_id = ? GROUP BY kind, status", roundID)
	if err != nil {
		return nil, fmt.Errorf("mail counts: %w", err)
	}
	defer rows.Close()
	out := map[survey.MailKind]map[MailStatus]int{survey.MailInvitation: {}, survey.MailReminder: {}}
	for rows.Next() {
		var kind survey.MailKind
		var st MailStatus
		var n int
		if err := rows.Scan(&kind, &st, &n); err != nil {
			return nil, err
		}
		if out[kind] == nil {
			out[kind] = map[MailStatus]int{}
		}
		out[kind][st] = n
	}
	return out, rows.Err()
}

// MailTarget is an invited Kommune as a mailing sees it: whether it gets
// the mail, and if not, why.
type MailTarget struct {
	Invitation Invitation // link status only, never the token
	Contacts   []survey.Contact
	// Skip says why the Kommune gets no mail (nil: it gets one).
	Skip *survey.Message
}

// MailSelection selects the Kommunen of a mailing.
type MailSelection struct {
	RoundID int64
	Kind    survey.MailKind
	// AGS names one Kommune; empty: all that are due. An invitation to one
	// Kommune goes out even when it was invited before (deliberately
	// again); to all, only to those without an invitation so far.
	AGS string
}

// dedupKey makes a mail of a kind to a Kommune unique per day in Berlin.
func dedupKey(kind survey.MailKind, roundID, kommuneID int64, day time.Time) string {
	return fmt.Sprintf("%s:%d:%d:%s", kind, roundID, kommuneID, day.In(survey.Berlin()).Format(time.DateOnly))
}

// MailTargets lists the invited Kommunen of a mailing by AGS with whether
// each gets the mail (for the preview; QueueMails decides the same way).
func (s *Store) MailTargets(ctx context.Context, sel MailSelection) ([]MailTarget, error) {
	return s.mailTargets(ctx, s.r, sel)
}

func (s *Store) mailTargets(ctx context.Context, q rowQuerier, sel MailSelection) ([]MailTarget, error) {
	where, args := "WHERE r.round_id = ?", []any{sel.RoundID}
	if sel.AGS != "" {
		where, args = where+" AND k.ags = ?", append(args, sel.AGS)
	}
	rows, err := q.QueryContext(ctx, invitationQuery+where+" ORDER BY k.ags", args...)
	if err != nil {
		return nil, fmt.Errorf("mail targets: %w", err)
	}
	var invs []Invitation
	for rows.Next() {
		var id int64
		inv, _, err := scanInvitation(scanPrefix{rows, &id})
		if err != nil {
			rows.Close()
			return nil, err
		}
		inv.ResponseID = id
		invs = append(invs, inv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if sel.AGS != "" && len(invs) == 0 {
		return nil, survey.NewError(survey.ENotFound, "msg.response.not_invited")
	}
	contacts, err := contactsOf(ctx, q, "WHERE kommune_id IN (SELECT kommune_id FROM responses WHERE round_id = ?)", sel.RoundID)
	if err != nil {
		return nil, err
	}
	// What was mailed before: invitations by status, today's mails.
	invited := map[int64]MailStatus{}
	today := map[int64]bool{}
	todayKey := func(kid int64) string { return dedupKey(sel.Kind, sel.RoundID, kid, s.now()) }
	mrows, err := q.QueryContext(ctx, "SELECT kommune_id, kind, status, dedup_key FROM mail_queue WHERE round_id = ?", sel.RoundID)
	if err != nil {
		return nil, fmt.Errorf("mails of round %d: %w", sel.RoundID, err)
	}
	for mrows.Next() {
		var kid int64
		var kind survey.MailKind
		var st MailStatus
		var key string
		if err := mrows.Scan(&kid, &kind, &st, &key); err != nil {
			mrows.Close()
			return nil, err
		}
		if kind == survey.MailInvitation && (invited[kid] == "" || invited[kid] != MailSent) && st != MailCancelled {
			invited[kid] = st
		}
		if key == todayKey(kid) {
			today[kid] = true
		}
	}
	mrows.Close()
	if err := mrows.Err(); err != nil {
		return nil, err
	}
	out := make([]MailTarget, len(invs))
	for i, inv := range invs {
		t := MailTarget{Invitation: inv, Contacts: contacts[inv.Kommune.ID]}
		kid := inv.Kommune.ID
		switch {
		case len(t.Contacts) == 0:
			t.Skip = survey.NewMessage("msg.mail.skip.no_contact")
		case sel.Kind == survey.MailReminder && inv.Status == survey.StatusSubmitted:
			t.Skip = survey.NewMessage("msg.mail.skip.submitted")
		case (sel.Kind == survey.MailReminder || sel.Kind == survey.MailResults) && !inv.HasLink:
			t.Skip = survey.NewMessage("msg.mail.skip.no_link")
		case today[kid]:
			t.Skip = survey.NewMessage("msg.mail.skip.today", sel.Kind.Word())
		case sel.Kind == survey.MailInvitation && sel.AGS == "" && invited[kid] == MailFailed:
			t.Skip = survey.NewMessage("msg.mail.skip.failed")
		case sel.Kind == survey.MailInvitation && sel.AGS == "" && invited[kid] != "":
			t.Skip = survey.NewMessage("msg.mail.skip.invited", invited[kid].Text())
		}
		out[i] = t
	}
	return out, nil
}

// QueueResult is the outcome of QueueMails.
type QueueResult struct {
	Queued      int
	LinksIssued int // Kommunen without a link got one
	Skipped     []MailTarget
}

// ErrMailTextsChanged is returned by QueueMails when the texts changed
// after the preview.
var ErrMailTextsChanged = survey.NewError(survey.EConflict, "msg.mail.texts_changed")

// QueueMails puts the mails of a mailing in the queue, in one transaction:
// one mail per Kommune to all its addresses, with the round's texts as they
// are now (version must be the RoundMail.Version the preview showed). An
// invitation uses the Kommune's current link; a Kommune without one gets a
// new link here (the link is put into the mail when it is sent, so it is
// always the one staff see). domain is the right side of the Message-IDs.
func (s *Store) QueueMails(ctx context.Context, sel MailSelection, version, domain string, sealer *auth.Sealer, a survey.Actor) (QueueResult, error) {
	var res QueueResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		var status survey.RoundStatus
		err := tx.QueryRowContext(ctx, "SELECT status FROM rounds WHERE id = ?", sel.RoundID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.round.not_found")
		}
		if err != nil {
			return err
		}
		if sel.Kind == survey.MailResults {
			// Results go out for closed rounds too, but only while released.
			if _, ok, err := release(ctx, tx, sel.RoundID); err != nil {
				return err
			} else if !ok {
				return survey.NewError(survey.EConflict, "msg.release.not_released")
			}
		}
		switch {
		case status == survey.RoundClosed && sel.Kind != survey.MailResults:
			return survey.NewError(survey.EConflict, "msg.mail.round_closed")
		case sel.Kind == survey.MailReminder && status != survey.RoundOpen:
			return survey.NewError(survey.EConflict, "msg.mail.reminder_open")
		}
		texts, err := roundMail(ctx, tx, sel.RoundID)
		if err != nil {
			return err
		}
		if version != texts.Version {
			return ErrMailTextsChanged
		}
		if p := texts.Text(sel.Kind).Problems(sel.Kind); len(p) > 0 {
			return survey.NewError(survey.EInvalid, "msg.lines", survey.Lines(p))
		}
		targets, err := s.mailTargets(ctx, tx, sel)
		if err != nil {
			return err
		}
		text := texts.Text(sel.Kind).Normalize()
		for _, t := range targets {
			if t.Skip != nil {
				res.Skipped = append(res.Skipped, t)
				continue
			}
			if sel.Kind == survey.MailInvitation && !t.Invitation.HasLink {
				if err := s.issueTokenTx(ctx, tx, t.Invitation.ResponseID, sealer, a); err != nil {
					return err
				}
				res.LinksIssued++
			}
			if err := s.queueTx(ctx, tx, sel.RoundID, t, sel.Kind, false, text, domain, a); err != nil {
				return err
			}
			res.Queued++
		}
		return nil
	})
	return res, err
}

// issueTokenTx makes a new link for a response that has none, like
// IssueToken, within tx.
func (s *Store) issueTokenTx(ctx context.Context, tx *sql.Tx, responseID int64, sealer *auth.Sealer, a survey.Actor) error {
	if sealer == nil {
		return errors.New("issue link: no key")
	}
	var roundID, kommuneID int64
	if err := tx.QueryRowContext(ctx, "SELECT round_id, kommune_id FROM responses WHERE id = ?", responseID).Scan(&roundID, &kommuneID); err != nil {
		return fmt.Errorf("response %d: %w", responseID, err)
	}
	token := auth.NewToken()
	if _, err := tx.ExecContext(ctx, "INSERT INTO tokens (response_id, token_hash, token_enc, created_at) VALUES (?, ?, ?, ?)",
		responseID, auth.Hash(token), sealer.Seal(token), s.stamp()); err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return s.audit(ctx, tx, a, "link.issue", roundID, kommuneID, "für die Einladung per E-Mail")
}

func newMessageID(domain string) string {
	b := make([]byte, 16)
	rand.Read(b)
	if domain == "" {
		domain = "bedarf.invalid"
	}
	return "bedarf." + hex.EncodeToString(b) + "@" + domain
}

// queueTx inserts one mail; a mail of the kind to the Kommune on the same
// day exists already: nothing happens (the dedup key).
func (s *Store) queueTx(ctx context.Context, tx *sql.Tx, roundID int64, t MailTarget, kind survey.MailKind, automatic bool, text survey.MailText, domain string, a survey.Actor) error {
	kid := t.Invitation.Kommune.ID
	res, err := tx.ExecContext(ctx, `INSERT INTO mail_queue (round_id, kommune_id, kind, automatic, recipients, subject, body, status,
		dedup_key, message_id, queued_at, queued_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)
		ON CONFLICT (dedup_key) DO NOTHING`,
		roundID, kid, kind, automatic, joinRecipients(t.Contacts), text.Subject, text.Body,
		dedupKey(kind, roundID, kid, s.now()), newMessageID(domain), s.stamp(), a.Label, s.stamp())
	if err != nil {
		return fmt.Errorf("queue mail to %s: %w", t.Invitation.Kommune.AGS, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	addrs := make([]string, len(t.Contacts))
	for i, c := range t.Contacts {
		addrs[i] = c.Email
	}
	what := kind.Label()
	if automatic {
		what = "automatische " + what
	}
	return s.audit(ctx, tx, a, "mail.queue", roundID, kid, what+" an "+strings.Join(addrs, ", "))
}

// QueueAutoReminders queues the automatic reminders due at the store's
// now: in every open round with an automatic reminder N days before the
// deadline, each Kommune that has not submitted, has a link and an
// address, and whose own deadline is at most N days ahead (and not past)
// gets one reminder, unless it got a reminder (automatic or not) since the
// day the window opened. At most one reminder per Kommune and day holds in
// any case (the dedup key). It returns how many were queued.
func (s *Store) QueueAutoReminders(ctx context.Context, domain string) (int, error) {
	system := survey.Actor{Kind: "system", Label: "Automatische Erinnerung"}
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT r.id, r.deadline, m.auto_reminder_days FROM rounds r JOIN round_mail m ON m.round_id = r.id
			WHERE r.status = 'open' AND m.auto_reminder_days > 0 ORDER BY r.id`)
		if err != nil {
			return fmt.Errorf("rounds with automatic reminders: %w", err)
		}
		type due struct {
			id       int64
			deadline time.Time
			days     int
		}
		var rounds []due
		for rows.Next() {
			var d due
			var deadline string
			if err := rows.Scan(&d.id, &deadline, &d.days); err != nil {
				rows.Close()
				return err
			}
			d.deadline = parseDate(deadline)
			rounds = append(rounds, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range rounds {
			texts, err := roundMail(ctx, tx, r.id)
			if err != nil {
				return err
			}
			text := texts.Reminder.Normalize()
			if len(text.Problems(survey.MailReminder)) > 0 {
				continue
			}
			targets, err := s.mailTargets(ctx, tx, MailSelection{RoundID: r.id, Kind: survey.MailReminder})
			if err != nil {
				return err
			}
			for _, t := range targets {
				if t.Skip != nil {
					continue
				}
				own := survey.Round{Deadline: r.deadline, Status: survey.RoundOpen}
				if t.Invitation.Deadline.After(own.Deadline) {
					own.Deadline = t.Invitation.Deadline
				}
				left := own.DaysLeft(s.now())
				if left < 0 || left > r.days {
					continue
				}
				open := own.Deadline.AddDate(0, 0, -r.days)
				windowStart := time.Date(open.Year(), open.Month(), open.Day(), 0, 0, 0, 0, survey.Berlin()).UTC().Format(timeLayout)
				var earlier int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mail_queue WHERE round_id = ? AND kommune_id = ?
					AND kind = 'reminder' AND queued_at >= ?`, r.id, t.Invitation.Kommune.ID, windowStart).Scan(&earlier); err != nil {
					return err
				}
				if earlier > 0 {
					continue
				}
				if err := s.queueTx(ctx, tx, r.id, t, survey.MailReminder, true, text, domain, system); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}

// MailJob is a mail claimed for sending, with what it needs to be written.
type MailJob struct {
	MailRow
	Round         survey.Round // with the Kommune's own deadline, if later
	Questionnaire string       // title
	Token         string       // the Kommune's current link token; never log it
}

// ClaimMail takes the oldest queued mail and commits it as 'sending'
// before anything is sent; false when none is queued. A mail that has lost
// its purpose by now (round closed, reminder to a Kommune that has
// submitted, no link, no address) is set 'cancelled' instead, with the
// reason, and the next one is taken.
func (s *Store) ClaimMail(ctx context.Context, sealer *auth.Sealer) (MailJob, bool, error) {
	var job MailJob
	found := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		for {
			m, err := scanMail(tx.QueryRowContext(ctx, "SELECT "+mailCols+` FROM mail_queue m JOIN kommunen k ON k.id = m.kommune_id
				WHERE m.status = 'queued' ORDER BY m.id LIMIT 1`))
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("next mail: %w", err)
			}
			round, err := scanRound(tx.QueryRowContext(ctx, "SELECT "+roundCols+" FROM rounds WHERE id = ?", m.RoundID))
			if err != nil {
				return fmt.Errorf("round of mail %d: %w", m.ID, err)
			}
			var status survey.ResponseStatus
			var own sql.NullString
			var enc []byte
			err = tx.QueryRowContext(ctx, `SELECT r.status, r.deadline_override, t.token_enc FROM responses r
				LEFT JOIN tokens t ON t.response_id = r.id AND t.revoked_at IS NULL
				WHERE r.round_id = ? AND r.kommune_id = ?`, m.RoundID, m.Kommune.ID).Scan(&status, &own, &enc)
			if err != nil {
				return fmt.Errorf("response of mail %d: %w", m.ID, err)
			}
			_, released, err := release(ctx, tx, m.RoundID)
			if err != nil {
				return err
			}
			var cancel string
			switch {
			case m.Kind == survey.MailResults && !released:
				cancel = "Nicht gesendet: Die Freigabe der Ergebnisse wurde inzwischen zurückgenommen."
			case round.Status == survey.RoundClosed && m.Kind != survey.MailResults:
				cancel = "Nicht gesendet: Die Runde ist inzwischen geschlossen."
			case m.Kind == survey.MailReminder && status == survey.StatusSubmitted:
				cancel = "Nicht gesendet: Die Kommune hat inzwischen eingereicht."
			case enc == nil:
				cancel = "Nicht gesendet: Die Kommune hat keinen aktiven Link mehr. Erzeugen Sie einen neuen Link und senden Sie dann erneut."
			case len(m.Recipients) == 0:
				cancel = "Nicht gesendet: keine Empfängeradresse."
			}
			var token string
			if cancel == "" {
				if token, err = sealer.Open(enc); err != nil {
					return fmt.Errorf("link of mail %d: %w", m.ID, err)
				}
			}
			if cancel != "" {
				if _, err := tx.ExecContext(ctx, "UPDATE mail_queue SET status = 'cancelled', server_answer = ?, updated_at = ? WHERE id = ?",
					cancel, s.stamp(), m.ID); err != nil {
					return err
				}
				if err := s.audit(ctx, tx, mailActor, "mail.cancel", m.RoundID, m.Kommune.ID, m.Kind.Label()+": "+cancel); err != nil {
					return err
				}
				continue
			}
			if d := parseDate(own.String); own.Valid && d.After(round.Deadline) {
				round.Deadline = d
			}
			var title string
			if err := tx.QueryRowContext(ctx, "SELECT title FROM questionnaires WHERE id = ?", round.QuestionnaireID).Scan(&title); err != nil {
				return fmt.Errorf("questionnaire of mail %d: %w", m.ID, err)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE mail_queue SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'queued'",
				s.stamp(), m.ID); err != nil {
				return fmt.Errorf("claim mail %d: %w", m.ID, err)
			}
			m.Status, m.Attempts = MailSending, m.Attempts+1
			job, found = MailJob{MailRow: m, Round: round, Questionnaire: title, Token: token}, true
			return nil
		}
	})
	if err != nil || !found {
		return MailJob{}, false, err
	}
	return job, true, nil
}

// mailActor is the sender in the audit log.
var mailActor = survey.Actor{Kind: "system", Label: "Mailversand"}

// FinishMail records the outcome of a claimed mail: sent, failed or
// unklar (the server may or may not have taken it), with the server's
// answer.
func (s *Store) FinishMail(ctx context.Context, id int64, status MailStatus, answer string) error {
	if status != MailSent && status != MailFailed && status != MailUnclear {
		return fmt.Errorf("finish mail %d: status %q", id, status)
	}
	if len(answer) > 2000 {
		answer = answer[:2000]
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var roundID, kommuneID int64
		var kind survey.MailKind
		err := tx.QueryRowContext(ctx, "SELECT round_id, kommune_id, kind FROM mail_queue WHERE id = ? AND status = 'sending'", id).Scan(&roundID, &kommuneID, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("finish mail %d: not being sent", id)
		}
		if err != nil {
			return err
		}
		var sent any
		if status == MailSent {
			sent = s.stamp()
		}
		if _, err := tx.ExecContext(ctx, "UPDATE mail_queue SET status = ?, server_answer = ?, updated_at = ?, sent_at = ? WHERE id = ?",
			status, answer, s.stamp(), sent, id); err != nil {
			return fmt.Errorf("finish mail %d: %w", id, err)
		}
		return s.audit(ctx, tx, mailActor, "mail."+string(status), roundID, kommuneID, kind.Label()+": "+status.Label()+finishDetail(answer))
	})
}

func finishDetail(answer string) string {
	if answer == "" {
		return ""
	}
	if len(answer) > 300 {
		answer = answer[:300] + " …"
	}
	return " (" + answer + ")"
}

// MarkInterruptedMails turns every mail still 'sending' into 'unklar': it
// is called at start, when no mail can be in flight, so such a mail was
// cut off between the server's answer and the commit. It returns how many.
func (s *Store) MarkInterruptedMails(ctx context.Context) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, round_id, kommune_id, kind FROM mail_queue WHERE status = 'sending'")
		if err != nil {
			return err
		}
		type row struct {
			id, round, kommune int64
			kind               survey.MailKind
		}
		var found []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.round, &r.kommune, &r.kind); err != nil {
				rows.Close()
				return err
			}
			found = append(found, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		const why = "Der Versand wurde unterbrochen (Programmende während des Sendens). Ob der Mailserver die Mail angenommen hat, ist nicht bekannt: Bitte prüfen Sie es (Protokoll des Mailservers, Nachfrage bei der Kommune) und markieren Sie die Mail dann als gesendet oder senden Sie sie erneut."
		for _, r := range found {
			if _, err := tx.ExecContext(ctx, "UPDATE mail_queue SET status = 'unklar', server_answer = ?, updated_at = ? WHERE id = ?", why, s.stamp(), r.id); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, mailActor, "mail.unklar", r.round, r.kommune, r.kind.Label()+": Versand unterbrochen, Ergebnis unklar"); err != nil {
				return err
			}
		}
		n = len(found)
		return nil
	})
	return n, err
}

// RetryMail queues a failed or not sent mail again, to the Kommune's
// current addresses.
func (s *Store) RetryMail(ctx context.Context, roundID, id int64, a survey.Actor) error {
	return s.requeue(ctx, roundID, id, a, "mail.retry", MailFailed, MailCancelled)
}

// RequeueMail queues a mail whose outcome is unklar again: a person has
// checked that it did not arrive.
func (s *Store) RequeueMail(ctx context.Context, roundID, id int64, a survey.Actor) error {
	return s.requeue(ctx, roundID, id, a, "mail.requeue", MailUnclear)
}

func (s *Store) requeue(ctx context.Context, roundID, id int64, a survey.Actor, action string, from ...MailStatus) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var kommuneID int64
		var status MailStatus
		var kind survey.MailKind
		var recipients string
		err := tx.QueryRowContext(ctx, "SELECT kommune_id, status, kind, recipients FROM mail_queue WHERE id = ? AND round_id = ?", id, roundID).Scan(&kommuneID, &status, &kind, &recipients)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.mail.not_found")
		}
		if err != nil {
			return err
		}
		if recipients == "" { // emptied by retention (PurgePersonal): never sent again
			return survey.NewError(survey.EConflict, "msg.mail.purged")
		}
		ok := false
		for _, f := range from {
			ok = ok || status == f
		}
		if !ok {
			return survey.NewError(survey.EConflict, "msg.mail.no_resend", status.Text())
		}
		cs, err := contactsOf(ctx, tx, "WHERE kommune_id = ?", kommuneID)
		if err != nil {
			return err
		}
		if len(cs[kommuneID]) == 0 {
			return survey.NewError(survey.EConflict, "msg.mail.no_contact")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE mail_queue SET status = 'queued', recipients = ?, updated_at = ? WHERE id = ?",
			joinRecipients(cs[kommuneID]), s.stamp(), id); err != nil {
			return fmt.Errorf("requeue mail %d: %w", id, err)
		}
		return s.audit(ctx, tx, a, action, roundID, kommuneID, kind.Label()+": "+status.Label()+" → erneut in der Warteschlange")
	})
}

// MarkMailSent records that a mail whose outcome was unklar did arrive.
func (s *Store) MarkMailSent(ctx context.Context, roundID, id int64, a survey.Actor) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var kommuneID int64
		var status MailStatus
		var kind survey.MailKind
		err := tx.QueryRowContext(ctx, "SELECT kommune_id, status, kind FROM mail_queue WHERE id = ? AND round_id = ?", id, roundID).Scan(&kommuneID, &status, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return survey.NewError(survey.ENotFound, "msg.mail.not_found")
		}
		if err != nil {
			return err
		}
		if status != MailUnclear {
			return survey.NewError(survey.EConflict, "msg.mail.mark_unclear_only")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE mail_queue SET status = 'sent', sent_at = ?, server_answer = server_answer || ?, updated_at = ? WHERE id = ?",
			s.stamp(), " Als gesendet markiert von "+a.Label+".", s.stamp(), id); err != nil {
			return fmt.Errorf("mark mail %d sent: %w", id, err)
		}
		return s.audit(ctx, tx, a, "mail.marksent", roundID, kommuneID, kind.Label()+": unklar → gesendet (geprüft)")
	})
}

// QueuedMails reports whether a mail waits in the queue.
func (s *Store) QueuedMails(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM mail_queue WHERE status = 'queued' LIMIT 1)").Scan(&n)
	return n > 0, err
}

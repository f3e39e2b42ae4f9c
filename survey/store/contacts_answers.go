package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"bedarf/survey"
)

// Contact addresses copied from the Kommunen's answers: the questionnaire
// marks the question that holds a contact e-mail address (a text question
// with format email, see survey.Questionnaire.ContactEmailQuestions), and
// staff take each Kommune's answer into its contact addresses after a
// preview (AnswerContacts) instead of typing it again (CopyAnswerContacts).

// ContactChange is what copying a Kommune's answered address would do.
type ContactChange string

// What copying an answered address does.
const (
	// ContactUnchanged: the Kommune has the address already (or the answer
	// cannot be copied: see AnswerContact.Problem).
	ContactUnchanged ContactChange = ""
	// ContactNew: the address is added to the Kommune's addresses.
	ContactNew ContactChange = "new"
	// ContactChanged: the address replaces the one copied earlier from the
	// same question (the Kommune changed it in its answer); addresses typed
	// or imported by staff are never replaced.
	ContactChanged ContactChange = "changed"
)

// AnswerContact is a Kommune's e-mail address in its answer to a round
// beside its current contact addresses, and what copying it would change.
type AnswerContact struct {
	Kommune survey.Kommune
	// Status of the response: draft, submitted or returned (never new).
	Status survey.ResponseStatus
	// Raw is the address as answered.
	Raw string
	// Email is the address to copy, as survey.CheckEmail cleans it; "" when
	// the answer cannot be copied.
	Email string
	// Problem says why the answer cannot be copied (marked invalid in the
	// answer, or not a valid contact address); nil when it can.
	Problem  *survey.Message
	Contacts []survey.Contact // the Kommune's current addresses
	Change   ContactChange
	// Replaces is the earlier copy that ContactChanged replaces.
	Replaces *survey.Contact
}

// Copyable reports whether copying the answer would change something.
func (a AnswerContact) Copyable() bool { return a.Problem == nil && a.Change != ContactUnchanged }

// AnswerContacts returns, in AGS order, the answers to question qid of
// every Kommune in the round that has saved or submitted a response and
// answered it, with its current contact addresses and what copying would
// change. Drafts are included with their status: the Kommune may still
// change them.
func (s *Store) AnswerContacts(ctx context.Context, roundID int64, qid string) ([]AnswerContact, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("answer contacts: begin read: %w", err)
	}
	defer tx.Rollback()
	return answerContacts(ctx, tx, roundID, qid)
}

func answerContacts(ctx context.Context, tx *sql.Tx, roundID int64, qid string) ([]AnswerContact, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+kommuneCols+`, r.status, a.raw, a.valid
		FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		JOIN answers a ON a.response_id = r.id AND a.question_id = ? AND a.item = ''
		WHERE r.round_id = ? AND r.status IN ('draft', 'submitted', 'returned') AND trim(a.raw) <> ''
		ORDER BY k.ags`, qid, roundID)
	if err != nil {
		return nil, fmt.Errorf("answer contacts of round %d: %w", roundID, err)
	}
	var out []AnswerContact
	for rows.Next() {
		var ac AnswerContact
		var valid bool
		if err := scanKommune(rows, &ac.Kommune, &ac.Status, &ac.Raw, &valid); err != nil {
			rows.Close()
			return nil, fmt.Errorf("answer contacts of round %d: %w", roundID, err)
		}
		if ac.Email, ac.Problem = survey.CheckEmail(ac.Raw); ac.Problem == nil && !valid {
			ac.Email, ac.Problem = "", survey.NewMessage("msg.contact.invalid", strings.TrimSpace(ac.Raw))
		}
		out = append(out, ac)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("answer contacts of round %d: %w", roundID, err)
	}
	contacts, err := contactsOf(ctx, tx, "WHERE kommune_id IN (SELECT kommune_id FROM responses WHERE round_id = ?)", roundID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		ac := &out[i]
		ac.Contacts = contacts[ac.Kommune.ID]
		if ac.Problem != nil {
			continue
		}
		ac.Change = ContactNew
		for j := range ac.Contacts {
			c := &ac.Contacts[j]
			switch {
			case strings.EqualFold(c.Email, ac.Email):
				ac.Change, ac.Replaces = ContactUnchanged, nil
			case c.OriginQuestion == qid && ac.Change != ContactUnchanged:
				// The newest earlier copy from this question is replaced.
				ac.Change, ac.Replaces = ContactChanged, c
			}
			if ac.Change == ContactUnchanged {
				break
			}
		}
	}
	return out, nil
}

// ContactCopy is one address staff chose to copy: the Kommune (AGS) and
// the address they saw in the preview.
type ContactCopy struct {
	AGS, Email string
}

// ContactsCopied is the outcome of CopyAnswerContacts.
type ContactsCopied struct {
	Added, Replaced int
	// Unchanged counts the chosen Kommunen that have the address already.
	Unchanged int
	// Stale names the chosen Kommunen (AGS) whose answer no longer holds
	// the address seen in the preview, or cannot be copied: nothing was
	// copied for them.
	Stale []string
}

// CopyAnswerContacts copies the chosen answered addresses of question qid
// in the round into the Kommunen's contact addresses, in one transaction:
// a new address is added, a changed one replaces the earlier copy from the
// same question. A choice whose answer changed since the preview, or is no
// longer valid, is skipped and named in Stale. The copies are marked with
// the round and the question they came from and are contacts like any
// other (retention included). The audit log gets one entry naming each
// change; when nothing changed (all chosen addresses are there already),
// nothing is written at all.
func (s *Store) CopyAnswerContacts(ctx context.Context, roundID int64, qid string, picks []ContactCopy, a survey.Actor) (ContactsCopied, error) {
	var res ContactsCopied
	err := s.write(ctx, func(tx *sql.Tx) error {
		res = ContactsCopied{}
		current, err := answerContacts(ctx, tx, roundID, qid)
		if err != nil {
			return err
		}
		byAGS := make(map[string]AnswerContact, len(current))
		for _, ac := range current {
			byAGS[ac.Kommune.AGS] = ac
		}
		var done []string
		seen := map[string]bool{}
		for _, p := range picks {
			if seen[p.AGS] {
				continue
			}
			seen[p.AGS] = true
			ac, ok := byAGS[p.AGS]
			if !ok || ac.Problem != nil || !strings.EqualFold(ac.Email, strings.TrimSpace(p.Email)) {
				res.Stale = append(res.Stale, p.AGS)
				continue
			}
			switch ac.Change {
			case ContactUnchanged:
				res.Unchanged++
			case ContactNew:
				if _, err := tx.ExecContext(ctx, `INSERT INTO kommune_contacts (kommune_id, email, name, created_at, origin_round_id, origin_question)
					VALUES (?, ?, '', ?, ?, ?)`, ac.Kommune.ID, ac.Email, s.stamp(), roundID, qid); err != nil {
					return fmt.Errorf("copy contact of %s: %w", ac.Kommune.AGS, err)
				}
				res.Added++
				done = append(done, fmt.Sprintf("%s: %s neu", ac.Kommune.Name, ac.Email))
			case ContactChanged:
				// The copy gets the new address and starts anew, as if typed now.
				if _, err := tx.ExecContext(ctx, `UPDATE kommune_contacts SET email = ?, name = '', created_at = ?, origin_round_id = ?
					WHERE id = ?`, ac.Email, s.stamp(), roundID, ac.Replaces.ID); err != nil {
					return fmt.Errorf("copy contact of %s: %w", ac.Kommune.AGS, err)
				}
				res.Replaced++
				done = append(done, fmt.Sprintf("%s: %s statt %s", ac.Kommune.Name, ac.Email, ac.Replaces.Email))
			}
		}
		if len(done) == 0 {
			return nil
		}
		return s.audit(ctx, tx, a, "contact.from_answers", roundID, 0,
			fmt.Sprintf("Aus den Antworten übernommen (Frage %s): %d neu, %d ersetzt – %s", qid, res.Added, res.Replaced, strings.Join(done, "; ")))
	})
	if err != nil {
		return ContactsCopied{}, err
	}
	return res, nil
}

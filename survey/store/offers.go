package store

// Offers, their members and dates, and providers (migrations 0020 and
// 0021; the model is described in docs/ARCHITECTURE.md, "Offers"). Every
// write is one transaction that checks the offer belongs to the round named
// (an id of another round is "not found"), bumps the round's offer revision
// (offer_state) and writes the audit entry. Offers do not change what a
// plan reads: the data version stays.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"bedarf/survey"
)

// OfferSet is a round's offers with the revision they were read at.
type OfferSet struct {
	Offers []survey.Offer
	// Revision is the round's offer revision: ApplyOfferPlan applies only
	// while it stands.
	Revision int64
}

// Find returns the offer with the id, or false.
func (os OfferSet) Find(id int64) (survey.Offer, bool) {
	i := slices.IndexFunc(os.Offers, func(o survey.Offer) bool { return o.ID == id })
	if i < 0 {
		return survey.Offer{}, false
	}
	return os.Offers[i], true
}

const offerCols = `o.id, o.round_id, o.kind, o.title, o.module_id, o.plan_key, o.plan_snapshot, o.online, o.meeting_ags,
	o.place, o.sessions, o.session_minutes, o.capacity, coalesce(o.provider_id, 0), o.status, o.updated_at, o.content, o.content_en`

func scanOffer(sc interface{ Scan(...any) error }) (survey.Offer, error) {
	var o survey.Offer
	var snap string
	var updated sql.NullString
	err := sc.Scan(&o.ID, &o.RoundID, &o.Kind, &o.Title, &o.ModuleID, &o.PlanKey, &snap, &o.Online, &o.MeetingAGS,
		&o.Place, &o.Sessions, &o.SessionMinutes, &o.Capacity, &o.ProviderID, &o.Status, &updated, &o.Content, &o.ContentEN)
	o.PlanSnapshot, o.UpdatedAt = []byte(snap), parseTime(updated)
	return o, err
}

// Offers returns a round's offers (groups first, then training, each in
// the order they were made) with their members and dates, and the offer
// revision, read in one transaction.
func (s *Store) Offers(ctx context.Context, roundID int64) (OfferSet, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return OfferSet{}, fmt.Errorf("offers of round %d: %w", roundID, err)
	}
	defer tx.Rollback()
	set, err := readOffers(ctx, tx, roundID, 0)
	if err != nil {
		return OfferSet{}, fmt.Errorf("offers of round %d: %w", roundID, err)
	}
	return set, nil
}

// Offer returns one offer of a round with its members and dates; an id of
// another round is not found (survey.ENotFound).
func (s *Store) Offer(ctx context.Context, roundID, id int64) (survey.Offer, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return survey.Offer{}, fmt.Errorf("offer %d: %w", id, err)
	}
	defer tx.Rollback()
	set, err := readOffers(ctx, tx, roundID, id)
	if err != nil {
		return survey.Offer{}, fmt.Errorf("offer %d: %w", id, err)
	}
	if len(set.Offers) == 0 {
		return survey.Offer{}, survey.NewError(survey.ENotFound, "msg.offer.not_found")
	}
	return set.Offers[0], nil
}

// readOffers reads the round's offers (only the one with id when id > 0).
func readOffers(ctx context.Context, q rowQuerier, roundID, id int64) (OfferSet, error) {
	return readOffersDate(ctx, q, roundID, id, 0)
}

// readOffersDate is readOffers with, when dateID > 0, that date alone of
// the offers' dates: a booking reads its date, not every date of a
// training offer (hundreds in a nation-wide round, read per booking).
func readOffersDate(ctx context.Context, q rowQuerier, roundID, id, dateID int64) (OfferSet, error) {
	var set OfferSet
	if err := q.QueryRowContext(ctx, "SELECT coalesce((SELECT revision FROM offer_state WHERE round_id = ?), 0)", roundID).Scan(&set.Revision); err != nil {
		return set, err
	}
	where, args := "o.round_id = ?", []any{roundID}
	if id > 0 {
		where, args = where+" AND o.id = ?", append(args, id)
	}
	rows, err := q.QueryContext(ctx, "SELECT "+offerCols+" FROM offers o WHERE "+where+" ORDER BY o.kind = 'training', o.id", args...)
	if err != nil {
		return set, err
	}
	byID := map[int64]int{}
	for rows.Next() {
		o, err := scanOffer(rows)
		if err != nil {
			rows.Close()
			return set, err
		}
		byID[o.ID] = len(set.Offers)
		set.Offers = append(set.Offers, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(set.Offers) == 0 {
		return set, err
	}
	rows, err = q.QueryContext(ctx, `SELECT m.offer_id, m.kommune_id, k.ags, k.name, m.seats FROM offer_members m
		JOIN offers o ON o.id = m.offer_id JOIN kommunen k ON k.id = m.kommune_id
		WHERE `+where+` ORDER BY m.offer_id, k.ags`, args...)
	if err != nil {
		return set, err
	}
	for rows.Next() {
		var oid int64
		var m survey.OfferMember
		if err := rows.Scan(&oid, &m.KommuneID, &m.AGS, &m.Name, &m.Seats); err != nil {
			rows.Close()
			return set, err
		}
		o := &set.Offers[byID[oid]]
		o.Members = append(o.Members, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return set, err
	}
	dateWhere := where
	if dateID > 0 {
		dateWhere, args = where+" AND d.id = ?", append(args, dateID)
	}
	rows, err = q.QueryContext(ctx, `SELECT d.id, d.offer_id, d.starts_at, d.ends_at, d.place, d.capacity, d.status, d.sequence, d.uid,
		coalesce(d.cancel_until, ''), coalesce(d.release_on, '')
		FROM offer_dates d JOIN offers o ON o.id = d.offer_id WHERE `+dateWhere+` ORDER BY d.offer_id, d.starts_at, d.id`, args...)
	if err != nil {
		return set, err
	}
	defer rows.Close()
	for rows.Next() {
		var d survey.OfferDate
		var start, end, cancel, release string
		if err := rows.Scan(&d.ID, &d.OfferID, &start, &end, &d.Place, &d.Capacity, &d.Status, &d.Sequence, &d.UID, &cancel, &release); err != nil {
			return set, err
		}
		d.Start, _ = time.Parse(time.RFC3339, start)
		d.End, _ = time.Parse(time.RFC3339, end)
		if cancel != "" {
			d.CancelUntil = parseDate(cancel)
		}
		if release != "" {
			d.ReleaseOn = parseDate(release)
		}
		o := &set.Offers[byID[d.OfferID]]
		o.Dates = append(o.Dates, d)
	}
	return set, rows.Err()
}

// bumpOffers increases the round's offer revision within tx.
func bumpOffers(ctx context.Context, tx *sql.Tx, roundID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO offer_state (round_id, revision) VALUES (?, 1)
		ON CONFLICT (round_id) DO UPDATE SET revision = revision + 1`, roundID)
	if err != nil {
		return fmt.Errorf("bump offer revision: %w", err)
	}
	return nil
}

// writeOffers is write for changes of a round's offers: it bumps the
// round's offer revision in the same transaction.
func (s *Store) writeOffers(ctx context.Context, roundID int64, fn func(tx *sql.Tx) error) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM rounds WHERE id = ?", roundID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return survey.NewError(survey.ENotFound, "msg.round.not_found")
		}
		if err := fn(tx); err != nil {
			return err
		}
		return bumpOffers(ctx, tx, roundID)
	})
}

// offerInTx loads an offer of the round within tx, refusing ids of other
// rounds and (unless cancelledOK) cancelled offers.
func offerInTx(ctx context.Context, tx *sql.Tx, roundID, id int64, cancelledOK bool) (survey.Offer, error) {
	o, err := offerDateInTx(ctx, tx, roundID, id, 0)
	if err == nil && o.Status == survey.OfferCancelled && !cancelledOK {
		return o, survey.NewError(survey.EConflict, "msg.offer.cancelled")
	}
	return o, err
}

// offerDateInTx loads an offer of the round within tx (cancelled ones
// too) with, when dateID > 0, only that date among its dates.
func offerDateInTx(ctx context.Context, tx *sql.Tx, roundID, id, dateID int64) (survey.Offer, error) {
	set, err := readOffersDate(ctx, tx, roundID, id, dateID)
	if err != nil {
		return survey.Offer{}, fmt.Errorf("offer %d: %w", id, err)
	}
	if len(set.Offers) == 0 || id <= 0 {
		return survey.Offer{}, survey.NewError(survey.ENotFound, "msg.offer.not_found")
	}
	return set.Offers[0], nil
}

func kommuneID(ctx context.Context, tx *sql.Tx, ags string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM kommunen WHERE ags = ?", ags).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, survey.NewError(survey.EInvalid, "msg.offer.kommune_unknown")
	}
	return id, err
}

func newDateUID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b) + "@bedarf"
}

// insertOffer stores a new offer with its members (by AGS) and dates.
func (s *Store) insertOffer(ctx context.Context, tx *sql.Tx, roundID int64, o survey.Offer) (int64, error) {
	if o.Status == "" {
		o.Status = survey.OfferDraft
	}
	if err := o.Normalize(); err != nil {
		return 0, err
	}
	if o.PlanKey != "" {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM offers WHERE round_id = ? AND plan_key = ?", roundID, o.PlanKey).Scan(&n); err != nil {
			return 0, err
		}
		if n > 0 {
			return 0, survey.NewError(survey.EConflict, "msg.offer.plan_key_taken")
		}
	}
	if err := checkProvider(ctx, tx, o.Kind, o.ProviderID); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO offers (round_id, kind, title, module_id, plan_key, plan_snapshot, online, meeting_ags,
		place, sessions, session_minutes, capacity, provider_id, status, content, content_en, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		roundID, o.Kind, o.Title, o.ModuleID, o.PlanKey, string(o.PlanSnapshot), o.Online, o.MeetingAGS,
		o.Place, o.Sessions, o.SessionMinutes, o.Capacity, nullID(o.ProviderID), o.Status, o.Content, o.ContentEN, s.stamp(), s.stamp())
	if err != nil {
		return 0, fmt.Errorf("insert offer: %w", err)
	}
	id, _ := res.LastInsertId()
	if err := setMembers(ctx, tx, id, o.Members); err != nil {
		return 0, err
	}
	for _, d := range o.Dates {
		if _, err := s.insertDate(ctx, tx, id, d); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// setMembers replaces an offer's members (by AGS; seats 0 leave a Kommune out).
func setMembers(ctx context.Context, tx *sql.Tx, offerID int64, ms []survey.OfferMember) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM offer_members WHERE offer_id = ?", offerID); err != nil {
		return fmt.Errorf("members of offer %d: %w", offerID, err)
	}
	for _, m := range ms {
		if m.Seats == 0 {
			continue
		}
		kid, err := kommuneID(ctx, tx, m.AGS)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO offer_members (offer_id, kommune_id, seats) VALUES (?, ?, ?)
			ON CONFLICT (offer_id, kommune_id) DO UPDATE SET seats = seats + excluded.seats`, offerID, kid, m.Seats); err != nil {
			return fmt.Errorf("member %s of offer %d: %w", m.AGS, offerID, err)
		}
	}
	return nil
}

func checkProvider(ctx context.Context, tx *sql.Tx, kind survey.OfferKind, id int64) error {
	if id == 0 {
		return nil
	}
	var pk survey.ProviderKind
	err := tx.QueryRowContext(ctx, "SELECT kind FROM providers WHERE id = ?", id).Scan(&pk)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.NewError(survey.EInvalid, "msg.offer.provider_missing").At("anbieter")
	}
	if err != nil {
		return err
	}
	if (kind == survey.OfferGroup) != (pk == survey.ProviderSupervisor) {
		return survey.NewError(survey.EInvalid, "msg.offer.provider_kind_bad").At("anbieter")
	}
	return nil
}

func dateOnly(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

func (s *Store) insertDate(ctx context.Context, tx *sql.Tx, offerID int64, d survey.OfferDate) (int64, error) {
	if err := d.Normalize(); err != nil {
		return 0, err
	}
	if d.Status == "" {
		d.Status = survey.DateScheduled
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO offer_dates (offer_id, starts_at, ends_at, place, capacity, status, sequence, uid,
		cancel_until, release_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
		offerID, d.Start.UTC().Format(time.RFC3339), d.End.UTC().Format(time.RFC3339), d.Place, d.Capacity, d.Status,
		newDateUID(), dateOnly(d.CancelUntil), dateOnly(d.ReleaseOn), s.stamp(), s.stamp())
	if err != nil {
		return 0, fmt.Errorf("insert date of offer %d: %w", offerID, err)
	}
	id, _ := res.LastInsertId()
	return id, nil
}

// ApplyOfferPlan makes, updates and cancels a round's offers from its plan
// in one transaction, only while the round's offer revision is still base
// (the revision the diff was computed from): otherwise nothing is changed
// and the error is a conflict (msg.offer.stale). It returns the ids of the
// offers made.
func (s *Store) ApplyOfferPlan(ctx context.Context, roundID, base int64, ch survey.OfferPlanChanges, a survey.Actor) ([]int64, error) {
	if ch.Empty() {
		return nil, survey.NewError(survey.EInvalid, "msg.offer.no_change")
	}
	var ids []int64
	err := s.writeOffers(ctx, roundID, func(tx *sql.Tx) error {
		var rev int64
		if err := tx.QueryRowContext(ctx, "SELECT coalesce((SELECT revision FROM offer_state WHERE round_id = ?), 0)", roundID).Scan(&rev); err != nil {
			return err
		}
		if rev != base {
			return survey.NewError(survey.EConflict, "msg.offer.stale")
		}
		var log []string
		for _, o := range ch.Create {
			id, err := s.insertOffer(ctx, tx, roundID, o)
			if err != nil {
				return err
			}
			ids = append(ids, id)
			log = append(log, fmt.Sprintf("+%d %s", id, o.PlanKey))
		}
		for _, u := range ch.Update {
			o, err := offerInTx(ctx, tx, roundID, u.ID, true)
			if err != nil {
				return err
			}
			o.Sessions, o.SessionMinutes, o.Capacity, o.Members = u.Sessions, u.SessionMinutes, u.Capacity, u.Members
			if err := o.Normalize(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE offers SET plan_snapshot = ?, sessions = ?, session_minutes = ?,
				capacity = ?, online = ?, meeting_ags = ?, updated_at = ? WHERE id = ?`,
				string(u.PlanSnapshot), u.Sessions, u.SessionMinutes, u.Capacity, u.Online, u.MeetingAGS, s.stamp(), u.ID); err != nil {
				return fmt.Errorf("update offer %d from the plan: %w", u.ID, err)
			}
			if o.Kind == survey.OfferGroup {
				if err := setMembers(ctx, tx, u.ID, u.Members); err != nil {
					return err
				}
			}
			for _, d := range u.AddDates {
				if _, err := s.insertDate(ctx, tx, u.ID, d); err != nil {
					return err
				}
			}
			log = append(log, fmt.Sprintf("~%d %s", u.ID, o.PlanKey))
		}
		for _, id := range ch.Cancel {
			if _, err := offerInTx(ctx, tx, roundID, id, true); err != nil {
				return err
			}
			if err := s.cancelOffer(ctx, tx, roundID, id); err != nil {
				return err
			}
			log = append(log, fmt.Sprintf("-%d", id))
		}
		return s.audit(ctx, tx, a, "offer.plan", roundID, 0, strings.Join(log, " "))
	})
	return ids, err
}

// UpdateOffer changes what staff edit on an offer: title, place, online,
// meeting place, sessions and their length, capacity, provider, status
// (cancelling an offer cancels its dates) and the content texts (German
// and English). Members and dates have their own methods.
func (s *Store) UpdateOffer(ctx context.Context, roundID int64, in survey.Offer, a survey.Actor) error {
	return s.writeOffers(ctx, roundID, func(tx *sql.Tx) error {
		o, err := offerInTx(ctx, tx, roundID, in.ID, false)
		if err != nil {
			return err
		}
		o.Title, o.Place, o.Online, o.MeetingAGS = in.Title, in.Place, in.Online, in.MeetingAGS
		o.Sessions, o.SessionMinutes, o.Capacity, o.ProviderID, o.Status = in.Sessions, in.SessionMinutes, in.Capacity, in.ProviderID, in.Status
		old := o.OfferContent
		o.OfferContent = in.OfferContent
		if err := o.Normalize(); err != nil {
			return err
		}
		if o.MeetingAGS != "" {
			if _, err := kommuneID(ctx, tx, o.MeetingAGS); err != nil {
				return err
			}
		}
		if err := checkProvider(ctx, tx, o.Kind, o.ProviderID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE offers SET title = ?, place = ?, online = ?, meeting_ags = ?, sessions = ?,
			session_minutes = ?, capacity = ?, provider_id = ?, status = ?, content = ?, content_en = ?, updated_at = ? WHERE id = ?`,
			o.Title, o.Place, o.Online, o.MeetingAGS, o.Sessions, o.SessionMinutes, o.Capacity, nullID(o.ProviderID), o.Status,
			o.Content, o.ContentEN, s.stamp(), o.ID); err != nil {
			return fmt.Errorf("update offer %d: %w", o.ID, err)
		}
		if o.Status == survey.OfferCancelled {
			if err := s.cancelOffer(ctx, tx, roundID, o.ID); err != nil {
				return err
			}
		}
		content := ""
		if o.Content != old.Content {
			content += fmt.Sprintf(", Inhalt geändert (%d Zeilen)", len(survey.Points(o.Content)))
		}
		if o.ContentEN != old.ContentEN {
			content += fmt.Sprintf(", Inhalt englisch geändert (%d Zeilen)", len(survey.Points(o.ContentEN)))
		}
		return s.audit(ctx, tx, a, "offer.update", roundID, 0, fmt.Sprintf("%d %s: %s, %s, %d×%d min, %d Plätze, Anbieter %d%s",
			o.ID, o.Title, o.Status, o.Place, o.Sessions, o.SessionMinutes, o.Capacity, o.ProviderID, content))
	})
}

// CreateOffer adds an offer staff make by hand (no plan item).
func (s *Store) CreateOffer(ctx context.Context, roundID int64, o survey.Offer, a survey.Actor) (int64, error) {
	var id int64
	err := s.writeOffers(ctx, roundID, func(tx *sql.Tx) error {
		o.PlanKey, o.PlanSnapshot = "", nil
		var err error
		if id, err = s.insertOffer(ctx, tx, roundID, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "offer.create", roundID, 0, fmt.Sprintf("%d %s", id, o.Title))
	})
	return id, err
}

func memberSeats(o survey.Offer, ags string) int {
	for _, m := range o.Members {
		if m.AGS == ags {
			return m.Seats
		}
	}
	return 0
}

// MoveSeats moves seats of a Kommune (by AGS) from one group of the round
// to another; seats 0 moves all of them.
func (s *Store) MoveSeats(ctx context.Context, roundID, fromID, toID int64, ags string, seats int, a survey.Actor) error {
	return s.writeOffers(ctx, roundID, func(tx *sql.Tx) error {
		from, err := offerInTx(ctx, tx, roundID, fromID, false)
		if err != nil {
			return err
		}
		to, err := offerInTx(ctx, tx, roundID, toID, false)
		if err != nil {
			return err
		}
		if from.Kind != survey.OfferGroup || to.Kind != survey.OfferGroup {
			return survey.NewError(survey.EInvalid, "msg.offer.not_group")
		}
		if from.ID == to.ID {
			return survey.NewError(survey.EInvalid, "msg.offer.same_group").At("nach")
		}
		have := memberSeats(from, ags)
		switch {
		case have == 0:
			return survey.NewError(survey.EInvalid, "msg.offer.kommune_missing").At("kommune")
		case seats == 0:
			seats = have
		case seats < 0 || seats > have:
			return survey.NewError(survey.EInvalid, "msg.offer.seats_more", have).At("plaetze")
		}
		kid, err := kommuneID(ctx, tx, ags)
		if err != nil {
			return err
		}
		if seats == have {
			_, err = tx.ExecContext(ctx, "DELETE FROM offer_members WHERE offer_id = ? AND kommune_id = ?", from.ID, kid)
		} else {
			_, err = tx.ExecContext(ctx, "UPDATE offer_members SET seats = seats - ? WHERE offer_id = ? AND kommune_id = ?", seats, from.ID, kid)
		}
		if err != nil {
			return fmt.Errorf("move seats: %w", err)
		}
		if err := setMembersAdd(ctx, tx, to.ID, kid, seats); err != nil {
			return err
		}
		if err := touchOffers(ctx, tx, s.stamp(), from.ID, to.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "offer.move", roundID, kid, fmt.Sprintf("%s: %d Plätze von %d %s nach %d %s", ags, seats, from.ID, from.Title, to.ID, to.Title))
	})
}

func setMembersAdd(ctx context.Context, tx *sql.Tx, offerID, kid int64, seats int) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO offer_members (offer_id, kommune_id, seats) VALUES (?, ?, ?)
		ON CONFLICT (offer_id, kommune_id) DO UPDATE SET seats = seats + excluded.seats`, offerID, kid, seats)
	if err != nil {
		return fmt.Errorf("add seats to offer %d: %w", offerID, err)
	}
	return nil
}

func touchOffers(ctx context.Context, tx *sql.Tx, now string, ids ...int64) error {
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, "UPDATE offers SET updated_at = ? WHERE id = ?", now, id); err != nil {
			return fmt.Errorf("touch offer %d: %w", id, err)
		}
	}
	return nil
}

// SplitOffer moves the named Kommunen (by AGS, all their seats) of a group
// into a new group of the round, with the group's place, sessions,
// provider and status but no dates, and returns its id.
func (s *Store) SplitOffer(ctx context.Context, roundID, id int64, ags []string, a survey.Actor) (int64, error) {
	var newID int64
	err := s.writeOffers(ctx, roundID, func(tx *sql.Tx) error {
		o, err := offerInTx(ctx, tx, roundID, id, false)
		if err != nil {
			return err
		}
		if o.Kind != survey.OfferGroup {
			return survey.NewError(survey.EInvalid, "msg.offer.not_group")
		}
		var moved, kept []survey.OfferMember
		for _, m := range o.Members {
			if slices.Contains(ags, m.AGS) {
				moved = append(moved, m)
			} else {
				kept = append(kept, m)
			}
		}
		for _, x := range ags {
			if memberSeats(o, x) == 0 {
				return survey.NewError(survey.EInvalid, "msg.offer.kommune_missing").At("kommunen")
			}
		}
		switch {
		case len(moved) == 0:
			return survey.NewError(survey.EInvalid, "msg.offer.split_none").At("kommunen")
		case len(kept) == 0:
			return survey.NewError(survey.EInvalid, "msg.offer.split_all").At("kommunen")
		}
		if err := setMembers(ctx, tx, o.ID, kept); err != nil {
			return err
		}
		n := o
		n.PlanKey, n.PlanSnapshot, n.Members, n.Dates = "", nil, moved, nil
		n.Title = o.Title + " (2)"
		if len([]rune(n.Title)) > survey.MaxOfferText {
			n.Title = o.Title
		}
		if newID, err = s.insertOffer(ctx, tx, roundID, n); err != nil {
			return err
		}
		if err := touchOffers(ctx, tx, s.stamp(), o.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "offer.split", roundID, 0, fmt.Sprintf("%d %s → %d: %s", o.ID, o.Title, newID, strings.Join(ags, ", ")))
	})
	return newID, err
}

// MergeOffers moves every member (seats add up) and every group booking of
// group from into group into, and cancels from (with its dates).
func (s *Store) MergeOffers(ctx context.Context, roundID, into, from int64, a survey.Actor) error {
	return s.writeOffers(ctx, roundID, func(tx *sql.Tx) error {
		to, err := offerInTx(ctx, tx, roundID, into, false)
		if err != nil {
			return err
		}
		fr, err := offerInTx(ctx, tx, roundID, from, false)
		if err != nil {
			return err
		}
		if to.Kind != survey.OfferGroup || fr.Kind != survey.OfferGroup {
			return survey.NewError(survey.EInvalid, "msg.offer.not_group")
		}
		if to.ID == fr.ID {
			return survey.NewError(survey.EInvalid, "msg.offer.same_group").At("mit")
		}
		// The merged-away group's sessions are cancelled while its seats
		// are still its own (their participants are told), then the seats
		// move and are invited to the sessions of the group they joined.
		if err := s.cancelOffer(ctx, tx, roundID, fr.ID); err != nil {
			return err
		}
		moved, err := dateRecipients(ctx, tx, fr, 0, false)
		if err != nil {
			return err
		}
		for _, m := range fr.Members {
			if err := setMembersAdd(ctx, tx, to.ID, m.KommuneID, m.Seats); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM offer_members WHERE offer_id = ?", fr.ID); err != nil {
			return fmt.Errorf("merge offers: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE bookings SET offer_id = ?, updated_at = ? WHERE offer_id = ? AND date_id IS NULL",
			to.ID, s.stamp(), fr.ID); err != nil {
			return fmt.Errorf("merge bookings: %w", err)
		}
		if to.Status == survey.OfferPublished {
			for _, r := range moved {
				if err := s.sessionMails(ctx, tx, to, r.booking, r.participant, survey.OfferMailConfirmation); err != nil {
					return err
				}
			}
		}
		if err := touchOffers(ctx, tx, s.stamp(), to.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "offer.merge", roundID, 0, fmt.Sprintf("%d %s ← %d %s", to.ID, to.Title, fr.ID, fr.Title))
	})
}

// AddDate adds a date to an offer of the round and returns its id.
func (s *Store) AddDate(ctx context.Context, roundID, offerID int64, d survey.OfferDate, a survey.Actor) (int64, error) {
	var id int64
	err := s.writeOffers(ctx, roundID, func(tx *sql.Tx) error {
		o, err := offerInTx(ctx, tx, roundID, offerID, false)
		if err != nil {
			return err
		}
		d.Status = survey.DateScheduled
		if id, err = s.insertDate(ctx, tx, o.ID, d); err != nil {
			return err
		}
		d.ID = id
		if err := s.inviteToSession(ctx, tx, o, d); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "offer.date.add", roundID, 0, fmt.Sprintf("%d %s: %d %s–%s %s", o.ID, o.Title, id,
			d.Start.UTC().Format(time.RFC3339), d.End.UTC().Format(time.RFC3339), d.Place))
	})
	return id, err
}

func dateOf(o survey.Offer, id int64) (survey.OfferDate, bool) {
	for _, d := range o.Dates {
		if d.ID == id {
			return d, true
		}
	}
	return survey.OfferDate{}, false
}

// UpdateDate changes a date's times, place, capacity, cancellation
// deadline and release day. A change of time or place counts in the
// date's sequence (participants are told; iCalendar SEQUENCE).
func (s *Store) UpdateDate(ctx context.Context, roundID, offerID int64, in survey.OfferDate, a survey.Actor) error {
	return s.writeOffers(ctx, roundID, func(tx *sql.Tx) error {
		o, err := offerInTx(ctx, tx, roundID, offerID, false)
		if err != nil {
			return err
		}
		d, ok := dateOf(o, in.ID)
		if !ok {
			return survey.NewError(survey.ENotFound, "msg.offer.date_not_found")
		}
		if d.Status == survey.DateCancelled {
			return survey.NewError(survey.EConflict, "msg.offer.date_cancelled")
		}
		if err := in.Normalize(); err != nil {
			return err
		}
		seq := d.Sequence
		moved := !in.Start.Equal(d.Start) || !in.End.Equal(d.End) || in.Place != d.Place
		if moved {
			seq++
		}
		if _, err := tx.ExecContext(ctx, `UPDATE offer_dates SET starts_at = ?, ends_at = ?, place = ?, capacity = ?, sequence = ?,
			cancel_until = ?, release_on = ?, updated_at = ? WHERE id = ?`,
			in.Start.UTC().Format(time.RFC3339), in.End.UTC().Format(time.RFC3339), in.Place, in.Capacity, seq,
			dateOnly(in.CancelUntil), dateOnly(in.ReleaseOn), s.stamp(), d.ID); err != nil {
			return fmt.Errorf("update date %d: %w", d.ID, err)
		}
		nd := in
		nd.ID, nd.Status, nd.Sequence, nd.UID = d.ID, survey.DateScheduled, seq, d.UID
		// A change of time or place is told to everyone booked or waiting
		// (the same calendar entry, a higher SEQUENCE), before the waiting
		// list moves up: who moves up is told of that after.
		told := 0
		if moved {
			if told, err = s.queueDateMails(ctx, tx, o, nd, survey.OfferMailChanged, offerMailExtra{
				prev: &survey.OfferSchedule{Start: d.Start, End: d.End, Place: d.Place}}); err != nil {
				return err
			}
		}
		// A raised capacity or an earlier release day frees places: the
		// waiting list moves up (bookings.go).
		if _, err := s.fillDate(ctx, tx, roundID, nd, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "offer.date.update", roundID, 0, fmt.Sprintf("%d %s: %d %s–%s %s, %d Plätze, %d Teilnehmende benachrichtigt", o.ID, o.Title, d.ID,
			in.Start.UTC().Format(time.RFC3339), in.End.UTC().Format(time.RFC3339), in.Place, in.Capacity, told))
	})
}

// CancelDate cancels a date of an offer of the round (counted in its
// sequence) and, if it has not begun, queues the cancellation with
// staff's reason ("" for none; one line, at most survey.MaxOfferText
// characters) to everyone booked or waiting; the date and its bookings
// are kept.
func (s *Store) CancelDate(ctx context.Context, roundID, offerID, dateID int64, reason string, a survey.Actor) error {
	reason = strings.Join(strings.Fields(survey.SafeText(reason)), " ")
	if len([]rune(reason)) > survey.MaxOfferText {
		return survey.NewError(survey.EInvalid, "msg.offer.too_long", survey.MaxOfferText).At("grund")
	}
	return s.writeOffers(ctx, roundID, func(tx *sql.Tx) error {
		o, err := offerInTx(ctx, tx, roundID, offerID, false)
		if err != nil {
			return err
		}
		d, ok := dateOf(o, dateID)
		if !ok {
			return survey.NewError(survey.ENotFound, "msg.offer.date_not_found")
		}
		if d.Status == survey.DateCancelled {
			return survey.NewError(survey.EConflict, "msg.offer.date_cancelled")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE offer_dates SET status = 'cancelled', sequence = sequence + 1, updated_at = ? WHERE id = ?",
			s.stamp(), d.ID); err != nil {
			return fmt.Errorf("cancel date %d: %w", d.ID, err)
		}
		told, err := s.queueDateMails(ctx, tx, o, d, survey.OfferMailCancelled, offerMailExtra{reason: reason})
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "offer.date.cancel", roundID, 0, fmt.Sprintf("%d %s: %d %s, %d Teilnehmende benachrichtigt", o.ID, o.Title, d.ID,
			d.Start.UTC().Format(time.RFC3339), told))
	})
}

// --- providers ---

const providerCols = `id, kind, name, organisation, qualification, contact, fee_cents, fee_unit, travel_cents, vat_bp, vat_exempt, updated_at`

func scanProvider(sc interface{ Scan(...any) error }) (survey.Provider, error) {
	var p survey.Provider
	var updated sql.NullString
	err := sc.Scan(&p.ID, &p.Kind, &p.Name, &p.Organisation, &p.Qualification, &p.Contact, &p.FeeCents, &p.FeeUnit,
		&p.TravelCents, &p.VATBasisPoints, &p.VATExempt, &updated)
	p.UpdatedAt = parseTime(updated)
	return p, err
}

// Providers returns every provider by kind and name.
func (s *Store) Providers(ctx context.Context) ([]survey.Provider, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+providerCols+" FROM providers ORDER BY kind, name, id")
	if err != nil {
		return nil, fmt.Errorf("providers: %w", err)
	}
	defer rows.Close()
	var out []survey.Provider
	for rows.Next() {
		p, err := scanProvider(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Provider returns one provider (survey.ENotFound when there is none).
func (s *Store) Provider(ctx context.Context, id int64) (survey.Provider, error) {
	p, err := scanProvider(s.r.QueryRowContext(ctx, "SELECT "+providerCols+" FROM providers WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, survey.NewError(survey.ENotFound, "msg.offer.provider_missing")
	}
	if err != nil {
		return p, fmt.Errorf("provider %d: %w", id, err)
	}
	return p, nil
}

// SaveProvider checks a provider (survey.Provider.Normalize) and stores
// it: a new one when its ID is 0, else it replaces the one with its ID.
// It returns the provider's id.
func (s *Store) SaveProvider(ctx context.Context, p survey.Provider, a survey.Actor) (int64, error) {
	if err := p.Normalize(); err != nil {
		return 0, err
	}
	id := p.ID
	err := s.write(ctx, func(tx *sql.Tx) error {
		if p.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO providers (kind, name, organisation, qualification, contact, fee_cents, fee_unit,
				travel_cents, vat_bp, vat_exempt, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				p.Kind, p.Name, p.Organisation, p.Qualification, p.Contact, p.FeeCents, p.FeeUnit, p.TravelCents, p.VATBasisPoints, p.VATExempt,
				s.stamp(), s.stamp())
			if err != nil {
				return fmt.Errorf("insert provider: %w", err)
			}
			id, _ = res.LastInsertId()
		} else {
			var kind survey.ProviderKind
			err := tx.QueryRowContext(ctx, "SELECT kind FROM providers WHERE id = ?", p.ID).Scan(&kind)
			if errors.Is(err, sql.ErrNoRows) {
				return survey.NewError(survey.ENotFound, "msg.offer.provider_missing")
			}
			if err != nil {
				return err
			}
			if kind != p.Kind {
				var n int
				if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM offers WHERE provider_id = ?", p.ID).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return survey.NewError(survey.EInvalid, "msg.offer.provider_kind_bad").At("art")
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE providers SET kind = ?, name = ?, organisation = ?, qualification = ?, contact = ?,
				fee_cents = ?, fee_unit = ?, travel_cents = ?, vat_bp = ?, vat_exempt = ?, updated_at = ? WHERE id = ?`,
				p.Kind, p.Name, p.Organisation, p.Qualification, p.Contact, p.FeeCents, p.FeeUnit, p.TravelCents, p.VATBasisPoints, p.VATExempt,
				s.stamp(), p.ID); err != nil {
				return fmt.Errorf("update provider %d: %w", p.ID, err)
			}
		}
		return s.audit(ctx, tx, a, "provider.save", 0, 0, fmt.Sprintf("%d %s (%s), %d ct/%s, Fahrt %d ct, USt %d bp",
			id, p.Name, p.Kind, p.FeeCents, p.FeeUnit, p.TravelCents, p.VATBasisPoints))
	})
	return id, err
}

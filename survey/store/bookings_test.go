package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"bedarf/survey"
)

// bookingFixture is a store with a published training offer of one date
// (capacity places, cancel until 1 March 2027, release on releaseOn when
// set) and the Kommunen's ids (by position of the demo list).
type bookingFixture struct {
	*fixture
	offer, date int64
	kommunen    []int64
	ags         []string
}

func newBookingFixture(t *testing.T, capacity int, releaseOn time.Time) *bookingFixture {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	d := testDate(10, 9, 16)
	d.Capacity = capacity
	d.CancelUntil = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	d.ReleaseOn = releaseOn
	id, err := f.st.CreateOffer(ctx, f.round, survey.Offer{Kind: survey.OfferTraining, Title: "Asylrecht", ModuleID: "asyl",
		Sessions: 1, SessionMinutes: 420, Capacity: capacity, Status: survey.OfferPublished, Dates: []survey.OfferDate{d}}, system)
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.st.Offer(ctx, f.round, id)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := f.st.Kommunen(ctx)
	if err != nil || len(ks) < 4 {
		t.Fatalf("kommunen: %v", err)
	}
	bf := &bookingFixture{fixture: f, offer: id, date: o.Dates[0].ID}
	for _, k := range ks[:4] {
		bf.kommunen = append(bf.kommunen, k.ID)
		bf.ags = append(bf.ags, k.AGS)
	}
	// Before the date, after the cancellation deadline is not yet reached.
	f.st.SetClock(func() time.Time { return time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC) })
	return bf
}

func (bf *bookingFixture) book(k int, email string) (BookResult, error) {
	return bf.st.Book(context.Background(), BookRequest{RoundID: bf.round, KommuneID: bf.kommunen[k], OfferID: bf.offer, DateID: bf.date,
		Participant: survey.Participant{Name: "Person " + email, Function: "Sachbearbeitung", Email: email + "@example.org"}}, system)
}

// places checks the invariants from the stored rows: taken ≤ capacity.
func (bf *bookingFixture) statuses(t *testing.T) (booked, waiting []int64) {
	t.Helper()
	bs, err := bf.st.DateBookings(context.Background(), bf.date)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		switch b.Status {
		case survey.BookingBooked, survey.BookingAttended:
			booked = append(booked, b.ID)
		case survey.BookingWaiting:
			waiting = append(waiting, b.ID)
		}
	}
	return booked, waiting
}

func TestBookingPlaces(t *testing.T) {
	release := time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC)
	type step struct {
		kommune int
		email   string
		want    survey.BookingStatus // "" for a refusal
		wantErr string               // message key of the refusal
	}
	for _, tc := range []struct {
		name     string
		capacity int
		reserve  map[int]int // Kommune index → reserved seats
		now      time.Time
		steps    []step
	}{
		{name: "capacity then waiting list", capacity: 2, steps: []step{
			{0, "a", survey.BookingBooked, ""}, {1, "b", survey.BookingBooked, ""}, {2, "c", survey.BookingWaiting, ""}, {0, "d", survey.BookingWaiting, ""}}},
		{name: "same person twice", capacity: 5, steps: []step{
			{0, "a", survey.BookingBooked, ""}, {0, "a", "", "msg.booking.twice"}, {1, "a", survey.BookingBooked, ""}}},
		{name: "reserved for another Kommune before release", capacity: 3, reserve: map[int]int{1: 2}, steps: []step{
			{0, "a", survey.BookingBooked, ""}, {0, "b", survey.BookingWaiting, ""}, {1, "c", survey.BookingBooked, ""}, {1, "d", survey.BookingBooked, ""},
			{1, "e", survey.BookingWaiting, ""}}},
		{name: "own reservation is bookable", capacity: 2, reserve: map[int]int{0: 2}, steps: []step{
			{1, "a", survey.BookingWaiting, ""}, {0, "b", survey.BookingBooked, ""}, {0, "c", survey.BookingBooked, ""}}},
		{name: "after the release day free places are open to all", capacity: 3, reserve: map[int]int{1: 2},
			now: time.Date(2027, 2, 15, 8, 0, 0, 0, time.UTC), steps: []step{
				{0, "a", survey.BookingBooked, ""}, {0, "b", survey.BookingBooked, ""}, {0, "c", survey.BookingBooked, ""}, {1, "d", survey.BookingWaiting, ""}}},
		{name: "date started", capacity: 3, now: time.Date(2027, 3, 10, 9, 0, 0, 0, survey.Berlin()), steps: []step{
			{0, "a", "", "msg.booking.date_past"}}},
		{name: "invalid participant", capacity: 3, steps: []step{{0, "not an address", "", "msg.contact.not_single"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bf := newBookingFixture(t, tc.capacity, release)
			ctx := context.Background()
			for k, seats := range tc.reserve {
				if err := bf.st.SetReservation(ctx, bf.round, bf.offer, bf.date, bf.ags[k], seats, system); err != nil {
					t.Fatal(err)
				}
			}
			if !tc.now.IsZero() {
				bf.st.SetClock(func() time.Time { return tc.now })
			}
			for i, s := range tc.steps {
				res, err := bf.book(s.kommune, s.email)
				if s.wantErr != "" {
					if err == nil || errKey(err) != s.wantErr {
						t.Fatalf("step %d: want %s, got %+v, %v", i, s.wantErr, res, err)
					}
					continue
				}
				if err != nil || res.Status != s.want {
					t.Fatalf("step %d (%d %s): want %s, got %+v, %v", i, s.kommune, s.email, s.want, res, err)
				}
			}
			booked, _ := bf.statuses(t)
			if len(booked) > tc.capacity {
				t.Errorf("overbooked: %d of %d", len(booked), tc.capacity)
			}
		})
	}
}

// errKey is the message key of a domain error.
func errKey(err error) string {
	var e *survey.Error
	if !errors.As(err, &e) || e.Text == nil {
		return ""
	}
	return e.Text.Key
}

func TestBookingCancelMovesUp(t *testing.T) {
	bf := newBookingFixture(t, 2, time.Time{})
	ctx := context.Background()
	a, _ := bf.book(0, "a")
	bf.book(1, "b")
	c, _ := bf.book(2, "c")
	d, _ := bf.book(3, "d")
	if c.Status != survey.BookingWaiting || c.Position != 1 || d.Position != 2 {
		t.Fatalf("waiting: %+v %+v", c, d)
	}
	// Another Kommune's booking is not found; nothing changes.
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[1], a.BookingID, system); errKey(err) != "msg.booking.booking_missing" {
		t.Fatalf("other Kommune's booking: %v", err)
	}
	// Another round: not found.
	if err := bf.st.CancelBooking(ctx, bf.round+1, bf.kommunen[0], a.BookingID, system); errKey(err) != "msg.booking.booking_missing" {
		t.Fatalf("other round: %v", err)
	}
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[0], a.BookingID, system); err != nil {
		t.Fatal(err)
	}
	booked, waiting := bf.statuses(t)
	if len(booked) != 2 || len(waiting) != 1 || waiting[0] != d.BookingID {
		t.Fatalf("after cancel: booked %v waiting %v (want c moved up, d waiting)", booked, waiting)
	}
	// c's mails: waiting (first, with the notice), then moved up with SEQUENCE one more.
	ms, err := bf.st.OfferMails(ctx, c.ParticipantID)
	if err != nil || len(ms) != 2 || ms[0].Kind != survey.OfferMailWaiting || !ms[0].FirstMail || ms[0].Sequence != 0 ||
		ms[1].Kind != survey.OfferMailMovedUp || ms[1].FirstMail || ms[1].Sequence != 1 {
		t.Fatalf("mails to c: %+v, %v", ms, err)
	}
	ma, _ := bf.st.OfferMails(ctx, a.ParticipantID)
	if len(ma) != 2 || ma[1].Kind != survey.OfferMailBookingCancelled || ma[1].Sequence != 1 {
		t.Fatalf("mails to a: %+v", ma)
	}
	// c declines the moved-up place: d moves up. a (not moved up) cannot decline.
	if err := bf.st.DeclineMoveUp(ctx, bf.round, bf.kommunen[1], 2, system); errKey(err) != "msg.booking.not_moved_up" {
		t.Fatalf("decline of a booking that did not move up: %v", err)
	}
	if err := bf.st.DeclineMoveUp(ctx, bf.round, bf.kommunen[2], c.BookingID, system); err != nil {
		t.Fatal(err)
	}
	booked, waiting = bf.statuses(t)
	if len(booked) != 2 || len(waiting) != 0 || booked[1] != d.BookingID {
		t.Fatalf("after decline: booked %v waiting %v", booked, waiting)
	}
	// Cancelling twice is refused.
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[0], a.BookingID, system); errKey(err) != "msg.booking.already_cancelled" {
		t.Fatalf("second cancel: %v", err)
	}
	// Audit entries for each change.
	var got []string
	rows, err := bf.st.r.QueryContext(ctx, "SELECT action FROM audit_log WHERE action LIKE 'booking.%' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	rows.Close()
	want := fmt.Sprint([]string{"booking.book", "booking.book", "booking.wait", "booking.wait", "booking.cancel", "booking.move_up", "booking.decline", "booking.move_up"})
	if fmt.Sprint(got) != want {
		t.Errorf("audit: %v, want %s", got, want)
	}
}

func TestBookingCancelDeadline(t *testing.T) {
	bf := newBookingFixture(t, 2, time.Time{})
	ctx := context.Background()
	a, _ := bf.book(0, "a")
	bf.st.SetClock(func() time.Time { return time.Date(2027, 3, 1, 23, 30, 0, 0, time.UTC) }) // 00:30 on 2 March in Berlin
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[0], a.BookingID, system); errKey(err) != "msg.booking.deadline" {
		t.Fatalf("after the deadline: %v", err)
	}
	bf.st.SetClock(func() time.Time { return time.Date(2027, 3, 1, 22, 30, 0, 0, survey.Berlin()) }) // still 1 March
	if err := bf.st.CancelBooking(ctx, bf.round, bf.kommunen[0], a.BookingID, system); err != nil {
		t.Fatalf("on the last day: %v", err)
	}
}

func TestBookingReleaseAndCapacityMoveUp(t *testing.T) {
	release := time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC)
	bf := newBookingFixture(t, 2, release)
	ctx := context.Background()
	if err := bf.st.SetReservation(ctx, bf.round, bf.offer, bf.date, bf.ags[1], 1, system); err != nil {
		t.Fatal(err)
	}
	bf.book(0, "a")
	w, _ := bf.book(0, "b")
	if w.Status != survey.BookingWaiting {
		t.Fatalf("reserved place taken: %+v", w)
	}
	// The release day comes: FillDate (run by any booking change) moves b up.
	bf.st.SetClock(func() time.Time { return release.Add(10 * time.Hour) })
	if n, err := bf.st.FillDate(ctx, bf.round, bf.offer, bf.date, system); err != nil || n != 1 {
		t.Fatalf("fill after release: %d, %v", n, err)
	}
	c, _ := bf.book(1, "c")
	if c.Status != survey.BookingWaiting {
		t.Fatalf("full date: %+v", c)
	}
	// A capacity raise moves c up in the same transaction.
	o, _ := bf.st.Offer(ctx, bf.round, bf.offer)
	d := o.Dates[0]
	d.Capacity = 3
	if err := bf.st.UpdateDate(ctx, bf.round, bf.offer, d, system); err != nil {
		t.Fatal(err)
	}
	booked, waiting := bf.statuses(t)
	if len(booked) != 3 || len(waiting) != 0 {
		t.Fatalf("after capacity raise: %v %v", booked, waiting)
	}
}

func TestBookingGroupSeats(t *testing.T) {
	f, _, _, group, _ := offerFixture(t)
	ctx := context.Background()
	o, _ := f.st.Offer(ctx, f.round, group)
	o.Status = survey.OfferPublished
	kid := o.Members[1].KommuneID // 3 seats
	book := func(email string, offer int64) error {
		_, err := f.st.Book(ctx, BookRequest{RoundID: f.round, KommuneID: kid, OfferID: offer,
			Participant: survey.Participant{Name: "P " + email, Email: email + "@example.org"}}, system)
		return err
	}
	if err := book("x", group); errKey(err) != "msg.booking.not_found" {
		t.Fatalf("draft group bookable: %v", err)
	}
	if err := f.st.UpdateOffer(ctx, f.round, o, system); err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{"a", "b", "c"} {
		if err := book(e, group); err != nil {
			t.Fatal(err)
		}
	}
	if err := book("d", group); errKey(err) != "msg.booking.seats_full" {
		t.Fatalf("fourth seat of three: %v", err)
	}
	// A Kommune that is not a member has no seats; another round's offer is not found.
	ks, _ := f.st.Kommunen(ctx)
	other := ks[3].ID
	if _, err := f.st.Book(ctx, BookRequest{RoundID: f.round, KommuneID: other, OfferID: group,
		Participant: survey.Participant{Name: "Q", Email: "q@example.org"}}, system); errKey(err) != "msg.booking.no_seats" {
		t.Fatalf("non-member: %v", err)
	}
	if err := book("e", group+100); errKey(err) != "msg.booking.not_found" {
		t.Fatalf("unknown offer: %v", err)
	}
	// The overview shows the Kommune its own participants only.
	ov, err := f.st.KommuneBookings(ctx, f.round, kid)
	if err != nil || len(ov.Groups) != 1 || len(ov.Groups[0].Bookings) != 3 || ov.Groups[0].Free() != 0 || ov.Groups[0].Offer.Members != nil {
		t.Fatalf("overview: %+v, %v", ov, err)
	}
	ov, _ = f.st.KommuneBookings(ctx, f.round, o.Members[0].KommuneID)
	if len(ov.Groups) != 1 || len(ov.Groups[0].Bookings) != 0 || ov.Groups[0].Free() != 4 || len(ov.Participants) != 0 {
		t.Fatalf("other member sees: %+v", ov)
	}
	// Cancelling a seat frees it.
	l, _ := f.st.KommuneBookings(ctx, f.round, kid)
	if err := f.st.CancelBooking(ctx, f.round, kid, l.Groups[0].Bookings[0].ID, system); err != nil {
		t.Fatal(err)
	}
	if err := book("d", group); err != nil {
		t.Fatalf("freed seat: %v", err)
	}
}

// TestBookingConcurrentLastPlaces: 50 clients of four Kommunen book the
// last 5 places of a date at once; the date is never overbooked, everyone
// else waits, and the waiting list's order is the order the bookings were
// committed in (their ids), without gaps.
func TestBookingConcurrentLastPlaces(t *testing.T) {
	bf := newBookingFixture(t, 8, time.Time{})
	for i := range 3 {
		if _, err := bf.book(i, fmt.Sprintf("early%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	const clients = 50
	var wg sync.WaitGroup
	results := make([]BookResult, clients)
	errs := make([]error, clients)
	start := make(chan struct{})
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = bf.book(i%4, fmt.Sprintf("c%02d", i))
		}()
	}
	close(start)
	wg.Wait()
	booked := 0
	positions := map[int]int64{}
	for i := range clients {
		if errs[i] != nil {
			t.Fatalf("client %d: %v", i, errs[i])
		}
		switch results[i].Status {
		case survey.BookingBooked:
			booked++
		case survey.BookingWaiting:
			if _, dup := positions[results[i].Position]; dup {
				t.Errorf("position %d twice", results[i].Position)
			}
			positions[results[i].Position] = results[i].BookingID
		}
	}
	if booked != 5 || len(positions) != clients-5 {
		t.Fatalf("booked %d of the last 5, %d waiting", booked, len(positions))
	}
	b, w := bf.statuses(t)
	if len(b) != 8 || len(w) != clients-5 {
		t.Fatalf("stored: %d booked, %d waiting", len(b), len(w))
	}
	for i, id := range w { // the stored list's order is the positions handed out
		if positions[i+1] != id {
			t.Fatalf("waiting list position %d: stored %d, told %d", i+1, id, positions[i+1])
		}
		if i > 0 && id < w[i-1] {
			t.Fatalf("waiting list not in commit order: %v", w)
		}
	}
	// The first one waiting moves up when a place frees.
	if err := bf.st.CancelBooking(context.Background(), bf.round, bf.kommunen[0], 1, system); err != nil {
		t.Fatal(err)
	}
	_, w2 := bf.statuses(t)
	if len(w2) != len(w)-1 || w2[0] != w[1] {
		t.Fatalf("move-up took %v, want %d first", w2, w[0])
	}
}

// TestDemoBookings: the demo's bookings publish one group and one
// training, give every member of the group a seat, and fill the first
// future date with two more on its waiting list; the first of them also
// took part in the past first date, all but one recorded present.
func TestDemoBookings(t *testing.T) {
	f, _, _, group, training := offerFixture(t)
	ctx := context.Background()
	f.st.SetClock(func() time.Time { return time.Date(2027, 3, 5, 12, 0, 0, 0, time.UTC) }) // the first date (3 March) is past
	var n int
	if err := f.st.write(ctx, func(tx *sql.Tx) (err error) {
		n, err = f.st.seedBookingsTx(ctx, tx, f.round, system)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	g, _ := f.st.Offer(ctx, f.round, group)
	o, _ := f.st.Offer(ctx, f.round, training)
	if g.Status != survey.OfferPublished || o.Status != survey.OfferPublished || n != len(g.Members)+20+2+demoAttendees {
		t.Fatalf("published %s %s, %d bookings", g.Status, o.Status, n)
	}
	bs, _ := f.st.DateBookings(ctx, o.Dates[1].ID)
	booked, waiting := 0, 0
	for _, b := range bs {
		switch b.Status {
		case survey.BookingBooked:
			booked++
		case survey.BookingWaiting:
			waiting++
		}
	}
	if booked != 20 || waiting != 2 || o.Dates[1].Capacity != 20 {
		t.Fatalf("second date: %d booked, %d waiting, capacity %d", booked, waiting, o.Dates[1].Capacity)
	}
	// The past first date: demoAttendees of the next date's participants,
	// all but the last present.
	r, err := f.st.DateRoster(ctx, f.round, o.Dates[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Entries) != demoAttendees || r.Present() != demoAttendees-1 {
		t.Errorf("past date: %d on the list, %d present; want %d, %d", len(r.Entries), r.Present(), demoAttendees, demoAttendees-1)
	}
	next := map[int64]bool{}
	for _, b := range bs {
		next[b.ParticipantID] = true
	}
	for _, e := range r.Entries {
		if !next[e.ParticipantID] {
			t.Errorf("%s came to the past date but is not booked on the next", e.Name)
		}
	}
	if queued, err := f.st.QueuedOfferMails(ctx); err != nil || queued {
		t.Errorf("the demo's participants' mails are queued to be sent: %v %v", queued, err)
	}
}

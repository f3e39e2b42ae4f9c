package bench

// Booking a place over HTTP under 64 concurrent clients (issue 20): each
// client is a Kommune with its own session from its link and books
// participants on one published training date whose capacity is half the
// bookings, so the second half ends on the waiting list. Against it, in
// turns, raw SQLite commits of the same clients (the save phase's raw
// baseline: rawWriter). Afterwards the stored bookings are counted: the
// date must not be overbooked and every booking must be there.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"bedarf/survey"
)

// bookingClients is the concurrency of the booking figure.
const bookingClients = 64

// bookingsPerClient is how many participants each client books per turn.
const bookingsPerClient = 3

// bookingReport is the booking section's figures.
type bookingReport struct {
	Clients, Capacity     int
	Raw, Book             stats
	Booked, Waiting, Rows int
	Overbooked            int
}

func (b *bencher) phaseBookings(ctx context.Context) error {
	// Each client a Kommune of the open round with a link: the drafts,
	// then those not begun (a small --short seed has fewer drafts).
	resps := append(append([]benchResp(nil), b.data.Drafts...), b.data.New...)
	if len(resps) > bookingClients {
		resps = resps[:bookingClients]
	}
	n := len(resps)
	total := n * bookingsPerClient * benchRepeats
	capacity := min(total/2, survey.MaxOfferCount)
	start := time.Now().AddDate(0, 2, 0).Truncate(time.Hour)
	offer, err := b.st.CreateOffer(ctx, b.data.Current.ID, survey.Offer{Kind: survey.OfferTraining, Title: "Bench: Asylrecht", ModuleID: "asyl",
		Sessions: 1, SessionMinutes: 420, Capacity: capacity, Status: survey.OfferPublished,
		Dates: []survey.OfferDate{{Start: start, End: start.Add(7 * time.Hour), Place: "Raum 1", Capacity: capacity}}},
		survey.Actor{Kind: "system", Label: "bench"})
	if err != nil {
		return err
	}
	o, err := b.st.Offer(ctx, b.data.Current.ID, offer)
	if err != nil {
		return err
	}
	date := o.Dates[0].ID
	raw, err := openRawWriter(ctx, filepath.Join(b.dir, "raw.db"), resps, b.data.Current.ID)
	if err != nil {
		return err
	}
	defer raw.Close()
	clients := make([]*loadClient, n)
	for c, r := range resps {
		clients[c] = newLoadClient(b.base, b.tr)
		if _, _, _, err := clients[c].do(ctx, http.MethodGet, "/k/"+r.Token, nil, http.StatusSeeOther, false); err != nil {
			return err
		}
	}
	rawS, bookS := &samples{}, &samples{}
	for rep := range benchRepeats {
		parallel(n, func(c int) {
			for j := range bookingsPerClient {
				t := time.Now()
				err := raw.save(ctx, resps[c].ID, 1_000_000+rep*bookingsPerClient+j)
				rawS.add(time.Since(t), err)
			}
		}, rawS)
		parallel(n, func(c int) {
			for j := range bookingsPerClient {
				k := rep*bookingsPerClient + j
				form := map[string][]string{"aktion": {"buchen"}, "angebot": {strconv.FormatInt(offer, 10)}, "termin": {strconv.FormatInt(date, 10)},
					"name": {fmt.Sprintf("Bench Person %d-%d", c, k)}, "funktion": {"Sozialamt"}, "email": {fmt.Sprintf("p%d-%d@bench.example", c, k)}}
				_, _, d, err := clients[c].do(ctx, http.MethodPost, "/angebote", form, http.StatusSeeOther, false)
				bookS.add(d, err)
			}
		}, bookS)
	}
	rep := &bookingReport{Clients: n, Capacity: capacity, Raw: rawS.stats(), Book: bookS.stats()}
	bs, err := b.st.DateBookings(ctx, date)
	if err != nil {
		return err
	}
	rep.Rows = len(bs)
	for _, bk := range bs {
		switch {
		case bk.Status.TakesPlace():
			rep.Booked++
		case bk.Status == survey.BookingWaiting:
			rep.Waiting++
		}
	}
	rep.Overbooked = max(rep.Booked-capacity, 0)
	b.rep.Booking = rep
	return nil
}

// bookingTargets adds the booking target: 0 errors, 0 overbooking, every
// booking stored, p99 within 5× of a raw SQLite commit of the same run.
func (r *benchReport) bookingTargets() {
	br := r.Booking
	if br == nil {
		return
	}
	x := float64(br.Book.P99) / float64(max(1, br.Raw.P99))
	want := br.Book.N + br.Book.Errors
	t := benchTarget{
		Name: fmt.Sprintf("booking a place over HTTP, %d clients: 0 errors, 0 overbooking, p99 vs raw SQLite commit", br.Clients),
		Product: fmt.Sprintf("%d errors, %d overbooked, %d of %d bookings stored; booking p99 %s (%s)", br.Book.Errors, br.Overbooked, br.Rows, want,
			ms(br.Book.P99), perSec(br.Book.PerSec)),
		Baseline: fmt.Sprintf("raw p99 %s (%s)", ms(br.Raw.P99), perSec(br.Raw.PerSec)),
		Ratio:    ratio(x) + "×",
		Want:     "0 errors, 0 overbooked, ≤ 5×",
		Met:      br.Book.Errors == 0 && br.Overbooked == 0 && br.Rows == want && x <= 5,
	}
	if !t.Met {
		t.Miss = fmt.Sprintf("%d errors, %d overbooked, %d of %d stored, %.2f×", br.Book.Errors, br.Overbooked, br.Rows, want, x)
		if br.Book.FirstError != "" {
			t.Miss += "; first error: " + br.Book.FirstError
		}
	}
	r.Targets = append(r.Targets, t)
}

// writeBooking writes the report's section on booking.
func (r *benchReport) writeBooking(w io.Writer) {
	br := r.Booking
	if br == nil {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("%d clients, each a Kommune with its own session from its link, book %d participants each, %d times in turns with raw SQLite commits of the same clients ", br.Clients, bookingsPerClient, benchRepeats)
	p("(the draft saves' raw baseline), on one published training date of %d places: half the bookings get a place, the rest go on the waiting list. ", br.Capacity)
	p("A booking is `POST /angebote` to the redirect (one immediate transaction: places, reservations, waiting list, the participant's mail queued, audit entry).\n\n")
	p("| run | n | errors | p50 | p99 | max | rate |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, row := range []struct {
		name string
		s    stats
	}{{"raw SQLite commit", br.Raw}, {"booking over HTTP", br.Book}} {
		p("| %s | %d | %d | %s | %s | %s | %s |\n", row.name, row.s.N, row.s.Errors, ms(row.s.P50), ms(row.s.P99), ms(row.s.Max), perSec(row.s.PerSec))
	}
	p("\nStored afterwards: %d bookings, %d with a place (capacity %d, overbooked: %d), %d waiting.\n\n", br.Rows, br.Booked, br.Capacity, br.Overbooked, br.Waiting)
}

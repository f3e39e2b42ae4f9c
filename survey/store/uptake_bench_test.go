package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"bedarf/survey"
)

// BenchmarkUptakeData books n places (every date of a training to its
// capacity of 20 and two more waiting, the Kommunen in turn, through
// BenchBook as bedarf bench does) and then reads the round's uptake data
// (UptakeData, the uptake's bare queries). Reported besides the read: the
// booking time per booking (ns/booking), which must stay about the same
// at both sizes (a booking's queries must not grow with the bookings of
// its offer).
//
//	go test -run '^$' -bench BenchmarkUptakeData ./survey/store/
func BenchmarkUptakeData(b *testing.B) {
	for _, n := range []int{2200, 22000} {
		b.Run(fmt.Sprintf("bookings=%d", n), func(b *testing.B) {
			f := newFixture(b)
			ctx := context.Background()
			f.st.SetClock(func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) })
			ks, err := f.st.Kommunen(ctx)
			if err != nil {
				b.Fatal(err)
			}
			o := survey.Offer{Kind: survey.OfferTraining, Title: "Asylrecht", ModuleID: "asyl", Sessions: n / 22, SessionMinutes: 420,
				Capacity: 20, Status: survey.OfferPublished}
			for i := range n / 22 {
				start := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC).AddDate(0, 0, i)
				o.Dates = append(o.Dates, survey.OfferDate{Start: start, End: start.Add(7 * time.Hour), Capacity: 20, Status: survey.DateScheduled})
			}
			id, err := f.st.CreateOffer(ctx, f.round, o, system)
			if err != nil {
				b.Fatal(err)
			}
			stored, err := f.st.Offer(ctx, f.round, id)
			if err != nil {
				b.Fatal(err)
			}
			var reqs []BookRequest
			for _, d := range stored.Dates {
				for j := range 22 {
					p := len(reqs)
					reqs = append(reqs, BookRequest{RoundID: f.round, KommuneID: ks[p%len(ks)].ID, OfferID: id, DateID: d.ID,
						Participant: survey.Participant{Name: fmt.Sprintf("Person %d", p), Email: fmt.Sprintf("p%d-%d@example.org", p, j)}})
				}
			}
			t := time.Now()
			if _, err := f.st.BenchBook(ctx, reqs, system); err != nil {
				b.Fatal(err)
			}
			perBooking := float64(time.Since(t).Nanoseconds()) / float64(len(reqs))
			b.ResetTimer()
			for b.Loop() {
				d, err := f.st.UptakeData(ctx, f.round)
				if err != nil || len(d.Counts) == 0 {
					b.Fatalf("%d counts, %v", len(d.Counts), err)
				}
			}
			b.ReportMetric(perBooking, "ns/booking")
		})
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
	"bedarf/survey/ical"
	"bedarf/survey/ical/icaltest"
	"bedarf/survey/store"
)

// bookingRig is the demo with a published training offer of one date of
// capacity places in the round of the demo's links.
type bookingRig struct {
	*rig
	round, offer, date int64
	dateUID            string
	ags                []string // two Kommunen with links
}

func startBookingRig(t *testing.T, capacity int, extra ...string) *bookingRig {
	t.Helper()
	r := startMailRig(t, "", extra...)
	ctx := context.Background()
	br := &bookingRig{rig: r}
	for ags := range r.links {
		br.ags = append(br.ags, ags)
	}
	br.ags = br.ags[:2]
	ref, err := r.st.ResolveToken(ctx, strings.TrimPrefix(r.links[br.ags[0]], r.base+"/k/"))
	if err != nil {
		t.Fatal(err)
	}
	br.round = ref.RoundID
	start := time.Now().AddDate(0, 1, 0).Truncate(time.Hour)
	br.offer, err = r.st.CreateOffer(ctx, br.round, survey.Offer{Kind: survey.OfferTraining, Title: "Asylrecht kompakt", ModuleID: "asyl",
		Sessions: 1, SessionMinutes: 420, Capacity: capacity, Status: survey.OfferPublished,
		Dates: []survey.OfferDate{{Start: start, End: start.Add(7 * time.Hour), Place: "Raum 1", Capacity: capacity}}}, survey.Actor{Kind: "system", Label: "Test"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := r.st.Offer(ctx, br.round, br.offer)
	if err != nil {
		t.Fatal(err)
	}
	br.date, br.dateUID = o.Dates[0].ID, o.Dates[0].UID
	return br
}

// kommune opens the Kommune's link in a fresh browser.
func (br *bookingRig) kommune(t *testing.T, i int) *browser {
	t.Helper()
	b := newBrowser(t, br.base)
	if code, _, _ := b.get(br.links[br.ags[i]]); code != http.StatusSeeOther {
		t.Fatalf("link: %d", code)
	}
	return b
}

func (br *bookingRig) bookForm(name, email string) url.Values {
	return url.Values{"aktion": {"buchen"}, "angebot": {itoa(br.offer)}, "termin": {itoa(br.date)},
		"name": {name}, "funktion": {"Sozialamt"}, "email": {email}}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// doRaw sends a request as the browser (its cookies) as it is.
func doRaw(t *testing.T, b *browser, req *http.Request) (int, string) {
	t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (br *bookingRig) bookings(t *testing.T) []survey.Booking {
	t.Helper()
	bs, err := br.st.DateBookings(context.Background(), br.date)
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

// TestBookingOverHTTP books over HTTP: Kommune A takes the last place,
// Kommune B ends on the waiting list and moves up when A cancels; the
// test SMTP peer gets the four mails with valid calendar objects (UID,
// SEQUENCE) and the Art. 14 notice in each participant's first mail only.
func TestBookingOverHTTP(t *testing.T) {
	sink, _ := startSink(t, "none")
	br := startBookingRig(t, 1, sinkFlags(sink, "none")...)
	a, b := br.kommune(t, 0), br.kommune(t, 1)

	code, page, _ := a.get(br.base + "/angebote")
	if code != http.StatusOK || !strings.Contains(page, "Asylrecht kompakt") || !strings.Contains(page, `name="termin" value="`+itoa(br.date)+`"`) {
		t.Fatalf("booking page: %d\n%s", code, page)
	}
	if code, _, h := a.post(br.base+"/angebote", br.bookForm("Jana Probe", "jana@example.org")); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "ok=gebucht") {
		t.Fatalf("book A: %d %v", code, h)
	}
	if code, _, h := b.post(br.base+"/angebote", br.bookForm("Ben Probe", "ben@example.org")); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "ok=warteliste") {
		t.Fatalf("book B: %d %v", code, h)
	}
	_, pageB, _ := b.get(br.base + "/angebote?ok=warteliste")
	if !strings.Contains(pageB, "Warteliste, Platz 1") || !strings.Contains(pageB, "Ben Probe") || strings.Contains(pageB, "Jana Probe") {
		t.Fatalf("B's page (own waiting booking, not A's participant):\n%s", pageB)
	}
	// B cannot cancel A's booking: not found, nothing changed.
	// A's booking of this date (A's page may hold the demo's bookings too).
	_, pageA, _ := a.get(br.base + "/angebote")
	var m []string
	for _, bk := range br.bookings(t) {
		if bk.Status == survey.BookingBooked {
			m = []string{"", "stornieren", itoa(bk.ID)}
		}
	}
	if m == nil || !strings.Contains(pageA, `name="buchung" value="`+m[2]+`"`) {
		t.Fatalf("A's page has no cancel button for its booking %v:\n%s", m, pageA)
	}
	before := br.bookings(t)
	if code, page, _ := b.post(br.base+"/angebote", url.Values{"aktion": {"stornieren"}, "buchung": {m[2]}}); code != http.StatusNotFound ||
		!strings.Contains(page, "gibt es nicht") {
		t.Fatalf("B cancels A's booking: %d", code)
	}
	if after := br.bookings(t); !sameBookings(before, after) {
		t.Fatalf("refused cancel changed bookings: %v → %v", before, after)
	}
	if code, _, h := a.post(br.base+"/angebote", url.Values{"aktion": {"stornieren"}, "buchung": {m[2]}}); code != http.StatusSeeOther ||
		!strings.Contains(h.Get("Location"), "ok=storniert") {
		t.Fatalf("A cancels: %d", code)
	}
	_, pageB, _ = b.get(br.base + "/angebote")
	if !strings.Contains(pageB, "nachgerückt, gebucht") || !strings.Contains(pageB, `value="absagen"`) {
		t.Fatalf("B moved up:\n%s", pageB)
	}

	// The mails: A confirmation, B waiting, A cancelled, B moved up.
	msgs := sink.waitFor(t, 4)

	// After the round has closed the link still books (answers read-only).
	if err := br.st.CloseRound(context.Background(), br.round, survey.Actor{Kind: "system", Label: "Test"}); err != nil {
		t.Fatal(err)
	}
	if code, _, h := a.post(br.base+"/angebote", br.bookForm("Jana Probe", "jana@example.org")); code != http.StatusSeeOther ||
		!strings.Contains(h.Get("Location"), "ok=warteliste") {
		t.Fatalf("book after the round closed: %d %v", code, h)
	}
	if code, page, _ := a.get(br.base + "/angebote"); code != http.StatusOK || !strings.Contains(page, "Warteliste, Platz 1") {
		t.Fatalf("booking page after close: %d", code)
	}
	type want struct {
		to, method string
		seq        int
		first      bool
		subject    string
	}
	wants := []want{
		{"jana@example.org", "REQUEST", 0, true, "Anmeldung bestätigt"},
		{"ben@example.org", "REQUEST", 0, true, "Warteliste"},
		{"jana@example.org", "CANCEL", 1, false, "Anmeldung storniert"},
		{"ben@example.org", "REQUEST", 1, false, "Platz frei geworden"},
	}
	uids := map[string]string{}
	for i, w := range wants {
		raw := msgs[i]
		if len(raw.Rcpt) != 1 || raw.Rcpt[0] != w.to {
			t.Errorf("mail %d to %v, want %s", i, raw.Rcpt, w.to)
			continue
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw.Data))
		if err != nil {
			t.Fatal(err)
		}
		parts := walkMIME(t, textprotoHeader(msg.Header), msg.Body, "")
		if len(parts) != 4 {
			t.Fatalf("mail %d: %d parts", i, len(parts))
		}
		text, cal := string(parts[0].Body), parts[2].Body
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if !strings.HasPrefix(subject, w.subject) {
			t.Errorf("mail %d: subject %q, want %s…", i, subject, w.subject)
		}
		if got := strings.Contains(text, "Hinweise zum Datenschutz (Artikel 14 DSGVO)"); got != w.first {
			t.Errorf("mail %d to %s: Art. 14 notice %v, want %v", i, w.to, got, w.first)
		}
		p := icaltest.Parse(t, cal)
		if p.Method != w.method || p.Sequence != w.seq || !strings.HasSuffix(p.UID, br.dateUID) || p.Attendee.Email != w.to {
			t.Errorf("mail %d: METHOD %s SEQUENCE %d UID %s ATTENDEE %v, want %s %d …%s %s", i, p.Method, p.Sequence, p.UID, p.Attendee.Email,
				w.method, w.seq, br.dateUID, w.to)
		}
		if u, ok := uids[w.to]; ok && u != p.UID {
			t.Errorf("mail %d: UID %s changed from %s", i, p.UID, u)
		}
		uids[w.to] = p.UID
	}
	for _, bk := range br.bookings(t) {
		var email string
		for e, u := range uids {
			if u == ical.UID(br.dateUID, bk.ParticipantID) {
				email = e
			}
		}
		if email == "" {
			t.Errorf("booking %d: no mail carries its UID %s", bk.ID, ical.UID(br.dateUID, bk.ParticipantID))
		}
	}
}

// foreignBooking books a place for the second Kommune and returns its id:
// a booking that is not the first Kommune's.
func (br *bookingRig) foreignBooking(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	ref, err := br.st.ResolveToken(ctx, strings.TrimPrefix(br.links[br.ags[1]], br.base+"/k/"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := br.st.Book(ctx, store.BookRequest{RoundID: br.round, KommuneID: ref.KommuneID, OfferID: br.offer, DateID: br.date,
		Participant: survey.Participant{Name: "Fremd", Email: "fremd@example.org"}}, survey.Actor{Kind: "system", Label: "Test"})
	if err != nil {
		t.Fatal(err)
	}
	return res.BookingID
}

// sameBookings reports whether two reads of a date's bookings agree.
func sameBookings(a, b []survey.Booking) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Status != b[i].Status {
			return false
		}
	}
	return true
}

// TestBookingHostileInput: forged links, another Kommune's or round's ids,
// cross-site posts, malformed, huge and broken bodies, a lost session: a
// clear answer, nothing changed, and what was typed comes back.
func TestBookingHostileInput(t *testing.T) {
	br := startBookingRig(t, 2)
	a := br.kommune(t, 0)
	post := func(b *browser, form url.Values) (int, string) {
		code, page, _ := b.post(br.base+"/angebote", form)
		return code, page
	}
	typed := "Zoë Ünal-Typed"
	foreign := br.foreignBooking(t)
	for _, tc := range []struct {
		name string
		do   func() (int, string)
		code int
		want []string // in the answer
	}{
		{"unknown offer (another round's id)", func() (int, string) {
			f := br.bookForm(typed, "zoe@example.org")
			f.Set("angebot", "999999")
			return post(a, f)
		}, http.StatusNotFound, []string{"nicht (mehr) buchbar", typed}},
		{"date of another offer", func() (int, string) {
			f := br.bookForm(typed, "zoe@example.org")
			f.Set("termin", "999999")
			return post(a, f)
		}, http.StatusNotFound, []string{"nicht (mehr) buchbar", typed}},
		{"bad e-mail address", func() (int, string) { return post(a, br.bookForm(typed, "zoe at example")) },
			http.StatusUnprocessableEntity, []string{typed, `value="zoe at example"`, `aria-invalid="true"`}},
		{"missing name", func() (int, string) { return post(a, br.bookForm("", "zoe@example.org")) },
			http.StatusUnprocessableEntity, []string{`value="zoe@example.org"`, "Bitte ausfüllen."}},
		{"name on two lines", func() (int, string) { return post(a, br.bookForm("Zoë\nÜnal", "zoe@example.org")) },
			http.StatusUnprocessableEntity, []string{"Bitte in einer Zeile"}},
		{"no action", func() (int, string) { return post(a, url.Values{"name": {typed}}) }, http.StatusBadRequest, nil},
		{"malformed ids", func() (int, string) {
			f := br.bookForm(typed, "zoe@example.org")
			f.Set("angebot", "1; DROP TABLE bookings")
			return post(a, f)
		}, http.StatusBadRequest, nil},
		{"cancel a booking id that is not the Kommune's", func() (int, string) {
			return post(a, url.Values{"aktion": {"stornieren"}, "buchung": {itoa(foreign)}})
		}, http.StatusNotFound, []string{"gibt es nicht"}},
		{"broken UTF-8", func() (int, string) {
			req, _ := http.NewRequest(http.MethodPost, br.base+"/angebote", strings.NewReader("aktion=buchen&angebot=1&termin=1&name=%ff%fe&email=x%40example.org"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", br.base)
			return doRaw(t, a, req)
		}, http.StatusBadRequest, nil},
		{"huge body", func() (int, string) {
			f := br.bookForm(strings.Repeat("x", 12<<20), "zoe@example.org")
			return post(a, f)
		}, http.StatusRequestEntityTooLarge, nil},
		{"cross-site post (no CSRF protection passed)", func() (int, string) {
			req, _ := http.NewRequest(http.MethodPost, br.base+"/angebote", strings.NewReader(br.bookForm(typed, "zoe@example.org").Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			return doRaw(t, a, req)
		}, http.StatusForbidden, nil},
		{"forged link", func() (int, string) {
			b := newBrowser(t, br.base)
			code, page, _ := b.get(br.base + "/k/forged-token-0000")
			return code, page
		}, http.StatusNotFound, nil},
		{"lost session keeps the input", func() (int, string) {
			return post(newBrowser(t, br.base), br.bookForm(typed, "zoe@example.org"))
		}, http.StatusUnauthorized, []string{typed, "zoe@example.org"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := br.bookings(t)
			code, page := tc.do()
			if code != tc.code {
				t.Fatalf("status %d, want %d\n%.2000s", code, tc.code, page)
			}
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("answer lacks %q\n%.3000s", w, page)
				}
			}
			if after := br.bookings(t); !sameBookings(before, after) {
				t.Errorf("bookings changed: %v → %v", before, after)
			}
		})
	}
	// A draft offer is not bookable.
	ctx := context.Background()
	o, _ := br.st.Offer(ctx, br.round, br.offer)
	o.Status = survey.OfferDraft
	if err := br.st.UpdateOffer(ctx, br.round, o, survey.Actor{Kind: "system"}); err != nil {
		t.Fatal(err)
	}
	if _, page, _ := a.get(br.base + "/angebote"); strings.Contains(page, "Asylrecht kompakt") {
		t.Error("a draft offer is shown")
	}
	if code, _ := post(a, br.bookForm(typed, "zoe@example.org")); code != http.StatusNotFound {
		t.Errorf("draft offer booked: %d", code)
	}
	if bs := br.bookings(t); len(bs) != 1 || bs[0].ID != foreign {
		t.Errorf("bookings made: %v", bs)
	}
}

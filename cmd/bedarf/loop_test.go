package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/cmd/bedarf/internal/mailer"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/ical/icaltest"
	"bedarf/survey/store"
)

// The whole loop of issue 20 over HTTP, as its users go through it: staff
// make a scenario decisive and turn its plan into offers, add providers,
// date and publish a supervision group and a training module; several
// Kommunen book through their personal links, the date fills, one booking
// waits and moves up when another Kommune cancels, another stays waiting;
// the test SMTP peer receives the participants' mails with their calendar
// objects; time passes (a test clock shared by the store, the pages and
// the limiters) and staff mark attendance and open the certificates; the
// feedback codes go by mail
// to those present, who answer with them; the uptake page, the dashboard and the workbook show the
// figures the test counts by hand from what it did; after the round's
// deadline the links still lead to the bookings. Only the demo's survey
// (the need) is seeded; every later step is a request.

// loopRig is the real server (web.Server with the mail service) over a
// demo store without offers, on a loopback port, with its clock in the
// test's hand.
type loopRig struct {
	st       *store.Store
	db       string
	clk      *testClock
	sink     *smtpSink
	base     string
	password string
	links    []store.Link
}

func startLoopRig(t *testing.T) *loopRig {
	t.Helper()
	ctx := context.Background()
	r := &loopRig{db: filepath.Join(t.TempDir(), "loop.db"), clk: &testClock{t: time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)}}
	r.sink, _ = startSink(t, "none")
	var err error
	if r.st, err = store.Open(ctx, r.db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.st.Close() })
	r.st.SetClock(r.clk.Now)
	sealer, err := auth.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	if r.password, err = seedDemoWith(ctx, r.st, sealer, r.clk.Now(), nil, false); err != nil {
		t.Fatal(err)
	}
	if r.links, err = r.st.Links(ctx, 1, sealer); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(nil)
	r.base = "http://" + hs.Listener.Addr().String()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	mctx, cancel := context.WithCancel(ctx)
	svc, stop, err := mailer.Start(mctx, mailer.Deps{St: r.st, Sealer: sealer, Log: logger, BaseURL: r.base},
		mailer.Config{Host: "127.0.0.1", Port: r.sink.port(), TLS: "none", From: testMailFrom})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); stop() })
	srv, err := web.New(r.st, sealer, logger, web.Options{BaseURL: r.base, Mail: svc})
	if err != nil {
		t.Fatal(err)
	}
	srv.Now = r.clk.Now
	srv.Limits = web.NewLimiters(r.clk.Now)
	hs.Config.Handler = srv.Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return r
}

// set moves the clock to at.
func (c *testClock) set(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = at
}

// staff signs the demo admin in (again: a session idle for hours ends).
func (r *loopRig) staff(t *testing.T) *browser {
	t.Helper()
	b := newBrowser(t, r.base)
	if code, _, _ := b.post(r.base+"/anmelden", url.Values{"email": {demoAdminEmail}, "passwort": {r.password}}); code != http.StatusSeeOther {
		t.Fatalf("staff login: %d", code)
	}
	return b
}

// kommune opens the Kommune's personal link in a fresh browser.
func (r *loopRig) kommune(t *testing.T, k store.Link) *browser {
	t.Helper()
	b := newBrowser(t, r.base)
	if code, _, _ := b.get(r.base + "/k/" + k.Token); code != http.StatusSeeOther {
		t.Fatalf("link of %s: %d", k.Kommune.Name, code)
	}
	return b
}

// must sends a post and wants the status; it returns the page and where
// a redirect leads.
func must(t *testing.T, b *browser, u string, form url.Values, want int) (string, string) {
	t.Helper()
	code, page, h := b.post(u, form)
	if code != want {
		t.Fatalf("POST %s: %d, want %d\n%.3000s", u, code, want, page)
	}
	return page, h.Get("Location")
}

// open gets a page that must be there.
func open(t *testing.T, b *browser, u string) string {
	t.Helper()
	code, page, _ := b.get(u)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%.3000s", u, code, page)
	}
	return page
}

// euro writes cents as the pages do ("1.234,50 €"), computed here.
func euro(c int64) string {
	s := strconv.FormatInt(c/100, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return fmt.Sprintf("%s,%02d\u00a0€", s, c%100)
}

// between returns the part of page from the first from to the next to.
func between(t *testing.T, page, from, to string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, from)
	if !ok {
		t.Fatalf("page has no %q", from)
	}
	part, _, _ := strings.Cut(rest, to)
	return part
}

var (
	offerRowRE   = regexp.MustCompile(`<th scope="row"><a href="/verwaltung/runden/1/angebote/(\d+)">`)
	providerIDRE = regexp.MustCompile(`^/verwaltung/anbieter/(\d+)\?gespeichert=1$`)
	memberRE     = regexp.MustCompile(`<tr><th scope="row"><bdi>([^<]+)</bdi></th><td class="n">(\d+)</td></tr>`)
	dateFormRE   = regexp.MustCompile(`id="d(\d+)-datum" name="datum" value="([0-9-]+)"[\s\S]*?id="d\d+-beginn" name="beginn" value="([0-9:]+)"[\s\S]*?id="d\d+-ende" name="ende" value="([0-9:]+)"[\s\S]*?id="d\d+-ort" name="ort" value="([^"]*)"[\s\S]*?id="d\d+-kapazitaet" name="kapazitaet" value="(\d+)"`)
	titleRE      = regexp.MustCompile(`id="o-titel" name="titel" value="([^"]*)"`)
	minutesRE    = regexp.MustCompile(`id="o-dauer" name="dauer" value="(\d+)"`)
)

// loopDate is a date as the offer page's form shows it.
type loopDate struct {
	id         int64
	start, end time.Time
	place      string
	capacity   int
}

// datesOf reads the scheduled dates from an offer page's forms.
func datesOf(t *testing.T, page string) []loopDate {
	t.Helper()
	var out []loopDate
	for _, m := range dateFormRE.FindAllStringSubmatch(page, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		start, err1 := time.ParseInLocation("2006-01-02 15:04", m[2]+" "+m[3], survey.Berlin())
		end, err2 := time.ParseInLocation("2006-01-02 15:04", m[2]+" "+m[4], survey.Berlin())
		if err1 != nil || err2 != nil {
			t.Fatalf("date form %v: %v %v", m, err1, err2)
		}
		c, _ := strconv.Atoi(m[6])
		out = append(out, loopDate{id: id, start: start, end: end, place: html.UnescapeString(m[5]), capacity: c})
	}
	return out
}

// dateForm is the form of a date.
func dateForm(start time.Time, minutes int, place string, capacity int) url.Values {
	s := start.In(survey.Berlin())
	return url.Values{"datum": {s.Format(time.DateOnly)}, "beginn": {s.Format("15:04")}, "ende": {s.Add(time.Duration(minutes) * time.Minute).Format("15:04")},
		"ort": {place}, "kapazitaet": {strconv.Itoa(capacity)}}
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWholeLoopOverHTTP: see the comment at the top of the file.
func TestWholeLoopOverHTTP(t *testing.T) {
	r := startLoopRig(t)
	day0 := r.clk.Now().In(survey.Berlin())
	at := func(days, hour int) time.Time {
		d := day0.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, survey.Berlin())
	}
	admin := r.staff(t)
	offers := r.base + "/verwaltung/runden/1/angebote"

	// 1. The decisive plan: staff add a scenario with smaller groups and
	// make it decisive.
	plan := r.base + "/verwaltung/runden/1/plan"
	groupsBefore := atoi(t, groupsRE.FindStringSubmatch(open(t, admin, plan))[1])
	_, loc := must(t, admin, plan+"/szenarien", url.Values{"name": {"Kleinere Gruppen"}, "von": {"1"}}, http.StatusSeeOther)
	scenario := regexp.MustCompile(`szenario=(\d+)`).FindStringSubmatch(loc)
	if scenario == nil {
		t.Fatalf("new scenario: %s", loc)
	}
	must(t, admin, plan+"/szenarien/"+scenario[1], planForm(map[string]string{"name": "Kleinere Gruppen", "GroupMax": "6"}), http.StatusSeeOther)
	must(t, admin, plan+"/szenarien/"+scenario[1]+"/massgeblich", nil, http.StatusSeeOther)
	planPage := open(t, admin, plan+"?szenario="+scenario[1])
	groupsPlanned, planCost := atoi(t, groupsRE.FindStringSubmatch(planPage)[1]), costRE.FindStringSubmatch(planPage)[1]
	if groupsPlanned <= groupsBefore {
		t.Fatalf("smaller groups give %d groups, the standard %d", groupsPlanned, groupsBefore)
	}

	// 2. Plan → offers: the overview shows every item of the decisive plan
	// as new; staff take them all over.
	page := open(t, admin, offers)
	items := diffItemRE.FindAllStringSubmatch(page, -1)
	if len(items) == 0 || !strings.Contains(page, "Kleinere Gruppen") {
		t.Fatalf("no plan items to take over (%d), or not from the decisive scenario", len(items))
	}
	_, loc = must(t, admin, offers+"/plan", url.Values{"basis": {diffBaseRE.FindStringSubmatch(page)[1]}, "alle": {"1"},
		"erster_tag": {at(28, 0).Format(time.DateOnly)}}, http.StatusSeeOther)
	if want := fmt.Sprintf("?uebernommen=%d", len(items)); !strings.HasSuffix(loc, want) {
		t.Fatalf("apply all: %s, want …%s", loc, want)
	}
	page = open(t, admin, offers)
	if diffItemRE.MatchString(page) || !strings.Contains(page, "Die Angebote entsprechen dem Plan") {
		t.Fatal("after taking the plan over, the plan still differs from the offers")
	}
	groupIDs := offerRowRE.FindAllStringSubmatch(between(t, page, `<h2 id="gruppen">`, `</section>`), -1)
	trainingIDs := offerRowRE.FindAllStringSubmatch(between(t, page, `<h2 id="fortbildungen">`, `</section>`), -1)
	if int64(len(groupIDs)) != groupsPlanned || len(groupIDs)+len(trainingIDs) != len(items) {
		t.Fatalf("%d groups and %d trainings made of %d plan items, %d groups planned", len(groupIDs), len(trainingIDs), len(items), groupsPlanned)
	}
	defer func() {
		// The plan stays as it was, whatever staff did with the offers.
		planPage := open(t, r.staff(t), plan+"?szenario="+scenario[1])
		if g, c := groupsRE.FindStringSubmatch(planPage)[1], costRE.FindStringSubmatch(planPage)[1]; atoi(t, g) != groupsPlanned || c != planCost {
			t.Errorf("the plan changed: %s groups, %s, was %d, %s", g, c, groupsPlanned, planCost)
		}
	}()

	// 3. Providers: a supervisor paid by the hour with travel and VAT, a
	// trainer paid by the day, exempt.
	_, loc = must(t, admin, r.base+"/verwaltung/anbieter", url.Values{"art": {"supervisor"}, "name": {"Dr. Petra Schleife"}, "qualifikation": {"DGSv"},
		"kontakt": {"schleife@supervision.example"}, "honorar": {"110,50"}, "einheit": {"hour"}, "fahrt": {"25"}, "ust": {"19"}}, http.StatusSeeOther)
	supervisor := providerIDRE.FindStringSubmatch(loc)
	_, loc = must(t, admin, r.base+"/verwaltung/anbieter", url.Values{"art": {"trainer"}, "name": {"Bildungswerk Kreislauf"},
		"honorar": {"1.150"}, "einheit": {"day"}, "befreit": {"1"}}, http.StatusSeeOther)
	trainer := providerIDRE.FindStringSubmatch(loc)
	if supervisor == nil || trainer == nil {
		t.Fatalf("providers not saved: %v %v", supervisor, trainer)
	}
	const (
		supFeeCents, supTravelCents, supVATbp = 11050, 2500, 1900
		trainerDayCents                       = 115000
	)

	// 4. The first group: the supervisor, two sessions of 120 minutes,
	// published.
	group := offers + "/" + groupIDs[0][1]
	page = open(t, admin, group)
	members := memberRE.FindAllStringSubmatch(between(t, page, `<h2 id="mitglieder">`, `</table>`), -1)
	if len(members) == 0 {
		t.Fatalf("the group has no members:\n%s", page)
	}
	groupTitle := html.UnescapeString(titleRE.FindStringSubmatch(page)[1])
	must(t, admin, group, url.Values{"titel": {groupTitle}, "ort": {"Rathaus, Saal 2"}, "sitzungen": {"2"}, "dauer": {"120"},
		"status": {"published"}, "anbieter": {supervisor[1]}}, http.StatusSeeOther)
	var seats int
	for _, m := range members {
		n, _ := strconv.Atoi(m[2])
		seats += n
	}
	for _, start := range []time.Time{at(7, 14), at(35, 14)} {
		must(t, admin, group+"/termine", dateForm(start, 120, "Rathaus, Saal 2", seats), http.StatusSeeOther)
	}
	sessions := datesOf(t, open(t, admin, group))
	if len(sessions) != 2 {
		t.Fatalf("group sessions: %v", sessions)
	}

	// 5. The first training module: the trainer, its first day moved to a
	// week from now with six places at a place whose name needs folding
	// in the calendar, every plan-made day kept, published.
	training := offers + "/" + trainingIDs[0][1]
	page = open(t, admin, training)
	trainingTitle := html.UnescapeString(titleRE.FindStringSubmatch(page)[1])
	minutes, _ := strconv.Atoi(minutesRE.FindStringSubmatch(page)[1])
	days := datesOf(t, page)
	if len(days) == 0 || minutes == 0 {
		t.Fatalf("the plan made no training days (%d) or no length (%d)", len(days), minutes)
	}
	must(t, admin, training, url.Values{"titel": {trainingTitle}, "ort": {""}, "sitzungen": {strconv.Itoa(len(days))}, "dauer": {strconv.Itoa(minutes)},
		"kapazitaet": {"6"}, "status": {"published"}, "anbieter": {trainer[1]}}, http.StatusSeeOther)
	const place = "Regionshaus Hannover, Hildesheimer Straße 18, Sitzungssaal im Erdgeschoss (barrierefrei)"
	must(t, admin, fmt.Sprintf("%s/termine/%d", training, days[0].id), dateForm(at(7, 9), minutes, place, 6), http.StatusSeeOther)
	days = datesOf(t, open(t, admin, training))
	day1 := days[0]
	if day1.capacity != 6 || !day1.start.Equal(at(7, 9)) || day1.place != place {
		t.Fatalf("the first day as changed: %+v", day1)
	}
	for _, d := range days[1:] {
		if !d.start.After(day1.end) {
			t.Fatalf("a plan-made day %v lies before the first day %v", d.start, day1.start)
		}
	}

	// 6. Bookings through the Kommunen's links. A is a member of the
	// group; B to E are four others.
	byName := map[string]store.Link{}
	for _, l := range r.links {
		byName[l.Kommune.Name] = l
	}
	ka, ok := byName[html.UnescapeString(members[0][1])]
	if !ok {
		t.Fatalf("group member %q has no link", members[0][1])
	}
	var others []store.Link
	for _, l := range r.links {
		if l.Kommune.AGS != ka.Kommune.AGS && len(others) < 4 {
			others = append(others, l)
		}
	}
	kb, kc, kd, ke := others[0], others[1], others[2], others[3]
	a, b, c, d, e := r.kommune(t, ka), r.kommune(t, kb), r.kommune(t, kc), r.kommune(t, kd), r.kommune(t, ke)
	if page := open(t, a, r.base+"/fragebogen"); !strings.Contains(page, `href="/angebote"`) {
		t.Fatal("the questionnaire does not lead to the booking page")
	}
	page = open(t, a, r.base+"/angebote")
	if !strings.Contains(page, html.EscapeString(groupTitle)) || !strings.Contains(page, fmt.Sprintf(`name="termin" value="%d"`, day1.id)) {
		t.Fatalf("A's booking page lacks the group or the first day:\n%s", page)
	}
	type person struct {
		name, email string
		k           store.Link
		b           *browser
	}
	p := func(name string, k store.Link, b *browser) person {
		return person{name, strings.ToLower(strings.NewReplacer(" ", ".", "ü", "ue", "ö", "oe").Replace(name)) + "@kommune.example", k, b}
	}
	a1, a2, a3 := p("Anna Erste", ka, a), p("Ali Zweiter", ka, a), p("Asli Dritte", ka, a)
	b1, b2 := p("Bernd Vier", kb, b), p("Berit Fünf", kb, b)
	c1, d1, e1, f1 := p("Cem Sechs", kc, c), p("Dora Sieben", kd, d), p("Emil Acht", ke, e), p("Fenja Neun", ke, e)
	g1 := p("Greta Gruppe", ka, a)
	book := func(x person, offer string, date int64, want string) {
		t.Helper()
		_, loc := must(t, x.b, r.base+"/angebote", url.Values{"aktion": {"buchen"}, "angebot": {offer}, "termin": {strconv.FormatInt(date, 10)},
			"name": {x.name}, "funktion": {"Sozialarbeit"}, "email": {x.email}}, http.StatusSeeOther)
		if !strings.Contains(loc, "ok="+want) {
			t.Fatalf("booking %s: %s, want ok=%s", x.name, loc, want)
		}
	}
	for _, x := range []person{a1, a2, a3, b1, b2, c1} {
		book(x, trainingIDs[0][1], day1.id, "gebucht")
	}
	book(d1, trainingIDs[0][1], day1.id, "warteliste")
	book(e1, trainingIDs[0][1], day1.id, "warteliste")
	book(f1, trainingIDs[0][1], day1.id, "warteliste")
	book(g1, groupIDs[0][1], 0, "gebucht")
	if page := open(t, d, r.base+"/angebote"); !strings.Contains(page, "Warteliste, Platz 1") {
		t.Fatalf("D's page: no waiting position 1:\n%s", page)
	}
	if page := open(t, e, r.base+"/angebote"); !strings.Contains(page, "Warteliste, Platz 2") || !strings.Contains(page, "Warteliste, Platz 3") {
		t.Fatalf("E's page: no waiting positions 2 and 3")
	}
	// Each Kommune sees its own participants only.
	page = open(t, b, r.base+"/angebote")
	for _, x := range []person{a1, c1, d1, g1} {
		if strings.Contains(page, x.name) || strings.Contains(page, x.email) {
			t.Errorf("B's page shows %s of another Kommune", x.name)
		}
	}
	// B cancels Berit's place: Dora moves up. D declines it for her (the
	// mail tells her to ask her Kommune): Emil moves up, Fenja waits first.
	button := func(x person, action, page string) string {
		t.Helper()
		m := regexp.MustCompile(regexp.QuoteMeta(x.name) + `</bdi></td>[\s\S]*?name="aktion" value="` + action + `"><input type="hidden" name="buchung" value="(\d+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s button for %s:\n%s", action, x.name, page)
		}
		return m[1]
	}
	if _, loc := must(t, b, r.base+"/angebote", url.Values{"aktion": {"stornieren"}, "buchung": {button(b2, "stornieren", page)}}, http.StatusSeeOther); !strings.Contains(loc, "ok=storniert") {
		t.Fatalf("cancel: %s", loc)
	}
	page = open(t, d, r.base+"/angebote")
	if !strings.Contains(page, "nachgerückt, gebucht") {
		t.Fatalf("D's participant did not move up:\n%s", page)
	}
	if _, loc := must(t, d, r.base+"/angebote", url.Values{"aktion": {"absagen"}, "buchung": {button(d1, "absagen", page)}}, http.StatusSeeOther); !strings.Contains(loc, "ok=abgesagt") {
		t.Fatalf("decline: %s", loc)
	}
	page = open(t, e, r.base+"/angebote")
	if !strings.Contains(page, "nachgerückt, gebucht") || !strings.Contains(page, "Warteliste, Platz 1") || strings.Contains(page, "Platz 2") {
		t.Fatalf("E's participants: not one moved up and one first on the waiting list:\n%s", page)
	}

	// 7. The mails: each participant's in order, with a valid calendar
	// object read by the second parser.
	// SEQUENCE: the date's (1: staff moved it once, before publishing)
	// plus the participant's earlier mails about it.
	const dateSeq = 1
	confirmed := mailWant{subject: "Anmeldung bestätigt", method: "REQUEST", seq: dateSeq, first: true}
	waiting := mailWant{subject: "Warteliste", method: "REQUEST", seq: dateSeq, first: true}
	movedUp := mailWant{subject: "Platz frei geworden", method: "REQUEST", seq: dateSeq + 1, text: "sagen Sie bitte möglichst bald Ihrer Kommune Bescheid"}
	cancelled := func(seq int) mailWant { return mailWant{subject: "Anmeldung storniert", method: "CANCEL", seq: seq} }
	wants := map[string][]mailWant{
		a1.email: {confirmed}, a2.email: {confirmed}, a3.email: {confirmed}, b1.email: {confirmed}, c1.email: {confirmed},
		b2.email: {confirmed, cancelled(dateSeq + 1)},
		d1.email: {waiting, movedUp, cancelled(dateSeq + 2)},
		e1.email: {waiting, movedUp},
		f1.email: {waiting},
	}
	total := 0
	for _, w := range wants {
		total += len(w)
	}
	// Greta's group seat takes part in both sessions: an invitation to
	// each, an entry of its own (UID per session), the first with the
	// Art. 14 notice.
	var dayMails, groupMails []sinkMessage
	for _, m := range r.sink.waitFor(t, total+len(sessions)) {
		if len(m.Rcpt) == 1 && m.Rcpt[0] == g1.email {
			groupMails = append(groupMails, m)
		} else {
			dayMails = append(dayMails, m)
		}
	}
	checkMails(t, dayMails, wants, day1)
	if len(groupMails) != len(sessions) {
		t.Fatalf("%d mails to the group's participant, want one per session (%d)", len(groupMails), len(sessions))
	}
	for i, raw := range groupMails {
		w := mailWant{subject: "Anmeldung bestätigt", method: "REQUEST", first: i == 0, when: &sessions[i]}
		checkMails(t, []sinkMessage{raw}, map[string][]mailWant{g1.email: {w}}, sessions[i])
	}

	// 8. A day later: the first training day and the first group session
	// are over. Staff (signed in afresh: the old session has idled out)
	// mark attendance from the signed lists: Asli did not come.
	r.clk.set(at(8, 10))
	if code, _, _ := admin.get(offers); code == http.StatusOK {
		t.Error("a staff session idle for a day still works")
	}
	admin = r.staff(t)
	roster := fmt.Sprintf("%s/verwaltung/runden/1/termine/%d", r.base, day1.id)
	page = open(t, admin, roster)
	listed := rosterRE.FindAllStringSubmatch(page, -1)
	ids := map[string]string{}
	for _, m := range listed {
		ids[html.UnescapeString(m[1])] = m[2]
	}
	holders := []person{a1, a2, a3, b1, c1, e1}
	if len(listed) != len(holders) || !strings.Contains(page, fmt.Sprintf("Angemeldet: %d, anwesend erfasst: 0, Warteliste: 1.", len(holders))) {
		t.Fatalf("the list of the first day: %v\n%s", listed, page)
	}
	present := []person{a1, a2, b1, c1, e1}
	form := url.Values{}
	for _, x := range present {
		if ids[x.name] == "" {
			t.Fatalf("%s is not on the list %v", x.name, ids)
		}
		form.Add("anwesend", ids[x.name])
	}
	if _, loc := must(t, admin, roster+"/anwesenheit", form, http.StatusSeeOther); !strings.HasSuffix(loc, fmt.Sprintf("?anwesend=%d", len(present))) {
		t.Fatalf("attendance: %s", loc)
	}
	if page := open(t, admin, roster); !strings.Contains(page, fmt.Sprintf("Angemeldet: %d, anwesend erfasst: %d, Warteliste: 1.", len(holders), len(present))) {
		t.Errorf("the list after marking does not count %d present", len(present))
	}
	groupRoster := fmt.Sprintf("%s/verwaltung/runden/1/termine/%d", r.base, sessions[0].id)
	listed = rosterRE.FindAllStringSubmatch(open(t, admin, groupRoster), -1)
	if len(listed) != 1 || html.UnescapeString(listed[0][1]) != g1.name {
		t.Fatalf("the group session's list: %v", listed)
	}
	must(t, admin, groupRoster+"/anwesenheit", url.Values{"anwesend": {listed[0][2]}}, http.StatusSeeOther)
	// Certificates under the list: one per participant present, with the
	// name, the Kommune, the module, the time and the length in hours;
	// none for Asli.
	certs := roster + "/bescheinigungen"
	if !strings.Contains(open(t, admin, roster), `href="/verwaltung/runden/1/termine/`+strconv.FormatInt(day1.id, 10)+`/bescheinigungen"`) {
		t.Error("the list does not lead to the certificates")
	}
	hours := strconv.Itoa(minutes / 60)
	if rest := minutes % 60; rest != 0 {
		hours += "," + strings.TrimRight(fmt.Sprintf("%02d", (rest*100+30)/60), "0")
	}
	berlin := survey.Berlin()
	for _, x := range present {
		page := open(t, admin, certs+"/"+ids[x.name])
		for _, want := range []string{"Teilnahmebescheinigung", "<bdi>" + html.EscapeString(x.name) + "</bdi>", "Kommune <bdi>" + html.EscapeString(x.k.Kommune.Name) + "</bdi>",
			"<bdi>" + html.EscapeString(trainingTitle) + "</bdi>", hours + " Zeitstunden", day1.start.In(berlin).Format("15:04") + " bis " + day1.end.In(berlin).Format("15:04") + " Uhr",
			html.EscapeString(place), `<h3 class="certificate-subhead">Inhalte</h3>`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s's certificate lacks %q", x.name, want)
			}
		}
		for _, other := range holders {
			if other.name != x.name && strings.Contains(page, other.name) {
				t.Errorf("%s's certificate names %s", x.name, other.name)
			}
		}
	}
	if code, page, _ := admin.get(certs + "/" + ids[a3.name]); code != http.StatusConflict || !strings.Contains(page, "keine Teilnahme erfasst") {
		t.Errorf("a certificate for the absent %s: %d", a3.name, code)
	}
	if page := open(t, admin, certs); !strings.Contains(page, fmt.Sprintf("%d Bescheinigungen", len(present))) ||
		!strings.Contains(page, fmt.Sprintf("%d angemeldete Person ist nicht als anwesend erfasst", len(holders)-len(present))) {
		t.Errorf("the date's certificates do not count %d, %d missing", len(present), len(holders)-len(present))
	}

	// The Kommune sees its participants' attendance.
	if page := open(t, r.kommune(t, ka), r.base+"/angebote"); !strings.Contains(page, "teilgenommen") {
		t.Errorf("A's page does not show attendance")
	}

	// 9. Feedback: the codes of the first day, one per participant with a
	// place, sent by mail to each one present (the one absent's is left
	// as a slip); the five answer with the codes from their mails, so the
	// results show.
	feedback := r.base + "/verwaltung/runden/1/feedback"
	if page := open(t, admin, feedback); !strings.Contains(page, fmt.Sprintf(`href="/verwaltung/runden/1/feedback/%d"`, day1.id)) {
		t.Fatalf("the feedback overview offers no codes for the first day")
	}
	before := len(r.sink.messages())
	page, _ = must(t, admin, fmt.Sprintf("%s/%d", feedback, day1.id), url.Values{"aktion": {"mail"}}, http.StatusOK)
	if slips := feedbackCodeRE.FindAllStringSubmatch(page, -1); len(slips) != len(holders)-len(present) ||
		!strings.Contains(page, fmt.Sprintf("%d Codes wurden per Mail gesendet.", len(present))) {
		t.Fatalf("%d codes left to print, want %d; mailed to %d?\n%s", len(slips), len(holders)-len(present), len(present), page)
	}
	var codes []string
	mailedTo := map[string]bool{}
	for _, m := range r.sink.waitFor(t, before+len(present))[before:] {
		mailedTo[strings.Join(m.Rcpt, ",")] = true
		if c := mailedCodeRE.FindAllString(string(m.Data), -1); len(c) > 0 {
			codes = append(codes, c[0])
		}
	}
	for _, x := range present {
		if !mailedTo[x.email] {
			t.Errorf("%s (present) got no code", x.name)
		}
	}
	if len(codes) != len(present) {
		t.Fatalf("%d codes in %d mails", len(codes), len(present))
	}
	useful := []int{5, 4, 4, 3, 5} // "Die Fortbildung war für meine Arbeit nützlich."
	var counts [5]int
	sum := 0
	for i, v := range useful {
		pb := newBrowser(t, r.base)
		page, _ := must(t, pb, r.base+web.FeedbackPath, url.Values{"code": {codes[i]}}, http.StatusOK)
		if !strings.Contains(page, `name="q.nutzen"`) {
			t.Fatalf("code %d does not open the form", i)
		}
		page, _ = must(t, pb, r.base+web.FeedbackPath, url.Values{"code": {codes[i]}, "senden": {"1"}, "q.nutzen": {strconv.Itoa(v)},
			"q.praxis": {"4"}, "q.vernetzung": {"3"}, "q.anmerkungen": {fmt.Sprintf("Rückmeldung Nummer %d", i+1)}}, http.StatusOK)
		if !strings.Contains(page, "Vielen Dank") {
			t.Fatalf("answer %d not thanked", i)
		}
		counts[v-1]++
		sum += v
	}
	page = open(t, admin, feedback)
	row := "<tr>"
	for _, n := range counts {
		row += fmt.Sprintf("<td>%d</td>", n)
	}
	row += "<td>" + strings.Replace(strconv.FormatFloat(float64(sum)/float64(len(useful)), 'f', 1, 64), ".", ",", 1) + "</td></tr>"
	useTable := between(t, page, "Die Fortbildung war für meine Arbeit nützlich.", "</table>")
	if !strings.Contains(page, fmt.Sprintf("%d Rückmeldungen", len(useful))) || !strings.Contains(useTable, row) || !strings.Contains(page, "Rückmeldung Nummer 5") {
		t.Errorf("feedback results: want %d answers and the row %s\n%s", len(useful), row, page)
	}

	// 10. Uptake against need, counted here by hand. Need: the submitted
	// answers as stored. Offered: the seats of the groups' member tables
	// (every group not cancelled, drafts too), the places of the module's
	// scheduled days (no Kommune has reserved places). Booked, attended and
	// waiting: what the Kommunen did above.
	db := loopDB(t, r.db)
	var module string
	if err := db.QueryRow("SELECT module_id FROM offers WHERE id = ?", trainingIDs[0][1]).Scan(&module); err != nil {
		t.Fatal(err)
	}
	need := func(question, item string) map[string]int {
		rows, err := db.Query(`SELECT k.ags, CAST(round(a.num) AS INTEGER) FROM answers a JOIN responses p ON p.id = a.response_id JOIN kommunen k ON k.id = p.kommune_id
			WHERE p.round_id = 1 AND p.status = 'submitted' AND a.question_id = ? AND a.item = ? AND a.valid = 1 AND a.num > 0`, question, item)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var ags string
			var n int
			if err := rows.Scan(&ags, &n); err != nil {
				t.Fatal(err)
			}
			out[ags] += n
		}
		return out
	}
	needSup, needMod := need("supervision_gruppe_personen", ""), need("fortbildung_teilnehmende", module)
	seatsOf := map[string]int{}
	for _, g := range groupIDs {
		for _, m := range memberRE.FindAllStringSubmatch(between(t, open(t, admin, offers+"/"+g[1]), `<h2 id="mitglieder">`, `</table>`), -1) {
			n, _ := strconv.Atoi(m[2])
			seatsOf[byName[html.UnescapeString(m[1])].Kommune.AGS] += n
		}
	}
	places := 0
	for _, d := range days {
		places += d.capacity
	}
	type key struct{ ags, module string }
	const sup = "Gruppensupervision"
	want := map[key][5]int{} // need, offered, booked, attended, waiting
	add := func(k key, i, n int) {
		v := want[k]
		v[i] += n
		want[k] = v
	}
	for ags, n := range needSup {
		add(key{ags, sup}, 0, n)
	}
	for ags, n := range seatsOf {
		add(key{ags, sup}, 1, n)
	}
	for ags, n := range needMod {
		add(key{ags, trainingTitle}, 0, n)
	}
	for _, x := range holders {
		add(key{x.k.Kommune.AGS, trainingTitle}, 2, 1)
	}
	for _, x := range present {
		add(key{x.k.Kommune.AGS, trainingTitle}, 3, 1)
	}
	add(key{f1.k.Kommune.AGS, trainingTitle}, 4, 1)
	add(key{g1.k.Kommune.AGS, sup}, 2, 1)
	add(key{g1.k.Kommune.AGS, sup}, 3, 1)
	sumOf := func(module string) [5]int {
		var out [5]int
		for k, v := range want {
			if k.module == module {
				for i := range out {
					out[i] += v[i]
				}
			}
		}
		return out
	}
	wantSup, wantMod := sumOf(sup), sumOf(trainingTitle)
	wantMod[1] = places // a module's sum offers its places, open to all
	if wantSup[0] == 0 || wantMod[0] == 0 {
		t.Fatalf("the demo gives no need to count: %v %v", wantSup, wantMod)
	}

	uptake := r.base + "/verwaltung/runden/1/umsetzung"
	page = open(t, admin, uptake)
	got := map[key][5]int{}
	for u := uptake; u != ""; {
		pg := open(t, admin, u)
		for _, m := range uptakeRowRE.FindAllStringSubmatch(pg, -1) {
			var v [5]int
			for i := range v {
				v[i], _ = strconv.Atoi(m[3+i])
			}
			got[key{m[1], html.UnescapeString(m[2])}] = v
		}
		u = ""
		if m := nextPageRE.FindStringSubmatch(pg); m != nil {
			u = r.base + html.UnescapeString(m[1])
		}
	}
	for k, w := range want {
		if k.module != sup && k.module != trainingTitle {
			continue
		}
		if got[k] != w {
			t.Errorf("uptake of %s, %s: %v, want %v (need, offered, booked, attended, waiting)", k.ags, k.module, got[k], w)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok && (k.module == sup || k.module == trainingTitle) {
			t.Errorf("uptake row %s, %s: %v, counted by hand: none", k.ags, k.module, v)
		}
	}
	dashboard := open(t, admin, r.base+"/verwaltung/runden/1")
	for _, pg := range []string{page, dashboard} {
		if g := moduleRow(t, pg, sup); g != wantSup {
			t.Errorf("supervision sums %v, want %v", g, wantSup)
		}
		if g := moduleRow(t, pg, trainingTitle); g != wantMod {
			t.Errorf("%s sums %v, want %v", trainingTitle, g, wantMod)
		}
		// The group: one participant, one session held, one visit.
		if row := fmt.Sprintf(`<tr><th scope="row" lang="de"><bdi>%s</bdi></th><td class="n">1</td><td class="n">1</td><td class="n">1</td><td class="n">100,0&nbsp;%%</td></tr>`, html.EscapeString(groupTitle)); !strings.Contains(strings.ReplaceAll(pg, "\u00a0", "&nbsp;"), row) {
			t.Errorf("continuity row %s missing", row)
		}
	}
	// The workbook's Umsetzung sheet: the same rows and sums.
	code, xlsx, _ := admin.get(r.base + "/verwaltung/runden/1/auswertung.xlsx")
	if code != http.StatusOK {
		t.Fatalf("workbook: %d", code)
	}
	wb, err := excelize.OpenReader(strings.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sheet, err := wb.GetRows("Umsetzung")
	if err != nil {
		t.Fatal(err)
	}
	sheetGot, sums := map[key][5]int{}, map[string][5]int{}
	for _, row := range sheet {
		if len(row) < 8 {
			continue
		}
		var v [5]int
		var bad error
		for i := range v {
			if v[i], err = strconv.Atoi(row[3+i]); err != nil {
				bad = err
			}
		}
		switch {
		case bad != nil:
		case row[0] != "":
			sheetGot[key{row[0], row[2]}] = v
		case row[1] == "":
			sums[row[2]] = v
		}
	}
	for k, w := range want {
		if (k.module == sup || k.module == trainingTitle) && sheetGot[k] != w {
			t.Errorf("sheet: %s, %s: %v, want %v", k.ags, k.module, sheetGot[k], w)
		}
	}
	if sums[sup] != wantSup || sums[trainingTitle] != wantMod {
		t.Errorf("sheet sums: %v %v, want %v %v", sums[sup], sums[trainingTitle], wantSup, wantMod)
	}

	// Costs by hand: the group's sessions at the hourly fee plus travel,
	// VAT once on the net sum; the training days at the daily fee, exempt.
	// Held: the dates over by now.
	vat := func(net int64) int64 { return net + (net*supVATbp+5000)/10000 }
	session := int64(supFeeCents*120/60 + supTravelCents)
	now := r.clk.Now()
	heldOf := func(ds []loopDate) (n int64) {
		for _, d := range ds {
			if !d.end.After(now) {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		title       string
		offer, held int64
	}{
		{groupTitle, vat(2 * session), vat(heldOf(sessions) * session)},
		{trainingTitle, int64(len(days)) * trainerDayCents, heldOf(days) * trainerDayCents},
	} {
		m := regexp.MustCompile(`<tr><th scope="row" lang="de"><bdi>` + regexp.QuoteMeta(html.EscapeString(c.title)) + `</bdi>(?: <small>[^<]*</small>)?</th><td class="n">[^<]*</td><td class="n">([^<]*)</td><td class="n">([^<]*)</td></tr>`).FindStringSubmatch(page)
		if m == nil || m[1] != euro(c.offer) || m[2] != euro(c.held) {
			t.Errorf("cost of %s: %v, want offer %s, held %s", c.title, m, euro(c.offer), euro(c.held))
		}
	}

	// 11. After the round's deadline and the group's second session
	// (Greta was not marked present there): the link still leads to the
	// bookings, the answers are read-only, and the continuity halves.
	r.clk.set(at(40, 10))
	a = r.kommune(t, ka)
	if page := open(t, a, r.base+"/fragebogen"); strings.Contains(page, `<form id="fragebogen"`) || !strings.Contains(page, `<a href="/angebote">`) {
		t.Error("after the deadline the questionnaire is editable or does not lead to the bookings")
	}
	if page := open(t, a, r.base+"/angebote"); !strings.Contains(page, g1.name) || !strings.Contains(page, a1.name) {
		t.Error("after the deadline the booking page does not show the Kommune's participants")
	}
	admin = r.staff(t)
	row = fmt.Sprintf(`<tr><th scope="row" lang="de"><bdi>%s</bdi></th><td class="n">1</td><td class="n">2</td><td class="n">1</td><td class="n">50,0&nbsp;%%</td></tr>`, html.EscapeString(groupTitle))
	if page := open(t, admin, uptake); !strings.Contains(strings.ReplaceAll(page, "\u00a0", "&nbsp;"), row) {
		t.Errorf("continuity after the second session: row %s missing", row)
	}
}

var (
	uptakeRowRE = regexp.MustCompile(`<tr><td>(\d{8})</td><th scope="row">[^<]*</th><td lang="de">([^<]*)</td>` + strings.Repeat(`<td class="n">(\d+)</td>`, 5) + `</tr>`)
	nextPageRE  = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
)

// loopDB opens the rig's database read-only for the hand counts.
func loopDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var rosterRE = regexp.MustCompile(`<tr><th scope="row"><bdi>([^<]+)</bdi></th>[\s\S]*?name="anwesend" value="(\d+)"`)

// mailWant is a mail a participant should get: the subject's start,
// the calendar's METHOD and SEQUENCE, whether it is the first (with the
// Art. 14 GDPR notice), words the text must hold ("": none), and the
// date's time and place it tells of (nil: the date checkMails is given).
type mailWant struct {
	subject, method string
	seq             int
	first           bool
	text            string
	when            *loopDate
}

// checkMails checks the participants' mails of one date: per recipient
// the subjects, methods and sequences wanted in order, the Art. 14
// notice in the first mail only, the calendar object structurally (CRLF,
// folding, VTIMEZONE, DTSTAMP: icaltest.Check) and as the second parser
// reads it: the date's time and place, one UID per participant, stable
// over its mails, all of the same date. It returns the UIDs by address.
func checkMails(t *testing.T, msgs []sinkMessage, wants map[string][]mailWant, date loopDate) map[string]string {
	t.Helper()
	got := map[string]int{}
	uids := map[string]string{}
	suffix := ""
	uidRE := regexp.MustCompile(`^p\d+-(.+)$`)
	folded := false
	for _, raw := range msgs {
		if len(raw.Rcpt) != 1 {
			t.Errorf("mail to %v, want one recipient", raw.Rcpt)
			continue
		}
		to := raw.Rcpt[0]
		n := got[to]
		got[to]++
		if n >= len(wants[to]) {
			t.Errorf("mail %d to %s not wanted", n+1, to)
			continue
		}
		w := wants[to][n]
		msg, err := mail.ReadMessage(bytes.NewReader(raw.Data))
		if err != nil {
			t.Fatal(err)
		}
		parts := walkMIME(t, textprotoHeader(msg.Header), msg.Body, "")
		if len(parts) != 4 || parts[2].Type != "text/calendar" || !bytes.Equal(parts[2].Body, parts[3].Body) {
			t.Fatalf("mail %d to %s: %d parts, want text, HTML, calendar and the same .ics attached", n+1, to, len(parts))
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if !strings.HasPrefix(subject, w.subject) {
			t.Errorf("mail %d to %s: subject %q, want %s…", n+1, to, subject, w.subject)
		}
		text := strings.Join(strings.Fields(string(parts[0].Body)), " ")
		if has := strings.Contains(text, "Hinweise zum Datenschutz (Artikel 14 DSGVO)"); has != w.first {
			t.Errorf("mail %d to %s: Art. 14 notice %v, want %v", n+1, to, has, w.first)
		}
		if !strings.Contains(text, w.text) {
			t.Errorf("mail %d to %s lacks %q:\n%s", n+1, to, w.text, parts[0].Body)
		}
		cal := parts[2].Body
		folded = folded || bytes.Contains(cal, []byte("\r\n "))
		ev := icaltest.Parse(t, cal)
		if ev.Method != w.method || ev.Sequence != w.seq || ev.Attendee.Email != to || parts[2].Params["method"] != w.method {
			t.Errorf("mail %d to %s: METHOD %s SEQUENCE %d ATTENDEE %s, want %s %d", n+1, to, ev.Method, ev.Sequence, ev.Attendee.Email, w.method, w.seq)
		}
		when := date
		if w.when != nil {
			when = *w.when
		}
		if !ev.Start.Equal(when.start) || !ev.End.Equal(when.end) || ev.Location != when.place || ev.StartTZID != "Europe/Berlin" || ev.TZID != "Europe/Berlin" ||
			len(ev.Standard) == 0 || len(ev.Daylight) == 0 {
			t.Errorf("mail %d to %s: %v–%v at %q (TZID %s, VTIMEZONE %s), want %v–%v at %q in Europe/Berlin", n+1, to, ev.Start, ev.End, ev.Location, ev.StartTZID, ev.TZID,
				when.start, when.end, when.place)
		}
		m := uidRE.FindStringSubmatch(ev.UID)
		switch {
		case m == nil:
			t.Errorf("mail %d to %s: UID %q is not a participant's place on a date", n+1, to, ev.UID)
		case suffix == "":
			suffix = m[1]
		case m[1] != suffix:
			t.Errorf("mail %d to %s: UID %q of another date than …%s", n+1, to, ev.UID, suffix)
		}
		if u, ok := uids[to]; ok && u != ev.UID {
			t.Errorf("mail %d to %s: UID %s changed from %s", n+1, to, ev.UID, u)
		}
		uids[to] = ev.UID
	}
	for to, w := range wants {
		if got[to] != len(w) {
			t.Errorf("%s got %d mails, want %d", to, got[to], len(w))
		}
	}
	seen := map[string]string{}
	for to, u := range uids {
		if other, ok := seen[u]; ok {
			t.Errorf("%s and %s share the UID %s", to, other, u)
		}
		seen[u] = to
	}
	if !folded {
		t.Error("no calendar line was folded: the long place should have been")
	}
	return uids
}

// TestBookingLinkOnReadOnlyForm: the questionnaire page leads to the
// booking page also when the answers can no longer be edited (submitted,
// or the round closed), when a Kommune books after the survey. (The loop
// found the link only on the editable form.)
func TestBookingLinkOnReadOnlyForm(t *testing.T) {
	r := startStorageRig(t)
	ctx := context.Background()
	var submitted, editable *store.Link
	for i, l := range r.links {
		resp, _, err := r.st.Response(ctx, l.ResponseID)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case resp.Status == survey.StatusSubmitted && submitted == nil:
			submitted = &r.links[i]
		case resp.Status.Editable() && editable == nil:
			editable = &r.links[i]
		}
	}
	if submitted == nil || editable == nil {
		t.Fatal("the demo has no submitted or no editable answer")
	}
	check := func(what string, l *store.Link) {
		t.Helper()
		b := newBrowser(t, r.base)
		if code, _, _ := b.get(r.base + "/k/" + l.Token); code != http.StatusSeeOther {
			t.Fatalf("%s: link %d", what, code)
		}
		if page := open(t, b, r.base+"/fragebogen"); !strings.Contains(page, `<a href="/angebote">`) {
			t.Errorf("%s: the questionnaire page has no link to the booking page", what)
		}
	}
	check("submitted", submitted)
	check("editable", editable)
	if err := r.st.CloseRound(ctx, r.round, survey.Actor{Kind: "system", Label: "Test"}); err != nil {
		t.Fatal(err)
	}
	check("editable, round closed", editable)
}

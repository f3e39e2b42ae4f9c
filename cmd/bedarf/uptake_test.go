package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// uptakeSeed writes participants, bookings and a held group session into
// the rig's database directly (the booking pages are not used here): two
// group members of the first group's first Kommune, one of them present
// at a session of 2025; on the first date of the first training offer an
// attended, a booked and a waiting participant of three Kommunen.
type uptakeSeed struct {
	group, training     int64
	module, moduleLabel string
	groupTitle          string
	k1                  int64
	k1Name              string
	sessionsHeld        int
	// session is the group's held session, p1 and p2 its participants
	// (p1 present); waiting the training date's waiting participant.
	session, p1, p2, waiting int64
}

func seedUptake(t *testing.T, r *rig) uptakeSeed {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+r.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s uptakeSeed
	if err := db.QueryRow(`SELECT o.id, o.title, m.kommune_id, k.name FROM offers o JOIN offer_members m ON m.offer_id = o.id JOIN kommunen k ON k.id = m.kommune_id
		WHERE o.round_id = 1 AND o.kind = 'group' AND o.status != 'cancelled' ORDER BY o.id, k.ags LIMIT 1`).Scan(&s.group, &s.groupTitle, &s.k1, &s.k1Name); err != nil {
		t.Fatal(err)
	}
	var date int64
	if err := db.QueryRow(`SELECT o.id, o.module_id, o.title, d.id FROM offers o JOIN offer_dates d ON d.offer_id = o.id
		WHERE o.round_id = 1 AND o.kind = 'training' AND o.status != 'cancelled' AND d.status = 'scheduled' ORDER BY o.id, d.starts_at LIMIT 1`).Scan(&s.training, &s.module, &s.moduleLabel, &date); err != nil {
		t.Fatal(err)
	}
	var k2, k3 int64
	if err := db.QueryRow(`SELECT (SELECT id FROM kommunen WHERE id != ? ORDER BY ags LIMIT 1), (SELECT id FROM kommunen WHERE id != ? ORDER BY ags LIMIT 1 OFFSET 1)`, s.k1, s.k1).Scan(&k2, &k3); err != nil {
		t.Fatal(err)
	}
	const at = "2025-01-01T00:00:00Z"
	exec := func(q string, args ...any) int64 {
		t.Helper()
		res, err := db.Exec(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	person := func(k int64, name string) int64 {
		return exec("INSERT INTO participants (kommune_id, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", k, name, name+"@example.org", at, at)
	}
	book := func(offer int64, date any, p, k int64, status string) {
		exec(`INSERT INTO bookings (offer_id, date_id, participant_id, kommune_id, status, waiting_since, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			offer, date, p, k, status, at, at, at)
	}
	p1, p2 := person(s.k1, "Gruppe Eins"), person(s.k1, "Gruppe Zwei")
	s.p1, s.p2 = p1, p2
	book(s.group, nil, p1, s.k1, "booked")
	book(s.group, nil, p2, s.k1, "booked")
	session := exec(`INSERT INTO offer_dates (offer_id, starts_at, ends_at, place, capacity, status, sequence, uid, created_at, updated_at)
		VALUES (?, '2025-03-03T13:00:00Z', '2025-03-03T15:00:00Z', 'Raum', 0, 'scheduled', 0, 'uptake-test-session', ?, ?)`, s.group, at, at)
	s.session = session
	exec("INSERT INTO session_attendance (date_id, participant_id) VALUES (?, ?)", session, p1)
	book(s.training, date, person(s.k1, "Kurs Eins"), s.k1, "attended")
	book(s.training, date, person(k2, "Kurs Zwei"), k2, "booked")
	s.waiting = person(k3, "Kurs Drei")
	book(s.training, date, s.waiting, k3, "waiting")
	if err := db.QueryRow(`SELECT count(*) FROM offer_dates WHERE offer_id = ? AND status = 'scheduled' AND ends_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')`, s.group).Scan(&s.sessionsHeld); err != nil {
		t.Fatal(err)
	}
	return s
}

// moduleRow reads a row of the uptake's module table: need, offered,
// booked, attended, waiting.
func moduleRow(t *testing.T, page, label string) [5]int {
	t.Helper()
	re := regexp.MustCompile(`<tr><th scope="row" lang="de">` + regexp.QuoteMeta(label) + `</th>` + strings.Repeat(`<td class="n">(\d+)</td>`, 5) + `</tr>`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no module row %q", label)
	}
	var out [5]int
	for i := range out {
		out[i], _ = strconv.Atoi(m[i+1])
	}
	return out
}

// TestUptakeHandCountOverHTTP: with bookings and attendance in the demo
// round, the dashboard, the uptake page and the Umsetzung sheet show the
// figures counted by hand here from the stored answers and offers.
func TestUptakeHandCountOverHTTP(t *testing.T) {
	r := startRig(t)
	s := seedUptake(t, r)
	db := offerDB(t, r)
	// Need by hand: the answers of the submitted responses.
	needSup := count(t, db, `SELECT CAST(coalesce(sum(round(a.num)), 0) AS INTEGER) FROM answers a JOIN responses p ON p.id = a.response_id
		WHERE p.round_id = 1 AND p.status = 'submitted' AND a.question_id = 'supervision_gruppe_personen' AND a.valid = 1 AND a.num > 0`)
	needMod := count(t, db, `SELECT CAST(coalesce(sum(round(a.num)), 0) AS INTEGER) FROM answers a JOIN responses p ON p.id = a.response_id
		WHERE p.round_id = 1 AND p.status = 'submitted' AND a.question_id = 'fortbildung_teilnehmende' AND a.item = ? AND a.valid = 1 AND a.num > 0`, s.module)
	seats := count(t, db, `SELECT coalesce(sum(m.seats), 0) FROM offer_members m JOIN offers o ON o.id = m.offer_id WHERE o.round_id = 1 AND o.status != 'cancelled'`)
	places := count(t, db, `SELECT coalesce(sum(d.capacity), 0) FROM offer_dates d JOIN offers o ON o.id = d.offer_id
		WHERE o.round_id = 1 AND o.status != 'cancelled' AND o.module_id = ? AND d.status = 'scheduled'`, s.module)
	if needSup == 0 || needMod == 0 || s.sessionsHeld == 0 {
		t.Fatalf("the demo gives no need to count: %d, %d, %d", needSup, needMod, s.sessionsHeld)
	}
	// Bookings by hand (the demo's own and the seeded ones): of offers not
	// cancelled, on scheduled dates.
	live := "o.round_id = 1 AND o.status != 'cancelled'"
	supBooked := count(t, db, "SELECT count(*) FROM bookings b JOIN offers o ON o.id = b.offer_id WHERE "+live+" AND o.kind = 'group' AND b.date_id IS NULL AND b.status IN ('booked', 'attended')")
	supWaiting := count(t, db, "SELECT count(*) FROM bookings b JOIN offers o ON o.id = b.offer_id WHERE "+live+" AND o.kind = 'group' AND b.date_id IS NULL AND b.status = 'waiting'")
	supPresent := count(t, db, `SELECT count(*) FROM bookings b JOIN offers o ON o.id = b.offer_id WHERE `+live+` AND o.kind = 'group' AND b.date_id IS NULL AND b.status IN ('booked', 'attended')
		AND EXISTS (SELECT 1 FROM session_attendance a JOIN offer_dates d ON d.id = a.date_id WHERE a.participant_id = b.participant_id AND d.offer_id = b.offer_id AND d.status = 'scheduled')`)
	onDate := "FROM bookings b JOIN offers o ON o.id = b.offer_id JOIN offer_dates d ON d.id = b.date_id WHERE " + live + " AND o.module_id = ? AND d.status = 'scheduled' AND "
	modBooked := count(t, db, "SELECT count(*) "+onDate+"b.status IN ('booked', 'attended')", s.module)
	modAttended := count(t, db, "SELECT count(*) "+onDate+"b.status = 'attended'", s.module)
	modWaiting := count(t, db, "SELECT count(*) "+onDate+"b.status = 'waiting'", s.module)
	groupBooked := count(t, db, "SELECT count(*) FROM bookings WHERE offer_id = ? AND date_id IS NULL AND status IN ('booked', 'attended')", s.group)
	groupVisits := count(t, db, `SELECT count(*) FROM session_attendance a JOIN offer_dates d ON d.id = a.date_id JOIN bookings b ON b.participant_id = a.participant_id AND b.offer_id = d.offer_id
		WHERE d.offer_id = ? AND d.status = 'scheduled' AND b.date_id IS NULL AND b.status IN ('booked', 'attended')`, s.group)
	wantSup := [5]int{needSup, seats, supBooked, supPresent, supWaiting}
	wantMod := [5]int{needMod, places, modBooked, modAttended, modWaiting}
	// The seeded ones are among them.
	if supBooked < 2 || supPresent < 1 || modBooked < 2 || modAttended < 1 || modWaiting < 1 {
		t.Fatalf("the seeded bookings are not counted: %v %v", wantSup, wantMod)
	}

	admin := loginAdmin(t, r.demo)
	code, dash, _ := admin.get(r.base + "/verwaltung/runden/1")
	if code != http.StatusOK {
		t.Fatalf("dashboard: %d", code)
	}
	label := moduleLabel(t, dash, s.moduleLabel)
	for _, page := range []string{"/verwaltung/runden/1", "/verwaltung/runden/1/umsetzung"} {
		code, body, _ := admin.get(r.base + page)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", page, code)
		}
		if got := moduleRow(t, body, "Gruppensupervision"); got != wantSup {
			t.Errorf("%s supervision %v, want %v", page, got, wantSup)
		}
		if got := moduleRow(t, body, label); got != wantMod {
			t.Errorf("%s module %s %v, want %v", page, s.module, got, wantMod)
		}
		// The group: its participants' visits over the sessions held.
		want := fmt.Sprintf(`<tr><th scope="row" lang="de"><bdi>%s</bdi></th><td class="n">%d</td><td class="n">%d</td><td class="n">%d</td><td class="n">%s&nbsp;%%</td></tr>`,
			s.groupTitle, groupBooked, s.sessionsHeld, groupVisits, strings.ReplaceAll(strconv.FormatFloat(100*float64(groupVisits)/float64(groupBooked*s.sessionsHeld), 'f', 1, 64), ".", ","))
		if !strings.Contains(strings.ReplaceAll(body, "\u00a0", "&nbsp;"), want) {
			t.Errorf("%s: continuity row %s missing", page, want)
		}
	}
	// The sheet: the sum row per module in "Summen je Modul" holds the same.
	code, xlsx, _ := admin.get(r.base + "/verwaltung/runden/1/auswertung.xlsx")
	if code != http.StatusOK {
		t.Fatalf("workbook: %d", code)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Umsetzung")
	if err != nil {
		t.Fatal(err)
	}
	sheetRow := func(label string) [5]int {
		var out [5]int
		for i, row := range rows {
			if i > 0 && len(row) >= 8 && row[0] == "" && row[1] == "" && row[2] == label {
				for j := range out {
					out[j], _ = strconv.Atoi(row[3+j])
				}
				return out
			}
		}
		t.Fatalf("sheet: no module sum %q", label)
		return out
	}
	if got := sheetRow("Gruppensupervision"); got != wantSup {
		t.Errorf("sheet supervision %v, want %v", got, wantSup)
	}
	if got := sheetRow(label); got != wantMod {
		t.Errorf("sheet module %v, want %v", got, wantMod)
	}
}

// moduleLabel returns the module's label as the plan names it (the
// training offer's title may differ).
func moduleLabel(t *testing.T, page, title string) string {
	t.Helper()
	if strings.Contains(page, `<th scope="row" lang="de">`+title+`</th>`) {
		return title
	}
	t.Fatalf("module %q not on the dashboard", title)
	return ""
}

// TestUptakePageRefusals: a page number that is not one is refused
// clearly; a viewer reads the counts; no session gets no page.
func TestUptakePageRefusals(t *testing.T) {
	r := startRig(t)
	admin := loginAdmin(t, r.demo)
	for _, c := range []struct {
		path string
		code int
	}{
		{"/verwaltung/runden/1/umsetzung?seite=abc", http.StatusBadRequest},
		{"/verwaltung/runden/1/umsetzung?seite=0", http.StatusBadRequest},
		{"/verwaltung/runden/1/umsetzung?seite=9999", http.StatusNotFound},
		{"/verwaltung/runden/999/umsetzung", http.StatusNotFound},
		{"/verwaltung/runden/1/umsetzung?seite=1", http.StatusOK},
	} {
		if code, _, _ := admin.get(r.base + c.path); code != c.code {
			t.Errorf("GET %s: %d, want %d", c.path, code, c.code)
		}
	}
	anon := newBrowser(t, r.base)
	if code, _, _ := anon.get(r.base + "/verwaltung/runden/1/umsetzung"); code == http.StatusOK {
		t.Errorf("without a session: %d", code)
	}
}

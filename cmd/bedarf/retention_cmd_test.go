package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/survey"
	"bedarf/survey/store"
)

func TestParseAge(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"90d", 90 * 24 * time.Hour, true}, {"0d", 0, true}, {"2160h", 2160 * time.Hour, true},
		{"", 0, false}, {"d", 0, false}, {"-3d", 0, false}, {"-1h", 0, false}, {"neunzig", 0, false}, {"90 d", 0, false}, {"99999999d", 0, false},
	} {
		got, err := parseAge(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseAge(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// TestRetentionCommand runs "bedarf retention" against the running demo
// after its round was closed long ago: a dry run changes nothing, the real
// run removes the contact persons, a second run finds nothing, and the
// staff pages and the workbook still work, without the contact data.
func TestRetentionCommand(t *testing.T) {
	d := startDemo(t, "")
	ctx := context.Background()
	retention := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append([]string{"retention", "--db", d.db}, args...), strings.NewReader(""), &out, io.Discard)
		return out.String(), err
	}
	if _, err := retention(); err == nil {
		t.Error("retention without --after succeeded")
	}
	if _, err := retention("--after", "bald"); err == nil {
		t.Error("retention with --after bald succeeded")
	}
	if out, err := retention("--after", "90d"); err != nil || !strings.Contains(out, "Keine geschlossene Runde") {
		t.Errorf("open round: %q, %v", out, err)
	}

	db, err := sql.Open("sqlite", "file:"+d.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE rounds SET status = 'closed', deadline = ?", time.Now().AddDate(0, 0, -100).Format(time.DateOnly)); err != nil {
		t.Fatal(err)
	}
	contacts := func() int {
		var n int
		db.QueryRow("SELECT count(*) FROM answers WHERE question_id LIKE 'kontakt_%'").Scan(&n)
		return n
	}
	before := contacts()
	if before == 0 {
		t.Fatal("the demo has no contact data to remove")
	}
	out, err := retention("--after", "90d", "--dry-run")
	if err != nil || !strings.Contains(out, "würden gelöscht") || contacts() != before {
		t.Errorf("dry run: %q, %v; %d contact answers left of %d", out, err, contacts(), before)
	}
	out, err = retention("--after", "90d")
	want := regexp.MustCompile(`Runde \d+ „Bedarfsabfrage \d+“ \(Frist \d\d\.\d\d\.\d{4}\): (\d+) Antworten und (\d+) Einträge im Änderungsprotokoll mit personenbezogenen Angaben gelöscht`)
	if m := want.FindStringSubmatch(out); err != nil || m == nil || m[1] == "0" {
		t.Fatalf("retention: %q, %v", out, err)
	}
	if n := contacts(); n != 0 {
		t.Errorf("%d contact answers left", n)
	}
	if out, err := retention("--after", "90d"); err != nil || !strings.Contains(out, ": 0 Antworten und 0 Einträge") {
		t.Errorf("second run: %q, %v", out, err)
	}

	// The staff pages and the workbook still work, without the contacts.
	s := newBrowser(t, d.base)
	if code, _, _ := s.post(d.login, url.Values{"email": {d.email}, "passwort": {d.password}}); code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	code, page, _ := s.get(d.base + "/verwaltung")
	if code != http.StatusOK {
		t.Fatalf("dashboard: %d", code)
	}
	round := regexp.MustCompile(`/verwaltung/runden/(\d+)/`).FindStringSubmatch(page)
	if round == nil {
		t.Fatal("no round on the dashboard")
	}
	code, page, _ = s.get(d.base + "/verwaltung/runden/" + round[1] + "/kommunen/03241001")
	if code != http.StatusOK || strings.Contains(page, "Demo-Ansprechperson") || !strings.Contains(page, "Hannover") {
		t.Errorf("Kommune page after retention: %d, contact shown: %v", code, strings.Contains(page, "Demo-Ansprechperson"))
	}
	code, body, _ := s.get(d.base + "/verwaltung/runden/" + round[1] + "/auswertung.xlsx")
	if code != http.StatusOK {
		t.Fatalf("workbook after retention: %d", code)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, r := range rows {
			for _, c := range r {
				if strings.Contains(c, "Demo-Ansprechperson") || strings.Contains(c, ".kommune.example") {
					t.Errorf("workbook sheet %s still has %q", sheet, c)
				}
			}
		}
	}
	var audit string
	db.QueryRow("SELECT detail FROM audit_log WHERE action = 'retention.purge'").Scan(&audit)
	if !strings.Contains(audit, "Antworten") || strings.Contains(audit, "Demo-Ansprechperson") {
		t.Errorf("audit detail %q", audit)
	}
}

func TestNumberDE(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1.000", 1234: "1.234", 123456: "123.456", 1234567: "1.234.567", -1234: "-1.234"} {
		if got := numberDE(n); got != want {
			t.Errorf("numberDE(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestRetentionCommandAuditAfter: --audit-after deletes the audit entries
// older than the period, a dry run only counts them, too short a period or
// one in an unknown unit is refused with nothing changed, and without the
// option the audit log stays as it is.
func TestRetentionCommandAuditAfter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bedarf.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	for i, days := range []int{1000, 800, 800, 100, 1} {
		if _, err := db.Exec(`INSERT INTO audit_log (at, actor_kind, actor_label, action, detail) VALUES (?, 'staff', ?, 'contact.add', ?)`,
			now.AddDate(0, 0, -days).UTC().Format("2006-01-02T15:04:05.000Z"), "Person "+strconv.Itoa(i), "kontakt"+strconv.Itoa(i)+"@kommune.example"); err != nil {
			t.Fatal(err)
		}
	}
	entries := func() (n int) {
		t.Helper()
		if err := db.QueryRow("SELECT count(*) FROM audit_log").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	retention := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append([]string{"retention", "--db", path, "--after", "90d"}, args...), strings.NewReader(""), &out, io.Discard)
		return out.String(), err
	}
	y, m, d := now.Add(-730 * 24 * time.Hour).In(survey.Berlin()).Date()
	cut := time.Date(y, m, d, 0, 0, 0, 0, survey.Berlin()).Format("02.01.2006")

	for _, tc := range []struct {
		args []string
		err  string // part of the error; "" for none
		out  string // part of the output
		left int    // audit entries afterwards
	}{
		{args: nil, out: "Keine geschlossene Runde", left: 5},
		{args: []string{"--audit-after", "7d"}, err: "mindestens 30 Tage aufbewahrt", left: 5},
		{args: []string{"--audit-after", "29d", "--dry-run"}, err: "mindestens 30 Tage aufbewahrt", left: 5},
		{args: []string{"--audit-after", "700h"}, err: "mindestens 30 Tage aufbewahrt", left: 5},
		{args: []string{"--audit-after", "2y"}, err: "--audit-after", left: 5},
		{args: []string{"--audit-after", "-730d"}, err: "--audit-after", left: 5},
		{args: []string{"--audit-after", "730d", "--dry-run"}, out: "Änderungsprotokoll (Verwaltung → Protokoll): 3 Einträge vor dem " + cut + " würden gelöscht (Probelauf, nichts geändert)\n", left: 5},
		{args: []string{"--audit-after", "730d"}, out: "Änderungsprotokoll (Verwaltung → Protokoll): 3 Einträge vor dem " + cut + " gelöscht\n", left: 3}, // 2 kept and the bookkeeping entry
		{args: []string{"--audit-after", "730d"}, out: "Änderungsprotokoll (Verwaltung → Protokoll): 0 Einträge vor dem " + cut + " gelöscht\n", left: 3},
		{args: []string{"--audit-after", "90d", "--dry-run"}, out: ": 1 Eintrag vor dem ", left: 3},
	} {
		out, err := retention(tc.args...)
		switch {
		case tc.err == "" && err != nil, tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("retention %v: error %v, want %q", tc.args, err, tc.err)
		case !strings.Contains(out, tc.out):
			t.Errorf("retention %v: output %q, want %q in it", tc.args, out, tc.out)
		case tc.err == "" && len(tc.args) == 0 && strings.Contains(out, "Änderungsprotokoll (Verwaltung"):
			t.Errorf("retention without --audit-after reports on the audit log: %q", out)
		}
		if n := entries(); n != tc.left {
			t.Errorf("retention %v: %d audit entries left, want %d", tc.args, n, tc.left)
		}
	}
	var detail string
	if err := db.QueryRow("SELECT detail FROM audit_log WHERE action = 'retention.audit'").Scan(&detail); err != nil ||
		!strings.Contains(detail, "3 Einträge vor dem "+cut) || strings.Contains(detail, "kommune.example") {
		t.Errorf("bookkeeping entry %q, %v", detail, err)
	}
}

// TestRetentionCommandContactsAfter: --contacts-after deletes the contact
// addresses of Kommunen in no round for that long and says how many; a dry
// run only counts; 0 and bad periods are refused with nothing changed.
func TestRetentionCommandContactsAfter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bedarf.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertKommunen(ctx, ks[:2]); err != nil {
		t.Fatal(err)
	}
	stored, _ := st.Kommunen(ctx)
	st.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	for i, c := range []struct {
		kommune int64
		days    int
	}{{stored[0].ID, 1000}, {stored[0].ID, 800}, {stored[1].ID, 10}} {
		if _, err := db.Exec(`INSERT INTO kommune_contacts (kommune_id, email, created_at) VALUES (?, ?, ?)`, c.kommune,
			"k"+strconv.Itoa(i)+"@kommune.example", now.AddDate(0, 0, -c.days).UTC().Format("2006-01-02T15:04:05.000Z")); err != nil {
			t.Fatal(err)
		}
	}
	left := func() (n int) {
		t.Helper()
		if err := db.QueryRow("SELECT count(*) FROM kommune_contacts").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tc := range []struct {
		args      []string
		err, out  string
		remaining int
	}{
		{args: nil, remaining: 3},
		{args: []string{"--contacts-after", "0d"}, err: "frühestens einen Tag", remaining: 3},
		{args: []string{"--contacts-after", "2y"}, err: "--contacts-after", remaining: 3},
		{args: []string{"--contacts-after", "730d", "--dry-run"}, out: "Kontaktadressen (seit mehr als 730 Tagen in keiner Runde): 2 Adressen von 1 Kommune würden gelöscht (Probelauf, nichts geändert)\n", remaining: 3},
		{args: []string{"--contacts-after", "730d"}, out: "Kontaktadressen (seit mehr als 730 Tagen in keiner Runde): 2 Adressen von 1 Kommune gelöscht\n", remaining: 1},
		{args: []string{"--contacts-after", "730d"}, out: ": 0 Adressen von 0 Kommunen gelöscht\n", remaining: 1},
	} {
		var out bytes.Buffer
		err := run(ctx, append([]string{"retention", "--db", path, "--after", "90d"}, tc.args...), strings.NewReader(""), &out, io.Discard)
		switch {
		case tc.err == "" && err != nil, tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("retention %v: error %v, want %q", tc.args, err, tc.err)
		case !strings.Contains(out.String(), tc.out):
			t.Errorf("retention %v: output %q, want %q in it", tc.args, out.String(), tc.out)
		case len(tc.args) == 0 && strings.Contains(out.String(), "Kontaktadressen"):
			t.Errorf("retention without --contacts-after reports on contacts: %q", out.String())
		}
		if n := left(); n != tc.remaining {
			t.Errorf("retention %v: %d addresses left, want %d", tc.args, n, tc.remaining)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
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

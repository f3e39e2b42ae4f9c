package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

// auditSeed is a store whose audit log has entries of different ages,
// some of them naming a contact's address or a member of staff.
type auditSeed struct {
	f     *fixture
	now   time.Time // the clock when retention runs
	cut   time.Time // the start of the day (Europe/Berlin) 730 days ago
	clock *time.Time
}

const (
	oldMail   = "alt-kontakt@kommune.example" // only in entries older than 730 days
	oldStaff  = "Olga Altkonto"               // likewise
	midMail   = "mittel-kontakt@kommune.example"
	newMail   = "neu-kontakt@kommune.example"
	keepAudit = 730 * 24 * time.Hour
)

// newAuditSeed writes, by the store's own functions:
//   - 800 days ago: contact oldMail added and deleted again, a login of
//     oldStaff (3 entries);
//   - one second before the start of the day 730 days ago (Berlin): a login
//     of oldStaff (1 entry; older than 730 days);
//   - one second after that start: a login (kept: entries are removed by
//     whole days, so none is kept shorter than the period);
//   - 400 days ago: contact midMail added and deleted again (2 entries);
//   - 10 days ago: contact newMail added (1 entry);
//
// besides the fixture's own entries of today.
func newAuditSeed(t *testing.T) *auditSeed {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t)
	now := time.Now().UTC().Truncate(time.Millisecond)
	s := &auditSeed{f: f, now: now, clock: new(time.Time)}
	f.st.SetClock(func() time.Time { return *s.clock })
	y, m, d := now.Add(-keepAudit).In(survey.Berlin()).Date()
	s.cut = time.Date(y, m, d, 0, 0, 0, 0, survey.Berlin())
	k := f.resps[0].Kommune.ID
	staff := survey.Actor{Kind: "staff", ID: 1, Label: oldStaff}
	at := func(t time.Time) { *s.clock = t }

	at(now.AddDate(0, 0, -800))
	// A long name: the later, shorter contacts reuse only the end of the
	// space the deleted contact leaves, so its address stays in the free
	// space of the file until it is rebuilt.
	if err := f.st.AddContact(ctx, k, oldMail, "Anna Altmann, Fachbereich Soziales, Team Unterbringung und Integration", staff); err != nil {
		t.Fatal(err)
	}
	cs, err := f.st.Contacts(ctx, k)
	if err != nil || len(cs) != 1 {
		t.Fatalf("contacts: %v, %v", cs, err)
	}
	if err := f.st.DeleteContact(ctx, k, cs[0].ID, staff); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Audit(ctx, staff, "login", 0, 0, ""); err != nil {
		t.Fatal(err)
	}
	at(s.cut.Add(-time.Second))
	if err := f.st.Audit(ctx, staff, "login", 0, 0, "kurz vor der Grenze"); err != nil {
		t.Fatal(err)
	}
	at(s.cut.Add(time.Second))
	if err := f.st.Audit(ctx, survey.Actor{Kind: "staff", ID: 2, Label: "Grete Grenze"}, "login", 0, 0, "kurz nach der Grenze"); err != nil {
		t.Fatal(err)
	}
	at(now.AddDate(0, 0, -400))
	if err := f.st.AddContact(ctx, k, midMail, "", system); err != nil {
		t.Fatal(err)
	}
	if cs, err = f.st.Contacts(ctx, k); err != nil || len(cs) != 1 {
		t.Fatalf("contacts: %v, %v", cs, err)
	}
	if err := f.st.DeleteContact(ctx, k, cs[0].ID, system); err != nil {
		t.Fatal(err)
	}
	at(now.AddDate(0, 0, -10))
	if err := f.st.AddContact(ctx, k, newMail, "", system); err != nil {
		t.Fatal(err)
	}
	at(now)
	return s
}

// auditRows is the audit log, oldest first, one line per entry.
func (s *auditSeed) auditRows(t *testing.T) []string {
	t.Helper()
	rows, err := s.f.st.r.QueryContext(context.Background(), "SELECT id, at, actor_label, action, coalesce(kommune_id, 0), detail FROM audit_log ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, kommune int64
		var at, label, action, detail string
		if err := rows.Scan(&id, &at, &label, &action, &kommune, &detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d %s %s %s %d %s", id, at, label, action, kommune, detail))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// inFile reports whether s is in the bytes of the database file or its log.
func inFile(t *testing.T, path, s string) bool {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(path + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(s)) {
			return true
		}
	}
	return false
}

// TestRetainAudit: --audit-after deletes the audit entries made before the
// day on which an entry made that long ago was made, keeps the newer ones,
// records the deletion in one entry with the number and the date only, and
// removes the deleted texts (a contact's address, a staff member's name)
// from the database file. A dry run only counts, a period shorter than
// MinAuditAge is refused with nothing changed, no period leaves the audit
// log alone, and a second run finds nothing and records nothing.
func TestRetainAudit(t *testing.T) {
	ctx := context.Background()
	day := func(d int) time.Duration { return time.Duration(d) * 24 * time.Hour }
	for _, tc := range []struct {
		name    string
		keep    time.Duration
		dryRun  bool
		refused bool
		removed int      // audit entries removed (or counted in a dry run)
		gone    []string // texts no longer in the database file afterwards
		kept    []string // texts still in the audit log afterwards
	}{
		{name: "730 days", keep: keepAudit, removed: 4, gone: []string{oldMail, oldStaff},
			kept: []string{"Grete Grenze", midMail, newMail}},
		{name: "365 days", keep: day(365), removed: 7, gone: []string{oldMail, oldStaff, "Grete Grenze", midMail},
			kept: []string{newMail}},
		{name: "the minimum", keep: MinAuditAge, removed: 7, gone: []string{oldMail, oldStaff, "Grete Grenze", midMail},
			kept: []string{newMail}},
		{name: "dry run", keep: keepAudit, dryRun: true, removed: 4, kept: []string{oldMail, oldStaff, midMail, newMail}},
		{name: "29 days refused", keep: day(29), refused: true, kept: []string{oldMail, oldStaff, midMail, newMail}},
		{name: "one hour refused", keep: time.Hour, refused: true, kept: []string{oldMail, oldStaff}},
		{name: "negative refused", keep: -keepAudit, refused: true, kept: []string{oldMail, oldStaff}},
		{name: "no period keeps the log", keep: 0, kept: []string{oldMail, oldStaff, midMail, newMail}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newAuditSeed(t)
			f := s.f
			for _, g := range tc.gone {
				if !inFile(t, f.path, g) {
					t.Fatalf("%q is not in the database file before retention: the test proves nothing", g)
				}
			}
			before := s.auditRows(t)
			sums := tableSums(t, f.path)

			res, err := f.st.Retain(ctx, Retention{Personal: day(90), Audit: tc.keep, DryRun: tc.dryRun}, survey.Actor{Kind: "system", Label: "Aufbewahrung"})
			if tc.refused {
				if survey.ErrorCode(err) != survey.EInvalid || tc.keep > 0 && !strings.Contains(err.Error(), "mindestens 30 Tage") {
					t.Fatalf("Retain with %v: %+v, %v; want it refused", tc.keep, res, err)
				}
				compareSums(t, "after a refused run", tableSums(t, f.path), sums)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rounds) != 0 {
				t.Errorf("rounds %+v, want none (the fixture's round is open)", res.Rounds)
			}
			after := s.auditRows(t)
			if tc.keep == 0 {
				if res.Audit != nil {
					t.Errorf("audit %+v without a period", res.Audit)
				}
				compareSums(t, "without a period", tableSums(t, f.path), sums)
				return
			}
			y, m, d := s.now.Add(-tc.keep).In(survey.Berlin()).Date()
			cut := time.Date(y, m, d, 0, 0, 0, 0, survey.Berlin())
			if res.Audit == nil || res.Audit.Entries != tc.removed || !res.Audit.Before.Equal(cut) {
				t.Fatalf("audit %+v, want %d entries before %v", res.Audit, tc.removed, cut)
			}
			if tc.dryRun {
				compareSums(t, "after a dry run", tableSums(t, f.path), sums)
				return
			}

			// The newer entries stay as they were, the older ones go, and
			// one entry records the deletion.
			stamp := cut.UTC().Format(timeLayout)
			var kept []string
			for _, r := range before {
				if strings.Fields(r)[1] >= stamp {
					kept = append(kept, r)
				}
			}
			if len(before)-len(kept) != tc.removed {
				t.Fatalf("%d of %d entries are older than %s, want %d: the seed is wrong", len(before)-len(kept), len(before), stamp, tc.removed)
			}
			if len(after) != len(kept)+1 || strings.Join(after[:len(kept)], "\n") != strings.Join(kept, "\n") {
				t.Fatalf("audit log after retention:\n%s\nwant the newer entries\n%s\nand one more", strings.Join(after, "\n"), strings.Join(kept, "\n"))
			}
			last, err := f.st.AuditLog(ctx, 0, 1)
			if err != nil || len(last) != 1 {
				t.Fatal(last, err)
			}
			want := fmt.Sprintf("%d Einträge vor dem %s gelöscht", tc.removed, cut.Format("02.01.2006"))
			if e := last[0]; e.Action != "retention.audit" || e.ActorLabel != "Aufbewahrung" || !strings.Contains(e.Detail, want) || !e.At.Equal(s.now) {
				t.Errorf("bookkeeping entry %+v, want retention.audit now with %q", e, want)
			}
			for _, g := range tc.gone {
				if strings.Contains(last[0].Detail, g) {
					t.Errorf("the bookkeeping entry names %q", g)
				}
				if inFile(t, f.path, g) {
					t.Errorf("%q still in the database file", g)
				}
			}
			for _, k := range tc.kept {
				if !strings.Contains(strings.Join(after, "\n"), k) {
					t.Errorf("%q is no longer in the audit log", k)
				}
			}

			// A second run finds nothing and records nothing.
			again, err := f.st.Retain(ctx, Retention{Personal: day(90), Audit: tc.keep}, system)
			if err != nil || again.Audit == nil || again.Audit.Entries != 0 {
				t.Errorf("second run: %+v, %v; want nothing", again.Audit, err)
			}
			if n := len(s.auditRows(t)); n != len(after) {
				t.Errorf("second run: %d entries, want %d", n, len(after))
			}
		})
	}
	for _, tc := range []struct {
		name  string
		audit time.Duration
	}{{"without a period", 0}, {"dry run", keepAudit}} {
		t.Run(tc.name+" writes nothing", func(t *testing.T) {
			s := newAuditSeed(t)
			sums := tableSums(t, s.f.path)
			if _, err := s.f.st.Retain(ctx, Retention{Personal: day(90), Audit: tc.audit, DryRun: tc.audit != 0}, system); err != nil {
				t.Fatal(err)
			}
			if !inFile(t, s.f.path, oldMail) {
				t.Error("the old address left the file")
			}
			compareSums(t, tc.name, tableSums(t, s.f.path), sums)
		})
	}
}

// TestRetainAuditWithRounds: the audit log and the personal data of an old
// round are purged in one transaction: together, the round's own
// retention.purge entry kept; and when a part fails, nothing at all. A run
// that deletes no audit entry records none.
func TestRetainAuditWithRounds(t *testing.T) {
	ctx := context.Background()
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("failing %v", fail), func(t *testing.T) {
			s := newAuditSeed(t)
			f := s.f
			form := map[string][]string{"q.kontakt_name": {"Paula Person"}, "q.kontakt_email": {"paula@kommune.example"}, "q.betreute_gu": {"12"}}
			if _, err := f.st.SaveResponse(ctx, Save{ResponseID: f.resps[0].ID, BaseRevision: 0, Answers: f.answers(form), Actor: system}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.st.w.ExecContext(ctx, "UPDATE rounds SET status = 'closed', deadline = ? WHERE id = ?", s.now.AddDate(0, 0, -100).Format(time.DateOnly), f.round); err != nil {
				t.Fatal(err)
			}
			if fail {
				// The last step, the bookkeeping entry, fails.
				if _, err := f.st.w.ExecContext(ctx, `CREATE TRIGGER no_bookkeeping BEFORE INSERT ON audit_log
					WHEN NEW.action = 'retention.audit' BEGIN SELECT RAISE(ABORT, 'test: no bookkeeping'); END`); err != nil {
					t.Fatal(err)
				}
			}
			sums := tableSums(t, f.path)
			res, err := f.st.Retain(ctx, Retention{Personal: 90 * 24 * time.Hour, Audit: keepAudit}, system)
			if fail {
				if err == nil || !strings.Contains(err.Error(), "no bookkeeping") {
					t.Fatalf("Retain: %+v, %v; want the trigger's error", res, err)
				}
				compareSums(t, "after a failed run", tableSums(t, f.path), sums)
				return
			}
			if err != nil || len(res.Rounds) != 1 || res.Rounds[0].Answers == 0 || res.Audit == nil || res.Audit.Entries != 4 {
				t.Fatalf("Retain: %+v, %v; want the round and 4 audit entries", res, err)
			}
			var purge, audit int
			if err := f.st.r.QueryRowContext(ctx, "SELECT count(*) FILTER (WHERE action = 'retention.purge'), count(*) FILTER (WHERE action = 'retention.audit') FROM audit_log").Scan(&purge, &audit); err != nil {
				t.Fatal(err)
			}
			if purge != 1 || audit != 1 {
				t.Errorf("%d retention.purge and %d retention.audit entries, want 1 each", purge, audit)
			}
			for _, g := range []string{"Paula Person", oldMail, oldStaff} {
				if inFile(t, f.path, g) {
					t.Errorf("%q still in the database file", g)
				}
			}

			// A second run still finds the round (with nothing left) but no
			// old audit entry, and records no deletion of the audit log.
			again, err := f.st.Retain(ctx, Retention{Personal: 90 * 24 * time.Hour, Audit: keepAudit}, system)
			if err != nil || len(again.Rounds) != 1 || again.Audit == nil || again.Audit.Entries != 0 {
				t.Fatalf("second run: %+v, %v", again, err)
			}
			if err := f.st.r.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'retention.audit'").Scan(&audit); err != nil || audit != 1 {
				t.Errorf("%d retention.audit entries after the second run, %v; want still 1", audit, err)
			}
		})
	}
}

package store

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

// TestPurgePersonal: the contact data of a closed round whose deadline
// ended long enough ago disappears from the answers, the change log and the
// database file; other answers, other rounds and a dry run stay untouched;
// the audit log has counts only; a second run finds nothing.
func TestPurgePersonal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	f.st.SetClock(func() time.Time { return now })
	staff := survey.Actor{Kind: "staff", Label: "Ruth Retention"}
	secret := func(round int64, i, rev int) string {
		return "Geheim-" + strconv.FormatInt(round, 10) + string(rune('A'+i)) + strings.Repeat("x", rev)
	}

	// Round 1 (the fixture's): both Kommunen answer twice.
	fill := func(round int64) []int64 {
		t.Helper()
		resps, err := f.st.Responses(ctx, round)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i, r := range resps {
			for rev := 1; rev <= 2; rev++ {
				form := map[string][]string{
					"q.kontakt_name": {secret(round, i, rev) + "-name"}, "q.kontakt_email": {secret(round, i, rev) + "@kommune.example"},
					"q.kontakt_telefon": {"0511 " + secret(round, i, rev)}, "q.betreute_gu": {"12" + strings.Repeat("0", rev)},
				}
				if _, err := f.st.SaveResponse(ctx, Save{ResponseID: r.ID, BaseRevision: rev - 1, Answers: f.answers(form), Actor: survey.Actor{Kind: "kommune", Label: "Bearbeitung"}}); err != nil {
					t.Fatal(err)
				}
			}
			ids = append(ids, r.ID)
		}
		return ids
	}
	old := fill(f.round)
	ks, _ := f.st.Kommunen(ctx)
	first, _ := f.st.Round(ctx, f.round)
	recent, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: first.QuestionnaireID, Title: "Jüngst geschlossen", OpensOn: now.AddDate(0, -3, 0), Deadline: now.AddDate(0, 0, -30), KommuneIDs: []int64{ks[0].ID}}, system)
	if err != nil {
		t.Fatal(err)
	}
	openOld, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: first.QuestionnaireID, Title: "Noch offen", OpensOn: now.AddDate(-1, 0, 0), Deadline: now.AddDate(0, 0, -200), Status: survey.RoundOpen, KommuneIDs: []int64{ks[1].ID}}, system)
	if err != nil {
		t.Fatal(err)
	}
	recentIDs, openIDs := fill(recent), fill(openOld)
	set := func(round int64, status, deadline string) {
		if _, err := f.st.w.ExecContext(ctx, "UPDATE rounds SET status = ?, deadline = ? WHERE id = ?", status, deadline, round); err != nil {
			t.Fatal(err)
		}
	}
	set(f.round, "closed", now.AddDate(0, 0, -91).Format(time.DateOnly))
	set(recent, "closed", now.AddDate(0, 0, -30).Format(time.DateOnly))
	set(openOld, "open", now.AddDate(0, 0, -200).Format(time.DateOnly))

	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := f.st.r.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	personal := func(ids []int64) (answers, changes int) {
		for _, id := range ids {
			answers += count("SELECT count(*) FROM answers WHERE response_id = ? AND question_id LIKE 'kontakt_%'", id)
			changes += count("SELECT count(*) FROM answer_changes WHERE response_id = ? AND question_id LIKE 'kontakt_%' AND (old_raw IS NOT NULL OR new_raw IS NOT NULL)", id)
		}
		return
	}

	t.Run("dry run changes nothing", func(t *testing.T) {
		before := tableSums(t, f.path)
		got, err := f.st.PurgePersonal(ctx, 90*24*time.Hour, true, staff)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Round.ID != f.round || got[0].Answers != 6 || got[0].Changes != 12 {
			t.Errorf("dry run: %+v, want round %d with 6 answers and 12 log entries", got, f.round)
		}
		compareSums(t, "after a dry run", tableSums(t, f.path), before)
	})

	t.Run("not yet due", func(t *testing.T) {
		got, err := f.st.PurgePersonal(ctx, 92*24*time.Hour, false, staff) // the deadline day counts until its end
		if err != nil || len(got) != 0 {
			t.Errorf("91 days after the deadline with 92 days to keep: %+v, %v", got, err)
		}
	})

	got, err := f.st.PurgePersonal(ctx, 90*24*time.Hour, false, staff)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Answers != 6 || got[0].Changes != 12 || strings.Join(got[0].Questions, ",") != "kontakt_name,kontakt_funktion,kontakt_email,kontakt_telefon" {
		t.Fatalf("purge: %+v", got)
	}
	if a, c := personal(old); a != 0 || c != 0 {
		t.Errorf("closed round: %d personal answers and %d log values left", a, c)
	}
	if n := count("SELECT count(*) FROM answer_changes WHERE response_id = ? AND question_id = 'kontakt_name'", old[0]); n != 2 {
		t.Errorf("the change log lost its entries (%d left), want them kept without values", n)
	}
	for _, id := range old {
		_, ans, err := f.st.Response(ctx, id)
		if err != nil || ans[survey.Key{Question: "betreute_gu"}].Raw != "1200" || len(ans) != 1 {
			t.Errorf("response %d after the purge: %v, %v; want only betreute_gu = 1200", id, ans, err)
		}
	}
	for name, ids := range map[string][]int64{"recently closed": recentIDs, "open": openIDs} {
		if a, c := personal(ids); a != 3 || c != 6 {
			t.Errorf("%s round: %d personal answers, %d log values; want all kept (3, 6)", name, a, c)
		}
	}
	// Reading the round the way dashboards and workbooks do still works.
	n := 0
	if err := f.st.EachAnswers(ctx, f.round, func(survey.Response, survey.Answers) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("EachAnswers after the purge: %d responses, %v", n, err)
	}
	log, _ := f.st.AuditLog(ctx, 0, 1)
	if len(log) != 1 || log[0].Action != "retention.purge" || log[0].RoundID != f.round || log[0].ActorLabel != "Ruth Retention" ||
		!strings.Contains(log[0].Detail, "6 Antworten, 12 Einträge") || strings.Contains(log[0].Detail, "Geheim") {
		t.Errorf("audit entry: %+v", log)
	}
	// The values are gone from the file and its log, not just unlinked.
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(f.path + suffix)
		if err != nil {
			continue
		}
		for i := range old {
			for rev := 1; rev <= 2; rev++ {
				if v := secret(f.round, i, rev) + "-name"; bytes.Contains(b, []byte(v)) {
					t.Errorf("%q still in the database file%s", v, suffix)
				}
			}
		}
		if v := secret(recent, 0, 2) + "-name"; suffix == "" && !bytes.Contains(b, []byte(v)) {
			t.Errorf("%q of the recent round is not in the file: the search does not work", v)
		}
	}

	again, err := f.st.PurgePersonal(ctx, 90*24*time.Hour, false, staff)
	if err != nil || len(again) != 1 || again[0].Answers != 0 || again[0].Changes != 0 {
		t.Errorf("second run: %+v, %v; want nothing left", again, err)
	}
	if log2, _ := f.st.AuditLog(ctx, 0, 1); len(log2) != 1 || log2[0] != log[0] {
		t.Error("a run that removed nothing was audited")
	}
	if _, err := f.st.PurgePersonal(ctx, -time.Hour, false, staff); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("negative retention: %v", err)
	}
}

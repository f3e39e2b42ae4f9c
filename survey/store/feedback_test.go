package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bedarf/survey"
)

// bookTestParticipants names n participants of the fixture's first Kommune
// and books them on the date, with the store's clock as their time.
func bookTestParticipants(t *testing.T, f *fixture, offerID, dateID int64, n int, status string) []int64 {
	t.Helper()
	ctx := context.Background()
	k := f.resps[0].Kommune.ID
	var ids []int64
	for i := range n {
		stamp := f.st.stamp()
		res, err := f.st.w.ExecContext(ctx, "INSERT INTO participants (kommune_id, name, function, email, created_at, updated_at) VALUES (?, ?, 'Sozialarbeit', ?, ?, ?)",
			k, fmt.Sprintf("Person %d", i), fmt.Sprintf("p%d@kommune.example", i), stamp, stamp)
		if err != nil {
			t.Fatal(err)
		}
		pid, _ := res.LastInsertId()
		var date any
		if dateID != 0 {
			date = dateID
		}
		if _, err := f.st.w.ExecContext(ctx, "INSERT INTO bookings (offer_id, date_id, participant_id, kommune_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			offerID, date, pid, k, status, stamp, stamp); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, pid)
	}
	return ids
}

// feedbackFixture is the offer fixture with 6 participants on the training's
// first date (4 booked, 2 attended) and the clock a day after it.
func feedbackFixture(t *testing.T) (f *fixture, training, dateID int64, clock *time.Time) {
	t.Helper()
	f, _, _, _, training = offerFixture(t)
	o, err := f.st.Offer(context.Background(), f.round, training)
	if err != nil {
		t.Fatal(err)
	}
	dateID = o.Dates[0].ID
	clock = new(time.Time)
	*clock = o.Dates[0].Start.Add(-24 * time.Hour)
	f.st.SetClock(func() time.Time { return *clock })
	bookTestParticipants(t, f, training, dateID, 4, "booked")
	bookTestParticipants(t, f, training, dateID, 2, "attended")
	bookTestParticipants(t, f, training, dateID, 3, "cancelled")
	return f, training, dateID, clock
}

func feedbackAudit(t *testing.T, f *fixture, action string) []AuditEntry {
	t.Helper()
	log, err := f.st.AuditLog(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []AuditEntry
	for _, e := range log {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

func TestFeedbackCodes(t *testing.T) {
	ctx := context.Background()
	f, _, dateID, clock := feedbackFixture(t)
	if _, err := f.st.IssueFeedbackCodes(ctx, f.round, dateID, system); survey.ErrorCode(err) != survey.EInvalid {
		t.Fatalf("before the date: %v, want invalid", err)
	}
	*clock = clock.Add(3 * 24 * time.Hour)
	if _, err := f.st.IssueFeedbackCodes(ctx, f.round+1, dateID, system); survey.ErrorCode(err) != survey.ENotFound {
		t.Fatalf("other round: %v, want not found", err)
	}
	codes, err := f.st.IssueFeedbackCodes(ctx, f.round, dateID, system)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 6 || !slices.IsSorted(codes) {
		t.Fatalf("codes %v: want 6 (booked and attended, not cancelled), sorted", codes)
	}
	if _, err := f.st.IssueFeedbackCodes(ctx, f.round, dateID, system); survey.ErrorCode(err) != survey.EConflict {
		t.Fatalf("second issue: %v, want conflict", err)
	}
	if got := feedbackAudit(t, f, "feedback.issue"); len(got) != 1 || !strings.HasSuffix(got[0].Detail, ": 6") {
		t.Fatalf("audit: %+v, want one entry with the count", got)
	}
	var stored int
	f.st.r.QueryRowContext(ctx, "SELECT count(*) FROM feedback_tokens WHERE date_id = ?", dateID).Scan(&stored)
	if stored != 6 {
		t.Fatalf("%d hashes stored, want 6", stored)
	}
	for _, c := range codes {
		var n int
		f.st.r.QueryRowContext(ctx, "SELECT count(*) FROM feedback_tokens WHERE hash = ? OR CAST(hash AS TEXT) LIKE ?", c, "%"+c[:4]+"%").Scan(&n)
		if n != 0 {
			t.Fatalf("code %s stored in plain", c)
		}
	}
	before := len(feedbackAudit(t, f, "feedback.issue"))
	logBefore, _ := f.st.AuditLog(ctx, 0, 1000)

	target, err := f.st.FeedbackCode(ctx, strings.ToLower(strings.ReplaceAll(codes[0], "-", " ")))
	if err != nil || target.DateID != dateID || target.ModuleID != "asyl" {
		t.Fatalf("code as typed: %+v, %v", target, err)
	}
	if err := f.st.SubmitFeedback(ctx, codes[0], map[string]string{"nutzen": "5", "anmerkungen": "gut", "praxis": ""}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, code string
		want       string
	}{
		{"used", codes[0], survey.EConflict},
		{"forged", "7KQ2-MX9D-4TRB", survey.ENotFound},
		{"malformed", "7KQ2-MX9D", survey.ENotFound},
		{"not ascii", "7KQ2-MX9D-4TRÄ", survey.ENotFound},
		{"huge", strings.Repeat("A", 10000), survey.ENotFound},
	} {
		if err := f.st.SubmitFeedback(ctx, tc.code, map[string]string{"nutzen": "1"}); survey.ErrorCode(err) != tc.want {
			t.Errorf("%s submit: %v, want %s", tc.name, err, tc.want)
		}
		if _, err := f.st.FeedbackCode(ctx, tc.code); survey.ErrorCode(err) != tc.want {
			t.Errorf("%s check: %v, want %s", tc.name, err, tc.want)
		}
	}
	dates, answers, err := f.st.Feedback(ctx, f.round)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 1 || answers[0].DateID != dateID || answers[0].Values["nutzen"] != "5" || answers[0].Values["anmerkungen"] != "gut" || len(answers[0].Values) != 2 {
		t.Fatalf("answers %+v", answers)
	}
	if len(dates) != 2 || dates[0].ID != dateID || dates[0].Codes != 6 || dates[1].Codes != 0 {
		t.Fatalf("dates %+v", dates)
	}
	var day string
	f.st.r.QueryRowContext(ctx, "SELECT given_on FROM feedback_responses").Scan(&day)
	if day != clock.In(survey.Berlin()).Format(time.DateOnly) {
		t.Fatalf("given_on %q, want the day only", day)
	}
	logAfter, _ := f.st.AuditLog(ctx, 0, 1000)
	if len(logAfter) != len(logBefore) || len(feedbackAudit(t, f, "feedback.issue")) != before {
		t.Fatalf("answering wrote %d audit entries, want none", len(logAfter)-len(logBefore))
	}
}

// TestFeedbackSingleUse: 20 submissions of one code at once store exactly
// one feedback.
func TestFeedbackSingleUse(t *testing.T) {
	ctx := context.Background()
	f, _, dateID, clock := feedbackFixture(t)
	*clock = clock.Add(3 * 24 * time.Hour)
	codes, err := f.st.IssueFeedbackCodes(ctx, f.round, dateID, system)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 20)
	start := make(chan struct{})
	for i := range errs {
		wg.Go(func() {
			<-start
			errs[i] = f.st.SubmitFeedback(ctx, codes[2], map[string]string{"nutzen": fmt.Sprint(i%5 + 1)})
		})
	}
	close(start)
	wg.Wait()
	ok, used := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case survey.ErrorCode(err) == survey.EConflict:
			used++
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	var stored int
	f.st.r.QueryRowContext(ctx, "SELECT count(*) FROM feedback_responses").Scan(&stored)
	if ok != 1 || used != 19 || stored != 1 {
		t.Fatalf("accepted %d, refused as used %d, stored %d: want 1, 19, 1", ok, used, stored)
	}
}

// TestFeedbackSchemaAnonymous fails when a column is added to the feedback
// tables: each could link an answer to a person or to its time of arrival
// (see docs/ARCHITECTURE.md, "Anonymous feedback"), so adding one needs
// this argument made again.
func TestFeedbackSchemaAnonymous(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	want := map[string]string{
		"feedback_dates":     "date_id issued_on codes",
		"feedback_tokens":    "hash date_id used",
		"feedback_responses": "id date_id given_on",
		"feedback_values":    "response_id question_id value",
	}
	for table, cols := range want {
		rows, err := f.st.r.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			got = append(got, n)
		}
		rows.Close()
		if strings.Join(got, " ") != cols {
			t.Errorf("%s has columns %v, want %s", table, got, cols)
		}
		fks, err := f.st.r.QueryContext(ctx, `SELECT "table" FROM pragma_foreign_key_list(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for fks.Next() {
			var to string
			fks.Scan(&to)
			if to != "offer_dates" && to != "feedback_responses" {
				t.Errorf("%s refers to %s", table, to)
			}
		}
		fks.Close()
	}
	// No other table refers to the feedback.
	var n int
	if err := f.st.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema s, pragma_foreign_key_list(s.name) k
		WHERE s.type = 'table' AND k."table" LIKE 'feedback%' AND s.name NOT LIKE 'feedback%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d references to the feedback tables from other tables", n)
	}
	// Rows have no order of arrival.
	for _, table := range []string{"feedback_tokens", "feedback_responses", "feedback_values"} {
		if _, err := f.st.r.ExecContext(ctx, "SELECT rowid FROM "+table); err == nil {
			t.Errorf("%s has a rowid: rows are ordered by arrival", table)
		}
	}
}

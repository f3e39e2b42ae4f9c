package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"bedarf/survey"
)

// TestRetainContacts: retention removes a contact address copied from an
// answer exactly as it removes a typed one: both stay while the Kommune
// takes part in a round (and for the retention period after its last one),
// both go together after it; an address entered recently stays; a dry run
// and a second run change nothing.
func TestRetainContacts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	f.st.SetClock(func() time.Time { return now })
	staff := survey.Actor{Kind: "staff", Label: "Ruth Retention"}
	ks, _ := f.st.Kommunen(ctx)
	a, b, c := ks[0], ks[1], ks[2] // a and b are in the fixture's round, c in none

	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: f.resps[0].ID, Answers: f.answers(map[string][]string{"q.kontakt_email": {"kopiert@a.example"}}),
		Questionnaire: f.qn, Actor: staff, ByStaff: true}); err != nil {
		t.Fatal(err)
	}
	res, err := f.st.CopyAnswerContacts(ctx, f.round, "kontakt_email", []ContactCopy{{AGS: a.AGS, Email: "kopiert@a.example"}}, staff)
	if err != nil || res.Added != 1 {
		t.Fatalf("copy: %+v, %v", res, err)
	}
	for _, tc := range []struct {
		k     survey.Kommune
		email string
	}{{a, "getippt@a.example"}, {b, "getippt@b.example"}, {c, "getippt@c.example"}} {
		if err := f.st.AddContact(ctx, tc.k.ID, tc.email, "", staff); err != nil {
			t.Fatal(err)
		}
	}
	setRound := func(id int64, status survey.RoundStatus, deadline time.Time) {
		t.Helper()
		if _, err := f.st.w.ExecContext(ctx, "UPDATE rounds SET status = ?, deadline = ? WHERE id = ?", status, deadline.Format(time.DateOnly), id); err != nil {
			t.Fatal(err)
		}
	}
	start := now
	setRound(f.round, survey.RoundClosed, start)
	addresses := func() []string {
		t.Helper()
		all, err := f.st.AllContacts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, cs := range all {
			for _, c := range cs {
				out = append(out, c.Email)
			}
		}
		slices.Sort(out)
		return out
	}
	auditEntries := func() int {
		t.Helper()
		var n int
		if err := f.st.r.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'retention.contacts'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	keep := 90 * 24 * time.Hour
	var next int64
	for _, step := range []struct {
		name  string
		day   int    // days after the first round's deadline
		setup func() // before the run
		dry   bool
		want  PurgedContacts
		left  []string
	}{
		{name: "deadline ended 50 days ago: all stay", day: 50,
			left: []string{"getippt@a.example", "getippt@b.example", "getippt@c.example", "kopiert@a.example"}},
		{name: "a is invited to a planned round: dry run counts b and c", day: 100, dry: true,
			setup: func() {
				first, _ := f.st.Round(ctx, f.round)
				id, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: first.QuestionnaireID, Title: "Nächste", OpensOn: start.AddDate(0, 0, 120),
					Deadline: start.AddDate(0, 0, 150), KommuneIDs: []int64{a.ID}}, staff)
				if err != nil {
					t.Fatal(err)
				}
				next = id
			},
			want: PurgedContacts{Addresses: 2, Kommunen: 2},
			left: []string{"getippt@a.example", "getippt@b.example", "getippt@c.example", "kopiert@a.example"}},
		{name: "a's typed and copied addresses stay alike", day: 100, want: PurgedContacts{Addresses: 2, Kommunen: 2},
			left: []string{"getippt@a.example", "kopiert@a.example"}},
		{name: "after a's last round both go; a new address stays", day: 300,
			setup: func() {
				setRound(next, survey.RoundClosed, start.AddDate(0, 0, 150))
				now = start.AddDate(0, 0, 290)
				if err := f.st.AddContact(ctx, c.ID, "neu@c.example", "", staff); err != nil {
					t.Fatal(err)
				}
			},
			want: PurgedContacts{Addresses: 2, Kommunen: 1}, left: []string{"neu@c.example"}},
		{name: "again: nothing", day: 300, left: []string{"neu@c.example"}},
	} {
		if step.setup != nil {
			step.setup()
		}
		now = start.AddDate(0, 0, step.day)
		before := auditEntries()
		res, err := f.st.Retain(ctx, Retention{Contacts: keep, DryRun: step.dry}, staff)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if res.Contacts == nil || *res.Contacts != step.want {
			t.Errorf("%s: removed %+v, want %+v", step.name, res.Contacts, step.want)
		}
		if got := addresses(); !slices.Equal(got, step.left) {
			t.Errorf("%s: addresses left %v, want %v", step.name, got, step.left)
		}
		wantAudit := before
		if !step.dry && step.want.Addresses > 0 {
			wantAudit++
		}
		if got := auditEntries(); got != wantAudit {
			t.Errorf("%s: %d retention.contacts entries, want %d", step.name, got, wantAudit)
		}
	}
	// Without Contacts, retention leaves every address alone.
	now = start.AddDate(0, 0, 2000)
	if res, err := f.st.Retain(ctx, Retention{Personal: keep}, staff); err != nil || res.Contacts != nil || len(addresses()) != 1 {
		t.Errorf("retention without a contacts period: %+v, %v, %v left", res.Contacts, err, addresses())
	}
}

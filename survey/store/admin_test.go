package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

// auditActions returns the actions of the newest audit entries.
func auditActions(t *testing.T, st *Store, f AuditFilter) []string {
	t.Helper()
	rows, _, err := st.AuditSearch(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Action)
	}
	return out
}

func TestRoundStatusAndDeadlines(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r, _ := f.st.Round(ctx, f.round)

	if err := f.st.OpenRound(ctx, f.round, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("opening an open round: %v, want conflict", err)
	}
	if err := f.st.CloseRound(ctx, f.round, system); err != nil {
		t.Fatal(err)
	}
	if err := f.st.CloseRound(ctx, f.round, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("closing twice: %v, want conflict", err)
	}
	if got, _ := f.st.Round(ctx, f.round); got.Status != survey.RoundClosed || got.AcceptsAnswers(time.Now()) {
		t.Errorf("after close: %+v", got)
	}
	if err := f.st.OpenRound(ctx, f.round, system); err != nil {
		t.Fatal(err)
	}
	if err := f.st.OpenRound(ctx, 999, system); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("unknown round: %v", err)
	}

	// Whole-round deadline: not before the opening date.
	if err := f.st.SetRoundDeadline(ctx, f.round, r.OpensOn.AddDate(0, 0, -1), system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("deadline before opening: %v, want invalid", err)
	}
	later := r.Deadline.AddDate(0, 0, 14)
	if err := f.st.SetRoundDeadline(ctx, f.round, later, system); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.st.Round(ctx, f.round); !got.Deadline.Equal(later) {
		t.Errorf("deadline %v, want %v", got.Deadline, later)
	}

	// A Kommune's own deadline: only later than the round's, only for it.
	a, b := f.resps[0].ID, f.resps[1].ID
	if err := f.st.SetKommuneDeadline(ctx, a, later, system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("own deadline equal to the round's: %v, want invalid", err)
	}
	own := later.AddDate(0, 0, 7)
	if err := f.st.SetKommuneDeadline(ctx, a, own, system); err != nil {
		t.Fatal(err)
	}
	ra, err := f.st.KommuneRound(ctx, f.round, a)
	if err != nil || !ra.Deadline.Equal(own) {
		t.Errorf("Kommune round a: %v, %v, want deadline %v", ra.Deadline, err, own)
	}
	rb, _ := f.st.KommuneRound(ctx, f.round, b)
	if !rb.Deadline.Equal(later) {
		t.Errorf("Kommune round b: %v, want the round's %v", rb.Deadline, later)
	}
	// After the round's deadline has passed, only a still accepts answers.
	after := later.AddDate(0, 0, 2).Add(12 * time.Hour)
	if rb.AcceptsAnswers(after) || !ra.AcceptsAnswers(after) {
		t.Errorf("at %v: a accepts %v (want true), b accepts %v (want false)", after, ra.AcceptsAnswers(after), rb.AcceptsAnswers(after))
	}
	// A response of another round is not found with this round.
	if _, err := f.st.KommuneRound(ctx, f.round+1, a); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("response with another round: %v", err)
	}
	invs, err := f.st.Invitations(ctx, f.round)
	if err != nil || len(invs) != 2 || !invs[0].Deadline.Equal(own) || !invs[1].Deadline.IsZero() {
		t.Errorf("invitations: %+v, %v", invs, err)
	}
	if err := f.st.SetKommuneDeadline(ctx, a, time.Time{}, system); err != nil {
		t.Fatal(err)
	}
	if ra, _ := f.st.KommuneRound(ctx, f.round, a); !ra.Deadline.Equal(later) {
		t.Errorf("after removing the own deadline: %v", ra.Deadline)
	}

	got := auditActions(t, f.st, AuditFilter{RoundID: f.round, Limit: 6})
	want := []string{"response.deadline", "response.deadline", "round.deadline", "round.open", "round.close", "round.create"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("audit %v, want %v", got, want)
	}
}

func TestInvitationsAndReopen(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.resps[0].ID
	ags := f.resps[0].Kommune.AGS
	inv, err := f.st.Invitation(ctx, f.round, ags, f.sealer)
	if err != nil || inv.HasLink || inv.Token != "" || inv.ResponseID != id {
		t.Fatalf("before a link: %+v, %v", inv, err)
	}
	tok, _ := f.st.IssueToken(ctx, id, f.sealer, system)
	inv, err = f.st.Invitation(ctx, f.round, ags, f.sealer)
	if err != nil || !inv.HasLink || inv.Token != tok || inv.LinkCreated.IsZero() {
		t.Errorf("after a link: %+v, %v", inv, err)
	}
	if inv, _ := f.st.Invitation(ctx, f.round, ags, nil); !inv.HasLink || inv.Token != "" {
		t.Errorf("without a sealer nothing is decrypted: %+v", inv)
	}
	invs, _ := f.st.Invitations(ctx, f.round)
	if !invs[0].HasLink || invs[0].Token != "" || invs[1].HasLink {
		t.Errorf("list must tell about links without decrypting: %+v", invs)
	}
	if _, err := f.st.Invitation(ctx, f.round, "99999999", f.sealer); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("uninvited Kommune: %v", err)
	}

	if err := f.st.ReopenResponse(ctx, id, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("reopening a new response: %v, want conflict", err)
	}
	k := survey.Actor{Kind: "kommune", Label: "K"}
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, Submit: true, Actor: k, Answers: f.answers(map[string][]string{"q.betreute_gu": {"5"}})}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ReopenResponse(ctx, id, system); err != nil {
		t.Fatal(err)
	}
	r, ans, _ := f.st.Response(ctx, id)
	if r.Status != survey.StatusDraft || ans[survey.Key{Question: "betreute_gu"}].Raw != "5" {
		t.Errorf("after reopen: %+v, answers %v", r, ans)
	}
	// Staff may correct a submitted response; it stays submitted.
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: r.Revision, Submit: true, Actor: k, Answers: f.answers(map[string][]string{"q.betreute_gu": {"5"}})}); err != nil {
		t.Fatal(err)
	}
	r, _, _ = f.st.Response(ctx, id)
	staff := survey.Actor{Kind: "staff", ID: 1, Label: "Sachbearbeitung"}
	saved, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: r.Revision, ByStaff: true, Actor: staff,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"7"}})})
	if err != nil || saved.Status != survey.StatusSubmitted {
		t.Fatalf("staff correction: %+v, %v", saved, err)
	}
	rows, _, _ := f.st.AuditSearch(ctx, AuditFilter{KommuneID: r.Kommune.ID, Limit: 1})
	if len(rows) != 1 || !strings.Contains(rows[0].Detail, "im Auftrag der Kommune erfasst") || rows[0].KommuneAGS != ags {
		t.Errorf("audit of a staff save: %+v", rows)
	}
	counts, err := f.st.RoundCounts(ctx)
	if err != nil || counts[f.round] != (RoundCounts{Invited: 2, Submitted: 1}) {
		t.Errorf("counts %v, %v", counts, err)
	}
}

func TestUserManagementKeepsAnAdmin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin, err := f.st.CreateUser(ctx, "chefin@bedarf.example", "Chefin", RoleAdmin, "ein-langes-passwort", system)
	if err != nil {
		t.Fatal(err)
	}
	viewer, err := f.st.CreateUser(ctx, "leser@bedarf.example", "Leser", RoleViewer, "ein-langes-passwort", system)
	if err != nil {
		t.Fatal(err)
	}
	// The only active admin can neither be demoted nor disabled.
	if err := f.st.SetUserRole(ctx, admin.ID, RoleViewer, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("demoting the last admin: %v, want conflict", err)
	}
	if err := f.st.SetUserDisabled(ctx, admin.ID, true, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("disabling the last admin: %v, want conflict", err)
	}
	if err := f.st.SetUserRole(ctx, viewer.ID, "chef", system); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("unknown role: %v", err)
	}
	// With a second admin, the first may step down.
	if err := f.st.SetUserRole(ctx, viewer.ID, RoleAdmin, system); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetUserRole(ctx, admin.ID, RoleViewer, system); err != nil {
		t.Fatal(err)
	}
	// Disabling ends the sessions at once; enabling does not bring them back.
	sid, _ := f.st.CreateStaffSession(ctx, admin)
	if _, err := f.st.SessionByID(ctx, sid); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetUserDisabled(ctx, admin.ID, true, system); err != nil {
		t.Fatal(err)
	}
	var n int
	f.st.r.QueryRow("SELECT count(*) FROM sessions WHERE user_id = ?", admin.ID).Scan(&n)
	if n != 0 {
		t.Errorf("%d sessions left after disabling", n)
	}
	if err := f.st.SetUserDisabled(ctx, admin.ID, false, system); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SessionByID(ctx, sid); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("old session after re-enabling: %v", err)
	}
	u, err := f.st.UserByID(ctx, admin.ID)
	if err != nil || u.Disabled || u.Role != RoleViewer {
		t.Errorf("user after changes: %+v, %v", u, err)
	}
	if _, err := f.st.UserByID(ctx, 999); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("unknown user: %v", err)
	}
	got := auditActions(t, f.st, AuditFilter{Action: "user.", Limit: 10})
	want := "user.enable user.disable user.role user.role user.add user.add"
	if strings.Join(got, " ") != want {
		t.Errorf("audit %v, want %s", got, want)
	}
}

func TestAuditSearchFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	day := time.Date(2026, 3, 10, 10, 0, 0, 0, survey.Berlin())
	now := day
	f.st.SetClock(func() time.Time { return now })
	for i := range 30 {
		now = day.Add(time.Duration(i) * 24 * time.Hour)
		label := "Anna Admin"
		if i%3 == 0 {
			label = "Bodo 100%_Sicher"
		}
		if err := f.st.Audit(ctx, survey.Actor{Kind: "staff", Label: label}, "export.workbook", f.round, 0, ""); err != nil {
			t.Fatal(err)
		}
	}
	count := func(flt AuditFilter) int {
		t.Helper()
		flt.Limit = 500
		rows, more, err := f.st.AuditSearch(ctx, flt)
		if err != nil || more {
			t.Fatalf("search %+v: %v, more %v", flt, err, more)
		}
		return len(rows)
	}
	for _, tc := range []struct {
		name string
		f    AuditFilter
		want int
	}{
		{"actor substring any case", AuditFilter{Actor: "anna"}, 20},
		{"actor with LIKE characters", AuditFilter{Actor: "100%_"}, 10},
		{"LIKE characters are literal", AuditFilter{Actor: "0%"}, 10},
		{"action", AuditFilter{Action: "export.workbook"}, 30},
		{"action prefix", AuditFilter{Action: "export."}, 30},
		{"no such action", AuditFilter{Action: "export"}, 0},
		{"one Berlin day", AuditFilter{From: time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC), Action: "export."}, 1},
		{"range with summer time", AuditFilter{From: time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := count(tc.f); got != tc.want {
				t.Errorf("got %d entries, want %d", got, tc.want)
			}
		})
	}
	// Paging: keyset by id, no entry twice, none lost.
	seen := map[int64]bool{}
	var before int64
	pages := 0
	for {
		rows, more, err := f.st.AuditSearch(ctx, AuditFilter{Action: "export.", Before: before, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range rows {
			if seen[r.ID] {
				t.Fatalf("entry %d twice", r.ID)
			}
			seen[r.ID] = true
			if r.RoundTitle != "Runde" {
				t.Errorf("round title %q", r.RoundTitle)
			}
		}
		if !more {
			break
		}
		before = rows[len(rows)-1].ID
	}
	if len(seen) != 30 || pages != 5 {
		t.Errorf("paged %d entries in %d pages, want 30 in 5", len(seen), pages)
	}
}

func TestQuestionnaireVersionsWithRounds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := strings.Replace(string(survey.DefaultQuestionnaireYAML()), "title:", "title: Neu -", 1)
	v2, err := f.st.AddQuestionnaire(ctx, "yaml", []byte(src), system)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := f.st.QuestionnaireVersions(ctx)
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions %+v, %v", vs, err)
	}
	if vs[0].ID != v2.ID || vs[0].Version != 2 || len(vs[0].Rounds) != 0 {
		t.Errorf("newest version: %+v", vs[0])
	}
	if len(vs[1].Rounds) != 1 || vs[1].Rounds[0].ID != f.round || vs[1].Format != "yaml" {
		t.Errorf("first version: %+v", vs[1])
	}
}

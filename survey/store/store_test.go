package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"bedarf/survey"
	"bedarf/survey/auth"
)

var system = survey.Actor{Kind: "system", Label: "Test"}

// fixture is a store with the demo Kommunen, the default questionnaire and
// one open round.
type fixture struct {
	st     *Store
	path   string
	qn     *survey.Questionnaire
	round  int64
	resps  []survey.Response
	sealer *auth.Sealer
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertKommunen(ctx, ks); err != nil {
		t.Fatal(err)
	}
	v, err := st.AddQuestionnaire(ctx, "yaml", survey.DefaultQuestionnaireYAML(), system)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := st.Kommunen(ctx)
	ids := []int64{stored[0].ID, stored[1].ID}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	rid, err := st.CreateRound(ctx, NewRound{QuestionnaireID: v.ID, Title: "Runde", OpensOn: today, Deadline: today.AddDate(0, 0, 28), Status: survey.RoundOpen, KommuneIDs: ids}, system)
	if err != nil {
		t.Fatal(err)
	}
	qn, err := st.Questionnaire(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	resps, err := st.Responses(ctx, rid)
	if err != nil || len(resps) != 2 {
		t.Fatalf("responses: %v, %v", resps, err)
	}
	sealer, _ := auth.NewSealer(make([]byte, 32))
	return &fixture{st: st, path: path, qn: qn, round: rid, resps: resps, sealer: sealer}
}

func (f *fixture) answers(form map[string][]string) survey.Answers {
	return f.qn.Check(form, survey.Draft).Answers
}

func TestOpenPragmasAndMigrations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct{ pragma, want string }{
		{"journal_mode", "wal"}, {"synchronous", "2"}, {"foreign_keys", "1"}, {"busy_timeout", "10000"},
	} {
		var w, r string
		if err := f.st.w.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&w); err != nil {
			t.Fatal(err)
		}
		if err := f.st.r.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&r); err != nil {
			t.Fatal(err)
		}
		if w != tc.want || r != tc.want {
			t.Errorf("PRAGMA %s: writer %q, reader %q, want %q", tc.pragma, w, r, tc.want)
		}
	}
	if _, err := f.st.r.ExecContext(ctx, "DELETE FROM users"); err == nil {
		t.Error("the read pool accepted a write")
	}
	f.st.Close()
	st, err := Open(ctx, f.path) // again: migrations are not applied twice
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	names, err := st.Migrations(ctx)
	if err != nil || len(names) < 2 || names[0] != "migrations/0001_init.sql" || names[1] != "migrations/0002_scenarios.sql" {
		t.Errorf("migrations %v, %v", names, err)
	}
}

func TestVersionLess(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{{"3.51.2", "3.51.3", true}, {"3.51.3", "3.51.3", false}, {"3.54.1", "3.51.3", false}, {"3.9", "3.51.3", true}} {
		if got := versionLess(tc.a, tc.b); got != tc.want {
			t.Errorf("versionLess(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}

func TestSaveMergeAndConflict(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.resps[0].ID
	alice := survey.Actor{Kind: "kommune", Label: "Alice"}
	bob := survey.Actor{Kind: "kommune", Label: "Bob"}

	// Alice saves revision 1.
	s1, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: 0, Actor: alice,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"100"}, "q.kontakt_name": {"Alice"}})})
	if err != nil || s1.Revision != 1 || s1.Status != survey.StatusDraft {
		t.Fatalf("first save: %+v, %v", s1, err)
	}
	// Bob and Alice both start from revision 1. Bob changes the phone number.
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: 1, Actor: bob,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"100"}, "q.kontakt_name": {"Alice"}, "q.kontakt_telefon": {"0511 1"}})}); err != nil {
		t.Fatal(err)
	}
	// Alice, still on revision 1, changes another field: merged, Bob's phone kept.
	s3, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: 1, Actor: alice,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"120"}, "q.kontakt_name": {"Alice"}})})
	if err != nil || s3.Revision != 3 {
		t.Fatalf("merge save: %+v, %v", s3, err)
	}
	_, ans, _ := f.st.Response(ctx, id)
	if ans[survey.Key{Question: "kontakt_telefon"}].Raw != "0511 1" || ans[survey.Key{Question: "betreute_gu"}].Num != 120 {
		t.Errorf("after merge: %+v", ans)
	}
	// Bob, on revision 2, changes betreute_gu too: conflict, nothing stored.
	_, err = f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: 2, Actor: bob,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"130"}, "q.kontakt_name": {"Alice"}, "q.kontakt_telefon": {"0511 2"}})})
	var ce *ConflictError
	if !errors.As(err, &ce) || len(ce.Conflicts) != 1 || ce.Revision != 3 {
		t.Fatalf("want one conflict, got %v", err)
	}
	if c := ce.Conflicts[0]; c.Key.Question != "betreute_gu" || !slices.Equal(c.Mine, []string{"130"}) || !slices.Equal(c.Their, []string{"120"}) || c.By != "Alice" {
		t.Errorf("conflict %+v", c)
	}
	if m := ce.Merged; m[survey.Key{Question: "betreute_gu"}].Raw != "130" || m[survey.Key{Question: "kontakt_telefon"}].Raw != "0511 2" ||
		m[survey.Key{Question: "kontakt_name"}].Raw != "Alice" {
		t.Errorf("merged state for the editor: %+v", m)
	}
	_, ans, _ = f.st.Response(ctx, id)
	if ans[survey.Key{Question: "kontakt_telefon"}].Raw != "0511 1" {
		t.Error("a refused save stored part of its changes")
	}
	// Bob confirms his value on top of revision 3: stored.
	s4, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: 3, Actor: bob,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"130"}, "q.kontakt_name": {"Alice"}, "q.kontakt_telefon": {"0511 2"}})})
	if err != nil || s4.Revision != 4 {
		t.Fatalf("resolved save: %+v, %v", s4, err)
	}
	// Clearing a field deletes it; invalid input is kept as typed.
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: 4, Actor: alice,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"viele"}, "q.kontakt_name": {"Alice"}})}); err != nil {
		t.Fatal(err)
	}
	_, ans, _ = f.st.Response(ctx, id)
	if _, ok := ans[survey.Key{Question: "kontakt_telefon"}]; ok {
		t.Error("cleared field still stored")
	}
	if v := ans[survey.Key{Question: "betreute_gu"}]; v.Raw != "viele" || v.Valid() || v.HasNum {
		t.Errorf("invalid input: %+v", v)
	}
	// A stale base beyond the current revision is refused.
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: 99, Actor: alice}); survey.ErrorCode(err) != survey.EInvalid {
		t.Errorf("future base revision: %v", err)
	}
}

func TestSubmitLocksAndReturnReopens(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.resps[0].ID
	k := survey.Actor{Kind: "kommune", Label: "K"}
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, Submit: true, Actor: k, Answers: f.answers(map[string][]string{"q.betreute_gu": {"5"}})}); err != nil {
		t.Fatal(err)
	}
	r, _, _ := f.st.Response(ctx, id)
	if r.Status != survey.StatusSubmitted || r.SubmittedAt.IsZero() {
		t.Fatalf("after submit: %+v", r)
	}
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: r.Revision, Actor: k}); survey.ErrorCode(err) != survey.EClosed {
		t.Errorf("save after submit: %v, want closed", err)
	}
	if err := f.st.ReturnResponse(ctx, id, "Bitte Zahl prüfen", system); err != nil {
		t.Fatal(err)
	}
	r, _, _ = f.st.Response(ctx, id)
	if r.Status != survey.StatusReturned || r.ReturnMessage != "Bitte Zahl prüfen" {
		t.Errorf("after return: %+v", r)
	}
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: r.Revision, Actor: k, Answers: f.answers(map[string][]string{"q.betreute_gu": {"6"}})}); err != nil {
		t.Errorf("save after return: %v", err)
	}
}

func TestTokensAndSessions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.resps[0].ID
	tok, err := f.st.IssueToken(ctx, id, f.sealer, system)
	if err != nil || len(tok) < 43 {
		t.Fatalf("token %q, %v", tok, err)
	}
	ref, err := f.st.ResolveToken(ctx, tok)
	if err != nil || ref.ResponseID != id {
		t.Fatalf("resolve: %+v, %v", ref, err)
	}
	links, err := f.st.Links(ctx, f.round, f.sealer)
	if err != nil || links[0].Token != tok || links[1].Token != "" {
		t.Errorf("links: %+v, %v", links, err)
	}
	var stored []byte
	f.st.r.QueryRow("SELECT token_hash FROM tokens").Scan(&stored)
	if string(stored) == tok {
		t.Error("token stored in clear")
	}
	sid, err := f.st.CreateKommuneSession(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.st.SessionByID(ctx, sid); err != nil || s.Token.ResponseID != id {
		t.Fatalf("session: %+v, %v", s, err)
	}
	// Re-issuing ends the old link and its sessions.
	tok2, err := f.st.IssueToken(ctx, id, f.sealer, system)
	if err != nil || tok2 == tok {
		t.Fatal(err)
	}
	if _, err := f.st.ResolveToken(ctx, tok); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("old token still valid: %v", err)
	}
	if _, err := f.st.SessionByID(ctx, sid); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("session of a replaced link still valid: %v", err)
	}
	if err := f.st.RevokeToken(ctx, id, system); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.ResolveToken(ctx, tok2); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("revoked token still valid: %v", err)
	}
}

func TestStaffSessionTimeouts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	f.st.SetClock(func() time.Time { return now })
	u, err := f.st.CreateUser(ctx, "a@b.example", "A", RoleAdmin, "lang-genug-123", system)
	if err != nil {
		t.Fatal(err)
	}
	sid, err := f.st.CreateStaffSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SessionByID(ctx, sid); err != nil {
		t.Fatal(err)
	}
	// Active every hour: the idle time-out does not strike, the absolute one does.
	for i := 1; i <= 11; i++ {
		now = now.Add(time.Hour)
		if _, err := f.st.SessionByID(ctx, sid); err != nil {
			t.Fatalf("after %d h: %v", i, err)
		}
	}
	now = now.Add(time.Hour + time.Minute)
	if _, err := f.st.SessionByID(ctx, sid); err == nil {
		t.Error("session outlived the absolute time-out")
	}
	sid2, _ := f.st.CreateStaffSession(ctx, u)
	now = now.Add(StaffIdle + time.Minute)
	if _, err := f.st.SessionByID(ctx, sid2); err == nil {
		t.Error("session outlived the idle time-out")
	}
	if _, err := f.st.CreateUser(ctx, "A@B.example", "A2", RoleViewer, "lang-genug-123", system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("duplicate e-mail (other case): %v", err)
	}
}

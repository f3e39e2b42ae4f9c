package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"bedarf/survey"
)

// benchSaveStore opens a store on a temporary file (the real pragmas:
// WAL, synchronous(FULL)) with the demo Kommunen, the default
// questionnaire and one open round, and returns it with the round's first
// response.
func benchSaveStore(b *testing.B) (*Store, *survey.Questionnaire, int64) {
	b.Helper()
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		b.Fatal(err)
	}
	if err := st.UpsertKommunen(ctx, ks); err != nil {
		b.Fatal(err)
	}
	v, err := st.AddQuestionnaire(ctx, "yaml", survey.DefaultQuestionnaireYAML(), system)
	if err != nil {
		b.Fatal(err)
	}
	stored, err := st.Kommunen(ctx)
	if err != nil {
		b.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	rid, err := st.CreateRound(ctx, NewRound{QuestionnaireID: v.ID, Title: "Runde", OpensOn: today, Deadline: today.AddDate(0, 0, 28),
		Status: survey.RoundOpen, KommuneIDs: []int64{stored[0].ID}}, system)
	if err != nil {
		b.Fatal(err)
	}
	qn, err := st.Questionnaire(ctx, v.ID)
	if err != nil {
		b.Fatal(err)
	}
	resps, err := st.Responses(ctx, rid)
	if err != nil {
		b.Fatal(err)
	}
	return st, qn, resps[0].ID
}

// benchSaveForm is a complete answer to the default questionnaire whose
// numbers and texts depend on v, so that two values of v differ in every
// field.
func benchSaveForm(v int) map[string][]string {
	n := func(x int) []string { return []string{strconv.Itoa(x + v)} }
	text := []string{"Anmerkung " + strconv.Itoa(v) + ": Die Fallzahlen sind im letzten Jahr deutlich gestiegen."}
	f := map[string][]string{
		"q.kontakt_name": {"Anna Schmidt " + strconv.Itoa(v)}, "q.kontakt_funktion": {"Koordination"},
		"q.kontakt_email": {"a" + strconv.Itoa(v) + "@gemeinde.example"}, "q.kontakt_telefon": n(5110000),
		"q.betreute_gu": n(1240), "q.betreute_privat": n(612), "q.zugang_seit_2015": n(4310), "q.zugang_5_jahre": n(2050),
		"q.erwartet_12_monate": n(1900), "q.unterkuenfte": n(14), "q.plaetze": n(1300), "q.plaetze_belegt": n(1180),
		"q.fachkraefte_personen": n(16), "q.fachkraefte_vzae": n(12), "q.befristet_vzae": n(4), "q.offene_stellen_vzae": n(1),
		"q.anstellungstraeger": {[]string{"kommune", "traeger", "beide"}[v%3]}, "q.belastung_gesamt": {strconv.Itoa(1 + v%5)},
		"q.belastung_anmerkungen": text, "q.supervision_vorhanden": {"ja"}, "q.supervision_vorhanden_format": {"gruppe"},
		"q.supervision_vorhanden_haeufigkeit": {"quartal"}, "q.supervision_gruppe_personen": n(11),
		"q.supervision_einzel_personen": n(3), "q.fallberatung_personen": n(8), "q.supervision_haeufigkeit": {"monatlich"},
		"q.supervision_format": {"vor_ort"}, "q.supervision_zeiten": {"vormittag"}, "q.supervision_themen": text,
		"q.zusaetzliche_stellen_vzae": n(2), "q.foerderung_gewuenscht": n(180000), "q.vernetzung_interesse": {"ja"},
	}
	for _, row := range []string{"fallzahl", "komplexitaet", "trauma", "konflikte", "verwaltung"} {
		f["q.belastung_faktoren."+row] = []string{strconv.Itoa(1 + (v+len(row))%5)}
	}
	for _, m := range []string{"asylrecht", "ausbildung_arbeit", "gesundheit", "trauma"} {
		f["q.fortbildung_teilnehmende."+m] = n(len(m))
	}
	return f
}

// BenchmarkSaveResponse saves a response on a temporary file with the real
// pragmas (every save is one synchronous(FULL) commit): five answers
// changed, every answer changed, and nothing changed (the reads alone: the
// response, its answers and the changes since the base revision).
//
//	go test -run '^$' -bench SaveResponse ./survey/store/
func BenchmarkSaveResponse(b *testing.B) {
	ctx := context.Background()
	actor := survey.Actor{Kind: "kommune", Label: "Bench"}
	for _, bc := range []struct {
		name string
		form func(i int) map[string][]string
	}{
		{"changes=5", func(i int) map[string][]string {
			f := benchSaveForm(0)
			for j, field := range []string{"q.betreute_privat", "q.zugang_seit_2015", "q.erwartet_12_monate", "q.unterkuenfte", "q.plaetze"} {
				f[field] = []string{strconv.Itoa(100000 + 10*i + j)}
			}
			return f
		}},
		{"changes=all", func(i int) map[string][]string { return benchSaveForm(i % 2) }},
		{"unchanged", func(int) map[string][]string { return benchSaveForm(0) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			st, qn, id := benchSaveStore(b)
			saved, err := st.SaveResponse(ctx, Save{ResponseID: id, Answers: qn.Check(benchSaveForm(0), survey.Draft).Answers, Actor: actor})
			if err != nil {
				b.Fatal(err)
			}
			rev := saved.Revision
			answers := make([]survey.Answers, 2)
			for i := range answers {
				answers[i] = qn.Check(bc.form(i+1), survey.Draft).Answers
			}
			// Alternating between two answer sets changes the same fields
			// every time.
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				a := answers[i%2]
				i++
				saved, err := st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: rev, Answers: a, Actor: actor})
				if err != nil {
					b.Fatal(err)
				}
				rev = saved.Revision
			}
		})
	}
}

// benchRoundStore returns a store with a round of n submitted responses,
// each holding a complete answer to the default questionnaire (about 45
// rows), written in one transaction.
func benchRoundStore(b *testing.B, n int) (*Store, *survey.Questionnaire, int64) {
	b.Helper()
	ctx := context.Background()
	st, qn, _ := benchSaveStore(b)
	var roundID int64
	err := st.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT id FROM rounds").Scan(&roundID); err != nil {
			return err
		}
		insK, err := tx.PrepareContext(ctx, "INSERT INTO kommunen (ags, name, kind, lat, lon, population) VALUES (?, ?, 'Gemeinde', ?, ?, 1000)")
		if err != nil {
			return err
		}
		insR, err := tx.PrepareContext(ctx, "INSERT INTO responses (round_id, kommune_id, status, revision) VALUES (?, ?, 'submitted', 1)")
		if err != nil {
			return err
		}
		insA, err := tx.PrepareContext(ctx, `INSERT INTO answers (response_id, question_id, item, num, text, raw, valid, revision)
			VALUES (?, ?, ?, ?, ?, ?, 1, 1)`)
		if err != nil {
			return err
		}
		for i := range n {
			res, err := insK.ExecContext(ctx, fmt.Sprintf("9%07d", i), fmt.Sprintf("Gemeinde %d", i), 47.3+float64(i%77)/10, 5.9+float64(i%91)/10)
			if err != nil {
				return err
			}
			kid, _ := res.LastInsertId()
			if res, err = insR.ExecContext(ctx, roundID, kid); err != nil {
				return err
			}
			rid, _ := res.LastInsertId()
			for k, v := range qn.Check(benchSaveForm(i), survey.Submit).Answers {
				var num any
				if v.HasNum {
					num = v.Num
				}
				if _, err := insA.ExecContext(ctx, rid, k.Question, k.Item, num, v.Text, v.Raw); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return st, qn, roundID
}

// BenchmarkEachAnswers streams a round's answers, one response at a time,
// as the workbook and the CSV read them.
//
//	go test -run '^$' -bench 'EachAnswers|PlanningAnswers' ./survey/store/
func BenchmarkEachAnswers(b *testing.B) {
	st, _, roundID := benchRoundStore(b, 2000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := st.EachAnswers(ctx, roundID, func(_ survey.Response, a survey.Answers) error { n += len(a); return nil }); err != nil {
			b.Fatal(err)
		}
		if n < 2000*30 {
			b.Fatalf("%d answers read", n)
		}
	}
}

// BenchmarkPlanningAnswers reads the planning model's inputs of a round:
// the answers to the planning questions of every submitted response.
func BenchmarkPlanningAnswers(b *testing.B) {
	st, qn, roundID := benchRoundStore(b, 2000)
	ctx := context.Background()
	var ids []string
	for _, q := range qn.Questions() {
		if q.Planning != "" {
			ids = append(ids, q.ID)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := st.PlanningAnswers(ctx, roundID, ids, func(survey.Kommune, survey.Answers) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != 2000 {
			b.Fatalf("%d responses read", n)
		}
	}
}

// TestPlanningAnswersAll checks what the benchmark relies on: every
// submitted response comes, in AGS order, also one without any answer to
// the planning questions (with no answers), and only those questions' answers.
func TestPlanningAnswersAll(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	k := survey.Actor{Kind: "kommune", Label: "K"}
	forms := []map[string][]string{
		{"q.supervision_gruppe_personen": {"7"}, "q.fortbildung_teilnehmende.trauma": {"3"}, "q.kontakt_name": {"X"}},
		{"q.kontakt_name": {"Y"}},
	}
	for i, form := range forms {
		if _, err := f.st.SaveResponse(ctx, Save{ResponseID: f.resps[i].ID, Submit: true, Actor: k, Answers: f.answers(form)}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	var sizes []int
	err := f.st.PlanningAnswers(ctx, f.round, []string{"supervision_gruppe_personen", "fortbildung_teilnehmende"}, func(kk survey.Kommune, a survey.Answers) error {
		got = append(got, kk.AGS)
		sizes = append(sizes, len(a))
		return nil
	})
	want := []string{f.resps[0].Kommune.AGS, f.resps[1].Kommune.AGS}
	if err != nil || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("planning answers from %v, %v; want %v", got, err, want)
	}
	if sizes[0] != 2 || sizes[1] != 0 {
		t.Errorf("answers per response %v, want [2 0]", sizes)
	}
}

// BenchmarkKommuneLoads reads what a Kommune's save reads before it
// writes: as the handler did before issue 21 (KommuneRound and Response,
// four queries parsed anew, two of them in a read transaction) and as it
// does now (KommuneForm: one read transaction, one prepared query each).
//
//	go test -run '^$' -bench KommuneLoads ./survey/store/
func BenchmarkKommuneLoads(b *testing.B) {
	ctx := context.Background()
	st, qn, id := benchSaveStore(b)
	saved, err := st.SaveResponse(ctx, Save{ResponseID: id, Answers: qn.Check(benchSaveForm(0), survey.Draft).Answers,
		Actor: survey.Actor{Kind: "kommune", Label: "Bench"}})
	if err != nil {
		b.Fatal(err)
	}
	resp, _, err := st.Response(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("separate", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.KommuneRound(ctx, resp.RoundID, id); err != nil {
				b.Fatal(err)
			}
			if _, _, err := st.Response(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("KommuneForm", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.KommuneForm(ctx, resp.RoundID, id, saved.Revision); err != nil {
				b.Fatal(err)
			}
		}
	})
}

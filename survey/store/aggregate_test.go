package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

// aggRound is a round over six Kommunen with known answers:
//
//	Hannover       Stadt     submitted  betreute_gu 100, gruppe 10
//	Barsinghausen  Stadt     submitted  betreute_gu 40,  gruppe 4
//	Garbsen        Stadt     new        –
//	Isernhagen     Gemeinde  submitted  betreute_gu 10,  gruppe 1
//	Uetze          Gemeinde  draft      betreute_gu "viele" (invalid), gruppe 6
//	Wedemark       Gemeinde  returned   betreute_gu 30,  gruppe 3
type aggRound struct {
	*fixture
	id   int64
	resp map[string]int64 // name → response id
}

func newAggRound(t *testing.T, f *fixture, title string) *aggRound {
	t.Helper()
	ctx := context.Background()
	ks, err := f.st.Kommunen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]int64{}
	for _, k := range ks {
		byName[k.Name] = k.ID
	}
	var ids []int64
	for _, n := range []string{"Hannover", "Barsinghausen", "Garbsen", "Isernhagen", "Uetze", "Wedemark"} {
		ids = append(ids, byName[n])
	}
	v, err := f.st.Round(ctx, f.round)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	id, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: v.QuestionnaireID, Title: title, OpensOn: today,
		Deadline: today.AddDate(0, 0, 28), Status: survey.RoundOpen, KommuneIDs: ids}, system)
	if err != nil {
		t.Fatal(err)
	}
	resps, err := f.st.Responses(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	r := &aggRound{fixture: f, id: id, resp: map[string]int64{}}
	for _, x := range resps {
		r.resp[x.Kommune.Name] = x.ID
	}
	return r
}

// save stores form as the Kommune's answers, submitted when submit is set.
func (r *aggRound) save(t *testing.T, name string, submit bool, form map[string][]string) {
	t.Helper()
	ctx := context.Background()
	resp, _, err := r.st.Response(ctx, r.resp[name])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.SaveResponse(ctx, Save{ResponseID: resp.ID, BaseRevision: resp.Revision, Submit: submit,
		Actor: survey.Actor{Kind: "kommune", Label: name}, Answers: r.answers(form)}); err != nil {
		t.Fatalf("save %s: %v", name, err)
	}
}

func seedAggRound(t *testing.T, f *fixture) *aggRound {
	t.Helper()
	r := newAggRound(t, f, "Aggregate")
	r.save(t, "Hannover", true, map[string][]string{
		"q.betreute_gu": {"100"}, "q.supervision_gruppe_personen": {"10"}, "q.supervision_format": {"vor_ort"},
		"q.supervision_zeiten": {"vormittag", "abend"}, "q.belastung_gesamt": {"4"},
		"q.belastung_faktoren.fallzahl": {"5"}, "q.belastung_faktoren.trauma": {"4"},
		"q.fortbildung_teilnehmende.asylrecht": {"7"}, "q.fortbildung_teilnehmende.trauma": {"3"},
		"q.supervision_themen": {"Grenzen setzen"},
	})
	r.save(t, "Barsinghausen", true, map[string][]string{
		"q.betreute_gu": {"40"}, "q.supervision_gruppe_personen": {"4"}, "q.supervision_format": {"online"},
		"q.supervision_zeiten": {"abend"}, "q.belastung_gesamt": {"3"}, "q.belastung_faktoren.fallzahl": {"5"},
		"q.fortbildung_teilnehmende.asylrecht": {"2"}, "q.supervision_themen": {"Teamkonflikte"},
	})
	r.save(t, "Isernhagen", true, map[string][]string{
		"q.betreute_gu": {"10"}, "q.supervision_gruppe_personen": {"1"}, "q.supervision_format": {"vor_ort"},
		"q.belastung_gesamt": {"4"}, "q.fortbildung_teilnehmende.trauma": {"1"},
	})
	r.save(t, "Uetze", false, map[string][]string{
		"q.betreute_gu": {"viele"}, "q.supervision_gruppe_personen": {"6"}, "q.belastung_gesamt": {"2"},
	})
	r.save(t, "Wedemark", true, map[string][]string{"q.betreute_gu": {"30"}, "q.supervision_gruppe_personen": {"3"}})
	if err := r.st.ReturnResponse(context.Background(), r.resp["Wedemark"], "Bitte prüfen", system); err != nil {
		t.Fatal(err)
	}
	return r
}

var allStarted = []survey.ResponseStatus{survey.StatusSubmitted, survey.StatusDraft, survey.StatusReturned}

func TestAggregateBasisAndCounts(t *testing.T) {
	f := newFixture(t)
	r := seedAggRound(t, f)
	ctx := context.Background()

	kinds, err := f.st.KommuneKinds(ctx)
	if err != nil || !slices.Equal(kinds, []string{"Gemeinde", "Stadt"}) {
		t.Errorf("KommuneKinds = %v, %v; want [Gemeinde Stadt]", kinds, err)
	}
	sc, err := f.st.StatusCounts(ctx, r.id)
	if err != nil {
		t.Fatal(err)
	}
	gotStatus := map[survey.ResponseStatus]int{}
	for _, c := range sc {
		gotStatus[c.Status] = c.N
	}
	if want := map[survey.ResponseStatus]int{"new": 1, "draft": 1, "submitted": 3, "returned": 1}; !mapsEqual(gotStatus, want) {
		t.Errorf("StatusCounts = %v, want %v", gotStatus, want)
	}

	for _, tc := range []struct {
		name string
		b    Basis
		want int
	}{
		{"submitted", Basis{RoundID: r.id}, 3},
		{"submitted Stadt", Basis{RoundID: r.id, Kind: "Stadt"}, 2},
		{"submitted Gemeinde", Basis{RoundID: r.id, Kind: "Gemeinde"}, 1},
		{"started", Basis{RoundID: r.id, Statuses: allStarted}, 5},
		{"started Gemeinde", Basis{RoundID: r.id, Statuses: allStarted, Kind: "Gemeinde"}, 3},
		{"draft only", Basis{RoundID: r.id, Statuses: []survey.ResponseStatus{survey.StatusDraft}}, 1},
		{"other round", Basis{RoundID: f.round}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n, err := f.st.BasisSize(ctx, tc.b); err != nil || n != tc.want {
				t.Errorf("BasisSize = %d, %v; want %d", n, err, tc.want)
			}
		})
	}

	counts, err := f.st.AnsweredCounts(ctx, Basis{RoundID: r.id})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, c := range counts {
		got[c.QuestionID] = c.N
	}
	for q, want := range map[string]int{"betreute_gu": 3, "supervision_zeiten": 2, "supervision_themen": 2,
		"fortbildung_teilnehmende": 3, "belastung_faktoren": 2, "kontakt_name": 0} {
		if got[q] != want {
			t.Errorf("answered %s = %d, want %d", q, got[q], want)
		}
	}
	// The invalid draft value does not count; the draft's valid ones do.
	counts, _ = f.st.AnsweredCounts(ctx, Basis{RoundID: r.id, Statuses: allStarted}, "betreute_gu", "supervision_gruppe_personen")
	if len(counts) != 2 || counts[0].N != 4 || counts[1].N != 5 {
		t.Errorf("answered with drafts = %+v, want betreute_gu 4, supervision_gruppe_personen 5", counts)
	}

	choices, err := f.st.ChoiceCounts(ctx, Basis{RoundID: r.id}, "supervision_zeiten", "belastung_gesamt", "belastung_faktoren")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, c := range choices {
		lines = append(lines, c.QuestionID+"/"+c.Item+"/"+c.Value+"="+strconv.Itoa(c.N))
	}
	want := []string{
		"belastung_faktoren/fallzahl/5=2", "belastung_faktoren/trauma/4=1",
		"belastung_gesamt//3=1", "belastung_gesamt//4=2",
		"supervision_zeiten/abend/abend=2", "supervision_zeiten/vormittag/vormittag=1",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("ChoiceCounts =\n%v\nwant\n%v", lines, want)
	}
}

func mapsEqual[K comparable](a, b map[K]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestAggregateNumbers(t *testing.T) {
	f := newFixture(t)
	r := seedAggRound(t, f)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		b    Basis
		want NumberStat
	}{
		{"submitted (odd n)", Basis{RoundID: r.id}, NumberStat{N: 3, Sum: 150, Mean: 50, Median: 40, Min: 10, Max: 100}},
		{"started (even n, invalid left out)", Basis{RoundID: r.id, Statuses: allStarted}, NumberStat{N: 4, Sum: 180, Mean: 45, Median: 35, Min: 10, Max: 100}},
		{"started Gemeinde", Basis{RoundID: r.id, Statuses: allStarted, Kind: "Gemeinde"}, NumberStat{N: 2, Sum: 40, Mean: 20, Median: 20, Min: 10, Max: 30}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := f.st.NumberStats(ctx, tc.b, "betreute_gu")
			if err != nil || len(st) != 1 {
				t.Fatalf("NumberStats = %+v, %v", st, err)
			}
			tc.want.QuestionID = "betreute_gu"
			if st[0] != tc.want {
				t.Errorf("got %+v, want %+v", st[0], tc.want)
			}
		})
	}
	items, err := f.st.NumberStats(ctx, Basis{RoundID: r.id}, "fortbildung_teilnehmende")
	if err != nil {
		t.Fatal(err)
	}
	wantItems := []NumberStat{
		{QuestionID: "fortbildung_teilnehmende", Item: "asylrecht", N: 2, Sum: 9, Mean: 4.5, Median: 4.5, Min: 2, Max: 7},
		{QuestionID: "fortbildung_teilnehmende", Item: "trauma", N: 2, Sum: 4, Mean: 2, Median: 2, Min: 1, Max: 3},
	}
	if !slices.Equal(items, wantItems) {
		t.Errorf("per-item stats = %+v, want %+v", items, wantItems)
	}

	var vals []string
	err = f.st.NumberValues(ctx, Basis{RoundID: r.id}, "betreute_gu", "", func(v KommuneValue) error {
		vals = append(vals, v.Name+"="+strconv.FormatFloat(v.Num, 'f', -1, 64))
		return nil
	})
	if want := []string{"Hannover=100", "Barsinghausen=40", "Isernhagen=10"}; err != nil || !slices.Equal(vals, want) {
		t.Errorf("NumberValues = %v, %v; want %v (AGS order)", vals, err, want)
	}

	texts, err := f.st.TextAnswers(ctx, Basis{RoundID: r.id}, "supervision_themen", 10, 0)
	if err != nil || len(texts) != 2 || texts[0].Name != "Hannover" || texts[0].Text != "Grenzen setzen" || texts[1].Name != "Barsinghausen" {
		t.Errorf("TextAnswers = %+v, %v", texts, err)
	}
	page2, _ := f.st.TextAnswers(ctx, Basis{RoundID: r.id}, "supervision_themen", 1, 1)
	if len(page2) != 1 || page2[0].Text != "Teamkonflikte" {
		t.Errorf("TextAnswers page 2 = %+v", page2)
	}
}

func TestCompareNumbers(t *testing.T) {
	f := newFixture(t)
	a := seedAggRound(t, f)
	b := newAggRound(t, f, "Folgerunde")
	b.save(t, "Hannover", true, map[string][]string{"q.betreute_gu": {"120"}})
	b.save(t, "Garbsen", true, map[string][]string{"q.betreute_gu": {"50"}})
	b.save(t, "Uetze", false, map[string][]string{"q.betreute_gu": {"9"}}) // a draft: not in the basis
	pairs, err := f.st.CompareNumbers(context.Background(), Basis{RoundID: a.id}, b.id, "betreute_gu", "")
	if err != nil {
		t.Fatal(err)
	}
	show := func(p *float64) string {
		if p == nil {
			return "–"
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	var got []string
	for _, p := range pairs {
		got = append(got, p.Name+":"+show(p.A)+"→"+show(p.B))
	}
	want := []string{"Hannover:100→120", "Barsinghausen:40→–", "Garbsen:–→50", "Isernhagen:10→–"}
	if !slices.Equal(got, want) {
		t.Errorf("CompareNumbers = %v, want %v", got, want)
	}
}

// TestNumberStatsMatchGo checks the SQL statistics against a plain Go
// computation on random answers of all 21 Kommunen with random statuses.
func TestNumberStatsMatchGo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ks, _ := f.st.Kommunen(ctx)
	ids := make([]int64, len(ks))
	kind := map[string]string{}
	for i, k := range ks {
		ids[i] = k.ID
		kind[k.Name] = k.Kind
	}
	v, _ := f.st.Round(ctx, f.round)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	rid, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: v.QuestionnaireID, Title: "Zufall", OpensOn: today,
		Deadline: today, Status: survey.RoundOpen, KommuneIDs: ids}, system)
	if err != nil {
		t.Fatal(err)
	}
	resps, _ := f.st.Responses(ctx, rid)
	rng := rand.New(rand.NewPCG(7, 8))
	type answer struct {
		kind   string
		status survey.ResponseStatus
		v      float64
	}
	var all []answer
	for _, r := range resps {
		if rng.IntN(5) == 0 {
			continue // not begun
		}
		val := float64(rng.IntN(40)) / 2 // decimals with ties
		submit := rng.IntN(3) > 0
		if _, err := f.st.SaveResponse(ctx, Save{ResponseID: r.ID, Submit: submit, Actor: system,
			Answers: f.answers(map[string][]string{"q.fachkraefte_vzae": {survey.FormatInputDE(val)}})}); err != nil {
			t.Fatal(err)
		}
		st := survey.StatusDraft
		if submit {
			st = survey.StatusSubmitted
		}
		all = append(all, answer{kind: kind[r.Kommune.Name], status: st, v: val})
	}
	for _, b := range []Basis{{RoundID: rid}, {RoundID: rid, Kind: "Stadt"}, {RoundID: rid, Kind: "Gemeinde"},
		{RoundID: rid, Statuses: allStarted}, {RoundID: rid, Statuses: []survey.ResponseStatus{survey.StatusDraft}, Kind: "Stadt"}} {
		var vals []float64
		for _, a := range all {
			if (b.Kind == "" || a.kind == b.Kind) && slices.Contains(b.statuses(), a.status) {
				vals = append(vals, a.v)
			}
		}
		got, err := f.st.NumberStats(ctx, b, "fachkraefte_vzae")
		if err != nil {
			t.Fatal(err)
		}
		if len(vals) == 0 {
			if len(got) != 0 {
				t.Errorf("%+v: stats %+v for no values", b, got)
			}
			continue
		}
		slices.Sort(vals)
		n := len(vals)
		median := vals[n/2]
		if n%2 == 0 {
			median = (vals[n/2-1] + vals[n/2]) / 2
		}
		var sum float64
		for _, x := range vals {
			sum += x
		}
		want := NumberStat{QuestionID: "fachkraefte_vzae", N: n, Sum: sum, Mean: sum / float64(n), Median: median, Min: vals[0], Max: vals[n-1]}
		if len(got) != 1 || got[0].N != want.N || math.Abs(got[0].Sum-want.Sum) > 1e-9 || math.Abs(got[0].Mean-want.Mean) > 1e-9 ||
			got[0].Median != want.Median || got[0].Min != want.Min || got[0].Max != want.Max {
			t.Errorf("%+v: got %+v, want %+v", b, got, want)
		}
	}
}

type planQuery struct {
	name string
	sql  string
	args []any
}

// aggregateQueries returns the SQL of every aggregate over basis b.
func aggregateQueries(b Basis) []planQuery {
	var qs []planQuery
	add := func(name, q string, args []any) { qs = append(qs, planQuery{name, q, args}) }
	q, a := basisSizeSQL(b)
	add("basis size", q, a)
	q, a = answeredCountsSQL(b, nil)
	add("answered counts (all)", q, a)
	q, a = answeredCountsSQL(b, []string{"betreute_gu"})
	add("answered counts (one)", q, a)
	q, a = choiceCountsSQL(b, []string{"supervision_zeiten"})
	add("choice counts", q, a)
	q, a = numberStatsSQL(b, []string{"betreute_gu"})
	add("number stats", q, a)
	q, a = numberValuesSQL(b, "betreute_gu", "")
	add("number values", q, a)
	q, a = textAnswersSQL(b, "supervision_themen", 10, 0)
	add("text answers", q, a)
	q, a = compareNumbersSQL(b, b.RoundID+1, "betreute_gu", "")
	add("compare numbers", q, a)
	return qs
}

// TestAggregatePlansUseIndexes asks SQLite how it runs every aggregate: each
// reaches the round's responses through their round index and the answers
// through their primary key, never by scanning a table.
func TestAggregatePlansUseIndexes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	qs := []planQuery{{"status counts", statusCountsSQL, []any{f.round}}}
	for _, b := range []Basis{{RoundID: f.round}, {RoundID: f.round, Kind: "Stadt", Statuses: allStarted}} {
		suffix := " (all Kommunen, submitted)"
		if b.Kind != "" {
			suffix = " (Stadt, started)"
		}
		for _, x := range aggregateQueries(b) {
			qs = append(qs, planQuery{x.name + suffix, x.sql, x.args})
		}
	}

	tableScan := regexp.MustCompile(`^SCAN (r|a|k|responses|answers|kommunen)\b`)
	for _, q := range qs {
		t.Run(q.name, func(t *testing.T) {
			rows, err := f.st.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, q.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			text := strings.Join(plan, "\n")
			for _, line := range plan {
				if tableScan.MatchString(line) {
					t.Errorf("table scan %q in plan:\n%s", line, text)
				}
			}
			if !strings.Contains(text, "SEARCH r USING INDEX sqlite_autoindex_responses_1 (round_id=?)") {
				t.Errorf("responses not found by round:\n%s", text)
			}
			if strings.Contains(q.sql, "answers a") && !strings.Contains(text, "SEARCH a USING PRIMARY KEY (response_id=?") {
				t.Errorf("answers not reached by primary key:\n%s", text)
			}
		})
	}
}

// BenchmarkAggregatesNationwide measures the aggregates on a nation-wide
// round: 10,800 Kommunen, each with 30 answers, in three rounds (about a
// million answer rows), with two thirds of the responses submitted.
// go test ./survey/store -run '^$' -bench Nationwide -benchtime 20x
func BenchmarkAggregatesNationwide(b *testing.B) {
	f := newFixture(&testing.T{})
	ctx := context.Background()
	const kommunen, rounds = 10800, 3
	err := f.st.write(ctx, func(tx *sql.Tx) error {
		for i := range kommunen {
			kind := "Gemeinde"
			if i%5 == 0 {
				kind = "Stadt"
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO kommunen (ags, name, kind, lat, lon) VALUES (?, ?, ?, 52, 10)`,
				fmt.Sprintf("9%07d", i), fmt.Sprintf("Kommune %d", i), kind); err != nil {
				return err
			}
		}
		v, _ := f.st.Round(ctx, f.round)
		rng := rand.New(rand.NewPCG(1, 2))
		for r := range rounds {
			res, err := tx.ExecContext(ctx, `INSERT INTO rounds (questionnaire_id, title, opens_on, deadline, status, created_at)
				VALUES (?, ?, '2026-01-01', '2026-02-01', 'closed', '2026-01-01T00:00:00.000Z')`, v.QuestionnaireID, fmt.Sprint("Bund ", r))
			if err != nil {
				return err
			}
			rid, _ := res.LastInsertId()
			if _, err := tx.ExecContext(ctx, `INSERT INTO responses (round_id, kommune_id, status, revision)
				SELECT ?, id, CASE WHEN id % 3 = 0 THEN 'draft' ELSE 'submitted' END, 1 FROM kommunen WHERE ags LIKE '9%'`, rid); err != nil {
				return err
			}
			rows, err := tx.QueryContext(ctx, "SELECT id FROM responses WHERE round_id = ?", rid)
			if err != nil {
				return err
			}
			var ids []int64
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				ids = append(ids, id)
			}
			rows.Close()
			for _, id := range ids {
				for q := range 20 {
					n := rng.IntN(100)
					if _, err := tx.ExecContext(ctx, `INSERT INTO answers (response_id, question_id, item, num, text, raw, valid, revision)
						VALUES (?, ?, '', ?, ?, ?, 1, 1)`, id, fmt.Sprint("zahl_", q), n, strconv.Itoa(n), strconv.Itoa(n)); err != nil {
						return err
					}
				}
				for q := range 10 {
					c := strconv.Itoa(1 + rng.IntN(5))
					if _, err := tx.ExecContext(ctx, `INSERT INTO answers (response_id, question_id, item, num, text, raw, valid, revision)
						VALUES (?, ?, '', NULL, ?, ?, 1, 1)`, id, fmt.Sprint("wahl_", q), c, c); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rid := f.round + rounds
	basis := Basis{RoundID: rid, Kind: "Gemeinde"}
	for _, bc := range []struct {
		name string
		fn   func() error
	}{
		{"BasisSize", func() error { _, err := f.st.BasisSize(ctx, basis); return err }},
		{"AnsweredCounts(all)", func() error { _, err := f.st.AnsweredCounts(ctx, basis); return err }},
		{"NumberStats", func() error { _, err := f.st.NumberStats(ctx, basis, "zahl_3"); return err }},
		{"ChoiceCounts", func() error { _, err := f.st.ChoiceCounts(ctx, basis, "wahl_3"); return err }},
		{"NumberValues", func() error {
			return f.st.NumberValues(ctx, basis, "zahl_3", "", func(KommuneValue) error { return nil })
		}},
		{"CompareNumbers", func() error { _, err := f.st.CompareNumbers(ctx, basis, rid-1, "zahl_3", ""); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if err := bc.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

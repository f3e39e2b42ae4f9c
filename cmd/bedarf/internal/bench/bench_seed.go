package bench

// Synthetic nation-wide data for "bedarf bench": Kommunen spread over
// Germany, the default questionnaire, three rounds with realistic answers.
// Kommunen, questionnaire, rounds, scenarios and the staff account go
// through the store; the answers (about 45 per response, three rounds) and
// the links are written in bulk with the rows SaveResponse and IssueToken
// write, because 30,000 single transactions at synchronous(FULL) would take
// longer than the measurement itself.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// benchResp is a response of the open round that the load uses.
type benchResp struct {
	ID      int64
	Kommune survey.Kommune
	Token   string
	Form    map[string][]string // the stored draft as form values (drafts only)
}

// benchData describes the seeded database.
type benchData struct {
	Path          string
	Questionnaire *survey.Questionnaire
	Rounds        []survey.Round // oldest first; the last is open
	Current       survey.Round
	New           []benchResp // open round, not begun: the journeys
	Drafts        []benchResp // open round, saved as draft: the save phases
	Counts        []map[survey.ResponseStatus]int
	AnswerRows    int
	ChangeRows    int
	AdminEmail    string
	AdminPassword string
	SeedTime      time.Duration
}

// BenchSeed fills a new database at path.
//
// Exported for package main's end-to-end tests.
func BenchSeed(ctx context.Context, path string, sealer *auth.Sealer, n int, now time.Time) (*benchData, error) {
	start := time.Now()
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	system := survey.Actor{Kind: "system", Label: "Bench"}
	d := &benchData{Path: path, AdminEmail: "bench@bedarf.example", AdminPassword: auth.NewPassword()}
	if _, err := st.CreateUser(ctx, d.AdminEmail, "Bench-Verwaltung", store.RoleAdmin, d.AdminPassword, system); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(2026, 9))
	if err := st.UpsertKommunen(ctx, benchKommunen(rng, n)); err != nil {
		return nil, err
	}
	v, err := st.AddQuestionnaire(ctx, "yaml", survey.DefaultQuestionnaireYAML(), system)
	if err != nil {
		return nil, err
	}
	if d.Questionnaire, err = st.Questionnaire(ctx, v.ID); err != nil {
		return nil, err
	}
	ks, err := st.Kommunen(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(ks))
	for i, k := range ks {
		ids[i] = k.ID
	}
	berlin := now.In(survey.Berlin())
	today := time.Date(berlin.Year(), berlin.Month(), berlin.Day(), 0, 0, 0, 0, time.UTC)
	var resps [][]survey.Response
	for i := range 3 {
		opens := today.AddDate(i-2, 0, -14)
		nr := store.NewRound{QuestionnaireID: v.ID, Title: fmt.Sprintf("Bundesweite Bedarfsabfrage %d", opens.Year()),
			OpensOn: opens, Deadline: opens.AddDate(0, 0, 28), Status: survey.RoundClosed, KommuneIDs: ids}
		if i == 2 {
			nr.Status = survey.RoundOpen
		}
		id, err := st.CreateRound(ctx, nr, system)
		if err != nil {
			return nil, err
		}
		// Every round gets its default scenario now, so that no page
		// measured later writes it on first view.
		if _, err := st.Scenarios(ctx, id, benchDefaultParams()); err != nil {
			return nil, err
		}
		r, err := st.Round(ctx, id)
		if err != nil {
			return nil, err
		}
		rs, err := st.Responses(ctx, id)
		if err != nil {
			return nil, err
		}
		d.Rounds = append(d.Rounds, r)
		resps = append(resps, rs)
	}
	d.Current = d.Rounds[2]
	if err := st.Close(); err != nil {
		return nil, err
	}
	if err := benchBulk(ctx, d, resps, sealer, rng); err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	d.SeedTime = time.Since(start)
	return d, nil
}

// Shares of the responses per round: closed rounds are mostly submitted,
// the open one is under way.
var benchShares = [3]struct{ submitted, draft float64 }{{0.92, 0.03}, {0.94, 0.03}, {0.65, 0.10}}

// benchBulk writes the answers of all rounds and the links of the open
// round in a few large transactions on a handle of its own
// (synchronous(OFF): seeding is not measured), then checkpoints the WAL.
func benchBulk(ctx context.Context, d *benchData, resps [][]survey.Response, sealer *auth.Sealer, rng *rand.Rand) error {
	db, err := store.OpenBulk(d.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	qn := d.Questionnaire
	for ri, rs := range resps {
		round := d.Rounds[ri]
		counts := map[survey.ResponseStatus]int{}
		const batch = 1000
		for from := 0; from < len(rs); from += batch {
			tx, err := db.Begin(ctx)
			if err != nil {
				return err
			}
			for _, r := range rs[from:min(from+batch, len(rs))] {
				status := survey.StatusNew
				switch x := rng.Float64(); {
				case x < benchShares[ri].submitted:
					status = survey.StatusSubmitted
				case x < benchShares[ri].submitted+benchShares[ri].draft:
					status = survey.StatusDraft
				}
				counts[status]++
				br := benchResp{ID: r.ID, Kommune: r.Kommune}
				if ri == 2 {
					br.Token = auth.NewToken()
					tx.Token(r.ID, auth.Hash(br.Token), sealer.Seal(br.Token), benchStamp(round.OpensOn))
				}
				if status == survey.StatusNew {
					if ri == 2 {
						d.New = append(d.New, br)
					}
					continue
				}
				kr := rand.New(rand.NewPCG(uint64(r.Kommune.ID), uint64(ri)))
				form := BenchForm(kr, r.Kommune, ri)
				mode := survey.Submit
				if status == survey.StatusDraft {
					form = benchPartial(qn, form, 3+kr.IntN(3))
					mode = survey.Draft
				}
				res := qn.Check(form, mode)
				if !res.OK() {
					tx.Rollback()
					return fmt.Errorf("synthetic answers of %s invalid: %v", r.Kommune.AGS, res.Errors)
				}
				at := round.OpensOn.Add(time.Duration(kr.IntN(27*24)) * time.Hour)
				stamp := benchStamp(at)
				by := "Kommune " + r.Kommune.Name
				for k, a := range res.Answers {
					var num, text any
					if a.Valid() {
						if a.HasNum {
							num = a.Num
						}
						text = a.Text
					}
					tx.Answer(r.ID, k.Question, k.Item, num, text, a.Raw, a.Valid())
					d.AnswerRows++
					d.ChangeRows++
				}
				tx.Revision(r.ID, stamp, by)
				action, submitted := "response.save", any(nil)
				if status == survey.StatusSubmitted {
					action, submitted = "response.submit", stamp
				}
				tx.Audit(stamp, by, action, round.ID, r.Kommune.ID, fmt.Sprintf("Revision 1, %d Angaben geändert", len(res.Answers)))
				if err := tx.SetResponse(ctx, r.ID, status, stamp, by, submitted); err != nil {
					tx.Rollback()
					return err
				}
				if ri == 2 && status == survey.StatusDraft {
					br.Form = form
					d.Drafts = append(d.Drafts, br)
				}
			}
			if err := tx.Commit(ctx); err != nil {
				return err
			}
		}
		d.Counts = append(d.Counts, counts)
	}
	return db.Checkpoint(ctx)
}

func benchStamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// benchKommunen makes n Kommunen with centres across Germany's bounding box
// (lat 47.3–55, lon 5.9–15), populations spread like Germany's (most of
// them small, a few large cities) and plausible names.
func benchKommunen(rng *rand.Rand, n int) []survey.Kommune {
	pre := []string{"", "", "", "Bad ", "Neu", "Alt", "Ober", "Nieder", "Groß ", "Klein ", "Sankt ", "Hohen"}
	root := []string{"Wiesen", "Linden", "Eichen", "Buchen", "Rosen", "Berg", "Wald", "Mühl", "Stein", "Hagen", "Brunn", "Kirch", "Rothen", "Falken", "Lauter", "Schön"}
	suf := []string{"dorf", "stadt", "hausen", "feld", "berg", "heim", "ingen", "burg", "bach", "au", "rode", "stedt", "beck", "furt"}
	where := []string{"", "", "", "", " am Main", " an der Weser", " im Harz", " (Westf.)", " bei Hannover", " am See"}
	ks := make([]survey.Kommune, n)
	for i := range ks {
		pop := int(math.Exp(7.9 + 1.25*rng.NormFloat64()))
		pop = min(max(pop, 60), 3_800_000)
		kind := "Gemeinde"
		if pop > 20000 || rng.IntN(12) == 0 {
			kind = "Stadt"
		}
		name := pre[rng.IntN(len(pre))] + root[rng.IntN(len(root))] + suf[rng.IntN(len(suf))] + where[rng.IntN(len(where))]
		land := 1 + i*16/n
		ks[i] = survey.Kommune{
			AGS: fmt.Sprintf("%02d%06d", land, i+1), Name: name, Kind: kind,
			Lat: 47.3 + rng.Float64()*(55-47.3), Lon: 5.9 + rng.Float64()*(15-5.9),
			Population: pop, PopulationYear: 2024,
		}
	}
	return ks
}

// BenchForm returns a complete, valid set of answers to the default
// questionnaire for Kommune k in round ri, as form values typed the way
// people type them (German numbers, some thousands separators, free texts
// of a few sentences, optional fields sometimes left empty).
//
// Exported for package main's end-to-end tests.
func BenchForm(rng *rand.Rand, k survey.Kommune, ri int) map[string][]string {
	growth := 1 + 0.08*float64(ri) + 0.1*rng.NormFloat64()
	people := max(3, int(float64(k.Population)*(0.004+0.012*rng.Float64())*growth))
	num := func(v int) []string {
		if v >= 1000 && rng.IntN(3) == 0 {
			return []string{survey.FormatNumberDE(float64(v))}
		}
		return []string{strconv.Itoa(v)}
	}
	dec := func(v float64) []string { return []string{survey.FormatInputDE(math.Round(v*2) / 2)} }
	pick := func(xs ...string) []string { return []string{xs[rng.IntN(len(xs))]} }
	first := []string{"Anna", "Jonas", "Maria", "Lukas", "Sabine", "Murat", "Katrin", "Thomas", "Leyla", "Stefan"}
	last := []string{"Schmidt", "Meyer", "Yılmaz", "Becker", "Hoffmann", "Schulz", "Wagner", "Krüger", "Nowak", "Richter"}
	fn, ln := first[rng.IntN(len(first))], last[rng.IntN(len(last))]
	fte := math.Max(0.5, float64(people)/(60+rng.Float64()*90))
	persons := int(math.Ceil(fte)) + rng.IntN(3)
	places := people*2/3 + rng.IntN(people/4+2)
	since := people*2 + rng.IntN(people+1)
	f := map[string][]string{
		"q.kontakt_name":         {fn + " " + ln},
		"q.kontakt_funktion":     pick("Fachbereichsleitung Soziales", "Koordination Flüchtlingssozialarbeit", "Sachgebietsleitung Integration", "Integrationsbeauftragte"),
		"q.kontakt_email":        {strings.ToLower(fn) + "." + strings.ToLower(strings.ReplaceAll(ln, "ı", "i")) + "@gemeinde-" + k.AGS + ".example"},
		"q.betreute_gu":          num(people * 2 / 3),
		"q.betreute_privat":      num(people - people*2/3),
		"q.zugang_seit_2015":     num(since),
		"q.zugang_5_jahre":       num(since/2 + rng.IntN(since/2+1)),
		"q.erwartet_12_monate":   num(int(float64(people) * (0.9 + 0.3*rng.Float64()))),
		"q.unterkuenfte":         num(1 + people/90),
		"q.plaetze":              num(places),
		"q.plaetze_belegt":       num(places * (70 + rng.IntN(31)) / 100),
		"q.fachkraefte_personen": num(persons),
		"q.fachkraefte_vzae":     dec(fte),
		"q.befristet_vzae":       dec(fte * rng.Float64() * 0.6),
		"q.anstellungstraeger":   pick("kommune", "traeger", "beide"),
		"q.belastung_gesamt":     pick("2", "3", "3", "4", "4", "4", "5"),
	}
	if rng.IntN(2) == 0 {
		f["q.kontakt_telefon"] = []string{fmt.Sprintf("0%d %d-%d", 30+rng.IntN(9900), 100+rng.IntN(900), 10+rng.IntN(90))}
	}
	if rng.IntN(3) == 0 {
		f["q.offene_stellen_vzae"] = dec(rng.Float64() * 2)
	}
	for _, row := range []string{"fallzahl", "komplexitaet", "trauma", "konflikte", "verwaltung"} {
		f["q.belastung_faktoren."+row] = pick("2", "3", "3", "4", "4", "5")
	}
	text := func(min, max int) []string {
		var b strings.Builder
		for b.Len() < min+rng.IntN(max-min+1) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(benchSentences[rng.IntN(len(benchSentences))])
		}
		return []string{b.String()}
	}
	if rng.IntN(3) > 0 {
		f["q.belastung_anmerkungen"] = text(80, 600)
	}
	if rng.IntN(2) == 0 {
		f["q.supervision_vorhanden"] = []string{"ja"}
		f["q.supervision_vorhanden_format"] = []string{"gruppe", "fallberatung", "einzel", "team"}[:1+rng.IntN(3)]
		f["q.supervision_vorhanden_haeufigkeit"] = pick("monatlich", "sechswoechentlich", "quartal", "bedarf")
	} else {
		f["q.supervision_vorhanden"] = []string{"nein"}
	}
	group := rng.IntN(persons + 1)
	if rng.IntN(5) == 0 {
		group = 0
	}
	f["q.supervision_gruppe_personen"] = num(group)
	f["q.supervision_einzel_personen"] = num(rng.IntN(persons/2 + 1))
	f["q.fallberatung_personen"] = num(rng.IntN(persons + 1))
	if group > 0 {
		f["q.supervision_haeufigkeit"] = pick("monatlich", "sechswoechentlich", "sechswoechentlich", "quartal")
		f["q.supervision_format"] = pick("vor_ort", "vor_ort", "nachbar", "online", "egal")
		f["q.supervision_zeiten"] = []string{"vormittag", "nachmittag", "abend"}[rng.IntN(2) : 2+rng.IntN(2)]
	}
	if rng.IntN(2) == 0 {
		f["q.supervision_themen"] = text(60, 400)
	}
	for _, m := range []string{"asylrecht", "ausbildung_arbeit", "gesundheit", "trauma"} {
		f["q.fortbildung_teilnehmende."+m] = num(rng.IntN(persons + 1))
	}
	if rng.IntN(3) == 0 {
		f["q.fortbildung_weitere"] = text(40, 300)
	}
	extra := float64(rng.IntN(5)) / 2
	f["q.zusaetzliche_stellen_vzae"] = dec(extra)
	if extra > 0 {
		f["q.foerderung_gewuenscht"] = num(int(extra * 72000))
	}
	if rng.IntN(4) == 0 {
		f["q.finanzierung_anmerkungen"] = text(40, 300)
	}
	f["q.vernetzung_interesse"] = pick("ja", "ja", "nein")
	if rng.IntN(4) == 0 {
		f["q.vernetzung_anmerkungen"] = text(40, 200)
	}
	return f
}

var benchSentences = []string{
	"Die Fallzahlen sind im letzten Jahr deutlich gestiegen.",
	"Viele Familien warten seit Monaten auf eine eigene Wohnung.",
	"Die Stellen sind befristet, was die Gewinnung von Fachkräften erschwert.",
	"Konflikte in den Gemeinschaftsunterkünften binden viel Zeit.",
	"Wir wünschen uns regelmäßige Fallberatung mit externer Begleitung.",
	"Der Verwaltungsaufwand für Anträge und Nachweise hat zugenommen.",
	"Für traumatisierte Klientinnen und Klienten fehlen Therapieplätze.",
	"Die Zusammenarbeit mit den Ehrenamtlichen läuft gut.",
	"Ein Austausch mit Nachbarkommunen wäre hilfreich.",
	"Sprachmittlung ist nur eingeschränkt verfügbar.",
}

// benchPartial keeps the answers of the first n sections of a form: a
// draft that stopped there.
func benchPartial(qn *survey.Questionnaire, form map[string][]string, n int) map[string][]string {
	keep := map[string]bool{}
	for i, sec := range qn.Sections {
		if i >= n {
			break
		}
		for _, q := range sec.Questions {
			keep[q.ID] = true
		}
	}
	out := map[string][]string{}
	for field, vs := range form {
		id, _, _ := strings.Cut(strings.TrimPrefix(field, "q."), ".")
		if keep[id] {
			out[field] = vs
		}
	}
	return out
}

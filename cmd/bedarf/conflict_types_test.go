package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// typesQuestionnaire has one question of every type that takes an answer
// (a note takes none), none required but one number, which the race with
// a submit needs.
const typesQuestionnaire = `id: alle-typen
title: Alle Fragetypen
sections:
  - id: s
    title: Fragen
    questions:
      - {id: t_text, type: text, label: Text}
      - {id: t_long, type: long_text, label: Langtext}
      - {id: t_int, type: integer, label: Ganzzahl}
      - {id: t_dec, type: decimal, label: Dezimalzahl}
      - {id: t_date, type: date, label: Datum}
      - id: t_single
        type: single_choice
        label: Einfachauswahl
        choices:
          - {value: a, label: "Option A"}
          - {value: b, label: "Option B"}
          - {value: c, label: "Option C"}
      - id: t_likert
        type: likert
        label: Skala
        choices:
          - {value: "1", label: "wenig"}
          - {value: "2", label: "mittel"}
          - {value: "3", label: "viel"}
      - {id: t_yesno, type: yes_no, label: JaNein}
      - id: t_multi
        type: multiple_choice
        label: Zeiten
        choices:
          - {value: vormittag, label: "vormittags"}
          - {value: nachmittag, label: "nachmittags"}
          - {value: abend, label: "abends"}
      - id: t_matrix
        type: matrix
        label: Belastung
        choices:
          - {value: "1", label: "gering"}
          - {value: "2", label: "mittel"}
          - {value: "3", label: "hoch"}
        rows:
          - {value: r1, label: "Zeile eins"}
          - {value: r2, label: "Zeile zwei"}
      - id: t_items
        type: item_numbers
        label: Module
        items:
          - {value: i1, label: "Modul eins"}
          - {value: i2, label: "Modul zwei"}
      - {id: t_note, type: note, label: Hinweis}
      - {id: t_pflicht, type: integer, label: Pflichtzahl, required: true}
`

// typeCase is how the race test changes a question of one type: the
// fields (units) it edits and the values it picks from; few values, so
// that equal and different choices both happen often.
type typeCase struct {
	typ    survey.Type
	fields []string   // one per unit the test edits: matrix rows and items are two
	values [][]string // possible values of a field; nil = cleared
}

func typeCases() []typeCase {
	one := func(vs ...string) [][]string {
		out := [][]string{nil}
		for _, v := range vs {
			out = append(out, []string{v})
		}
		return out
	}
	var subsets [][]string
	codes := []string{"vormittag", "nachmittag", "abend"}
	for m := range 8 {
		var s []string
		for i, c := range codes {
			if m&(1<<i) != 0 {
				s = append(s, c)
			}
		}
		subsets = append(subsets, s)
	}
	return []typeCase{
		{survey.Text, []string{"q.t_text"}, one("Alpha", "Beta", "Gamma")},
		{survey.LongText, []string{"q.t_long"}, one("Zeile eins", "Zeile zwei", "Zeile drei")},
		{survey.Integer, []string{"q.t_int"}, one("1", "2", "3")},
		{survey.Decimal, []string{"q.t_dec"}, one("1,5", "2,5", "3")},
		{survey.Date, []string{"q.t_date"}, one("2026-01-01", "2026-02-01", "2026-03-01")},
		{survey.SingleChoice, []string{"q.t_single"}, one("a", "b", "c")},
		{survey.Likert, []string{"q.t_likert"}, one("1", "2", "3")},
		{survey.YesNo, []string{"q.t_yesno"}, one("ja", "nein")},
		{survey.MultipleChoice, []string{"q.t_multi"}, subsets},
		{survey.Matrix, []string{"q.t_matrix.r1", "q.t_matrix.r2"}, one("1", "2", "3")},
		{survey.ItemNumbers, []string{"q.t_items.i1", "q.t_items.i2"}, one("1", "2", "3")},
	}
}

// typesRig is the real server on :0 with one Kommune invited to a round
// of typesQuestionnaire, its link, and a signed-in admin.
type typesRig struct {
	st      *store.Store
	qn      *survey.Questionnaire
	base    string
	link    string
	entry   string // the admin's entry form for the Kommune
	resp    int64
	admin   *browser
	roundID int64
	kommune string
}

func startTypesRig(t *testing.T) *typesRig {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	sealer, err := auth.LoadOrCreateKey(filepath.Join(dir, "key"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "typen.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	system := survey.Actor{Kind: "system", Label: "Test"}
	if _, err := st.ImportKommunen(ctx, []survey.Kommune{{AGS: "03241001", Name: "Musterstadt", Kind: "Stadt", Lat: 52.4, Lon: 9.7}}, system); err != nil {
		t.Fatal(err)
	}
	ks, err := st.Kommunen(ctx)
	if err != nil || len(ks) != 1 {
		t.Fatalf("Kommunen: %v, %d", err, len(ks))
	}
	v, err := st.AddQuestionnaire(ctx, "yaml", []byte(typesQuestionnaire), system)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	rid, err := st.CreateRound(ctx, store.NewRound{QuestionnaireID: v.ID, Title: "Typen", OpensOn: today.AddDate(0, 0, -1),
		Deadline: today.AddDate(0, 0, 28), Status: survey.RoundOpen, KommuneIDs: []int64{ks[0].ID}}, system)
	if err != nil {
		t.Fatal(err)
	}
	resps, err := st.Responses(ctx, rid)
	if err != nil || len(resps) != 1 {
		t.Fatalf("responses: %v", err)
	}
	token, err := st.IssueToken(ctx, resps[0].ID, sealer, system)
	if err != nil {
		t.Fatal(err)
	}
	const email, password = "admin@typen.example", "typen-typen-typen-42"
	if _, err := st.CreateUser(ctx, email, "Verwaltung", store.RoleAdmin, password, system); err != nil {
		t.Fatal(err)
	}
	qn, err := st.Questionnaire(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	base := serveStore(t, st, sealer)
	r := &typesRig{st: st, qn: qn, base: base, link: base + "/k/" + token, resp: resps[0].ID, roundID: rid, kommune: "03241001"}
	r.entry = fmt.Sprintf("%s/verwaltung/runden/%d/kommunen/%s/erfassen", base, rid, r.kommune)
	r.admin = signIn(t, base, email, password)
	return r
}

// serveStore runs the real server on the store on a loopback port until
// the test ends and returns its address.
func serveStore(t *testing.T, st *store.Store, sealer *auth.Sealer) string {
	t.Helper()
	srv, err := web.New(st, sealer, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{BaseURL: "http://bedarf.test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// signIn returns a browser signed in as the staff user.
func signIn(t *testing.T, base, email, password string) *browser {
	t.Helper()
	b := newBrowser(t, base)
	if code, body, _ := b.post(base+"/anmelden", url.Values{"email": {email}, "passwort": {password}}); code != http.StatusSeeOther {
		t.Fatalf("login: %d\n%.300s", code, body)
	}
	return b
}

// kommuneClient opens the Kommune's link in a new browser.
func (r *typesRig) kommuneClient(t *testing.T) *browser {
	t.Helper()
	b := newBrowser(t, r.base)
	if code, _, _ := b.get(r.link); code != http.StatusSeeOther {
		t.Fatalf("link: %d", code)
	}
	return b
}

// stored returns the stored raw values of a field's unit, sorted.
func (r *typesRig) stored(t *testing.T, field string) []string {
	t.Helper()
	_, ans, err := r.st.Response(context.Background(), r.resp)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := web.KeyOfField(r.qn, field)
	if !ok {
		t.Fatalf("no field %s", field)
	}
	vals := r.qn.UnitRaws(ans, k)
	slices.Sort(vals)
	return vals
}

// raceClient is one side of a trial: the Kommune in a browser, or staff on
// the entry form.
type raceClient struct {
	name   string
	b      *browser
	url    string // the form's address (GET and POST)
	staff  bool
	form   url.Values
	want   []string // the value this client sets
	field  string
	action string // the button: "speichern" unless set
}

func (c *raceClient) load() error {
	resp, err := c.b.c.Get(c.url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: GET %d", c.name, resp.StatusCode)
	}
	c.form, err = parsePageForm(string(body))
	return err
}

// send posts the client's form and returns the status and page; a staff
// save that is stored answers 303.
func (c *raceClient) send() (int, string, error) {
	c.form.Set("aktion", cmp.Or(c.action, "speichern"))
	req, _ := http.NewRequest(http.MethodPost, c.url, strings.NewReader(c.form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.b.origin)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.b.c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), nil
}

// stored reports whether a response code means "saved".
func (c *raceClient) saved(code int) bool {
	if c.staff {
		return code == http.StatusSeeOther
	}
	return code == http.StatusOK
}

// display is how the conflict view shows values of a field.
func display(qn *survey.Questionnaire, field string, vals []string) string {
	if len(vals) == 0 {
		return "(leer)"
	}
	k, _ := web.KeyOfField(qn, field)
	q := qn.Question(k.Question)
	var out []string
	switch q.Type {
	case survey.MultipleChoice:
		for _, ch := range q.Choices {
			if slices.Contains(vals, ch.Value) {
				out = append(out, ch.Label)
			}
		}
	case survey.SingleChoice, survey.Likert, survey.Matrix:
		out = []string{q.ChoiceLabel(vals[0])}
	case survey.YesNo:
		out = []string{map[string]string{"ja": "Ja", "nein": "Nein"}[vals[0]]}
	default:
		out = vals
	}
	return strings.Join(out, ", ")
}

func sorted(vs []string) []string {
	out := slices.Clone(vs)
	slices.Sort(out)
	return out
}

// TestConflictsEveryTypeRandomInterleavings: for every question type that
// takes an answer, two clients (two Kommune browsers, or staff entering
// on the Kommune's behalf against the Kommune) load the form, each
// changes the same question (for matrix and per-item numbers a row or item,
// often the same) and saves, in a random interleaving of the four steps or
// with both saves at the same moment. After every acknowledged save the
// stored answer is exactly what the acknowledged saves chose, whole: a
// multiple-choice question is never a mixture of both selections. A save
// over a colleague's different change of the same question is answered 409
// with both values as labels and stores nothing until the person chooses.
func TestConflictsEveryTypeRandomInterleavings(t *testing.T) {
	trials := 200 // per type: 100 between two Kommune browsers, 100 staff against the Kommune
	if testing.Short() {
		trials = 40
	}
	r := startTypesRig(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	for i, tc := range typeCases() {
		t.Run(string(tc.typ), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			k1, k2 := r.kommuneClient(t), r.kommuneClient(t)
			conflicts, concurrent := 0, 0
			for trial := range trials {
				a := &raceClient{name: "Anna", b: k1, url: r.base + "/fragebogen"}
				if trial%2 == 1 {
					a = &raceClient{name: "Verwaltung", b: r.admin, url: r.entry, staff: true}
				}
				b := &raceClient{name: "Ben", b: k2, url: r.base + "/fragebogen"}
				for _, c := range []*raceClient{a, b} {
					c.field = tc.fields[rng.IntN(len(tc.fields))]
					c.want = tc.values[rng.IntN(len(tc.values))]
				}
				c, ok := runTrial(t, r, tc, rng, a, b)
				if !ok {
					t.Fatalf("trial %d failed (seed %d)", trial, seed)
				}
				conflicts += c.conflicts
				if c.concurrent {
					concurrent++
				}
			}
			t.Logf("%d trials, %d with both saves at once, %d conflicts", trials, concurrent, conflicts)
			if conflicts == 0 {
				t.Error("no conflict happened: the test did not exercise them")
			}
		})
	}
}

type trialStats struct {
	conflicts  int
	concurrent bool
}

// runTrial runs one interleaving of a's and b's load and save and checks
// every outcome against a model of what must be stored.
func runTrial(t *testing.T, r *typesRig, tc typeCase, rng *rand.Rand, a, b *raceClient) (trialStats, bool) {
	t.Helper()
	var st trialStats
	model := map[string][]string{}
	for _, f := range tc.fields {
		model[f] = r.stored(t, f)
	}
	seen := map[*raceClient]map[string][]string{} // the model when the client loaded
	load := func(c *raceClient) bool {
		if err := c.load(); err != nil {
			t.Error(err)
			return false
		}
		seen[c] = map[string][]string{}
		for f, v := range model {
			seen[c][f] = v
		}
		c.form.Del(c.field)
		for _, v := range c.want {
			c.form.Add(c.field, v)
		}
		return true
	}
	check := func(when string) bool {
		for _, f := range tc.fields {
			if got := r.stored(t, f); !slices.Equal(got, sorted(model[f])) {
				t.Errorf("%s: %s stored %q, want %q (%s wants %q, %s wants %q)", when, f, got, sorted(model[f]), a.name, a.want, b.name, b.want)
				return false
			}
		}
		return true
	}
	// changed: the client changes its field relative to what it loaded.
	changed := func(c *raceClient) bool { return !slices.Equal(sorted(seen[c][c.field]), sorted(c.want)) }
	// outcome checks one save's answer given the model before it and
	// settles a conflict; it updates the model.
	// verify: check the stored answers against the model (not between two
	// saves sent at once, which are both stored by then).
	outcome := func(c *raceClient, code int, page string, verify bool) bool {
		conflict := changed(c) && !slices.Equal(sorted(model[c.field]), sorted(seen[c][c.field])) &&
			!slices.Equal(sorted(model[c.field]), sorted(c.want))
		switch {
		case conflict && code == http.StatusConflict:
		case conflict:
			t.Errorf("%s saved %s = %q over a colleague's %q (loaded %q): got %d, want 409", c.name, c.field, c.want, model[c.field], seen[c][c.field], code)
			return false
		case c.saved(code):
			if changed(c) {
				model[c.field] = c.want
			}
			return !verify || check(c.name+"'s save")
		default:
			t.Errorf("%s saved %s = %q: got %d, want success: %.300s", c.name, c.field, c.want, code, page)
			return false
		}
		st.conflicts++
		for _, want := range []string{"Gleichzeitige Änderungen", `name="konflikte" value="` + c.field + `"`,
			"<strong>" + display(r.qn, c.field, c.want) + "</strong>", "<strong>" + display(r.qn, c.field, model[c.field]) + "</strong>"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s's 409 page (%s: mine %q, stored %q) lacks %q", c.name, c.field, c.want, model[c.field], want)
				return false
			}
		}
		if strings.Count(page, `name="konflikte"`) != 1 {
			t.Errorf("%s's 409 page lists %d conflicts, want 1", c.name, strings.Count(page, `name="konflikte"`))
			return false
		}
		if !check(c.name + "'s refused save") {
			return false
		}
		f, err := parsePageForm(page)
		if err != nil {
			t.Error(err)
			return false
		}
		c.form = f
		choice := "theirs"
		if rng.IntN(2) == 0 {
			choice = "mine"
		}
		c.form.Set("konflikt."+c.field, choice)
		code, page, err = c.send()
		if err != nil || !c.saved(code) {
			t.Errorf("%s chose %s: got %d (%v): %.300s", c.name, choice, code, err, page)
			return false
		}
		if choice == "mine" {
			model[c.field] = c.want
		}
		return check(c.name + " chose " + choice)
	}
	save := func(c *raceClient) bool {
		code, page, err := c.send()
		if err != nil {
			t.Error(err)
			return false
		}
		return outcome(c, code, page, true)
	}
	switch rng.IntN(7) {
	case 6: // both load, then both save at the same moment
		st.concurrent = true
		if !load(a) || !load(b) {
			return st, false
		}
		type answer struct {
			code int
			page string
			err  error
		}
		var wg sync.WaitGroup
		answers := make([]answer, 2)
		start := make(chan struct{})
		for i, c := range []*raceClient{a, b} {
			wg.Go(func() {
				<-start
				code, page, err := c.send()
				answers[i] = answer{code, page, err}
			})
		}
		close(start)
		wg.Wait()
		for _, an := range answers {
			if an.err != nil {
				t.Error(an.err)
				return st, false
			}
		}
		// The server took them one after the other: the one refused with
		// 409 came second; if neither was, either order must explain it.
		first, second := 0, 1
		if answers[0].code == http.StatusConflict {
			first, second = 1, 0
		}
		cs := []*raceClient{a, b}
		if answers[first].code == http.StatusConflict {
			t.Errorf("both saves at once were refused: %d and %d", answers[0].code, answers[1].code)
			return st, false
		}
		return st, outcome(cs[first], answers[first].code, answers[first].page, false) && outcome(cs[second], answers[second].code, answers[second].page, true)
	default: // one of the six orders of the four steps, each client loading before saving
		steps := []*raceClient{a, a, b, b}
		rng.Shuffle(len(steps), func(i, j int) { steps[i], steps[j] = steps[j], steps[i] })
		done := map[*raceClient]bool{}
		for _, c := range steps {
			ok := false
			if done[c] {
				ok = save(c)
			} else {
				done[c] = true
				ok = load(c)
			}
			if !ok {
				return st, false
			}
		}
	}
	return st, true
}

// TestSaveLosingRaceToSubmit: the Kommune submits while a colleague saves
// or submits too, or while staff save a draft on its behalf, mostly at the
// same moment, otherwise one after the other, 100 times each. Whoever loses
// the race to a submit gets a 409 page that says nothing was saved and
// shows what they typed, never a bare error page, and nothing of theirs is
// stored. A submitted answer is always complete: staff's draft that
// cleared a required answer never lands in it, and a submit that merges a
// colleague's cleared required answer stays a draft (422).
func TestSaveLosingRaceToSubmit(t *testing.T) {
	r := startTypesRig(t)
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	k1, k2 := r.kommuneClient(t), r.kommuneClient(t)
	for i, staff := range []bool{false, true} {
		t.Run([]string{"two Kommune browsers", "staff draft against the Kommune"}[i], func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, uint64(16+i)))
			lost, late, merged := 0, 0, 0
			for trial := range 100 {
				r.reopen(t)
				a := &raceClient{name: "Anna", b: k1, url: r.base + "/fragebogen", field: "q.t_int", want: []string{fmt.Sprint(100 + trial)}, action: "absenden"}
				b := &raceClient{name: "Ben", b: k2, url: r.base + "/fragebogen", field: "q.t_text", want: []string{fmt.Sprintf("Eingabe %d", trial)},
					action: []string{"speichern", "absenden"}[rng.IntN(2)]}
				if staff {
					b = &raceClient{name: "Verwaltung", b: r.admin, url: r.entry, staff: true, field: "q.t_text", want: b.want, action: "speichern"}
				}
				for _, c := range []*raceClient{a, b} {
					if err := c.load(); err != nil {
						t.Fatal(err)
					}
					c.form.Set(c.field, c.want[0])
				}
				if staff {
					b.form.Del("q.t_pflicht") // a draft may leave out a required answer
				}
				codes, pages := map[*raceClient]int{}, map[*raceClient]string{}
				if rng.IntN(4) > 0 {
					var wg sync.WaitGroup
					var mu sync.Mutex
					errs := make(chan error, 2)
					start := make(chan struct{})
					for _, c := range []*raceClient{a, b} {
						wg.Go(func() {
							<-start
							code, page, err := c.send()
							if err != nil {
								errs <- err
							}
							mu.Lock()
							codes[c], pages[c] = code, page
							mu.Unlock()
						})
					}
					close(start)
					wg.Wait()
					close(errs)
					for err := range errs {
						t.Fatal(err)
					}
				} else {
					order := []*raceClient{a, b}
					rng.Shuffle(2, func(i, j int) { order[i], order[j] = order[j], order[i] })
					for _, c := range order {
						code, page, err := c.send()
						if err != nil {
							t.Fatal(err)
						}
						codes[c], pages[c] = code, page
					}
				}
				for _, c := range []*raceClient{a, b} {
					code, page := codes[c], pages[c]
					stored := r.stored(t, c.field)
					switch {
					case c.saved(code), code == http.StatusSeeOther && c.action == "absenden":
						if !slices.Equal(stored, c.want) {
							t.Errorf("trial %d: %s's %s was acknowledged (%d), stored is %q", trial, c.name, c.action, code, stored)
						}
					case code == http.StatusUnprocessableEntity && c.action == "absenden" && staff:
						// Staff's draft, merged in, left out the required answer:
						// kept as a draft, the page says what is missing.
						merged++
						if !slices.Equal(stored, c.want) || !strings.Contains(page, "Bitte beantworten Sie diese Frage.") {
							t.Errorf("trial %d: %s's submit kept as a draft: stored %q, or the message is missing", trial, c.name, stored)
						}
					case code == http.StatusConflict, code == http.StatusUnprocessableEntity && c.staff:
						// Lost: 409, or for staff whose POST came after the submit
						// the 422 of a correction that must stay complete.
						lost++
						notice, typed := "Ihre Angaben wurden nicht gespeichert", c.want[0]
						switch {
						case c.staff && code == http.StatusConflict:
							late++
							notice, typed = "Die Kommune hat die Antwort inzwischen eingereicht", `value="`+c.want[0]+`"`
						case c.staff:
							notice, typed = "Die Antwort ist eingereicht und muss vollständig und gültig bleiben", `value="`+c.want[0]+`"`
						}
						for _, want := range []string{notice, typed} {
							if !strings.Contains(page, want) {
								t.Fatalf("trial %d: %s's %s lost the race to a submit: the 409 page lacks %q:\n%.600s", trial, c.name, c.action, want, page)
							}
						}
						if slices.Equal(stored, c.want) {
							t.Errorf("trial %d: %s's refused %s was stored", trial, c.name, c.action)
						}
					default:
						t.Fatalf("trial %d: %s's %s: got %d: %.300s", trial, c.name, c.action, code, page)
					}
				}
				resp, ans, err := r.st.Response(ctx, r.resp)
				if err != nil {
					t.Fatal(err)
				}
				if resp.Status == survey.StatusSubmitted && !r.qn.ReCheck(ans, survey.Submit).OK() {
					t.Fatalf("trial %d: the submitted answer is incomplete: %v", trial, r.qn.ReCheck(ans, survey.Submit).Errors)
				}
				if !staff && resp.Status != survey.StatusSubmitted {
					t.Fatalf("trial %d: after a submit the response is %q", trial, resp.Status)
				}
			}
			t.Logf("100 races, %d saves or submits lost to a submit (staff: %d between loading and writing), %d submits kept as drafts", lost, late, merged)
			if lost == 0 {
				t.Error("no save lost the race: the test did not exercise it")
			}
		})
	}
}

// reopen makes the response editable with the required answer given, as
// staff would by handing it back.
func (r *typesRig) reopen(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	system := survey.Actor{Kind: "staff", Label: "Verwaltung"}
	resp, ans, err := r.st.Response(ctx, r.resp)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status == survey.StatusSubmitted {
		if err := r.st.ReturnResponse(ctx, r.resp, "Bitte noch einmal prüfen.", system); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := ans[survey.Key{Question: "t_pflicht"}]; !ok {
		form := r.qn.FormValues(ans)
		form["q.t_pflicht"] = []string{"7"}
		if _, err := r.st.SaveResponse(ctx, store.Save{ResponseID: r.resp, BaseRevision: resp.Revision, Answers: r.qn.Check(form, survey.Draft).Answers,
			Actor: system, ByStaff: true, Questionnaire: r.qn}); err != nil {
			t.Fatal(err)
		}
	}
}

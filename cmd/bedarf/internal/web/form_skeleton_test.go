package web

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
)

// The old renderer of the questionnaire page: the form template
// (templates/form.html with the layout and the partials), executed by
// html/template. The skeleton must write exactly its bytes.

// formRenderers holds the template sets and the skeletons.
type formRenderers struct {
	pages *renderer
	forms *formSkeletons
}

func newFormRenderers(tb testing.TB) *formRenderers {
	tb.Helper()
	pages, err := NewRenderer()
	if err != nil {
		tb.Fatal(err)
	}
	return &formRenderers{pages: pages, forms: newFormSkeletons()}
}

// both renders the page with the template and with the skeleton.
func (r *formRenderers) both(tb testing.TB, d PageData, p formPage) (old, skel []byte) {
	tb.Helper()
	qlang := r.pages.qlang(cmp.Or(d.QLang, questionnaireLang))
	t, err := r.pages.page(d.Lang, qlang, formPageName)
	if err != nil {
		tb.Fatal(err)
	}
	d.Page = p
	var a, b bytes.Buffer
	if err := t.Execute(&a, d); err != nil {
		tb.Fatalf("template: %v", err)
	}
	if err := r.forms.get(p.Questionnaire, d.Lang, qlang).write(&b, &d, &p); err != nil {
		tb.Fatalf("skeleton: %v", err)
	}
	return a.Bytes(), b.Bytes()
}

// firstDifference describes where two pages part, with context.
func firstDifference(old, skel []byte) string {
	i := 0
	for i < len(old) && i < len(skel) && old[i] == skel[i] {
		i++
	}
	from := max(0, i-300)
	return fmt.Sprintf("the pages differ at byte %d of %d/%d\n--- template:\n%s\n--- skeleton:\n%s",
		i, len(old), len(skel), old[from:min(len(old), i+200)], skel[from:min(len(skel), i+200)])
}

// markSet records, for each field of the struct v (and, to depth, of
// the structs in it but Kommune and time), whether it is set.
func markSet(varied map[string]bool, prefix string, v reflect.Value, depth int) {
	for i := range v.NumField() {
		f, name := v.Field(i), prefix+"."+v.Type().Field(i).Name
		if name == "PageData.Page" {
			continue // the formPage, marked on its own
		}
		varied[name] = varied[name] || !f.IsZero()
		if f.Kind() == reflect.Struct && depth > 0 && f.Type() != reflect.TypeFor[time.Time]() && f.Type() != reflect.TypeFor[survey.Kommune]() {
			markSet(varied, name, f, depth-1)
		}
	}
}

// hostileValues are values a field can hold: valid ones and everything
// that must be escaped or could confuse a renderer. Broken UTF-8 and NUL
// are refused upstream (the limits of the form), but the skeleton must
// still escape them as the template does.
var hostileValues = []string{
	"", "0", "12", "1.234,5", "-3", "2,5", "ja", "nein", "2026-12-08", "2026-02-30",
	`"quoted" and 'single'`, `"><script>alert(1)</script>`, "a & b &amp; c &#34;", "1+1=2",
	"=SUM(A1:A9)", "+49 511 616-0", "@cmd|' /C calc'!A0", "-2+3", "\u202eevil\u202c right-to-left",
	"\u2067isolate\u2069 עברית العربية", "line1\nline2\r\nline3", "tab\there", "\x00nul", "broken \xff\xfe\xc3 utf8",
	"emoji 🙂 and ß", "\ufdd0\uffff\ufffd", strings.Repeat("long text ", 1200), "%41%zz#frag?q=1", "</textarea><b>",
}

func pick(rng *rand.Rand, vs []string) string { return vs[rng.IntN(len(vs))] }

// randomForm fills the questionnaire's fields: each either empty, a valid
// choice or a hostile value.
func randomForm(rng *rand.Rand, qn *survey.Questionnaire, fixed *string) map[string][]string {
	form := map[string][]string{}
	value := func(codes []survey.Choice) string {
		if fixed != nil {
			return *fixed
		}
		if len(codes) > 0 && rng.IntN(3) > 0 {
			return codes[rng.IntN(len(codes))].Value
		}
		return pick(rng, hostileValues)
	}
	for _, q := range qn.Questions() {
		head := survey.Key{Question: q.ID}.Field()
		switch q.Type {
		case survey.Note:
		case survey.MultipleChoice:
			for range rng.IntN(len(q.Choices) + 2) {
				form[head] = append(form[head], value(q.Choices))
			}
		case survey.Matrix, survey.ItemNumbers:
			for _, it := range q.Items {
				if rng.IntN(4) > 0 {
					form[survey.Key{Question: q.ID, Item: it.Value}.Field()] = []string{value(q.Choices)}
				}
			}
		case survey.YesNo:
			form[head] = []string{value([]survey.Choice{{Value: "ja"}, {Value: "nein"}})}
		default:
			if rng.IntN(5) > 0 {
				form[head] = []string{value(q.Choices)}
			}
		}
	}
	return form
}

// pageCase is one page: its model and the page data around it.
type pageCase struct {
	d PageData
	p formPage
}

// randomPage builds a page of the questionnaire from a random form, in
// the locale, with everything that varies per request varied: errors
// (draft and submit checks), conflicts, notices, status, deadline, the
// organisation, staff, the language switch's path.
func randomPage(tb testing.TB, rng *rand.Rand, qn *survey.Questionnaire, l i18n.Lang, fixed *string) pageCase {
	tb.Helper()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	s := &Server{Now: func() time.Time { return now }}
	text := func() string {
		if fixed != nil {
			return *fixed
		}
		return pick(rng, hostileValues)
	}
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodGet, "/fragebogen", nil)
	if rng.IntN(3) == 0 {
		c.Request.AddCookie(&http.Cookie{Name: editorCookie, Value: "Anna+%22Schmidt%22"})
	}
	c.Set(langKey, l)
	round := survey.Round{ID: 1, QuestionnaireID: 1, Title: text(), OpensOn: now.AddDate(0, -1, 0), Deadline: now.AddDate(0, 0, rng.IntN(60)-20),
		Status: survey.RoundOpen, CreatedAt: now.AddDate(0, -2, 0)}
	if rng.IntN(6) == 0 {
		round.Status = survey.RoundClosed
	}
	statuses := []survey.ResponseStatus{survey.StatusNew, survey.StatusDraft, survey.StatusDraft, survey.StatusSubmitted, survey.StatusReturned}
	resp := survey.Response{ID: rng.Int64N(100000), RoundID: 1, Status: statuses[rng.IntN(len(statuses))], Revision: rng.IntN(40),
		Kommune: survey.Kommune{AGS: "03241001", Name: text()}, UpdatedBy: text(), ReturnMessage: text()}
	if rng.IntN(4) > 0 {
		resp.UpdatedAt = now.Add(-time.Duration(rng.IntN(1e6)) * time.Second)
	}
	if resp.Status == survey.StatusSubmitted {
		resp.SubmittedAt = now.Add(-time.Hour)
	}
	form := randomForm(rng, qn, fixed)
	mode := survey.Draft
	if rng.IntN(2) == 0 {
		mode = survey.Submit
	}
	if rng.IntN(5) == 0 {
		// Nothing typed yet: a draft without errors.
		form, mode = map[string][]string{}, survey.Draft
	}
	res := qn.Check(form, mode)
	if rng.IntN(4) == 0 {
		// The page's GET: stored answers back to form values.
		form, res = qn.FormValues(res.Answers), qn.ReCheck(res.Answers, mode)
	}
	p := s.FormPage(c, round, qn, resp, form, res)
	if rng.IntN(3) == 0 {
		p.Notice = text()
	}
	if rng.IntN(6) == 0 {
		p.Unsaved, p.Notice = true, text()
	}
	if rng.IntN(4) == 0 {
		var cs []survey.Conflict
		for _, q := range qn.Questions() {
			if q.Type != survey.Note && rng.IntN(5) == 0 {
				k := survey.Key{Question: q.ID}
				if len(q.Items) > 0 {
					k.Item = q.Items[rng.IntN(len(q.Items))].Value
				}
				cs = append(cs, survey.Conflict{Key: k, Mine: []string{text()}, Their: []string{text(), text()}, By: text()})
			}
		}
		p.Conflicts = conflictViews(l, qn, cs)
	}
	if rng.IntN(5) == 0 {
		p.Submitted = true
		p.Receipt = receiptOf(resp, round, qn, p.Sections)
	}
	if rng.IntN(4) == 0 {
		p.Editor = text()
	}
	if rng.IntN(3) == 0 {
		p.ResultsReleased = true // the link to the released results (report.go)
	}
	d := PageData{Title: qn.Title, Lang: l, QLang: qn.Lang, Path: "/fragebogen?antwort=2&ags=" + text()}
	if rng.IntN(5) > 0 {
		d.OrgSet = true
		d.Org = survey.Organisation{Office: text(), Body: "Region Hannover", Contact: "E-Mail: a@b.example\n" + text()}
		if rng.IntN(3) == 0 {
			d.Org.Contact = ""
		}
	}
	switch rng.IntN(8) {
	case 0:
		d.Staff = &staffInfo{Name: text(), Admin: true}
	case 1:
		d.Staff = &staffInfo{Name: text()}
	case 2:
		d.KeepsInput = true
	}
	if rng.IntN(10) == 0 {
		d.Title = text()
	}
	if rng.IntN(5) == 0 {
		// Not shown on this page today: set, so that the comparison sees
		// it if the layout ever shows them.
		d.Message, d.Email = text(), text()
		d.Org.Address, d.Org.Signature = text(), text()
	}
	return pageCase{d: d, p: p}
}

// allTypesYAML has a question of every type, with help, units, required
// marks, formats, conditions true and false, and labels that need
// escaping.
const allTypesYAML = `id: alle-typen
title: "Alle Typen & \"Zeichen\" <test> + mehr"
intro: "Einleitung mit <b>Markup</b> & 'Zitaten' + Plus"
lists:
  skala:
    - {value: "1", label: "gering <1>"}
    - {value: "2", label: "mittel & mehr"}
    - {value: "3", label: "hoch \"3\""}
sections:
  - id: a
    title: "Abschnitt A & <B>"
    description: "Beschreibung 'mit' \"Zeichen\" + \u202eRTL"
    questions:
      - {id: hinweis, type: note, label: "Ein Hinweis <wichtig> & +"}
      - {id: name, type: text, label: "Name", required: true, help: "Vor- und Nachname"}
      - {id: mail, type: text, label: "E-Mail", format: email}
      - {id: tel, type: text, label: "Telefon", format: tel, max_length: 30}
      - {id: lang, type: long_text, label: "Anmerkungen", help: "Alles & jedes", max_length: 500}
      - {id: zahl, type: integer, label: "Anzahl", unit: "Personen <pro Jahr>", min: 0, max: 100, required: true}
      - {id: dez, type: decimal, label: "Stellen", unit: VZÄ, help: "z. B. 2,5"}
      - {id: datum, type: date, label: "Stichtag", required: true, help: "TT.MM.JJJJ"}
      - {id: jn, type: yes_no, label: "Gibt es das?", required: true}
      - {id: folge, type: integer, label: "Wie viele?", relevant: "${jn} = 'ja'", required: true}
      - {id: folge_text, type: text, label: "Warum nicht?", relevant: "${jn} = 'nein'"}
  - id: b
    title: Abschnitt B
    questions:
      - id: einfach
        type: single_choice
        label: "Eine Wahl"
        help: "Bitte eine"
        required: true
        choices:
          - {value: x, label: "Ix & <x>"}
          - {value: y, label: "Ypsilon"}
      - id: mehrfach
        type: multiple_choice
        label: "Mehrere"
        relevant: "${jn} = 'ja'"
        choices:
          - {value: m1, label: "Eins"}
          - {value: m2, label: "Zwei + drei"}
      - {id: likert, type: likert, label: "Wie sehr?", scale: skala, required: true}
      - id: matrix
        type: matrix
        label: "Matrix & Zeilen"
        help: "Je Zeile eine Stufe"
        scale: skala
        required: true
        rows:
          - {value: r1, label: "Zeile <1>"}
          - {value: r2, label: "Zeile \"2\""}
      - id: posten
        type: item_numbers
        label: "Posten"
        unit: "€"
        min: 0
        max: 50
        required: true
        items:
          - {value: p1, label: "Posten & 1"}
          - {value: p2, label: "Posten 2"}
      - id: posten_ohne
        type: item_numbers
        label: "Posten ohne Einheit"
        items:
          - {value: q1, label: "Eins"}
`

// comparisonQuestionnaires are the default questionnaire, one of every
// type, and the example XLSForms (shared/data, copied to survey/testdata).
func comparisonQuestionnaires(tb testing.TB) map[string]*survey.Questionnaire {
	tb.Helper()
	qns := map[string]*survey.Questionnaire{}
	def, err := survey.ParseYAML("fragebogen.yaml", survey.DefaultQuestionnaireYAML())
	if err != nil {
		tb.Fatal(err)
	}
	qns["default"] = def
	all, err := survey.ParseYAML("alle.yaml", []byte(allTypesYAML))
	if err != nil {
		tb.Fatal(err)
	}
	qns["all types"] = all
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "..", "survey", "testdata", "xlsform", "*.xlsx"))
	if len(files) < 6 {
		tb.Fatalf("found %d example XLSForms, want the 6 of shared/data", len(files))
	}
	// Two files import once their refused rows are changed as the
	// import's messages say (as survey's TestParseXLSFormRealFilesFixed
	// does); loop.xlsx is refused whole (repeat groups), so no form shows it.
	fixes := map[string]func(*excelize.File) error{
		"case_insensitivity.xlsx": func(f *excelize.File) error {
			return errors.Join(f.RemoveRow("SURVEY", 4), f.RemoveRow("SURVEY", 3))
		},
		"group.xlsx": func(f *excelize.File) error { return f.SetCellValue("survey", "A4", "text") },
	}
	for _, file := range files {
		name := filepath.Base(file)
		f, err := excelize.OpenFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		if fix := fixes[name]; fix != nil {
			if err := fix(f); err != nil {
				tb.Fatal(err)
			}
		}
		buf, err := f.WriteToBuffer()
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
		qn, err := survey.ParseXLSForm(name, buf)
		if err != nil {
			tb.Logf("%s does not parse (the import refuses it): %v", name, err)
			continue
		}
		qns[name] = qn
	}
	return qns
}

// TestFormSkeletonMatchesTemplate: for the default questionnaire, one of
// every type and the example XLSForms, in both languages, the skeleton
// writes byte for byte what the template writes, over random pages with
// and without errors, conflicts, notices, conditions true and false, and
// hostile values everywhere a value can go.
func TestFormSkeletonMatchesTemplate(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	r := newFormRenderers(t)
	qns := comparisonQuestionnaires(t)
	if len(qns) < 7 {
		t.Fatalf("only %d questionnaires to compare", len(qns))
	}
	types := map[survey.Type]bool{}
	varied := map[string]bool{} // the page data's fields seen set
	for name, qn := range qns {
		for _, l := range i18n.Langs {
			t.Run(name+"/"+l.Code(), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(len(name)), uint64(len(l.Code()))))
				n := 40
				if name == "default" || name == "all types" {
					n = 120
				}
				seen := map[string]bool{}
				for i := range n {
					pc := randomPage(t, rng, qn, l, nil)
					old, skel := r.both(t, pc.d, pc.p)
					if !bytes.Equal(old, skel) {
						t.Fatalf("page %d: %s", i, firstDifference(old, skel))
					}
					for _, sv := range pc.p.Sections {
						for _, qv := range sv.Questions {
							types[qv.Q.Type] = true
							if qv.Q.Relevant != nil {
								seen[fmt.Sprint("hidden ", qv.Hidden)] = true
							}
							seen[fmt.Sprint("error ", qv.Error != "")] = true
						}
					}
					markSet(varied, "PageData", reflect.ValueOf(pc.d), 1)
					markSet(varied, "formPage", reflect.ValueOf(pc.p), 1)
					seen[fmt.Sprint("editable ", pc.p.Editable)] = true
					seen[fmt.Sprint("conflicts ", len(pc.p.Conflicts) > 0)] = true
					seen[fmt.Sprint("error list ", len(pc.p.ErrorList) > 0)] = true
					seen[fmt.Sprint("results link ", pc.p.ResultsReleased)] = true
				}
				want := []string{"error true", "error false", "editable true", "editable false", "conflicts true", "conflicts false", "error list true", "error list false", "results link true", "results link false"}
				if qn.HasConditions() {
					want = append(want, "hidden true", "hidden false")
				}
				for _, w := range want {
					if !seen[w] {
						t.Errorf("no page with %s among %d: the comparison misses a case", w, n)
					}
				}
			})
		}
	}
	// Every field of the page data, and of its response, round and
	// organisation, is set on some page: a field added to them (and
	// shown by the template) is compared too, or this fails.
	for name, set := range varied {
		if !set {
			t.Errorf("no compared page sets %s: vary it in randomPage", name)
		}
	}
	for _, ty := range []survey.Type{survey.SingleChoice, survey.MultipleChoice, survey.Integer, survey.Decimal, survey.Text, survey.LongText,
		survey.YesNo, survey.Date, survey.Likert, survey.Matrix, survey.ItemNumbers, survey.Note} {
		if !types[ty] {
			t.Errorf("no question of type %s compared", ty)
		}
	}
}

// TestRenderFormUsesSkeleton: the page the server sends for "form" (Render
// with the organisation, the locale and the path of the request) is the
// template's page, and a page model that does not fit its questionnaire
// is refused with a 500 instead of written wrongly.
func TestRenderFormUsesSkeleton(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	pages, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	s := &Server{Pages: pages, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Org: OrgCache{Loaded: true, Set: true, Org: survey.DemoOrganisation()}}
	qns := comparisonQuestionnaires(t)
	r := newFormRenderers(t)
	for _, l := range i18n.Langs {
		for _, name := range []string{"default", "all types"} {
			qn := qns[name]
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodGet, "/fragebogen?antwort=2&ags=%22%3C", nil)
			c.Set(langKey, l)
			round := survey.Round{ID: 1, Title: "Runde", Deadline: now.AddDate(0, 1, 0), Status: survey.RoundOpen}
			resp := survey.Response{ID: 7, Status: survey.StatusDraft, Revision: 3, Kommune: survey.Kommune{Name: "Hannover"}}
			res := qn.Check(map[string][]string{"q.zahl": {"-1"}, "q.jn": {"ja"}}, survey.Submit)
			p := s.FormPage(c, round, qn, resp, qn.FormValues(res.Answers), res)
			d := PageData{Title: qn.Title, Page: p, QLang: qn.Lang}
			s.Render(c, http.StatusUnprocessableEntity, "form", d)
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("%s %s: status %d", name, l, w.Code)
			}
			d.Lang, d.Path, d.Org, d.OrgSet = l, c.Request.URL.RequestURI(), survey.DemoOrganisation(), true
			old, _ := r.both(t, d, p)
			if !bytes.Equal(old, w.Body.Bytes()) {
				t.Errorf("%s %s: %s", name, l, firstDifference(old, w.Body.Bytes()))
			}
		}
	}
	// A page model of another questionnaire: refused.
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/fragebogen", nil)
	p := s.FormPage(c, survey.Round{}, qns["default"], survey.Response{}, nil, survey.Result{})
	p.Sections = p.Sections[1:]
	s.Render(c, http.StatusOK, "form", PageData{Page: p})
	if w.Code != http.StatusInternalServerError {
		t.Errorf("a page model without its first section: status %d, want 500", w.Code)
	}
}

// TestFormSkeletonCache: one skeleton per questionnaire and languages,
// reused; the cache stays within its bound; concurrent pages agree.
func TestFormSkeletonCache(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	fs := newFormSkeletons()
	qn, err := survey.ParseYAML("alle.yaml", []byte(allTypesYAML))
	if err != nil {
		t.Fatal(err)
	}
	a := fs.get(qn, i18n.DE, "de")
	if fs.get(qn, i18n.DE, "de") != a {
		t.Error("the same questionnaire and languages compiled twice")
	}
	if fs.get(qn, i18n.EN, "de") == a || fs.get(qn, i18n.DE, "en") == a {
		t.Error("another language got the German skeleton")
	}
	for range maxFormSkeletons + 5 {
		other, err := survey.ParseYAML("alle.yaml", []byte(allTypesYAML))
		if err != nil {
			t.Fatal(err)
		}
		fs.get(other, i18n.DE, "de")
	}
	if len(fs.m) > maxFormSkeletons || len(fs.order) != len(fs.m) {
		t.Errorf("cache holds %d skeletons (order %d), bound %d", len(fs.m), len(fs.order), maxFormSkeletons)
	}
	// Concurrent use (run with -race in CI): pages written at once agree
	// with the template.
	r := newFormRenderers(t)
	rng := rand.New(rand.NewPCG(7, 7))
	cases := make([]pageCase, 8)
	want := make([][]byte, len(cases))
	for i := range cases {
		cases[i] = randomPage(t, rng, qn, i18n.Langs[i%2], nil)
		want[i], _ = r.both(t, cases[i].d, cases[i].p)
	}
	shared := newFormSkeletons()
	errs := make(chan string, len(cases))
	for i := range cases {
		go func() {
			pc := cases[i]
			var b bytes.Buffer
			if err := shared.get(qn, pc.d.Lang, "de").write(&b, &pc.d, &pc.p); err != nil {
				errs <- err.Error()
				return
			}
			if !bytes.Equal(b.Bytes(), want[i]) {
				errs <- firstDifference(want[i], b.Bytes())
				return
			}
			errs <- ""
		}()
	}
	for range cases {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// FuzzFormSkeleton feeds one value into every field and text of the page
// (and random page states) through both renderers, and the value alone
// through the skeleton's escapers against html/template's own in text,
// attribute, textarea and URL fragment.
func FuzzFormSkeleton(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v, uint64(len(v)))
	}
	r := newFormRenderers(f)
	qn, err := survey.ParseYAML("alle.yaml", []byte(allTypesYAML))
	if err != nil {
		f.Fatal(err)
	}
	contexts := template.Must(template.New("c").Parse(`<p title="{{.}}">{{.}}</p><textarea>{{.}}</textarea><a href="#{{.}}">`))
	gin.SetMode(gin.ReleaseMode)
	f.Fuzz(func(t *testing.T, v string, seed uint64) {
		var want bytes.Buffer
		if err := contexts.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		got.WriteString(`<p title="`)
		writeEscaped(&got, v)
		got.WriteString(`">`)
		writeEscaped(&got, v)
		got.WriteString(`</p><textarea>`)
		got.Write(appendEscaped(nil, v))
		got.WriteString(`</textarea><a href="#`)
		writeURLEscaped(&got, v)
		got.WriteString(`">`)
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Fatalf("escaping %q:\ntemplate %q\nskeleton %q", v, want.Bytes(), got.Bytes())
		}
		rng := rand.New(rand.NewPCG(seed, 1))
		l := i18n.Langs[seed%2]
		pc := randomPage(t, rng, qn, l, &v)
		old, skel := r.both(t, pc.d, pc.p)
		if !bytes.Equal(old, skel) {
			t.Fatalf("value %q: %s", v, firstDifference(old, skel))
		}
	})
}

// BenchmarkFormSkeleton writes the default questionnaire's page with a
// complete draft and a few errors, on the same page model: "template"
// executes the form template, "skeleton" writes it from its skeleton.
func BenchmarkFormSkeleton(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	r := newFormRenderers(b)
	qn, err := survey.ParseYAML("fragebogen.yaml", survey.DefaultQuestionnaireYAML())
	if err != nil {
		b.Fatal(err)
	}
	pc := randomPage(b, rand.New(rand.NewPCG(3, 4)), qn, i18n.DE, nil)
	qlang := r.pages.qlang(questionnaireLang)
	t, err := r.pages.page(i18n.DE, qlang, formPageName)
	if err != nil {
		b.Fatal(err)
	}
	pc.d.Page = pc.p
	b.Run("template", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var buf bytes.Buffer
			if err := t.Execute(&buf, pc.d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("skeleton", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var buf bytes.Buffer
			buf.Grow(formPageSize)
			if err := r.forms.get(qn, i18n.DE, qlang).write(&buf, &pc.d, &pc.p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

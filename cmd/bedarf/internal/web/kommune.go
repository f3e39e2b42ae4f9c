package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// editorCookie remembers, per browser, the name a person gave as editor.
const editorCookie = "bedarf_name"

// formPage is the Kommune's questionnaire page.
type formPage struct {
	Response      survey.Response
	Round         survey.Round
	Questionnaire *survey.Questionnaire
	Sections      []sectionView
	Editable      bool
	Closed        bool // the deadline has passed or the round is closed
	DaysLeft      int
	Editor        string
	Notice        string
	ErrorList     []errorLink
	Conflicts     []conflictView
	Unsaved       bool         // the storage refused the save: the notice is an error (503)
	Submitted     bool         // just submitted: show the receipt
	Receipt       *receiptView // its summary (public_pages.go)
	// ResultsReleased: the round's results are released, the page links
	// to them (report.go).
	ResultsReleased bool
}

type sectionView struct {
	ID, Title, Description string
	Questions              []questionView
}

// questionView is a question on the form, with everything its inputs need
// worked out once here: the question partial (templates/partials.html)
// runs for every question of every form view and save, and html/template
// calls each function and comparison through reflection.
type questionView struct {
	Q        *survey.Question
	Field    string // form field name of single-valued questions
	InputID  string // id of the first input, for labels and the error summary
	Value    string
	Choices  []choiceView // the options' inputs (choice, Likert and yes/no questions)
	Items    []itemView
	Error    string
	Hidden   bool
	Relevant string // compiled condition as JSON for the page script
	Display  string // read-only rendering of the answer
	// DisplayLang is the language of Display when it is made of the
	// questionnaire's texts (options, rows, items, a unit): the
	// questionnaire's; empty when it is the interface's (yes, no) or the
	// Kommune's own words.
	DisplayLang string

	// How the form shows the question: one of the Is… flags is set, none
	// for a one-line text.
	IsNote, IsChoice, IsMatrix, IsItems, IsLongText, IsNumber, IsDate bool
	IsYesNo                                                           bool   // with IsChoice: "yes" and "no" in the interface's language
	IsMultiple                                                        bool   // with IsChoice: checkboxes instead of radio buttons
	InputMode                                                         string // number inputs: "numeric" or "decimal"
	// Describedby is the value of aria-describedby: the help and the
	// error message of the question, empty when it has neither.
	Describedby string
	// RequiredMark is the "required" marker in the page's language, empty
	// when the question is optional.
	RequiredMark string
}

// choiceView is one option's input: a radio button or checkbox.
type choiceView struct {
	ID, Value, Label string
	Checked          bool
}

type itemView struct {
	Code, Label string
	Field       string
	InputID     string
	Value       string
	Error       string
	ErrorID     string     // id of the row's or item's error message
	Cells       []cellView // a matrix row's radio buttons, one per option
}

// cellView is one radio button of a matrix row.
type cellView struct {
	ID, Value string
	Label     string // row and option, for the hidden label
	Checked   bool
}

type errorLink struct {
	Target  string
	Label   string
	Message string
}

type conflictView struct {
	Field string // radio name: "konflikt." + key field
	Label string
	Mine  string
	Their string
	By    string
}

// loadKommune fetches what the Kommune's pages need.
func (s *Server) loadKommune(c *gin.Context) (survey.Round, *survey.Questionnaire, survey.Response, survey.Answers, bool) {
	fs, qn, ok := s.loadKommuneState(c, -1)
	return fs.Round, qn, fs.Response, fs.Answers, ok
}

// loadKommuneState reads the Kommune's round (its own, later deadline
// counts), response and answers in one read (store.KommuneForm), with
// base ≥ 0 also the changes since that revision for the save, and the
// questionnaire (cached by the store). On failure it has answered.
func (s *Server) loadKommuneState(c *gin.Context, base int) (store.FormState, *survey.Questionnaire, bool) {
	ref := session(c).Token
	fs, err := s.St.KommuneForm(c.Request.Context(), ref.RoundID, ref.ResponseID, base)
	if err != nil {
		s.errorFor(c, err)
		return fs, nil, false
	}
	qn, err := s.St.Questionnaire(c.Request.Context(), fs.Round.QuestionnaireID)
	if err != nil {
		s.errorFor(c, err)
		return fs, nil, false
	}
	return fs, qn, true
}

func (s *Server) showForm(c *gin.Context) {
	round, qn, resp, ans, ok := s.loadKommune(c)
	if !ok {
		return
	}
	res := qn.ReCheck(ans, survey.Draft)
	page := s.FormPage(c, round, qn, resp, qn.FormValues(ans), res)
	page.Submitted = c.Query("eingereicht") == "1" && resp.Status == survey.StatusSubmitted
	if page.Submitted {
		page.Receipt = receiptOf(resp, round, qn, page.Sections)
	}
	if resp.Status == survey.StatusNew {
		page.ErrorList = nil
	}
	page.ResultsReleased = s.resultsReleased(c, round.ID)
	s.Render(c, http.StatusOK, "form", PageData{Title: qn.Title, Page: page, QLang: qn.Lang})
}

// saveForm saves a draft ("Zwischenspeichern") or submits ("Absenden").
// A draft keeps everything, valid or not; a submission with errors is kept
// as a draft and answered 422 with the messages.
func (s *Server) saveForm(c *gin.Context) { s.kommuneSave(c, false) }

// kommuneSave is the Kommune's save, answered with the page (saveForm) or,
// with bg, with the small JSON answer of a background save (autosave.go);
// a background save that does not land answers an error that makes the
// page send the form again in full, which then shows the page that keeps
// what was typed.
func (s *Server) kommuneSave(c *gin.Context, bg bool) {
	if bg {
		if !s.parseFormJSON(c) {
			return
		}
	} else if !s.parseForm(c) {
		return
	}
	form := c.Request.PostForm
	base, err := strconv.Atoi(form.Get("revision"))
	if err != nil || base < 0 {
		base = -1 // refused by saveAnswers
	}
	var fs store.FormState
	var qn *survey.Questionnaire
	var ok bool
	if bg {
		fs, qn, ok = s.loadKommuneStateJSON(c, base)
	} else {
		fs, qn, ok = s.loadKommuneState(c, base)
	}
	if !ok {
		return
	}
	round, resp, current := fs.Round, fs.Response, fs.Answers
	if id := form.Get("antwort"); id != "" && id != strconv.FormatInt(resp.ID, 10) {
		// The form was loaded with another link than the one this browser
		// is signed in with now: keep it, store nothing.
		if bg {
			s.autosaveRefused(c, http.StatusConflict, "form.notice.not_saved")
			return
		}
		s.kommuneSessionLost(c, http.StatusConflict, resumeView{Fields: keptFields(form, "", "link"), Mismatch: true})
		return
	}
	submit := form.Get("aktion") == "absenden"
	if bg && submit {
		s.autosaveRefused(c, http.StatusBadRequest, "error.bad_request.text")
		return
	}
	editor := strings.TrimSpace(form.Get("bearbeitung"))
	if utf8.RuneCountInString(editor) > 100 {
		editor = string([]rune(editor)[:100])
	}
	if editor != "" {
		http.SetCookie(c.Writer, &http.Cookie{Name: editorCookie, Value: url.QueryEscape(editor), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	}
	if !round.AcceptsAnswers(s.Now()) || !resp.Status.Editable() {
		if bg {
			s.autosaveRefused(c, http.StatusConflict, "form.notice.not_saved")
			return
		}
		s.notSaved(c, round, qn, resp, form)
		return
	}
	mode := survey.Draft
	if submit {
		mode = survey.Submit
	}
	actor := survey.Actor{Kind: "kommune", Label: editor}
	if actor.Label == "" {
		actor.Label = "Kommune " + resp.Kommune.Name
	}
	out, err := s.saveAnswers(c, saveRequest{qn: qn, resp: resp, current: current, form: form, mode: mode, submit: submit,
		actor: actor, roundMustAccept: true, keep: map[string]string{"bearbeitung": editor}, from: &fs})
	if bg {
		s.autosaveAnswer(c, round, qn, out, err)
		return
	}
	if s.unsaved(c, err) {
		page := unsavedPage(c, s.FormPage(c, round, qn, resp, form, qn.Check(form, survey.Draft)), form)
		s.Render(c, http.StatusServiceUnavailable, "form", PageData{Title: qn.Title, Page: page, QLang: qn.Lang})
		return
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if out.closed {
		s.notSaved(c, round, qn, out.resp, form)
		return
	}
	if out.conflicts != nil {
		page := s.FormPage(c, round, qn, out.resp, out.form, out.res)
		page.Conflicts = out.conflicts
		page.Notice = tr(c, "form.notice.conflict")
		s.Render(c, http.StatusConflict, "form", PageData{Title: qn.Title, Page: page, QLang: qn.Lang})
		return
	}
	if out.submitted {
		c.Redirect(http.StatusSeeOther, "/fragebogen?eingereicht=1")
		return
	}
	page := s.FormPage(c, round, qn, out.resp, out.form, out.res)
	status := http.StatusOK
	switch {
	case submit:
		status = http.StatusUnprocessableEntity
		page.Notice = tr(c, "form.notice.not_sent")
	default:
		page.Notice = s.savedNotice(c, out)
	}
	s.Render(c, status, "form", PageData{Title: qn.Title, Page: page, QLang: qn.Lang})
}

// savedNotice is the notice after a draft save.
func (s *Server) savedNotice(c *gin.Context, out saveResult) string {
	if !out.res.OK() {
		return tr(c, "form.notice.saved_invalid")
	}
	return tr(c, "form.notice.saved_at", lang(c).Clock(s.Now(), survey.Berlin()))
}

// notSaved answers a save the response no longer takes (submitted, also
// by a colleague a moment earlier, or past the deadline) with 409 and the
// typed values, so that nothing typed is lost.
func (s *Server) notSaved(c *gin.Context, round survey.Round, qn *survey.Questionnaire, resp survey.Response, form map[string][]string) {
	page := s.FormPage(c, round, qn, resp, form, qn.Check(form, survey.Draft))
	page.Notice = tr(c, "form.notice.not_saved")
	s.Render(c, http.StatusConflict, "form", PageData{Title: qn.Title, Page: page, QLang: qn.Lang})
}

// takeStored replaces a conflict's field of the form (a whole
// multiple-choice question) by the stored value.
func takeStored(qn *survey.Questionnaire, form map[string][]string, current survey.Answers, field string) {
	k, ok := KeyOfField(qn, field)
	if !ok {
		return
	}
	if vals := qn.UnitRaws(current, k); len(vals) > 0 {
		form[field] = vals
	} else {
		delete(form, field)
	}
}

// KeyOfField maps a field name back to its key ("q.id" or "q.id.item").
//
// Exported for package main's end-to-end tests.
func KeyOfField(qn *survey.Questionnaire, field string) (survey.Key, bool) {
	rest, ok := strings.CutPrefix(field, "q.")
	if !ok {
		return survey.Key{}, false
	}
	id, item, _ := strings.Cut(rest, ".")
	if qn.Question(id) == nil {
		return survey.Key{}, false
	}
	return survey.Key{Question: id, Item: item}, true
}

func conflictViews(l i18n.Lang, qn *survey.Questionnaire, cs []survey.Conflict) []conflictView {
	var out []conflictView
	for _, c := range cs {
		out = append(out, conflictView{
			Field: c.Key.Field(), Label: keyLabel(qn, c.Key),
			Mine: displayRaws(l, qn, c.Key, c.Mine), Their: displayRaws(l, qn, c.Key, c.Their), By: c.By,
		})
	}
	return out
}

// conflictFromField shows a conflict the person has not decided yet, from
// the form they sent and the stored answers.
func conflictFromField(l i18n.Lang, qn *survey.Questionnaire, form map[string][]string, current survey.Answers, field string) conflictView {
	k, _ := KeyOfField(qn, field)
	var mine []string
	for _, v := range form[field] {
		if v = strings.TrimSpace(v); v != "" {
			mine = append(mine, v)
		}
	}
	if q := qn.Question(k.Question); (q == nil || q.Type != survey.MultipleChoice) && len(mine) > 1 {
		mine = mine[:1]
	}
	return conflictView{Field: field, Label: keyLabel(qn, k), Mine: displayRaws(l, qn, k, mine), Their: displayRaws(l, qn, k, qn.UnitRaws(current, k))}
}

func keyLabel(qn *survey.Questionnaire, k survey.Key) string {
	q := qn.Question(k.Question)
	switch {
	case q == nil:
		return k.Question
	case k.Item != "":
		return q.Label + ": " + q.ItemLabel(k.Item)
	}
	return q.Label
}

// displayRaws shows the raw values of a unit as a person reads them: the
// labels of chosen options, in the order of the options for a
// multiple-choice question, or "(leer)".
func displayRaws(l i18n.Lang, qn *survey.Questionnaire, k survey.Key, raws []string) string {
	if len(raws) == 0 {
		return l.T("common.empty")
	}
	q := qn.Question(k.Question)
	if q == nil {
		return strings.Join(raws, ", ")
	}
	var labels []string
	if q.Type == survey.MultipleChoice {
		for _, ch := range q.Choices {
			if slices.Contains(raws, ch.Value) {
				labels = append(labels, ch.Label)
			}
		}
		for _, r := range raws {
			if !slices.ContainsFunc(q.Choices, func(ch survey.Choice) bool { return ch.Value == r }) {
				labels = append(labels, r)
			}
		}
		return strings.Join(labels, ", ")
	}
	for _, r := range raws {
		switch {
		case q.Type == survey.SingleChoice || q.Type == survey.Likert || q.Type == survey.Matrix:
			r = q.ChoiceLabel(r)
		case q.Type == survey.YesNo && r == "ja":
			r = l.T("common.yes")
		case q.Type == survey.YesNo && r == "nein":
			r = l.T("common.no")
		}
		labels = append(labels, r)
	}
	return strings.Join(labels, ", ")
}

// FormPage builds the page model from form values and the check result.
//
// Exported for package main's tests.
func (s *Server) FormPage(c *gin.Context, round survey.Round, qn *survey.Questionnaire, resp survey.Response, form map[string][]string, res survey.Result) formPage {
	now := s.Now()
	p := formPage{
		Response: resp, Round: round, Questionnaire: qn,
		Editable: round.AcceptsAnswers(now) && resp.Status.Editable(),
		Closed:   !round.AcceptsAnswers(now),
		DaysLeft: round.DaysLeft(now),
	}
	if ck, err := c.Request.Cookie(editorCookie); err == nil {
		if name, err := url.QueryUnescape(ck.Value); err == nil && utf8.ValidString(name) {
			p.Editor = name
		}
	}
	if name := strings.TrimSpace(c.Request.PostFormValue("bearbeitung")); name != "" {
		p.Editor = name
	}
	p.Sections, p.ErrorList = sectionViews(lang(c), qn, form, res)
	return p
}

// sectionViews builds the sections of the form from form values and the
// check result, and the error summary's links: for the page model
// (FormPage) and, with no values, for the skeleton (form_skeleton.go),
// which takes every static part of the form from them.
func sectionViews(l i18n.Lang, qn *survey.Questionnaire, form map[string][]string, res survey.Result) (secs []sectionView, errs []errorLink) {
	val := func(field string) string {
		if vs := form[field]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	required := l.T("common.required")
	for _, sec := range qn.Sections {
		sv := sectionView{ID: sec.ID, Title: sec.Title, Description: sec.Description}
		for _, q := range sec.Questions {
			head := survey.Key{Question: q.ID}
			qv := questionView{Q: q, Field: head.Field(), InputID: "f-" + q.ID, Value: val(head.Field()),
				Error: msgIn(l, res.Errors[head]), Hidden: res.Hidden[q.ID]}
			if q.Required {
				qv.RequiredMark = required
			}
			if q.Relevant != nil {
				if js, err := q.Relevant.MarshalJSON(); err == nil {
					qv.Relevant = string(js)
				}
			}
			switch q.Type {
			case survey.MultipleChoice:
				selected := form[head.Field()]
				qv.Choices = choiceViews(q, q.Choices, func(v string) bool { return slices.Contains(selected, v) })
				for _, ch := range q.Choices {
					if e := res.Errors[survey.Key{Question: q.ID, Item: ch.Value}]; e != nil && qv.Error == "" {
						qv.Error = msgIn(l, e)
					}
				}
				qv.InputID = "f-" + q.ID + "-" + firstCode(q.Choices)
			case survey.SingleChoice, survey.Likert, survey.YesNo:
				codes := q.Choices
				if q.Type == survey.YesNo {
					codes = []survey.Choice{{Value: "ja", Label: l.T("common.yes")}, {Value: "nein", Label: l.T("common.no")}}
				}
				qv.Choices = choiceViews(q, codes, func(v string) bool { return v == qv.Value })
				qv.InputID = "f-" + q.ID + "-" + firstCode(codes)
			case survey.Matrix, survey.ItemNumbers:
				for _, it := range q.Items {
					k := survey.Key{Question: q.ID, Item: it.Value}
					iv := itemView{Code: it.Value, Label: it.Label, Field: k.Field(), InputID: "f-" + q.ID + "-" + it.Value,
						Value: val(k.Field()), Error: msgIn(l, res.Errors[k]), ErrorID: "fehler-" + q.ID + "-" + it.Value}
					if q.Type == survey.Matrix {
						iv.Cells = make([]cellView, len(q.Choices))
						for i, ch := range q.Choices {
							iv.Cells[i] = cellView{ID: iv.InputID + "-" + ch.Value, Value: ch.Value, Label: it.Label + ": " + ch.Label, Checked: iv.Value == ch.Value}
						}
					}
					qv.Items = append(qv.Items, iv)
				}
				qv.InputID = "f-" + q.ID + "-" + q.Items[0].Value
				if q.Type == survey.Matrix {
					qv.InputID += "-" + firstCode(q.Choices)
				}
			}
			qv.setKind()
			qv.Display = displayAnswer(l, q, res.Answers)
			if q.Type != survey.YesNo && q.Type != survey.Text && q.Type != survey.LongText {
				qv.DisplayLang = qn.Lang
			}
			if !qv.Hidden {
				if qv.Error != "" {
					errs = append(errs, errorLink{Target: qv.InputID, Label: q.Label, Message: qv.Error})
				}
				for _, it := range qv.Items {
					if it.Error != "" {
						errs = append(errs, errorLink{Target: it.InputID, Label: q.Label + ": " + it.Label, Message: it.Error})
					}
				}
			}
			sv.Questions = append(sv.Questions, qv)
		}
		secs = append(secs, sv)
	}
	return secs, errs
}

// setKind sets how the form shows the question (the Is… flags, the
// input mode of numbers) and its aria-describedby from its type, help and
// error.
func (qv *questionView) setKind() {
	q := qv.Q
	switch q.Type {
	case survey.Note:
		qv.IsNote = true
	case survey.SingleChoice, survey.Likert, survey.YesNo, survey.MultipleChoice:
		qv.IsChoice, qv.IsYesNo, qv.IsMultiple = true, q.Type == survey.YesNo, q.Type == survey.MultipleChoice
	case survey.Matrix:
		qv.IsMatrix = true
	case survey.ItemNumbers:
		qv.IsItems = true
	case survey.LongText:
		qv.IsLongText = true
	case survey.Integer:
		qv.IsNumber, qv.InputMode = true, "numeric"
	case survey.Decimal:
		qv.IsNumber, qv.InputMode = true, "decimal"
	case survey.Date:
		qv.IsDate = true
	}
	switch {
	case qv.IsNote:
	case qv.IsChoice || qv.IsMatrix || qv.IsItems:
		// The fieldset: "hilfe-ID " and "fehler-ID", as they always were.
		if q.Help != "" {
			qv.Describedby = "hilfe-" + q.ID + " "
		}
		if qv.Error != "" {
			qv.Describedby += "fehler-" + q.ID
		}
	default:
		// The input: "hilfe-ID" and " fehler-ID".
		if q.Help != "" {
			qv.Describedby = "hilfe-" + q.ID
		}
		if qv.Error != "" {
			qv.Describedby += " fehler-" + q.ID
		}
	}
}

// choiceViews returns the inputs of a question's options.
func choiceViews(q *survey.Question, cs []survey.Choice, checked func(string) bool) []choiceView {
	out := make([]choiceView, len(cs))
	for i, ch := range cs {
		out[i] = choiceView{ID: "f-" + q.ID + "-" + ch.Value, Value: ch.Value, Label: ch.Label, Checked: checked(ch.Value)}
	}
	return out
}

func firstCode(cs []survey.Choice) string {
	if len(cs) == 0 {
		return ""
	}
	return cs[0].Value
}

// displayAnswer renders an answer as text for read-only pages.
func displayAnswer(l i18n.Lang, q *survey.Question, a survey.Answers) string {
	switch q.Type {
	case survey.Note:
		return ""
	case survey.MultipleChoice:
		var labels []string
		for _, ch := range q.Choices {
			if v, ok := a[survey.Key{Question: q.ID, Item: ch.Value}]; ok && v.Valid() {
				labels = append(labels, ch.Label)
			}
		}
		return strings.Join(labels, ", ")
	case survey.Matrix, survey.ItemNumbers:
		var parts []string
		for _, it := range q.Items {
			if v, ok := a[survey.Key{Question: q.ID, Item: it.Value}]; ok && v.Valid() {
				val := survey.FormatNumberDE(v.Num)
				if q.Type == survey.Matrix {
					val = q.ChoiceLabel(v.Text)
				}
				parts = append(parts, it.Label+": "+val)
			}
		}
		return strings.Join(parts, "; ")
	}
	v, ok := a[survey.Key{Question: q.ID}]
	if !ok || !v.Valid() {
		return ""
	}
	switch q.Type {
	case survey.Integer, survey.Decimal:
		s := survey.FormatNumberDE(v.Num)
		if q.Unit != "" {
			s += " " + q.Unit
		}
		return s
	case survey.SingleChoice, survey.Likert:
		return q.ChoiceLabel(v.Text)
	case survey.YesNo:
		if v.Text == "ja" {
			return l.T("common.yes")
		}
		return l.T("common.no")
	case survey.Date:
		if t, err := time.Parse(time.DateOnly, v.Text); err == nil {
			return t.Format("02.01.2006")
		}
	}
	return v.Text
}

package web

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
)

// The Kommune's questionnaire page ("form") is written from a skeleton:
// everything that depends only on the questionnaire version and the
// languages (the layout, the sections, labels, help, options, ids and
// attributes) is escaped and joined into byte segments once, and each
// request fills in the holes between them: values, checked options,
// messages (per field and the error summary), conflicts, the hidden state
// of questions under a condition, and the page's own lines (Kommune,
// round, status, notices). The bytes are exactly those the form template
// (templates/form.html with layout.html and partials.html) writes: the
// template is still parsed at start, as the reference of the comparison
// tests (form_skeleton_test.go) and the bench's older baseline
// (MeasureForm), and a change to it, to the layout or to the partials the
// form uses must be made here too: the comparison tests fail until it is.
//
// The template took ~0.85 ms of reflective calls per page and save; the
// skeleton writes the same 35 kB in ~0.04 ms (BenchmarkFormSkeleton).

// formSkeletons caches the compiled skeletons of the form page, per
// questionnaire version and languages; safe for concurrent use.
type formSkeletons struct {
	mu    sync.Mutex
	m     map[skeletonKey]*formSkeleton
	order []skeletonKey // oldest first, for eviction
}

// skeletonKey names one skeleton. The store hands out one parsed
// questionnaire per stored version (store.Questionnaire caches it), so
// the pointer names the version; it is also exact for questionnaires
// parsed elsewhere (tests), which all have version 0.
type skeletonKey struct {
	qn    *survey.Questionnaire
	lang  i18n.Lang
	qlang string
}

// maxFormSkeletons bounds the cache: a round uses one version in two
// languages; a few rounds and versions side by side fit many times over.
const maxFormSkeletons = 32

func newFormSkeletons() *formSkeletons {
	return &formSkeletons{m: map[skeletonKey]*formSkeleton{}}
}

// get returns the skeleton of the questionnaire in the languages,
// compiling it on first use (outside the lock: two requests may compile
// the same skeleton at once; one is kept).
func (fs *formSkeletons) get(qn *survey.Questionnaire, l i18n.Lang, qlang string) *formSkeleton {
	key := skeletonKey{qn, l, qlang}
	fs.mu.Lock()
	sk := fs.m[key]
	fs.mu.Unlock()
	if sk != nil {
		return sk
	}
	sk = compileForm(qn, l, qlang)
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if old := fs.m[key]; old != nil {
		return old
	}
	if len(fs.order) >= maxFormSkeletons {
		delete(fs.m, fs.order[0])
		fs.order = fs.order[1:]
	}
	fs.m[key] = sk
	fs.order = append(fs.order, key)
	return sk
}

// formSkeleton is the form page of one questionnaire version in one
// locale and questionnaire language.
type formSkeleton struct {
	qn    *survey.Questionnaire
	l     i18n.Lang
	qlang string
	// page runs from the doctype to the end; the editable form and the
	// read-only answers are written by the holes holeForm and
	// holeAnswers from their own segments.
	page, form, answers []segment
	// secs is the form's shape: the number of questions per section,
	// checked against each page model before it is written.
	secs []int
}

// segment is static bytes followed by a hole (holeNone: the end).
type segment struct {
	static []byte
	hole   hole
}

// hole is a place filled per request: its kind and, for the questions'
// holes, the section, question and option or row (item) and cell.
type hole struct {
	kind         holeKind
	sec, q, i, j int
	// before and after are a hole's own static text, written around its
	// value when it has one (the language switch).
	before, after string
}

type holeKind uint8

const (
	holeNone holeKind = iota
	// The layout and the page's lines.
	holeTitle      // PageData.Title
	holeBrand      // the organisation's name or the subtitle
	holeStaff      // the staff's navigation (never on a Kommune's form)
	holeLangSwitch // the language switch with the return path
	holeMeta       // organisation and contact, Kommune, round, deadline, status, last saved
	holeNotices    // receipt, returned, closed
	holeBody       // the editable form or the read-only answers
	// The editable form.
	holeNotice      // the notice (saved, not sent, conflict, unsaved)
	holeErrorList   // the error summary
	holeRevision    // the form's revision
	holeResponseID  // the response's id
	holeConflicts   // the fields a colleague changed meanwhile
	holeEditor      // the editor's name
	holeQError      // " has-error" on a question
	holeQHidden     // " hidden" on a question under a false condition
	holeQDescribed  // ` aria-describedby="…"` with the help and the error
	holeQErrorP     // the question's error message (a paragraph)
	holeQInvalid    // ` aria-invalid="true"`
	holeQValue      // the value of a one-field question
	holeChecked     // " checked" on option i
	holeRowError    // ` class="has-error"` on matrix row i
	holeRowErrSpan  // the error message of matrix row i
	holeCellChecked // " checked" on cell j of matrix row i
	holeRowDescr    // ` aria-describedby="…"` on the cells of matrix row i
	holeItemError   // " has-error" on item i
	holeItemErrorP  // the error message of item i
	holeItemValue   // the value of item i
	holeItemInvalid // ` aria-invalid="true" aria-describedby="…"` on item i
	// The read-only answers.
	holeReceiptLink // the link to the receipt of a submitted answer
	holeAnswer      // a question's answer as text (or nothing when hidden)
)

// skeletonBuilder joins static text into segments.
type skeletonBuilder struct {
	l    i18n.Lang
	segs []segment
	cur  []byte
}

// lit appends template text, «key» standing for {{t "key"}} (expand).
func (b *skeletonBuilder) lit(s string) { b.cur = append(b.cur, expand(b.l, s)...) }

// text appends data (a label, an id) escaped as the template escapes it.
func (b *skeletonBuilder) text(s string) { b.cur = appendEscaped(b.cur, s) }

// put appends template text in which each {} stands for the next of
// data, escaped (text), and «key» for a catalogue text (lit).
func (b *skeletonBuilder) put(s string, data ...string) {
	for _, d := range data {
		i := strings.Index(s, "{}")
		b.lit(s[:i])
		b.text(d)
		s = s[i+len("{}"):]
	}
	b.lit(s)
}

// hole ends the current segment with a hole.
func (b *skeletonBuilder) hole(h hole) {
	b.segs = append(b.segs, segment{static: b.cur, hole: h})
	b.cur = nil
}

// done returns the segments, the last without a hole.
func (b *skeletonBuilder) done() []segment {
	segs := append(b.segs, segment{static: b.cur})
	b.segs, b.cur = nil, nil
	return segs
}

// compileForm compiles the form page of the questionnaire (see the head
// of this file); each part follows its template line by line.
func compileForm(qn *survey.Questionnaire, l i18n.Lang, qlang string) *formSkeleton {
	sk := &formSkeleton{qn: qn, l: l, qlang: qlang}
	secs, _ := sectionViews(l, qn, nil, survey.Result{})
	for _, sv := range secs {
		sk.secs = append(sk.secs, len(sv.Questions))
	}
	b := skeletonBuilder{l: l}

	// layout.html, with form.html's "content" in <main>.
	b.put("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n", l.Code())
	b.lit(`<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>`)
	b.hole(hole{kind: holeTitle})
	b.lit(` – bedarf</title>
<link rel="stylesheet" href="/static/css/bedarf.css">
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
<script src="/static/js/conditions.js" defer></script>
<script src="/static/js/form.js" defer></script>
</head>
<body>
<a class="skip" href="#inhalt">«layout.skip»</a>
<header class="site">
  <div class="wrap">
    <a class="brand" href="/">bedarf <span>`)
	b.hole(hole{kind: holeBrand})
	b.lit("</span></a>\n    ")
	b.hole(hole{kind: holeStaff})
	b.lit("\n    ")
	b.hole(hole{kind: holeLangSwitch, before: `<form method="post" action="/sprache" class="inline lang-switch">
      <input type="hidden" name="zurueck" value="`,
		after: expand(l, `">
      <button type="submit" class="link" name="sprache" value="«layout.lang.switch_code»" lang="«layout.lang.switch_code»">«layout.lang.switch»</button>
    </form>`)})
	b.lit("\n  </div>\n</header>\n<main id=\"inhalt\" class=\"wrap\" tabindex=\"-1\">\n")
	b.put("\n\n<h1 lang=\"{}\">{}</h1>\n<dl class=\"meta\">\n  ", qlang, qn.Title)
	b.hole(hole{kind: holeMeta})
	b.lit("</dl>\n\n")
	b.hole(hole{kind: holeNotices})
	b.lit("\n\n")
	b.hole(hole{kind: holeBody})
	b.lit(`

</main>
<footer class="site">
  <div class="wrap">
    <p>«layout.footer»</p>
    <nav aria-label="«layout.footer.nav»"><ul class="footer-links">
      <li><a href="/barrierefreiheit">«layout.footer.a11y»</a></li>
      <li><a href="/datenschutz">«layout.footer.privacy»</a></li>
      <li><a href="/impressum">«layout.footer.imprint»</a></li>
    </ul></nav>
  </div>
</footer>
</body>
</html>
`)
	sk.page = b.done()

	// The editable form ({{if $p.Editable}}).
	b.lit("\n  ")
	b.hole(hole{kind: holeNotice})
	b.lit("\n  ")
	b.hole(hole{kind: holeErrorList})
	b.lit("\n  ")
	if qn.Intro != "" {
		b.put(`<div class="intro" lang="{}">{}</div>`, qlang, qn.Intro)
	}
	b.lit("\n  <p class=\"print-hint\"><a href=\"/fragebogen/leer\">«blank.link»</a></p>\n\n  ")
	if qn.HasConditions() {
		b.lit(`<noscript><p class="notice">«form.noscript_followups»</p></noscript>`)
	}
	b.lit(`
  <form id="fragebogen" method="post" action="/fragebogen" novalidate>
    <input type="hidden" name="revision" value="`)
	b.hole(hole{kind: holeRevision})
	b.lit("\">\n    <input type=\"hidden\" name=\"antwort\" value=\"")
	b.hole(hole{kind: holeResponseID})
	b.lit("\">\n    ")
	b.hole(hole{kind: holeConflicts})
	b.lit("\n    ")
	for si, sv := range secs {
		// partials.html's "sections".
		b.put(`
    <section class="section" id="abschnitt-{}" aria-labelledby="titel-{}">
      <h2 id="titel-{}" lang="{}">{}</h2>
      `, sv.ID, sv.ID, sv.ID, qlang, sv.Title)
		if sv.Description != "" {
			b.put(`<p class="section-desc" lang="{}">{}</p>`, qlang, sv.Description)
		}
		b.lit("\n      ")
		for qi := range sv.Questions {
			compileQuestion(&b, &sv.Questions[qi], si, qi, qlang)
		}
		b.lit("\n    </section>\n    ")
	}
	b.lit(`
    <section class="section submit" aria-labelledby="titel-abschluss">
      <h2 id="titel-abschluss">«form.submit.title»</h2>
      <div class="field">
        <label for="bearbeitung">«form.submit.editor»</label>
        <input type="text" id="bearbeitung" name="bearbeitung" value="`)
	b.hole(hole{kind: holeEditor})
	b.lit(`" dir="auto" maxlength="100" autocomplete="name">
      </div>
      <p>«form.submit.explain»</p>
      <div class="actions">
        <button type="submit" name="aktion" value="speichern">«form.submit.save»</button>
        <button type="submit" name="aktion" value="absenden" class="primary">«form.submit.send»</button>
      </div>
    </section>
  </form>
`)
	sk.form = b.done()

	// The read-only answers ({{else}}), partials.html's "answers".
	b.hole(hole{kind: holeNotice})
	b.lit("\n  <p class=\"print-hint\">«form.answers.yours» <a href=\"/fragebogen/antworten.xlsx\" download>«form.answers.xlsx»</a> «form.answers.or_print»</p>\n  ")
	b.hole(hole{kind: holeReceiptLink})
	b.lit("\n  \n")
	for si, sv := range secs {
		b.put("\n<section class=\"answers\">\n  <h2 lang=\"{}\">{}</h2>\n  <dl>\n  ", qlang, sv.Title)
		for qi := range sv.Questions {
			b.hole(hole{kind: holeAnswer, sec: si, q: qi})
		}
		b.lit("\n  </dl>\n</section>\n")
	}
	b.lit("\n\n")
	sk.answers = b.done()
	return sk
}

// compileQuestion compiles partials.html's "question" for one question.
func compileQuestion(b *skeletonBuilder, qv *questionView, si, qi int, qlang string) {
	q := qv.Q
	at := func(k holeKind) hole { return hole{kind: k, sec: si, q: qi} }
	item := func(k holeKind, i int) hole { return hole{kind: k, sec: si, q: qi, i: i} }
	b.lit("\n\n<div class=\"question")
	b.hole(at(holeQError))
	b.put(`" data-qid="{}" id="frage-{}"`, q.ID, q.ID)
	if qv.Relevant != "" {
		b.put(` data-relevant="{}"`, qv.Relevant)
	}
	b.hole(at(holeQHidden))
	b.lit(">\n")
	// The question's label and its required mark, in a legend or label.
	label := func() {
		b.put(`<span lang="{}">{}</span>`, qlang, q.Label)
		if qv.RequiredMark != "" {
			b.put(` <span class="req">{}</span>`, qv.RequiredMark)
		}
	}
	help := func() {
		if q.Help != "" {
			b.put(`<p class="help" id="hilfe-{}" lang="{}">{}</p>`, q.ID, qlang, q.Help)
		}
	}
	// The fieldset of options, a matrix or items, up to the help.
	fieldset := func() {
		b.lit("\n  <fieldset")
		b.hole(at(holeQDescribed))
		b.lit(">\n    <legend>")
		label()
		b.lit("</legend>\n    ")
		help()
		b.lit("\n    ")
	}
	unit := func() {
		if q.Unit != "" {
			b.put(` <span class="unit" lang="{}">{}</span>`, qlang, q.Unit)
		}
	}
	switch {
	case qv.IsNote:
		b.put("\n  <p class=\"note\" lang=\"{}\">{}</p>\n", qlang, q.Label)
	case qv.IsChoice:
		fieldset()
		b.lit("\n    ")
		// Yes and no in the interface's language, in a row; other options
		// in the questionnaire's, one per line.
		open, each, end := "\n      <div class=\"choices\">\n      ", "> <span lang=\"{}\">{}</span></label>\n      ", "\n      </div>\n    "
		kind := "radio"
		if qv.IsMultiple {
			kind = "checkbox"
		}
		if qv.IsYesNo {
			open, each, end = "\n      <div class=\"choices inline-choices\">", "> {}</label>", "\n      </div>\n    "
		}
		b.lit(open)
		for i, ch := range qv.Choices {
			b.put(`
        <label for="{}"><input type="`+kind+`" id="{}" name="{}" value="{}"`, ch.ID, ch.ID, qv.Field, ch.Value)
			b.hole(item(holeChecked, i))
			if qv.IsYesNo {
				b.put(each, ch.Label)
			} else {
				b.put(each, qlang, ch.Label)
			}
		}
		b.lit(end + "\n  </fieldset>\n")
	case qv.IsMatrix:
		fieldset()
		b.hole(at(holeQErrorP))
		b.lit(`
    <div class="matrix-scroll">
    <table class="matrix">
      <thead><tr><th scope="col"><span class="visually-hidden">«form.matrix.aspect»</span></th>`)
		for _, ch := range q.Choices {
			b.put(`<th scope="col" lang="{}">{}</th>`, qlang, ch.Label)
		}
		b.lit("</tr></thead>\n      <tbody>\n      ")
		for i, it := range qv.Items {
			b.lit("\n        <tr")
			b.hole(item(holeRowError, i))
			b.put(">\n          <th scope=\"row\" id=\"zeile-{}-{}\"><span lang=\"{}\">{}</span>", q.ID, it.Code, qlang, it.Label)
			b.hole(item(holeRowErrSpan, i))
			b.lit("</th>\n          ")
			for j, cell := range it.Cells {
				b.put("\n          <td><input type=\"radio\" id=\"{}\" name=\"{}\" value=\"{}\"", cell.ID, it.Field, cell.Value)
				b.hole(hole{kind: holeCellChecked, sec: si, q: qi, i: i, j: j})
				b.hole(item(holeRowDescr, i))
				b.put("><label class=\"visually-hidden\" for=\"{}\" lang=\"{}\">{}</label></td>\n          ", cell.ID, qlang, cell.Label)
			}
			b.lit("\n        </tr>\n      ")
		}
		b.lit("\n      </tbody>\n    </table>\n    </div>\n  </fieldset>\n")
	case qv.IsItems:
		fieldset()
		b.hole(at(holeQErrorP))
		b.lit("\n    ")
		for i, it := range qv.Items {
			b.lit("\n    <div class=\"field item")
			b.hole(item(holeItemError, i))
			b.put("\">\n      <label for=\"{}\" lang=\"{}\">{}</label>\n      ", it.InputID, qlang, it.Label)
			b.hole(item(holeItemErrorP, i))
			b.put("\n      <span class=\"with-unit\"><input type=\"text\" inputmode=\"numeric\" class=\"num\" id=\"{}\" name=\"{}\" value=\"", it.InputID, it.Field)
			b.hole(item(holeItemValue, i))
			b.lit("\"")
			b.hole(item(holeItemInvalid, i))
			b.lit(">")
			unit()
			b.lit("</span>\n    </div>\n    ")
		}
		b.lit("\n  </fieldset>\n")
	default:
		b.put("\n  <label for=\"{}\" class=\"q-label\">", qv.InputID)
		label()
		b.lit("</label>\n  ")
		help()
		b.lit("\n  ")
		b.hole(at(holeQErrorP))
		b.lit("\n  \n  \n  ")
		// The attributes after the value, shared by the inputs.
		tail := func() {
			b.hole(at(holeQDescribed))
			b.hole(at(holeQInvalid))
			if q.Required {
				b.lit(` aria-required="true"`)
			}
		}
		maxLength := strconv.Itoa(q.MaxLength)
		switch {
		case qv.IsLongText:
			b.put(`<textarea id="{}" name="{}" rows="5" dir="auto" maxlength="{}"`, qv.InputID, qv.Field, maxLength)
			tail()
			b.lit(">")
			b.hole(at(holeQValue))
			b.lit("</textarea>")
		case qv.IsNumber:
			b.put(`<span class="with-unit"><input type="text" class="num" inputmode="{}" id="{}" name="{}" value="`, qv.InputMode, qv.InputID, qv.Field)
			b.hole(at(holeQValue))
			b.lit(`"`)
			tail()
			b.lit(">")
			unit()
			b.lit("</span>")
		case qv.IsDate:
			b.put(`<input type="date" id="{}" name="{}" value="`, qv.InputID, qv.Field)
			b.hole(at(holeQValue))
			b.lit(`"`)
			tail()
			b.lit(">")
		default:
			typ := "text"
			if q.Format == "email" || q.Format == "tel" {
				typ = q.Format
			}
			b.put(`<input type="{}" id="{}" name="{}" value="`, typ, qv.InputID, qv.Field)
			b.hole(at(holeQValue))
			b.put(`" dir="auto" maxlength="{}"`, maxLength)
			if q.Format != "" {
				b.put(` autocomplete="{}"`, q.Format)
			}
			tail()
			b.lit(">")
		}
		b.lit("\n  \n")
	}
	b.lit("\n")
	if qv.IsChoice {
		b.hole(at(holeQErrorP))
	}
	b.lit("\n</div>\n")
}

// errSkeletonShape: the page model does not have the questionnaire's
// sections and questions (a bug; the page is not written).
var errSkeletonShape = errors.New("form skeleton: the page model does not match the questionnaire")

// write writes the form page of d (whose Page is a formPage of the
// skeleton's questionnaire) into w.
func (sk *formSkeleton) write(w *bytes.Buffer, d *PageData, p *formPage) error {
	if p.Questionnaire != sk.qn || len(p.Sections) != len(sk.secs) {
		return errSkeletonShape
	}
	for i, n := range sk.secs {
		if len(p.Sections[i].Questions) != n {
			return errSkeletonShape
		}
	}
	sk.fill(w, sk.page, d, p)
	return nil
}

// fill writes segments and their holes.
func (sk *formSkeleton) fill(w *bytes.Buffer, segs []segment, d *PageData, p *formPage) {
	for i := range segs {
		sg := &segs[i]
		w.Write(sg.static)
		if sg.hole.kind != holeNone {
			sk.fillHole(w, &sg.hole, d, p)
		}
	}
}

// fillHole writes one hole; each case says which template text it stands for.
func (sk *formSkeleton) fillHole(w *bytes.Buffer, h *hole, d *PageData, p *formPage) {
	esc := func(s string) { writeEscaped(w, s) }
	switch h.kind {
	case holeTitle:
		esc(d.Title)
	case holeBrand:
		// {{if .OrgSet}}<bdi>{{.Org.Name}}</bdi>{{else}}{{t "layout.brand_sub"}}{{end}}
		if d.OrgSet {
			w.WriteString("<bdi>")
			esc(d.Org.Name())
			w.WriteString("</bdi>")
		} else {
			sk.lit(w, "«layout.brand_sub»")
		}
	case holeStaff:
		if d.Staff != nil {
			sk.writeStaff(w, d.Staff)
		}
	case holeLangSwitch:
		if !d.KeepsInput {
			w.WriteString(h.before)
			esc(d.Path)
			w.WriteString(h.after)
		}
	case holeMeta:
		sk.writeMeta(w, d, p)
	case holeNotices:
		sk.writeNotices(w, p)
	case holeReceiptLink:
		// {{if eq (print $p.Response.Status) "submitted"}}{{if not $p.Submitted}}…{{end}}{{end}}
		if p.Response.Status == survey.StatusSubmitted && !p.Submitted {
			sk.lit(w, "<p class=\"print-hint\"><a href=\"/fragebogen/eingangsbestaetigung\">«receipt.link»</a></p>")
		}
	case holeBody:
		if p.Editable {
			sk.fill(w, sk.form, d, p)
		} else {
			w.WriteString("\n  ")
			sk.fill(w, sk.answers, d, p)
		}
	case holeNotice:
		switch {
		case p.Editable && p.Unsaved:
			w.WriteString("<div class=\"notice error\" role=\"alert\">")
			esc(p.Notice)
			w.WriteString("</div>")
		case p.Notice != "" && p.Editable:
			w.WriteString("<div class=\"notice ")
			if len(p.ErrorList) > 0 || len(p.Conflicts) > 0 {
				w.WriteString("warn")
			} else {
				w.WriteString("success")
			}
			w.WriteString("\" role=\"status\">")
			esc(p.Notice)
			w.WriteString("</div>")
		case p.Notice != "":
			w.WriteString("<div class=\"notice warn\" role=\"status\">")
			esc(p.Notice)
			w.WriteString("</div>")
		}
	case holeErrorList:
		sk.writeErrorList(w, p)
	case holeRevision:
		w.WriteString(strconv.Itoa(p.Response.Revision))
	case holeResponseID:
		w.WriteString(strconv.FormatInt(p.Response.ID, 10))
	case holeConflicts:
		sk.writeConflicts(w, p.Conflicts)
	case holeEditor:
		esc(p.Editor)
	case holeAnswer:
		sk.writeAnswer(w, &p.Sections[h.sec].Questions[h.q])
	default:
		sk.fillQuestion(w, h, &p.Sections[h.sec].Questions[h.q])
	}
}

// fillQuestion writes a hole of a question's partial.
func (sk *formSkeleton) fillQuestion(w *bytes.Buffer, h *hole, qv *questionView) {
	esc := func(s string) { writeEscaped(w, s) }
	switch h.kind {
	case holeQError:
		if qv.Error != "" {
			w.WriteString(" has-error")
		}
	case holeQHidden:
		if qv.Hidden {
			w.WriteString(" hidden")
		}
	case holeQDescribed:
		if qv.Describedby != "" {
			w.WriteString(" aria-describedby=\"")
			esc(qv.Describedby)
			w.WriteString("\"")
		}
	case holeQErrorP:
		if qv.Error != "" {
			w.WriteString("<p class=\"field-error\" id=\"fehler-")
			esc(qv.Q.ID)
			w.WriteString("\">")
			esc(qv.Error)
			w.WriteString("</p>")
		}
	case holeQInvalid:
		if qv.Error != "" {
			w.WriteString(" aria-invalid=\"true\"")
		}
	case holeQValue:
		esc(qv.Value)
	case holeChecked:
		if qv.Choices[h.i].Checked {
			w.WriteString(" checked")
		}
	case holeRowError:
		if qv.Items[h.i].Error != "" {
			w.WriteString(" class=\"has-error\"")
		}
	case holeRowErrSpan:
		if it := &qv.Items[h.i]; it.Error != "" {
			w.WriteString("<span class=\"field-error\" id=\"")
			esc(it.ErrorID)
			w.WriteString("\">")
			esc(it.Error)
			w.WriteString("</span>")
		}
	case holeCellChecked:
		if qv.Items[h.i].Cells[h.j].Checked {
			w.WriteString(" checked")
		}
	case holeRowDescr:
		if it := &qv.Items[h.i]; it.Error != "" {
			w.WriteString(" aria-describedby=\"")
			esc(it.ErrorID)
			w.WriteString("\"")
		}
	case holeItemError:
		if qv.Items[h.i].Error != "" {
			w.WriteString(" has-error")
		}
	case holeItemErrorP:
		if it := &qv.Items[h.i]; it.Error != "" {
			w.WriteString("<p class=\"field-error\" id=\"")
			esc(it.ErrorID)
			w.WriteString("\">")
			esc(it.Error)
			w.WriteString("</p>")
		}
	case holeItemValue:
		esc(qv.Items[h.i].Value)
	case holeItemInvalid:
		if it := &qv.Items[h.i]; it.Error != "" {
			w.WriteString(" aria-invalid=\"true\" aria-describedby=\"")
			esc(it.ErrorID)
			w.WriteString("\"")
		}
	default:
		panic(fmt.Sprintf("form skeleton: hole kind %d", h.kind))
	}
}

// writeStaff writes layout.html's staff navigation ({{if .Staff}}).
func (sk *formSkeleton) writeStaff(w *bytes.Buffer, st *staffInfo) {
	sk.lit(w, "\n    <nav aria-label=\"«layout.nav»\">\n      <a href=\"/verwaltung\">«layout.nav.overview»</a>\n      <a href=\"/verwaltung/runden\">«layout.nav.rounds»</a>\n      <a href=\"/verwaltung/mail\">«layout.nav.mail»</a>\n      <details class=\"menu\"><summary>«layout.nav.admin»</summary><ul>\n        <li><a href=\"/verwaltung/frageboegen\">«layout.nav.versions»</a></li>\n        <li><a href=\"/verwaltung/kommunen\">«layout.nav.kommunen»</a></li>\n        <li><a href=\"/verwaltung/benutzer\">«layout.nav.users»</a></li>\n        <li><a href=\"/verwaltung/protokoll\">«layout.nav.audit»</a></li>\n        <li><a href=\"/verwaltung/rechtstexte\">«layout.nav.legal»</a></li>\n        <li><a href=\"/verwaltung/einrichtung\">«layout.nav.setup»</a></li>\n      </ul></details>\n      <span class=\"who\">")
	w.WriteString(string(isolate(st.Name)))
	if !st.Admin {
		sk.lit(w, " «layout.read_only»")
	}
	sk.lit(w, "</span>\n      <form method=\"post\" action=\"/abmelden\" class=\"inline\"><button type=\"submit\" class=\"link\">«layout.logout»</button></form>\n    </nav>\n    ")
}

// writeMeta writes form.html's lines about the answer (<dl class="meta">).
func (sk *formSkeleton) writeMeta(w *bytes.Buffer, d *PageData, p *formPage) {
	esc := func(s string) { writeEscaped(w, s) }
	l := sk.l
	if d.OrgSet {
		sk.lit(w, "<div><dt>«form.meta.org»</dt><dd dir=\"auto\">")
		esc(d.Org.Name())
		w.WriteString("</dd></div>\n  ")
		if d.Org.Contact != "" {
			sk.lit(w, "<div><dt>«form.meta.contact»</dt><dd dir=\"auto\">")
			for i, line := range strings.Split(d.Org.Contact, "\n") {
				if i > 0 {
					w.WriteString("<br>")
				}
				esc(line)
			}
			w.WriteString("</dd></div>")
		}
	}
	sk.lit(w, "\n  <div><dt>«form.meta.kommune»</dt><dd dir=\"auto\">")
	esc(p.Response.Kommune.Name)
	sk.lit(w, "</dd></div>\n  <div><dt>«form.meta.round»</dt><dd>")
	esc(p.Round.Title)
	sk.lit(w, "</dd></div>\n  <div><dt>«form.meta.deadline»</dt><dd>")
	esc(l.Date(p.Round.Deadline))
	if !p.Closed {
		w.WriteString(" ")
		esc(l.N("form.days_left", p.DaysLeft))
	}
	sk.lit(w, "</dd></div>\n  <div><dt>«form.meta.status»</dt><dd><span class=\"status status-")
	esc(string(p.Response.Status))
	w.WriteString("\">")
	esc(EnumLabel(l, p.Response.Status))
	w.WriteString("</span></dd></div>\n  ")
	if !p.Response.UpdatedAt.IsZero() {
		sk.lit(w, "<div><dt>«form.meta.last_saved»</dt><dd>")
		w.WriteString(string(withIsolatedTexts(l, "form.meta.saved_by_on", p.Response.UpdatedBy, l.DateTime(p.Response.UpdatedAt, survey.Berlin()))))
		w.WriteString("</dd></div>")
	}
	w.WriteString("\n")
}

// writeNotices writes form.html's notices above the form: the link to the
// released results, the link to the booking page, the receipt just after submitting, the returned
// answer's message, the closed round.
func (sk *formSkeleton) writeNotices(w *bytes.Buffer, p *formPage) {
	esc := func(s string) { writeEscaped(w, s) }
	l := sk.l
	if p.ResultsReleased {
		sk.lit(w, "<p class=\"notice success\" id=\"ergebnisse-link\"><a href=\"/ergebnisse\">«report.form.link»</a></p>\n")
	}
	// The booking page, also once the answers are read-only (submitted,
	// or the round closed): offers come after the survey.
	sk.lit(w, "<p class=\"print-hint\" id=\"angebote-link\"><a href=\"/angebote\">«booking.link»</a></p>\n")
	if p.Submitted {
		sk.lit(w, "\n<div class=\"notice success\" role=\"status\">\n  <h2>«form.receipt.title»</h2>\n  <p>")
		w.WriteString(string(withIsolatedTexts(l, "form.receipt.thanks", p.Response.Kommune.Name, l.DateTime(p.Response.SubmittedAt, survey.Berlin()))))
		sk.lit(w, " «form.receipt.print»</p>\n  ")
		if p.Receipt != nil {
			sk.writeReceipt(w, p.Receipt)
		}
		sk.lit(w, "\n  <p><a href=\"/fragebogen/eingangsbestaetigung\">«receipt.link»</a></p>\n</div>\n")
	}
	w.WriteString("\n")
	if p.Response.Status == survey.StatusReturned && p.Response.ReturnMessage != "" {
		sk.lit(w, "\n<div class=\"notice warn\" role=\"status\"><h2>«form.returned.title»</h2><p>")
		esc(p.Response.ReturnMessage)
		w.WriteString("</p></div>\n")
	}
	w.WriteString("\n")
	if p.Closed && p.Response.Status.Editable() {
		sk.lit(w, "\n<div class=\"notice warn\" role=\"status\">«form.closed»</div>\n")
	}
}

// writeReceipt writes partials.html's "receipt_summary".
func (sk *formSkeleton) writeReceipt(w *bytes.Buffer, r *receiptView) {
	esc := func(s string) { writeEscaped(w, s) }
	sk.lit(w, "\n<dl class=\"meta receipt\">\n  <div><dt>«form.meta.kommune»</dt><dd>")
	esc(r.Kommune.Name)
	sk.lit(w, " («receipt.ags» ")
	esc(r.Kommune.AGS)
	sk.lit(w, ")</dd></div>\n  <div><dt>«form.meta.round»</dt><dd>")
	esc(r.Round.Title)
	sk.lit(w, "</dd></div>\n  <div><dt>«receipt.questionnaire»</dt><dd lang=\"")
	esc(sk.qlang)
	w.WriteString("\">")
	esc(r.Title)
	sk.lit(w, "</dd></div>\n  <div><dt>«receipt.received»</dt><dd>")
	esc(sk.l.DateTime(r.SubmittedAt, survey.Berlin()))
	w.WriteString("</dd></div>\n  ")
	if r.By != "" {
		sk.lit(w, "<div><dt>«receipt.by»</dt><dd>")
		esc(r.By)
		w.WriteString("</dd></div>")
	}
	sk.lit(w, "\n  <div><dt>«receipt.revision»</dt><dd>")
	esc(sk.l.N("receipt.saves", r.Revision))
	sk.lit(w, "</dd></div>\n</dl>\n<div class=\"table-scroll\">\n<table class=\"data receipt-table\">\n  <caption>«receipt.caption»</caption>\n  <thead><tr><th scope=\"col\">«receipt.section»</th><th scope=\"col\" class=\"n\">«receipt.answered»</th><th scope=\"col\" class=\"n\">«receipt.questions»</th></tr></thead>\n  <tbody>")
	for _, s := range r.Sections {
		w.WriteString("<tr><th scope=\"row\" lang=\"")
		esc(sk.qlang)
		w.WriteString("\">")
		esc(s.Title)
		w.WriteString("</th><td class=\"n\">")
		w.WriteString(strconv.Itoa(s.Answered))
		w.WriteString("</td><td class=\"n\">")
		w.WriteString(strconv.Itoa(s.Total))
		w.WriteString("</td></tr>")
	}
	sk.lit(w, "</tbody>\n  <tfoot><tr><th scope=\"row\">«receipt.total»</th><td class=\"n\">")
	w.WriteString(strconv.Itoa(r.Answered))
	w.WriteString("</td><td class=\"n\">")
	w.WriteString(strconv.Itoa(r.Total))
	sk.lit(w, "</td></tr></tfoot>\n</table>\n</div>\n<p class=\"muted\">«receipt.note»</p>\n")
}

// writeErrorList writes form.html's error summary ({{if $p.ErrorList}}).
func (sk *formSkeleton) writeErrorList(w *bytes.Buffer, p *formPage) {
	if len(p.ErrorList) == 0 {
		return
	}
	esc := func(s string) { writeEscaped(w, s) }
	w.WriteString("\n  <div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"fehlerliste\" aria-labelledby=\"fehlerliste-titel\">\n    <h2 id=\"fehlerliste-titel\">")
	esc(sk.l.N("form.errors.title", len(p.ErrorList)))
	w.WriteString("</h2>\n    <ul>")
	for _, e := range p.ErrorList {
		w.WriteString("<li><a href=\"#")
		writeURLEscaped(w, e.Target)
		w.WriteString("\"><span lang=\"")
		esc(sk.qlang)
		w.WriteString("\">")
		esc(e.Label)
		w.WriteString("</span>: ")
		esc(e.Message)
		w.WriteString("</a></li>")
	}
	w.WriteString("</ul>\n  </div>\n  ")
}

// writeConflicts writes partials.html's "conflicts".
func (sk *formSkeleton) writeConflicts(w *bytes.Buffer, cs []conflictView) {
	if len(cs) == 0 {
		return
	}
	esc := func(s string) { writeEscaped(w, s) }
	sk.lit(w, "\n    <section class=\"conflicts\" aria-labelledby=\"konflikte-titel\">\n      <h2 id=\"konflikte-titel\">«form.conflicts.title»</h2>\n      <p>«form.conflicts.text»</p>\n      ")
	for _, c := range cs {
		w.WriteString("\n      <fieldset class=\"conflict\">\n        <legend lang=\"")
		esc(sk.qlang)
		w.WriteString("\">")
		esc(c.Label)
		w.WriteString("</legend>\n        <input type=\"hidden\" name=\"konflikte\" value=\"")
		esc(c.Field)
		w.WriteString("\">\n        <label><input type=\"radio\" name=\"konflikt.")
		esc(c.Field)
		sk.lit(w, "\" value=\"mine\"> «form.conflicts.mine» <strong>")
		esc(c.Mine)
		w.WriteString("</strong></label>\n        <label><input type=\"radio\" name=\"konflikt.")
		esc(c.Field)
		sk.lit(w, "\" value=\"theirs\"> «form.conflicts.theirs»")
		if c.By != "" {
			w.WriteString(" ")
			esc(sk.l.T("form.conflicts.by", c.By))
		}
		w.WriteString(": <strong>")
		esc(c.Their)
		w.WriteString("</strong></label>\n      </fieldset>\n      ")
	}
	w.WriteString("\n    </section>\n    ")
}

// writeAnswer writes one question of partials.html's "answers".
func (sk *formSkeleton) writeAnswer(w *bytes.Buffer, qv *questionView) {
	if qv.Hidden || qv.IsNote {
		return
	}
	esc := func(s string) { writeEscaped(w, s) }
	w.WriteString("\n    <dt lang=\"")
	esc(sk.qlang)
	w.WriteString("\">")
	esc(qv.Q.Label)
	w.WriteString("</dt>\n    <dd>")
	switch {
	case qv.Display == "":
		sk.lit(w, "<span class=\"muted\">«common.none»</span>")
	case qv.DisplayLang != "":
		w.WriteString("<span lang=\"")
		esc(qv.DisplayLang)
		w.WriteString("\" dir=\"auto\">")
		esc(qv.Display)
		w.WriteString("</span>")
	default:
		w.WriteString("<span dir=\"auto\">")
		esc(qv.Display)
		w.WriteString("</span>")
	}
	w.WriteString("</dd>\n  ")
}

// expand returns template text with each «key» replaced by the
// catalogue's text of key in the locale, escaped as the template writes
// {{t "key"}}.
func expand(l i18n.Lang, s string) string {
	var b []byte
	for {
		i := strings.Index(s, "«")
		j := strings.Index(s, "»")
		if i < 0 || j < i {
			if b == nil {
				return s
			}
			return string(append(b, s...))
		}
		b = append(b, s[:i]...)
		b = appendEscaped(b, l.T(s[i+len("«"):j]))
		s = s[j+len("»"):]
	}
}

// lit writes template text with «key»s (expand): the static text of the
// holes written seldom (staff, receipt, conflicts), expanded per page.
func (sk *formSkeleton) lit(w *bytes.Buffer, s string) { w.WriteString(expand(sk.l, s)) }

// htmlEscapes is html/template's table for text, quoted attribute values
// and RCDATA (htmlReplacementTable in html/template/html.go): its
// escapers replace exactly these bytes, and pass everything else (also
// broken UTF-8, which can hold none of them) through unchanged.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// appendEscaped appends s as html/template writes a string in text, a
// quoted attribute value or a textarea.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		if r := htmlEscapes[s[i]]; r != "" {
			b = append(b, s[last:i]...)
			b = append(b, r...)
			last = i + 1
		}
	}
	return append(b, s[last:]...)
}

// writeEscaped is appendEscaped onto a buffer.
func writeEscaped(w *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if r := htmlEscapes[s[i]]; r != "" {
			w.WriteString(s[last:i])
			w.WriteString(r)
			last = i + 1
		}
	}
	w.WriteString(s[last:])
}

// writeURLEscaped writes s as html/template writes it in a URL's query or
// fragment inside a quoted attribute (urlEscaper, then the attribute's
// escaper, which has nothing left to do): every byte but the unreserved
// ones of RFC 3986 percent-encoded.
func writeURLEscaped(w *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			w.WriteByte(c)
			continue
		}
		w.WriteByte('%')
		w.WriteByte(hex[c>>4])
		w.WriteByte(hex[c&15])
	}
}

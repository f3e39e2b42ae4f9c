package web

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"sync"

	"github.com/gin-gonic/gin"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/templates"
)

// pageNames lists every page template; each becomes its own template with
// the layout and the partials. All are parsed once at start, so a missing or
// broken page stops the start, but a page is kept parsed only once it is
// shown (see renderer). The Kommune's questionnaire page ("form") is written
// from a skeleton (form_skeleton.go); its template is the reference the
// skeleton is tested against and the bench's baseline (FormSteps.Template).
var pageNames = append([]string{"home", "error", "login", "form", "dashboard", "kommune", "plan", "questions", "question", "compare", "rounds", "round_new", "round_admin", "round_entry", "letter", "letters", "letters_issue", "users", "audit", "versions", "kommunen", "mail", "mail_preview", "mail_contacts", "mail_contact", "contacts_answers", "legal", "legal_admin", "blank", "receipt", "session_lost", "unsaved", "link_confirm", "setup", "report_release", "report", "booking", "uptake", "roster", "certificates"}, append(offerPageNames, feedbackPageNames...)...)

// renderer parses a page's template for a locale and a language of the
// questionnaire's texts when the page is first shown, and keeps it; each
// template's functions ("t", "date", "qlang", …) are bound to its locale and
// language. A parsed page with the layout and partials holds about 240 kB,
// so keeping every page in every locale would hold megabytes of templates
// that most processes never show (and a larger live heap also makes the
// collector leave more garbage before it runs). Pages for at most
// maxQuestionnaireLangs languages of questionnaires are kept (beyond that,
// pages mark the texts as German as before).
type renderer struct {
	mu     sync.Mutex
	pages  map[pageKey]*template.Template
	qlangs map[string]bool // questionnaire languages pages were parsed for
	// forms are the skeletons of the questionnaire page.
	forms *formSkeletons
}

// pageKey names one parsed page.
type pageKey struct {
	lang  i18n.Lang
	qlang string
	page  string
}

// formPageName is the Kommune's questionnaire page, written from its
// skeleton (form_skeleton.go).
const formPageName = "form"

// formPageSize is room for a typical questionnaire page (the default
// questionnaire's is about 36 kB), so the buffer grows once at most.
const formPageSize = 48 << 10

// maxQuestionnaireLangs bounds the languages of questionnaires the
// renderer keeps template sets for.
const maxQuestionnaireLangs = 8

// PageData is what every page gets; Page carries the page's own data.
//
// Exported for package main's tests.
type PageData struct {
	Title   string
	Message string // an error or notice shown prominently
	Email   string // login form
	Staff   *staffInfo
	Page    any
	Lang    i18n.Lang // set by render: the locale of the page
	QLang   string    // the language of the questionnaire's texts on the page ("": German)
	Path    string    // set by render: where the language switch leads back to
	// KeepsInput: the page holds a form's kept values (session_lost.go);
	// its own form switches the language, the layout's switch would drop
	// them.
	KeepsInput bool
	// Org is the organisation that runs the survey, OrgSet whether one was
	// entered (set by render).
	Org    survey.Organisation
	OrgSet bool
}

// staffInfo tells the layout who is signed in.
type staffInfo struct {
	Name  string
	Admin bool
}

// NewRenderer parses every page once, in every locale, so that a broken
// template stops the start; the parsed pages are not kept (see renderer).
//
// Exported for package main's end-to-end tests.
func NewRenderer() (*renderer, error) {
	r := &renderer{pages: map[pageKey]*template.Template{}, qlangs: map[string]bool{questionnaireLang: true}, forms: newFormSkeletons()}
	for _, l := range i18n.Langs {
		for _, name := range pageNames {
			if _, err := parsePage(l, questionnaireLang, name); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// parsePage parses one page with the layout and the partials, its functions
// bound to the locale and the questionnaire language.
func parsePage(l i18n.Lang, qlang, name string) (*template.Template, error) {
	t, err := template.New("layout.html").Funcs(templateFuncs(l, qlang)).ParseFS(templates.FS, "layout.html", "partials.html", name+".html")
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return t, nil
}

// qlang returns the questionnaire language pages mark texts with: qlang
// itself, or German once pages for maxQuestionnaireLangs languages exist.
func (r *renderer) qlang(qlang string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.qlangs[qlang] {
		if len(r.qlangs) >= maxQuestionnaireLangs {
			return questionnaireLang
		}
		r.qlangs[qlang] = true
	}
	return qlang
}

// page returns the page's template for the locale and questionnaire language
// (as qlang returned it), parsing it on first use.
func (r *renderer) page(l i18n.Lang, qlang, name string) (*template.Template, error) {
	if !slices.Contains(pageNames, name) {
		return nil, fmt.Errorf("unknown page %q", name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := pageKey{l, qlang, name}
	if t, ok := r.pages[key]; ok {
		return t, nil
	}
	t, err := parsePage(l, qlang, name)
	if err != nil {
		return nil, err
	}
	r.pages[key] = t
	return t, nil
}

// Render executes a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
//
// Exported for package main's tests.
func (s *Server) Render(c *gin.Context, status int, page string, data PageData) {
	data.Lang = lang(c)
	data.Path = s.returnPath(c)
	org, orgSet, err := s.pageOrganisation(c.Request.Context())
	if err != nil {
		s.Log.Error("organisation", "err", err)
	}
	data.Org, data.OrgSet = org, orgSet
	qlang := s.Pages.qlang(cmp.Or(data.QLang, questionnaireLang))
	if sess := session(c); sess != nil && sess.Kind == "staff" && data.Staff == nil {
		data.Staff = &staffInfo{Name: sess.User.Name, Admin: sess.User.Role == "admin"}
	}
	var buf bytes.Buffer
	if page == formPageName {
		p, ok := data.Page.(formPage)
		if !ok {
			s.Log.Error("render: the form page needs a formPage", "page", fmt.Sprintf("%T", data.Page))
			c.String(http.StatusInternalServerError, tr(c, "error.internal.title"))
			return
		}
		buf.Grow(formPageSize)
		if err := s.Pages.forms.get(p.Questionnaire, data.Lang, qlang).write(&buf, &data, &p); err != nil {
			s.Log.Error("render", "page", page, "err", err)
			c.String(http.StatusInternalServerError, tr(c, "error.internal.title"))
			return
		}
		c.Data(status, "text/html; charset=utf-8", buf.Bytes())
		return
	}
	t, err := s.Pages.page(data.Lang, qlang, page)
	if err != nil {
		s.Log.Error("templates", "page", page, "qlang", qlang, "err", err)
		c.String(http.StatusInternalServerError, tr(c, "error.internal.title"))
		return
	}
	if err := t.Execute(&buf, data); err != nil {
		s.Log.Error("render", "page", page, "err", err)
		c.String(http.StatusInternalServerError, tr(c, "error.internal.title"))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

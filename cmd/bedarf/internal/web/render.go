package web

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/templates"
)

// pages lists every page template; each becomes its own set with the layout,
// parsed once at start, so a missing or broken page stops the start. The
// Kommune's questionnaire page ("form") is written from a skeleton
// (form_skeleton.go); its template is the reference the skeleton is
// tested against and the bench's baseline (FormSteps.Template).
var pageNames = append([]string{"home", "error", "login", "form", "dashboard", "kommune", "plan", "questions", "question", "compare", "rounds", "round_new", "round_admin", "round_entry", "letter", "letters", "letters_issue", "users", "audit", "versions", "kommunen", "mail", "mail_preview", "mail_contacts", "mail_contact", "contacts_answers", "legal", "legal_admin", "blank", "receipt", "session_lost", "unsaved", "link_confirm", "setup", "report_release", "report"}, offerPageNames...)

// renderer holds one parsed template set per locale, language of the
// questionnaire's texts and page; each set's functions ("t", "date",
// "qlang", …) are bound to its locale and language. The sets for German
// questionnaires are parsed at start; those for a questionnaire in another
// language when a page first shows one, for at most maxQuestionnaireLangs
// languages (beyond that, pages mark the texts as German as before).
type renderer struct {
	mu   sync.Mutex
	sets map[setKey]map[string]*template.Template
	// forms are the skeletons of the questionnaire page.
	forms *formSkeletons
}

// setKey names a renderer's template set.
type setKey struct {
	lang  i18n.Lang
	qlang string
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

// NewRenderer is exported for package main's end-to-end tests.
func NewRenderer() (*renderer, error) {
	r := &renderer{sets: map[setKey]map[string]*template.Template{}, forms: newFormSkeletons()}
	for _, l := range i18n.Langs {
		if _, _, err := r.set(l, questionnaireLang); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// set returns the template set of the locale and questionnaire language,
// parsing it on first use, and the questionnaire language it marks texts
// with (German when there are too many).
func (r *renderer) set(l i18n.Lang, qlang string) (map[string]*template.Template, string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := setKey{l, qlang}
	if set, ok := r.sets[key]; ok {
		return set, qlang, nil
	}
	if len(r.sets) >= len(i18n.Langs)*maxQuestionnaireLangs {
		return r.sets[setKey{l, questionnaireLang}], questionnaireLang, nil
	}
	funcs := templateFuncs(l, qlang)
	set := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templates.FS, "layout.html", "partials.html", name+".html")
		if err != nil {
			return nil, "", fmt.Errorf("template %s: %w", name, err)
		}
		set[name] = t
	}
	r.sets[key] = set
	return set, qlang, nil
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
	set, qlang, err := s.Pages.set(data.Lang, cmp.Or(data.QLang, questionnaireLang))
	if err != nil {
		s.Log.Error("templates", "qlang", data.QLang, "err", err)
		c.String(http.StatusInternalServerError, tr(c, "error.internal.title"))
		return
	}
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
	t, ok := set[page]
	if !ok {
		s.Log.Error("unknown page", "page", page)
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

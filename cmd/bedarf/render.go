package main

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"bedarf/cmd/bedarf/i18n"
	"bedarf/templates"
)

// pages lists every page template; each becomes its own set with the layout,
// parsed once at start, so a missing or broken page stops the start.
var pageNames = []string{"home", "error", "login", "form", "dashboard", "kommune", "plan", "questions", "question", "compare", "rounds", "round_new", "round_admin", "round_entry", "letter", "users", "audit", "versions", "kommunen", "mail", "mail_preview", "mail_contacts", "mail_contact", "legal", "legal_admin", "blank", "receipt", "session_lost", "unsaved", "link_confirm"}

// renderer holds one parsed template set per locale and page; each set's
// functions ("t", "date", …) are bound to its locale.
type renderer struct {
	sets map[i18n.Lang]map[string]*template.Template
}

// pageData is what every page gets; Page carries the page's own data.
type pageData struct {
	Title   string
	Message string // an error or notice shown prominently
	Email   string // login form
	Staff   *staffInfo
	Page    any
	Lang    i18n.Lang // set by render: the locale of the page
	Path    string    // set by render: where the language switch leads back to
	// KeepsInput: the page holds a form's kept values (session_lost.go);
	// its own form switches the language, the layout's switch would drop
	// them.
	KeepsInput bool
}

// staffInfo tells the layout who is signed in.
type staffInfo struct {
	Name  string
	Admin bool
}

func newRenderer() (*renderer, error) {
	r := &renderer{sets: map[i18n.Lang]map[string]*template.Template{}}
	for _, l := range i18n.Langs {
		funcs := templateFuncs(l)
		r.sets[l] = map[string]*template.Template{}
		for _, name := range pageNames {
			t, err := template.New("layout.html").Funcs(funcs).ParseFS(templates.FS, "layout.html", "partials.html", name+".html")
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
			r.sets[l][name] = t
		}
	}
	return r, nil
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (s *server) render(c *gin.Context, status int, page string, data pageData) {
	data.Lang = lang(c)
	data.Path = s.returnPath(c)
	t, ok := s.pages.sets[data.Lang][page]
	if !ok {
		s.log.Error("unknown page", "page", page)
		c.String(http.StatusInternalServerError, tr(c, "error.internal.title"))
		return
	}
	if sess := session(c); sess != nil && sess.Kind == "staff" && data.Staff == nil {
		data.Staff = &staffInfo{Name: sess.User.Name, Admin: sess.User.Role == "admin"}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.log.Error("render", "page", page, "err", err)
		c.String(http.StatusInternalServerError, tr(c, "error.internal.title"))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

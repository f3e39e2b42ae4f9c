package main

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/templates"
)

// pages lists every page template; each becomes its own set with the layout,
// parsed once at start, so a missing or broken page stops the start.
var pageNames = []string{"home", "error", "login", "form", "dashboard", "kommune", "plan", "questions", "question", "compare", "rounds", "round_new", "round_admin", "round_entry", "letter", "users", "audit", "versions", "kommunen", "mail", "mail_preview", "mail_contacts", "mail_contact"}

// renderer holds one parsed template set per page.
type renderer struct {
	sets map[string]*template.Template
}

// pageData is what every page gets; Page carries the page's own data.
type pageData struct {
	Title   string
	Message string // an error or notice shown prominently
	Email   string // login form
	Staff   *staffInfo
	Page    any
}

// staffInfo tells the layout who is signed in.
type staffInfo struct {
	Name  string
	Admin bool
}

func newRenderer() (*renderer, error) {
	funcs := template.FuncMap{
		"num": survey.FormatNumberDE,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return "–"
			}
			return t.In(survey.Berlin()).Format("02.01.2006, 15:04") + " Uhr"
		},
		"eur":  func(f float64) string { return survey.FormatFixedDE(analysis.RoundCents(f), 2) + " €" },
		"dec1": func(f float64) string { return survey.FormatFixedDE(f, 1) },
		"deref": func(f *float64) string {
			if f == nil {
				return "–"
			}
			return survey.FormatFixedDE(*f, 1)
		},
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "–"
			}
			return t.Format("02.01.2006")
		},
	}
	r := &renderer{sets: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templates.FS, "layout.html", "partials.html", name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		r.sets[name] = t
	}
	return r, nil
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (s *server) render(c *gin.Context, status int, page string, data pageData) {
	t, ok := s.pages.sets[page]
	if !ok {
		s.log.Error("unknown page", "page", page)
		c.String(http.StatusInternalServerError, "Interner Fehler")
		return
	}
	if sess := session(c); sess != nil && sess.Kind == "staff" && data.Staff == nil {
		data.Staff = &staffInfo{Name: sess.User.Name, Admin: sess.User.Role == "admin"}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.log.Error("render", "page", page, "err", err)
		c.String(http.StatusInternalServerError, "Interner Fehler")
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

package web

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// The locale of a request: the switch's cookie, else the browser's
// Accept-Language, else German (cmd/bedarf/internal/i18n holds the catalogue).
const (
	// LangCookie is exported for package main's end-to-end tests.
	LangCookie = "bedarf_sprache"
	langKey    = "lang"
	langPath   = "/sprache"
)

// pickLang decides the locale of the request and tells caches that pages
// differ by it.
func (s *Server) pickLang(c *gin.Context) {
	l := langOfRequest(c.Request)
	c.Set(langKey, l)
	h := c.Writer.Header()
	h.Set("Content-Language", l.Code())
	h.Add("Vary", "Accept-Language, Cookie")
	c.Next()
}

// langOfRequest reads the locale from the cookie or Accept-Language.
func langOfRequest(r *http.Request) i18n.Lang {
	if ck, err := r.Cookie(LangCookie); err == nil {
		if l, ok := i18n.Parse(ck.Value); ok {
			return l
		}
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language"))
}

// lang returns the locale pickLang chose (German outside a request).
func lang(c *gin.Context) i18n.Lang {
	if c != nil {
		if v, ok := c.Get(langKey); ok {
			if l, ok := v.(i18n.Lang); ok {
				return l
			}
		}
		if c.Request != nil {
			return langOfRequest(c.Request)
		}
	}
	return i18n.DE
}

// tr returns the catalogue message key in the request's locale.
func tr(c *gin.Context, key string, args ...any) string { return lang(c).T(key, args...) }

// trn returns the plural message key (KEY.one or KEY.other) for n.
func trn(c *gin.Context, key string, n int, args ...any) string { return lang(c).N(key, n, args...) }

// emsg writes an error of a domain package in the request's locale by its
// key; an error without one (an internal error) is shown as it is.
func emsg(c *gin.Context, err error) string {
	var e *survey.Error
	if errors.As(err, &e) && e.Text != nil {
		return trm(c, e.Text)
	}
	return err.Error()
}

// msgIn writes a keyed message of the domain in the locale.
func msgIn(l i18n.Lang, m *survey.Message) string {
	return m.In(func(key string) string {
		f, _ := i18n.Raw(l, key)
		return f
	}, func(s string) string { return s }) // a questionnaire's own text: data
}

// msgsIn writes keyed messages of the domain in the locale, one each.
func msgsIn(l i18n.Lang, ms []*survey.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = msgIn(l, m)
	}
	return out
}

// trm writes a keyed message of the domain in the request's locale.
func trm(c *gin.Context, m *survey.Message) string { return msgIn(lang(c), m) }

// setLanguage is the language switch in the layout: a form (no script
// needed) that stores the choice in a cookie for a year and goes back to
// the page it came from.
func (s *Server) setLanguage(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	if !s.switchLanguage(c) {
		s.errorPage(c, http.StatusBadRequest, tr(c, "error.bad_request.title"), tr(c, "error.bad_request.text"))
		return
	}
	c.Redirect(http.StatusSeeOther, LocalPath(c.Request.PostForm.Get("zurueck")))
}

// switchLanguage takes the language a posted form asks for ("sprache"):
// it remembers it in the cookie and renders this request's page in it.
// It reports false when the form asks for none it knows.
func (s *Server) switchLanguage(c *gin.Context) bool {
	l, ok := i18n.Parse(c.Request.PostForm.Get("sprache"))
	if !ok {
		return false
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: LangCookie, Value: l.Code(), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	c.Set(langKey, l)
	return true
}

// LocalPath returns p when it is a path on this site ("/…", not "//…"),
// else "/": the switch never redirects elsewhere.
//
// Exported for package main's end-to-end tests.
func LocalPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(u.Path, "/k/") {
		return "/"
	}
	return u.RequestURI()
}

// returnPath is where the switch on this page leads back to: the page
// itself for a GET; for a page answering a POST, the same path when it has
// a GET page of its own, else the start page.
func (s *Server) returnPath(c *gin.Context) string {
	if c.Request.Method == http.MethodGet {
		return c.Request.URL.RequestURI()
	}
	route := c.FullPath()
	for _, r := range s.Engine.Routes() {
		if r.Method == http.MethodGet && r.Path == route {
			return c.Request.URL.Path
		}
	}
	return "/"
}

// templateFuncs returns the functions the templates use, bound to a locale
// and the language of the questionnaire's texts on the page.
func templateFuncs(l i18n.Lang, qlang string) template.FuncMap {
	return template.FuncMap{
		"t":     l.T,
		"tn":    l.N,
		"th":    l.HTML,
		"thn":   l.NHTML,
		"maxMB": uploadMB,
		"msg":   func(m *survey.Message) string { return msgIn(l, m) },
		"label": func(v any) string { return EnumLabel(l, v) },
		"num":   survey.FormatNumberDE,
		"datetime": func(t time.Time) string {
			return l.DateTime(t, survey.Berlin())
		},
		"eur":  func(f float64) string { return survey.FormatFixedDE(analysis.RoundCents(f), 2) + "\u00a0€" },
		"dec1": func(f float64) string { return survey.FormatFixedDE(f, 1) },
		// cents writes integer cents as euros; bp basis points as percent.
		"cents": func(c int64) string { return survey.FormatFixedDE(float64(c)/100, 2) + "\u00a0€" },
		"bp":    func(b int) string { return survey.FormatNumberDE(float64(b)/100) + "\u00a0%" },
		"deref": func(f *float64) string {
			if f == nil {
				return "–"
			}
			return survey.FormatFixedDE(*f, 1)
		},
		"date": l.Date,
		// qlang is the language of the questionnaire's texts, which are
		// data and keep their language (lang="…" on its texts, WCAG
		// 3.1.2): German, or that of the XLSForm's label column.
		"qlang": func() string { return qlang },
		// tq is t for a message that inserts texts of the questionnaire,
		// passed through qtext: those are marked with their language.
		"tq":    func(key string, args ...any) template.HTML { return withTextsIn(l, qlang, key, args...) },
		"qtext": func(s string) qtext { return qtext(s) },
		// bdi isolates text people typed (names, answers), so direction
		// controls in it cannot reorder the page around it; tb is t with
		// every text argument isolated so.
		"bdi": isolate,
		"tb":  func(key string, args ...any) template.HTML { return withIsolatedTexts(l, key, args...) },
		// points lists a content text's lines (survey.Points).
		"points": survey.Points,
		// lines splits a text of several lines (an address) for <br>.
		"lines": func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, "\n")
		},
	}
}

// isolate returns s escaped in a <bdi> element: the browser lays it out on
// its own, whatever direction controls or right-to-left letters it holds.
func isolate(s string) template.HTML {
	if s == "" {
		return ""
	}
	return template.HTML("<bdi>" + html.EscapeString(s) + "</bdi>")
}

// withIsolatedTexts is t for a message whose text arguments are data
// people typed: each is isolated (isolate), the rest escaped.
func withIsolatedTexts(l i18n.Lang, key string, args ...any) template.HTML {
	return formatWithMarkup(l, key, args, func(a any) (string, bool) {
		s, ok := a.(string)
		return string(isolate(s)), ok
	})
}

// formatWithMarkup is t for a message some of whose arguments carry
// markup: mark returns an argument's HTML and true, or false for one that
// is formatted and escaped as usual.
func formatWithMarkup(l i18n.Lang, key string, args []any, mark func(any) (string, bool)) template.HTML {
	placeholder := func(i int) string { return fmt.Sprintf("\x00%d\x00", i) }
	formatted := slices.Clone(args)
	marked := map[int]string{}
	for i, a := range args {
		if m, ok := mark(a); ok {
			formatted[i], marked[i] = placeholder(i), m
		}
	}
	out := html.EscapeString(l.T(key, formatted...))
	for i, m := range marked {
		out = strings.ReplaceAll(out, placeholder(i), m)
	}
	return template.HTML(out)
}

// questionnaireLang is the language of questionnaires' texts unless a
// questionnaire says otherwise (survey.Questionnaire.Lang).
const questionnaireLang = "de"

// EnumLabel names a value of one of the domain's enumerations in the
// locale ("label" in templates): the catalogue key is the type's prefix
// and the value.
//
// Exported for package main's end-to-end tests.
func EnumLabel(l i18n.Lang, v any) string {
	key, ok := EnumKey(v)
	if !ok {
		return fmt.Sprint(v)
	}
	if !i18n.Has(key) {
		return fmt.Sprint(v)
	}
	return l.T(key)
}

// EnumKey returns the catalogue key of an enumeration value.
//
// Exported for package main's end-to-end tests.
func EnumKey(v any) (string, bool) {
	switch x := v.(type) {
	case survey.ResponseStatus:
		return "enum.response_status." + string(x), true
	case survey.RoundStatus:
		return "enum.round_status." + string(x), true
	case survey.Type:
		return "enum.question_type." + string(x), true
	case survey.MailKind:
		return "enum.mail_kind." + string(x), true
	case store.MailStatus:
		return "enum.mail_status." + string(x), true
	case analysis.GroupKind:
		return "enum.group_kind." + string(x), true
	case analysis.IssueSeverity:
		if x == analysis.IssueWarning {
			return "enum.issue_severity.warning", true
		}
		return "enum.issue_severity.note", true
	}
	return "", false
}

package web

// A form posted after its session is gone (link re-issued, logged out in
// another tab, idle or absolute time-out) is not stored, but not thrown
// away either: the 401 page carries every posted value in hidden fields
// (the page is no-store like every page; the server keeps nothing) and
// offers a way on. A Kommune pastes its personal link (sent by POST, never
// in an address) or opens it in a new tab and sends again; either way the
// form goes through the normal save with the revision it started from, so
// a colleague's changes since then give the usual conflict choice. Staff
// log in again on the page and then see the interrupted form filled in
// with what they typed; nothing is carried out until they send it again.

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/net/html"

	"bedarf/survey"
)

// keptField is one posted value carried as a hidden field.
type keptField struct{ Name, Value string }

// keptFields returns the posted values as hidden fields, names sorted and
// each name's values in posted order, every name with prefix in front.
// Passwords and the names in drop are left out: a password is typed again,
// never echoed into a page.
func keptFields(form url.Values, prefix string, drop ...string) []keptField {
	names := make([]string, 0, len(form))
	for name := range form {
		if !slices.Contains(drop, name) && !isPasswordField(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var out []keptField
	for _, name := range names {
		for _, v := range form[name] {
			out = append(out, keptField{Name: prefix + name, Value: v})
		}
	}
	return out
}

// isPasswordField names the fields that carry passwords (the login's and
// the new user's).
func isPasswordField(name string) bool { return strings.Contains(name, "passwort") }

// keptPrefix is put in front of the interrupted form's field names on the
// staff page, so they cannot clash with the login's own fields.
const keptPrefix = "eingabe."

// resumeView is what the 401 pages show besides the kept values.
type resumeView struct {
	Fields   []keptField
	HadFiles bool   // the form carried files: they are not kept
	Next     string // staff: the page shown after the login
	Action   string // staff: the interrupted form's address
	LinkErr  string // Kommune: why the pasted link was not accepted
	Mismatch bool   // Kommune: the browser is signed in with another Kommune's or round's link
	Orphaned bool   // staff, signed in again: the form's page no longer holds the form
	// StillLost: a Kommune sent the kept form again, but the browser has
	// no session yet (the link was not opened in another tab first).
	StillLost bool
}

// Visible returns the kept values a person typed, for the list shown when
// the form is gone: without the form's technical fields.
func (v resumeView) Visible() []keptField {
	var out []keptField
	for _, f := range v.Fields {
		name := strings.TrimPrefix(f.Name, keptPrefix)
		if slices.Contains(technicalFields, name) || name == "von" || name == "zurueck" || strings.HasPrefix(name, "konflikt") || f.Value == "" {
			continue
		}
		out = append(out, keptField{Name: name, Value: f.Value})
	}
	return out
}

// readKeptForm parses the posted form of a request whose session is gone,
// within the body bounds, and reports whether it carried files (they are
// not kept). A form body that cannot be read is answered (413, 400) and
// ok is false; a multipart body that cannot be read keeps no values, and
// the page says that files are not kept.
func (s *Server) readKeptForm(c *gin.Context) (form url.Values, files, ok bool) {
	if strings.HasPrefix(c.GetHeader("Content-Type"), "multipart/form-data") {
		err := c.Request.ParseMultipartForm(maxFormBytes)
		if err != nil {
			s.Log.Info("session lost: multipart form unreadable", "err", err)
			return url.Values{}, true, true
		}
		defer c.Request.MultipartForm.RemoveAll()
		return url.Values(c.Request.MultipartForm.Value), len(c.Request.MultipartForm.File) > 0, true
	}
	if !s.parseForm(c) {
		return nil, false, false
	}
	return c.Request.PostForm, false, true
}

// sessionLost answers a POST whose session is gone with the 401 page that
// keeps the input: the Kommune's with its two ways back, the staff's with
// the login.
func (s *Server) sessionLost(c *gin.Context, kommune bool) {
	form, files, ok := s.readKeptForm(c)
	if !ok {
		return
	}
	if kommune {
		_, again := form["link"] // sent again from the 401 page, still without a session
		s.kommuneSessionLost(c, http.StatusUnauthorized, resumeView{Fields: keptFields(form, "", "link"), HadFiles: files, StillLost: again})
		return
	}
	v := resumeView{Fields: keptFields(form, keptPrefix), HadFiles: files, Action: c.Request.URL.Path, Next: resumePage(c)}
	s.loginPage(c, http.StatusUnauthorized, "", "", &v)
}

// kommuneSessionLost renders the Kommune's 401 page.
func (s *Server) kommuneSessionLost(c *gin.Context, status int, v resumeView) {
	s.Render(c, status, "session_lost", PageData{Title: tr(c, "lost.title"), Page: v, KeepsInput: true})
}

// resumeWithLink takes a form kept on the 401 page together with the
// personal link pasted into it: a valid link starts a session as opening
// it would, and the form is then saved exactly as a POST to /fragebogen.
// A link that is not valid, or one of another Kommune or round than the
// form's, shows the page again with every value still there.
func (s *Server) resumeWithLink(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	form := c.Request.PostForm
	again := func(msg string) {
		s.kommuneSessionLost(c, http.StatusUnauthorized, resumeView{Fields: keptFields(form, "", "link"), LinkErr: msg})
	}
	if s.switchLanguage(c) {
		form.Del("sprache")
		again("") // the same page in the other language
		return
	}
	if wait, blocked := s.Limits.links.Blocked(c.ClientIP()); blocked {
		s.Log.Warn("link guessing limited", "route", c.FullPath())
		again(tr(c, "limits.links.text", retryAfter(c, wait)))
		return
	}
	tok := LinkToken(form.Get("link"))
	if tok == "" {
		again(tr(c, "lost.link.empty"))
		return
	}
	ref, err := s.St.ResolveToken(c.Request.Context(), tok)
	if survey.ErrorCode(err) == survey.ENotFound {
		s.Limits.links.Failed(c.ClientIP())
		again(tr(c, "lost.link.unknown"))
		return
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if id := form.Get("antwort"); id != "" && id != strconv.FormatInt(ref.ResponseID, 10) {
		again(tr(c, "lost.link.foreign"))
		return
	}
	if !s.startKommuneSession(c, ref) {
		return
	}
	form.Del("link")
	c.Request.Form.Del("link")
	if bookingAction(form.Get("aktion")) {
		s.postBookings(c) // a booking form (booking.go)
		return
	}
	s.saveForm(c)
}

// LinkToken takes the token out of what a person pasted: the whole link
// (with or without scheme and host) or the token alone.
//
// Exported for package main's end-to-end tests.
func LinkToken(pasted string) string {
	p := strings.TrimSpace(pasted)
	if i := strings.LastIndex(p, "/k/"); i >= 0 {
		p = p[i+len("/k/"):]
	}
	p, _, _ = strings.Cut(p, "?")
	p, _, _ = strings.Cut(p, "#")
	p = strings.TrimRight(p, "/")
	if len(p) > 200 || strings.ContainsAny(p, "/ \t\r\n") {
		return ""
	}
	return p
}

// ResumePages names, for each staff POST route, the page that holds its
// form; after a new login that page is shown with the form filled in. A
// route missing here leads to the overview.
//
// Exported for package main's end-to-end tests.
var ResumePages = withPages(feedbackResumePages, withPages(attendanceResumePages, withPages(offerResumePages, map[string]string{
	"/verwaltung/runden/:round/kommunen/:ags/zurueckgeben":           "/verwaltung/runden/:round/kommunen/:ags",
	"/verwaltung/runden/:round/kommunen/:ags/wiedereroeffnen":        "/verwaltung/runden/:round/kommunen/:ags",
	"/verwaltung/runden/:round/kommunen/:ags/frist":                  "/verwaltung/runden/:round/kommunen/:ags",
	"/verwaltung/runden/:round/kommunen/:ags/erfassen":               "/verwaltung/runden/:round/kommunen/:ags/erfassen",
	"/verwaltung/runden/:round/plan/szenarien":                       "/verwaltung/runden/:round/plan",
	"/verwaltung/runden/:round/plan/szenarien/:scenario":             "/verwaltung/runden/:round/plan?szenario=:scenario",
	"/verwaltung/runden/:round/plan/szenarien/:scenario/massgeblich": "/verwaltung/runden/:round/plan?szenario=:scenario",
	"/verwaltung/runden/:round/plan/szenarien/:scenario/loeschen":    "/verwaltung/runden/:round/plan?szenario=:scenario",
	"/verwaltung/runden":                                       "/verwaltung/runden/neu",
	"/verwaltung/runden/:round/oeffnen":                        "/verwaltung/runden/:round/verwalten",
	"/verwaltung/runden/:round/schliessen":                     "/verwaltung/runden/:round/verwalten",
	"/verwaltung/runden/:round/frist":                          "/verwaltung/runden/:round/verwalten",
	"/verwaltung/runden/:round/links":                          "/verwaltung/runden/:round/verwalten",
	"/verwaltung/runden/:round/einladungen/links":              "/verwaltung/runden/:round/einladungen/links-erzeugen",
	"/verwaltung/runden/:round/kommunen/:ags/link":             "/verwaltung/runden/:round/verwalten",
	"/verwaltung/runden/:round/kommunen/:ags/link/widerrufen":  "/verwaltung/runden/:round/verwalten",
	"/verwaltung/benutzer":                                     "/verwaltung/benutzer",
	"/verwaltung/benutzer/:user/sperren":                       "/verwaltung/benutzer",
	"/verwaltung/benutzer/:user/entsperren":                    "/verwaltung/benutzer",
	"/verwaltung/benutzer/:user/rolle":                         "/verwaltung/benutzer",
	"/verwaltung/benutzer/:user/passwort":                      "/verwaltung/benutzer",
	"/verwaltung/rechtstexte/:seite":                           "/verwaltung/rechtstexte/:seite",
	"/verwaltung/frageboegen":                                  "/verwaltung/frageboegen",
	"/verwaltung/kommunen/import":                              "/verwaltung/kommunen",
	"/verwaltung/kommunen/grenzen":                             "/verwaltung/kommunen",
	"/verwaltung/kommunen/grenzen/loeschen":                    "/verwaltung/kommunen",
	"/verwaltung/runden/:round/ergebnisse/freigeben":           "/verwaltung/runden/:round/ergebnisse",
	"/verwaltung/runden/:round/ergebnisse/zuruecknehmen":       "/verwaltung/runden/:round/ergebnisse",
	"/verwaltung/runden/:round/mail/texte":                     "/verwaltung/runden/:round/mail",
	"/verwaltung/runden/:round/mail/senden":                    "/verwaltung/runden/:round/mail/vorschau",
	"/verwaltung/runden/:round/mail/versand/:mail/wiederholen": "/verwaltung/runden/:round/mail",
	"/verwaltung/runden/:round/mail/versand/:mail/erneut":      "/verwaltung/runden/:round/mail",
	"/verwaltung/runden/:round/mail/versand/:mail/gesendet":    "/verwaltung/runden/:round/mail",
	"/verwaltung/kontakte/import":                              "/verwaltung/kontakte",
	"/verwaltung/runden/:round/kontakte-aus-antworten":         "/verwaltung/runden/:round/kontakte-aus-antworten",
	"/verwaltung/kontakte/:ags":                                "/verwaltung/kontakte/:ags",
	"/verwaltung/kontakte/:ags/:contact/loeschen":              "/verwaltung/kontakte/:ags",
	"/verwaltung/einrichtung/organisation":                     SetupPath,
	"/verwaltung/einrichtung/kommunen":                         SetupPath,
	"/verwaltung/einrichtung/kommunen/region-hannover":         SetupPath,
	"/verwaltung/einrichtung/grenzen":                          SetupPath,
	"/verwaltung/einrichtung/grenzen/region-hannover":          SetupPath,
	"/verwaltung/einrichtung/fragebogen":                       SetupPath,
	"/verwaltung/einrichtung/fragebogen/standard":              SetupPath,
	"/verwaltung/einrichtung/testmail":                         SetupPath,
})))

// resumePage is the address of the page holding the form of this staff
// POST, with the route's parameters filled in and the query kept.
func resumePage(c *gin.Context) string {
	page, ok := ResumePages[c.FullPath()]
	if !ok {
		return "/verwaltung"
	}
	for _, p := range c.Params {
		page = strings.ReplaceAll(page, ":"+p.Key, url.PathEscape(p.Value))
	}
	if q := c.Request.URL.RawQuery; q != "" {
		if strings.Contains(page, "?") {
			page += "&" + q
		} else {
			page += "?" + q
		}
	}
	return page
}

// staffLocal reports whether p is an address inside the staff area (no
// scheme, no host), so a kept "weiter" can never lead elsewhere.
func staffLocal(p string) bool {
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && !strings.HasPrefix(p, "//") &&
		(u.Path == "/verwaltung" || strings.HasPrefix(u.Path, "/verwaltung/")) && !strings.Contains(u.Path, "..")
}

// resumeOf reads the interrupted form that a login from the 401 page
// carries: nil when the login came from the plain login page.
func resumeOf(form url.Values) *resumeView {
	next, action := form.Get("weiter"), form.Get("formular")
	if !staffLocal(next) || !staffLocal(action) {
		return nil
	}
	v := &resumeView{Next: next, Action: action}
	for name, vals := range form {
		if strings.HasPrefix(name, keptPrefix) {
			for _, val := range vals {
				v.Fields = append(v.Fields, keptField{Name: name, Value: val})
			}
		}
	}
	slices.SortStableFunc(v.Fields, func(a, b keptField) int { return strings.Compare(a.Name, b.Name) })
	return v
}

// values returns the kept fields under their own names again.
func (v *resumeView) values() url.Values {
	out := url.Values{}
	for _, f := range v.Fields {
		out.Add(strings.TrimPrefix(f.Name, keptPrefix), f.Value)
	}
	return out
}

// showResumed answers a login from the 401 page: the page holding the
// interrupted form, rendered as a GET with the new session and the form
// filled in with the kept values. Nothing is sent on the person's behalf:
// the form waits for them to check it and send it again.
func (s *Server) showResumed(c *gin.Context, sessionID string, v *resumeView) {
	kept := v.values()
	if len(kept) == 0 {
		c.Redirect(http.StatusSeeOther, v.Next)
		return
	}
	u, _ := url.Parse(v.Next) // staffLocal checked it
	req := c.Request.Clone(context.WithoutCancel(c.Request.Context()))
	req.Method, req.URL, req.RequestURI = http.MethodGet, u, u.RequestURI()
	req.Body, req.ContentLength, req.Form, req.PostForm, req.MultipartForm = http.NoBody, 0, nil, nil, nil
	req.Header.Del("Content-Type")
	req.Header.Del("Content-Length")
	req.Header.Del("Cookie")
	name := s.cookieName(c)
	for _, ck := range c.Request.Cookies() {
		if ck.Name != name {
			req.AddCookie(ck)
		}
	}
	req.AddCookie(&http.Cookie{Name: name, Value: sessionID})
	rec := &pageRecorder{header: http.Header{}}
	s.Engine.ServeHTTP(rec, req)
	body := rec.body.Bytes()
	filled, ok := []byte(nil), false
	if rec.status == http.StatusOK && strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") {
		filled, ok = PrefillForm(body, strings.SplitN(v.Action, "?", 2)[0], kept, tr(c, "lost.staff.filled"))
	}
	if !ok && len(v.Visible()) == 0 {
		c.Redirect(http.StatusSeeOther, v.Next) // nothing typed: only a button was pressed
		return
	}
	if !ok {
		// The form is gone (removed meanwhile, or the page refuses): the
		// values are listed so that nothing typed is lost.
		s.Log.Info("session lost: form not found after login", "page", u.Path)
		v.Orphaned = true
		s.Render(c, http.StatusOK, "session_lost", PageData{Title: tr(c, "lost.orphan.title"), Page: *v, KeepsInput: true})
		return
	}
	rec.send(c, rec.status, filled)
}

// pageRecorder catches a page rendered for showResumed.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *pageRecorder) Header() http.Header { return r.header }

// send answers c with the recorded page's headers (but its length and
// cookies), the status and body.
func (r *pageRecorder) send(c *gin.Context, status int, body []byte) {
	h := c.Writer.Header()
	for k, vs := range r.header {
		if k != "Content-Length" && k != "Set-Cookie" {
			h[k] = vs
		}
	}
	c.Data(status, r.header.Get("Content-Type"), body)
}
func (r *pageRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}
func (r *pageRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// PrefillForm fills the form whose action is the path action in a rendered
// page with the kept values: text fields, hidden fields (among them the
// revision the person started from), text areas, selects, checkboxes and
// radio buttons; passwords and buttons stay as they are. A notice that
// nothing is saved yet goes in front of the form. It reports false when
// the page has no such form.
//
// Exported for package main's end-to-end tests.
func PrefillForm(page []byte, action string, kept url.Values, notice string) ([]byte, bool) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, false
	}
	var form *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if form != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" {
			if a, _, _ := strings.Cut(attrOf(n, "action"), "?"); a == action {
				form = n
				return
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			find(ch)
		}
	}
	find(doc)
	if form == nil {
		return nil, false
	}
	used := map[string]int{}
	next := func(name string) (string, bool) {
		vs, ok := kept[name]
		if !ok || used[name] >= len(vs) {
			return "", false
		}
		used[name]++
		return vs[used[name]-1], true
	}
	var fill func(n *html.Node)
	fill = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := attrOf(n, "name")
			switch {
			case name == "":
			case n.Data == "input":
				switch typ := attrOf(n, "type"); typ {
				case "checkbox", "radio":
					setAttr(n, "checked", slices.Contains(kept[name], attrOf(n, "value")), "")
				case "password", "submit", "button", "reset", "file", "image":
				default:
					if v, ok := next(name); ok {
						setAttr(n, "value", true, v)
					}
				}
			case n.Data == "textarea":
				if v, ok := next(name); ok {
					for n.FirstChild != nil {
						n.RemoveChild(n.FirstChild)
					}
					n.AppendChild(&html.Node{Type: html.TextNode, Data: v})
				}
			case n.Data == "select":
				if vs, ok := kept[name]; ok {
					var opts func(o *html.Node)
					opts = func(o *html.Node) {
						if o.Type == html.ElementNode && o.Data == "option" {
							val := attrOf(o, "value")
							if !hasAttr(o, "value") {
								val = textOf(o)
							}
							setAttr(o, "selected", slices.Contains(vs, val), "")
						}
						for ch := o.FirstChild; ch != nil; ch = ch.NextSibling {
							opts(ch)
						}
					}
					opts(n)
					return
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			fill(ch)
		}
	}
	fill(form)
	note := &html.Node{Type: html.ElementNode, Data: "div", Attr: []html.Attribute{{Key: "class", Val: "notice warn"}, {Key: "role", Val: "status"}, {Key: "id", Val: "eingaben-wiederhergestellt"}}}
	note.AppendChild(&html.Node{Type: html.TextNode, Data: notice})
	form.Parent.InsertBefore(note, form)
	var out bytes.Buffer
	if err := html.Render(&out, doc); err != nil {
		return nil, false
	}
	return out.Bytes(), true
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

// setAttr sets (on) or removes (off) the attribute key.
func setAttr(n *html.Node, key string, on bool, val string) {
	n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
	if on {
		n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

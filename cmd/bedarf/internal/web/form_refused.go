package web

// A staff form whose input the store refuses is never answered with a
// dead-end error page: the page holding the form (ResumePages) is rendered
// again as a GET, its form filled with every posted value, and the message
// put at the field it concerns (aria-describedby, aria-invalid), or in
// front of the form when it concerns the form as a whole.

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/net/html"
)

// formErrorID is the id of the message shown in front of a refused form.
const formErrorID = "formular-fehler"

// reshowForm answers a refused staff POST with the page of its form,
// filled in, and the message at field (empty: in front of the form). It
// reports false when there is no such page or it holds no such form; the
// caller then shows the error page.
func (s *Server) reshowForm(c *gin.Context, status int, field, msg string) bool {
	if c.Request.Method != http.MethodPost || !strings.HasPrefix(c.FullPath(), "/verwaltung") {
		return false
	}
	if _, ok := ResumePages[c.FullPath()]; !ok {
		return false
	}
	page := resumePage(c)
	req, err := http.NewRequestWithContext(context.WithoutCancel(c.Request.Context()), http.MethodGet, page, http.NoBody)
	if err != nil {
		return false
	}
	for _, h := range []string{"Cookie", "Accept-Language", "User-Agent"} {
		if v := c.Request.Header.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	req.RemoteAddr, req.Host = c.Request.RemoteAddr, c.Request.Host
	rec := &pageRecorder{header: http.Header{}}
	s.Engine.ServeHTTP(rec, req)
	if rec.status != http.StatusOK || !strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") {
		return false
	}
	out, ok := markRefused(rec.body.Bytes(), c.Request.URL.Path, c.Request.PostForm, field, msg)
	if !ok {
		return false
	}
	rec.send(c, status, out)
	return true
}

// markRefused fills the form posting to action with the posted values and
// puts the message at field: a paragraph in front of the field's control,
// which names it in aria-describedby and is marked aria-invalid. Without
// the field in the form the message goes in front of the form (role
// alert). It reports false when the page has no such form.
func markRefused(page []byte, action string, posted map[string][]string, field, msg string) ([]byte, bool) {
	filled, ok := PrefillForm(page, action, posted, "")
	if !ok {
		return nil, false
	}
	doc, err := html.Parse(bytes.NewReader(filled))
	if err != nil {
		return nil, false
	}
	// PrefillForm put an empty notice in front of the form: it becomes
	// the message when no field carries it, and goes otherwise.
	var note, control *html.Node
	var walk func(n *html.Node, inForm bool)
	walk = func(n *html.Node, inForm bool) {
		if n.Type == html.ElementNode {
			if attrOf(n, "id") == "eingaben-wiederhergestellt" {
				note = n
			}
			if n.Data == "form" {
				a, _, _ := strings.Cut(attrOf(n, "action"), "?")
				inForm = a == action
			}
			if inForm && control == nil && field != "" && attrOf(n, "name") == field && attrOf(n, "type") != "hidden" &&
				(n.Data == "input" || n.Data == "select" || n.Data == "textarea") {
				control = n
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, inForm)
		}
	}
	walk(doc, false)
	if note == nil {
		return nil, false
	}
	for note.FirstChild != nil {
		note.RemoveChild(note.FirstChild)
	}
	note.AppendChild(&html.Node{Type: html.TextNode, Data: msg})
	if control == nil {
		note.Attr = []html.Attribute{{Key: "class", Val: "notice error"}, {Key: "role", Val: "alert"}, {Key: "id", Val: formErrorID}}
	} else {
		note.Parent.RemoveChild(note)
		id := "fehler-" + strings.NewReplacer(".", "-", ":", "-", " ", "-").Replace(field)
		p := &html.Node{Type: html.ElementNode, Data: "p", Attr: []html.Attribute{{Key: "class", Val: "field-error"}, {Key: "id", Val: id}}}
		p.AppendChild(&html.Node{Type: html.TextNode, Data: msg})
		control.Parent.InsertBefore(p, control)
		desc := id
		if d := attrOf(control, "aria-describedby"); d != "" {
			desc += " " + d
		}
		setAttr(control, "aria-describedby", true, desc)
		setAttr(control, "aria-invalid", true, "true")
	}
	var out bytes.Buffer
	if err := html.Render(&out, doc); err != nil {
		return nil, false
	}
	return out.Bytes(), true
}

package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/survey/store"
)

// storageRetry is what a 503 for a storage failure asks the client to wait
// (Retry-After, seconds).
const storageRetry = "60"

// storageFailed answers err with 503 when it is a failure of the storage
// (disk full, I/O error, database locked past the busy timeout; see
// store.Unavailable) and reports whether it did. A POST gets its posted
// values back in a form that sends them again (the unsaved page); other
// requests get a page that asks to try again shortly.
func (s *Server) storageFailed(c *gin.Context, err error) bool {
	if !s.unsaved(c, err) {
		return false
	}
	if c.Request.Method == http.MethodPost {
		s.Render(c, http.StatusServiceUnavailable, "unsaved", PageData{
			Title: tr(c, "storage.title"), Message: tr(c, "storage.notice"), Page: keptForm(c),
		})
		return true
	}
	s.errorPage(c, http.StatusServiceUnavailable, tr(c, "storage.title.read"), tr(c, "storage.text.read"))
	return true
}

// unsaved reports whether err is a failure of the storage; when it is, it
// logs it and asks the client to come back later (Retry-After), and the
// caller answers 503 with the person's input.
func (s *Server) unsaved(c *gin.Context, err error) bool {
	kind, ok := store.Unavailable(err)
	if !ok {
		return false
	}
	s.Log.Error("storage unavailable", "route", c.FullPath(), "kind", kind, "err", err)
	c.Header("Retry-After", storageRetry)
	return true
}

// unsavedPage turns the questionnaire page (the Kommune's or staff entry)
// built from the posted form into the answer to a save the storage
// refused: every value as typed, the revision the person started from (so
// that sending again still finds a colleague's change in between), and the
// notice that nothing was saved.
func unsavedPage(c *gin.Context, page formPage, form map[string][]string) formPage {
	if base, err := strconv.Atoi(first(form, "revision")); err == nil {
		page.Response.Revision = base
	}
	page.Unsaved, page.Notice = true, tr(c, "storage.notice")
	return page
}

// keptValues is a posted form as the unsaved page shows it again: every
// value the person typed in a field of its own, under the field's name,
// and the values they did not type (revision, ids, the button pressed) as
// hidden fields, so that sending the page again repeats the request.
type keptValues struct {
	Action    string // where the form was posted (path and query)
	Fields    []shownField
	Hidden    []keptField // as the 401 page keeps them (session_lost.go)
	Passwords []string    // password fields: never shown again, asked for anew
	Files     []string    // file fields: files cannot be kept, chosen anew
}

// shownField is one posted value shown in a field of its own.
type shownField struct {
	ID, Name, Value string
	Long            bool // a textarea: several lines or a long text
}

// technicalFields are posted by forms without being typed by anyone.
var technicalFields = []string{"revision", "konflikte", "aktion", "antwort", "stand", "von"}

// keptForm reads the posted form of the request (parsing it if the
// handler has not yet) into keptValues, fields sorted by name.
func keptForm(c *gin.Context) keptValues {
	r := c.Request
	if r.PostForm == nil {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			_ = r.ParseMultipartForm(maxFormBytes) // best effort: show what can be read
		} else {
			_ = r.ParseForm()
		}
	}
	kv := keptValues{Action: r.URL.RequestURI()}
	names := make([]string, 0, len(r.PostForm))
	for name := range r.PostForm {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if isPasswordField(strings.ToLower(name)) {
			kv.Passwords = append(kv.Passwords, name)
			continue
		}
		for _, v := range r.PostForm[name] {
			if v == "" || slices.Contains(technicalFields, name) || strings.HasPrefix(name, "konflikt.") {
				kv.Hidden = append(kv.Hidden, keptField{Name: name, Value: v})
				continue
			}
			f := shownField{Name: name, Value: v}
			f.ID = "wert-" + strconv.Itoa(len(kv.Fields)+1)
			f.Long = strings.Contains(v, "\n") || len(v) > 120
			kv.Fields = append(kv.Fields, f)
		}
	}
	if r.MultipartForm != nil {
		for name := range r.MultipartForm.File {
			kv.Files = append(kv.Files, name)
		}
		slices.Sort(kv.Files)
	}
	return kv
}

// ready is /readyz: whether the database can take writes, for a proxy
// (200 or 503) and for monitoring (the JSON body). Unlike /healthz it looks
// at the free space and the last failed write; it never writes itself.
func (s *Server) ready(c *gin.Context) {
	r := s.St.Readiness(c.Request.Context())
	type writeError struct {
		At      time.Time `json:"at"`
		Kind    string    `json:"kind"`
		Error   string    `json:"error"`
		Current bool      `json:"current"`
	}
	body := struct {
		Status         string      `json:"status"`
		Database       string      `json:"database"`
		FreeBytes      int64       `json:"free_bytes"`
		MinFreeBytes   int64       `json:"min_free_bytes"`
		LastWriteError *writeError `json:"last_write_error"`
		LastWriteOK    *time.Time  `json:"last_write_ok"`
	}{Status: "ready", Database: "ok", FreeBytes: r.FreeBytes, MinFreeBytes: store.MinFreeBytes}
	if r.Database != "" {
		body.Database = r.Database
	}
	if e := r.LastWriteError; e != nil {
		body.LastWriteError = &writeError{At: e.At.UTC(), Kind: e.Kind, Error: e.Err, Current: r.Current}
	}
	if !r.LastWriteOK.IsZero() {
		ok := r.LastWriteOK.UTC()
		body.LastWriteOK = &ok
	}
	status := http.StatusOK
	if !r.Ready {
		body.Status, status = "not ready", http.StatusServiceUnavailable
		c.Header("Retry-After", storageRetry)
	}
	c.JSON(status, body)
}

package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// FormSteps is one build of the Kommune's questionnaire page, timed step
// by step as the handler runs the steps: the web layer's one measurement
// entry (see MeasureForm), so that `bedarf bench` can say where the time
// of the page goes without reaching into the handlers.
type FormSteps struct {
	// Loads: the session, round, questionnaire, response and answers
	// (SQLite reads).
	Loads time.Duration
	// Session: the session's read alone (part of Loads).
	Session time.Duration
	// Check: the posted form checked (a save) or the stored answers
	// checked again (the page's GET).
	Check time.Duration
	// Save: SaveResponse's transaction (a save only).
	Save time.Duration
	// Back: the stored answers turned back into form values and checked
	// again (a save only).
	Back time.Duration
	// Model: the page model (formPage).
	Model time.Duration
	// Page: the page written (from its skeleton, as the handler writes
	// it) into a writer that drops it.
	Page time.Duration
	// Revision is the response's revision after the build.
	Revision int
	// Render writes the page again from its skeleton on the same page
	// model: the rendering alone.
	Render func() error
	// Template executes the form's template (the renderer before the
	// skeleton, kept as the skeleton's reference) on the same page model:
	// the template alone, the page's older baseline.
	Template func() error
}

// MeasureForm builds the questionnaire page of the Kommune signed in with
// the session sid once, in process (no HTTP, no middleware), and times its
// steps: as the page's GET does when post is nil, as a draft save does
// when post is the posted form (its "revision" the base of the save).
// Nothing but the draft save is written.
func (s *Server) MeasureForm(ctx context.Context, sid string, post url.Values) (FormSteps, error) {
	var st FormSteps
	var body *strings.Reader
	method := http.MethodGet
	if post != nil {
		method, body = http.MethodPost, strings.NewReader(post.Encode())
	}
	req := httptest.NewRequestWithContext(ctx, method, "/fragebogen", nil)
	if body != nil {
		req = httptest.NewRequestWithContext(ctx, method, "/fragebogen", body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := req.ParseForm(); err != nil {
			return st, fmt.Errorf("measure form: %w", err)
		}
	}
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = req

	t := time.Now()
	sess, err := s.St.SessionByID(ctx, sid)
	if err != nil {
		return st, fmt.Errorf("measure form: session: %w", err)
	}
	st.Session = time.Since(t)
	c.Set(sessionKey, &sess)
	base := -1
	if post != nil {
		if base, err = strconv.Atoi(post.Get("revision")); err != nil {
			return st, fmt.Errorf("measure form: revision %q: %w", post.Get("revision"), err)
		}
	}
	fs, qn, ok := s.loadKommuneState(c, base)
	if !ok {
		return st, errors.New("measure form: the Kommune's loads failed")
	}
	round, resp, ans := fs.Round, fs.Response, fs.Answers
	st.Loads = time.Since(t)

	var shown map[string][]string
	var res survey.Result
	if post == nil {
		t = time.Now()
		res = qn.ReCheck(ans, survey.Draft)
		st.Check = time.Since(t)
		shown = qn.FormValues(ans)
	} else {
		t = time.Now()
		res = qn.Check(post, survey.Draft)
		st.Check = time.Since(t)
		t = time.Now()
		saved, err := s.St.SaveResponse(ctx, store.Save{ResponseID: resp.ID, BaseRevision: base, Answers: res.Answers,
			Actor:         survey.Actor{Kind: "kommune", Label: cmp.Or(post.Get("bearbeitung"), "Kommune "+resp.Kommune.Name)},
			Questionnaire: qn, RoundMustAccept: true, From: &fs})
		if err != nil {
			return st, fmt.Errorf("measure form: save: %w", err)
		}
		st.Save = time.Since(t)
		t = time.Now()
		shown = qn.FormValues(saved.Answers)
		res = qn.Check(shown, survey.Draft)
		st.Back = time.Since(t)
		resp.Revision, resp.Status = saved.Revision, saved.Status
	}
	st.Revision = resp.Revision

	t = time.Now()
	page := s.FormPage(c, round, qn, resp, shown, res)
	st.Model = time.Since(t)
	data := PageData{Title: qn.Title, Page: page, QLang: qn.Lang}
	st.Render = func() error {
		dw := &discardWriter{h: http.Header{}}
		rc := gin.CreateTestContextOnly(dw, s.Engine)
		rc.Request, rc.Keys = c.Request, c.Keys
		s.Render(rc, http.StatusOK, formPageName, data)
		if dw.status != http.StatusOK || dw.n == 0 {
			return fmt.Errorf("measure form: render: status %d, %d bytes", dw.status, dw.n)
		}
		return nil
	}
	st.Template = func() error {
		// What Render did before the skeleton: the page data completed,
		// the template executed into a buffer, the buffer written.
		d := data
		d.Lang, d.Path = lang(c), s.returnPath(c)
		org, orgSet, err := s.pageOrganisation(ctx)
		if err != nil {
			return fmt.Errorf("measure form: organisation: %w", err)
		}
		d.Org, d.OrgSet = org, orgSet
		t, err := s.Pages.page(d.Lang, s.Pages.qlang(cmp.Or(d.QLang, questionnaireLang)), formPageName)
		if err != nil {
			return fmt.Errorf("measure form: templates: %w", err)
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, d); err != nil {
			return fmt.Errorf("measure form: template: %w", err)
		}
		dw := &discardWriter{h: http.Header{}}
		dw.Write(buf.Bytes())
		return nil
	}
	t = time.Now()
	if err := st.Render(); err != nil {
		return st, err
	}
	st.Page = time.Since(t)
	return st, nil
}

// SaveBaseline is the floor of a background save for `bedarf bench`:
// the same cross-origin protection, middleware (with the session read) and
// Kommune check as POST AutosavePath, the form parsed, and an empty answer
// (204). With the save's reads (store.KommuneForm) and a raw transaction it
// is what any background save must cost.
func (s *Server) SaveBaseline() http.Handler {
	r := s.engine()
	r.POST(AutosavePath, s.requireKommuneJSON, func(c *gin.Context) {
		if s.parseFormJSON(c) {
			c.Status(http.StatusNoContent)
		}
	})
	return s.protect(r)
}

// discardWriter is an http.ResponseWriter that counts and drops the body.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *discardWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}

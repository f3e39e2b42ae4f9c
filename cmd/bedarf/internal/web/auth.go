package web

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// sessionKey is where loadSession leaves the request's session in the gin context.
const sessionKey = "bedarf.session"

// cookieName is "__Host-bedarf" when the browser came over https (the
// prefix binds the cookie to the host and requires Secure; see
// requestSecure), plain "bedarf" on http.
func (s *Server) cookieName(c *gin.Context) string {
	if s.requestSecure(c) {
		return "__Host-bedarf"
	}
	return "bedarf"
}

func (s *Server) setSessionCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: s.cookieName(c), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.requestSecure(c), SameSite: http.SameSiteLaxMode,
	})
}

// loadSession attaches the live session named by the cookie, if any. A
// session found whose use could not be recorded still counts (the request's
// own write will meet the same storage); one that could not be read is
// answered 503 with the posted values (storageFailed), never taken for no
// session.
func (s *Server) loadSession(c *gin.Context) {
	if p := c.Request.URL.Path; strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" {
		c.Next()
		return
	}
	if ck, err := c.Request.Cookie(s.cookieName(c)); err == nil && ck.Value != "" {
		sess, err := s.St.SessionByID(c.Request.Context(), ck.Value)
		switch {
		case err == nil:
			c.Set(sessionKey, &sess)
		case errors.Is(err, store.ErrSessionNotTouched):
			s.Log.Warn("session use not recorded", "err", err)
			c.Set(sessionKey, &sess)
		case survey.ErrorCode(err) == survey.ENotFound:
			s.setSessionCookie(c, "", -1)
		case s.storageFailed(c, err):
			c.Abort()
			return
		default:
			s.Log.Error("load session", "err", err)
		}
	}
	c.Next()
}

func session(c *gin.Context) *store.Session {
	v, ok := c.Get(sessionKey)
	if !ok {
		return nil
	}
	return v.(*store.Session)
}

// requireKommune lets only link holders through.
func (s *Server) requireKommune(c *gin.Context) {
	sess := session(c)
	if sess == nil || sess.Kind != "kommune" {
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
			s.sessionLost(c, true)
			c.Abort()
			return
		}
		s.Render(c, http.StatusUnauthorized, "error", PageData{
			Title:   tr(c, "error.need_link.title"),
			Message: tr(c, "error.need_link.text"),
		})
		c.Abort()
		return
	}
	c.Next()
}

// requireStaff lets only signed-in staff through and viewers only read.
func (s *Server) requireStaff(c *gin.Context) {
	sess := session(c)
	if sess == nil || sess.Kind != "staff" {
		if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
			c.Redirect(http.StatusSeeOther, "/anmelden")
		} else {
			s.sessionLost(c, false)
		}
		c.Abort()
		return
	}
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead && sess.User.Role != store.RoleAdmin {
		s.errorPage(c, http.StatusForbidden, tr(c, "error.forbidden.title"), tr(c, "error.forbidden.text"))
		c.Abort()
		return
	}
	c.Next()
}

// openLink exchanges a personal link for a session and redirects to a clean
// address, so the token does not stay in the address bar or history. It
// changes no status: mail scanners open links too.
func (s *Server) openLink(c *gin.Context) {
	if s.linkLimited(c) {
		return
	}
	tok := c.Param("token")
	if len(tok) > 200 || !utf8.ValidString(tok) {
		s.Limits.links.Failed(c.ClientIP())
		s.linkNotFound(c)
		return
	}
	ref, err := s.St.ResolveToken(c.Request.Context(), tok)
	if survey.ErrorCode(err) == survey.ENotFound {
		s.Limits.links.Failed(c.ClientIP())
		s.linkNotFound(c)
		return
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if s.startKommuneSession(c, ref) {
		c.Redirect(http.StatusSeeOther, "/fragebogen")
	}
}

// startKommuneSession ends the browser's session, if any, and starts one
// for the link holder; on failure it answers and returns false.
func (s *Server) startKommuneSession(c *gin.Context, ref store.TokenRef) bool {
	if ck, err := c.Request.Cookie(s.cookieName(c)); err == nil && ck.Value != "" {
		_ = s.St.DeleteSession(c.Request.Context(), ck.Value)
	}
	id, err := s.St.CreateKommuneSession(c.Request.Context(), ref)
	if err != nil {
		s.errorFor(c, err)
		return false
	}
	s.setSessionCookie(c, id, int(store.KommuneAbsolute.Seconds()))
	c.Set(sessionKey, &store.Session{Kind: "kommune", Token: ref})
	return true
}

func (s *Server) linkNotFound(c *gin.Context) {
	s.Render(c, http.StatusNotFound, "error", PageData{
		Title:   tr(c, "error.bad_link.title"),
		Message: tr(c, "error.bad_link.text"),
	})
}

func (s *Server) showLogin(c *gin.Context) {
	if sess := session(c); sess != nil && sess.Kind == "staff" {
		c.Redirect(http.StatusSeeOther, "/verwaltung")
		return
	}
	s.loginPage(c, http.StatusOK, "", "", nil)
}

// loginPage renders the login; resume, when set, is the interrupted form
// that the 401 page keeps (session_lost.go): its values ride along in
// hidden fields through failed attempts and the back-off.
func (s *Server) loginPage(c *gin.Context, status int, email, msg string, resume *resumeView) {
	data := PageData{Title: tr(c, "login.title"), Email: email, Message: msg}
	if resume != nil {
		data.Title = tr(c, "lost.staff.title")
		data.Page, data.KeepsInput = resume, true
	}
	s.Render(c, status, "login", data)
}

// login checks e-mail and password. An unknown e-mail and a wrong password
// get the same answer and take the same time (a dummy hash is checked).
func (s *Server) login(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	email := strings.TrimSpace(c.Request.PostForm.Get("email"))
	password := c.Request.PostForm.Get("passwort")
	if resume := resumeOf(c.Request.PostForm); resume != nil && s.switchLanguage(c) {
		s.loginPage(c, http.StatusUnauthorized, email, "", resume) // the kept page in the other language
		return
	}
	device := s.deviceFor(c, email)
	if s.loginLimited(c, email, device) {
		return
	}
	u, err := s.St.UserByEmail(c.Request.Context(), email)
	if err != nil && survey.ErrorCode(err) != survey.ENotFound {
		s.errorFor(c, err)
		return
	}
	ok := auth.CheckPassword(u.PasswordHash, password) && !u.Disabled
	if !ok {
		s.Log.Warn("login failed", "account", accountKey(email), "client", c.ClientIP(), "device_cookie", device != "")
		_ = s.St.Audit(c.Request.Context(), survey.Actor{Kind: "anonymous", Label: "unbekannt"}, "login.failed", 0, 0, "")
		s.loginPage(c, http.StatusUnauthorized, email, tr(c, "login.failed"), resumeOf(c.Request.PostForm))
		return
	}
	if ck, err := c.Request.Cookie(s.cookieName(c)); err == nil {
		_ = s.St.DeleteSession(c.Request.Context(), ck.Value) // rotate: never keep a pre-login session id
	}
	s.Limits.login.Succeeded(email, c.ClientIP(), device)
	s.setDeviceCookie(c, email)
	id, err := s.St.CreateStaffSession(c.Request.Context(), u)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.setSessionCookie(c, id, 0)
	if resume := resumeOf(c.Request.PostForm); resume != nil {
		s.showResumed(c, id, resume)
		return
	}
	// While Kommunen, questionnaire or round are missing, admins land on
	// the setup page.
	if u.Role == store.RoleAdmin {
		if needed, err := s.setupNeeded(c.Request.Context()); err != nil {
			s.Log.Error("setup state", "err", err)
		} else if needed {
			c.Redirect(http.StatusSeeOther, SetupPath)
			return
		}
	}
	c.Redirect(http.StatusSeeOther, "/verwaltung")
}

func (s *Server) logout(c *gin.Context) {
	if ck, err := c.Request.Cookie(s.cookieName(c)); err == nil {
		if err := s.St.DeleteSession(c.Request.Context(), ck.Value); err != nil {
			s.Log.Error("logout", "err", err)
		}
	}
	s.setSessionCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/anmelden")
}

// MaxValueRunes bounds each name and value of a form, in characters: above
// every question's max_length (long texts default to 10,000), so that no
// answer is kept as typed beyond it, and far below the body bound.
//
// Exported for package main's end-to-end tests.
const MaxValueRunes = 20000

// errValueTooLong is parseForm's refusal of a value over MaxValueRunes.
var errValueTooLong = errors.New("form value too long")

// parseForm reads a form body within the size bound; on failure it answers
// (413 for a body too large, 400 otherwise) and returns false. Names and
// values, of the body and the query, must be valid UTF-8 of at most
// MaxValueRunes characters each.
func (s *Server) parseForm(c *gin.Context) bool {
	status, title, text := formRefusal(c)
	if status == 0 {
		return true
	}
	s.errorPage(c, status, tr(c, title), tr(c, text))
	return false
}

// formRefusal parses the request's form (see parseForm) and returns 0, or
// the status and the catalogue keys of the title and text of its refusal.
func formRefusal(c *gin.Context) (status int, title, text string) {
	err := c.Request.ParseForm()
	if err == nil {
		tooLong := func(v string) bool { return len(v) > MaxValueRunes && utf8.RuneCountInString(v) > MaxValueRunes }
		for k, vs := range c.Request.Form {
			if !utf8.ValidString(k) {
				err = errors.New("invalid UTF-8 in field name")
				break
			}
			if tooLong(k) {
				err = errValueTooLong
			}
			for _, v := range vs {
				if !utf8.ValidString(v) {
					err = errors.New("invalid UTF-8")
					break
				}
				if tooLong(v) {
					err = errValueTooLong
				}
			}
			if err != nil && err != errValueTooLong {
				break
			}
		}
		if len(c.Request.PostForm) > 5000 {
			err = errors.New("too many fields")
		}
	}
	if err == nil {
		return 0, "", ""
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "error.too_large.title", "error.too_large.text"
	case errors.Is(err, errValueTooLong):
		return http.StatusBadRequest, "error.value_long.title", "error.value_long.text"
	case c.Request.Context().Err() != nil:
		// The body did not arrive before the server's drain deadline (or
		// the client went away): nothing was saved, sending again works.
		c.Header("Retry-After", "10")
		return http.StatusServiceUnavailable, "error.stopping.title", "error.stopping.text"
	}
	return http.StatusBadRequest, "error.bad_request.title", "error.bad_request.text"
}

package web

import (
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// usersPage lists the staff accounts; an account just made or a password
// just generated is shown once, on the answer to the POST that made it.
type usersPage struct {
	Users       []store.User
	Me          int64
	Notice      string
	Created     *store.User
	Password    string // a generated password, shown once
	PasswordFor *store.User
	Form        userForm
}

type userForm struct {
	Email, Name, Role string
	Errors            []errorLink
}

// ErrorAt returns the message for the field with the id target, shown at
// the field ("" when it has none).
func (f userForm) ErrorAt(target string) string {
	for _, e := range f.Errors {
		if e.Target == target {
			return e.Message
		}
	}
	return ""
}

func (s *Server) usersList(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, usersPage{Notice: notice(c), Form: userForm{Role: string(store.RoleViewer)}})
}

func (s *Server) renderUsers(c *gin.Context, status int, p usersPage) {
	us, err := s.St.Users(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Users, p.Me = us, session(c).User.ID
	s.Render(c, status, "users", PageData{Title: tr(c, "users.title"), Page: p})
}

// createUser adds an account. Without a password given, one is generated
// and shown once.
func (s *Server) createUser(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	form := c.Request.PostForm
	f := userForm{Email: strings.TrimSpace(form.Get("email")), Name: strings.TrimSpace(form.Get("name")), Role: form.Get("rolle")}
	password, generated := form.Get("passwort"), false
	if password == "" {
		password, generated = auth.NewPassword(), true
	}
	// fail records a problem; label and msg are catalogue keys.
	fail := func(target, label, msg string) {
		f.Errors = append(f.Errors, errorLink{Target: target, Label: tr(c, label), Message: tr(c, msg)})
	}
	if addr, err := mail.ParseAddress(f.Email); err != nil || addr.Address != f.Email {
		fail("u-email", "login.email", "users.err.email")
	}
	if f.Name == "" || utf8.RuneCountInString(f.Name) > 200 {
		fail("u-name", "users.name", "users.err.name")
	}
	if r := store.Role(f.Role); r != store.RoleAdmin && r != store.RoleViewer {
		fail("u-rolle-viewer", "users.role", "users.err.role")
	}
	if !generated && utf8.RuneCountInString(password) < 12 {
		fail("u-passwort", "login.password", "msg.user.password")
	}
	var u store.User
	var err error
	if len(f.Errors) == 0 {
		u, err = s.St.CreateUser(c.Request.Context(), f.Email, f.Name, store.Role(f.Role), password, staffActor(c))
		if code := survey.ErrorCode(err); code == survey.EInvalid || code == survey.EConflict {
			f.Errors = append(f.Errors, errorLink{Target: "u-email", Label: tr(c, "login.email"), Message: emsg(c, err)})
		}
	}
	if len(f.Errors) > 0 {
		s.renderUsers(c, http.StatusUnprocessableEntity, usersPage{Form: f})
		return
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := usersPage{Created: &u, Form: userForm{Role: string(store.RoleViewer)}}
	if generated {
		p.Password, p.PasswordFor = password, &u
	}
	s.renderUsers(c, http.StatusOK, p)
}

// userFromURL resolves the account named in the URL.
func (s *Server) userFromURL(c *gin.Context) (store.User, bool) {
	id, err := strconv.ParseInt(c.Param("user"), 10, 64)
	if err != nil || id <= 0 {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.user.not_found"))
		return store.User{}, false
	}
	u, err := s.St.UserByID(c.Request.Context(), id)
	if err != nil {
		s.errorFor(c, err)
		return u, false
	}
	return u, true
}

// userAction runs a change of an account and returns to the list.
func (s *Server) userAction(c *gin.Context, done string, fn func(store.User) error) {
	if !s.parseForm(c) {
		return
	}
	u, ok := s.userFromURL(c)
	if !ok {
		return
	}
	if err := fn(u); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/verwaltung/benutzer?hinweis="+done)
}

// disableUser disables an account; its sessions end at once.
func (s *Server) disableUser(c *gin.Context) {
	s.userAction(c, "gesperrt", func(u store.User) error { return s.St.SetUserDisabled(c.Request.Context(), u.ID, true, staffActor(c)) })
}

func (s *Server) enableUser(c *gin.Context) {
	s.userAction(c, "entsperrt", func(u store.User) error { return s.St.SetUserDisabled(c.Request.Context(), u.ID, false, staffActor(c)) })
}

func (s *Server) setUserRole(c *gin.Context) {
	s.userAction(c, "konto", func(u store.User) error {
		return s.St.SetUserRole(c.Request.Context(), u.ID, store.Role(c.Request.PostForm.Get("rolle")), staffActor(c))
	})
}

// resetPassword gives an account a new generated password, shown once; its
// sessions end.
func (s *Server) resetPassword(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	u, ok := s.userFromURL(c)
	if !ok {
		return
	}
	password := auth.NewPassword()
	if err := s.St.SetPassword(c.Request.Context(), u.ID, password, staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	s.renderUsers(c, http.StatusOK, usersPage{Password: password, PasswordFor: &u, Form: userForm{Role: string(store.RoleViewer)}})
}

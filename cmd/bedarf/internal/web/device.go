package web

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/survey/auth"
)

// Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
// Cookies"): after a successful login the browser gets a cookie that names
// the account, sealed with the server's key (encrypted and authenticated,
// so it can be neither read nor forged). A login attempt for that account
// from a browser that shows it is counted against the cookie only, so a
// stranger guessing passwords for the account cannot lock its owner out.
// The cookie holds one account (the last one that logged in from the
// browser) and is renewed with every login.

// deviceMaxAge is how long a device cookie is honoured.
const deviceMaxAge = 180 * 24 * time.Hour

// devicePrefix marks the plain text of a device cookie, so no other value
// sealed with the same key passes as one.
const devicePrefix = "bedarf-device-1\x00"

func (s *Server) deviceCookieName(c *gin.Context) string {
	if s.requestSecure(c) {
		return "__Host-bedarf_geraet"
	}
	return "bedarf_geraet"
}

// deviceFor returns the id of the browser's device cookie if it is valid
// for the account typed, or "".
func (s *Server) deviceFor(c *gin.Context, email string) string {
	ck, err := c.Request.Cookie(s.deviceCookieName(c))
	if err != nil || ck.Value == "" || len(ck.Value) > 1024 {
		return ""
	}
	sealed, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return ""
	}
	plain, err := s.sealer.Open(sealed)
	if err != nil {
		return ""
	}
	rest, ok := strings.CutPrefix(plain, devicePrefix)
	if !ok {
		return ""
	}
	parts := strings.Split(rest, "\x00")
	if len(parts) != 3 || parts[0] != accountKey(email) {
		return ""
	}
	issued, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || s.Limits.login.now().Sub(time.Unix(issued, 0)) > deviceMaxAge {
		return ""
	}
	return parts[1]
}

// setDeviceCookie gives the browser a new device cookie for the account.
func (s *Server) setDeviceCookie(c *gin.Context, email string) {
	plain := devicePrefix + accountKey(email) + "\x00" + auth.NewToken() + "\x00" + strconv.FormatInt(s.Limits.login.now().Unix(), 10)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: s.deviceCookieName(c), Value: base64.RawURLEncoding.EncodeToString(s.sealer.Seal(plain)),
		Path: "/", MaxAge: int(deviceMaxAge / time.Second),
		HttpOnly: true, Secure: s.requestSecure(c), SameSite: http.SameSiteStrictMode,
	})
}

package web

import (
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/static"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// maxFormBytes bounds every request body that is not an upload.
const maxFormBytes = 1 << 20

// Server is the HTTP adapter: thin handlers over the store and analysis.
type Server struct {
	// St is exported for package main's end-to-end tests.
	St     *store.Store
	sealer *auth.Sealer
	// Log is exported for package main's end-to-end tests.
	Log *slog.Logger
	// BaseURL is the public address in links.
	BaseURL string
	secure  bool           // the public address is https: Secure cookies, __Host- prefix, HSTS
	trusted []netip.Prefix // reverse proxies whose forwarding headers count (see requestSecure)
	// Pages is exported for package main's end-to-end tests.
	Pages *renderer
	// Engine holds the routes (Handler wraps it in the cross-origin
	// protection).
	//
	// Exported for package main's tests.
	Engine *gin.Engine
	// Now is exported for package main's end-to-end tests.
	Now    func() time.Time
	Limits *limiters // guessing of links and passwords
	mail   notifier
	maps   *mapCache         // drawn maps per data version
	An     *analysis.Service // the evaluation: plans cached per data version
	Org    OrgCache          // the organisation for the pages' header
}

// New builds the server over st: the page templates, the limiters of
// guessing, the map cache and the evaluation service, and its routes.
func New(st *store.Store, sealer *auth.Sealer, logger *slog.Logger, opts Options) (*Server, error) {
	trusted, err := ParseTrustedProxies(opts.TrustedProxies)
	if err != nil {
		return nil, err
	}
	pages, err := NewRenderer()
	if err != nil {
		return nil, err
	}
	s := &Server{
		St: st, sealer: sealer, Log: logger, BaseURL: opts.BaseURL,
		secure:  strings.HasPrefix(opts.BaseURL, "https://"),
		trusted: trusted,
		Pages:   pages, Now: time.Now,
		Limits: NewLimiters(time.Now),
		maps:   newMapCache(),
		An:     analysis.NewService(st),
		mail:   opts.Mail,
	}
	if s.mail == nil {
		s.mail = queueOnly{domain: survey.MessageDomain(opts.BaseURL)}
	}
	s.Engine = s.routes()
	return s, nil
}

// Handler returns the whole HTTP handler: gin's routes behind Go's
// cross-origin protection, which refuses state-changing cross-site requests.
func (s *Server) Handler() http.Handler { return s.protect(s.Engine) }

// protect puts h behind Go's cross-origin protection.
func (s *Server) protect(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Log.Warn("cross-origin request refused", "method", r.Method, "origin", r.Header.Get("Origin"))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(langOfRequest(r).T("error.cross_origin") + "\n"))
	}))
	return cop.Handler(h)
}

// engine is a gin engine with the middleware every request passes: the
// request log, the language, recovery, security headers, the body limit,
// the query's UTF-8 check and the session.
func (s *Server) engine() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	// Forwarding headers (X-Forwarded-For, X-Real-IP) count only from the
	// configured proxies; with none, c.ClientIP() is the socket's address.
	_ = r.SetTrustedProxies(PrefixStrings(s.trusted)) // checked in New
	r.Use(s.logRequests, s.pickLang, s.recover, s.securityHeaders, s.limitBody, s.requireUTF8Query, s.loadSession)
	return r
}

func (s *Server) routes() *gin.Engine {
	r := s.engine()
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.title"), tr(c, "error.not_found.text"))
	})
	r.NoMethod(func(c *gin.Context) {
		s.errorPage(c, http.StatusMethodNotAllowed, tr(c, "error.method.title"), tr(c, "error.method.text"))
	})

	assets, _ := fs.Sub(static.FS, ".")
	r.StaticFS("/static", http.FS(assets))
	r.GET("/favicon.ico", favicon)
	r.GET("/healthz", s.health)
	r.GET("/readyz", s.ready)
	r.GET("/", s.home)
	r.POST(langPath, s.setLanguage) // the language switch (i18n.go)
	// Pages a public body must have, the blank questionnaire and the receipt (public_pages.go).
	r.GET("/barrierefreiheit", s.legalPage(store.PageAccessibility))
	r.GET("/datenschutz", s.legalPage(store.PagePrivacy))
	r.GET("/impressum", s.legalPage(store.PageImprint))

	r.GET("/k/:token", s.openLink)
	r.GET("/fragebogen", s.requireKommune, s.showForm)
	r.POST("/fragebogen", s.requireKommune, s.saveForm)
	r.POST(AutosavePath, s.requireKommuneJSON, s.autosave) // the same save in the background (autosave.go)
	r.POST("/fragebogen/fortsetzen", s.resumeWithLink)     // a form kept after its session ended (session_lost.go)
	r.GET("/fragebogen/antworten.xlsx", s.requireKommune, s.downloadKommuneWorkbook)
	r.GET("/fragebogen/leer", s.requireKommune, s.kommuneBlank)
	r.GET("/fragebogen/eingangsbestaetigung", s.requireKommune, s.kommuneReceipt)
	r.GET(BookingPath, s.requireKommune, s.showBookings) // booking offers on the same link (booking.go)
	r.POST(BookingPath, s.requireKommune, s.postBookings)
	// The Kommune's results once released (report.go).
	r.GET(kommuneResultsPath, s.requireKommune, s.kommuneResultsPage(false))
	r.GET(kommuneResultsPath+"/druck", s.requireKommune, s.kommuneResultsPage(true))
	r.GET(kommuneResultsPath+"/ergebnisse.xlsx", s.requireKommune, s.kommuneResultsWorkbook)
	r.GET(kommuneResultsPath+"/diagramme/:file", s.requireKommune, s.kommuneResultsChart)

	r.GET("/anmelden", s.showLogin)
	r.POST("/anmelden", s.login)
	r.POST("/abmelden", s.logout)

	staff := r.Group("/verwaltung", s.requireStaff)
	staff.GET("", s.dashboard)
	// The setup of a fresh installation (setup.go, organisation.go).
	staff.GET("/einrichtung", s.setupPage)
	staff.POST("/einrichtung/organisation", s.saveOrganisation)
	staff.POST("/einrichtung/kommunen/region-hannover", s.setupHannoverKommunen)
	staff.POST("/einrichtung/kommunen", s.setupUploadKommunen)
	staff.POST("/einrichtung/grenzen/region-hannover", s.setupHannoverBoundaries)
	staff.POST("/einrichtung/grenzen", s.setupUploadBoundaries)
	staff.POST("/einrichtung/fragebogen/standard", s.setupDefaultQuestionnaire)
	staff.POST("/einrichtung/fragebogen", s.setupUploadQuestionnaire)
	staff.POST("/einrichtung/testmail", s.setupTestMail)
	staff.GET("/runden/:round", s.dashboard)
	staff.GET("/runden/:round/fragen", s.questionsList)
	staff.GET("/runden/:round/fragen/:qid", s.questionPage)
	staff.GET("/runden/:round/fragen/:qid/diagramm.svg", s.questionChart)
	staff.GET("/runden/:round/fragen/:qid/diagramm.png", s.questionChart)
	staff.GET("/runden/:round/karte.svg", s.roundMap)
	staff.GET("/runden/:round/karte.png", s.roundMap)
	staff.GET("/vergleich", s.compareRounds)
	staff.GET("/vergleich/diagramme/:file", s.compareChart)
	staff.GET("/runden/:round/kommunen/:ags", s.kommunePage)
	staff.POST("/runden/:round/kommunen/:ags/zurueckgeben", s.returnResponse)
	staff.GET("/runden/:round/auswertung.xlsx", s.downloadWorkbook)
	staff.GET("/runden/:round/antworten.csv", s.downloadCSV)
	staff.GET("/runden/:round/ausstehend.csv", s.downloadMissing)
	staff.GET("/runden/:round/diagramme/:file", s.downloadChart)
	staff.GET("/runden/:round/kommunen/:ags/antworten.xlsx", s.downloadKommuneWorkbook)
	staff.GET("/runden/:round/plan", s.planPage)
	staff.GET("/runden/:round/fragebogen-leer", s.staffBlank)
	staff.GET("/runden/:round/plan/karte.svg", s.planMap)
	staff.POST("/runden/:round/plan/szenarien", s.createScenario)
	staff.POST("/runden/:round/plan/szenarien/:scenario", s.updateScenario)
	staff.POST("/runden/:round/plan/szenarien/:scenario/massgeblich", s.markDecisive)
	staff.POST("/runden/:round/plan/szenarien/:scenario/loeschen", s.deleteScenario)
	// Rounds, links, Kommune actions, users, audit log, questionnaires (admin*.go, rounds*.go, users.go).
	staff.GET("/runden", s.roundsList)
	staff.GET("/runden/neu", s.newRoundForm)
	staff.POST("/runden", s.createRound)
	staff.GET("/runden/:round/verwalten", s.roundAdmin)
	staff.POST("/runden/:round/oeffnen", s.openRound)
	staff.POST("/runden/:round/schliessen", s.closeRound)
	staff.POST("/runden/:round/frist", s.setRoundDeadline)
	staff.POST("/runden/:round/links", s.issueLinks)
	staff.GET("/runden/:round/einladungen", s.lettersHandler)
	staff.GET("/runden/:round/einladungen/links.csv", s.downloadLinks("csv"))
	staff.GET("/runden/:round/einladungen/links.xlsx", s.downloadLinks("xlsx"))
	staff.GET("/runden/:round/einladungen/links-erzeugen", s.confirmIssueLinks)
	staff.POST("/runden/:round/einladungen/links", s.issueFilterLinks)
	staff.GET("/runden/:round/kommunen/:ags/link/neu", s.confirmNewLink)
	staff.POST("/runden/:round/kommunen/:ags/link", s.regenerateLink)
	staff.GET("/runden/:round/kommunen/:ags/link/widerrufen", s.confirmRevokeLink)
	staff.POST("/runden/:round/kommunen/:ags/link/widerrufen", s.revokeLink)
	staff.GET("/runden/:round/kommunen/:ags/einladung", s.letterPageHandler)
	staff.GET("/runden/:round/kommunen/:ags/qr.png", s.qrPNG)
	staff.POST("/runden/:round/kommunen/:ags/wiedereroeffnen", s.reopenResponse)
	staff.POST("/runden/:round/kommunen/:ags/frist", s.setKommuneDeadline)
	staff.GET("/runden/:round/kommunen/:ags/erfassen", s.entryForm)
	staff.POST("/runden/:round/kommunen/:ags/erfassen", s.saveEntry)
	staff.GET("/benutzer", s.usersList)
	staff.POST("/benutzer", s.createUser)
	staff.POST("/benutzer/:user/sperren", s.disableUser)
	staff.POST("/benutzer/:user/entsperren", s.enableUser)
	staff.POST("/benutzer/:user/rolle", s.setUserRole)
	staff.POST("/benutzer/:user/passwort", s.resetPassword)
	staff.GET("/protokoll", s.auditLog)
	staff.GET("/frageboegen", s.versionsList)
	staff.GET("/rechtstexte", s.legalAdmin)
	staff.GET("/rechtstexte/:seite", s.legalEdit)
	staff.POST("/rechtstexte/:seite", s.saveLegal)
	staff.POST("/frageboegen", s.uploadQuestionnaire)
	// Kommunen and their boundaries (kommunen_admin.go).
	staff.GET("/kommunen", s.kommunenList)
	staff.POST("/kommunen/import", s.importKommunen)
	staff.POST("/kommunen/grenzen", s.uploadBoundaries)
	staff.POST("/kommunen/grenzen/loeschen", s.deleteBoundaries)
	// Mails to the Kommunen: contact addresses, texts, preview, queue and send log (mail_pages.go).
	staff.GET("/mail", s.mailLatest)
	staff.GET("/runden/:round/mail", s.mailPage)
	staff.POST("/runden/:round/mail/texte", s.saveMailTexts)
	staff.GET("/runden/:round/mail/vorschau", s.mailPreview)
	staff.POST("/runden/:round/mail/senden", s.queueMails)
	staff.POST("/runden/:round/mail/versand/:mail/wiederholen", s.retryMail)
	staff.POST("/runden/:round/mail/versand/:mail/erneut", s.requeueMail)
	staff.POST("/runden/:round/mail/versand/:mail/gesendet", s.markMailSent)
	staff.GET("/kontakte", s.contactsPage)
	staff.POST(strings.TrimPrefix(ContactsImportPath, "/verwaltung"), s.importContacts)
	staff.GET("/runden/:round/kontakte-aus-antworten", s.answerContactsPage)
	staff.POST("/runden/:round/kontakte-aus-antworten", s.copyAnswerContacts)
	// The results released to the Kommunen (report_release.go).
	staff.GET("/runden/:round/ergebnisse", s.releaseOverview)
	staff.GET("/runden/:round/ergebnisse/freigeben", s.confirmRelease)
	staff.POST("/runden/:round/ergebnisse/freigeben", s.releaseResults)
	staff.GET("/runden/:round/ergebnisse/zuruecknehmen", s.confirmWithdraw)
	staff.POST("/runden/:round/ergebnisse/zuruecknehmen", s.withdrawRelease)
	staff.GET("/runden/:round/ergebnisse/vorschau", s.previewChoose)
	staff.GET("/runden/:round/ergebnisse/vorschau/:ags", s.previewPage(false))
	staff.GET("/runden/:round/ergebnisse/vorschau/:ags/druck", s.previewPage(true))
	staff.GET("/runden/:round/ergebnisse/vorschau/:ags/ergebnisse.xlsx", s.previewWorkbook)
	staff.GET("/runden/:round/ergebnisse/vorschau/:ags/diagramme/:file", s.previewChart)
	staff.GET("/kontakte/:ags", s.contactPage)
	staff.POST("/kontakte/:ags", s.addContact)
	staff.POST("/kontakte/:ags/:contact/loeschen", s.deleteContact)
	s.offerRoutes(staff)
	staff.GET("/runden/:round/umsetzung", s.uptake)
	staff.GET("/runden/:round/termine/:date", s.roster)
	staff.POST("/runden/:round/termine/:date/anwesenheit", s.markAttendance)
	staff.GET("/runden/:round/termine/:date/bescheinigungen", s.certificates)
	staff.GET("/runden/:round/termine/:date/bescheinigungen/:participant", s.certificate)
	s.feedbackRoutes(r, staff)
	return r
}

func (s *Server) health(c *gin.Context) {
	if err := s.St.Ping(c.Request.Context()); err != nil {
		s.Log.Error("health check", "err", err)
		c.String(http.StatusServiceUnavailable, "database unavailable\n")
		return
	}
	c.String(http.StatusOK, "ok\n")
}

func (s *Server) home(c *gin.Context) {
	switch sess := session(c); {
	case sess != nil && sess.Kind == "kommune":
		c.Redirect(http.StatusSeeOther, "/fragebogen")
	case sess != nil && sess.Kind == "staff":
		c.Redirect(http.StatusSeeOther, "/verwaltung")
	default:
		s.Render(c, http.StatusOK, "home", PageData{Title: tr(c, "home.title")})
	}
}

// logRequests logs the route template, never the raw path: links carry
// tokens that must not end up in a log.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "(unbekannt)"
	}
	s.Log.Info("request", "method", c.Request.Method, "route", route, "status", c.Writer.Status(),
		"duration_ms", time.Since(start).Milliseconds())
}

func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			s.Log.Error("panic", "route", c.FullPath(), "panic", v)
			s.errorPage(c, http.StatusInternalServerError, tr(c, "error.internal.title"), tr(c, "error.internal.text"))
			c.Abort()
		}
	}()
	c.Next()
}

func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.requestSecure(c) {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	if !strings.HasPrefix(c.Request.URL.Path, "/static/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// requireUTF8Query refuses query strings that are not valid UTF-8, so no
// page ever echoes broken bytes (paths are matched by the router and
// unknown ones get the 404 page).
func (s *Server) requireUTF8Query(c *gin.Context) {
	for k, vs := range c.Request.URL.Query() {
		if !utf8.ValidString(k) || !utf8.ValidString(strings.Join(vs, "")) {
			s.errorPage(c, http.StatusBadRequest, tr(c, "error.bad_request.title"), tr(c, "error.bad_query"))
			c.Abort()
			return
		}
	}
	c.Next()
}

func (s *Server) limitBody(c *gin.Context) {
	limit := int64(maxFormBytes)
	if n, ok := uploadLimits[c.Request.URL.Path]; ok && c.Request.Method == http.MethodPost {
		limit = int64(n + multipartSlack)
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

// errorFor maps an error to a status and a message safe to show; internal
// details go to the log only.
func (s *Server) errorFor(c *gin.Context, err error) {
	var e *survey.Error
	if errors.As(err, &e) {
		status := map[string]int{
			survey.ENotFound: http.StatusNotFound, survey.EInvalid: http.StatusBadRequest,
			survey.EConflict: http.StatusConflict, survey.EForbidden: http.StatusForbidden,
			survey.EClosed: http.StatusConflict,
		}[e.Code]
		if status == 0 {
			status = http.StatusBadRequest
		}
		// A refused staff form is shown again, filled in, with the
		// message at its field: 422 for bad input, 409 for a conflict.
		refused := map[string]int{survey.EInvalid: http.StatusUnprocessableEntity, survey.EConflict: http.StatusConflict, survey.EClosed: http.StatusConflict}[e.Code]
		if refused != 0 && s.reshowForm(c, refused, e.Field, emsg(c, e)) {
			return
		}
		s.errorPage(c, status, tr(c, "error.domain.title"), emsg(c, e))
		return
	}
	if s.storageFailed(c, err) {
		return
	}
	s.Log.Error("internal error", "route", c.FullPath(), "err", err)
	s.errorPage(c, http.StatusInternalServerError, tr(c, "error.internal.title"), tr(c, "error.internal.text"))
}

func (s *Server) errorPage(c *gin.Context, status int, title, msg string) {
	s.Render(c, status, "error", PageData{Title: title, Message: msg})
}

// favicon answers the address browsers ask for by themselves with the icon
// the pages name (static/img/favicon.svg), from the binary.
func favicon(c *gin.Context) {
	b, err := static.FS.ReadFile("img/favicon.svg")
	if err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "image/svg+xml", b)
}

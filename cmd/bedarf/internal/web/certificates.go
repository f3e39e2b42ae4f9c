package web

// Attendance certificates (issue 20, item 5): one A4 page per participant
// recorded present on a date, with the issuing body (the organisation of
// the letters), the participant and their Kommune, the offer, the date's
// time and length in hours, what the offer covers (its content text), the
// place and a line to sign. One participant's, or all of a date's for
// printing at once (reached from the participant list); for supervision
// groups also over all sessions a participant attended (reached from the
// group's page). They show names:
// admins only. German by default, English on the English pages (the
// offer's English content text when there is one).

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// certificatesPath returns the address of a date's certificates.
func certificatesPath(roundID, dateID int64) string {
	return DatePath(roundID, dateID) + "/bescheinigungen"
}

// certificatesPage is one certificate or all of a date's (or of a
// supervision group's sessions).
type certificatesPage struct {
	Round survey.Round
	Offer survey.Offer
	Org   survey.Organisation
	// When is the date's time (a date's certificates; empty for a group's).
	When string
	// Provider runs the offer ("" when none is set).
	Provider string
	// Certificates are the participants recorded present (one, or all).
	Certificates []certificate
	// Single: one participant's certificate (else all of the page's).
	Single bool
	// Series: the certificates cover a group's sessions, not one date.
	Series bool
	// Points are the content text's lines; PointsLang their language
	// ("de" when the German text stands on an English page, else "").
	Points     []string
	PointsLang string
	// Place is where the offer took place ("online" for online offers).
	Place, BackHref, AllHref string
	// Missing counts the participants not recorded present.
	Missing int
}

// certificate is one participant's certificate.
type certificate struct {
	store.RosterEntry
	Href string
	// Days are the dates attended (day, from, to; Berlin time, written
	// for the page's language).
	Days []certificateDay
	// Hours is their length in hours, written for the page's language;
	// OneHour says it is exactly one.
	Hours   string
	OneHour bool
}

// certificateDay is a date attended.
type certificateDay struct{ Day, From, To string }

// newCertificate fills a participant's certificate with the dates attended.
func newCertificate(l i18n.Lang, e store.RosterEntry, href string, dates []survey.OfferDate) certificate {
	c := certificate{RosterEntry: e, Href: href}
	b, minutes := survey.Berlin(), 0
	for _, d := range dates {
		c.Days = append(c.Days, certificateDay{l.Date(d.Start.In(b)), d.Start.In(b).Format("15:04"), d.End.In(b).Format("15:04")})
		minutes += d.Minutes()
	}
	c.Hours, c.OneHour = hoursIn(l, minutes), minutes == 60
	return c
}

// certificates shows all certificates of a date (one A4 page each).
func (s *Server) certificates(c *gin.Context) { s.showCertificates(c, 0) }

// certificate shows one participant's certificate of a date.
func (s *Server) certificate(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("participant"), 10, 64)
	if err != nil || id <= 0 {
		id = -1 // on no list: refused below
	}
	s.showCertificates(c, id)
}

// showCertificates shows the certificate of the participant (0: of all
// present at the date).
func (s *Server) showCertificates(c *gin.Context, participant int64) {
	if !s.requireAdminPage(c, "certificate.admin_only") {
		return
	}
	round, r, ok := s.rosterOf(c)
	if !ok {
		return
	}
	l := lang(c)
	p := certificatesPage{Round: round, Offer: r.Offer, Single: participant != 0,
		When:     tr(c, "attendance.when", l.DateTime(r.Date.Start, survey.Berlin()), l.DateTime(r.Date.End, survey.Berlin())),
		BackHref: DatePath(round.ID, r.Date.ID), AllHref: certificatesPath(round.ID, r.Date.ID), Place: r.Date.Place}
	for _, e := range r.Entries {
		switch {
		case participant != 0 && e.ParticipantID != participant:
		case e.Attended:
			p.Certificates = append(p.Certificates, newCertificate(l, e, fmt.Sprintf("%s/%d", p.AllHref, e.ParticipantID), []survey.OfferDate{r.Date}))
		case participant != 0:
			s.errorFor(c, survey.NewError(survey.EConflict, "msg.certificate.not_attended"))
			return
		default:
			p.Missing++
		}
	}
	s.renderCertificates(c, p, participant, fmt.Sprintf("Termin %d (%s)", r.Date.ID, r.Offer.Title))
}

// groupCertificates shows the certificates of a supervision group's
// participants over all its sessions they attended (:participant: one).
func (s *Server) groupCertificates(c *gin.Context) {
	if !s.requireAdminPage(c, "certificate.admin_only") {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	offerID, err := strconv.ParseInt(c.Param("offer"), 10, 64)
	if err != nil || offerID <= 0 {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.offer.not_found"))
		return
	}
	participant := int64(0)
	if raw := c.Param("participant"); raw != "" {
		if participant, err = strconv.ParseInt(raw, 10, 64); err != nil || participant <= 0 {
			participant = -1 // on no list: refused below
		}
	}
	g, err := s.St.GroupAttendance(c.Request.Context(), round.ID, offerID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	l := lang(c)
	p := certificatesPage{Round: round, Offer: g.Offer, Single: participant != 0, Series: true,
		BackHref: offerPath(round.ID, g.Offer.ID), AllHref: groupCertificatesPath(round.ID, g.Offer.ID), Place: g.Offer.Place}
	for _, e := range g.Entries {
		switch {
		case participant != 0 && e.ParticipantID != participant:
		case len(e.Sessions) > 0:
			p.Certificates = append(p.Certificates, newCertificate(l, e.RosterEntry, fmt.Sprintf("%s/%d", p.AllHref, e.ParticipantID), e.Sessions))
		case participant != 0:
			s.errorFor(c, survey.NewError(survey.EConflict, "msg.certificate.no_session"))
			return
		default:
			p.Missing++
		}
	}
	s.renderCertificates(c, p, participant, fmt.Sprintf("Gruppe %d (%s)", g.Offer.ID, g.Offer.Title))
}

// groupCertificatesPath returns the address of a group's certificates.
func groupCertificatesPath(roundID, offerID int64) string {
	return offerPath(roundID, offerID) + "/bescheinigungen"
}

// renderCertificates completes the page (organisation, provider, content,
// place), audits the showing and renders it; what names the date or group
// in the audit entry.
func (s *Server) renderCertificates(c *gin.Context, p certificatesPage, participant int64, what string) {
	if participant != 0 && len(p.Certificates) == 0 {
		s.errorFor(c, survey.NewError(survey.ENotFound, "msg.certificate.not_listed"))
		return
	}
	ctx := c.Request.Context()
	org, err := s.St.OrganisationOrPlaceholder(ctx)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Org = org
	o := p.Offer
	p.Points = survey.Points(o.Content)
	if lang(c) == i18n.EN {
		if en := survey.Points(o.ContentEN); len(en) > 0 {
			p.Points = en
		} else if len(p.Points) > 0 {
			p.PointsLang = "de"
		}
	}
	switch {
	case o.Online:
		p.Place = "online"
	case p.Place == "":
		p.Place = o.Place
	}
	if o.ProviderID != 0 {
		pr, err := s.St.Provider(ctx, o.ProviderID)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		p.Provider = pr.Name
		if pr.Organisation != "" && pr.Organisation != pr.Name {
			p.Provider += " (" + pr.Organisation + ")"
		}
	}
	// Showing names is audited, as the invitation letters are.
	if len(p.Certificates) > 0 {
		if err := s.St.Audit(ctx, actorOf(c), "export.certificates", p.Round.ID, 0,
			fmt.Sprintf("%s: %d Teilnahmebescheinigungen", what, len(p.Certificates))); err != nil {
			s.Log.Error("audit certificates", "err", err)
		}
	}
	title := tr(c, "certificate.title_all", o.Title)
	if p.Single {
		title = tr(c, "certificate.title_one", p.Certificates[0].Name)
	}
	s.Render(c, http.StatusOK, "certificates", PageData{Title: title, Page: p})
}

// hoursIn writes minutes as hours for the language: "7", "7,5" (German),
// "7.5" (English); at most two decimals.
func hoursIn(l i18n.Lang, minutes int) string {
	s := strconv.FormatFloat(float64(minutes)/60, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if l != i18n.EN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

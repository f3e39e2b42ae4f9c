package web

// Attendance certificates (issue 20, item 5): one A4 page per participant
// recorded present on a date, with the issuing body (the organisation of
// the letters), the participant and their Kommune, the offer, the date's
// time and length in hours, what the offer covers (its content text), the
// place and a line to sign. One participant's, or all of a date's for
// printing at once (reached from the participant list). They show names:
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

// certificatesPage is one certificate or all of a date's.
type certificatesPage struct {
	Round  survey.Round
	Roster store.Roster
	Org    survey.Organisation
	// Provider runs the offer ("" when none is set).
	Provider string
	// Certificates are the participants recorded present (one, or all).
	Certificates []certificate
	// Single: one participant's certificate (else all of the date's).
	Single bool
	// Hours is the date's length in hours, written for the page's
	// language; OneHour says it is exactly one.
	Hours   string
	OneHour bool
	// Day, From and To are the date's day and times (Berlin), written
	// for the page's language.
	Day, From, To string
	// Points are the content text's lines; PointsLang their language
	// ("de" when the German text stands on an English page, else "").
	Points     []string
	PointsLang string
	// Place is where the date took place ("online" for online offers).
	Place, RosterHref, AllHref string
	// Missing counts the participants of the date not recorded present.
	Missing int
}

// certificate is one participant's certificate.
type certificate struct {
	store.RosterEntry
	Href string
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
	ctx := c.Request.Context()
	org, err := s.St.OrganisationOrPlaceholder(ctx)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := certificatesPage{Round: round, Roster: r, Org: org, Single: participant != 0,
		RosterHref: DatePath(round.ID, r.Date.ID), AllHref: certificatesPath(round.ID, r.Date.ID)}
	for _, e := range r.Entries {
		switch {
		case participant != 0 && e.ParticipantID != participant:
		case e.Attended:
			p.Certificates = append(p.Certificates, certificate{RosterEntry: e, Href: fmt.Sprintf("%s/%d", p.AllHref, e.ParticipantID)})
		case participant != 0:
			s.errorFor(c, survey.NewError(survey.EConflict, "msg.certificate.not_attended"))
			return
		default:
			p.Missing++
		}
	}
	if participant != 0 && len(p.Certificates) == 0 {
		s.errorFor(c, survey.NewError(survey.ENotFound, "msg.certificate.not_listed"))
		return
	}
	l := lang(c)
	p.Hours, p.OneHour = hoursIn(l, r.Date.Minutes()), r.Date.Minutes() == 60
	b := survey.Berlin()
	p.Day, p.From, p.To = l.Date(r.Date.Start.In(b)), r.Date.Start.In(b).Format("15:04"), r.Date.End.In(b).Format("15:04")
	p.Points = survey.Points(r.Offer.Content)
	if l == i18n.EN {
		if en := survey.Points(r.Offer.ContentEN); len(en) > 0 {
			p.Points = en
		} else if len(p.Points) > 0 {
			p.PointsLang = "de"
		}
	}
	switch {
	case r.Offer.Online:
		p.Place = "online"
	case r.Date.Place != "":
		p.Place = r.Date.Place
	default:
		p.Place = r.Offer.Place
	}
	if r.Offer.ProviderID != 0 {
		pr, err := s.St.Provider(ctx, r.Offer.ProviderID)
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
		if err := s.St.Audit(ctx, actorOf(c), "export.certificates", round.ID, 0,
			fmt.Sprintf("Termin %d (%s): %d Teilnahmebescheinigungen", r.Date.ID, r.Offer.Title, len(p.Certificates))); err != nil {
			s.Log.Error("audit certificates", "err", err)
		}
	}
	title := tr(c, "certificate.title_all", r.Offer.Title)
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

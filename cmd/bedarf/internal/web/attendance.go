package web

// A date's participant list and its attendance (issue 20, item 5): the
// list prints on A4 with a signature column; admins tick who was present
// (at the date or afterwards from the signed paper list). Participants'
// names and addresses are for admins only: viewers see the counts.

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// attendanceResumePages are the pages that hold the attendance forms (see
// ResumePages).
var attendanceResumePages = map[string]string{
	"/verwaltung/runden/:round/termine/:date/anwesenheit": "/verwaltung/runden/:round/termine/:date",
}

// DatePath returns the address of a date's participant list.
func DatePath(roundID, dateID int64) string {
	return fmt.Sprintf("/verwaltung/runden/%d/termine/%d", roundID, dateID)
}

// rosterPage is a date's participant list.
type rosterPage struct {
	Round  survey.Round
	Roster store.Roster
	// Admin shows names and the attendance form; viewers see counts.
	Admin bool
	// Booked and Present count the list and those recorded present.
	Booked, Present int
	Notice          string
	// Action is the attendance form's address.
	Action string
	// OfferHref leads back to the offer; CertificatesHref to the date's
	// attendance certificates (certificates.go).
	OfferHref, CertificatesHref string
}

// rosterOf reads the date of the URL in the round of the URL; false when
// an error page was shown.
func (s *Server) rosterOf(c *gin.Context) (survey.Round, store.Roster, bool) {
	round, ok := s.staffRound(c)
	if !ok {
		return round, store.Roster{}, false
	}
	id := dateID(c)
	if id == 0 {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.attendance.date_missing"))
		return round, store.Roster{}, false
	}
	r, err := s.St.DateRoster(c.Request.Context(), round.ID, id)
	if err != nil {
		s.errorFor(c, err)
		return round, r, false
	}
	return round, r, true
}

func (s *Server) roster(c *gin.Context) {
	round, r, ok := s.rosterOf(c)
	if !ok {
		return
	}
	p := rosterPage{Round: round, Roster: r, Admin: isAdmin(c), Booked: len(r.Entries), Present: r.Present(),
		Action: DatePath(round.ID, r.Date.ID) + "/anwesenheit", OfferHref: offerPath(round.ID, r.Offer.ID),
		CertificatesHref: certificatesPath(round.ID, r.Date.ID)}
	if n, err := strconv.Atoi(c.Query("anwesend")); err == nil && n >= 0 {
		p.Notice = trn(c, "attendance.saved", n)
	}
	if !p.Admin {
		p.Roster.Entries = nil // names and addresses: admins only
	}
	s.Render(c, http.StatusOK, "roster", PageData{Title: tr(c, "attendance.title", r.Offer.Title), Page: p})
}

// markAttendance records the ticked participants as present (all others
// of the list as absent).
func (s *Server) markAttendance(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	var ids []int64
	for _, v := range c.PostFormArray("anwesend") {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.errorFor(c, survey.NewError(survey.EInvalid, "msg.attendance.not_listed"))
			return
		}
		ids = append(ids, id)
	}
	date := dateID(c)
	if date == 0 {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.attendance.date_missing"))
		return
	}
	n, err := s.St.MarkAttendance(c.Request.Context(), round.ID, date, ids, s.Now(), staffActor(c))
	if err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?anwesend=%d", DatePath(round.ID, date), n))
}

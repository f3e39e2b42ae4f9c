package web

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/store"
)

// The letters and link lists of a whole round: every invited Kommune's
// invitation letter in one print document (one A4 page each), and every
// link as CSV and .xlsx for mail merge, each filtered by status. They show
// the links the Kommunen have now and never replace one: a link already
// handed out stays valid. Kommunen without a link are named, with a
// confirmed action that makes links for them only. Admins only, as the
// single letter: the letters carry the links.

// letterFilters are the bundle's status filter choices ("status"): all,
// not begun, not submitted; the first is the default. The values are the
// overview's.
var letterFilters = []overviewFilter{
	{overviewFilters[0].Value, "letters.filter.all", overviewFilters[0].Statuses},
	{overviewFilters[2].Value, "letters.filter.new", overviewFilters[2].Statuses},
	{overviewFilters[1].Value, "letters.filter.missing", overviewFilters[1].Statuses},
}

// lettersURL is the address of a round's letters (and, with a suffix, of
// its link lists) for a filter.
func lettersURL(roundID int64, suffix string, f overviewFilter) string {
	return fmt.Sprintf("/verwaltung/runden/%d/einladungen%s?status=%s", roundID, suffix, f.Value)
}

// lettersForm is the GET form that chooses the Kommunen of a round's
// letters and link lists (template letters_filter).
type lettersForm struct {
	Round   survey.Round
	Filter  overviewFilter
	Filters []overviewFilter
}

// lettersPage is the print document of a round's letters.
type lettersPage struct {
	Form        lettersForm
	Letters     []letterPage       // Kommunen in the filter with a link
	WithoutLink []store.Invitation // Kommunen in the filter without one
	NewLinks    int                // links just made by the POST this page answers
	CSVURL      string
	XLSXURL     string
	IssueURL    string // the confirmation page for WithoutLink
}

// issueLinksPage asks before links are made for the Kommunen of a filter
// that have none.
type issueLinksPage struct {
	Round       survey.Round
	Filter      overviewFilter
	WithoutLink []store.Invitation
	BackURL     string
}

// roundLinks resolves the round and the filter of a letters request and
// returns the round's invitations in the filter with their links
// decrypted; on false it has answered (403 for a viewer with the reason,
// 404, or 400 for an unknown filter).
func (s *Server) roundLinks(c *gin.Context) (survey.Round, overviewFilter, []store.Invitation, bool) {
	if !s.requireAdminPage(c, "admin_only.letters") {
		return survey.Round{}, overviewFilter{}, nil, false
	}
	round, ok := s.staffRound(c)
	if !ok {
		return round, overviewFilter{}, nil, false
	}
	f := letterFilters[0]
	if v := c.Query("status"); v != "" {
		i := slices.IndexFunc(letterFilters, func(f overviewFilter) bool { return f.Value == v })
		if i < 0 {
			s.errorPage(c, http.StatusBadRequest, tr(c, "dash.list.bad"), tr(c, "letters.bad_status"))
			return round, f, nil, false
		}
		f = letterFilters[i]
	}
	invs, err := s.St.InvitationLinks(c.Request.Context(), round.ID, s.sealer)
	if err != nil {
		s.errorFor(c, err)
		return round, f, nil, false
	}
	return round, f, inFilter(invs, f), true
}

// inFilter keeps the invitations whose status the filter chooses.
func inFilter(invs []store.Invitation, f overviewFilter) []store.Invitation {
	if f.Statuses == nil {
		return invs
	}
	return slices.DeleteFunc(invs, func(inv store.Invitation) bool { return !slices.Contains(f.Statuses, inv.Status) })
}

// lettersHandler shows the print document of a round's letters.
func (s *Server) lettersHandler(c *gin.Context) {
	round, f, invs, ok := s.roundLinks(c)
	if !ok {
		return
	}
	s.renderLetters(c, round, f, invs, nil)
}

// renderLetters shows the letters of invs; the links of the response ids
// in made were just made (by the POST this page answers) and are marked so.
// Showing the letters is audited, as they carry the links.
func (s *Server) renderLetters(c *gin.Context, round survey.Round, f overviewFilter, invs []store.Invitation, made map[int64]bool) {
	ctx := c.Request.Context()
	qn, err := s.St.Questionnaire(ctx, round.QuestionnaireID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	org, err := s.St.OrganisationOrPlaceholder(ctx)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := lettersPage{Form: lettersForm{round, f, letterFilters}, NewLinks: len(made),
		CSVURL: lettersURL(round.ID, "/links.csv", f), XLSXURL: lettersURL(round.ID, "/links.xlsx", f),
		IssueURL: lettersURL(round.ID, "/links-erzeugen", f)}
	today := s.Now()
	for _, inv := range invs {
		if inv.Token == "" {
			p.WithoutLink = append(p.WithoutLink, inv)
			continue
		}
		p.Letters = append(p.Letters, s.newLetter(round, inv, qn.Title, org, today, made[inv.ResponseID]))
	}
	if err := s.St.Audit(ctx, actorOf(c), "export.letters", round.ID, 0, fmt.Sprintf("%d Briefe (%s)", len(p.Letters), f.Value)); err != nil {
		s.Log.Error("audit letters", "err", err)
	}
	s.Render(c, http.StatusOK, "letters", PageData{Title: tr(c, "letters.title", round.Title), Page: p})
}

// linkRows turns invitations into the rows of the link list, with each
// Kommune's contact addresses.
func (s *Server) linkRows(c *gin.Context, invs []store.Invitation) ([]analysis.LinkRow, error) {
	contacts, err := s.St.AllContacts(c.Request.Context())
	if err != nil {
		return nil, err
	}
	rows := make([]analysis.LinkRow, 0, len(invs))
	for _, inv := range invs {
		r := analysis.LinkRow{AGS: inv.Kommune.AGS, Kommune: inv.Kommune.Name, Status: inv.Status}
		var mails []string
		for _, ct := range contacts[inv.Kommune.ID] {
			mails = append(mails, ct.Email)
		}
		r.Contact = strings.Join(mails, ", ")
		if inv.Token != "" {
			r.Link = s.BaseURL + "/k/" + inv.Token
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// downloadLinks sends the link list of a round's filter as CSV or .xlsx
// (by the route's extension), audited as every download.
func (s *Server) downloadLinks(ext string) gin.HandlerFunc {
	return func(c *gin.Context) {
		round, f, invs, ok := s.roundLinks(c)
		if !ok {
			return
		}
		rows, err := s.linkRows(c, invs)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		name := fmt.Sprintf("Links_%d_%s.%s", round.ID, f.Value, ext)
		write, contentType := analysis.WriteLinksCSV, "text/csv; charset=utf-8"
		if ext == "xlsx" {
			write, contentType = analysis.WriteLinksXLSX, xlsxType
		}
		s.sendFile(c, "export.links", round.ID, 0, name, contentType, func(w io.Writer) error { return write(w, rows) })
	}
}

// withoutLink returns the invitations that have no active link.
func withoutLink(invs []store.Invitation) []store.Invitation {
	return slices.DeleteFunc(slices.Clone(invs), func(inv store.Invitation) bool { return inv.HasLink })
}

// confirmIssueLinks says which Kommunen of the filter get a new link (those
// without one; no link already handed out is replaced) and asks for
// confirmation; its form posts to issueFilterLinks.
func (s *Server) confirmIssueLinks(c *gin.Context) {
	round, f, invs, ok := s.roundLinks(c)
	if !ok {
		return
	}
	p := issueLinksPage{Round: round, Filter: f, WithoutLink: withoutLink(invs), BackURL: lettersURL(round.ID, "", f)}
	s.Render(c, http.StatusOK, "letters_issue", PageData{Title: tr(c, "letters.issue.title"), Page: p})
}

// issueFilterLinks makes a link for every Kommune of the filter that has
// none (each audited as a single new link) and answers with the letters,
// the new links marked: like a single new link, they are shown at once.
func (s *Server) issueFilterLinks(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, f, invs, ok := s.roundLinks(c)
	if !ok {
		return
	}
	made := map[int64]bool{}
	for _, inv := range withoutLink(invs) {
		if _, err := s.St.IssueToken(c.Request.Context(), inv.ResponseID, s.sealer, staffActor(c)); err != nil {
			s.errorFor(c, err)
			return
		}
		made[inv.ResponseID] = true
	}
	invs, err := s.St.InvitationLinks(c.Request.Context(), round.ID, s.sealer)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.renderLetters(c, round, f, inFilter(invs, f), made)
}

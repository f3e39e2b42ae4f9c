package web

// The uptake of a round's offers against its need (issue 20, item 7): a
// section of the dashboard (sums per module, continuity, cost) and a page
// with the figures per Kommune and module. Counts only: viewers see them
// as admins do. The figures are analysis.Service.Uptake's.

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/survey"
)

// uptakePageSize is the number of rows per Kommune and module a page of
// the uptake lists.
const uptakePageSize = 200

// UptakePath returns the address of a round's uptake page.
func UptakePath(roundID int64) string { return fmt.Sprintf("/verwaltung/runden/%d/umsetzung", roundID) }

// uptakeView is the uptake as the dashboard and the page show it.
type uptakeView struct {
	analysis.Uptake
	Groups []groupView
	Href   string
}

// groupView is a group's continuity with its share as text.
type groupView struct {
	analysis.GroupUptake
	// Continuity is the share in percent with one decimal ("" while none
	// was held).
	Continuity string
}

func newUptakeView(roundID int64, u analysis.Uptake) *uptakeView {
	v := &uptakeView{Uptake: u, Href: UptakePath(roundID)}
	for _, g := range u.Groups {
		gv := groupView{GroupUptake: g}
		if c, ok := g.Continuity(); ok {
			gv.Continuity = survey.FormatFixedDE(c*100, 1) + "\u00a0%"
		}
		v.Groups = append(v.Groups, gv)
	}
	return v
}

// roundUptake returns the round's uptake when it has offers (nil: none).
func (s *Server) roundUptake(c *gin.Context, round survey.Round) (*uptakeView, error) {
	u, err := s.An.Uptake(c.Request.Context(), round, s.Now())
	if err != nil {
		return nil, err
	}
	if u.Offers == 0 {
		return nil, nil
	}
	return newUptakeView(round.ID, u), nil
}

// uptakePage is the page of a round's uptake.
type uptakePage struct {
	Round survey.Round
	Nav   roundNav
	View  *uptakeView
	// Rows are the page's rows of Uptake.Rows; Pager pages through them.
	Rows  []analysis.UptakeRow
	Pager uptakePager
}

// uptakePager is a list's page number with its neighbours' addresses.
type uptakePager struct {
	Page, Pages, From, To, Of int
	Prev, Next                string
}

func (s *Server) uptake(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	n := 1
	if q := c.Query("seite"); q != "" {
		var err error
		if n, err = strconv.Atoi(q); err != nil || n < 1 {
			s.errorPage(c, http.StatusBadRequest, tr(c, "error.bad_request.title"), tr(c, "uptake.bad_page"))
			return
		}
	}
	u, err := s.An.Uptake(c.Request.Context(), round, s.Now())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	v := newUptakeView(round.ID, u)
	pages := max(1, (len(u.Rows)+uptakePageSize-1)/uptakePageSize)
	if n > pages {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "uptake.bad_page"))
		return
	}
	from := (n - 1) * uptakePageSize
	to := min(len(u.Rows), from+uptakePageSize)
	p := uptakePage{Round: round, Nav: roundNav{round.ID, "umsetzung"}, View: v, Rows: u.Rows[from:to],
		Pager: uptakePager{Page: n, Pages: pages, From: from + 1, To: to, Of: len(u.Rows)}}
	if n > 1 {
		p.Pager.Prev = fmt.Sprintf("%s?seite=%d", v.Href, n-1)
	}
	if n < pages {
		p.Pager.Next = fmt.Sprintf("%s?seite=%d", v.Href, n+1)
	}
	s.Render(c, http.StatusOK, "uptake", PageData{Title: tr(c, "uptake.title", round.Title), Page: p})
}

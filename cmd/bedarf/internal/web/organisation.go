package web

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
)

// OrgCache keeps the organisation for the pages' header, so a page costs
// no extra query; saveOrganisation empties it (nothing else changes the
// organisation while the server runs).
//
// Exported for package main's end-to-end tests.
type OrgCache struct {
	mu sync.Mutex
	// Loaded is exported for package main's end-to-end tests.
	Loaded bool
	// Org is exported for package main's end-to-end tests.
	Org survey.Organisation
	// Set is exported for package main's end-to-end tests.
	Set bool
}

// pageOrganisation returns the organisation for the pages and whether one
// was entered.
func (s *Server) pageOrganisation(ctx context.Context) (survey.Organisation, bool, error) {
	s.Org.mu.Lock()
	defer s.Org.mu.Unlock()
	if !s.Org.Loaded {
		org, ok, err := s.St.Organisation(ctx)
		if err != nil {
			return survey.Organisation{}, false, err
		}
		s.Org.Org, s.Org.Set, s.Org.Loaded = org, ok, true
	}
	return s.Org.Org, s.Org.Set, nil
}

// forgetOrganisation makes the next page read the organisation again.
func (s *Server) forgetOrganisation() {
	s.Org.mu.Lock()
	s.Org.Loaded = false
	s.Org.mu.Unlock()
}

// saveOrganisation stores the organisation of the setup form (PRG); a
// refused entry shows the setup page again with the reason and what was
// typed.
func (s *Server) saveOrganisation(c *gin.Context) {
	org := survey.Organisation{
		Office: c.PostForm("stelle"), Body: c.PostForm("behoerde"), Address: c.PostForm("anschrift"),
		Signature: c.PostForm("gruss"), Contact: c.PostForm("kontakt"),
	}
	err := s.St.SaveOrganisation(c.Request.Context(), org, staffActor(c))
	s.forgetOrganisation()
	var e *survey.Error
	if errors.As(err, &e) && e.Code == survey.EInvalid {
		s.renderSetup(c, http.StatusUnprocessableEntity, setupForm{Step: StepOrganisation, Message: emsg(c, err), Field: e.Field, Org: &org})
		return
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, SetupPath+"?erledigt="+StepOrganisation)
}

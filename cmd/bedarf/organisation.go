package main

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
)

// orgCache keeps the organisation for the pages' header, so a page costs
// no extra query; saveOrganisation empties it (nothing else changes the
// organisation while the server runs).
type orgCache struct {
	mu     sync.Mutex
	loaded bool
	org    survey.Organisation
	set    bool
}

// pageOrganisation returns the organisation for the pages and whether one
// was entered.
func (s *server) pageOrganisation(ctx context.Context) (survey.Organisation, bool, error) {
	s.org.mu.Lock()
	defer s.org.mu.Unlock()
	if !s.org.loaded {
		org, ok, err := s.st.Organisation(ctx)
		if err != nil {
			return survey.Organisation{}, false, err
		}
		s.org.org, s.org.set, s.org.loaded = org, ok, true
	}
	return s.org.org, s.org.set, nil
}

// forgetOrganisation makes the next page read the organisation again.
func (s *server) forgetOrganisation() {
	s.org.mu.Lock()
	s.org.loaded = false
	s.org.mu.Unlock()
}

// saveOrganisation stores the organisation of the setup form (PRG); a
// refused entry shows the setup page again with the reason and what was
// typed.
func (s *server) saveOrganisation(c *gin.Context) {
	org := survey.Organisation{
		Office: c.PostForm("stelle"), Body: c.PostForm("behoerde"), Address: c.PostForm("anschrift"),
		Signature: c.PostForm("gruss"), Contact: c.PostForm("kontakt"),
	}
	err := s.st.SaveOrganisation(c.Request.Context(), org, staffActor(c))
	s.forgetOrganisation()
	var e *survey.Error
	if errors.As(err, &e) && e.Code == survey.EInvalid {
		s.renderSetup(c, http.StatusUnprocessableEntity, setupForm{Step: stepOrganisation, Message: emsg(c, err), Field: e.Field, Org: &org})
		return
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, setupPath+"?erledigt="+stepOrganisation)
}

package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"bedarf/survey"
	"bedarf/survey/store"
)

// Links of a round: a new link is shown once on the answer to the POST that
// made it; afterwards admins can show the current link again on the
// invitation page (letter with QR code, mail text). Tokens appear only in
// page bodies (no-store) and in the link itself, never in another URL or a
// log line: the QR code's address names round and Kommune, not the token.

// invitationFor resolves the Kommune named in the URL within the round;
// a Kommune not invited to this round is not found.
func (s *Server) invitationFor(c *gin.Context, round survey.Round) (store.Invitation, bool) {
	inv, err := s.St.Invitation(c.Request.Context(), round.ID, c.Param("ags"), s.sealer)
	if err != nil {
		s.errorFor(c, err)
		return inv, false
	}
	return inv, true
}

// roundInvitation resolves the staff round and the Kommune named in the
// URL, answering the request itself when either is not found.
func (s *Server) roundInvitation(c *gin.Context) (survey.Round, store.Invitation, bool) {
	round, ok := s.staffRound(c)
	if !ok {
		return round, store.Invitation{}, false
	}
	inv, ok := s.invitationFor(c, round)
	return round, inv, ok
}

// linkedInvitation is roundInvitation for a Kommune that has a link; one
// without is refused (409) with the reason.
func (s *Server) linkedInvitation(c *gin.Context) (survey.Round, store.Invitation, bool) {
	round, inv, ok := s.roundInvitation(c)
	if ok && !inv.HasLink {
		s.errorPage(c, http.StatusConflict, tr(c, "error.domain.title"), tr(c, "letter.no_link"))
		return round, inv, false
	}
	return round, inv, ok
}

// letterPage is the invitation of one Kommune: link, letter, QR code and
// mail text.
type letterPage struct {
	Round         survey.Round
	Invitation    store.Invitation
	Questionnaire string
	Link          string
	Deadline      string // the Kommune's deadline, German date
	Today         string
	MailSubject   string
	MailBody      string
	New           bool // the link was just made
	QRURL         string
	Org           survey.Organisation // the sender
	deadline      time.Time
}

// regenerateLink makes a new link for a Kommune (ending the old one) and
// shows it at once on the answer to this POST.
func (s *Server) regenerateLink(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, inv, ok := s.roundInvitation(c)
	if !ok {
		return
	}
	if _, err := s.St.IssueToken(c.Request.Context(), inv.ResponseID, s.sealer, staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	s.renderLetter(c, round, true)
}

// linkConfirmPage asks before a new link replaces a Kommune's current one.
type linkConfirmPage struct {
	Round      survey.Round
	Invitation store.Invitation
	Revoke     bool // asks before the link is revoked, not replaced
}

// confirmNewLink says what a new link does (the old one stops working at
// once) and asks for confirmation; its form posts to regenerateLink, so it
// works without JavaScript.
func (s *Server) confirmNewLink(c *gin.Context) {
	if !s.requireAdminPage(c, "admin_only.links") {
		return
	}
	round, inv, ok := s.roundInvitation(c)
	if !ok {
		return
	}
	s.Render(c, http.StatusOK, "link_confirm", PageData{Title: tr(c, "link_confirm.title", inv.Kommune.Name), Page: linkConfirmPage{Round: round, Invitation: inv}})
}

// confirmRevokeLink says what revoking does (the link stops working at
// once, the Kommune cannot answer until it gets a new one) and asks; its
// form posts to revokeLink, so it works without JavaScript.
func (s *Server) confirmRevokeLink(c *gin.Context) {
	if !s.requireAdminPage(c, "admin_only.revoke") {
		return
	}
	round, inv, ok := s.linkedInvitation(c)
	if !ok {
		return
	}
	s.Render(c, http.StatusOK, "link_confirm", PageData{Title: tr(c, "link_revoke.title", inv.Kommune.Name), Page: linkConfirmPage{Round: round, Invitation: inv, Revoke: true}})
}

// revokeLink ends a Kommune's link; a new one can be made later.
func (s *Server) revokeLink(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, inv, ok := s.linkedInvitation(c)
	if !ok {
		return
	}
	if err := s.St.RevokeToken(c.Request.Context(), inv.ResponseID, staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, roundAdminURL(round.ID)+"?hinweis=widerrufen")
}

// letterPageHandler shows the current link of a Kommune with its printable
// letter and mail text.
func (s *Server) letterPageHandler(c *gin.Context) {
	if !s.requireAdminPage(c, "rounds.admin_only") {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	s.renderLetter(c, round, false)
}

func (s *Server) renderLetter(c *gin.Context, round survey.Round, isNew bool) {
	inv, ok := s.invitationFor(c, round)
	if !ok {
		return
	}
	qn, err := s.St.Questionnaire(c.Request.Context(), round.QuestionnaireID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	org, err := s.St.OrganisationOrPlaceholder(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := s.newLetter(round, inv, qn.Title, org, s.Now(), isNew)
	if p.Link != "" {
		own := round
		own.Deadline = p.deadline
		r := survey.DefaultMailText(survey.MailInvitation).Render(survey.InvitationValues(inv.Kommune, own, qn.Title, p.Link, org))
		p.MailSubject, p.MailBody = r.Subject, r.Text
	}
	s.Render(c, http.StatusOK, "letter", PageData{Title: tr(c, "letter.title", inv.Kommune.Name), Page: p})
}

// newLetter is the letter of one invitation (without the mail text): the
// Kommune's deadline (its own when later than the round's), today's date
// and its current link, if any. isNew marks a link just made.
func (s *Server) newLetter(round survey.Round, inv store.Invitation, questionnaire string, org survey.Organisation, now time.Time, isNew bool) letterPage {
	deadline := round.Deadline
	if inv.Deadline.After(deadline) {
		deadline = inv.Deadline
	}
	p := letterPage{Round: round, Org: org, Invitation: inv, Questionnaire: questionnaire, New: isNew, deadline: deadline,
		Deadline: deadline.Format("02.01.2006"), Today: now.In(survey.Berlin()).Format("02.01.2006"),
		QRURL: kommuneURL(round.ID, inv.Kommune.AGS) + "/qr.png"}
	if inv.Token != "" {
		p.Link = s.BaseURL + "/k/" + inv.Token
	}
	return p
}

// qrPNG serves the QR code of a Kommune's current link as a PNG made in
// the binary (no external service). The address carries no token.
func (s *Server) qrPNG(c *gin.Context) {
	if !s.requireAdminPage(c, "rounds.admin_only") {
		return
	}
	_, inv, ok := s.roundInvitation(c)
	if !ok {
		return
	}
	if inv.Token == "" {
		s.errorPage(c, http.StatusNotFound, tr(c, "letter.no_link.title"), tr(c, "letter.no_link"))
		return
	}
	png, err := qrcode.Encode(s.BaseURL+"/k/"+inv.Token, qrcode.Medium, 512)
	if err != nil {
		s.errorFor(c, fmt.Errorf("QR code: %w", err))
		return
	}
	c.Data(http.StatusOK, "image/png", png)
}

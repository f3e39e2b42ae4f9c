package web

// A message to all participants of a date (issue 20, item 5): admins
// write subject and text on the date's participant list, see the mail as
// participants will get it and how many, and send it; the store queues one
// mail per participant (store.SendDateMessage). Three steps on one
// address: "vorschau" (the default) checks and shows the preview,
// "bearbeiten" goes back to the filled form, "senden" queues. A refused
// post shows the list again with the typed values and the message at the
// field (errorFor → reshowForm); viewers get 403 like every change.

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/ical"
	"bedarf/survey/store"
)

// messageForm is the message form's values.
type messageForm struct {
	Subject, Text string
	Waiting       bool
	Action        string
	// MaxSubject and MaxText are the limits (the fields' maxlength).
	MaxSubject, MaxText int
}

// messagePreview is the preview of a message before it is sent.
type messagePreview struct {
	Round  survey.Round
	Roster store.Roster
	Form   messageForm
	// Recipients is how many get the mail now.
	Recipients int
	// Mail is the mail as a participant gets it (German, like every mail
	// to participants), to a placeholder name.
	Mail survey.OfferMail
	// Back leads back to the participant list.
	Back string
}

// messageOf reads the message form.
func messageOf(c *gin.Context) survey.OfferMessage {
	return survey.OfferMessage{Subject: c.PostForm("betreff"), Text: c.PostForm("text"), Waiting: c.PostForm("warteliste") == "1"}
}

// dateMessage handles the message form's three steps.
func (s *Server) dateMessage(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, r, ok := s.rosterOf(c)
	if !ok {
		return
	}
	m := messageOf(c)
	ctx := c.Request.Context()
	switch c.PostForm("schritt") {
	case "bearbeiten":
		s.renderRoster(c, round, r, "", messageForm{Subject: m.Subject, Text: m.Text, Waiting: m.Waiting})
		return
	case "senden":
		expect, _ := strconv.Atoi(c.PostForm("anzahl"))
		res, err := s.St.SendDateMessage(ctx, round.ID, r.Date.ID, m, max(expect, 0), staffActor(c))
		if err != nil {
			s.errorFor(c, err)
			return
		}
		s.mail.Notify()
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?mitteilung=%d", DatePath(round.ID, r.Date.ID), res.Recipients))
		return
	}
	m = m.Normalize()
	if err := m.Check(); err != nil {
		s.errorFor(c, err)
		return
	}
	n, err := s.St.DateMessageRecipients(ctx, round.ID, r.Date.ID, m.Waiting)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if n == 0 {
		s.errorFor(c, survey.NewError(survey.EConflict, "msg.offermessage.nobody"))
		return
	}
	org, err := s.St.OrganisationOrPlaceholder(ctx)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	mail, err := messageMail(r, m, org, s.Now())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := messagePreview{Round: round, Roster: r, Recipients: n, Mail: mail, Back: DatePath(round.ID, r.Date.ID),
		Form: messageForm{Subject: m.Subject, Text: m.Text, Waiting: m.Waiting, Action: DatePath(round.ID, r.Date.ID) + "/nachricht"}}
	s.Render(c, http.StatusOK, "roster_message", PageData{Title: tr(c, "message.preview.title", r.Offer.Title), Page: p})
}

// messageMail builds the message as a participant of the date gets it
// (German, like the worker), to a placeholder name.
func messageMail(r store.Roster, m survey.OfferMessage, org survey.Organisation, now time.Time) (survey.OfferMail, error) {
	place := r.Date.Place
	if place == "" {
		place = r.Offer.Place
	}
	d := survey.OfferMailData{
		Kind: survey.OfferMailMessage, ParticipantName: i18n.DE.T("message.preview.name"), ParticipantEmail: "teilnehmende@example.org",
		Kommune: i18n.DE.T("message.preview.kommune"), Offer: r.Offer.Title,
		Schedule: survey.OfferSchedule{Start: r.Date.Start, End: r.Date.End, Place: place},
		UID:      ical.UID(r.Date.UID, 0), Stamp: now, Message: m, Organisation: org, OrganizerEmail: "office@example.org",
	}
	return d.Build(i18n.DE.Code(), func(key string) string {
		f, _ := i18n.Raw(i18n.DE, key)
		return f
	})
}

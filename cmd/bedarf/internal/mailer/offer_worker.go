package mailer

// The worker's part for mails to participants (store.ClaimOfferMail): the
// booking code queues them in the transaction of the booking change; the
// worker builds each with BuildOfferMail (German: the participant's
// language is not known) and sends it with its calendar part.

import (
	"context"
	"time"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/ical"
	"bedarf/survey/store"
)

// offerMailData fills what a queued mail to a participant says.
func (m *Service) offerMailData(ctx context.Context, job store.OfferMailJob) survey.OfferMailData {
	org, err := m.st.OrganisationOrPlaceholder(ctx)
	if err != nil {
		m.log.Error("organisation for the mail's signature", "err", err)
	}
	place := m.placeOf(job.Offer, job.Date.Place)
	d := survey.OfferMailData{
		Kind:             job.Kind,
		ParticipantName:  job.Participant.Name,
		ParticipantEmail: job.Participant.Email,
		Kommune:          survey.MailKommuneLabel(job.Kommune),
		Offer:            job.Offer.Title,
		Schedule:         survey.OfferSchedule{Start: job.Date.Start, End: job.Date.End, Place: place},
		UID:              ical.UID(job.Date.UID, job.Participant.ID),
		Sequence:         job.Sequence,
		Stamp:            m.now(),
		WaitingList:      job.Waiting,
		FirstMail:        job.FirstMail,
		Organisation:     org,
		Privacy:          survey.OfferPrivacy{},
		Reason:           job.Reason,
		Message:          job.Message,
	}
	if job.Previous != nil {
		prev := *job.Previous
		prev.Place = m.placeOf(job.Offer, prev.Place)
		d.Previous = &prev
	}
	if m.set != nil {
		d.OrganizerEmail = m.set.from.Address
	}
	if m.baseURL != "" {
		d.Privacy.PrivacyURL = m.baseURL + "/datenschutz"
	}
	return d
}

// placeOf is where a date of the offer takes place for the mail: the
// date's place, else the offer's, else "online" for an online offer.
func (m *Service) placeOf(o survey.Offer, place string) string {
	if place == "" {
		place = o.Place
	}
	if o.Online && place == "" {
		place = "online"
	}
	return place
}

// deliverOffers sends the queued mails to participants until none is left
// or ctx ends.
func (m *Service) deliverOffers(ctx, db context.Context, sender *smtpSender) {
	for ctx.Err() == nil {
		job, ok, err := m.st.ClaimOfferMail(db)
		if err != nil {
			m.log.Error("participant mail queue", "err", err)
			return
		}
		if !ok {
			return
		}
		status, answer := store.MailFailed, ""
		mail, err := BuildOfferMail(m.offerMailData(db, job), i18n.DE)
		if err != nil {
			answer = "Die Mail konnte nicht erstellt werden: " + err.Error()
		} else if msg, err := buildOfferMessage(m.set, job.Participant.Name, job.Participant.Email, mail, OfferMessageID(m.domain, m.now()), m.now()); err != nil {
			answer = "Die Mail konnte nicht erstellt werden: " + err.Error()
		} else {
			sendCtx, cancel := context.WithTimeout(db, 2*time.Minute)
			status, answer = sender.send(sendCtx, msg)
			cancel()
		}
		if err := m.st.FinishOfferMail(db, job.ID, status, answer); err != nil {
			m.log.Error("participant mail outcome not recorded", "mail", job.ID, "status", string(status), "err", err)
			continue
		}
		attrs := []any{"offer_mail", job.ID, "kind", string(job.Kind), "booking", job.BookingID, "status", string(status), "attempt", job.Attempts}
		if status != store.MailSent {
			m.log.Warn("participant mail not sent", append(attrs, "answer", answer)...)
			continue
		}
		m.log.Info("participant mail sent", attrs...)
	}
}

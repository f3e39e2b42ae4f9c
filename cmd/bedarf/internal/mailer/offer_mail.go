package mailer

// The mails to participants of offers (survey.OfferMailData): written in
// the participant's language from the catalogue, and sent as
//
//	multipart/mixed
//	  multipart/alternative
//	    text/plain; charset=UTF-8            (quoted-printable)
//	    text/html; charset=UTF-8             (quoted-printable)
//	    text/calendar; method=REQUEST|CANCEL; charset=UTF-8  (base64)
//	  application/ics; name="termin.ics"     (attachment, base64)
//
// (a mail without a calendar object, staff's message, is the
// multipart/alternative of text and HTML alone)
// the shape calendar programs recognise as an invitation (the alternative
// text/calendar part; the attachment for programs that only look at
// attachments). The calendar object travels in base64 so that its CRLF
// line ends and folding arrive octet for octet.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// OfferMailFile is the name of the calendar attachment.
const OfferMailFile = "termin.ics"

// BuildOfferMail writes a mail to a participant in the language l, with
// the catalogue's texts (see survey.OfferMailData.Build).
func BuildOfferMail(d survey.OfferMailData, l i18n.Lang) (survey.OfferMail, error) {
	return d.Build(l.Code(), func(key string) string {
		f, _ := i18n.Raw(l, key)
		return f
	})
}

// OfferMessageID returns a new Message-ID for a mail to a participant.
func OfferMessageID(domain string, now time.Time) string {
	if domain == "" {
		domain = "bedarf.invalid"
	}
	b := make([]byte, 8)
	rand.Read(b) // never fails (crypto/rand)
	return fmt.Sprintf("bedarf.offer.%d.%s@%s", now.UnixNano(), hex.EncodeToString(b), domain)
}

// buildOfferMessage writes a built mail to one participant as a MIME
// message (see the head of this file).
func buildOfferMessage(set *mailSettings, toName, toEmail string, m survey.OfferMail, messageID string, now time.Time) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(set.from.Name, set.from.Address); err != nil {
		return nil, fmt.Errorf("Absender: %w", err)
	}
	if err := msg.AddToFormat(survey.SafeText(toName), toEmail); err != nil {
		return nil, fmt.Errorf("Empfänger %s: %w", toEmail, err)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(now)
	msg.SetMessageIDWithValue(messageID)
	msg.SetUserAgent("bedarf")
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML())
	if len(m.Calendar) == 0 {
		return msg, nil
	}
	msg.AddAlternativeString(gomail.ContentType("text/calendar; method="+string(m.Method)), string(m.Calendar),
		gomail.WithPartEncoding(gomail.EncodingB64))
	if err := msg.AttachReader(OfferMailFile, bytes.NewReader(m.Calendar), gomail.WithFileContentType("application/ics")); err != nil {
		return nil, fmt.Errorf("Kalenderanhang: %w", err)
	}
	return msg, nil
}

// SendOfferMail sends one mail to a participant now, outside the queue,
// and returns what became of it (sent, failed or unklar, as the queue
// records it) with the mail server's answer and the Message-ID.
func (m *Service) SendOfferMail(ctx context.Context, toName, toEmail string, mail survey.OfferMail) (store.MailStatus, string, string) {
	id := OfferMessageID(m.domain, m.now())
	if m.set == nil {
		return store.MailFailed, "no mail server configured", id
	}
	msg, err := buildOfferMessage(m.set, toName, toEmail, mail, id, m.now())
	if err != nil {
		return store.MailFailed, "Die Mail konnte nicht erstellt werden: " + err.Error(), id
	}
	sender := &smtpSender{set: m.set}
	defer sender.close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	status, answer := sender.send(ctx, msg)
	m.log.Info("offer mail", "status", string(status), "method", string(mail.Method))
	return status, answer, id
}

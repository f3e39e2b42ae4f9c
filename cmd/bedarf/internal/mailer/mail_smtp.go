package mailer

// Sending the invitations and reminders through SMTP with
// github.com/wneessen/go-mail: it writes the MIME message (multipart/
// alternative with a plain text and an HTML part, UTF-8 bodies in
// quoted-printable, RFC 2047 encoded subject and display names), speaks
// SMTP with STARTTLS or implicit TLS and picks the authentication the
// server offers (PLAIN, LOGIN, CRAM-MD5, SCRAM), which Go's frozen net/smtp
// does not all offer. Above all it tells whether the server accepted a
// message (Msg.IsDelivered) and, if not, at which step it failed: that is
// what decides between "failed" and "unklar".

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"bedarf/survey"
	"bedarf/survey/store"
)

// Config is the mail server configuration from flags and BEDARF_*
// environment variables. The password is read from --smtp-password,
// BEDARF_SMTP_PASSWORD or --smtp-password-file (BEDARF_SMTP_PASSWORD_FILE),
// in that order, and never logged, shown or given as a flag default (the
// help text would print it).
type Config struct {
	Host         string
	Port         string
	TLS          string // none, starttls, tls
	User         string
	Password     string
	PasswordFile string
	From         string
	CAFile       string
	// OfferReminderDays is how many days before a date its booked
	// participants are reminded (0 to store.MaxOfferReminderDays; 0: no
	// reminders; "": store.DefaultOfferReminderDays).
	OfferReminderDays string
}

// reminderDays checks OfferReminderDays.
func (m Config) reminderDays() (int, error) {
	if m.OfferReminderDays == "" {
		return store.DefaultOfferReminderDays, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(m.OfferReminderDays))
	if err != nil || n < 0 || n > store.MaxOfferReminderDays {
		return 0, fmt.Errorf("--offer-reminder-days (BEDARF_OFFER_REMINDER_DAYS): %q is not a number of days from 0 to %d", m.OfferReminderDays, store.MaxOfferReminderDays)
	}
	return n, nil
}

// mailSettings is a checked mail configuration.
type mailSettings struct {
	host     string
	port     int
	mode     string // none, starttls, tls
	user     string
	password string
	from     *mail.Address
	tlsConf  *tls.Config
}

// String describes the settings for the log and the staff pages, without
// the password.
func (s *mailSettings) String() string {
	auth := "ohne Anmeldung"
	if s.user != "" {
		auth = "angemeldet als " + s.user
	}
	mode := map[string]string{"none": "unverschlüsselt", "starttls": "STARTTLS", "tls": "TLS"}[s.mode]
	return fmt.Sprintf("%s:%d (%s, %s), Absender %s", s.host, s.port, mode, auth, s.from.String())
}

// settings checks the configuration; nil settings (and no error) when no
// mail server is configured.
func (m Config) settings() (*mailSettings, error) {
	if m.Host == "" {
		return nil, nil
	}
	s := &mailSettings{host: m.Host, mode: strings.ToLower(m.TLS), user: m.User}
	defaultPort := map[string]int{"none": 25, "starttls": 587, "tls": 465}
	if _, ok := defaultPort[s.mode]; !ok {
		return nil, fmt.Errorf("--smtp-tls %q: use none, starttls or tls", m.TLS)
	}
	s.port = defaultPort[s.mode]
	if m.Port != "" {
		p, err := strconv.Atoi(m.Port)
		if err != nil || p < 1 || p > 65535 {
			return nil, fmt.Errorf("--smtp-port %q: not a port number", m.Port)
		}
		s.port = p
	}
	if m.From == "" {
		return nil, errors.New("--mail-from (BEDARF_MAIL_FROM) is required with --smtp-host")
	}
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("--mail-from %q: not a mail address: %v", m.From, err)
	}
	s.from = from
	s.password = m.Password
	if s.password == "" {
		s.password = os.Getenv("BEDARF_SMTP_PASSWORD")
	}
	if s.password == "" && m.PasswordFile != "" {
		b, err := os.ReadFile(m.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("--smtp-password-file: %w", err)
		}
		s.password, _, _ = strings.Cut(strings.TrimPrefix(string(b), "\ufeff"), "\n")
		s.password = strings.TrimRight(s.password, "\r")
	}
	switch {
	case s.user != "" && s.password == "":
		return nil, errors.New("--smtp-user needs a password: BEDARF_SMTP_PASSWORD, --smtp-password-file or --smtp-password")
	case s.user == "" && s.password != "":
		return nil, errors.New("a mail server password is set but no --smtp-user")
	}
	s.tlsConf = &tls.Config{ServerName: m.Host, MinVersion: tls.VersionTLS12}
	if m.CAFile != "" {
		pem, err := os.ReadFile(m.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--smtp-ca-file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--smtp-ca-file %s: no PEM certificate in it", m.CAFile)
		}
		s.tlsConf.RootCAs = pool
	}
	return s, nil
}

// domain is the sender's domain: the right side of the Message-IDs.
func (s *mailSettings) domain() string {
	if s == nil {
		return ""
	}
	_, d, _ := strings.Cut(s.from.Address, "@")
	return d
}

// client returns a go-mail client for the settings (not yet connected).
func (s *mailSettings) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(60 * time.Second), gomail.WithTLSConfig(s.tlsConf)}
	switch s.mode {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.user), gomail.WithPassword(s.password))
	}
	return gomail.NewClient(s.host, opts...)
}

// buildMail writes a claimed mail as a MIME message.
func buildMail(set *mailSettings, job store.MailJob, r survey.RenderedMail, now time.Time) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.FromFormat(set.from.Name, set.from.Address); err != nil {
		return nil, fmt.Errorf("Absender: %w", err)
	}
	for _, rc := range job.RecipientList() {
		if err := m.AddToFormat(survey.SafeText(rc.Name), rc.Email); err != nil {
			return nil, fmt.Errorf("Empfänger %s: %w", rc.Email, err)
		}
	}
	m.Subject(r.Subject)
	m.SetDateWithValue(now)
	m.SetMessageIDWithValue(job.MessageID)
	m.SetUserAgent("bedarf")
	if job.Automatic {
		m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	}
	m.SetBodyString(gomail.TypeTextPlain, r.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, r.HTML())
	return m, nil
}

// smtpSender keeps one connection to the mail server while the queue has
// mails.
type smtpSender struct {
	set    *mailSettings
	client *gomail.Client
}

// close ends the connection, if any.
func (s *smtpSender) close() {
	if s.client != nil {
		s.client.Close() // the outcome of each mail is known already
		s.client = nil
	}
}

// send hands one message to the mail server and says what became of it:
// sent (the server accepted it: its answer), failed (it certainly did not:
// connection, login, sender, recipients or content refused, with the
// server's answer), or unklar (the connection broke after the message was
// transferred and before the server answered: it may have been accepted).
func (s *smtpSender) send(ctx context.Context, msg *gomail.Msg) (store.MailStatus, string) {
	for attempt := 0; ; attempt++ {
		fresh := false
		if s.client == nil {
			c, err := s.set.client()
			if err != nil {
				return store.MailFailed, "Mailserver falsch eingerichtet: " + err.Error()
			}
			if err := c.DialWithContext(ctx); err != nil {
				return store.MailFailed, "Keine Verbindung zum Mailserver oder Anmeldung abgelehnt: " + err.Error()
			}
			s.client, fresh = c, true
		}
		err := s.client.Send(msg)
		if msg.IsDelivered() {
			if err != nil { // e.g. RSET after the message failed: the message itself is accepted
				s.close()
			}
			return store.MailSent, msg.ServerResponse()
		}
		if err == nil {
			return store.MailSent, msg.ServerResponse()
		}
		s.close()
		var se *gomail.SendError
		isSend := errors.As(err, &se)
		if isSend && se.Reason == gomail.ErrConnCheck && !fresh && attempt == 0 {
			continue // a kept connection went stale: nothing was sent, dial again
		}
		if isSend && se.Reason == gomail.ErrSMTPDataClose && se.ErrorCode() == 0 {
			return store.MailUnclear, "Die Verbindung brach ab, nachdem die Mail übertragen war und bevor der Mailserver geantwortet hat. Ob er sie angenommen hat, ist nicht bekannt: " + err.Error()
		}
		return store.MailFailed, err.Error()
	}
}

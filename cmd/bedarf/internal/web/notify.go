package web

import (
	"context"

	"bedarf/survey"
	"bedarf/survey/store"
)

// notifier is what the pages need of the mail service: whether and which
// mail server is set up, the domain of Message-IDs, a wake-up after mails
// were queued, and a test mail sent at once.
type notifier interface {
	Configured() bool
	Server() string
	Domain() string
	Notify()
	SendTest(ctx context.Context, to, name, subject, body string) (store.MailStatus, string)
	// SendDirect sends mails at once, outside the queue (nothing stored).
	SendDirect(ctx context.Context, mails []survey.DirectMail) []store.MailStatus
}

// queueOnly is the notifier while no mail service runs: mails wait in the
// queue.
type queueOnly struct{ domain string }

func (q queueOnly) Configured() bool { return false }
func (q queueOnly) Server() string   { return "" }
func (q queueOnly) Domain() string   { return q.domain }
func (q queueOnly) Notify()          {}
func (q queueOnly) SendTest(context.Context, string, string, string, string) (store.MailStatus, string) {
	return store.MailFailed, "no mail server configured"
}
func (q queueOnly) SendDirect(_ context.Context, mails []survey.DirectMail) []store.MailStatus {
	out := make([]store.MailStatus, len(mails))
	for i := range out {
		out[i] = store.MailFailed
	}
	return out
}

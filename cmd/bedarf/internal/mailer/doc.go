// Package mailer is bedarf's mail worker: it sends the queued mails
// (invitations, reminders, notices) through the configured SMTP server and
// records each delivery's outcome in the store.
package mailer

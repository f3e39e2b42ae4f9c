package main

import (
	"flag"

	"bedarf/cmd/bedarf/internal/mailer"
)

// mailFlags registers the mail server's flags (with their BEDARF_*
// environment variables) of "serve" and "demo" in fs.
func mailFlags(m *mailer.Config, fs *flag.FlagSet) {
	fs.StringVar(&m.Host, "smtp-host", envOr("BEDARF_SMTP_HOST", ""), "`HOST` Mailserver für Einladungen und Erinnerungen (BEDARF_SMTP_HOST; leer: Mails warten in der Warteschlange)")
	fs.StringVar(&m.Port, "smtp-port", envOr("BEDARF_SMTP_PORT", ""), "`PORT` Port des Mailservers (BEDARF_SMTP_PORT; sonst 587 mit starttls, 465 mit tls, 25 mit none)")
	fs.StringVar(&m.TLS, "smtp-tls", envOr("BEDARF_SMTP_TLS", "starttls"), "`ART` Verschlüsselung zum Mailserver: none, starttls oder tls (BEDARF_SMTP_TLS)")
	fs.StringVar(&m.User, "smtp-user", envOr("BEDARF_SMTP_USER", ""), "`NAME` Benutzername beim Mailserver (BEDARF_SMTP_USER; leer: keine Anmeldung)")
	fs.StringVar(&m.Password, "smtp-password", "", "`PASSWORT` Passwort beim Mailserver; besser BEDARF_SMTP_PASSWORD oder --smtp-password-file, da eine Option in der Prozessliste steht")
	fs.StringVar(&m.PasswordFile, "smtp-password-file", envOr("BEDARF_SMTP_PASSWORD_FILE", ""), "`DATEI` Datei, deren erste Zeile das Passwort beim Mailserver ist (BEDARF_SMTP_PASSWORD_FILE)")
	fs.StringVar(&m.From, "mail-from", envOr("BEDARF_MAIL_FROM", ""), "`ABSENDER` Absender der Mails, z. B. \"Fachdienst Integration <integration@landkreis.example>\" (BEDARF_MAIL_FROM)")
	fs.StringVar(&m.OfferReminderDays, "offer-reminder-days", envOr("BEDARF_OFFER_REMINDER_DAYS", ""), "`TAGE` so viele Tage vor einem Termin erinnert eine Mail die angemeldeten Teilnehmenden, 0 bis 30 (BEDARF_OFFER_REMINDER_DAYS; sonst 3; 0: keine Erinnerung)")
	fs.StringVar(&m.CAFile, "smtp-ca-file", envOr("BEDARF_SMTP_CA_FILE", ""), "`DATEI` PEM-Datei mit der Zertifizierungsstelle eines hauseigenen Mailservers, vertraut neben denen des Systems (BEDARF_SMTP_CA_FILE)")
}

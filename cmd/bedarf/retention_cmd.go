package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/survey"
	"bedarf/survey/store"
)

// runRetention removes the contact data of closed rounds some time after
// their deadline, and empties their mails in the send log (see
// store.PurgePersonal); with --audit-after it also deletes the old entries
// of the audit log, in the same transaction (see store.Retain):
// with --contacts-after the contact addresses of Kommunen that took part in
// no round for that long (see store.Retention.Contacts):
// with --participants-after the names and addresses of the offers'
// participants that long after the offers' last date (see
// store.Retention.Participants):
// bedarf retention --db FILE --after 90d [--audit-after 730d] [--contacts-after 730d] [--participants-after 180d] [--dry-run].
func runRetention(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	set := cli.NewFlagSet("retention", "--after FRIST [--audit-after FRIST] [--contacts-after FRIST] [--participants-after FRIST] [--dry-run] [--db DATEI]", stderr)
	db := set.String("db", envOr("BEDARF_DB", "bedarf.db"), "`DATEI` SQLite-Datenbank (BEDARF_DB)")
	after := set.String("after", "", "`FRIST` wie lange nach der Frist einer geschlossenen Runde Kontaktdaten bleiben, z. B. 90d")
	auditAfter := set.String("audit-after", "", "`FRIST` wie lange Einträge im Protokoll bleiben, z. B. 730d (mindestens 30d); ohne diese Option bleibt das Protokoll")
	contactsAfter := set.String("contacts-after", "", "`FRIST` wie lange die Kontaktadressen einer Kommune bleiben, nachdem sie zuletzt an einer Runde teilnahm, z. B. 730d; ohne diese Option bleiben sie")
	participantsAfter := set.String("participants-after", "", "`FRIST` wie lange Name, Funktion und E-Mail der Teilnehmenden nach dem letzten Termin ihrer Angebote bleiben, z. B. 180d; ohne diese Option bleiben sie")
	dryRun := set.Bool("dry-run", false, "nur zählen, was gelöscht würde")
	if err := set.Parse(args); err != nil {
		return err
	}
	if *after == "" {
		return errors.New("retention: --after is required, e.g. --after 90d")
	}
	age, err := parseAge(*after)
	if err != nil {
		return fmt.Errorf("retention: --after: %w", err)
	}
	var auditAge time.Duration
	if *auditAfter != "" {
		if auditAge, err = parseAge(*auditAfter); err != nil {
			return fmt.Errorf("retention: --audit-after: %w", err)
		}
		// Checked here too, before the database is opened.
		if auditAge < store.MinAuditAge {
			return fmt.Errorf("retention: --audit-after %s: Das Änderungsprotokoll muss mindestens %d Tage aufbewahrt werden (z. B. --audit-after 730d); nichts wurde gelöscht",
				*auditAfter, store.MinAuditAge/(24*time.Hour))
		}
	}
	var contactsAge time.Duration
	if *contactsAfter != "" {
		if contactsAge, err = parseAge(*contactsAfter); err != nil {
			return fmt.Errorf("retention: --contacts-after: %w", err)
		}
		if contactsAge == 0 {
			return fmt.Errorf("retention: --contacts-after 0: Kontaktadressen werden frühestens einen Tag nach der letzten Runde gelöscht (z. B. --contacts-after 730d); nichts wurde gelöscht")
		}
	}
	var participantsAge time.Duration
	if *participantsAfter != "" {
		if participantsAge, err = parseAge(*participantsAfter); err != nil {
			return fmt.Errorf("retention: --participants-after: %w", err)
		}
		if participantsAge == 0 {
			return fmt.Errorf("retention: --participants-after 0: Teilnehmende werden frühestens einen Tag nach dem letzten Termin gelöscht (z. B. --participants-after 180d); nichts wurde gelöscht")
		}
	}
	if err := mustExist(*db); err != nil {
		return fmt.Errorf("retention: %w", err)
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.Retain(ctx, store.Retention{Personal: age, Audit: auditAge, Contacts: contactsAge, Participants: participantsAge, DryRun: *dryRun}, survey.Actor{Kind: "system", Label: "Aufbewahrung (Kommandozeile)"})
	if err != nil {
		return err
	}
	if len(res.Rounds) == 0 {
		fmt.Fprintf(stdout, "Keine geschlossene Runde, deren Frist vor mehr als %s endete.\n", ageDE(age))
	}
	verb, mailVerb, auditVerb := "gelöscht", "geleert", "entfernt"
	if *dryRun {
		verb, mailVerb, auditVerb = "würden gelöscht (Probelauf, nichts geändert)", "würden geleert", "würden entfernt"
	}
	for _, p := range res.Rounds {
		fmt.Fprintf(stdout, "Runde %d „%s“ (Frist %s): %d Antworten und %d Einträge im Änderungsprotokoll mit personenbezogenen Angaben %s\n",
			p.Round.ID, p.Round.Title, p.Round.Deadline.Format("02.01.2006"), p.Answers, p.Changes, verb)
		fmt.Fprintf(stdout, "  Versandprotokoll: %d Mails %s (Empfänger, Betreff, Text und Antwort des Mailservers), davon %d nicht gesendete, die nie mehr gesendet werden; Adressen aus %d Protokolleinträgen zum Versand %s\n",
			p.Mails, mailVerb, p.Stopped, p.MailAudit, auditVerb)
	}
	if p := res.Contacts; p != nil {
		verb := "gelöscht"
		if *dryRun {
			verb = "würden gelöscht (Probelauf, nichts geändert)"
		}
		fmt.Fprintf(stdout, "Kontaktadressen (seit mehr als %s in keiner Runde): %s von %s %s\n", ageDE(contactsAge),
			numberDE(p.Addresses)+" "+plural(p.Addresses, "Adresse", "Adressen"), numberDE(p.Kommunen)+" "+plural(p.Kommunen, "Kommune", "Kommunen"), verb)
	}
	if p := res.Participants; p != nil {
		verb := "gelöscht"
		if *dryRun {
			verb = "würden gelöscht (Probelauf, nichts geändert)"
		}
		fmt.Fprintf(stdout, "Teilnehmende (Angebote seit mehr als %s vorbei): Name, Funktion und E-Mail von %s %s; ihre %s bleiben für die Zahlen\n", ageDE(participantsAge),
			numberDE(p.Participants)+" "+plural(p.Participants, "Person", "Personen"), verb, numberDE(p.Bookings)+" "+plural(p.Bookings, "Buchung", "Buchungen"))
	}
	if a := res.Audit; a != nil {
		entries, verb := numberDE(a.Entries)+" Einträge", "gelöscht"
		if a.Entries == 1 {
			entries = "1 Eintrag"
		}
		if *dryRun {
			verb = "würden gelöscht (Probelauf, nichts geändert)"
			if a.Entries == 1 {
				verb = "würde gelöscht (Probelauf, nichts geändert)"
			}
		}
		fmt.Fprintf(stdout, "Änderungsprotokoll (Verwaltung → Protokoll): %s vor dem %s %s\n", entries, a.Before.Format("02.01.2006"), verb)
	}
	return nil
}

// numberDE writes n with a dot between thousands, as in German (1.234).
func numberDE(n int) string { return survey.GermanDigits(strconv.Itoa(n)) }

// parseAge reads a retention time: whole days ("90d") or a Go duration
// ("2160h").
func parseAge(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 36500 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is neither days (90d) nor a duration (2160h)", s)
	}
	return d, nil
}

// ageDE writes a retention time in German.
func ageDE(d time.Duration) string {
	switch days := int(d / (24 * time.Hour)); {
	case d%(24*time.Hour) != 0:
		return d.String()
	case days == 1:
		return "einem Tag"
	default:
		return strconv.Itoa(days) + " Tagen"
	}
}

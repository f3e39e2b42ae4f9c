package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"bedarf/survey/store"
)

// actionLabels names the audit log's actions in German. Prefixes ending in
// "." select a group of actions in the filter.
var actionLabels = []struct{ Action, Label string }{
	{"login", "Anmeldung"},
	{"login.failed", "Anmeldung fehlgeschlagen"},
	{"round.", "Runden: alle Änderungen"},
	{"round.create", "Runde angelegt"},
	{"round.open", "Runde geöffnet"},
	{"round.close", "Runde geschlossen"},
	{"round.deadline", "Frist der Runde geändert"},
	{"response.", "Antworten: alle Änderungen"},
	{"response.save", "Antwort gespeichert"},
	{"response.submit", "Antwort eingereicht"},
	{"response.return", "Mit Rückfrage zurückgegeben"},
	{"response.reopen", "Antwort wieder geöffnet"},
	{"response.deadline", "Frist der Kommune geändert"},
	{"link.", "Links: alle Änderungen"},
	{"link.issue", "Link erzeugt"},
	{"link.revoke", "Link widerrufen"},
	{"export.", "Downloads der Auswertung"},
	{"scenario.", "Planungsszenarien geändert"},
	{"questionnaire.add", "Fragebogen gespeichert"},
	{"user.", "Konten: alle Änderungen"},
	{"user.add", "Konto angelegt"},
	{"user.disable", "Konto gesperrt"},
	{"user.enable", "Konto entsperrt"},
	{"user.role", "Rolle geändert"},
	{"user.password", "Passwort neu gesetzt"},
	{"legal.", "Rechtstexte: alle Änderungen"},
	{"legal.save", "Rechtstext gespeichert"},
	{"legal.reset", "Rechtstext auf den Standardtext zurückgesetzt"},
}

// actionLabel returns the German name of an action, or the action itself.
func actionLabel(action string) string {
	for _, a := range actionLabels {
		if a.Action == action {
			return a.Label
		}
	}
	switch {
	case strings.HasPrefix(action, "export."):
		return "Download: " + strings.TrimPrefix(action, "export.")
	case strings.HasPrefix(action, "scenario."):
		return "Planungsszenario: " + strings.TrimPrefix(action, "scenario.")
	}
	return action
}

// auditView is an audit entry with its action named in German.
type auditView struct {
	store.AuditRow
	Label string
}

func auditViews(rows []store.AuditRow) []auditView {
	out := make([]auditView, len(rows))
	for i, r := range rows {
		out[i] = auditView{AuditRow: r, Label: actionLabel(r.Action)}
	}
	return out
}

// auditPage is the audit log with its filters.
type auditPage struct {
	Entries []auditView
	Actions []struct{ Action, Label string }
	Who     string
	What    string
	From    string
	To      string
	Error   string
	NextURL string // older entries; empty on the last page
	Paged   bool   // not the newest page
}

// auditLog shows the audit log, newest first, filtered by who, what and
// when (a GET form), 50 entries a page.
func (s *server) auditLog(c *gin.Context) {
	p := auditPage{Actions: actionLabels, Who: strings.TrimSpace(c.Query("wer")), What: c.Query("was"), From: c.Query("von"), To: c.Query("bis")}
	f := store.AuditFilter{Limit: 50}
	if utf8.RuneCountInString(p.Who) > 100 || utf8.RuneCountInString(p.What) > 64 {
		s.errorPage(c, http.StatusBadRequest, "Ungültige Anfrage", "Der Filter ist zu lang.")
		return
	}
	f.Actor, f.Action = p.Who, p.What
	var bad []string
	if d, ok := dateInput(p.From); ok {
		f.From = d
	} else if p.From != "" {
		bad = append(bad, "„von“")
	}
	if d, ok := dateInput(p.To); ok {
		f.To = d
	} else if p.To != "" {
		bad = append(bad, "„bis“")
	}
	if len(bad) > 0 {
		p.Error = "Bitte geben Sie " + strings.Join(bad, " und ") + " als Datum an; dieser Teil des Filters wird nicht angewandt."
	}
	if v := c.Query("vor"); v != "" {
		f.Before, _ = strconv.ParseInt(v, 10, 64)
		p.Paged = f.Before > 0
	}
	rows, more, err := s.st.AuditSearch(c.Request.Context(), f)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Entries = auditViews(rows)
	if more && len(rows) > 0 {
		q := p.filterQuery()
		q.Set("vor", strconv.FormatInt(rows[len(rows)-1].ID, 10))
		p.NextURL = "/verwaltung/protokoll?" + q.Encode()
	}
	s.render(c, http.StatusOK, "audit", pageData{Title: "Protokoll", Page: p})
}

func (p auditPage) filterQuery() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"wer": p.Who, "was": p.What, "von": p.From, "bis": p.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// FirstURL is the audit log with the same filters from the newest entry.
func (p auditPage) FirstURL() string {
	if q := p.filterQuery(); len(q) > 0 {
		return "/verwaltung/protokoll?" + q.Encode()
	}
	return "/verwaltung/protokoll"
}

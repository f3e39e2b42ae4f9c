package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey/store"
)

// ActionLabels names the audit log's actions (by catalogue key). Prefixes
// ending in "." select a group of actions in the filter.
//
// Exported for package main's end-to-end tests.
var ActionLabels = []struct{ Action, Label string }{
	{"login", "audit.action.login"},
	{"login.failed", "audit.action.login.failed"},
	{"login.alarm", "audit.action.login.alarm"},
	{"round.", "audit.action.round.all"},
	{"round.create", "audit.action.round.create"},
	{"round.open", "audit.action.round.open"},
	{"round.close", "audit.action.round.close"},
	{"round.deadline", "audit.action.round.deadline"},
	{"response.", "audit.action.response.all"},
	{"response.save", "audit.action.response.save"},
	{"response.submit", "audit.action.response.submit"},
	{"response.return", "audit.action.response.return"},
	{"response.reopen", "audit.action.response.reopen"},
	{"response.deadline", "audit.action.response.deadline"},
	{"link.", "audit.action.link.all"},
	{"link.issue", "audit.action.link.issue"},
	{"link.revoke", "audit.action.link.revoke"},
	{"export.", "audit.action.export.all"},
	{"export.workbook", "audit.action.export.workbook"},
	{"export.csv", "audit.action.export.csv"},
	{"export.missing", "audit.action.export.missing"},
	{"export.letters", "audit.action.export.letters"},
	{"export.certificates", "audit.action.export.certificates"},
	{"export.links", "audit.action.export.links"},
	{"export.chart", "audit.action.export.chart"},
	{"export.kommune", "audit.action.export.kommune"},
	{"scenario.", "audit.action.scenario.all"},
	{"scenario.create", "audit.action.scenario.create"},
	{"scenario.update", "audit.action.scenario.update"},
	{"scenario.decisive", "audit.action.scenario.decisive"},
	{"scenario.delete", "audit.action.scenario.delete"},
	{"database.backup", "audit.action.database.backup"},
	{"questionnaire.add", "audit.action.questionnaire.add"},
	{"user.", "audit.action.user.all"},
	{"user.add", "audit.action.user.add"},
	{"user.disable", "audit.action.user.disable"},
	{"user.enable", "audit.action.user.enable"},
	{"user.role", "audit.action.user.role"},
	{"user.password", "audit.action.user.password"},
	{"legal.", "audit.action.legal.all"},
	{"legal.save", "audit.action.legal.save"},
	{"legal.reset", "audit.action.legal.reset"},
	{"mail.", "audit.action.mail.all"},
	{"mail.texts", "audit.action.mail.texts"},
	{"mail.queue", "audit.action.mail.queue"},
	{"mail.sent", "audit.action.mail.sent"},
	{"mail.failed", "audit.action.mail.failed"},
	{"mail.unklar", "audit.action.mail.unklar"},
	{"mail.marksent", "audit.action.mail.marksent"},
	{"mail.cancel", "audit.action.mail.cancel"},
	{"mail.retry", "audit.action.mail.retry"},
	{"mail.requeue", "audit.action.mail.requeue"},
	{"contact.", "audit.action.contact.all"},
	{"contact.add", "audit.action.contact.add"},
	{"contact.delete", "audit.action.contact.delete"},
	{"contact.import", "audit.action.contact.import"},
	{"contact.from_answers", "audit.action.contact.from_answers"},
	{"kommunen.import", "audit.action.kommunen.import"},
	{"boundaries.upload", "audit.action.boundaries.upload"},
	{"boundaries.delete", "audit.action.boundaries.delete"},
	{"organisation.save", "audit.action.organisation.save"},
	{"mail.test", "audit.action.mail.test"},
	{"retention.", "audit.action.retention.all"},
	{"retention.purge", "audit.action.retention.purge"},
	{"retention.audit", "audit.action.retention.audit"},
	{"retention.contacts", "audit.action.retention.contacts"},
	{"results.", "audit.action.results.all"},
	{"results.release", "audit.action.results.release"},
	{"results.withdraw", "audit.action.results.withdraw"},
	{"results.open", "audit.action.results.open"},
	// Booking through the Kommune's link (booking.go).
	{"booking.", "audit.action.booking.all"},
	{"booking.book", "audit.action.booking.book"},
	{"booking.wait", "audit.action.booking.wait"},
	{"booking.move_up", "audit.action.booking.move_up"},
	{"booking.cancel", "audit.action.booking.cancel"},
	{"booking.decline", "audit.action.booking.decline"},
	{"participant.", "audit.action.participant.all"},
	{"participant.add", "audit.action.participant.add"},
	{"participant.update", "audit.action.participant.update"},
	// Offers, providers, attendance and feedback (offers.go, attendance.go,
	// feedback.go).
	{"offer.", "audit.action.offer.all"},
	{"offer.plan", "audit.action.offer.plan"},
	{"offer.create", "audit.action.offer.create"},
	{"offer.update", "audit.action.offer.update"},
	{"offer.move", "audit.action.offer.move"},
	{"offer.split", "audit.action.offer.split"},
	{"offer.merge", "audit.action.offer.merge"},
	{"offer.date.add", "audit.action.offer.date.add"},
	{"offer.date.update", "audit.action.offer.date.update"},
	{"offer.date.cancel", "audit.action.offer.date.cancel"},
	{"offer.date.reserve", "audit.action.offer.date.reserve"},
	{"provider.save", "audit.action.provider.save"},
	{"attendance.mark", "audit.action.attendance.mark"},
	{"feedback.", "audit.action.feedback.all"},
	{"feedback.issue", "audit.action.feedback.issue"},
	{"feedback.mail", "audit.action.feedback.mail"},
	{"retention.participants", "audit.action.retention.participants"},
	{"offermail.", "audit.action.offermail.all"},
	{"offermail.sent", "audit.action.offermail.sent"},
	{"offermail.failed", "audit.action.offermail.failed"},
	{"offermail.unklar", "audit.action.offermail.unklar"},
}

// ActionLabel returns the name of an action in the locale, or the action
// itself.
//
// Exported for package main's end-to-end tests.
func ActionLabel(l i18n.Lang, action string) string {
	for _, a := range ActionLabels {
		if a.Action == action {
			return l.T(a.Label)
		}
	}
	// An action this version does not know (written by a newer one): its
	// group's name rather than its code.
	for _, a := range ActionLabels {
		if strings.HasSuffix(a.Action, ".") && strings.HasPrefix(action, a.Action) {
			return l.T(a.Label)
		}
	}
	return l.T("audit.action.misc")
}

// saveDetailRE matches a save's detail as the store writes it
// ("2. Speicherung, 1 Angabe geändert") and as older versions wrote it
// ("Revision 2, 1 Angaben geändert"), with the staff suffix.
var saveDetailRE = regexp.MustCompile(`^(?:Revision (\d+)|(\d+)\. Speicherung), (\d+) Angaben? geändert(, im Auftrag der Kommune erfasst)?$`)

// roleDetailRE matches a user's role in user.add ("a@b (admin)") and
// user.role ("a@b: admin → viewer") details: the stored role codes.
var roleDetailRE = regexp.MustCompile(`^(.*?)(?: \((admin|viewer)\)|: (admin|viewer) → (admin|viewer))$`)

// mailTestDetailRE matches a test mail's detail: the address and the
// stored status code.
var mailTestDetailRE = regexp.MustCompile(`^an (.+): (queued|sending|sent|failed|unklar|cancelled)$`)

// auditDetail returns an entry's details in words in the locale, and
// whether they are in the locale (true) or stored German text (false):
// a save's detail in the old and new form, the role codes of user
// entries, a test mail's status code, and a scenario's stored parameters (JSON with Go field names)
// as the plan page's labels with their values, only those that differ
// from the defaults.
func auditDetail(l i18n.Lang, action, detail string) (string, bool) {
	switch action {
	case "response.save", "response.submit":
		m := saveDetailRE.FindStringSubmatch(detail)
		if m == nil {
			return detail, false
		}
		rev, _ := strconv.Atoi(m[1] + m[2])
		n, _ := strconv.Atoi(m[3])
		out := l.N("audit.save_detail", n, rev)
		if m[4] != "" {
			out += l.T("audit.save_by_staff")
		}
		return out, true
	case "user.add", "user.role":
		m := roleDetailRE.FindStringSubmatch(detail)
		if m == nil {
			return detail, false
		}
		if m[2] != "" {
			return l.T("audit.user_added", m[1], roleWord(l, m[2])), true
		}
		return l.T("audit.user_role", m[1], roleWord(l, m[3]), roleWord(l, m[4])), true
	case "mail.test":
		m := mailTestDetailRE.FindStringSubmatch(detail)
		if m == nil {
			return detail, false
		}
		return l.T("audit.mail_test", m[1], EnumLabel(l, store.MailStatus(m[2]))), true
	case "scenario.update":
		return scenarioDetail(l, detail)
	}
	return detail, false
}

// roleWord names a stored role code.
func roleWord(l i18n.Lang, role string) string {
	if role == "admin" {
		return l.T("users.admin")
	}
	return l.T("users.viewer")
}

// scenarioDetail is a scenario.update detail in words: "NAME: {JSON}", or
// only the JSON as the earliest versions stored it.
func scenarioDetail(l i18n.Lang, detail string) (string, bool) {
	name, js := "", detail
	if i := strings.Index(detail, ": {"); i >= 0 {
		name, js = detail[:i], detail[i+2:]
	} else if !strings.HasPrefix(detail, "{") {
		return detail, false
	}
	p := analysis.DefaultParams()
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		if name == "" {
			return l.T("audit.scenario_unreadable"), true
		}
		return l.T("audit.scenario_unreadable_named", name), true
	}
	if name == "" {
		name = l.T("audit.scenario_unnamed")
	}
	def := analysis.DefaultParams()
	var parts []string
	for _, f := range ParamFields() {
		v := f.FormValue(p)
		if v == f.FormValue(def) {
			continue
		}
		switch {
		case f.Bool && p.PoolOnline:
			v = l.T("audit.yes")
		case f.Bool:
			v = l.T("audit.no")
		case f.Unit != "":
			v += "\u00a0" + l.T(f.Unit)
		}
		parts = append(parts, l.T(f.Label)+" "+v)
	}
	if len(parts) == 0 {
		return l.T("audit.scenario_defaults", name), true
	}
	return l.T("audit.scenario_params", name, strings.Join(parts, "; ")), true
}

// auditView is an audit entry with its action named in German.
type auditView struct {
	store.AuditRow
	Label string
	// DetailLang is the language of Detail: the page's where it is put
	// in words, German where it is the stored text.
	DetailLang string
}

func auditViews(l i18n.Lang, rows []store.AuditRow) []auditView {
	out := make([]auditView, len(rows))
	for i, r := range rows {
		dl := "de"
		var own bool
		if r.Detail, own = auditDetail(l, r.Action, r.Detail); own {
			dl = l.Code()
		}
		out[i] = auditView{AuditRow: r, Label: ActionLabel(l, r.Action), DetailLang: dl}
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
func (s *Server) auditLog(c *gin.Context) {
	p := auditPage{Actions: ActionLabels, Who: strings.TrimSpace(c.Query("wer")), What: c.Query("was"), From: c.Query("von"), To: c.Query("bis")}
	f := store.AuditFilter{Limit: 50}
	if utf8.RuneCountInString(p.Who) > 100 || utf8.RuneCountInString(p.What) > 64 {
		s.errorPage(c, http.StatusBadRequest, tr(c, "error.bad_request.title"), tr(c, "audit.filter_long"))
		return
	}
	f.Actor, f.Action = p.Who, p.What
	var bad []string
	if d, ok := dateInput(p.From); ok {
		f.From = d
	} else if p.From != "" {
		bad = append(bad, tr(c, "audit.from_q"))
	}
	if d, ok := dateInput(p.To); ok {
		f.To = d
	} else if p.To != "" {
		bad = append(bad, tr(c, "audit.to_q"))
	}
	if len(bad) > 0 {
		p.Error = tr(c, "audit.bad_date", strings.Join(bad, tr(c, "audit.and")))
	}
	if v := c.Query("vor"); v != "" {
		f.Before, _ = strconv.ParseInt(v, 10, 64)
		p.Paged = f.Before > 0
	}
	rows, more, err := s.St.AuditSearch(c.Request.Context(), f)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Entries = auditViews(lang(c), rows)
	if more && len(rows) > 0 {
		q := p.filterQuery()
		q.Set("vor", strconv.FormatInt(rows[len(rows)-1].ID, 10))
		p.NextURL = "/verwaltung/protokoll?" + q.Encode()
	}
	s.Render(c, http.StatusOK, "audit", PageData{Title: tr(c, "layout.nav.audit"), Page: p})
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

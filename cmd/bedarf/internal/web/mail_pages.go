package web

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// Staff pages for the mails to the Kommunen: the contact addresses (one
// page for all with the CSV import, one per Kommune), the mail page of a
// round (texts with placeholders, automatic reminder, counts, send log),
// the preview of a mailing and the actions on single mails. Viewers read
// the pages without the preview (it shows links); every POST is admin only
// (requireStaff).
//
// Invitations use each Kommune's current link; a Kommune without one gets
// a new link when the invitation is queued. The link goes into the mail
// when it is sent, so it is always the one staff see on the invitation
// page.

const mailLogLimit = 500

func mailURL(roundID int64) string { return fmt.Sprintf("/verwaltung/runden/%d/mail", roundID) }

// mailLatest opens the mail page of the newest round.
func (s *Server) mailLatest(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	c.Redirect(http.StatusSeeOther, mailURL(round.ID))
}

// mailTextsForm is the text form as typed.
type mailTextsForm struct {
	InvitationSubject, InvitationBody string
	ReminderSubject, ReminderBody     string
	AutoDays                          string
}

// At returns the problems of one text field of the form ("einladung_betreff",
// "einladung_text", "erinnerung_betreff", "erinnerung_text"), to show at
// the field: the text is checked with valid stand-ins for the others.
func (f mailTextsForm) At(field string) []*survey.Message {
	kind, t := survey.MailInvitation, survey.MailText{Subject: "Betreff", Body: "{{Link}}"}
	switch field {
	case "einladung_betreff":
		t.Subject = f.InvitationSubject
	case "einladung_text":
		t.Body = f.InvitationBody
	case "erinnerung_betreff":
		kind, t.Subject = survey.MailReminder, f.ReminderSubject
	case "erinnerung_text":
		kind, t.Body = survey.MailReminder, f.ReminderBody
	default:
		return nil
	}
	return t.Normalize().Problems(kind)
}

// mailCount is one line of the counts table.
type mailCount struct {
	Kind                                          survey.MailKind
	Queued, Sending, Sent, Failed, Unclear, Other int
}

// mailPageData is the mail page of a round.
type mailPageData struct {
	Round        survey.Round
	Rounds       []survey.Round
	Settings     store.RoundMail
	Form         mailTextsForm
	Problems     []string
	Placeholders []survey.MailPlaceholder
	Server       string // the mail server, "" when none is configured
	Counts       []mailCount
	Log          []store.MailRow
	More         bool // the log has older entries than shown
	Invited      int
	NoContacts   []survey.Kommune
	Notice       string
	Admin        bool
	MaxAuto      int
}

func (s *Server) mailPage(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	settings, err := s.St.RoundMail(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.renderMailPage(c, http.StatusOK, round, settings, formOf(settings), nil)
}

func formOf(m store.RoundMail) mailTextsForm {
	return mailTextsForm{InvitationSubject: m.Invitation.Subject, InvitationBody: m.Invitation.Body,
		ReminderSubject: m.Reminder.Subject, ReminderBody: m.Reminder.Body, AutoDays: strconv.Itoa(m.AutoReminderDays)}
}

func (s *Server) renderMailPage(c *gin.Context, status int, round survey.Round, settings store.RoundMail, form mailTextsForm, problems []string) {
	p := mailPageData{Round: round, Settings: settings, Form: form, Problems: problems, Placeholders: survey.MailPlaceholders,
		Notice: mailNotice(c), Admin: isAdmin(c), MaxAuto: store.MaxAutoReminderDays}
	if s.mail.Configured() {
		p.Server = s.mail.Server()
	}
	var err error
	if p.Rounds, err = s.St.Rounds(c.Request.Context()); err != nil {
		s.errorFor(c, err)
		return
	}
	counts, err := s.St.MailCounts(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	for _, kind := range []survey.MailKind{survey.MailInvitation, survey.MailReminder, survey.MailResults} {
		m := counts[kind]
		p.Counts = append(p.Counts, mailCount{Kind: kind, Queued: m[store.MailQueued], Sending: m[store.MailSending], Sent: m[store.MailSent],
			Failed: m[store.MailFailed], Unclear: m[store.MailUnclear], Other: m[store.MailCancelled]})
	}
	if p.Log, err = s.St.MailLog(c.Request.Context(), round.ID, 0, mailLogLimit+1); err != nil {
		s.errorFor(c, err)
		return
	}
	if len(p.Log) > mailLogLimit {
		p.Log, p.More = p.Log[:mailLogLimit], true
	}
	targets, err := s.St.MailTargets(c.Request.Context(), store.MailSelection{RoundID: round.ID, Kind: survey.MailInvitation})
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Invited = len(targets)
	for _, t := range targets {
		if len(t.Contacts) == 0 {
			p.NoContacts = append(p.NoContacts, t.Invitation.Kommune)
		}
	}
	s.Render(c, status, "mail", PageData{Title: tr(c, "mail.title", round.Title), Page: p})
}

// mailNotice is the message after a redirect, from the query.
func mailNotice(c *gin.Context) string {
	q := c.Request.URL.Query()
	switch {
	case q.Get("gespeichert") == "1":
		return tr(c, "mail.notice.saved")
	case q.Has("eingereiht"):
		kind, _ := survey.ParseMailKind(q.Get("art"))
		n, _ := strconv.Atoi(q.Get("eingereiht"))
		links, _ := strconv.Atoi(q.Get("links"))
		skipped, _ := strconv.Atoi(q.Get("uebersprungen"))
		queued := "mail.notice.queued_invitation"
		switch kind {
		case survey.MailReminder:
			queued = "mail.notice.queued_reminder"
		case survey.MailResults:
			queued = "mail.notice.queued_results"
		}
		msg := trn(c, queued, n)
		if links > 0 {
			msg += " " + trn(c, "mail.notice.links", links)
		}
		if skipped > 0 {
			msg += trn(c, "mail.notice.skipped", skipped)
		}
		return msg + ". " + tr(c, "mail.notice.log")
	}
	if key, ok := map[string]string{
		"wiederholt": "mail.notice.retried",
		"erneut":     "mail.notice.requeued",
		"gesendet":   "mail.notice.marked_sent",
	}[q.Get("mail")]; ok {
		return tr(c, key)
	}
	return ""
}

// saveMailTexts stores the texts and the automatic reminder of a round;
// with problems the page shows them with the text as typed (422).
func (s *Server) saveMailTexts(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	f := mailTextsForm{InvitationSubject: c.PostForm("einladung_betreff"), InvitationBody: c.PostForm("einladung_text"),
		ReminderSubject: c.PostForm("erinnerung_betreff"), ReminderBody: c.PostForm("erinnerung_text"),
		AutoDays: strings.TrimSpace(c.PostForm("auto_tage"))}
	days := 0
	var problems []string
	if f.AutoDays != "" {
		n, err := strconv.Atoi(f.AutoDays)
		if err != nil {
			problems = append(problems, "Automatische Erinnerung: Bitte geben Sie eine ganze Zahl von Tagen an (0 schaltet sie aus).")
		}
		days = n
	}
	if c.PostForm("standard") == "einladung" {
		d := survey.DefaultMailText(survey.MailInvitation)
		f.InvitationSubject, f.InvitationBody = d.Subject, d.Body
	}
	if c.PostForm("standard") == "erinnerung" {
		d := survey.DefaultMailText(survey.MailReminder)
		f.ReminderSubject, f.ReminderBody = d.Subject, d.Body
	}
	if len(problems) == 0 {
		err := s.St.SaveRoundMail(c.Request.Context(), round.ID, survey.MailText{Subject: f.InvitationSubject, Body: f.InvitationBody},
			survey.MailText{Subject: f.ReminderSubject, Body: f.ReminderBody}, days, staffActor(c))
		if err == nil {
			c.Redirect(http.StatusSeeOther, mailURL(round.ID)+"?gespeichert=1")
			return
		}
		var e *survey.Error
		if !errors.As(err, &e) || e.Code != survey.EInvalid {
			s.errorFor(c, err)
			return
		}
		problems = strings.Split(emsg(c, e), "\n")
	}
	settings, err := s.St.RoundMail(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.renderMailPage(c, http.StatusUnprocessableEntity, round, settings, f, problems)
}

// mailPreviewData is the preview of a mailing: who gets it, who not and
// why, and the whole mail of one Kommune as it will be sent.
type mailPreviewData struct {
	Round      survey.Round
	Kind       survey.MailKind
	AGS        string // one Kommune only; "" for all due
	Version    string
	Recipients []store.MailTarget
	Skipped    []store.MailTarget
	Shown      *previewMail
	Server     string
	Problems   []string // of the text: nothing can be sent
}

// previewMail is one mail as it will be sent.
type previewMail struct {
	Kommune survey.Kommune
	To      []string
	Subject string
	Text    string
	HTML    template.HTML // escaped piece by piece by survey.MailText.Render
	NewLink bool          // the Kommune has no link yet: one is made when queued
}

func (s *Server) mailPreview(c *gin.Context) {
	if !s.requireAdminPage(c, "rounds.admin_only") {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	kind, ok := survey.ParseMailKind(c.Query("art"))
	if !ok {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "mail.no_kind"))
		return
	}
	settings, err := s.St.RoundMail(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := mailPreviewData{Round: round, Kind: kind, AGS: c.Query("kommune"), Version: settings.Version,
		Problems: msgsIn(lang(c), settings.Text(kind).Problems(kind))}
	if s.mail.Configured() {
		p.Server = s.mail.Server()
	}
	targets, err := s.St.MailTargets(c.Request.Context(), store.MailSelection{RoundID: round.ID, Kind: kind, AGS: p.AGS})
	if err != nil {
		s.errorFor(c, err)
		return
	}
	for _, t := range targets {
		if t.Skip != nil {
			p.Skipped = append(p.Skipped, t)
		} else {
			p.Recipients = append(p.Recipients, t)
		}
	}
	shown := c.Query("zeige")
	for i, t := range p.Recipients {
		if t.Invitation.Kommune.AGS == shown || (shown == "" && i == 0) {
			if p.Shown, err = s.previewOne(c, round, t, settings.Text(kind)); err != nil {
				s.errorFor(c, err)
				return
			}
			break
		}
	}
	s.Render(c, http.StatusOK, "mail_preview", PageData{Title: tr(c, "mail.preview.title", EnumLabel(lang(c), kind)), Page: p})
}

// previewOne renders the mail of one Kommune with its current link.
func (s *Server) previewOne(c *gin.Context, round survey.Round, t store.MailTarget, text survey.MailText) (*previewMail, error) {
	inv, err := s.St.Invitation(c.Request.Context(), round.ID, t.Invitation.Kommune.AGS, s.sealer)
	if err != nil {
		return nil, err
	}
	own, err := s.St.KommuneRound(c.Request.Context(), round.ID, inv.ResponseID)
	if err != nil {
		return nil, err
	}
	qn, err := s.St.Questionnaire(c.Request.Context(), round.QuestionnaireID)
	if err != nil {
		return nil, err
	}
	link := s.BaseURL + "/k/" + inv.Token
	if inv.Token == "" {
		link = s.BaseURL + "/k/(neuer Link, wird beim Versand erzeugt)"
	}
	org, err := s.St.OrganisationOrPlaceholder(c.Request.Context())
	if err != nil {
		return nil, err
	}
	r := text.Render(survey.InvitationValues(inv.Kommune, own, qn.Title, link, org))
	pm := &previewMail{Kommune: inv.Kommune, Subject: r.Subject, Text: r.Text, HTML: template.HTML(r.HTMLBody), NewLink: inv.Token == ""}
	for _, ct := range t.Contacts {
		if ct.Name != "" {
			pm.To = append(pm.To, ct.Name+" <"+ct.Email+">")
		} else {
			pm.To = append(pm.To, ct.Email)
		}
	}
	return pm, nil
}

// queueMails puts a previewed mailing in the queue and wakes the sender.
func (s *Server) queueMails(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	kind, ok := survey.ParseMailKind(c.PostForm("art"))
	if !ok {
		s.errorPage(c, http.StatusBadRequest, tr(c, "error.bad_request.title"), tr(c, "mail.no_kind"))
		return
	}
	domain := s.mail.Domain()
	res, err := s.St.QueueMails(c.Request.Context(), store.MailSelection{RoundID: round.ID, Kind: kind, AGS: c.PostForm("kommune")},
		c.PostForm("stand"), domain, s.sealer, staffActor(c))
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.mail.Notify()
	q := url.Values{"art": {kind.Slug()}, "eingereiht": {strconv.Itoa(res.Queued)},
		"links": {strconv.Itoa(res.LinksIssued)}, "uebersprungen": {strconv.Itoa(len(res.Skipped))}}
	c.Redirect(http.StatusSeeOther, mailURL(round.ID)+"?"+q.Encode())
}

// mailAction runs an action on one mail of the round and goes back to the
// mail page or the Kommune page.
func (s *Server) mailAction(c *gin.Context, done string, fn func(round survey.Round, id int64) error) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("mail"), 10, 64)
	if err != nil || id <= 0 {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.mail.not_found"))
		return
	}
	m, err := s.St.Mail(c.Request.Context(), round.ID, id)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if err := fn(round, id); err != nil {
		s.errorFor(c, err)
		return
	}
	s.mail.Notify()
	back := mailURL(round.ID) + "?mail=" + done + "#versandprotokoll"
	if c.PostForm("zurueck") == "kommune" {
		back = kommuneURL(round.ID, m.Kommune.AGS) + "?mail=" + done + "#mail-versand"
	}
	c.Redirect(http.StatusSeeOther, back)
}

// retryMail queues a failed or not sent mail again.
func (s *Server) retryMail(c *gin.Context) {
	s.mailAction(c, "wiederholt", func(round survey.Round, id int64) error {
		return s.St.RetryMail(c.Request.Context(), round.ID, id, staffActor(c))
	})
}

// requeueMail sends a mail whose outcome is unklar again, once a person
// has checked that it did not arrive (the checkbox).
func (s *Server) requeueMail(c *gin.Context) {
	s.mailAction(c, "erneut", func(round survey.Round, id int64) error {
		if c.PostForm("geprueft") != "ja" {
			return survey.NewError(survey.EInvalid, "msg.mail.confirm_checked")
		}
		return s.St.RequeueMail(c.Request.Context(), round.ID, id, staffActor(c))
	})
}

// markMailSent records that a mail whose outcome was unklar arrived.
func (s *Server) markMailSent(c *gin.Context) {
	s.mailAction(c, "gesendet", func(round survey.Round, id int64) error {
		return s.St.MarkMailSent(c.Request.Context(), round.ID, id, staffActor(c))
	})
}

// kommuneMailView is the mail section of the staff Kommune page.
type kommuneMailView struct {
	Contacts []survey.Contact
	Log      []store.MailRow
	Notice   string
	Error    bool
}

// kommuneMail reads the mail section of the Kommune page; a failure shows
// as a note in the section instead of failing the page.
func (s *Server) kommuneMail(c *gin.Context, round survey.Round, k survey.Kommune) kommuneMailView {
	v := kommuneMailView{Notice: mailNotice(c)}
	var err error
	if v.Contacts, err = s.St.Contacts(c.Request.Context(), k.ID); err == nil {
		v.Log, err = s.St.MailLog(c.Request.Context(), round.ID, k.ID, 100)
	}
	if err != nil {
		s.Log.Error("mail section of the Kommune page", "kommune", k.AGS, "err", err)
		v.Error = true
	}
	return v
}

// --- contact addresses ---

// contactsPageData lists every Kommune with its addresses, with the CSV
// import and its outcome.
type contactsPageData struct {
	Rows     []contactsRow // the Kommunen shown: all, or List's page
	All      int           // Kommunen stored
	List     *listView     // set when the Kommunen are shown page by page
	Columns  []sortColumn  // the table's headers, sortable (contactsColumns)
	Without  int
	FileName string
	Problems []string // why the file was refused, in the page's language
	Count    int      // problems in all (Problems shows the first maxShownProblems)
	Message  string
	Imported *store.ContactsImport
	Admin    bool
	Round    *survey.Round // the newest round, whose answers can fill in addresses (admins only)
}

type contactsRow struct {
	Kommune  survey.Kommune
	Contacts []survey.Contact
}

// contactsColumns are the contacts table's sortable columns, by key (AGS)
// by default; "adressen" sorts by the number of addresses.
var contactsColumns = []sortableColumn{
	{Value: "schluessel", Key: "kommunen.key"}, {Value: "name", Key: "common.kommune"}, {Value: "adressen", Key: "contacts.addresses"},
}

func (s *Server) contactsPage(c *gin.Context) {
	s.renderContacts(c, http.StatusOK, contactsPageData{})
}

func (s *Server) renderContacts(c *gin.Context, status int, p contactsPageData) {
	ks, err := s.St.Kommunen(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	all, err := s.St.AllContacts(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	for _, k := range ks {
		if len(all[k.ID]) == 0 {
			p.Without++
		}
	}
	p.All = len(ks)
	var ok bool
	byCount := func(a, b survey.Kommune) int { return cmp.Compare(len(all[a.ID]), len(all[b.ID])) }
	if p.List, ks, p.Columns, ok = s.sortedKommunen(c, ks, ContactsPath, "kontakte", "contacts.pages", contactsColumns,
		map[string]func(a, b survey.Kommune) int{"name": kommunenOrder["name"], "adressen": byCount}); !ok {
		return
	}
	for _, k := range ks {
		p.Rows = append(p.Rows, contactsRow{Kommune: k, Contacts: all[k.ID]})
	}
	p.Admin = isAdmin(c)
	if p.Admin {
		if r, err := s.St.LatestRound(c.Request.Context()); err == nil {
			p.Round = &r
		} else if survey.ErrorCode(err) != survey.ENotFound {
			s.errorFor(c, err)
			return
		}
	}
	s.Render(c, status, "mail_contacts", PageData{Title: tr(c, "contacts.title"), Page: p})
}

// importContacts stores the addresses of an uploaded CSV file; a file with
// any bad line is refused with every line listed (422), nothing stored.
func (s *Server) importContacts(c *gin.Context) {
	name, src, refused := uploadedFile(c)
	if refused != nil {
		s.renderContacts(c, refused.Status, contactsPageData{Message: refused.message(c) + " " + tr(c, "versions.nothing_saved")})
		return
	}
	rows, err := survey.ParseContactsCSV(src)
	var res store.ContactsImport
	if err == nil {
		res, err = s.St.ImportContacts(c.Request.Context(), rows, c.Request.FormValue("ersetzen") == "ja", staffActor(c))
	}
	var ie *survey.ImportError
	if errors.As(err, &ie) {
		s.renderContacts(c, http.StatusUnprocessableEntity, contactsPageData{FileName: name, Problems: importProblems(c, ie), Count: len(ie.Problems)})
		return
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	s.renderContacts(c, http.StatusOK, contactsPageData{FileName: name, Imported: &res})
}

// contactPageData is the address page of one Kommune.
type contactPageData struct {
	Kommune  survey.Kommune
	Contacts []survey.Contact
	Email    string // as typed, when refused
	Name     string
	Message  string
	Notice   string
	Admin    bool
}

func (s *Server) contactKommune(c *gin.Context) (survey.Kommune, bool) {
	k, err := s.St.KommuneByKey(c.Request.Context(), c.Param("ags"))
	if err != nil {
		s.errorFor(c, err)
		return k, false
	}
	return k, true
}

func (s *Server) contactPage(c *gin.Context) {
	k, ok := s.contactKommune(c)
	if !ok {
		return
	}
	notice := ""
	if key, ok := map[string]string{"neu": "contact.notice.added", "geloescht": "contact.notice.deleted"}[c.Query("hinweis")]; ok {
		notice = tr(c, key)
	}
	s.renderContact(c, http.StatusOK, contactPageData{Kommune: k, Notice: notice})
}

func (s *Server) renderContact(c *gin.Context, status int, p contactPageData) {
	var err error
	if p.Contacts, err = s.St.Contacts(c.Request.Context(), p.Kommune.ID); err != nil {
		s.errorFor(c, err)
		return
	}
	p.Admin = isAdmin(c)
	s.Render(c, status, "mail_contact", PageData{Title: tr(c, "contact.title", p.Kommune.Name), Page: p})
}

func contactURL(ags string) string { return "/verwaltung/kontakte/" + url.PathEscape(ags) }

// addContact adds an address to a Kommune; a refused one is shown with the
// reason and the input kept (422 or 409).
func (s *Server) addContact(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	k, ok := s.contactKommune(c)
	if !ok {
		return
	}
	email, name := c.PostForm("email"), c.PostForm("name")
	err := s.St.AddContact(c.Request.Context(), k.ID, email, name, staffActor(c))
	var e *survey.Error
	if errors.As(err, &e) && (e.Code == survey.EInvalid || e.Code == survey.EConflict) {
		status := http.StatusUnprocessableEntity
		if e.Code == survey.EConflict {
			status = http.StatusConflict
		}
		s.renderContact(c, status, contactPageData{Kommune: k, Email: email, Name: name, Message: emsg(c, e)})
		return
	}
	if err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, contactURL(k.AGS)+"?hinweis=neu")
}

func (s *Server) deleteContact(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	k, ok := s.contactKommune(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("contact"), 10, 64)
	if err != nil || id <= 0 {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "contact.not_found"))
		return
	}
	if err := s.St.DeleteContact(c.Request.Context(), k.ID, id, staffActor(c)); err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, contactURL(k.AGS)+"?hinweis=geloescht")
}

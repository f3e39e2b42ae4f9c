package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// Rounds: the list, creating a round, opening and closing it, changing its
// deadline, and the round's page with its invited Kommunen and their links.
// Links themselves (new link, letter, QR code) are in rounds_links.go.

// notices are the fixed messages (catalogue keys) a page shows after a
// redirect (?hinweis=…); no user text ever travels in a URL.
var notices = map[string]string{
	"angelegt":        "notice.angelegt",
	"geoeffnet":       "notice.geoeffnet",
	"geschlossen":     "notice.geschlossen",
	"frist":           "notice.frist",
	"links":           "notice.links",
	"widerrufen":      "notice.widerrufen",
	"wiedergeoeffnet": "notice.wiedergeoeffnet",
	"kommunefrist":    "notice.kommunefrist",
	"erfasst":         "notice.erfasst",
	"konto":           "notice.konto",
	"gesperrt":        "notice.gesperrt",
	"entsperrt":       "notice.entsperrt",
}

func notice(c *gin.Context) string {
	if key, ok := notices[c.Query("hinweis")]; ok {
		return tr(c, key)
	}
	return ""
}

// dateInput parses the value of an <input type="date"> (YYYY-MM-DD) as a
// date at midnight UTC, the form in which the store keeps dates.
func dateInput(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return t, err == nil && t.Year() >= 2000 && t.Year() < 2200
}

// DateValue formats a date for an <input type="date">.
//
// Exported for package main's end-to-end tests.
func DateValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// BerlinToday returns today's date in Berlin at midnight UTC.
//
// Exported for package main's end-to-end tests.
func BerlinToday(now time.Time) time.Time {
	y, m, d := now.In(survey.Berlin()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// isAdmin reports whether the signed-in staff member may change things.
func isAdmin(c *gin.Context) bool {
	sess := session(c)
	return sess != nil && sess.Kind == "staff" && sess.User.Role == store.RoleAdmin
}

// requireAdminPage refuses pages that only admins may see, with the true
// reason (the catalogue key why): the page shows Kommune links, which give
// write access to a response, or leads to a change only admins may make.
func (s *Server) requireAdminPage(c *gin.Context, why string) bool {
	if isAdmin(c) {
		return true
	}
	s.errorPage(c, http.StatusForbidden, tr(c, "error.forbidden.title"), tr(c, why))
	return false
}

func roundAdminURL(id int64) string { return fmt.Sprintf("/verwaltung/runden/%d/verwalten", id) }

func kommuneURL(roundID int64, ags string) string {
	return fmt.Sprintf("/verwaltung/runden/%d/kommunen/%s", roundID, ags)
}

// roundsPage lists all rounds.
type roundsPage struct {
	Rows   []roundRow
	Notice string
}

type roundRow struct {
	Round    survey.Round
	Version  store.QuestionnaireVersion
	Counts   store.RoundCounts
	Accepts  bool
	DaysLeft int
}

func (s *Server) roundsList(c *gin.Context) {
	rounds, err := s.St.Rounds(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	versions, err := s.versionsByID(c)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	counts, err := s.St.RoundCounts(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := roundsPage{Notice: notice(c)}
	now := s.Now()
	for _, r := range rounds {
		p.Rows = append(p.Rows, roundRow{Round: r, Version: versions[r.QuestionnaireID].QuestionnaireVersion, Counts: counts[r.ID],
			Accepts: r.AcceptsAnswers(now), DaysLeft: r.DaysLeft(now)})
	}
	s.Render(c, http.StatusOK, "rounds", PageData{Title: tr(c, "dash.rounds"), Page: p})
}

func (s *Server) versionsByID(c *gin.Context) (map[int64]store.VersionInfo, error) {
	vs, err := s.St.QuestionnaireVersions(c.Request.Context())
	if err != nil {
		return nil, err
	}
	out := make(map[int64]store.VersionInfo, len(vs))
	for _, v := range vs {
		out[v.ID] = v
	}
	return out, nil
}

// roundForm is the form that creates a round.
type roundForm struct {
	Versions []store.VersionInfo
	// Kommunen are the choices shown: all, or List's page. Above
	// ListPageSize Kommunen the page also takes keys typed in Keys, so a
	// choice can span the pages.
	Kommunen        []kommuneChoice
	AllKommunen     int
	List            *listView
	Keys            string
	QuestionnaireID int64
	Title           string
	OpensOn         string
	Deadline        string
	All             bool
	OpenNow         bool
	IssueLinks      bool
	Errors          map[string]string
	ErrorList       []errorLink
}

type kommuneChoice struct {
	survey.Kommune
	Checked bool
}

func (s *Server) newRoundForm(c *gin.Context) {
	if !s.requireAdminPage(c, "admin_only.new_round") {
		return
	}
	f := roundForm{All: true, IssueLinks: true, Errors: map[string]string{}}
	today := BerlinToday(s.Now())
	f.OpensOn, f.Deadline = DateValue(today), DateValue(today.AddDate(0, 0, 28))
	f.Title = "Bedarfsabfrage " + strconv.Itoa(today.Year())
	s.renderRoundForm(c, http.StatusOK, f, nil)
}

func (s *Server) renderRoundForm(c *gin.Context, status int, f roundForm, checked map[int64]bool) {
	vs, err := s.St.QuestionnaireVersions(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	ks, err := s.St.Kommunen(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	f.Versions = vs
	if f.QuestionnaireID == 0 && len(vs) > 0 {
		f.QuestionnaireID = vs[0].ID
	}
	f.AllKommunen = len(ks)
	all := ks
	var ok bool
	if f.List, ks, ok = s.pageKommunen(c, ks, NewRoundPath, "kommunen", "kommunen.pages"); !ok {
		return
	}
	shown := map[int64]bool{}
	for _, k := range ks {
		f.Kommunen = append(f.Kommunen, kommuneChoice{Kommune: k, Checked: checked[k.ID]})
		shown[k.ID] = true
	}
	// Kommunen ticked on another page than the one shown again keep
	// their choice as keys.
	typed := map[int64]bool{}
	checkKeys(f.Keys, all, typed)
	for _, k := range all {
		if checked[k.ID] && !shown[k.ID] && !typed[k.ID] {
			f.Keys = strings.TrimSpace(f.Keys + "\n" + k.AGS)
		}
	}
	s.Render(c, status, "round_new", PageData{Title: tr(c, "round_new.title"), Page: f})
}

// createRound creates a round from the form; with "alle" every Kommune is
// invited. It can open the round and issue the links at once.
func (s *Server) createRound(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	form := c.Request.PostForm
	f := roundForm{Title: strings.TrimSpace(form.Get("titel")), OpensOn: form.Get("beginn"), Deadline: form.Get("frist"),
		All: form.Get("alle") != "", OpenNow: form.Get("oeffnen") != "", IssueLinks: form.Get("links") != "", Errors: map[string]string{}}
	// fail records a problem; label and msg are catalogue keys.
	fail := func(field, target, label, msg string) {
		f.Errors[field] = tr(c, msg)
		f.ErrorList = append(f.ErrorList, errorLink{Target: target, Label: tr(c, label), Message: tr(c, msg)})
	}
	versions, err := s.versionsByID(c)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	f.QuestionnaireID, _ = strconv.ParseInt(form.Get("fragebogen"), 10, 64)
	if _, ok := versions[f.QuestionnaireID]; !ok {
		fail("fragebogen", "r-fragebogen", "receipt.questionnaire", "round_new.err.version")
	}
	switch {
	case f.Title == "":
		fail("titel", "r-titel", "round_new.title_short", "round_new.err.title")
	case utf8.RuneCountInString(f.Title) > 200:
		fail("titel", "r-titel", "round_new.title_short", "round_new.err.title_long")
	}
	opens, okOpens := dateInput(f.OpensOn)
	if !okOpens {
		fail("beginn", "r-beginn", "round_new.opens", "round_new.err.date")
	}
	deadline, okDeadline := dateInput(f.Deadline)
	switch {
	case !okDeadline:
		fail("frist", "r-frist", "form.meta.deadline", "round_new.err.date")
	case okOpens && deadline.Before(opens):
		fail("frist", "r-frist", "form.meta.deadline", "round_new.err.order")
	}
	ks, err := s.St.Kommunen(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	checked := map[int64]bool{}
	for _, v := range form["kommune"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			checked[id] = true
		}
	}
	f.Keys = form.Get("schluessel")
	if unknown := checkKeys(f.Keys, ks, checked); len(unknown) > 0 {
		f.Errors["schluessel"] = tr(c, "round_new.err.keys", strings.Join(unknown, ", "))
		f.ErrorList = append(f.ErrorList, errorLink{Target: "r-schluessel", Label: tr(c, "round_new.keys"), Message: f.Errors["schluessel"]})
	}
	var ids []int64
	for _, k := range ks {
		if f.All || checked[k.ID] {
			ids = append(ids, k.ID)
		}
	}
	if len(ids) == 0 {
		fail("kommunen", "r-alle", "round_new.invited", "round_new.err.kommunen")
	}
	if len(f.ErrorList) > 0 {
		s.renderRoundForm(c, http.StatusUnprocessableEntity, f, checked)
		return
	}
	actor := staffActor(c)
	id, err := s.St.CreateRound(c.Request.Context(), store.NewRound{QuestionnaireID: f.QuestionnaireID, Title: f.Title, OpensOn: opens, Deadline: deadline,
		Status: survey.RoundPlanned, KommuneIDs: ids}, actor)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if f.OpenNow {
		if err := s.St.OpenRound(c.Request.Context(), id, actor); err != nil {
			s.errorFor(c, err)
			return
		}
	}
	if f.IssueLinks {
		if err := s.issueMissingLinks(c, id); err != nil {
			s.errorFor(c, err)
			return
		}
	}
	c.Redirect(http.StatusSeeOther, roundAdminURL(id)+"?hinweis=angelegt")
}

// issueMissingLinks gives every invited Kommune of a round without an active
// link a new one.
func (s *Server) issueMissingLinks(c *gin.Context, roundID int64) error {
	invs, err := s.St.Invitations(c.Request.Context(), roundID)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		if inv.HasLink {
			continue
		}
		if _, err := s.St.IssueToken(c.Request.Context(), inv.ResponseID, s.sealer, staffActor(c)); err != nil {
			return err
		}
	}
	return nil
}

// roundAdminPage shows a round's status and deadline with their actions and
// every invited Kommune with its status, own deadline and link.
type roundAdminPage struct {
	Round       survey.Round
	Version     store.QuestionnaireVersion
	Invitations []store.Invitation
	Columns     []sortColumn // the invitations' headers, sortable (invitationColumns)
	Deadline    string       // for the date input
	DaysLeft    int
	Accepts     bool
	WithoutLink int
	Submitted   int
	Notice      string
	Letters     lettersForm // the form to the letters and link lists
	// DeadlineError is a refused new deadline's message, shown at its
	// field with the value as typed (in Deadline).
	DeadlineError string
}

// invitationColumns are the sortable columns of a round's invitations, by
// AGS by default (shown beside the name); invitationOrder compares the
// invitations by each. No own deadline and no link come first.
var invitationColumns = []sortableColumn{
	{Value: "ags"}, {Value: "kommune", Key: "common.kommune"}, {Value: "status", Key: "common.status"},
	{Value: "frist", Key: "round_admin.own_deadline"}, {Value: "link", Key: "kommune.link"},
}

var invitationOrder = map[string]func(a, b store.Invitation) int{
	"kommune": func(a, b store.Invitation) int { return byName(a.Kommune.Name, b.Kommune.Name) },
	"status":  func(a, b store.Invitation) int { return cmp.Compare(statusRank(a.Status), statusRank(b.Status)) },
	"frist":   func(a, b store.Invitation) int { return a.Deadline.Compare(b.Deadline) },
	"link":    func(a, b store.Invitation) int { return a.LinkCreated.Compare(b.LinkCreated) },
}

// statusRank orders statuses by progress, as the overview does: not
// begun, in progress, returned, submitted.
func statusRank(st survey.ResponseStatus) int {
	return slices.Index([]survey.ResponseStatus{survey.StatusNew, survey.StatusDraft, survey.StatusReturned, survey.StatusSubmitted}, st)
}

func (s *Server) roundAdmin(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	s.renderRoundAdmin(c, round, "", "")
}

// renderRoundAdmin shows the round's page; with deadlineErr it is the
// answer to a refused deadline (422), the typed value kept in the form.
func (s *Server) renderRoundAdmin(c *gin.Context, round survey.Round, deadline, deadlineErr string) {
	versions, err := s.versionsByID(c)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	ls, serr := parseListSort(c.Request.URL.Query(), invitationColumns)
	if serr != nil {
		s.errorPage(c, http.StatusBadRequest, tr(c, "dash.list.bad"), tr(c, serr.Key, serr.Args...))
		return
	}
	invs, err := s.St.Invitations(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	sortRows(invs, ls, invitationOrder, func(inv store.Invitation) string { return inv.Kommune.AGS })
	now := s.Now()
	p := roundAdminPage{Round: round, Version: versions[round.QuestionnaireID].QuestionnaireVersion, Invitations: invs,
		Deadline: DateValue(round.Deadline), DaysLeft: round.DaysLeft(now), Accepts: round.AcceptsAnswers(now), Notice: notice(c),
		DeadlineError: deadlineErr, Letters: lettersForm{round, letterFilters[0], letterFilters},
		Columns: sortHeaders(ls, invitationColumns, func(to listSort) string {
			return pagedURL(fmt.Sprintf("/verwaltung/runden/%d/verwalten", round.ID), "einladungen", listPage{PerPage: ListPageSize, Sort: to}, 1)
		})}
	status := http.StatusOK
	if deadlineErr != "" {
		p.Deadline, p.Notice, status = deadline, "", http.StatusUnprocessableEntity
	}
	for _, inv := range invs {
		if !inv.HasLink {
			p.WithoutLink++
		}
		if inv.Status == survey.StatusSubmitted {
			p.Submitted++
		}
	}
	s.Render(c, status, "round_admin", PageData{Title: tr(c, "round_admin.title", round.Title), Page: p})
}

func (s *Server) openRound(c *gin.Context) {
	s.roundAction(c, "geoeffnet", func(round survey.Round) error { return s.St.OpenRound(c.Request.Context(), round.ID, staffActor(c)) })
}

func (s *Server) closeRound(c *gin.Context) {
	s.roundAction(c, "geschlossen", func(round survey.Round) error { return s.St.CloseRound(c.Request.Context(), round.ID, staffActor(c)) })
}

// setRoundDeadline changes the round's deadline; a refused one (no date,
// before the round's start) re-shows the round's page with the message at
// the field rather than an error page.
func (s *Server) setRoundDeadline(c *gin.Context) {
	s.roundAction(c, "frist", func(round survey.Round) error {
		raw := c.Request.PostForm.Get("frist")
		d, ok := dateInput(raw)
		var err error = survey.NewError(survey.EInvalid, "msg.round.deadline_date")
		if ok {
			err = s.St.SetRoundDeadline(c.Request.Context(), round.ID, d, staffActor(c))
		}
		var e *survey.Error
		if errors.As(err, &e) && e.Code == survey.EInvalid {
			s.renderRoundAdmin(c, round, raw, emsg(c, e))
			return errShown
		}
		return err
	})
}

func (s *Server) issueLinks(c *gin.Context) {
	s.roundAction(c, "links", func(round survey.Round) error { return s.issueMissingLinks(c, round.ID) })
}

// errShown tells roundAction that the action has answered the request
// itself (a form shown again with its message).
var errShown = errors.New("answered with the form")

// roundAction runs a change of a round and returns to the round's page.
func (s *Server) roundAction(c *gin.Context, done string, fn func(survey.Round) error) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	if err := fn(round); errors.Is(err, errShown) {
		return
	} else if err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, roundAdminURL(round.ID)+"?hinweis="+done)
}

// NewRoundPath is the form that creates a round.
//
// Exported for package main's end-to-end tests.
const NewRoundPath = "/verwaltung/runden/neu"

// maxRoundKeys bounds the keys typed into the new-round form.
const maxRoundKeys = 20000

// checkKeys marks the Kommunen whose keys (AGS or ARS key; separated by
// line breaks, commas, semicolons or spaces) are typed in text as checked,
// and returns the keys that name no Kommune (at most ten, then "…").
func checkKeys(text string, ks []survey.Kommune, checked map[int64]bool) []string {
	keys := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	if len(keys) == 0 {
		return nil
	}
	byKey := make(map[string]int64, len(ks))
	for _, k := range ks {
		byKey[k.AGS] = k.ID
	}
	var unknown []string
	for i, key := range keys {
		if i == maxRoundKeys {
			return append(unknown, "…")
		}
		norm, ok := survey.NormalizeAGS(key)
		if !ok {
			norm, _ = survey.NormalizeARS(key)
		}
		if id, ok := byKey[norm]; ok {
			checked[id] = true
			continue
		}
		if len(unknown) == 10 {
			return append(unknown, "…")
		}
		unknown = append(unknown, key)
	}
	return unknown
}

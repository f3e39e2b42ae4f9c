package web

import (
	"embed"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// The pages a public body must have (issue 8, item 7): the legal pages
// (Erklärung zur Barrierefreiheit, Datenschutzhinweise, Impressum) with
// texts staff edit, a printable blank questionnaire and the Kommune's
// printable receipt (Eingangsbestätigung).

// legalDefaults holds the default texts of the legal pages, one file per
// page and language ("datenschutz.de.txt"), in the markup of
// public_pages_text.go. Their [placeholders] are for staff to fill in.
//
//go:embed legaltexts/*.txt
var legalDefaults embed.FS

// legalPageNames are the legal pages, as store.LegalPages.
var legalPageNames = store.LegalPages

// legalTitles are the catalogue keys of the pages' titles.
var legalTitles = map[string]string{
	store.PageAccessibility: "legal.title.barrierefreiheit",
	store.PagePrivacy:       "legal.title.datenschutz",
	store.PageImprint:       "legal.title.impressum",
}

// legalLangNames are the catalogue keys of the texts' languages.
var legalLangNames = map[string]string{"de": "legal.lang.de", "en": "legal.lang.en"}

func legalDefault(page, lang string) string {
	b, err := legalDefaults.ReadFile("legaltexts/" + page + "." + lang + ".txt")
	if err != nil {
		return ""
	}
	return string(b)
}

// legalDefaultFor is the default text of a page with the organisation's
// name and address in place of their placeholders, once it is entered.
func (s *Server) legalDefaultFor(c *gin.Context, page, lang string) (string, error) {
	text := legalDefault(page, lang)
	org, ok, err := s.St.Organisation(c.Request.Context())
	if err != nil || !ok {
		return text, err
	}
	return fillOrganisation(text, org), nil
}

// fillOrganisation puts the organisation in place of the placeholders of
// the default legal texts that name it (both languages).
func fillOrganisation(text string, org survey.Organisation) string {
	pairs := []string{
		"[Name der Stelle, z. B. Region Hannover, Koordinierungsstelle Integration]", org.Name(),
		"[Name der Stelle, z. B. Region Hannover]", org.Body,
		"[Organisationseinheit, z. B. Koordinierungsstelle Integration]", org.Office,
		"[Name der Stelle]", org.Name(),
		"[verantwortlichen Stelle]", org.Name(),
		"[Stelle]", org.Body,
		"[Name of the office, e.g. Region Hannover, Koordinierungsstelle Integration]", org.Name(),
		"[Name of the office, e.g. Region Hannover]", org.Body,
		"[Unit, e.g. Koordinierungsstelle Integration]", org.Office,
		"[Name of the office]", org.Name(),
		"[the controller]", org.Name(),
		"[office]", org.Body,
	}
	if org.Address != "" {
		pairs = append(pairs, "[Anschrift]", org.Address, "[Postal address]", org.Address)
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// legalView is a legal page as the public sees it.
type legalView struct {
	Page      string
	Body      template.HTML
	TextLang  string    // the language of the text; differs from the page's when only German exists
	OnlyInDE  bool      // an English page showing the German text staff saved
	UpdatedAt time.Time // zero: the default text
}

// legalText returns the text of a page for a locale: what staff saved in
// that language, else (for English) what they saved in German, else the
// default of the language.
func (s *Server) legalText(c *gin.Context, page string, l i18n.Lang) (text, textLang string, updated time.Time, err error) {
	t, ok, err := s.St.LegalText(c.Request.Context(), page, l.Code())
	if err != nil {
		return "", "", time.Time{}, err
	}
	if ok {
		return t.Body, l.Code(), t.UpdatedAt, nil
	}
	if l != i18n.DE {
		if t, ok, err := s.St.LegalText(c.Request.Context(), page, "de"); err != nil {
			return "", "", time.Time{}, err
		} else if ok {
			return t.Body, "de", t.UpdatedAt, nil
		}
	}
	text, err = s.legalDefaultFor(c, page, l.Code())
	return text, l.Code(), time.Time{}, err
}

// legalPage serves one of the legal pages, to anyone.
func (s *Server) legalPage(page string) gin.HandlerFunc {
	return func(c *gin.Context) {
		l := lang(c)
		text, textLang, updated, err := s.legalText(c, page, l)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		s.Render(c, http.StatusOK, "legal", PageData{Title: tr(c, legalTitles[page]), Page: legalView{
			Page: page, Body: legalHTML(text), TextLang: textLang, OnlyInDE: textLang != l.Code(), UpdatedAt: updated,
		}})
	}
}

// legalAdminRow is a page in the staff's list.
type legalAdminRow struct {
	Page  string
	Title string
	Langs []legalAdminText
}

// legalAdminText is a page's text in one language for editing.
type legalAdminText struct {
	Lang         string
	LangName     string
	Body         string
	HTML         template.HTML // the text as the page shows it
	Own          bool          // staff saved it; else the default
	UpdatedAt    time.Time
	UpdatedBy    string
	Placeholders int
	Error        string // why the text just sent was not saved
}

type legalAdminPage struct {
	Pages  []legalAdminRow // the list, or the one page being edited
	Edit   bool
	Notice string
	Max    int
}

func (s *Server) legalAdminTexts(c *gin.Context, page string) (legalAdminRow, error) {
	row := legalAdminRow{Page: page, Title: tr(c, legalTitles[page])}
	for _, lg := range store.LegalLangs {
		t, ok, err := s.St.LegalText(c.Request.Context(), page, lg)
		if err != nil {
			return row, err
		}
		at := legalAdminText{Lang: lg, LangName: tr(c, legalLangNames[lg]), Body: t.Body, Own: ok, UpdatedAt: t.UpdatedAt, UpdatedBy: t.UpdatedBy}
		if !ok {
			if at.Body, err = s.legalDefaultFor(c, page, lg); err != nil {
				return row, err
			}
		}
		at.Placeholders = placeholders(at.Body)
		at.HTML = legalHTML(at.Body)
		row.Langs = append(row.Langs, at)
	}
	return row, nil
}

// legalAdmin lists the legal pages with the state of their texts.
func (s *Server) legalAdmin(c *gin.Context) {
	p := legalAdminPage{Max: store.MaxLegalText}
	for _, page := range legalPageNames {
		row, err := s.legalAdminTexts(c, page)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		p.Pages = append(p.Pages, row)
	}
	s.Render(c, http.StatusOK, "legal_admin", PageData{Title: tr(c, "legal.admin.title"), Page: p})
}

// legalEdit shows the texts of one page in both languages, editable for
// admins.
func (s *Server) legalEdit(c *gin.Context) {
	page := c.Param("seite")
	if !slices.Contains(legalPageNames, page) {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.title"), tr(c, "error.not_found.text"))
		return
	}
	row, err := s.legalAdminTexts(c, page)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := legalAdminPage{Pages: []legalAdminRow{row}, Edit: true, Max: store.MaxLegalText}
	switch saved := c.Query("gespeichert"); saved {
	case "de", "en":
		p.Notice = tr(c, "legal.admin.saved", tr(c, legalLangNames[saved]))
	case "standard":
		p.Notice = tr(c, "legal.admin.reset_done")
	}
	s.Render(c, http.StatusOK, "legal_admin", PageData{Title: tr(c, legalTitles[page]), Page: p})
}

// saveLegal stores (or resets to the default) the text of a page in one
// language.
func (s *Server) saveLegal(c *gin.Context) {
	page := c.Param("seite")
	if !slices.Contains(legalPageNames, page) {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.title"), tr(c, "error.not_found.text"))
		return
	}
	if !s.parseForm(c) {
		return
	}
	form := c.Request.PostForm
	lg := form.Get("sprache")
	body := form.Get("text")
	done := lg
	if form.Get("aktion") == "standard" {
		body, done = "", "standard"
	}
	if err := s.St.SaveLegalText(c.Request.Context(), page, lg, body, staffActor(c)); err != nil {
		// A refused text and one the storage could not take come back
		// in the form as typed, with the reason.
		status, msg := http.StatusUnprocessableEntity, emsg(c, err)
		switch {
		case s.unsaved(c, err):
			status, msg = http.StatusServiceUnavailable, tr(c, "storage.notice")
		case survey.ErrorCode(err) != survey.EInvalid:
			s.errorFor(c, err)
			return
		}
		row, rerr := s.legalAdminTexts(c, page)
		if rerr != nil {
			s.errorFor(c, rerr)
			return
		}
		for i := range row.Langs {
			if row.Langs[i].Lang == lg {
				row.Langs[i].Body = body
				row.Langs[i].Error = msg
			}
		}
		s.Render(c, status, "legal_admin", PageData{Title: tr(c, legalTitles[page]),
			Page: legalAdminPage{Pages: []legalAdminRow{row}, Edit: true, Max: store.MaxLegalText}})
		return
	}
	c.Redirect(http.StatusSeeOther, "/verwaltung/rechtstexte/"+page+"?gespeichert="+done)
}

// ---- the blank questionnaire ----

// blankPage is a questionnaire with empty boxes, for printing.
type blankPage struct {
	Questionnaire *survey.Questionnaire
	Round         survey.Round
	Kommune       string // the Kommune's name on its own copy
	Sections      []blankSection
	Back          string // the page it was opened from
}

type blankSection struct {
	Number      int
	Title       string
	Description string
	Questions   []blankQuestion
}

type blankQuestion struct {
	Number  string // "2.3"; empty for notes
	Q       *survey.Question
	Depends []blankRef // the questions its condition looks at
}

type blankRef struct {
	Number, Label string
}

func blankView(qn *survey.Questionnaire, round survey.Round) blankPage {
	p := blankPage{Questionnaire: qn, Round: round}
	numbers := map[string]string{}
	for si, sec := range qn.Sections {
		bs := blankSection{Number: si + 1, Title: sec.Title, Description: sec.Description}
		n := 0
		for _, q := range sec.Questions {
			bq := blankQuestion{Q: q}
			if q.Type != survey.Note {
				n++
				bq.Number = strconv.Itoa(si+1) + "." + strconv.Itoa(n)
				numbers[q.ID] = bq.Number
			}
			if q.Relevant != nil {
				for _, id := range q.Relevant.Refs() {
					if ref := qn.Question(id); ref != nil {
						bq.Depends = append(bq.Depends, blankRef{Number: numbers[id], Label: ref.Label})
					}
				}
			}
			bs.Questions = append(bs.Questions, bq)
		}
		p.Sections = append(p.Sections, bs)
	}
	return p
}

// kommuneBlank is the blank questionnaire of the Kommune's round.
func (s *Server) kommuneBlank(c *gin.Context) {
	round, qn, resp, _, ok := s.loadKommune(c)
	if !ok {
		return
	}
	p := blankView(qn, round)
	p.Kommune, p.Back = resp.Kommune.Name, "/fragebogen"
	s.Render(c, http.StatusOK, "blank", PageData{Title: tr(c, "blank.title", qn.Title), Page: p, QLang: qn.Lang})
}

// staffBlank is the blank questionnaire of a round, for staff.
func (s *Server) staffBlank(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	qn, err := s.St.Questionnaire(c.Request.Context(), round.QuestionnaireID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := blankView(qn, round)
	p.Back = "/verwaltung/runden/" + strconv.FormatInt(round.ID, 10)
	s.Render(c, http.StatusOK, "blank", PageData{Title: tr(c, "blank.title", qn.Title), Page: p, QLang: qn.Lang})
}

// ---- the receipt ----

// receiptView sums up a submitted answer: when, by whom, and how many
// questions of each section were answered.
type receiptView struct {
	Kommune     survey.Kommune
	Round       survey.Round
	Title       string // of the questionnaire
	SubmittedAt time.Time
	By          string
	Revision    int
	Sections    []receiptSection
	Answered    int
	Total       int
	// ResultsReleased: the page links to the Kommune's results.
	ResultsReleased bool
}

type receiptSection struct {
	Title           string
	Answered, Total int
}

// receiptOf counts, per section, the questions shown to the Kommune (not
// hidden by a condition, not notes) and those of them with an answer.
func receiptOf(resp survey.Response, round survey.Round, qn *survey.Questionnaire, sections []sectionView) *receiptView {
	r := &receiptView{Kommune: resp.Kommune, Round: round, Title: qn.Title, SubmittedAt: resp.SubmittedAt,
		By: resp.UpdatedBy, Revision: resp.Revision}
	for _, sec := range sections {
		rs := receiptSection{Title: sec.Title}
		for _, q := range sec.Questions {
			if q.Hidden || q.Q.Type == survey.Note {
				continue
			}
			rs.Total++
			if q.Display != "" {
				rs.Answered++
			}
		}
		r.Sections = append(r.Sections, rs)
		r.Answered += rs.Answered
		r.Total += rs.Total
	}
	return r
}

// kommuneReceipt is the printable receipt of a submitted answer.
func (s *Server) kommuneReceipt(c *gin.Context) {
	round, qn, resp, ans, ok := s.loadKommune(c)
	if !ok {
		return
	}
	if resp.Status != survey.StatusSubmitted {
		s.errorPage(c, http.StatusNotFound, tr(c, "receipt.none.title"), tr(c, "receipt.none.text"))
		return
	}
	page := s.FormPage(c, round, qn, resp, qn.FormValues(ans), qn.ReCheck(ans, survey.Draft))
	rv := receiptOf(resp, round, qn, page.Sections)
	rv.ResultsReleased = s.resultsReleased(c, round.ID)
	s.Render(c, http.StatusOK, "receipt", PageData{Title: tr(c, "receipt.title"), Page: rv, QLang: qn.Lang})
}

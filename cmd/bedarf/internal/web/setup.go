package web

// The setup page (Einrichtung): one line per step from an empty database to
// a first open round, each with its state and its action right there. The
// same steps, by the same names, are what bedarf serve announces at start
// and bedarf doctor lists (SetupSteps).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// SetupPath is the setup page; its actions are below it.
const SetupPath = "/verwaltung/einrichtung"

// Upload routes of the setup page; limitBody allows them maxUploadBytes.
const (
	// SetupKommunenPath is exported for package main's end-to-end tests.
	SetupKommunenPath = SetupPath + "/kommunen"
	// SetupBoundariesPath is exported for package main's end-to-end tests.
	SetupBoundariesPath = SetupPath + "/grenzen"
	// SetupQuestionnairePath is exported for package main's end-to-end tests.
	SetupQuestionnairePath = SetupPath + "/fragebogen"
)

// The steps of the setup, in the order the page lists them.
const (
	// StepOrganisation is exported for package main's end-to-end tests.
	StepOrganisation = "organisation"
	// StepKommunen is exported for package main's end-to-end tests.
	StepKommunen = "kommunen"
	// StepBoundaries is exported for package main's end-to-end tests.
	StepBoundaries = "grenzen"
	// StepQuestionnaire is exported for package main's end-to-end tests.
	StepQuestionnaire = "fragebogen"
	// StepLegal is exported for package main's end-to-end tests.
	StepLegal = "rechtstexte"
	// StepMail is exported for package main's end-to-end tests.
	StepMail = "mail"
	// StepRound is exported for package main's end-to-end tests.
	StepRound = "runde"
)

// The states of a step.
const (
	StateDone     = "done"     // erledigt
	StateOpen     = "open"     // offen
	StateOptional = "optional" // optional, not done
)

// setupStep is one line of the setup.
type setupStep struct {
	Key   string
	State string
	// Essential steps (Kommunen, questionnaire, round) keep admins on the
	// setup page after login and make bedarf serve say so.
	Essential bool
	// Count is what the state's text counts (Kommunen, unfilled
	// placeholders).
	Count int
}

// setupStepNames are the catalogue keys of the steps' names.
var setupStepNames = map[string]string{
	StepOrganisation: "setup.step.organisation", StepKommunen: "setup.step.kommunen", StepBoundaries: "setup.step.grenzen",
	StepQuestionnaire: "setup.step.fragebogen", StepLegal: "setup.step.rechtstexte", StepMail: "setup.step.mail", StepRound: "setup.step.runde",
}

// setupStateNames are the catalogue keys of the states.
var setupStateNames = map[string]string{StateDone: "setup.state.done", StateOpen: "setup.state.open", StateOptional: "setup.state.optional"}

// Name is the catalogue key of the step's name.
func (s setupStep) Name() string { return setupStepNames[s.Key] }

// StateName is the catalogue key of the step's state.
func (s setupStep) StateName() string { return setupStateNames[s.State] }

// Open tells whether the step still waits for something to be done.
func (s setupStep) Open() bool { return s.State == StateOpen }

// SetupSteps judges each step from the stored state: mailReady tells
// whether a mail server is configured (flags or environment).
func SetupSteps(st store.SetupState, mailReady bool) []setupStep {
	state := func(done bool, optional bool) string {
		switch {
		case done:
			return StateDone
		case optional:
			return StateOptional
		}
		return StateOpen
	}
	legal := legalPlaceholders(st)
	return []setupStep{
		{Key: StepOrganisation, State: state(st.Organisation != nil, false)},
		{Key: StepKommunen, State: state(st.Kommunen > 0, false), Essential: true, Count: st.Kommunen},
		{Key: StepBoundaries, State: state(st.Boundaries, true)},
		{Key: StepQuestionnaire, State: state(st.Questionnaires > 0, false), Essential: true, Count: st.Questionnaires},
		{Key: StepLegal, State: state(legal == 0, false), Count: legal},
		{Key: StepMail, State: state(mailReady, false)},
		{Key: StepRound, State: state(st.Rounds > 0, false), Essential: true, Count: st.Rounds},
	}
}

// essentialOpen tells whether an essential step is open.
func essentialOpen(steps []setupStep) bool {
	for _, s := range steps {
		if s.Essential && s.Open() {
			return true
		}
	}
	return false
}

// legalPlaceholders counts the "[to fill in]" marks left in the legal
// pages as the public sees them, in both languages: the saved text, else
// (for English) the German one saved, else the default with the
// organisation filled in.
func legalPlaceholders(st store.SetupState) int {
	n := 0
	for _, page := range store.LegalPages {
		for _, lang := range store.LegalLangs {
			text, ok := st.LegalTexts[page+"."+lang]
			if !ok && lang != "de" {
				text, ok = st.LegalTexts[page+".de"]
			}
			if !ok {
				text = legalDefault(page, lang)
				if st.Organisation != nil {
					text = fillOrganisation(text, *st.Organisation)
				}
			}
			n += placeholders(text)
		}
	}
	return n
}

// setupNeeded tells whether an essential step is open (admins land on the
// setup page after login then).
func (s *Server) setupNeeded(ctx context.Context) (bool, error) {
	st, err := s.St.SetupState(ctx)
	if err != nil {
		return false, err
	}
	return essentialOpen(SetupSteps(st, s.mail.Configured())), nil
}

// AnnounceSetup prints "Einrichtung offen: <url>" while an essential step
// is missing, with the open steps by their names on the page.
func (s *Server) AnnounceSetup(ctx context.Context, w io.Writer) error {
	st, err := s.St.SetupState(ctx)
	if err != nil {
		return err
	}
	steps := SetupSteps(st, s.mail.Configured())
	if !essentialOpen(steps) {
		return nil
	}
	var open []string
	for _, step := range steps {
		if step.Open() {
			open = append(open, i18n.DE.T(step.Name()))
		}
	}
	fmt.Fprintf(w, "Einrichtung offen: %s%s (%s)\n", s.BaseURL, SetupPath, strings.Join(open, ", "))
	return nil
}

// setupForm is the setup page: the steps and what the last action said.
type setupForm struct {
	Steps    []setupStep
	Admin    bool
	Done     string // the step just done (notice)
	Step     string // the step the refusal below is about
	Message  string
	Field    string // the form field Message concerns: shown there, not above
	FileName string
	Problems []string // why the file was refused, in the page's language
	Count    int      // problems in all (Problems shows the first maxShownProblems)
	Errors   []survey.DefError

	Org        *survey.Organisation // the form's values
	Boundaries store.BoundariesInfo
	Hannover   bool   // the stored Kommunen are Region Hannover's: its boundaries fit
	Mail       string // the mail settings, without the password ("": none)
	MailTo     string // the admin's own address, for the test mail
	MailSent   bool   // the test mail was accepted
	MailAnswer string // the mail server's answer to the test mail

	RoundTitle, RoundOpens, RoundDeadline string
	QuestionnaireID                       int64
}

// Open counts the open steps.
func (p setupForm) Open() int {
	n := 0
	for _, s := range p.Steps {
		if s.Open() {
			n++
		}
	}
	return n
}

// DoneName is the catalogue key of the step just done ("" when none).
func (p setupForm) DoneName() string { return setupStepNames[p.Done] }

// State returns the state of a step.
func (p setupForm) State(key string) string {
	for _, s := range p.Steps {
		if s.Key == key {
			return s.State
		}
	}
	return ""
}

func (s *Server) setupPage(c *gin.Context) {
	s.renderSetup(c, http.StatusOK, setupForm{Done: c.Query("erledigt")})
}

// renderSetup shows the setup page with the current state of every step.
func (s *Server) renderSetup(c *gin.Context, status int, p setupForm) {
	ctx := c.Request.Context()
	st, err := s.St.SetupState(ctx)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p.Steps = SetupSteps(st, s.mail.Configured())
	p.Admin = isAdmin(c)
	if p.Org == nil {
		org := survey.Organisation{}
		if st.Organisation != nil {
			org = *st.Organisation
		}
		p.Org = &org
	}
	if p.Boundaries, _, err = s.St.BoundariesStored(ctx); err != nil {
		s.errorFor(c, err)
		return
	}
	if p.Hannover, err = s.hannoverKommunen(ctx); err != nil {
		s.errorFor(c, err)
		return
	}
	if s.mail.Configured() {
		p.Mail = s.mail.Server()
	}
	p.MailTo = session(c).User.Email
	today := BerlinToday(s.Now())
	p.RoundTitle = "Bedarfsabfrage " + strconv.Itoa(today.Year())
	p.RoundOpens, p.RoundDeadline = DateValue(today), DateValue(today.AddDate(0, 0, 28))
	vs, err := s.St.QuestionnaireVersions(ctx)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	if len(vs) > 0 {
		p.QuestionnaireID = vs[0].ID
	}
	s.Render(c, status, "setup", PageData{Title: tr(c, "setup.title"), Page: p})
}

// hannoverKommunen tells whether Kommunen are stored and all are Region
// Hannover's (the embedded boundaries fit them).
func (s *Server) hannoverKommunen(ctx context.Context) (bool, error) {
	ks, err := s.St.Kommunen(ctx)
	if err != nil || len(ks) == 0 {
		return false, err
	}
	for _, k := range ks {
		if !strings.HasPrefix(k.AGS, hannoverAGSPrefix) {
			return false, nil
		}
	}
	return true, nil
}

// hannoverAGSPrefix starts the AGS of every Kommune of Region Hannover.
const hannoverAGSPrefix = "03241"

// setupDone returns to the setup page after a step's action (PRG).
func setupDone(c *gin.Context, step string) {
	c.Redirect(http.StatusSeeOther, SetupPath+"?erledigt="+step)
}

// setupHannoverKommunen stores Region Hannover's 21 Kommunen from the
// embedded data.
func (s *Server) setupHannoverKommunen(c *gin.Context) {
	_, err := s.St.ImportKommunenCSV(c.Request.Context(), survey.DefaultKommunenCSV(), staffActor(c))
	s.setupOutcome(c, StepKommunen, "", err)
}

// setupUploadKommunen stores the Kommunen of an uploaded CSV file.
func (s *Server) setupUploadKommunen(c *gin.Context) {
	name, src, ok := s.setupFile(c, StepKommunen)
	if !ok {
		return
	}
	_, err := s.St.ImportKommunenCSV(c.Request.Context(), src, staffActor(c))
	s.setupOutcome(c, StepKommunen, name, err)
}

// setupHannoverBoundaries stores Region Hannover's boundaries (only what
// matches the stored Kommunen).
func (s *Server) setupHannoverBoundaries(c *gin.Context) {
	_, err := analysis.ImportBoundaries(c.Request.Context(), s.St, analysis.DefaultRegionGeoJSON(), staffActor(c))
	s.setupOutcome(c, StepBoundaries, "", err)
}

// setupUploadBoundaries stores the boundaries of an uploaded GeoJSON file.
func (s *Server) setupUploadBoundaries(c *gin.Context) {
	name, src, ok := s.setupFile(c, StepBoundaries)
	if !ok {
		return
	}
	_, err := analysis.ImportBoundaries(c.Request.Context(), s.St, src, staffActor(c))
	s.setupOutcome(c, StepBoundaries, name, err)
}

// setupDefaultQuestionnaire stores the embedded default questionnaire.
func (s *Server) setupDefaultQuestionnaire(c *gin.Context) {
	_, err := s.St.AddQuestionnaire(c.Request.Context(), "yaml", survey.DefaultQuestionnaireYAML(), staffActor(c))
	s.setupOutcome(c, StepQuestionnaire, "", err)
}

// setupUploadQuestionnaire stores an uploaded YAML or XLSForm file.
func (s *Server) setupUploadQuestionnaire(c *gin.Context) {
	name, src, ok := s.setupFile(c, StepQuestionnaire)
	if !ok {
		return
	}
	if len(src) == 0 {
		s.renderSetup(c, http.StatusUnprocessableEntity, setupForm{Step: StepQuestionnaire, FileName: name, Message: tr(c, "versions.empty")})
		return
	}
	format, err := survey.FileFormat(name, src)
	if err == nil {
		_, err = s.St.AddQuestionnaireFile(c.Request.Context(), name, format, src, staffActor(c))
	}
	s.setupOutcome(c, StepQuestionnaire, name, err)
}

// setupOutcome returns to the setup page after a step's action, or shows
// it with why the file was refused (422: nothing stored, the step stays
// as it was).
func (s *Server) setupOutcome(c *gin.Context, step, name string, err error) {
	var ie *survey.ImportError
	var defErrs survey.DefErrors
	switch {
	case err == nil:
		setupDone(c, step)
	case errors.As(err, &ie):
		s.renderSetup(c, http.StatusUnprocessableEntity, setupForm{Step: step, FileName: name, Problems: importProblems(c, ie), Count: len(ie.Problems)})
	case errors.As(err, &defErrs):
		s.renderSetup(c, http.StatusUnprocessableEntity, setupForm{Step: step, FileName: name, Errors: defErrs})
	case survey.ErrorCode(err) == survey.EInvalid:
		s.renderSetup(c, http.StatusUnprocessableEntity, setupForm{Step: step, FileName: name, Message: emsg(c, err)})
	default:
		s.errorFor(c, err)
	}
}

// setupFile reads the uploaded file (see uploadedFile); on failure it
// shows the setup page with the reason and returns false.
func (s *Server) setupFile(c *gin.Context, step string) (string, []byte, bool) {
	name, src, refused := uploadedFile(c)
	if refused != nil {
		s.renderSetup(c, refused.Status, setupForm{Step: step, Message: refused.message(c) + " " + tr(c, "versions.nothing_saved")})
		return "", nil, false
	}
	return name, src, true
}

// setupTestMail sends a test mail to the signed-in admin's own address at
// once and shows the mail server's answer.
func (s *Server) setupTestMail(c *gin.Context) {
	if !s.mail.Configured() {
		s.renderSetup(c, http.StatusConflict, setupForm{Step: StepMail, Message: tr(c, "setup.mail.none")})
		return
	}
	u := session(c).User
	status, answer := s.mail.SendTest(c.Request.Context(), u.Email, u.Name, tr(c, "setup.mail.test_subject"), tr(c, "setup.mail.test_body", s.BaseURL))
	if err := s.St.Audit(context.WithoutCancel(c.Request.Context()), staffActor(c), "mail.test", 0, 0,
		fmt.Sprintf("an %s: %s", u.Email, status)); err != nil {
		s.errorFor(c, err)
		return
	}
	code := http.StatusOK
	if status != store.MailSent {
		code = http.StatusBadGateway
	}
	s.renderSetup(c, code, setupForm{Step: StepMail, MailSent: status == store.MailSent, MailAnswer: answer})
}

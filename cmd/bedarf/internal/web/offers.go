package web

// The offers made from a round's plan (issue 20): the overview with the
// plan set against the offers and what changed in the plan since, one page
// per offer (members, dates, provider, cost), and the providers. Handlers
// only parse, call the store and analysis, and render or redirect; a
// refused form comes back filled in (errorFor → reshowForm, ResumePages).

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/store"
)

// offerRoutes registers the offers' and providers' pages under /verwaltung.
func (s *Server) offerRoutes(staff *gin.RouterGroup) {
	staff.GET("/runden/:round/angebote", s.offersOverview)
	staff.POST("/runden/:round/angebote/plan", s.applyPlan)
	staff.GET("/runden/:round/angebote/:offer", s.offerDetail)
	staff.POST("/runden/:round/angebote/:offer", s.offerPost(s.updateOffer))
	staff.POST("/runden/:round/angebote/:offer/verschieben", s.offerPost(s.moveSeats))
	staff.POST("/runden/:round/angebote/:offer/teilen", s.offerPost(s.splitOffer))
	staff.POST("/runden/:round/angebote/:offer/zusammenlegen", s.offerPost(s.mergeOffer))
	staff.POST("/runden/:round/angebote/:offer/termine", s.offerPost(s.addDate))
	staff.POST("/runden/:round/angebote/:offer/termine/:date", s.offerPost(s.updateDate))
	staff.POST("/runden/:round/angebote/:offer/termine/:date/absagen", s.offerPost(s.cancelDate))
	staff.GET("/runden/:round/angebote/:offer/bescheinigungen", s.groupCertificates)
	staff.GET("/runden/:round/angebote/:offer/bescheinigungen/:participant", s.groupCertificates)
	staff.GET("/anbieter", s.providersList)
	staff.POST("/anbieter", s.saveProvider)
	staff.GET("/anbieter/:provider", s.providersList)
	staff.POST("/anbieter/:provider", s.saveProvider)
}

// offerResumePages are the offers' entries of ResumePages: the page that
// holds each form.
var offerResumePages = map[string]string{
	"/verwaltung/runden/:round/angebote/plan":                         "/verwaltung/runden/:round/angebote",
	"/verwaltung/runden/:round/angebote/:offer":                       "/verwaltung/runden/:round/angebote/:offer",
	"/verwaltung/runden/:round/angebote/:offer/verschieben":           "/verwaltung/runden/:round/angebote/:offer",
	"/verwaltung/runden/:round/angebote/:offer/teilen":                "/verwaltung/runden/:round/angebote/:offer",
	"/verwaltung/runden/:round/angebote/:offer/zusammenlegen":         "/verwaltung/runden/:round/angebote/:offer",
	"/verwaltung/runden/:round/angebote/:offer/termine":               "/verwaltung/runden/:round/angebote/:offer",
	"/verwaltung/runden/:round/angebote/:offer/termine/:date":         "/verwaltung/runden/:round/angebote/:offer",
	"/verwaltung/runden/:round/angebote/:offer/termine/:date/absagen": "/verwaltung/runden/:round/angebote/:offer",
	"/verwaltung/anbieter":                                            "/verwaltung/anbieter",
	"/verwaltung/anbieter/:provider":                                  "/verwaltung/anbieter/:provider",
}

// offerPageNames are the offers' page templates (see pageNames).
var offerPageNames = []string{"offers", "offer", "providers"}

// withPages returns pages with the entries of more added.
func withPages(more, pages map[string]string) map[string]string {
	maps.Copy(pages, more)
	return pages
}

// OffersPath returns the address of a round's offers.
func OffersPath(roundID int64) string { return fmt.Sprintf("/verwaltung/runden/%d/angebote", roundID) }

func offerPath(roundID, id int64) string { return fmt.Sprintf("%s/%d", OffersPath(roundID), id) }

// offerRow is an offer in the overview's lists.
type offerRow struct {
	survey.Offer
	Provider string
	Cost     analysis.OfferCost
	Dated    int
	Href     string
}

// offersPage is the overview of a round's offers.
type offersPage struct {
	Round     survey.Round
	Scenario  string
	Submitted int
	Admin     bool
	Notice    string
	Compare   analysis.OfferComparison
	Diff      analysis.OfferDiff
	// FirstDay is the schedule's default first training day (form value).
	FirstDay  string
	Groups    offerList
	Trainings offerList
	Providers int
}

// offerList is a table of offers with its caption.
type offerList struct {
	Rows    []offerRow
	Caption string
}

// loadOffers reads the decisive plan, the round's offers and the providers.
func (s *Server) loadOffers(c *gin.Context, round survey.Round) (analysis.RoundPlans, store.OfferSet, []survey.Provider, error) {
	rp, err := s.An.RoundPlans(c.Request.Context(), round, false)
	if err != nil {
		return rp, store.OfferSet{}, nil, err
	}
	set, err := s.St.Offers(c.Request.Context(), round.ID)
	if err != nil {
		return rp, set, nil, err
	}
	ps, err := s.St.Providers(c.Request.Context())
	return rp, set, ps, err
}

func providerByID(ps []survey.Provider, id int64) *survey.Provider {
	for i := range ps {
		if ps[i].ID == id {
			return &ps[i]
		}
	}
	return nil
}

func (s *Server) offersOverview(c *gin.Context) {
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	s.renderOffers(c, round, http.StatusOK, offersNotice(c))
}

// offersNotice is the message after a redirect, from the query.
func offersNotice(c *gin.Context) string {
	if n, err := strconv.Atoi(c.Query("uebernommen")); err == nil && n >= 0 {
		return trn(c, "offers.notice.applied", n)
	}
	return ""
}

func (s *Server) renderOffers(c *gin.Context, round survey.Round, status int, notice string) {
	rp, set, ps, err := s.loadOffers(c, round)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	dec := rp.Decisive()
	p := offersPage{Round: round, Scenario: dec.Scenario.Name, Submitted: rp.Submitted, Admin: isAdmin(c), Notice: notice,
		Compare:  analysis.Compare(dec.Plan, set.Offers, ps),
		Diff:     analysis.DiffPlan(dec.Plan, set.Offers, set.Revision),
		FirstDay: round.Deadline.AddDate(0, 0, 42).Format(time.DateOnly), Providers: len(ps),
		Groups: offerList{Caption: tr(c, "offers.groups")}, Trainings: offerList{Caption: tr(c, "offers.trainings")}}
	for _, o := range set.Offers {
		row := offerRow{Offer: o, Cost: analysis.CostOf(o, providerByID(ps, o.ProviderID)), Dated: len(o.ScheduledDates()), Href: offerPath(round.ID, o.ID)}
		if pr := providerByID(ps, o.ProviderID); pr != nil {
			row.Provider = pr.Name
		}
		if o.Kind == survey.OfferGroup {
			p.Groups.Rows = append(p.Groups.Rows, row)
		} else {
			p.Trainings.Rows = append(p.Trainings.Rows, row)
		}
	}
	s.Render(c, status, "offers", PageData{Title: tr(c, "offers.title", round.Title), Page: p})
}

// offerForm refuses a form value: the message at the field.
func offerForm(field, key string, args ...any) error {
	return survey.NewError(survey.EInvalid, key, args...).At(field)
}

// formInt reads a whole number of a form field in low..high ("" is def).
func formInt(c *gin.Context, field string, low, high, def int) (int, error) {
	raw := strings.TrimSpace(c.PostForm(field))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < low || n > high {
		return 0, offerForm(field, "msg.offer.range", low, high)
	}
	return n, nil
}

// applyPlan turns the decisive plan into offers: the items ticked
// ("aenderung"), or all of them ("alle"), computed afresh against the
// revision the page showed ("basis").
func (s *Server) applyPlan(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	round, ok := s.staffRound(c)
	if !ok {
		return
	}
	first, err := survey.ParseDate(c.PostForm("erster_tag"))
	if err != nil {
		s.errorFor(c, offerForm("erster_tag", "msg.offer.date_bad"))
		return
	}
	base, err := strconv.ParseInt(c.PostForm("basis"), 10, 64)
	if err != nil || base < 0 {
		base = -1 // a forged or missing base never matches: stale
	}
	rp, set, _, err := s.loadOffers(c, round)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	diff := analysis.DiffPlan(rp.Decisive().Plan, set.Offers, set.Revision)
	var selected []string
	if c.PostForm("alle") == "" {
		selected = c.PostFormArray("aenderung")
		if len(selected) == 0 {
			s.errorFor(c, offerForm("", "msg.offer.no_change"))
			return
		}
	}
	ch, ok := diff.Changes(set.Offers, selected, analysis.Schedule{FirstDay: first})
	if !ok || base != set.Revision {
		// The page was made from other offers: show the diff as it is now.
		s.renderOffers(c, round, http.StatusConflict, tr(c, "msg.offer.stale"))
		return
	}
	n := len(ch.Create) + len(ch.Update) + len(ch.Cancel)
	if _, err := s.St.ApplyOfferPlan(c.Request.Context(), round.ID, base, ch, staffActor(c)); err != nil {
		if e, ok := err.(*survey.Error); ok && e.Text != nil && e.Text.Key == "msg.offer.stale" {
			s.renderOffers(c, round, http.StatusConflict, emsg(c, err))
			return
		}
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?uebernommen=%d", OffersPath(round.ID), n))
}

// offerPage is one offer with what staff edit on it.
type offerPage struct {
	Round     survey.Round
	Offer     survey.Offer
	Admin     bool
	Providers []survey.Provider
	Provider  *survey.Provider
	Cost      analysis.OfferCost
	// Others are the round's other groups (for moving and merging).
	Others []survey.Offer
	Dates  []dateView
	// NewDate holds the add form's default values.
	NewDate  dateView
	Statuses []survey.OfferStatus
	Plan     *analysis.PlanItem
}

// dateView is a date with its form values (Berlin time).
type dateView struct {
	survey.OfferDate
	Day, From, To, CancelUntil, ReleaseOn string
	// Prefix makes the form's ids unique on the page.
	Prefix string
}

func newDateView(d survey.OfferDate) dateView {
	b := survey.Berlin()
	v := dateView{OfferDate: d, Prefix: fmt.Sprintf("d%d", d.ID), Day: d.Start.In(b).Format(time.DateOnly), From: d.Start.In(b).Format("15:04"), To: d.End.In(b).Format("15:04")}
	if !d.CancelUntil.IsZero() {
		v.CancelUntil = d.CancelUntil.Format(time.DateOnly)
	}
	if !d.ReleaseOn.IsZero() {
		v.ReleaseOn = d.ReleaseOn.Format(time.DateOnly)
	}
	return v
}

// offerOf reads the round and the offer of the URL; false: answered.
func (s *Server) offerOf(c *gin.Context) (survey.Round, survey.Offer, bool) {
	round, ok := s.staffRound(c)
	if !ok {
		return round, survey.Offer{}, false
	}
	id, err := strconv.ParseInt(c.Param("offer"), 10, 64)
	if err != nil || id <= 0 {
		s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.offer.not_found"))
		return round, survey.Offer{}, false
	}
	o, err := s.St.Offer(c.Request.Context(), round.ID, id)
	if err != nil {
		s.errorFor(c, err)
		return round, o, false
	}
	return round, o, true
}

func (s *Server) offerDetail(c *gin.Context) {
	round, o, ok := s.offerOf(c)
	if !ok {
		return
	}
	set, err := s.St.Offers(c.Request.Context(), round.ID)
	if err != nil {
		s.errorFor(c, err)
		return
	}
	ps, err := s.St.Providers(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := offerPage{Round: round, Offer: o, Admin: isAdmin(c), Provider: providerByID(ps, o.ProviderID),
		Statuses: []survey.OfferStatus{survey.OfferDraft, survey.OfferPublished, survey.OfferCancelled}}
	want := survey.ProviderTrainer
	if o.Kind == survey.OfferGroup {
		want = survey.ProviderSupervisor
	}
	for _, pr := range ps {
		if pr.Kind == want {
			p.Providers = append(p.Providers, pr)
		}
	}
	p.Cost = analysis.CostOf(o, p.Provider)
	for _, x := range set.Offers {
		if x.Kind == survey.OfferGroup && x.ID != o.ID && x.Status != survey.OfferCancelled {
			p.Others = append(p.Others, x)
		}
	}
	for _, d := range o.Dates {
		p.Dates = append(p.Dates, newDateView(d))
	}
	next := BerlinToday(s.Now()).AddDate(0, 0, 14)
	if n := len(o.Dates); n > 0 {
		next = o.Dates[n-1].Start.In(survey.Berlin()).AddDate(0, 0, 7)
	}
	p.NewDate = dateView{Prefix: "neu", Day: next.Format(time.DateOnly), From: "09:00", To: "11:00"}
	if o.Kind == survey.OfferTraining {
		p.NewDate.To = "16:00"
	}
	p.NewDate.Capacity = o.Capacity
	if o.Kind == survey.OfferGroup {
		p.NewDate.Capacity = o.Seats()
	}
	if it, ok := analysis.ParseSnapshot(o.PlanSnapshot); ok {
		p.Plan = &it
	}
	s.Render(c, http.StatusOK, "offer", PageData{Title: tr(c, "offer.title", o.Title), Page: p})
}

// updateOffer saves the offer's own fields.
func (s *Server) updateOffer(c *gin.Context, round survey.Round, o survey.Offer) (int64, error) {
	in := o
	in.Title, in.Place, in.Online = c.PostForm("titel"), c.PostForm("ort"), c.PostForm("online") != ""
	in.Status = survey.OfferStatus(c.PostForm("status"))
	// The content texts: a form without them (an older page) keeps them.
	if v, ok := c.GetPostForm("inhalt"); ok {
		in.Content = v
	}
	if v, ok := c.GetPostForm("inhalt_en"); ok {
		in.ContentEN = v
	}
	var err error
	if in.Sessions, err = formInt(c, "sitzungen", 0, survey.MaxOfferCount, -1); err == nil {
		if in.SessionMinutes, err = formInt(c, "dauer", 0, survey.MaxSessionMinutes, -1); err == nil {
			in.Capacity, err = formInt(c, "kapazitaet", 0, survey.MaxOfferCount, o.Capacity)
		}
	}
	if err == nil && (in.Sessions < 0 || in.SessionMinutes < 0) {
		err = offerForm("sitzungen", "msg.offer.required")
	}
	if err == nil {
		in.ProviderID, err = formID(c.PostForm("anbieter"))
	}
	if err == nil {
		err = s.St.UpdateOffer(c.Request.Context(), round.ID, in, staffActor(c))
	}
	return 0, err
}

// formID reads an optional id of a select ("" is 0).
func formID(raw string) (int64, error) {
	if strings.TrimSpace(raw) == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || id <= 0 {
		return 0, offerForm("anbieter", "msg.offer.provider_missing")
	}
	return id, nil
}

// offerPost makes a handler of a change of an offer: it parses the form,
// reads the round and the offer of the URL (an offer of another round is
// not found), runs change, and redirects to the page of the offer it
// returns (0: the same) or shows its error (a refused form filled in).
func (s *Server) offerPost(change func(c *gin.Context, round survey.Round, o survey.Offer) (int64, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !s.parseForm(c) {
			return
		}
		round, o, ok := s.offerOf(c)
		if !ok {
			return
		}
		id, err := change(c, round, o)
		if err != nil {
			s.errorFor(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, offerPath(round.ID, cmp.Or(id, o.ID)))
	}
}

func (s *Server) moveSeats(c *gin.Context, round survey.Round, o survey.Offer) (int64, error) {
	seats, err := formInt(c, "plaetze", 1, survey.MaxOfferCount, 0)
	var to int64
	if err == nil {
		if to, err = strconv.ParseInt(c.PostForm("nach"), 10, 64); err != nil {
			err = offerForm("nach", "msg.offer.same_group")
		}
	}
	if err == nil {
		err = s.St.MoveSeats(c.Request.Context(), round.ID, o.ID, to, c.PostForm("kommune"), seats, staffActor(c))
	}
	return 0, err
}

func (s *Server) splitOffer(c *gin.Context, round survey.Round, o survey.Offer) (int64, error) {
	return s.St.SplitOffer(c.Request.Context(), round.ID, o.ID, c.PostFormArray("kommunen"), staffActor(c))
}

func (s *Server) mergeOffer(c *gin.Context, round survey.Round, o survey.Offer) (int64, error) {
	from, err := strconv.ParseInt(c.PostForm("mit"), 10, 64)
	if err != nil {
		return 0, offerForm("mit", "msg.offer.same_group")
	}
	return 0, s.St.MergeOffers(c.Request.Context(), round.ID, o.ID, from, staffActor(c))
}

// formDate reads a date form: day, from, to (Berlin), place, capacity,
// cancellation deadline and release day.
func formDate(c *gin.Context) (survey.OfferDate, error) {
	var d survey.OfferDate
	day, err := survey.ParseDate(c.PostForm("datum"))
	if err != nil {
		return d, offerForm("datum", "msg.offer.date_bad")
	}
	clock := func(field string) (time.Time, error) {
		t, err := time.Parse("15:04", strings.TrimSpace(c.PostForm(field)))
		if err != nil {
			return t, offerForm(field, "msg.offer.date_bad")
		}
		return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, survey.Berlin()), nil
	}
	if d.Start, err = clock("beginn"); err != nil {
		return d, err
	}
	if d.End, err = clock("ende"); err != nil {
		return d, err
	}
	d.Place = c.PostForm("ort")
	if d.Capacity, err = formInt(c, "kapazitaet", 0, survey.MaxOfferCount, -1); err != nil {
		return d, err
	}
	if d.Capacity < 0 {
		return d, offerForm("kapazitaet", "msg.offer.required")
	}
	for _, f := range []struct {
		field string
		to    *time.Time
	}{{"absage_bis", &d.CancelUntil}, {"freigabe", &d.ReleaseOn}} {
		if raw := strings.TrimSpace(c.PostForm(f.field)); raw != "" {
			t, err := survey.ParseDate(raw)
			if err != nil {
				return d, offerForm(f.field, "msg.offer.date_bad")
			}
			*f.to = t
		}
	}
	return d, nil
}

func (s *Server) addDate(c *gin.Context, round survey.Round, o survey.Offer) (int64, error) {
	d, err := formDate(c)
	if err == nil {
		_, err = s.St.AddDate(c.Request.Context(), round.ID, o.ID, d, staffActor(c))
	}
	return 0, err
}

// dateID reads the date of the URL (0 when malformed: not found).
func dateID(c *gin.Context) int64 {
	id, err := strconv.ParseInt(c.Param("date"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

func (s *Server) updateDate(c *gin.Context, round survey.Round, o survey.Offer) (int64, error) {
	d, err := formDate(c)
	d.ID = dateID(c)
	if !slices.ContainsFunc(o.Dates, func(x survey.OfferDate) bool { return x.ID == d.ID }) {
		err = survey.NewError(survey.ENotFound, "msg.offer.date_not_found")
	} else if err == nil {
		err = s.St.UpdateDate(c.Request.Context(), round.ID, o.ID, d, staffActor(c))
	}
	return 0, err
}

func (s *Server) cancelDate(c *gin.Context, round survey.Round, o survey.Offer) (int64, error) {
	return 0, s.St.CancelDate(c.Request.Context(), round.ID, o.ID, dateID(c), staffActor(c))
}

// --- providers ---

// ProvidersPath is the address of the providers' page.
const ProvidersPath = "/verwaltung/anbieter"

// providersPage lists the providers; Edit is the one being edited (nil:
// the list with the form for a new one).
type providersPage struct {
	Providers []survey.Provider
	Edit      *providerForm
	New       providerForm
	Admin     bool
	Notice    string
}

// providerForm is a provider's form values.
type providerForm struct {
	ID                                               int64
	Kind, Name, Organisation, Qualification, Contact string
	Fee, Unit, Travel, VAT                           string
	Exempt                                           bool
	Action                                           string
}

func newProviderForm(p survey.Provider) providerForm {
	eur := func(c int64) string { return survey.FormatInputDE(float64(c) / 100) }
	f := providerForm{ID: p.ID, Kind: string(p.Kind), Name: p.Name, Organisation: p.Organisation, Qualification: p.Qualification,
		Contact: p.Contact, Fee: eur(p.FeeCents), Unit: string(p.FeeUnit), Travel: eur(p.TravelCents),
		VAT: survey.FormatInputDE(float64(p.VATBasisPoints) / 100), Exempt: p.VATExempt, Action: ProvidersPath}
	if p.ID != 0 {
		f.Action = fmt.Sprintf("%s/%d", ProvidersPath, p.ID)
	}
	return f
}

func (s *Server) providersList(c *gin.Context) {
	ps, err := s.St.Providers(c.Request.Context())
	if err != nil {
		s.errorFor(c, err)
		return
	}
	p := providersPage{Providers: ps, Admin: isAdmin(c),
		New: newProviderForm(survey.Provider{Kind: survey.ProviderSupervisor, FeeUnit: survey.FeePerHour, VATBasisPoints: 1900})}
	if c.Query("gespeichert") != "" {
		p.Notice = tr(c, "providers.saved")
	}
	if id := c.Param("provider"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		pr := providerByID(ps, n)
		if err != nil || pr == nil {
			s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.offer.provider_missing"))
			return
		}
		f := newProviderForm(*pr)
		p.Edit = &f
	}
	s.Render(c, http.StatusOK, "providers", PageData{Title: tr(c, "providers.title"), Page: p})
}

func (s *Server) saveProvider(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	p := survey.Provider{Kind: survey.ProviderKind(c.PostForm("art")), Name: c.PostForm("name"), Organisation: c.PostForm("organisation"),
		Qualification: c.PostForm("qualifikation"), Contact: c.PostForm("kontakt"), FeeUnit: survey.FeeUnit(c.PostForm("einheit")),
		VATExempt: c.PostForm("befreit") != ""}
	if id := c.Param("provider"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			s.errorPage(c, http.StatusNotFound, tr(c, "error.not_found.short"), tr(c, "msg.offer.provider_missing"))
			return
		}
		p.ID = n
	}
	var ok bool
	if p.FeeCents, ok = survey.ParseCents(c.PostForm("honorar")); !ok {
		s.errorFor(c, offerForm("honorar", "msg.offer.money_range", survey.MaxFeeCents/100))
		return
	}
	if raw := strings.TrimSpace(c.PostForm("fahrt")); raw != "" {
		if p.TravelCents, ok = survey.ParseCents(raw); !ok {
			s.errorFor(c, offerForm("fahrt", "msg.offer.money_range", survey.MaxFeeCents/100))
			return
		}
	}
	if raw := strings.TrimSpace(c.PostForm("ust")); raw != "" && !p.VATExempt {
		if p.VATBasisPoints, ok = survey.ParseBasisPoints(raw); !ok {
			s.errorFor(c, offerForm("ust", "msg.offer.vat_range"))
			return
		}
	}
	id, err := s.St.SaveProvider(c.Request.Context(), p, staffActor(c))
	if err != nil {
		s.errorFor(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s/%d?gespeichert=1", ProvidersPath, id))
}

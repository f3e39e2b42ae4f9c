package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"slices"
	"strconv"
	"time"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/cmd/bedarf/internal/mailer"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

const demoAdminEmail = "admin@bedarf.example"

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	return runDemoSeeded(ctx, args, stdout, stderr, logger, nil)
}

// runDemoSeeded is runDemo with a hook after each seeding step (see
// seedDemo); tests kill the process there.
func runDemoSeeded(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger, afterStep func(string)) error {
	fs := cli.NewFlagSet("demo", "[Optionen]", stderr)
	var c config
	c.flags(fs, "bedarf-demo.db")
	c.drainFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.drainTimeout(); err != nil {
		return err
	}
	st, sealer, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	password, err := seedDemo(ctx, st, sealer, time.Now(), afterStep)
	if err != nil {
		ln.Close()
		return fmt.Errorf("demo data: %w", err)
	}
	opts := c.serverOptions(ln)
	mail, stopMail, err := mailer.Start(ctx, mailer.Deps{St: st, Sealer: sealer, Log: logger, BaseURL: opts.BaseURL}, c.Mail)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMail()
	opts.Mail = mail
	srv, err := web.New(st, sealer, logger, opts)
	if err != nil {
		ln.Close()
		return err
	}
	round, err := st.LatestRound(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	links, err := st.Links(ctx, round.ID, sealer)
	if err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintf(stdout, "Verwaltung: %s/anmelden\n", srv.BaseURL)
	fmt.Fprintf(stdout, "admin login: %s %s\n", demoAdminEmail, password)
	for _, l := range links {
		fmt.Fprintf(stdout, "%s\t%s\t%s/k/%s\n", l.Kommune.AGS, l.Kommune.Name, srv.BaseURL, l.Token)
	}
	// After the links (which scripts read up to the 21st): where the
	// released results are.
	fmt.Fprintf(stdout, "Ergebnisse: %s/verwaltung/runden/%d/ergebnisse (freigegeben; eine Kommune sieht ihre über ihren Link: „Ihre Ergebnisse ansehen“)\n", srv.BaseURL, round.ID)
	return web.ServeUntilDone(ctx, ln, nil, srv, logger, c.Drain)
}

// seedDemo fills an empty database with the demo in one transaction
// (store.SeedDemo): Region Hannover's organisation, its 21 Kommunen and
// their boundaries, the default questionnaire, one open round with a
// deadline 28 days ahead, a link per Kommune, sample answers from a fixed
// seed and the release of the round's results (minimum group 5). On a database that already has a round it keeps everything.
// Either way the demo admin gets a new random password, which it returns.
// afterStep (nil outside tests) is called after each seeding step, within
// the transaction.
func seedDemo(ctx context.Context, st *store.Store, sealer *auth.Sealer, now time.Time, afterStep func(string)) (string, error) {
	return seedDemoWith(ctx, st, sealer, now, afterStep, true)
}

// seedDemoWith is seedDemo; without offers the round has no offers,
// providers or bookings (the end-to-end test of the loop makes them over
// HTTP from the plan).
func seedDemoWith(ctx context.Context, st *store.Store, sealer *auth.Sealer, now time.Time, afterStep func(string), offers bool) (string, error) {
	system := survey.Actor{Kind: "system", Label: "Demo"}
	password := auth.NewPassword()
	u, err := st.UserByEmail(ctx, demoAdminEmail)
	switch {
	case survey.ErrorCode(err) == survey.ENotFound:
		if _, err := st.CreateUser(ctx, demoAdminEmail, "Demo-Administration", store.RoleAdmin, password, system); err != nil {
			return "", err
		}
	case err != nil:
		return "", err
	default:
		if err := st.SetPassword(ctx, u.ID, password, system); err != nil {
			return "", err
		}
	}
	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		return "", err
	}
	bounds, err := survey.MatchBoundaries(analysis.DefaultRegionGeoJSON(), ks)
	if err != nil {
		return "", fmt.Errorf("demo boundaries: %w", err)
	}
	berlin := now.In(survey.Berlin())
	today := time.Date(berlin.Year(), berlin.Month(), berlin.Day(), 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(2026, 11))
	seed := store.DemoSeed{
		Organisation: survey.DemoOrganisation(),
		Kommunen:     ks,
		Boundaries:   bounds.GeoJSON, BoundaryFeatures: bounds.Features,
		QuestionnaireFormat: "yaml", Questionnaire: survey.DefaultQuestionnaireYAML(),
		Round: store.NewRound{
			Title:    "Bedarfsabfrage " + strconv.Itoa(today.Year()),
			OpensOn:  today,
			Deadline: today.AddDate(0, 0, 28),
			Status:   survey.RoundOpen,
		},
		Sealer: sealer,
		Actor:  system,
		// The round's results are released (issue 22): a Kommune's link
		// leads to "Ihre Ergebnisse" at once.
		Release: &survey.ResultRelease{MinGroup: analysis.DefaultMinGroup},
		// Eight Kommunen (in AGS order) have submitted, among them a
		// cluster of small neighbours south-west of Hannover that the plan
		// pools; two have saved a draft; the rest have not begun.
		Answers: func(qn *survey.Questionnaire, i int, k survey.Kommune) (survey.Answers, bool, bool, error) {
			submit := slices.Contains([]int{0, 3, 5, 9, 12, 13, 18, 19}, i)
			if !submit && !slices.Contains([]int{6, 15}, i) {
				return nil, false, false, nil
			}
			mode := survey.Draft
			if submit {
				mode = survey.Submit
			}
			res := qn.Check(demoAnswers(rng, k, submit), mode)
			if !res.OK() {
				return nil, false, false, fmt.Errorf("demo answers for %s invalid: %v", k.Name, res.Errors)
			}
			return res.Answers, submit, true, nil
		},
		AfterStep: afterStep,
	}
	if offers {
		seed.Offers = func(qn *survey.Questionnaire, submitted []store.DemoAnswers) ([]survey.Provider, []survey.Offer, error) {
			return demoOffers(qn, submitted, today)
		}
	}
	_, err = st.SeedDemo(ctx, seed)
	if err != nil {
		return "", err
	}
	return password, nil
}

// demoAnswers returns plausible answers to the default questionnaire for a
// Kommune, scaled by its population. A draft leaves the later sections open.
func demoAnswers(rng *rand.Rand, k survey.Kommune, complete bool) map[string][]string {
	scale := float64(k.Population) / 1000
	people := int(scale*(4+rng.Float64()*6)) + 10
	fte := float64(int(float64(people)/(60+rng.Float64()*80)*2+1)) / 2
	persons := int(fte*2) + rng.IntN(3)
	// Small Kommunen have only a few people for group supervision, so the
	// plan has to pool them with their neighbours.
	groupPersons := max(1, persons-rng.IntN(2))
	if k.Population < 30000 {
		groupPersons = 2 + rng.IntN(3)
	}
	n := func(v int) []string { return []string{strconv.Itoa(v)} }
	f := map[string][]string{
		"q.kontakt_name":                {"Demo-Ansprechperson " + k.Name},
		"q.kontakt_funktion":            {"Koordination Flüchtlingssozialarbeit"},
		"q.kontakt_email":               {"fluechtlingssozialarbeit@" + strconv.Itoa(int(k.ID)) + ".kommune.example"},
		"q.betreute_gu":                 n(people * 2 / 3),
		"q.betreute_privat":             n(people / 3),
		"q.zugang_seit_2015":            n(people * 3),
		"q.zugang_5_jahre":              n(people * 2),
		"q.erwartet_12_monate":          n(people + rng.IntN(people/5+1)),
		"q.fachkraefte_personen":        n(persons),
		"q.fachkraefte_vzae":            {survey.FormatInputDE(fte)},
		"q.anstellungstraeger":          {[]string{"kommune", "traeger", "beide"}[rng.IntN(3)]},
		"q.belastung_gesamt":            {strconv.Itoa(2 + rng.IntN(4))},
		"q.supervision_vorhanden":       {[]string{"ja", "nein"}[rng.IntN(2)]},
		"q.supervision_gruppe_personen": n(groupPersons),
		"q.supervision_format":          {[]string{"vor_ort", "nachbar", "online", "egal"}[rng.IntN(4)]},
	}
	if f["q.supervision_vorhanden"][0] == "ja" {
		f["q.supervision_vorhanden_format"] = []string{"gruppe", "fallberatung"}
		f["q.supervision_vorhanden_haeufigkeit"] = []string{"quartal"}
	}
	for _, row := range []string{"fallzahl", "komplexitaet", "trauma", "konflikte", "verwaltung"} {
		f["q.belastung_faktoren."+row] = []string{strconv.Itoa(2 + rng.IntN(4))}
	}
	if !complete {
		return f
	}
	for _, m := range []string{"asylrecht", "ausbildung_arbeit", "gesundheit", "trauma"} {
		f["q.fortbildung_teilnehmende."+m] = n(rng.IntN(persons + 1))
	}
	f["q.supervision_haeufigkeit"] = []string{"sechswoechentlich"}
	f["q.zusaetzliche_stellen_vzae"] = []string{survey.FormatInputDE(float64(rng.IntN(4)) / 2)}
	f["q.vernetzung_interesse"] = []string{"ja"}
	return f
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"slices"
	"strconv"
	"time"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

const demoAdminEmail = "admin@bedarf.example"

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	fs := newFlagSet("demo", "[Optionen]", stderr)
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
	srv, err := newServer(st, sealer, logger, c.serverOptions(ln))
	if err != nil {
		ln.Close()
		return err
	}
	password, err := seedDemo(ctx, st, sealer, time.Now())
	if err != nil {
		ln.Close()
		return fmt.Errorf("demo data: %w", err)
	}
	stopMail, err := srv.startMail(ctx, c.Mail)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMail()
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
	fmt.Fprintf(stdout, "Verwaltung: %s/anmelden\n", srv.baseURL)
	fmt.Fprintf(stdout, "admin login: %s %s\n", demoAdminEmail, password)
	for _, l := range links {
		fmt.Fprintf(stdout, "%s\t%s\t%s/k/%s\n", l.Kommune.AGS, l.Kommune.Name, srv.baseURL, l.Token)
	}
	return serveUntilDone(ctx, ln, nil, srv, logger, c.Drain)
}

// seedDemo fills an empty database with the demo: the 21 Kommunen of Region
// Hannover with their boundaries, the default questionnaire, one open round with a deadline 28
// days ahead, a link per Kommune and sample answers from a fixed seed. On a
// database that already has a round it keeps everything. Either way the demo
// admin gets a new random password, which it returns.
func seedDemo(ctx context.Context, st *store.Store, sealer *auth.Sealer, now time.Time) (string, error) {
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
	if _, err := st.LatestRound(ctx); err == nil {
		return password, nil
	} else if survey.ErrorCode(err) != survey.ENotFound {
		return "", err
	}

	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		return "", err
	}
	if err := st.UpsertKommunen(ctx, ks); err != nil {
		return "", err
	}
	// The maps draw only stored boundaries: the demo stores Hannover's.
	if err := st.SaveBoundaries(ctx, analysis.DefaultRegionGeoJSON(), len(ks), system); err != nil {
		return "", err
	}
	v, err := st.AddQuestionnaire(ctx, "yaml", survey.DefaultQuestionnaireYAML(), system)
	if err != nil {
		return "", err
	}
	stored, err := st.Kommunen(ctx)
	if err != nil {
		return "", err
	}
	ids := make([]int64, len(stored))
	for i, k := range stored {
		ids[i] = k.ID
	}
	berlin := now.In(survey.Berlin())
	today := time.Date(berlin.Year(), berlin.Month(), berlin.Day(), 0, 0, 0, 0, time.UTC)
	roundID, err := st.CreateRound(ctx, store.NewRound{
		QuestionnaireID: v.ID,
		Title:           "Bedarfsabfrage " + strconv.Itoa(today.Year()),
		OpensOn:         today,
		Deadline:        today.AddDate(0, 0, 28),
		Status:          survey.RoundOpen,
		KommuneIDs:      ids,
	}, system)
	if err != nil {
		return "", err
	}
	qn, err := st.Questionnaire(ctx, v.ID)
	if err != nil {
		return "", err
	}
	resps, err := st.Responses(ctx, roundID)
	if err != nil {
		return "", err
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	for i, r := range resps {
		if _, err := st.IssueToken(ctx, r.ID, sealer, system); err != nil {
			return "", err
		}
		// Eight Kommunen (in AGS order) have submitted, among them a cluster
		// of small neighbours south-west of Hannover that the plan pools;
		// two have saved a draft; the rest have not begun.
		submit := slices.Contains([]int{0, 3, 5, 9, 12, 13, 18, 19}, i)
		if !submit && !slices.Contains([]int{6, 15}, i) {
			continue
		}
		form := demoAnswers(rng, r.Kommune, submit)
		res := qn.Check(form, survey.Draft)
		if submit {
			res = qn.Check(form, survey.Submit)
		}
		if !res.OK() {
			return "", fmt.Errorf("demo answers for %s invalid: %v", r.Kommune.Name, res.Errors)
		}
		actor := survey.Actor{Kind: "kommune", Label: "Demo " + r.Kommune.Name}
		if _, err := st.SaveResponse(ctx, store.Save{ResponseID: r.ID, Answers: res.Answers, Submit: submit, Actor: actor}); err != nil {
			var ce *store.ConflictError
			if errors.As(err, &ce) {
				return "", fmt.Errorf("demo save conflict: %w", err)
			}
			return "", err
		}
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

package analysis

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteText writes the plan as readable German plain text: parameters,
// groups, unplaced persons, issues, the Kommunen's shares, training and
// staffing, then the totals. Money is rounded with RoundCents and written
// the German way ("2.700,00 €").
func (pl *Plan) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	pr := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p := pl.Params
	onOff := map[bool]string{true: "ja", false: "nein"}

	pr("PARAMETER\n")
	pr("  Gruppengröße: %d bis %d Personen\n", p.GroupMin, p.GroupMax)
	pr("  Sitzungen pro Jahr: %d, Stunden pro Sitzung: %s\n", p.SessionsPerYear, planNum(p.HoursPerSession))
	pr("  Honorar pro Stunde: %s, Fahrtkosten pro Sitzung: %s (netto), USt.: %s %%\n", planEUR(p.FeePerHour), planEUR(p.TravelPerSession), planNum(p.VATPercent))
	pr("  Umkreis: %s km, online regionsweit poolen: %s\n", planNum(p.RadiusKm), onOff[p.PoolOnline])
	pr("  Fortbildung: höchstens %d Teilnehmende pro Tag, %s pro Tag\n", p.TrainingMaxPerDay, planEUR(p.TrainingDayCost))
	pr("  Betreuungsschlüssel: %s Personen pro Vollzeitstelle, %s pro Vollzeitstelle\n", planNum(p.TargetCaseload), planEUR(p.CostPerFTE))
	if len(pl.ParamErrors) > 0 {
		pr("\nUNGÜLTIGE PARAMETER\n")
		for _, e := range pl.ParamErrors {
			pr("  %s: %s\n", e.Field, e.Message)
		}
		return bw.Flush()
	}

	pr("\nSUPERVISIONSGRUPPEN\n")
	for _, g := range pl.Groups {
		where := "online"
		if !g.Online() {
			where = "Treffpunkt " + g.MeetingName
		}
		pr("  %s  %-13s %2d Personen  %s\n", g.ID, g.Kind.Label(), g.Size, where)
		var ms []string
		for _, m := range g.Members {
			s := fmt.Sprintf("%s %s (%d", m.AGS, m.Name, m.Persons)
			if m.DistanceKm > 0 {
				s += "; " + planFixed(m.DistanceKm, 1) + " km"
			}
			ms = append(ms, s+")")
		}
		pr("       Mitglieder: %s\n", strings.Join(ms, ", "))
		pr("       %d Sitzungen, %s Supervisionsstunden, netto %s, brutto %s\n", g.Sessions, planNum(g.SupervisorHours), planEUR(g.NetCost), planEUR(g.GrossCost))
		pr("       %s\n", g.Reason)
	}
	if len(pl.Groups) == 0 {
		pr("  (keine)\n")
	}

	pr("\nNICHT GRUPPIERT\n")
	for _, u := range pl.Unplaced {
		pr("  %s\n", u.Reason)
	}
	if len(pl.Unplaced) == 0 {
		pr("  (niemand)\n")
	}

	pr("\nWARNUNGEN UND HINWEISE\n")
	for _, is := range pl.Issues {
		pr("  %s: %s\n", is.Severity.Label(), is.Message)
	}
	if len(pl.Issues) == 0 {
		pr("  (keine)\n")
	}

	pr("\nKOMMUNEN (Supervision)\n")
	pr("  %-8s %-24s %-24s %5s %5s %5s %5s %5s %5s  %-14s %14s %14s\n", "AGS", "Name", "Format", "Pers.", "eigen", "pool", "onl.", "offen", "", "Gruppen", "Anteil netto", "Anteil brutto")
	for _, k := range pl.Kommunen {
		pr("  %-8s %-24s %-24s %5d %5d %5d %5d %5d %5s  %-14s %14s %14s\n", k.AGS, k.Name, k.Format, k.Persons, k.InOwnGroups, k.InPooledGroups, k.InOnlineGroups, k.Unplaced, "",
			strings.Join(k.Groups, ","), planEUR(k.NetShare), planEUR(k.GrossShare))
	}

	pr("\nFORTBILDUNG\n")
	for _, tp := range pl.Training {
		pr("  %s %s: %d Teilnehmende, %s, %s\n", tp.ModuleID, tp.Label, tp.Participants, planCount(tp.Days, "Tag", "Tage"), planEUR(tp.Cost))
		var bk []string
		for _, c := range tp.ByKommune {
			bk = append(bk, c.Name+" "+strconv.Itoa(c.Count))
		}
		if len(bk) > 0 {
			pr("       %s\n", strings.Join(bk, ", "))
		}
	}

	pr("\nPERSONAL (Bedarf und Lücke aus den jetzt betreuten Personen; erwartet daneben)\n")
	ratio := func(r *float64) string {
		if r == nil {
			return "–"
		}
		return planFixed(*r, 1)
	}
	pr("  %-8s %-24s %8s %8s %6s %8s %8s %8s %8s %14s %8s %8s %14s\n", "AGS", "Name", "betreut", "erwart.", "VZÄ", "pro VZÄ", "erw./VZÄ", "Bedarf", "Lücke", "Kosten", "Bed.erw", "Lü.erw", "Kosten erw.")
	for _, s := range pl.Staffing {
		pr("  %-8s %-24s %8s %8s %6s %8s %8s %8s %8s %14s %8s %8s %14s\n", s.AGS, s.Name, planNum(s.PeopleSupported), planNum(s.PeopleExpected), planNum(s.FTE),
			ratio(s.PeoplePerFTE), ratio(s.PeoplePerFTEExpected), planFixed(s.NeedFTE, 2), planFixed(s.GapFTE, 2), planEUR(s.GapCost),
			planFixed(s.NeedFTEExpected, 2), planFixed(s.GapFTEExpected, 2), planEUR(s.GapCostExpected))
	}

	t := pl.Totals
	pr("\nSUMMEN\n")
	pr("  Personen für Gruppensupervision: %d (vor Ort %d, online %d), in Gruppen %d, nicht gruppiert %d\n", t.Persons, t.OnSite, t.Online, t.Placed, t.Unplaced)
	pr("  Gruppen: %d (eigene %d, gepoolt %d, online %d), %d Sitzungen, %s Supervisionsstunden\n", t.Groups, t.OwnGroups, t.PooledGroups, t.OnlineGroups, t.Sessions, planNum(t.SupervisorHours))
	pr("  Güte der Gruppen: %s\n", pl.Bound.Guarantee())
	pr("  Supervision: netto %s, brutto %s\n", planEUR(t.SupervisionNet), planEUR(t.SupervisionGross))
	pr("  Fortbildung: %d Teilnehmende, %s, %s\n", t.TrainingParticipants, planCount(t.TrainingDays, "Tag", "Tage"), planEUR(t.TrainingCost))
	pr("  Personal: %s betreut, %s erwartet, %s VZÄ, %s pro VZÄ (erwartet %s)\n", planNum(t.PeopleSupported), planNum(t.PeopleExpected), planNum(t.FTE), ratio(t.PeoplePerFTE), ratio(t.PeoplePerFTEExpected))
	kommunen := func(n int) string { return planCount(n, "Kommune", "Kommunen") }
	pr("  Bedarf %s VZÄ, Lücke %s VZÄ in %s, %s\n", planFixed(t.NeedFTE, 2), planFixed(t.GapFTE, 2), kommunen(t.KommunenWithGap), planEUR(t.GapCost))
	pr("  erwartet: Bedarf %s VZÄ, Lücke %s VZÄ in %s, %s\n", planFixed(t.NeedFTEExpected, 2), planFixed(t.GapFTEExpected, 2), kommunen(t.KommunenWithGapExpected), planEUR(t.GapCostExpected))
	pr("  ohne besetzte Stelle: %s\n", kommunen(t.KommunenWithoutFTE))
	return bw.Flush()
}

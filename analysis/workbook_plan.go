package analysis

// The plan sheets: Supervision, Supervision je Kommune, Fortbildung,
// Personal and Kommunen. Every figure that follows a live parameter is a
// formula whose cached value is the Go plan's figure, computed with the
// same operations in the same order (see the field docs in plan.go); the
// group composition and the data are values.

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// planBook holds what the plan sheets are written from.
type planBook struct {
	f   *excelize.File
	st  *wbStyles
	ds  Dataset
	t   *tally
	pl  Plan
	lay planLayout
}

// shareRow is one Kommune's part of one group: a row of Supervision je
// Kommune.
type shareRow struct {
	group  int // index into Plan.Groups
	member GroupMember
	// net and gross are the Kommune's share of the group's cost,
	// NetCost × Persons / Size, as KommunePlan.NetShare adds them up.
	net, gross float64
}

// planLayout fixes the rows of the plan sheets before they are written, so
// that formulas on one sheet can point into another.
type planLayout struct {
	// Supervision: one row per group from supFirst, totals at supTotal.
	supHeader, supFirst, supTotal int
	// Supervision je Kommune: shares from shareFirst, by AGS then group;
	// shareRows gives each Kommune's first and last row.
	shareHeader, shareFirst int
	shares                  []shareRow
	shareRows               map[string][2]int
	// Fortbildung: module labels, participants, days and cost rows above
	// the table of participants per Kommune (trKommunen, from trFirst);
	// module i is in column trCol+i, the sum in trSumCol.
	trLabelRow, trPartRow, trDaysRow, trCostRow int
	trHeader, trFirst                           int
	trCol, trSumCol                             int
	trKommunen                                  []*kommuneTally
	// Personal: one row per Kommune from stFirst, totals at stTotal.
	stHeader, stFirst, stTotal int
}

// Supervision sheet columns.
const (
	supColGroup = iota + 1
	supColKind
	supColMeeting
	supColMembers
	supColPersons
	supColDistance
	supColSessions
	supColHours
	supColTravel
	supColNet
	supColGross
	supColReason
)

// Supervision je Kommune columns.
const (
	shColAGS = iota + 1
	shColName
	shColGroup
	shColKind
	shColMeeting
	shColPersons
	shColDistance
	shColNet
	shColGross
)

// Personal columns.
const (
	stColAGS = iota + 1
	stColName
	stColMunic
	stColPrivate
	stColPeople
	stColExpected
	stColFTE
	stColRatio
	stColRatioExp
	stColNeed
	stColGap
	stColGapCost
	stColNeedExp
	stColGapExp
	stColGapCostExp
)

func newPlanLayout(pl Plan, t *tally) planLayout {
	var l planLayout
	l.supHeader = 5
	l.supFirst = l.supHeader + 1
	l.supTotal = l.supFirst + max(len(pl.Groups), 1) + 1

	for gi, g := range pl.Groups {
		for _, m := range g.Members {
			l.shares = append(l.shares, shareRow{group: gi, member: m,
				net:   float64(g.NetCost*float64(m.Persons)) / float64(g.Size),
				gross: float64(g.GrossCost*float64(m.Persons)) / float64(g.Size)})
		}
	}
	slices.SortStableFunc(l.shares, func(a, b shareRow) int { return cmp.Compare(a.member.AGS, b.member.AGS) })
	l.shareHeader = 4
	l.shareFirst = l.shareHeader + 1
	l.shareRows = map[string][2]int{}
	for i, s := range l.shares {
		r := l.shareFirst + i
		span, ok := l.shareRows[s.member.AGS]
		if !ok {
			span[0] = r
		}
		span[1] = r
		l.shareRows[s.member.AGS] = span
	}

	l.trLabelRow, l.trPartRow, l.trDaysRow, l.trCostRow = 5, 6, 7, 8
	l.trHeader = 10
	l.trFirst = l.trHeader + 1
	l.trCol = 3
	l.trSumCol = l.trCol + len(pl.Training)
	for i := range t.kommunen {
		if len(t.kommunen[i].input.Training) > 0 {
			l.trKommunen = append(l.trKommunen, &t.kommunen[i])
		}
	}

	l.stHeader = 4
	l.stFirst = l.stHeader + 1
	l.stTotal = l.stFirst + max(len(pl.Staffing), 1) + 1
	return l
}

// span returns the first and last row of a block of n rows from first; an
// empty block is the single (empty) row first, so SUM stays valid.
func span(first, n int) (int, int) {
	return first, first + max(n, 1) - 1
}

// sumOf returns SUM over a column from row a to b.
func sumOf(col, a, b int) string {
	return fmt.Sprintf("SUM(%s:%s)", cellName(col, a), cellName(col, b))
}

func (b *planBook) writeSupervision() error {
	st, l, pl, p := b.st, b.lay, b.pl, b.pl.Params
	widths := []float64{8, 14, 20, 46, 10, 12, 11, 13, 13, 15, 15, 70}
	header := []string{"Gruppe", "Art", "Treffpunkt", "Mitglieder (Personen; Weg zum Treffpunkt)", "Personen",
		"Weitester Weg", "Sitzungen pro Jahr", "Supervisions\u00adstunden", "Fahrtkosten je Sitzung", "Kosten netto", "Kosten brutto", "Begründung"}
	w, err := openSheet(b.f, st, sheetLayout{name: SheetSupervision, headerRow: l.supHeader,
		lastRow: l.supFirst + len(pl.Groups) - 1, cols: len(widths), widths: widths, header: header})
	if err != nil {
		return err
	}
	onOff := map[bool]string{true: "ja", false: "nein"}
	if err := writeTop(w, "Supervisionsgruppen",
		fmt.Sprintf("Gruppenbildung mit Gruppengröße %d bis %d Personen, Umkreis %s km, Online-Gruppen regionsweit: %s – diese Werte bestimmen, wer in welcher Gruppe ist: %s.",
			p.GroupMin, p.GroupMax, planNum(p.RadiusKm), onOff[p.PoolOnline], browserNote),
		"Sitzungen, Stunden, Honorar, Fahrtkosten und Umsatzsteuer kommen aus dem Blatt Parameter. Kosten netto = Sitzungen × (Stunden × Honorar + Fahrtkosten), brutto = netto × (1 + USt/100)."); err != nil {
		return err
	}
	if err := w.header(l.supHeader); err != nil {
		return err
	}
	for i, g := range pl.Groups {
		if err := w.add(b.groupRow(l.supFirst+i, g)...); err != nil {
			return err
		}
	}
	if len(pl.Groups) == 0 {
		if err := w.note("Keine Gruppen: niemand hat Gruppensupervision gewünscht."); err != nil {
			return err
		}
	}
	w.skip(1)
	if err := w.expect(l.supTotal, "Summenzeile"); err != nil {
		return err
	}
	if err := w.add(b.supervisionTotals()...); err != nil {
		return err
	}
	return b.writeIssues(w)
}

// groupRow is the row of one group at row r.
func (b *planBook) groupRow(r int, g SupervisionGroup) []excelize.Cell {
	st := b.st
	meeting, distance, travel := "online", excelize.Cell{}, st.numCell(0, fmtEUR)
	if !g.Online() {
		meeting = g.MeetingName
		if len(g.Members) > 1 {
			distance = st.numCell(g.MaxDistanceKm, fmtKm)
		}
		travel = formulaCell(nameTravel, g.TravelPerSession, st.num[fmtEUR])
	}
	ref := func(col int) string { return cellName(col, r) }
	return []excelize.Cell{
		textCell(g.ID, st.text), textCell(g.Kind.Label(), st.text), textCell(meeting, st.text),
		textCell(membersText(g), st.wrap), st.numCell(float64(g.Size), fmtInt), distance,
		formulaCell(nameSessions, float64(g.Sessions), st.num[fmtInt]),
		formulaCell(ref(supColSessions)+"*"+nameHours, g.SupervisorHours, st.num[fmtDec]),
		travel,
		formulaCell(ref(supColSessions)+"*("+nameHours+"*"+nameFee+"+"+ref(supColTravel)+")", g.NetCost, st.num[fmtEUR]),
		formulaCell(ref(supColNet)+"*(1+"+nameVAT+"/100)", g.GrossCost, st.num[fmtEUR]),
		textCell(g.Reason, st.wrap),
	}
}

// membersText lists a group's members: "Garbsen (7), Seelze (2; 4,9 km)".
func membersText(g SupervisionGroup) string {
	parts := make([]string, len(g.Members))
	for i, m := range g.Members {
		parts[i] = m.Name + " (" + strconv.Itoa(m.Persons)
		if m.DistanceKm > 0 {
			parts[i] += "; " + planFixed(m.DistanceKm, 1) + " km"
		}
		parts[i] += ")"
	}
	return strings.Join(parts, ", ")
}

func (b *planBook) supervisionTotals() []excelize.Cell {
	st, l, t := b.st, b.lay, b.pl.Totals
	a, z := span(l.supFirst, len(b.pl.Groups))
	sum := func(col int, v float64, format string) excelize.Cell {
		return formulaCell(sumOf(col, a, z), v, st.numBold[format])
	}
	row := make([]excelize.Cell, supColReason)
	row[supColGroup-1] = textCell("Summe", st.bold)
	row[supColReason-1] = textCell(fmt.Sprintf("%d Gruppen (eigene %d, gepoolt %d, online %d); nicht gruppiert: %s",
		t.Groups, t.OwnGroups, t.PooledGroups, t.OnlineGroups, planPersons(t.Unplaced)), st.bold)
	row[supColPersons-1] = sum(supColPersons, float64(t.Placed), fmtInt)
	row[supColSessions-1] = sum(supColSessions, float64(t.Sessions), fmtInt)
	row[supColHours-1] = sum(supColHours, t.SupervisorHours, fmtDec)
	row[supColNet-1] = sum(supColNet, t.SupervisionNet, fmtEUR)
	row[supColGross-1] = sum(supColGross, t.SupervisionGross, fmtEUR)
	return row
}

// writeIssues lists the plan's warnings and notes under the totals and
// ends the sheet.
func (b *planBook) writeIssues(w *sheetWriter) error {
	w.skip(1)
	// What the grouping guarantees (rule 7 at Compute), in German and
	// English.
	if err := w.add(textCell("Güte der Gruppen", w.st.bold), textCell(b.pl.Bound.Guarantee(), w.st.text)); err != nil {
		return err
	}
	if err := w.add(textCell("Quality of the groups", w.st.text), textCell(b.pl.Bound.GuaranteeEnglish(), w.st.text)); err != nil {
		return err
	}
	w.skip(1)
	if err := w.add(textCell("Warnungen und Hinweise", w.st.bold)); err != nil {
		return err
	}
	for _, is := range b.pl.Issues {
		if err := w.add(textCell(is.Severity.Label(), w.st.text), textCell(is.Message, w.st.text)); err != nil {
			return err
		}
	}
	if len(b.pl.Issues) == 0 {
		if err := w.add(excelize.Cell{}, textCell("keine", w.st.text)); err != nil {
			return err
		}
	}
	return w.flush()
}

// writeTop writes the title and notes and one empty row.
func writeTop(w *sheetWriter, title string, notes ...string) error {
	if err := w.title(title); err != nil {
		return err
	}
	for _, n := range notes {
		if err := w.note(n); err != nil {
			return err
		}
	}
	w.skip(1)
	return nil
}

func (b *planBook) writeShares() error {
	st, l, pl := b.st, b.lay, b.pl
	widths := []float64{11, 26, 8, 14, 20, 10, 12, 15, 15}
	header := []string{"AGS", "Kommune", "Gruppe", "Art", "Treffpunkt", "Personen", "Weg zum Treffpunkt",
		"Anteil Kosten netto", "Anteil Kosten brutto"}
	w, err := openSheet(b.f, st, sheetLayout{name: SheetShares, headerRow: l.shareHeader,
		lastRow: l.shareFirst + len(l.shares) - 1, cols: len(widths), widths: widths, header: header, freezeCols: 2})
	if err != nil {
		return err
	}
	if err := writeTop(w, "Supervision je Kommune: Personen und Anteil an den Kosten",
		"Anteil einer Kommune = Kosten der Gruppe (Blatt Supervision) × Personen der Kommune / Personen der Gruppe."); err != nil {
		return err
	}
	if err := w.header(l.shareHeader); err != nil {
		return err
	}
	for i, s := range l.shares {
		g := pl.Groups[s.group]
		r, gr := l.shareFirst+i, l.supFirst+s.group
		meeting, distance := "online", excelize.Cell{}
		if !g.Online() {
			meeting, distance = g.MeetingName, st.numCell(s.member.DistanceKm, fmtKm)
		}
		share := func(col int) string {
			return fmt.Sprintf("%s!%s*%s/%s!%s", sheetRef(SheetSupervision), cellName(col, gr), cellName(shColPersons, r),
				sheetRef(SheetSupervision), cellName(supColPersons, gr))
		}
		if err := w.add(textCell(s.member.AGS, st.text), textCell(s.member.Name, st.text), textCell(g.ID, st.text),
			textCell(g.Kind.Label(), st.text), textCell(meeting, st.text), st.numCell(float64(s.member.Persons), fmtInt), distance,
			formulaCell(share(supColNet), s.net, st.num[fmtEUR]), formulaCell(share(supColGross), s.gross, st.num[fmtEUR])); err != nil {
			return err
		}
	}
	if len(l.shares) == 0 {
		if err := w.note("Keine Gruppen."); err != nil {
			return err
		}
	}
	return w.flush()
}

func (b *planBook) writeTraining() error {
	st, l, pl := b.st, b.lay, b.pl
	widths := []float64{11, 26}
	for _, tp := range pl.Training {
		widths = append(widths, labelWidth(tp.Label, 14))
	}
	widths = append(widths, 12)
	w, err := openSheet(b.f, st, sheetLayout{name: SheetTraining, headerRow: l.trHeader,
		lastRow: l.trFirst + len(l.trKommunen) - 1, cols: len(widths), widths: widths, freezeCols: 2})
	if err != nil {
		return err
	}
	if err := writeTop(w, "Fortbildungsmodule",
		"Fortbildungstage = Teilnehmende / höchstens Teilnehmende pro Tag (Blatt Parameter), aufgerundet; Kosten = Tage × Kosten pro Fortbildungstag.",
		"Die Teilnehmenden je Modul sind die Summe der Tabelle unten; wer dort eine Zahl ändert, sieht Tage und Kosten folgen."); err != nil {
		return err
	}
	if len(pl.Training) == 0 {
		if err := w.note("Der Fragebogen hat keine Frage mit der Planungsrolle " + RoleTraining + "."); err != nil {
			return err
		}
		return w.flush()
	}
	if err := b.trainingSummary(w); err != nil {
		return err
	}
	w.skip(1)
	header := []string{"AGS", "Kommune"}
	for _, tp := range pl.Training {
		header = append(header, tp.Label)
	}
	if err := w.header(l.trHeader, append(header, "Summe")...); err != nil {
		return err
	}
	for i, k := range l.trKommunen {
		r := l.trFirst + i
		row := []excelize.Cell{textCell(k.resp.Kommune.AGS, st.text), textCell(k.input.Name, st.text)}
		total := 0
		for _, tp := range pl.Training {
			n := k.input.Training[tp.ModuleID]
			total += n
			if n > 0 {
				row = append(row, st.numCell(float64(n), fmtInt))
			} else {
				row = append(row, excelize.Cell{})
			}
		}
		row = append(row, formulaCell(fmt.Sprintf("SUM(%s:%s)", cellName(l.trCol, r), cellName(l.trSumCol-1, r)), float64(total), st.num[fmtInt]))
		if err := w.add(row...); err != nil {
			return err
		}
	}
	return w.flush()
}

// trainingSummary writes the module labels and, per module, participants
// (sum of the table below), days and cost, with their totals.
func (b *planBook) trainingSummary(w *sheetWriter) error {
	st, l, pl := b.st, b.lay, b.pl
	if err := w.expect(l.trLabelRow, "Modulzeile"); err != nil {
		return err
	}
	labels := []excelize.Cell{textCell("Modul", st.header), textCell("", st.header)}
	for _, tp := range pl.Training {
		labels = append(labels, textCell(tp.Label, st.header))
	}
	if err := w.addStyled(excelize.RowOpts{Height: 45}, append(labels, textCell("Summe", st.header))...); err != nil {
		return err
	}
	a, z := span(l.trFirst, len(l.trKommunen))
	lastModule := l.trSumCol - 1
	rows := []struct {
		label  string
		format string
		cell   func(col int, tp TrainingPlan) excelize.Cell
		total  float64
	}{
		{"Teilnehmende", fmtInt, func(col int, tp TrainingPlan) excelize.Cell {
			return formulaCell(sumOf(col, a, z), float64(tp.Participants), st.num[fmtInt])
		}, float64(pl.Totals.TrainingParticipants)},
		{"Fortbildungstage", fmtInt, func(col int, tp TrainingPlan) excelize.Cell {
			return formulaCell(fmt.Sprintf("CEILING(%s/%s,1)", cellName(col, l.trPartRow), nameTrainingMax), float64(tp.Days), st.num[fmtInt])
		}, float64(pl.Totals.TrainingDays)},
		{"Kosten", fmtEUR, func(col int, tp TrainingPlan) excelize.Cell {
			return formulaCell(cellName(col, l.trDaysRow)+"*"+nameTrainingDayCost, tp.Cost, st.num[fmtEUR])
		}, pl.Totals.TrainingCost},
	}
	for _, rd := range rows {
		row := []excelize.Cell{textCell(rd.label, st.bold), {}}
		for i, tp := range pl.Training {
			row = append(row, rd.cell(l.trCol+i, tp))
		}
		r := w.row + 1
		row = append(row, formulaCell(fmt.Sprintf("SUM(%s:%s)", cellName(l.trCol, r), cellName(lastModule, r)), rd.total, st.numBold[rd.format]))
		if err := w.add(row...); err != nil {
			return err
		}
	}
	return nil
}

func (b *planBook) writeStaffing() error {
	st, l, pl := b.st, b.lay, b.pl
	widths := []float64{11, 26, 14, 14, 14, 14, 12, 12, 12, 12, 12, 15, 12, 12, 15}
	header := []string{"AGS", "Kommune", "Betreute in kommunalen Unterkünften", "Betreute in privatem Wohnraum",
		"Betreute insgesamt", "Erwartet in 12 Monaten", "Besetzte Stellen (VZÄ)", "Betreute je VZÄ", "Erwartete je VZÄ",
		"Bedarf VZÄ", "Lücke VZÄ", "Kosten der Lücke pro Jahr", "Bedarf VZÄ erwartet", "Lücke VZÄ erwartet", "Kosten der Lücke erwartet"}
	w, err := openSheet(b.f, st, sheetLayout{name: SheetStaffing, headerRow: l.stHeader,
		lastRow: l.stFirst + len(pl.Staffing) - 1, cols: len(widths), widths: widths, header: header, freezeCols: 2})
	if err != nil {
		return err
	}
	if err := writeTop(w, "Personal in der Flüchtlingssozialarbeit",
		"Bedarf = betreute Geflüchtete / Betreuungsschlüssel; Lücke = Bedarf − besetzte Stellen, nicht unter 0; Kosten = Lücke × Kosten pro Vollzeitstelle (Blatt Parameter). Ohne Angabe zu „erwartet“ gilt die heutige Zahl."); err != nil {
		return err
	}
	if err := w.header(l.stHeader); err != nil {
		return err
	}
	raw := b.t.byAGS()
	for i, s := range pl.Staffing {
		if err := w.add(b.staffRow(l.stFirst+i, s, raw[s.AGS])...); err != nil {
			return err
		}
	}
	if len(pl.Staffing) == 0 {
		if err := w.note("Keine gezählten Antworten."); err != nil {
			return err
		}
	}
	w.skip(1)
	if err := w.expect(l.stTotal, "Summenzeile"); err != nil {
		return err
	}
	if err := w.add(b.staffTotals()...); err != nil {
		return err
	}
	return w.flush()
}

// ratioCell is =IF(fte=0,"",people/fte) with the plan's value (nil: "").
func ratioCell(people, fte string, v *float64, style int) excelize.Cell {
	f := fmt.Sprintf(`IF(%s=0,"",%s/%s)`, fte, people, fte)
	if v == nil {
		return formulaCell(f, "", style)
	}
	return formulaCell(f, *v, style)
}

// staffRow is the row of one Kommune at row r; k holds its answers as
// given (nil when missing).
func (b *planBook) staffRow(r int, s StaffingRow, k *kommuneTally) []excelize.Cell {
	st := b.st
	ref := func(col int) string { return cellName(col, r) }
	value := func(v float64, ok bool, format string) excelize.Cell {
		if !ok {
			return excelize.Cell{}
		}
		return st.numCell(v, format)
	}
	var munic, private, fte excelize.Cell
	expected := formulaCell(ref(stColPeople), s.PeopleExpected, st.num[fmtInt])
	if k != nil {
		munic = value(k.munic, k.municOK, fmtInt)
		private = value(k.private, k.privateOK, fmtInt)
		fte = value(k.fte, k.fteOK, fmtDec2)
		if k.expectedOK {
			expected = st.numCell(s.PeopleExpected, fmtInt)
		}
	}
	dec := st.num[fmtDec2]
	return []excelize.Cell{
		textCell(s.AGS, st.text), textCell(s.Name, st.text), munic, private,
		formulaCell(ref(stColMunic)+"+"+ref(stColPrivate), s.PeopleSupported, st.num[fmtInt]),
		expected, fte,
		ratioCell(ref(stColPeople), ref(stColFTE), s.PeoplePerFTE, st.num[fmtDec]),
		ratioCell(ref(stColExpected), ref(stColFTE), s.PeoplePerFTEExpected, st.num[fmtDec]),
		formulaCell(ref(stColPeople)+"/"+nameCaseload, s.NeedFTE, dec),
		formulaCell("MAX(0,"+ref(stColNeed)+"-"+ref(stColFTE)+")", s.GapFTE, dec),
		formulaCell(ref(stColGap)+"*"+nameCostPerFTE, s.GapCost, st.num[fmtEUR]),
		formulaCell(ref(stColExpected)+"/"+nameCaseload, s.NeedFTEExpected, dec),
		formulaCell("MAX(0,"+ref(stColNeedExp)+"-"+ref(stColFTE)+")", s.GapFTEExpected, dec),
		formulaCell(ref(stColGapExp)+"*"+nameCostPerFTE, s.GapCostExpected, st.num[fmtEUR]),
	}
}

func (b *planBook) staffTotals() []excelize.Cell {
	st, l, t := b.st, b.lay, b.pl.Totals
	a, z := span(l.stFirst, len(b.pl.Staffing))
	var munic, private float64
	raw := b.t.byAGS()
	for _, s := range b.pl.Staffing {
		if k := raw[s.AGS]; k != nil {
			munic += k.munic
			private += k.private
		}
	}
	sum := func(col int, v float64, format string) excelize.Cell {
		return formulaCell(sumOf(col, a, z), v, st.numBold[format])
	}
	ref := func(col int) string { return cellName(col, l.stTotal) }
	return []excelize.Cell{
		textCell("Summe", st.bold), textCell(fmt.Sprintf("%d Kommunen", len(b.pl.Staffing)), st.bold),
		sum(stColMunic, munic, fmtInt), sum(stColPrivate, private, fmtInt), sum(stColPeople, t.PeopleSupported, fmtInt),
		sum(stColExpected, t.PeopleExpected, fmtInt), sum(stColFTE, t.FTE, fmtDec2),
		ratioCell(ref(stColPeople), ref(stColFTE), t.PeoplePerFTE, st.numBold[fmtDec]),
		ratioCell(ref(stColExpected), ref(stColFTE), t.PeoplePerFTEExpected, st.numBold[fmtDec]),
		sum(stColNeed, t.NeedFTE, fmtDec2), sum(stColGap, t.GapFTE, fmtDec2), sum(stColGapCost, t.GapCost, fmtEUR),
		sum(stColNeedExp, t.NeedFTEExpected, fmtDec2), sum(stColGapExp, t.GapFTEExpected, fmtDec2), sum(stColGapCostExp, t.GapCostExpected, fmtEUR),
	}
}

// writeKommunen writes every invited Kommune with its status and, when its
// response counts, its part in the supervision plan; the cost shares add
// up its rows of Supervision je Kommune.
func (b *planBook) writeKommunen() error {
	st, ds := b.st, b.ds
	header := []string{"AGS", "Kommune", "Art", "Einwohner", "Status", "Bearbeitungsstand", "Zuletzt gespeichert",
		"Zuletzt gespeichert von", "Eingereicht am", "In der Planung", "Personen Gruppen\u00adsupervision", "Format",
		"in eigenen Gruppen", "in gepoolten Gruppen", "in Online-Gruppen", "nicht gruppiert", "Gruppen",
		"Anteil Supervision netto", "Anteil Supervision brutto"}
	widths := []float64{11, 26, 10, 11, 14, 11, 17, 24, 17, 10, 13, 22, 10, 10, 10, 10, 16, 15, 15}
	w, err := openSheet(b.f, st, sheetLayout{name: SheetKommunen, headerRow: 1, lastRow: 1 + len(ds.Responses),
		cols: len(header), widths: widths, header: header, freezeCols: 2})
	if err != nil {
		return err
	}
	if err := w.header(1, header...); err != nil {
		return err
	}
	plans := make(map[string]*KommunePlan, len(b.pl.Kommunen))
	for i := range b.pl.Kommunen {
		plans[b.pl.Kommunen[i].AGS] = &b.pl.Kommunen[i]
	}
	yes := map[bool]string{true: "ja", false: "nein"}
	for _, r := range ds.Responses {
		k := r.Kommune
		var pop excelize.Cell
		if k.Population > 0 {
			pop = st.numCell(float64(k.Population), fmtInt)
		}
		row := []excelize.Cell{textCell(k.AGS, st.text), textCell(k.Name, st.text), textCell(k.Kind, st.text), pop,
			textCell(r.Status.Label(), st.text), st.numCell(float64(r.Revision), fmtInt), st.stampCell(r.UpdatedAt),
			textCell(r.UpdatedBy, st.text), st.stampCell(r.SubmittedAt), textCell(yes[ds.Counts(r)], st.text)}
		if kp := plans[k.AGS]; kp != nil && ds.Counts(r) {
			row = append(row, b.kommunePlanCells(kp)...)
		}
		if err := w.add(row...); err != nil {
			return err
		}
	}
	return w.flush()
}

// kommunePlanCells are the supervision plan columns of one Kommune.
func (b *planBook) kommunePlanCells(kp *KommunePlan) []excelize.Cell {
	st := b.st
	n := func(v int) excelize.Cell { return st.numCell(float64(v), fmtInt) }
	cells := []excelize.Cell{n(kp.Persons), textCell(kp.Format.String(), st.text), n(kp.InOwnGroups), n(kp.InPooledGroups),
		n(kp.InOnlineGroups), n(kp.Unplaced), textCell(strings.Join(kp.Groups, ", "), st.text)}
	rows, ok := b.lay.shareRows[kp.AGS]
	if !ok {
		return append(cells, st.numCell(0, fmtEUR), st.numCell(0, fmtEUR))
	}
	share := func(col int, v float64) excelize.Cell {
		return formulaCell(fmt.Sprintf("SUM(%s!%s:%s)", sheetRef(SheetShares), cellName(col, rows[0]), cellName(col, rows[1])), v, st.num[fmtEUR])
	}
	return append(cells, share(shColNet, kp.NetShare), share(shColGross, kp.GrossShare))
}

// labelWidth returns a column width at least min that fits the longest word
// of a header (headers wrap between words, never inside one).
func labelWidth(label string, min float64) float64 {
	w := min
	for _, word := range strings.Fields(label) {
		w = max(w, float64(utf8.RuneCountInString(word))+3)
	}
	return w
}

package analysis

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// Centres of some Kommunen of Region Hannover (testdata/plan_kommunen_hannover.csv).
var planTestPlaces = map[string]KommuneInput{
	"Hannover":   {AGS: "03241001", Name: "Hannover", Lat: 52.3796, Lon: 9.7697},
	"Burgdorf":   {AGS: "03241003", Name: "Burgdorf", Lat: 52.4714, Lon: 10.0174},
	"Garbsen":    {AGS: "03241005", Name: "Garbsen", Lat: 52.4514, Lon: 9.5721},
	"Gehrden":    {AGS: "03241006", Name: "Gehrden", Lat: 52.3228, Lon: 9.5875},
	"Lehrte":     {AGS: "03241011", Name: "Lehrte", Lat: 52.3815, Lon: 10.0178},
	"Ronnenberg": {AGS: "03241014", Name: "Ronnenberg", Lat: 52.3095, Lon: 9.6555},
	"Uetze":      {AGS: "03241018", Name: "Uetze", Lat: 52.4604, Lon: 10.1697},
	"Wennigsen":  {AGS: "03241020", Name: "Wennigsen (Deister)", Lat: 52.2606, Lon: 9.5781},
}

// planK returns the named test Kommune with persons and format.
func planK(t *testing.T, name string, persons int, f Format) KommuneInput {
	t.Helper()
	k, ok := planTestPlaces[name]
	if !ok {
		t.Fatalf("no test place %q", name)
	}
	k.GroupPersons, k.Format = persons, f
	return k
}

// planFar returns a Kommune far from Region Hannover and from the others
// made by planFar (about 100 km apart).
func planFar(n int, persons int, f Format) KommuneInput {
	return KommuneInput{AGS: "0900000" + string(rune('0'+n)), Name: "Fern " + string(rune('A'+n)), Lat: 48 + float64(n), Lon: 11, GroupPersons: persons, Format: f}
}

func planSizes(pl Plan) []int {
	var s []int
	for _, g := range pl.Groups {
		s = append(s, g.Size)
	}
	return s
}

func planNear(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestComputeWorkedExample(t *testing.T) {
	// planning.md: 7 people, 10 sessions × 2 h at 120 EUR plus 30 EUR
	// travel per session: 10 × (2 × 120 + 30) = 2,700 EUR a year.
	pl := Compute([]KommuneInput{planK(t, "Garbsen", 7, FormatOnSite)}, nil, DefaultParams())
	if len(pl.Groups) != 1 {
		t.Fatalf("groups = %d, want 1", len(pl.Groups))
	}
	g := pl.Groups[0]
	checks := []struct {
		name      string
		got, want float64
	}{
		{"size", float64(g.Size), 7},
		{"sessions", float64(g.Sessions), 10},
		{"supervisor hours", g.SupervisorHours, 20},
		{"net", g.NetCost, 2700},
		{"gross", RoundCents(g.GrossCost), 3213},
		{"share", pl.Kommunen[0].NetShare, 2700},
		{"total net", pl.Totals.SupervisionNet, 2700},
	}
	for _, c := range checks {
		if !planNear(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if g.ID != "G01" || g.Kind != GroupOwn || g.MeetingName != "Garbsen" || g.Host != "03241005" {
		t.Errorf("group = %+v", g)
	}
	if want := "eigene Gruppe: 7 Personen in Garbsen"; g.Reason != want {
		t.Errorf("reason = %q, want %q", g.Reason, want)
	}
	if len(pl.Issues) != 0 || len(pl.Unplaced) != 0 {
		t.Errorf("issues = %v, unplaced = %v", pl.Issues, pl.Unplaced)
	}
}

func TestComputeOwnGroups(t *testing.T) {
	tests := []struct {
		n, min, max int
		sizes       []int
		unplaced    int
	}{
		{n: 0, min: 5, max: 8},
		{n: 3, min: 5, max: 8, unplaced: 3},
		{n: 5, min: 5, max: 8, sizes: []int{5}},
		{n: 8, min: 5, max: 8, sizes: []int{8}},
		{n: 9, min: 5, max: 8, sizes: []int{8}, unplaced: 1},
		{n: 10, min: 5, max: 8, sizes: []int{5, 5}},
		{n: 13, min: 5, max: 8, sizes: []int{7, 6}},
		{n: 16, min: 5, max: 8, sizes: []int{8, 8}},
		{n: 17, min: 5, max: 8, sizes: []int{6, 6, 5}},
		{n: 13, min: 5, max: 10, sizes: []int{7, 6}}, // DESIGN.md: not 10 + 3
		{n: 11, min: 6, max: 7, sizes: []int{7}, unplaced: 4},
		{n: 12, min: 6, max: 7, sizes: []int{6, 6}},
		{n: 29, min: 6, max: 7, sizes: []int{7, 7, 7, 7}, unplaced: 1},
		{n: 100, min: 5, max: 8, sizes: []int{8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 7, 7, 7}},
	}
	for _, tt := range tests {
		p := DefaultParams()
		p.GroupMin, p.GroupMax = tt.min, tt.max
		pl := Compute([]KommuneInput{planK(t, "Garbsen", tt.n, FormatNoPreference)}, nil, p)
		if got := planSizes(pl); !slices.Equal(got, tt.sizes) {
			t.Errorf("n=%d %d..%d: sizes = %v, want %v", tt.n, tt.min, tt.max, got, tt.sizes)
		}
		if pl.Totals.Unplaced != tt.unplaced {
			t.Errorf("n=%d %d..%d: unplaced = %d, want %d", tt.n, tt.min, tt.max, pl.Totals.Unplaced, tt.unplaced)
		}
	}
}

func TestComputeOwnGroupReasons(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{13, "eigene Gruppe: 13 Personen in Garbsen → 7 + 6"},
		{9, "eigene Gruppe: 9 Personen in Garbsen → 8, 1 ohne Gruppe"},
	}
	for _, tt := range tests {
		pl := Compute([]KommuneInput{planK(t, "Garbsen", tt.n, FormatOnSite)}, nil, DefaultParams())
		if got := pl.Groups[0].Reason; got != tt.want {
			t.Errorf("n=%d: reason = %q, want %q", tt.n, got, tt.want)
		}
	}
	pl := Compute([]KommuneInput{planK(t, "Garbsen", 9, FormatOnSite)}, nil, DefaultParams())
	want := "Garbsen: 1 Person (von 9 vor Ort), keine Nachbarkommune im Umkreis von 15 km, und allein passen 9 Personen nicht in Gruppen von 5 bis 8 — nicht gruppiert"
	if len(pl.Unplaced) != 1 || pl.Unplaced[0].Reason != want {
		t.Errorf("unplaced = %+v, want reason %q", pl.Unplaced, want)
	}
}

func TestComputePooling(t *testing.T) {
	tests := []struct {
		name     string
		in       []KommuneInput
		groups   []string // "kind meeting size members" per group
		reasons  []string
		unplaced []string
	}{
		{
			name:    "two small neighbours",
			in:      []KommuneInput{planK(t, "Gehrden", 3, FormatOnSite), planK(t, "Ronnenberg", 2, FormatNeighbour)},
			groups:  []string{"pooled Gehrden 5 Gehrden:3,Ronnenberg:2"},
			reasons: []string{"gepoolt: Gehrden (3) mit Ronnenberg (2), 4,9 km"},
		},
		{
			name:    "three small neighbours",
			in:      []KommuneInput{planK(t, "Wennigsen", 1, FormatOnSite), planK(t, "Ronnenberg", 2, FormatOnSite), planK(t, "Gehrden", 3, FormatNoPreference)},
			groups:  []string{"pooled Gehrden 6 Gehrden:3,Ronnenberg:2,Wennigsen (Deister):1"},
			reasons: []string{"gepoolt: Gehrden (3) mit Ronnenberg (2) und Wennigsen (Deister) (1), bis 6,9 km"},
		},
		{
			name:     "too far from any other",
			in:       []KommuneInput{planK(t, "Uetze", 3, FormatOnSite), planK(t, "Gehrden", 3, FormatOnSite)},
			unplaced: []string{"Gehrden: 3 Personen, keine Nachbarkommune im Umkreis von 15 km — nicht gruppiert", "Uetze: 3 Personen, keine Nachbarkommune im Umkreis von 15 km — nicht gruppiert"},
		},
		{
			name: "neighbour too small",
			in:   []KommuneInput{planK(t, "Uetze", 3, FormatOnSite), planK(t, "Burgdorf", 1, FormatOnSite)},
			unplaced: []string{
				"Burgdorf: 1 Person, im Umkreis von 15 km (Uetze 10,4 km) zusammen nur 4 Personen vor Ort (Mindestgröße 5) — nicht gruppiert",
				"Uetze: 3 Personen, im Umkreis von 15 km (Burgdorf 10,4 km) zusammen nur 4 Personen vor Ort (Mindestgröße 5) — nicht gruppiert",
			},
		},
		{
			// 16 persons in 2 groups, not 3: Burgdorf's persons are split.
			name:    "a neighbour joins part of a host's persons",
			in:      []KommuneInput{planK(t, "Uetze", 3, FormatOnSite), planK(t, "Burgdorf", 13, FormatOnSite)},
			groups:  []string{"own Burgdorf 8 Burgdorf:8", "pooled Burgdorf 8 Burgdorf:5,Uetze:3"},
			reasons: []string{"eigene Gruppe: 13 Personen in Burgdorf → 8, 5 in gepoolten Gruppen", "gepoolt: Burgdorf (5) mit Uetze (3), 10,4 km"},
		},
		{
			// Everyone placed: two of Burgdorf's 16 join Uetze's 3 (the
			// rule "own groups stay home" left Uetze out).
			name:   "a host sends persons to a neighbour's group",
			in:     []KommuneInput{planK(t, "Uetze", 3, FormatOnSite), planK(t, "Burgdorf", 16, FormatOnSite)},
			groups: []string{"own Burgdorf 7 Burgdorf:7", "own Burgdorf 7 Burgdorf:7", "pooled Uetze 5 Burgdorf:2,Uetze:3"},
		},
		{
			name:   "remainder of nine pooled",
			in:     []KommuneInput{planK(t, "Gehrden", 9, FormatOnSite), planK(t, "Ronnenberg", 4, FormatOnSite)},
			groups: []string{"own Gehrden 8 Gehrden:8", "pooled Ronnenberg 5 Gehrden:1,Ronnenberg:4"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := Compute(tt.in, nil, DefaultParams())
			var groups, reasons, unplaced []string
			for _, g := range pl.Groups {
				var ms []string
				for _, m := range g.Members {
					ms = append(ms, m.Name+":"+itoa(m.Persons))
				}
				groups = append(groups, string(g.Kind)+" "+g.MeetingName+" "+itoa(g.Size)+" "+strings.Join(ms, ","))
				reasons = append(reasons, g.Reason)
			}
			for _, u := range pl.Unplaced {
				unplaced = append(unplaced, u.Reason)
			}
			if !slices.Equal(groups, tt.groups) {
				t.Errorf("groups:\n got %q\nwant %q", groups, tt.groups)
			}
			if tt.reasons != nil && !slices.Equal(reasons, tt.reasons) {
				t.Errorf("reasons:\n got %q\nwant %q", reasons, tt.reasons)
			}
			if !slices.Equal(unplaced, tt.unplaced) {
				t.Errorf("unplaced:\n got %q\nwant %q", unplaced, tt.unplaced)
			}
		})
	}
}

func itoa(n int) string { return planNum(float64(n)) }

func TestComputeOnlinePooling(t *testing.T) {
	in := []KommuneInput{planFar(0, 2, FormatOnline), planFar(1, 2, FormatOnline), planFar(2, 3, FormatOnline), planFar(3, 7, FormatOnSite)}
	t.Run("on", func(t *testing.T) {
		pl := Compute(in, nil, DefaultParams())
		if got, want := planSizes(pl), []int{7, 7}; !slices.Equal(got, want) {
			t.Fatalf("sizes = %v, want %v", got, want)
		}
		g := pl.Groups[1]
		if !g.Online() || g.MeetingAGS != "" || g.TravelPerSession != 0 || !planNear(g.NetCost, 2400) {
			t.Errorf("online group = %+v, want online, no meeting place, net 10 × 2 × 120 = 2400", g)
		}
		if want := "online, regionsweit gepoolt: 7 Personen online → 7"; g.Reason != want {
			t.Errorf("reason = %q, want %q", g.Reason, want)
		}
		if pl.Totals.Online != 7 || pl.Totals.Unplaced != 0 || pl.Totals.OnlineGroups != 1 {
			t.Errorf("totals = %+v", pl.Totals)
		}
	})
	t.Run("off", func(t *testing.T) {
		p := DefaultParams()
		p.PoolOnline = false
		pl := Compute(in, nil, p)
		if got, want := planSizes(pl), []int{7}; !slices.Equal(got, want) {
			t.Fatalf("sizes = %v, want %v", got, want)
		}
		if pl.Totals.Online != 0 || pl.Totals.Unplaced != 7 {
			t.Errorf("totals = %+v, want 0 online and 7 unplaced", pl.Totals)
		}
		found := false
		for _, is := range pl.Issues {
			found = found || is.Message == "Online-Poolen ist ausgeschaltet: 7 Personen mit Format „online“ sind vor Ort geplant"
		}
		if !found {
			t.Errorf("issues = %v, want the note about online pooling being off", pl.Issues)
		}
	})
	t.Run("too few online", func(t *testing.T) {
		pl := Compute([]KommuneInput{planFar(0, 1, FormatOnline), planFar(1, 2, FormatOnline)}, nil, DefaultParams())
		var got []string
		for _, u := range pl.Unplaced {
			got = append(got, u.Reason)
		}
		want := []string{
			"Fern A: 1 Person online, regionsweit nur 3 Personen online (Mindestgröße 5) — nicht gruppiert",
			"Fern B: 2 Personen online, regionsweit nur 3 Personen online (Mindestgröße 5) — nicht gruppiert",
		}
		if !slices.Equal(got, want) || len(pl.Groups) != 0 {
			t.Errorf("unplaced = %q, want %q", got, want)
		}
	})
	t.Run("split and rest", func(t *testing.T) {
		pl := Compute([]KommuneInput{planFar(0, 5, FormatOnline), planFar(1, 4, FormatOnline)}, nil, DefaultParams())
		if got, want := planSizes(pl), []int{8}; !slices.Equal(got, want) {
			t.Errorf("sizes = %v, want %v", got, want)
		}
		if len(pl.Unplaced) != 1 || pl.Unplaced[0].Name != "Fern B" || pl.Unplaced[0].Persons != 1 || !pl.Unplaced[0].Online {
			t.Errorf("unplaced = %+v, want 1 online person of Fern B", pl.Unplaced)
		}
	})
}

func TestComputeTraining(t *testing.T) {
	mods := []Module{{"recht", "Aufenthalts- und Asylrecht"}, {"arbeit", "Zugang zu Ausbildung und Arbeit"}, {"gesundheit", "Gesundheit"}, {"trauma", "Traumatisierungen"}, {"leer", "Ohne Anmeldungen"}}
	in := []KommuneInput{
		{AGS: "2", Name: "B", Training: map[string]int{"recht": 10, "arbeit": 20, "gesundheit": 1, "trauma": 30}},
		{AGS: "1", Name: "A", Training: map[string]int{"recht": 10, "arbeit": 1, "trauma": 11, "extra": 3}},
	}
	pl := Compute(in, mods, DefaultParams())
	tests := []struct {
		id           string
		participants int
		days         int
		byKommune    string
	}{
		{"recht", 20, 1, "A:10 B:10"},
		{"arbeit", 21, 2, "A:1 B:20"},
		{"gesundheit", 1, 1, "B:1"},
		{"trauma", 41, 3, "A:11 B:30"},
		{"leer", 0, 0, ""},
		{"extra", 3, 1, "A:3"},
	}
	if len(pl.Training) != len(tests) {
		t.Fatalf("modules = %d, want %d", len(pl.Training), len(tests))
	}
	for x, tt := range tests {
		tp := pl.Training[x]
		var bk []string
		for _, c := range tp.ByKommune {
			bk = append(bk, c.Name+":"+itoa(c.Count))
		}
		if tp.ModuleID != tt.id || tp.Participants != tt.participants || tp.Days != tt.days || !planNear(tp.Cost, float64(tt.days)*1200) || strings.Join(bk, " ") != tt.byKommune {
			t.Errorf("module %d = %+v, want %s with %d participants, %d days, by Kommune %q", x, tp, tt.id, tt.participants, tt.days, tt.byKommune)
		}
	}
	if pl.Totals.TrainingDays != 8 || !planNear(pl.Totals.TrainingCost, 9600) || pl.Totals.TrainingParticipants != 86 {
		t.Errorf("training totals = %+v", pl.Totals)
	}
}

func TestComputeStaffing(t *testing.T) {
	in := []KommuneInput{
		{AGS: "1", Name: "Ohne Stelle", PeopleSupported: 100, PeopleExpected: 120, FTE: 0},
		{AGS: "2", Name: "Überschuss", PeopleSupported: 80, PeopleExpected: 200, FTE: 2},
		{AGS: "3", Name: "Lücke", PeopleSupported: 300, PeopleExpected: 240, FTE: 2.5},
	}
	pl := Compute(in, nil, DefaultParams())
	type row struct {
		perFTE, perFTEExp      *float64
		need, gap, cost        float64
		needExp, gapExp, costE float64
	}
	f := func(x float64) *float64 { return &x }
	want := []row{
		{nil, nil, 1.25, 1.25, 93750, 1.5, 1.5, 112500},
		{f(40), f(100), 1, 0, 0, 2.5, 0.5, 37500},
		{f(120), f(96), 3.75, 1.25, 93750, 3, 0.5, 37500},
	}
	ptrEq := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && planNear(*a, *b) }
	for x, w := range want {
		s := pl.Staffing[x]
		if !ptrEq(s.PeoplePerFTE, w.perFTE) || !ptrEq(s.PeoplePerFTEExpected, w.perFTEExp) ||
			!planNear(s.NeedFTE, w.need) || !planNear(s.GapFTE, w.gap) || !planNear(s.GapCost, w.cost) ||
			!planNear(s.NeedFTEExpected, w.needExp) || !planNear(s.GapFTEExpected, w.gapExp) || !planNear(s.GapCostExpected, w.costE) {
			t.Errorf("%s: got %+v, want %+v", s.Name, s, w)
		}
	}
	tot := pl.Totals
	if !planNear(tot.GapFTE, 2.5) || !planNear(tot.GapCost, 187500) || tot.KommunenWithoutFTE != 1 || tot.KommunenWithGap != 2 ||
		tot.PeoplePerFTE == nil || !planNear(*tot.PeoplePerFTE, 480/4.5) || !planNear(tot.GapCostExpected, 187500) {
		t.Errorf("totals = %+v", tot)
	}
}

// fieldWant is a FieldError a test expects: its field and German text.
type fieldWant struct{ field, msg string }

func TestParamsValidate(t *testing.T) {
	if errs := DefaultParams().Validate(); errs != nil {
		t.Fatalf("defaults invalid: %v", errs)
	}
	tests := []struct {
		name   string
		change func(*Params)
		want   []fieldWant
	}{
		{"min above max", func(p *Params) { p.GroupMin, p.GroupMax = 6, 4 },
			[]fieldWant{{"GroupMax", "Die Höchstgröße einer Gruppe (4) darf nicht kleiner sein als die Mindestgröße (6)."}}},
		{"max too large", func(p *Params) { p.GroupMax = 31 },
			[]fieldWant{{"GroupMax", "Die Höchstgröße einer Gruppe muss zwischen 2 und 30 Personen liegen."}}},
		{"min one", func(p *Params) { p.GroupMin = 1 },
			[]fieldWant{{"GroupMin", "Die Mindestgröße einer Gruppe muss zwischen 2 und 30 Personen liegen."}}},
		{"sessions", func(p *Params) { p.SessionsPerYear = 53 },
			[]fieldWant{{"SessionsPerYear", "Die Sitzungen pro Jahr müssen zwischen 1 und 52 liegen."}}},
		{"hours", func(p *Params) { p.HoursPerSession = 0.25 },
			[]fieldWant{{"HoursPerSession", "Die Dauer einer Sitzung muss zwischen 0,5 und 8 Stunden liegen."}}},
		{"negative fee", func(p *Params) { p.FeePerHour = -1 },
			[]fieldWant{{"FeePerHour", "Das Honorar pro Stunde muss zwischen 0 und 1.000 € liegen."}}},
		{"travel NaN", func(p *Params) { p.TravelPerSession = math.NaN() },
			[]fieldWant{{"TravelPerSession", "Die Fahrtkosten pro Sitzung sind keine gültige Zahl."}}},
		{"radius zero", func(p *Params) { p.RadiusKm = 0 },
			[]fieldWant{{"RadiusKm", "Der Umkreis für das Poolen muss größer als 0 und höchstens 500 km sein."}}},
		{"radius too large", func(p *Params) { p.RadiusKm = 501 },
			[]fieldWant{{"RadiusKm", "Der Umkreis für das Poolen muss größer als 0 und höchstens 500 km sein."}}},
		{"VAT", func(p *Params) { p.VATPercent = 119 },
			[]fieldWant{{"VATPercent", "Die Umsatzsteuer muss zwischen 0 und 100 % liegen."}}},
		{"training max", func(p *Params) { p.TrainingMaxPerDay = 0 },
			[]fieldWant{{"TrainingMaxPerDay", "Die Teilnehmenden pro Fortbildungstag müssen zwischen 1 und 100 liegen."}}},
		{"day cost", func(p *Params) { p.TrainingDayCost = math.Inf(1) },
			[]fieldWant{{"TrainingDayCost", "Die Kosten pro Fortbildungstag sind keine gültige Zahl."}}},
		{"caseload", func(p *Params) { p.TargetCaseload = 0 },
			[]fieldWant{{"TargetCaseload", "Der Betreuungsschlüssel (Personen pro Vollzeitstelle) muss zwischen 1 und 1.000 liegen."}}},
		{"cost per FTE", func(p *Params) { p.CostPerFTE = 2e6 },
			[]fieldWant{{"CostPerFTE", "Die Kosten pro Vollzeitstelle müssen zwischen 0 und 1.000.000 € liegen."}}},
		{"several", func(p *Params) { p.GroupMin, p.VATPercent = 0, -1 }, []fieldWant{
			{"GroupMin", "Die Mindestgröße einer Gruppe muss zwischen 2 und 30 Personen liegen."},
			{"VATPercent", "Die Umsatzsteuer muss zwischen 0 und 100 % liegen."}}},
	}
	for _, tt := range tests {
		p := DefaultParams()
		tt.change(&p)
		got := p.Validate()
		if len(got) != len(tt.want) {
			t.Errorf("%s:\n got %v\nwant %q", tt.name, got, tt.want)
		}
		for i, fe := range got {
			if i < len(tt.want) && (fe.Field != tt.want[i].field || fe.Message != tt.want[i].msg || fe.Text.String() != fe.Message) {
				t.Errorf("%s: %d: got %s %q (key %s: %q)\nwant %s %q", tt.name, i, fe.Field, fe.Message, fe.Text.Key, fe.Text, tt.want[i].field, tt.want[i].msg)
			}
		}
		pl := Compute([]KommuneInput{planK(t, "Garbsen", 7, FormatOnSite)}, nil, p)
		if len(pl.ParamErrors) == 0 || len(pl.Groups) != 0 || len(pl.Staffing) != 0 {
			t.Errorf("%s: Compute with invalid params gave %d groups and errors %v", tt.name, len(pl.Groups), pl.ParamErrors)
		}
	}
}

func TestRoundCents(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{0, 0},
		{1.005, 1.01}, // ROUND(1.005,2) in LibreOffice; naive Go gives 1.00
		{2.675, 2.68},
		{-2.675, -2.68},
		{0.125, 0.13},
		{0.1 * 3, 0.3},
		{2700 * 1.19, 3213},
		{1157.142857142857, 1157.14},
		{0.004999, 0},
		{0.005, 0.01},
		{1e-4, 0},
		{123456789.125, 123456789.13},
		{1e15, 1e15},
	}
	for _, tt := range tests {
		if got := RoundCents(tt.in); got != tt.want {
			t.Errorf("RoundCents(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct {
		in   float64
		want string
	}{{2700, "2.700,00 €"}, {1234567.891, "1.234.567,89 €"}, {-0.5, "-0,50 €"}, {0.004, "0,00 €"}, {-0.004, "0,00 €"}, {5221.125, "5.221,13 €"}} {
		if got := planEUR(tt.in); got != tt.want {
			t.Errorf("planEUR(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct {
		in       float64
		decimals int
		want     string
	}{{5.125, 2, "5,13"}, {0.05, 1, "0,1"}, {1234.5, 0, "1.235"}, {13.55, 1, "13,6"}, {99999999999.99994, 4, "99.999.999.999,9999"}, {1e17, 2, "100.000.000.000.000.000,00"}} {
		if got := planFixed(tt.in, tt.decimals); got != tt.want {
			t.Errorf("planFixed(%v, %d) = %q, want %q", tt.in, tt.decimals, got, tt.want)
		}
	}
}

func TestComputeInputProblems(t *testing.T) {
	in := []KommuneInput{
		{AGS: "1", Name: "A", GroupPersons: -3, PeopleSupported: math.NaN(), FTE: -1},
		{AGS: "2", Name: "B", GroupPersons: 3}, // no coordinates
		{AGS: "2", Name: "B doppelt", GroupPersons: 4},
		{AGS: "3", Name: "C", GroupPersons: 6, Training: map[string]int{"x": -2}},
	}
	pl := Compute(in, []Module{{"x", "X"}, {"x", "X"}}, DefaultParams())
	var warnings []string
	for _, is := range pl.Issues {
		if is.Severity == IssueWarning {
			warnings = append(warnings, is.Message)
		}
	}
	want := []string{
		"Fortbildungsmodul x ist doppelt angegeben — nur einmal gezählt",
		"A: negative Zahl Personen für Gruppensupervision (-3) — als 0 gezählt",
		"A: ungültige Angabe „Vollzeitstellen“ (-1) — als 0 gezählt",
		"A: ungültige Angabe „betreute Personen“ (NaN) — als 0 gezählt",
		"B doppelt: AGS 2 kommt mehrfach vor — dieser Eintrag wird nicht berücksichtigt",
		"B: 3 Personen, keine gültigen Koordinaten, und allein passen 3 Personen nicht in Gruppen von 5 bis 8 — nicht gruppiert",
		"C: negative Teilnehmendenzahl für Modul x (-2) — als 0 gezählt",
	}
	if !slices.Equal(warnings, want) {
		t.Errorf("warnings:\n got %q\nwant %q", warnings, want)
	}
	if got := planSizes(pl); !slices.Equal(got, []int{6}) {
		t.Errorf("sizes = %v, want [6] (own group without coordinates)", got)
	}
	if len(pl.Kommunen) != 3 || len(pl.Staffing) != 3 {
		t.Errorf("Kommunen = %d, staffing rows = %d, want 3", len(pl.Kommunen), len(pl.Staffing))
	}
}

func TestComputeFewNeighboursNote(t *testing.T) {
	in := []KommuneInput{planK(t, "Uetze", 3, FormatOnSite), planK(t, "Burgdorf", 13, FormatOnSite), planK(t, "Lehrte", 0, FormatOnSite)}
	pl := Compute(in, nil, DefaultParams())
	want := PlanIssue{Severity: IssueNote, AGS: "03241018", Name: "Uetze", Message: "Uetze: nur 2 Nachbarkommunen im Umkreis von 15 km (Burgdorf 10,4 km, Lehrte 13,5 km)"}
	if !slices.Contains(pl.Issues, want) {
		t.Errorf("issues = %+v, want %+v", pl.Issues, want)
	}
}

func TestDistanceKm(t *testing.T) {
	// Hannover–Berlin centre is about 250 km; one degree of latitude about 111.2 km.
	if d := DistanceKm(52, 10, 53, 10); math.Abs(d-111.195) > 0.01 {
		t.Errorf("one degree = %v km", d)
	}
	if d, e := DistanceKm(52.3796, 9.7697, 52.4604, 10.1697), DistanceKm(52.4604, 10.1697, 52.3796, 9.7697); d != e {
		t.Errorf("not symmetric: %v vs %v", d, e)
	}
	if d := DistanceKm(0, 179.9, 0, -179.9); math.Abs(d-22.24) > 0.01 {
		t.Errorf("across the date line = %v km", d)
	}
}

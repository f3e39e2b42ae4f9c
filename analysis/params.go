package analysis

// The one description of the planning parameters: ParamSpecs drives the
// defaults (DefaultParams), the validation (Params.Validate), the scenario
// form of the web pages (labels, units and help are catalogue keys) and
// the workbook's Parameter sheet (German labels, units, formats and the
// defined names of the parameters that live there as formula inputs).

import (
	"math"

	"bedarf/survey"
)

// ParamKind is the kind of value of a planning parameter.
type ParamKind int

// The kinds of planning parameters.
const (
	ParamFloat ParamKind = iota // a decimal number
	ParamInt                    // a whole number
	ParamBool                   // yes or no (a checkbox)
)

// ParamSpec describes one planning parameter (a field of Params).
type ParamSpec struct {
	// Name is the Params field and the form field, e.g. "GroupMax".
	Name string
	// Kind is the kind of value; Int and Bool say the same for templates.
	Kind      ParamKind
	Int, Bool bool
	// Default is the default value (1 for yes).
	Default float64
	// Lo and Hi bound the value (inclusive; Lo exclusive with LoOpen).
	Lo, Hi float64
	LoOpen bool
	// Label, Unit and Help are catalogue keys of the scenario form (Unit
	// and Help may be empty); the catalogue holds German and English.
	Label, Unit, Help string
	// Live is set for a parameter that lives in the workbook as an input
	// cell of the plan's formulas, under the defined name Excel; the
	// others (the grouping) are only shown there.
	Live  bool
	Excel string
	// Sheet, SheetUnit and SheetNote are the German label, unit and note
	// of the Parameter sheet; SheetFormat its number format.
	Sheet, SheetUnit, SheetNote string
	SheetFormat                 string
	// The validation messages are keyed (survey.Message; the German text
	// is in survey, the English in the web's catalogue). Message is, for
	// whole numbers, the key of the whole message with the bounds as two
	// %d verbs. For decimal numbers Subject is the key of the message's
	// subject ("Die Dauer einer Sitzung"), Plural whether it is plural
	// ("Die Kosten …"), and BoundUnit the key of the upper bound with its
	// unit ("%s Stunden"; empty: the bound alone).
	Subject, Message, BoundUnit string
	Plural                      bool

	get func(Params) float64
	set func(*Params, float64)
}

// Get returns the parameter's value in p (1 or 0 for yes or no).
func (s ParamSpec) Get(p Params) float64 { return s.get(p) }

// Set sets the parameter's value in p (non-zero for yes).
func (s ParamSpec) Set(p *Params, v float64) { s.set(p, v) }

// ParamSpecs returns every planning parameter in the order of the
// scenario form: the grouping parameters first, then the live ones in the
// order of the Parameter sheet.
func ParamSpecs() []ParamSpec {
	intP := func(s ParamSpec, ptr func(*Params) *int) ParamSpec {
		s.Kind, s.Int = ParamInt, true
		s.get = func(p Params) float64 { return float64(*ptr(&p)) }
		s.set = func(p *Params, v float64) { *ptr(p) = int(v) }
		return s
	}
	floatP := func(s ParamSpec, ptr func(*Params) *float64) ParamSpec {
		s.Kind = ParamFloat
		s.get = func(p Params) float64 { return *ptr(&p) }
		s.set = func(p *Params, v float64) { *ptr(p) = v }
		return s
	}
	live := func(s ParamSpec, excel string) ParamSpec {
		s.Live, s.Excel = true, excel
		return s
	}
	return []ParamSpec{
		intP(ParamSpec{Name: "GroupMin", Default: 5, Lo: planGroupMinLow, Hi: planGroupSizeHigh,
			Label: "plan.param.GroupMin", Unit: "plan.unit.persons",
			Sheet: "Gruppengröße mindestens", SheetUnit: "Personen", SheetFormat: fmtInt, SheetNote: browserNote,
			Message: "msg.plan.group_min"}, func(p *Params) *int { return &p.GroupMin }),
		intP(ParamSpec{Name: "GroupMax", Default: 8, Lo: planGroupMinLow, Hi: planGroupSizeHigh,
			Label: "plan.param.GroupMax", Unit: "plan.unit.persons",
			Sheet: "Gruppengröße höchstens", SheetUnit: "Personen", SheetFormat: fmtInt, SheetNote: browserNote,
			Message: "msg.plan.group_max"}, func(p *Params) *int { return &p.GroupMax }),
		floatP(ParamSpec{Name: "RadiusKm", Default: 15, Lo: 0, Hi: planRadiusHigh, LoOpen: true,
			Label: "plan.param.RadiusKm", Unit: "plan.unit.km", Help: "plan.param.RadiusKm.help",
			Sheet: "Umkreis für gemeinsame Gruppen (Luftlinie zum Treffpunkt)", SheetUnit: "km", SheetFormat: fmtDec, SheetNote: browserNote,
			Subject: "msg.plan.subject.radius", BoundUnit: "msg.plan.bound.km"}, func(p *Params) *float64 { return &p.RadiusKm }),
		{Name: "PoolOnline", Kind: ParamBool, Bool: true, Default: 1, Hi: 1, Label: "plan.param.PoolOnline",
			Sheet: "Online-Gruppen regionsweit bilden", SheetNote: browserNote,
			get: func(p Params) float64 {
				if p.PoolOnline {
					return 1
				}
				return 0
			},
			set: func(p *Params, v float64) { p.PoolOnline = v != 0 }},
		live(intP(ParamSpec{Name: "SessionsPerYear", Default: 10, Lo: 1, Hi: planSessionsHigh,
			Label: "plan.param.SessionsPerYear",
			Sheet: "Sitzungen pro Jahr und Gruppe", SheetUnit: "Sitzungen", SheetFormat: fmtInt,
			Message: "msg.plan.sessions"}, func(p *Params) *int { return &p.SessionsPerYear }), nameSessions),
		live(floatP(ParamSpec{Name: "HoursPerSession", Default: 2, Lo: planHoursLow, Hi: planHoursHigh,
			Label: "plan.param.HoursPerSession", Unit: "plan.unit.hours",
			Sheet: "Stunden pro Sitzung", SheetUnit: "Stunden", SheetFormat: fmtDec,
			Subject: "msg.plan.subject.hours", BoundUnit: "msg.plan.bound.hours"}, func(p *Params) *float64 { return &p.HoursPerSession }), nameHours),
		live(floatP(ParamSpec{Name: "FeePerHour", Default: 120, Lo: 0, Hi: planMoneyHigh,
			Label: "plan.param.FeePerHour", Unit: "plan.unit.eur",
			Sheet: "Honorar der Supervision pro Stunde (netto)", SheetUnit: "€", SheetFormat: fmtEUR,
			Subject: "msg.plan.subject.fee", BoundUnit: "msg.plan.bound.eur"}, func(p *Params) *float64 { return &p.FeePerHour }), nameFee),
		live(floatP(ParamSpec{Name: "TravelPerSession", Default: 30, Lo: 0, Hi: planMoneyHigh,
			Label: "plan.param.TravelPerSession", Unit: "plan.unit.eur", Help: "plan.param.TravelPerSession.help",
			Sheet: "Fahrtkosten pro Sitzung vor Ort (netto)", SheetUnit: "€", SheetFormat: fmtEUR, SheetNote: "Online-Gruppen haben keine Fahrtkosten",
			Subject: "msg.plan.subject.travel", BoundUnit: "msg.plan.bound.eur", Plural: true}, func(p *Params) *float64 { return &p.TravelPerSession }), nameTravel),
		live(floatP(ParamSpec{Name: "VATPercent", Default: 19, Lo: 0, Hi: 100,
			Label: "plan.param.VATPercent", Unit: "plan.unit.percent", Help: "plan.param.VATPercent.help",
			Sheet: "Umsatzsteuer auf Honorar und Fahrtkosten", SheetUnit: "%", SheetFormat: fmtDec,
			SheetNote: "0 für von der Umsatzsteuer befreite Supervisorinnen und Supervisoren",
			Subject:   "msg.plan.subject.vat", BoundUnit: "msg.plan.bound.percent"}, func(p *Params) *float64 { return &p.VATPercent }), nameVAT),
		live(intP(ParamSpec{Name: "TrainingMaxPerDay", Default: 20, Lo: 1, Hi: planTrainingHigh,
			Label: "plan.param.TrainingMaxPerDay", Unit: "plan.unit.persons",
			Sheet: "Fortbildung: höchstens Teilnehmende pro Tag", SheetUnit: "Personen", SheetFormat: fmtInt,
			Message: "msg.plan.training_max"}, func(p *Params) *int { return &p.TrainingMaxPerDay }), nameTrainingMax),
		live(floatP(ParamSpec{Name: "TrainingDayCost", Default: 1200, Lo: 0, Hi: planDayCostHigh,
			Label: "plan.param.TrainingDayCost", Unit: "plan.unit.eur",
			Sheet: "Kosten pro Fortbildungstag (Honorar und Raum)", SheetUnit: "€", SheetFormat: fmtEUR,
			Subject: "msg.plan.subject.day_cost", BoundUnit: "msg.plan.bound.eur", Plural: true}, func(p *Params) *float64 { return &p.TrainingDayCost }), nameTrainingDayCost),
		live(floatP(ParamSpec{Name: "TargetCaseload", Default: 80, Lo: 1, Hi: planCaseloadHigh,
			Label: "plan.param.TargetCaseload", Unit: "plan.unit.persons",
			Sheet: "Betreuungsschlüssel: Geflüchtete pro Vollzeitstelle", SheetUnit: "Personen je VZÄ", SheetFormat: fmtDec,
			Subject: "msg.plan.subject.caseload"}, func(p *Params) *float64 { return &p.TargetCaseload }), nameCaseload),
		live(floatP(ParamSpec{Name: "CostPerFTE", Default: 75000, Lo: 0, Hi: planCostPerFTEHigh,
			Label: "plan.param.CostPerFTE", Unit: "plan.unit.eur", Help: "plan.param.CostPerFTE.help",
			Sheet: "Kosten einer Vollzeitstelle pro Jahr (Arbeitgeberkosten)", SheetUnit: "€", SheetFormat: fmtEUR,
			Subject: "msg.plan.subject.cost_fte", BoundUnit: "msg.plan.bound.eur", Plural: true}, func(p *Params) *float64 { return &p.CostPerFTE }), nameCostPerFTE),
	}
}

// ParamSpecByName returns the parameter with the name.
func ParamSpecByName(name string) (ParamSpec, bool) {
	for _, s := range ParamSpecs() {
		if s.Name == name {
			return s, true
		}
	}
	return ParamSpec{}, false
}

// check validates the parameter's value in p: nil when it is within
// bounds, else the message for the person who entered it.
func (s ParamSpec) check(p Params) *survey.Message {
	v := s.get(p)
	switch s.Kind {
	case ParamBool:
		return nil
	case ParamInt:
		if v < s.Lo || v > s.Hi {
			return survey.NewMessage(s.Message, int(s.Lo), int(s.Hi))
		}
		return nil
	}
	key := ""
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		key = "msg.plan.not_number"
	case s.LoOpen && (v <= s.Lo || v > s.Hi):
		key = "msg.plan.above"
	case !s.LoOpen && (v < s.Lo || v > s.Hi):
		key = "msg.plan.between"
	default:
		return nil
	}
	if s.Plural {
		key += "_pl"
	}
	subject := survey.NewMessage(s.Subject)
	if key == "msg.plan.not_number" || key == "msg.plan.not_number_pl" {
		return survey.NewMessage(key, subject)
	}
	var hi any = planNum(s.Hi)
	if s.BoundUnit != "" {
		hi = survey.NewMessage(s.BoundUnit, planNum(s.Hi))
	}
	return survey.NewMessage(key, subject, planNum(s.Lo), hi)
}

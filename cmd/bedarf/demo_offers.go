package main

import (
	"fmt"
	"time"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/store"
)

// demoOffers returns the demo's providers and the offers made from the
// plan of the submitted answers, as staff would turn it into offers
// (analysis.DiffPlan on no offers): groups alternate between two
// supervisors, modules between two trainers; the first group is
// published with three sessions dated, the first module is published and
// its first day lies a week in the past (for the attendance the booking
// code adds). today is the demo's day (midnight UTC of the Berlin date).
func demoOffers(qn *survey.Questionnaire, submitted []store.DemoAnswers, today time.Time) ([]survey.Provider, []survey.Offer, error) {
	var in []analysis.KommuneInput
	for _, s := range submitted {
		in = append(in, analysis.InputOf(qn, s.Kommune, s.Answers))
	}
	plan := analysis.Compute(in, analysis.Modules(qn), analysis.DefaultParams())
	if len(plan.ParamErrors) > 0 {
		return nil, nil, fmt.Errorf("demo plan: %v", plan.ParamErrors)
	}
	ch, _ := analysis.DiffPlan(plan, nil, 0).Changes(nil, nil, analysis.Schedule{FirstDay: today.AddDate(0, 0, 56)})
	providers := []survey.Provider{
		{Kind: survey.ProviderSupervisor, Name: "Dr. Anna Berg", Organisation: "Praxis für Supervision", Qualification: "DGSv",
			Contact: "berg@supervision.example", FeeCents: 12000, FeeUnit: survey.FeePerHour, TravelCents: 3000, VATBasisPoints: 1900},
		{Kind: survey.ProviderSupervisor, Name: "Jonas Okafor", Qualification: "DGSv", Contact: "okafor@supervision.example",
			FeeCents: 9500, FeeUnit: survey.FeePerHour, TravelCents: 2500, VATExempt: true},
		{Kind: survey.ProviderTrainer, Name: "Bildungswerk Migration", Organisation: "Bildungswerk Migration e. V.",
			Contact: "kurse@bildungswerk.example", FeeCents: 120000, FeeUnit: survey.FeePerDay, VATExempt: true},
		{Kind: survey.ProviderTrainer, Name: "Lea Schröder", Qualification: "Fachanwältin für Migrationsrecht",
			Contact: "schroeder@kanzlei.example", FeeCents: 95000, FeeUnit: survey.FeePerDay, VATBasisPoints: 1900},
	}
	offers := ch.Create
	groups, trainings := 0, 0
	berlin := survey.Berlin()
	for i := range offers {
		o := &offers[i]
		if o.Kind == survey.OfferGroup {
			o.ProviderID = int64(1 + groups%2)
			if groups == 0 {
				o.Status = survey.OfferPublished
				for n := range 3 {
					day := today.AddDate(0, 0, 21+28*n)
					start := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, berlin)
					o.Dates = append(o.Dates, survey.OfferDate{Start: start, End: start.Add(time.Duration(o.SessionMinutes) * time.Minute),
						Place: o.Place, Capacity: o.Seats(), Status: survey.DateScheduled})
				}
			}
			groups++
			continue
		}
		o.ProviderID = int64(3 + trainings%2)
		if trainings == 0 && len(o.Dates) > 0 {
			o.Status = survey.OfferPublished
			past := today.AddDate(0, 0, -7)
			d := &o.Dates[0]
			d.Start = time.Date(past.Year(), past.Month(), past.Day(), 9, 0, 0, 0, berlin)
			d.End = d.Start.Add(time.Duration(o.SessionMinutes) * time.Minute)
			d.Place = "Regionshaus, Raum 101"
		}
		trainings++
	}
	return providers, offers, nil
}

package survey

import "testing"

// benchForm is a complete answer to the default questionnaire as a browser
// posts it: every question answered the way people type (German numbers,
// thousands separators, a few sentences of free text), plus the empty
// fields a browser sends for inputs left blank.
func benchForm() map[string][]string {
	text := "Die Fallzahlen sind im letzten Jahr deutlich gestiegen. Viele Familien warten seit Monaten auf eine eigene Wohnung. " +
		"Konflikte in den Gemeinschaftsunterkünften binden viel Zeit."
	return map[string][]string{
		"q.kontakt_name": {"Anna Schmidt"}, "q.kontakt_funktion": {"Koordination Flüchtlingssozialarbeit"},
		"q.kontakt_email": {"anna.schmidt@gemeinde.example"}, "q.kontakt_telefon": {"0511 616-22"},
		"q.betreute_gu": {"1.240"}, "q.betreute_privat": {"612"}, "q.zugang_seit_2015": {"4.310"}, "q.zugang_5_jahre": {"2.050"},
		"q.erwartet_12_monate": {"1.900"}, "q.unterkuenfte": {"14"}, "q.plaetze": {"1.300"}, "q.plaetze_belegt": {"1.180"},
		"q.fachkraefte_personen": {"16"}, "q.fachkraefte_vzae": {"12,5"}, "q.befristet_vzae": {"4,5"}, "q.offene_stellen_vzae": {"1,5"},
		"q.anstellungstraeger": {"beide"}, "q.belastung_gesamt": {"4"},
		"q.belastung_faktoren.fallzahl": {"5"}, "q.belastung_faktoren.komplexitaet": {"4"}, "q.belastung_faktoren.trauma": {"4"},
		"q.belastung_faktoren.konflikte": {"3"}, "q.belastung_faktoren.verwaltung": {"5"}, "q.belastung_anmerkungen": {text},
		"q.supervision_vorhanden": {"ja"}, "q.supervision_vorhanden_format": {"gruppe", "fallberatung"},
		"q.supervision_vorhanden_haeufigkeit": {"quartal"}, "q.supervision_gruppe_personen": {"11"},
		"q.supervision_einzel_personen": {"3"}, "q.fallberatung_personen": {"8"}, "q.supervision_haeufigkeit": {"sechswoechentlich"},
		"q.supervision_format": {"vor_ort"}, "q.supervision_zeiten": {"vormittag", "nachmittag"}, "q.supervision_themen": {text},
		"q.fortbildung_teilnehmende.asylrecht": {"9"}, "q.fortbildung_teilnehmende.ausbildung_arbeit": {"6"},
		"q.fortbildung_teilnehmende.gesundheit": {"4"}, "q.fortbildung_teilnehmende.trauma": {"12"}, "q.fortbildung_weitere": {""},
		"q.zusaetzliche_stellen_vzae": {"2,5"}, "q.foerderung_gewuenscht": {"180.000"}, "q.finanzierung_anmerkungen": {""},
		"q.vernetzung_interesse": {"ja"}, "q.vernetzung_anmerkungen": {""},
		"revision": {"3"}, "bearbeitung": {"Anna Schmidt"}, "aktion": {"speichern"},
	}
}

func benchQuestionnaire(b *testing.B) *Questionnaire {
	b.Helper()
	qn, err := ParseYAML("fragebogen.yaml", DefaultQuestionnaireYAML())
	if err != nil {
		b.Fatal(err)
	}
	return qn
}

// BenchmarkCheck parses and validates a complete answer to the full
// default questionnaire (conditions, constraints, German numbers), as every
// save does once for the posted form and once for the stored state.
//
//	go test -run '^$' -bench 'Check|FormValues' ./survey/
func BenchmarkCheck(b *testing.B) {
	qn := benchQuestionnaire(b)
	form := benchForm()
	for _, mode := range []struct {
		name string
		m    Mode
	}{{"draft", Draft}, {"submit", Submit}} {
		b.Run(mode.name, func(b *testing.B) {
			if res := qn.Check(form, mode.m); !res.OK() {
				b.Fatalf("benchmark form invalid: %v", res.Errors)
			}
			b.ReportAllocs()
			for b.Loop() {
				qn.Check(form, mode.m)
			}
		})
	}
}

// BenchmarkReCheck validates stored answers again (FormValues, then
// Check), as the questionnaire page and every save's answer page do.
func BenchmarkReCheck(b *testing.B) {
	qn := benchQuestionnaire(b)
	stored := qn.Check(benchForm(), Submit).Answers
	b.ReportAllocs()
	for b.Loop() {
		qn.ReCheck(stored, Draft)
	}
}

// BenchmarkFormValues turns stored answers back into form values.
func BenchmarkFormValues(b *testing.B) {
	qn := benchQuestionnaire(b)
	stored := qn.Check(benchForm(), Submit).Answers
	b.ReportAllocs()
	for b.Loop() {
		qn.FormValues(stored)
	}
}

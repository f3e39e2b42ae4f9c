package i18n

// Sentences of the domain packages not yet keyed (survey.Error is: see
// catalog_errors.go), as they produce them in German (see
// domain.go): the German text must equal what the package writes, with %s
// where it inserts something. Tests check that every sentence the packages
// can produce is here.
var _ = add(map[string]entry{

	// Results (analysis.TypeNote, analysis.Comparable, cmd/bedarf/internal/web/results.go onlyNotes)
	"domain.results.note_multi":  {"Mehrfachnennungen möglich: Anteile bezogen auf die Kommunen mit Antwort.", "Several answers possible: shares relative to the municipalities with an answer."},
	"domain.results.note_matrix": {"Je Zeile eine Stufe; Anteile bezogen auf die Kommunen, die die Zeile beantwortet haben.", "One level per row; shares relative to the municipalities that answered the row."},
	"domain.results.note_items":  {"Je Eintrag eine Zahl; Kennzahlen je Eintrag über die Kommunen mit Angabe.", "One number per item; key figures per item over the municipalities with a figure."},
	"domain.compare.in_neither":  {"in keiner der beiden Fassungen", "in neither version"},
	"domain.compare.only_b":      {"nur in der Fassung der Runde B", "only in the version of round B"},
	"domain.compare.only_a":      {"nur in der Fassung der Runde A", "only in the version of round A"},
	"domain.compare.type":        {"Fragetyp geändert (%s → %s)", "question type changed (%s → %s)"},
	"domain.compare.note":        {"Hinweis ohne Antwort", "note without an answer"},
	"domain.compare.personal":    {"personenbezogene Angabe, wird nicht verglichen", "personal data, not compared"},
	"domain.compare.text":        {"Freitext, wird nicht verglichen", "free text, not compared"},
	"domain.compare.date":        {"Datum, wird nicht verglichen", "date, not compared"},
	"domain.compare.unit":        {"Einheit geändert (%s → %s)", "unit changed (%s → %s)"},
	"domain.compare.only_item":   {"%s: Eintrag „%s“ gibt es nur in der Fassung der Runde %s; nicht verglichen.", "%s: item “%s” exists only in the version of round %s; not compared."},
	"domain.compare.only_option": {"%s: Antwortmöglichkeit „%s“ gibt es nur in der Fassung der Runde %s; nicht verglichen.", "%s: option “%s” exists only in the version of round %s; not compared."},
	"domain.compare.only_row":    {"%s: Zeile „%s“ gibt es nur in der Fassung der Runde %s; nicht verglichen.", "%s: row “%s” exists only in the version of round %s; not compared."},

	// Question types inside such sentences
	"domain.type.single_choice":   {"Einfachauswahl", "single choice"},
	"domain.type.multiple_choice": {"Mehrfachauswahl", "multiple choice"},
	"domain.type.integer":         {"Ganzzahl", "whole number"},
	"domain.type.decimal":         {"Dezimalzahl", "decimal number"},
	"domain.type.text":            {"Kurztext", "short text"},
	"domain.type.long_text":       {"Langtext", "long text"},
	"domain.type.yes_no":          {"Ja/Nein", "yes/no"},
	"domain.type.date":            {"Datum", "date"},
	"domain.type.likert":          {"Skala", "scale"},
	"domain.type.item_numbers":    {"Zahlen je Eintrag", "numbers per item"},
	"domain.type.note":            {"Hinweis", "note"},
})

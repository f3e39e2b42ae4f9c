package i18n

// Keyed diagnostics of uploaded files (survey.Message): the domain keeps
// the German text of each key (survey/text.go) for the command line and
// the logs; the pages take both languages from here. TestUploadMessages
// checks that the German texts agree key by key. Arguments are data (file
// names, sheets, rows, numbers) and stay as they are.
var _ = add(map[string]entry{
	"upload.place.sheet_row": {"%s, Zeile %d", "%s, row %d"},

	"upload.line":    {"Zeile %d: %s", "Line %d: %s"},
	"upload.too_big": {"%s ist größer als %d MB", "%s is larger than %d MB"},

	"upload.kommunen.too_many": {"Zeile %d: Die Datei hat mehr als %d Kommunen (Deutschland hat etwa 10.800 Gemeinden); sie wird nicht weiter gelesen.", "Line %d: the file has more than %d municipalities (Germany has about 10,800); it is not read any further."},
	"upload.kommunen.no_land":  {"%s %s ist kein Gemeindeschlüssel (die ersten beiden Ziffern sind das Land, 01 bis 16, dahinter nicht nur Nullen)", "%s %s is not a municipality key (the first two digits are the Land, 01 to 16, followed by more than zeros)"},

	"upload.def.too_many_questions": {"Der Fragebogen hat %d Fragen, höchstens %d sind möglich.", "The questionnaire has %d questions; at most %d are possible."},
	"upload.def.form_too_big":       {"Das Formular des Fragebogens würde etwa %d MB groß, höchstens %d MB sind möglich: bitte Texte kürzen oder den Fragebogen teilen.", "The questionnaire's form would be about %d MB; at most %d MB are possible: please shorten texts or split the questionnaire."},
	"upload.xlsx.unzipped":          {"Datei ist entpackt größer als %d MB", "file is larger than %d MB unpacked"},
	"upload.xlsx.corrupt_part":      {"Datei nicht lesbar: Teil %s der Arbeitsmappe ist beschädigt (Größe oder Prüfsumme stimmt nicht)", "file not readable: part %s of the workbook is damaged (size or checksum does not check out)"},
})

package i18n

// Keyed diagnostics of uploaded files (survey.Message): the domain keeps
// the German text of each key (survey/text.go) for the command line and
// the logs; the pages take both languages from here. TestKeyedMessages
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
	"upload.xls.old_format":         {"%s ist eine Excel-Arbeitsmappe im alten Format (.xls): bitte in Excel oder LibreOffice „Speichern unter“ als Excel-Arbeitsmappe (.xlsx) wählen und diese Datei hochladen.", "%s is an Excel workbook in the old format (.xls): please use “Save as” in Excel or LibreOffice to save it as an Excel workbook (.xlsx) and upload that file."},
	"upload.xls.ods":                {"%s ist eine LibreOffice-Tabelle (.ods): bitte „Speichern unter“ als Excel 2007-365 (.xlsx) wählen und diese Datei hochladen.", "%s is a LibreOffice spreadsheet (.ods): please use “Save as” Excel 2007-365 (.xlsx) and upload that file."},
	"upload.xls.only_sheet":         {"Die Arbeitsmappe hat nur das Blatt %s; es wird als Blatt survey gelesen.", "The workbook has only the sheet %s; it is read as the sheet survey."},
	"upload.xls.meta_ignored":       {"%s, Zeile %d: Typ %s (Gerätedaten) wird ignoriert; bedarf zeichnet Zeit und Bearbeitende selbst auf.", "%s, row %d: type %s (device data) is ignored; bedarf records times and editors itself."},
	"upload.xls.renamed":            {"%s, Zeile %d: Name %q heißt in bedarf %q (Bindestrich und Punkt sind in Frage-IDs nicht möglich).", "%s, row %d: name %q is called %q in bedarf (hyphens and dots are not possible in question ids)."},

	"upload.yaml.type":           {"erwartet wird %s, gefunden %s", "expected %s, found %s"},
	"upload.yaml.type_value":     {"erwartet wird %s, gefunden %s: „%s“", "expected %s, found %s: “%s”"},
	"upload.yaml.unknown_key":    {"unbekannter Schlüssel „%s“", "unknown key “%s”"},
	"upload.yaml.unreadable":     {"YAML nicht lesbar: %s", "YAML not readable: %s"},
	"upload.yaml.syntax":         {"YAML nicht lesbar (%s)", "YAML not readable (%s)"},
	"upload.yaml.syntax.mapping": {"YAML nicht lesbar: hier ist kein „Schlüssel: Wert“ möglich (Einrückung prüfen; ein Text mit Doppelpunkt braucht Anführungszeichen)", "YAML not readable: no “key: value” is possible here (check the indentation; a text with a colon needs quotes)"},
	"upload.yaml.syntax.key":     {"YAML nicht lesbar: die Einrückung passt nicht zu den Zeilen davor", "YAML not readable: the indentation does not fit the lines before"},
	"upload.yaml.syntax.token":   {"YAML nicht lesbar: ein Zeichen, mit dem nichts beginnen kann (Tabulator statt Leerzeichen?)", "YAML not readable: a character nothing can start with (a tab instead of spaces?)"},
	"upload.yaml.syntax.end":     {"YAML nicht lesbar: die Datei endet mitten in einem Wert (fehlt ein schließendes Anführungszeichen?)", "YAML not readable: the file ends in the middle of a value (is a closing quote missing?)"},
	"upload.yaml.syntax.colon":   {"YAML nicht lesbar: ein Doppelpunkt fehlt", "YAML not readable: a colon is missing"},
	"upload.yaml.kind.list":      {"eine Liste", "a list"},
	"upload.yaml.kind.map":       {"eine Zuordnung (Schlüssel: Wert)", "a mapping (key: value)"},
	"upload.yaml.kind.text":      {"ein Text", "a text"},
	"upload.yaml.kind.number":    {"eine Zahl", "a number"},
	"upload.yaml.kind.bool":      {"true oder false", "true or false"},
	"upload.yaml.kind.null":      {"nichts", "nothing"},
	"upload.yaml.kind.unknown":   {"ein anderer Wert", "another value"},
	"upload.yaml.want.choice":    {"eine Auswahl (value und label)", "a choice (value and label)"},
	"upload.yaml.want.choices":   {"eine Liste von Auswahlen (je value und label)", "a list of choices (each with value and label)"},
	"upload.yaml.want.integer":   {"eine ganze Zahl", "a whole number"},
	"upload.yaml.want.question":  {"eine Frage (Schlüssel: Wert)", "a question (key: value)"},
	"upload.yaml.want.questions": {"eine Liste von Fragen", "a list of questions"},
	"upload.yaml.want.section":   {"ein Abschnitt (Schlüssel: Wert)", "a section (key: value)"},
	"upload.yaml.want.sections":  {"eine Liste von Abschnitten", "a list of sections"},
	"upload.yaml.want.lists":     {"Listen (Name: Liste von Auswahlen)", "lists (name: list of choices)"},
	"upload.yaml.want.unknown":   {"ein anderer Wert", "another value"},

	"upload.xlsx.unzipped":     {"Datei ist entpackt größer als %d MB", "file is larger than %d MB unpacked"},
	"upload.xlsx.corrupt_part": {"Datei nicht lesbar: Teil %s der Arbeitsmappe ist beschädigt (Größe oder Prüfsumme stimmt nicht)", "file not readable: part %s of the workbook is damaged (size or checksum does not check out)"},
})

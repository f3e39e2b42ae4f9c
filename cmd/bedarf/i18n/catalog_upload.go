package i18n

// Keyed diagnostics of uploaded files (survey.Message): the domain keeps
// the German text of each key (survey/text.go) for the command line and
// the logs; the pages take both languages from here. TestUploadMessages
// checks that the German texts agree key by key. Arguments are data (file
// names, sheets, rows, numbers) and stay as they are.
var _ = add(map[string]entry{
	"upload.place.sheet_row": {"%s, Zeile %d", "%s, row %d"},

	"upload.xlsx.unzipped":     {"Datei ist entpackt größer als %d MB", "file is larger than %d MB unpacked"},
	"upload.xlsx.corrupt_part": {"Datei nicht lesbar: Teil %s der Arbeitsmappe ist beschädigt (Größe oder Prüfsumme stimmt nicht)", "file not readable: part %s of the workbook is damaged (size or checksum does not check out)"},
})

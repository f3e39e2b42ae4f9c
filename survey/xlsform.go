package survey

// XLSForm import: the survey, choices and settings sheets used by
// KoboToolbox and ODK, mapped onto the questionnaire model.
//
// What is read:
//   - survey: type, name, label, hint, required, relevant, constraint,
//     constraint_message (also "constraint message"), appearance.
//   - choices: list_name (also "list name"), name, label.
//   - settings: form_title (questionnaire title; "Fragebogen" if missing),
//     form_id (slug; must be a valid code), default_language.
//
// Sheet and column names are matched in any case; spaces in column names
// count as underscores. Text columns come per language as "label::Deutsch
// (de)" or "label:english"; for each of label, hint and constraint_message
// the columns are tried in this order: German (name contains "deutsch" or
// "german", or the code is "de"), settings default_language, the plain
// column, then the other languages in column order. A cell left empty in the
// preferred column is taken from the next one that has text.
//
// Types: select_one LIST (also "select one from LIST"; appearance "likert"
// makes it a Likert scale), select_multiple LIST (also "select all that
// apply from LIST"), integer, decimal, text (appearance "multiline": long
// text), note, date, begin_group/end_group (also "begin group"/"end group").
// Other appearances are ignored. A select_one on a yes/no list stays a
// single choice with the form's own codes.
//
// Groups become sections: the group's name is the section id, its label the
// title (the name when it has no label), its hint the description. Nested groups are flattened: the inner
// group becomes a section of its own titled "Outer – Inner", and questions of
// the outer group after the inner one ends continue in a section "outer_2".
// A group's relevant condition is added (with "and") to the condition of
// every question inside it. Questions outside any group go into a section
// titled like the questionnaire.
//
// Refused, each with sheet, row and reason, and never silently dropped:
// repeats and loops, calculate, hidden, geodata, osm, range, rank, media
// and file uploads, barcode, acknowledge/trigger, time/dateTime, "phone
// number", external and from-file choice lists, "or_other"/"or specify
// other"; unknown types; conditional required; non-empty cells in columns
// that would change what is asked or recorded (choice_filter, calculation,
// default, read_only, trigger, repeat_count, image/audio/video, bind::,
// body::, instance::); labels that pipe answers in with ${...}.
//
// Ignored with a note (Questionnaire.Notes): device metadata types that ask
// the person nothing (start, end, today, deviceid, imei, subscriberid,
// simserial, phonenumber, username, email, audit; bedarf records its own
// times and actors). Ignored silently: other columns (guidance_hint,
// required_message, parameters, ...), other sheets, and empty rows.
// "start-geopoint" is refused, since it records a location.
//
// As pyxform reads them: a workbook of a single sheet is the survey whatever
// the sheet's name; "string" and "int" are text and integer; typographic
// quotes in relevant and constraint are plain quotes; names may hold "-" and
// "." (XML names), and such a name gets an id with "_" in their place (with
// a note; references ${name} follow). A form without settings form_id gets
// its id from the file name ("Bedarf 2027.xlsx": "Bedarf_2027"), so forms
// without settings do not all become versions of one questionnaire.
//
// Limits: the file at most MaxQuestionnaireBytes, unpacked at most 32 MB in all,
// at most MaxXLSFormRows non-empty rows per sheet and 256 headed columns.

import (
	"archive/zip"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/language"
)

// Limits that keep a hostile workbook from exhausting memory.
const (
	// MaxXLSFormRows bounds the non-empty rows of each sheet.
	MaxXLSFormRows = 5000
	// maxXLSFormCols bounds the columns with a heading.
	maxXLSFormCols = 256
	// xlsUnzipLimit bounds all unpacked parts together. It is also the
	// in-memory limit per part, so excelize never spills to temp files.
	xlsUnzipLimit = 32 << 20
)

// ParseXLSForm reads a questionnaire from an XLSForm workbook (survey,
// choices, settings sheets) and validates it like ParseYAML. name is used in
// error places. Errors are DefErrors whose places name sheet and row
// ("survey, Zeile 7"), or name for problems with the file as a whole.
func ParseXLSForm(name string, r io.Reader) (*Questionnaire, error) {
	sheets, err := readXLSForm(name, r)
	if err == nil {
		var qn *Questionnaire
		if qn, err = buildXLSForm(name, sheets); err == nil {
			return qn, nil
		}
	}
	if errs, ok := err.(DefErrors); ok {
		keyXLSPlaces(errs)
	}
	return nil, err
}

// keyXLSPlaces gives the places "sheet, Zeile n" their keyed form, so the
// pages say "sheet, row n" in English.
func keyXLSPlaces(errs DefErrors) {
	for i, e := range errs {
		errs[i].PlaceText = sheetRowPlace(e.Place)
	}
}

// sheetRowPlace returns the keyed form of a place "sheet, Zeile n"
// (xlsSheet.place), or nil for any other place.
func sheetRowPlace(place string) *Message {
	sheet, row, ok := strings.Cut(place, ", Zeile ")
	if n, err := strconv.Atoi(row); ok && err == nil {
		return NewMessage("upload.place.sheet_row", sheet, n)
	}
	return nil
}

// xlsSheet is one sheet read into plain strings.
type xlsSheet struct {
	name      string // canonical lower-case name: survey, choices, settings
	headerRow int
	cols      []xlsCol
	rows      []xlsRow // non-empty rows below the header
}

// xlsCol is a column heading split into key and language:
// "label::Deutsch (de)" is {key: "label", lang: "Deutsch (de)"}.
type xlsCol struct {
	raw  string
	key  string
	lang string
}

type xlsRow struct {
	n     int      // 1-based spreadsheet row
	cells []string // trimmed, one per column of the heading
}

func (s *xlsSheet) place(n int) string {
	return NewMessage("upload.place.sheet_row", s.name, n).String()
}

// has reports whether a column with the key exists.
func (s *xlsSheet) has(key string) bool {
	return slices.ContainsFunc(s.cols, func(c xlsCol) bool { return c.key == key })
}

// cell returns the value of the first column with the key and no language.
func (s *xlsSheet) cell(r xlsRow, key string) string {
	for i, c := range s.cols {
		if c.key == key && c.lang == "" && i < len(r.cells) {
			return r.cells[i]
		}
	}
	return ""
}

// readXLSForm reads the survey, choices and settings sheets into strings.
// Everything excelize does happens here, behind the size limits and a
// recover: a damaged file is an error, never a crash.
func readXLSForm(name string, r io.Reader) (sheets map[string]*xlsSheet, err error) {
	fail := func(t *Message) (map[string]*xlsSheet, error) {
		return nil, DefErrors{defText(name, t)}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxQuestionnaireBytes+1))
	if err != nil {
		return fail(NewMessage("upload.xls.unreadable", err.Error()))
	}
	if len(data) > MaxQuestionnaireBytes {
		return nil, DefErrors{defText(name, TooBig(name, MaxQuestionnaireBytes))}
	}
	if t := checkXLSXArchive(data); t != nil {
		return nil, DefErrors{defText(name, t)}
	}
	defer func() {
		if p := recover(); p != nil {
			sheets, err = fail(NewMessage("upload.xls.damaged", fmt.Sprint(p)))
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    xlsUnzipLimit,
		UnzipXMLSizeLimit: xlsUnzipLimit,
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return fail(NewMessage("upload.xlsx.unzipped", xlsUnzipLimit>>20))
		}
		return fail(NewMessage("upload.xls.not_xlsx", err.Error()))
	}
	defer f.Close()
	sheets = map[string]*xlsSheet{}
	var errs DefErrors
	for _, sn := range f.GetSheetList() {
		canon := strings.ToLower(strings.TrimSpace(sn))
		if (canon != "survey" && canon != "choices" && canon != "settings") || sheets[canon] != nil {
			continue
		}
		s, derr := readXLSSheet(f, sn, canon)
		if derr != nil {
			errs = append(errs, *derr)
			continue
		}
		sheets[canon] = s
	}
	if list := f.GetSheetList(); len(list) == 1 && !slices.Contains([]string{"survey", "choices", "settings"}, strings.ToLower(strings.TrimSpace(list[0]))) {
		// A workbook of one sheet is the survey, whatever its name (as
		// pyxform reads it); places name the sheet as it is called.
		s, derr := readXLSSheet(f, list[0], strings.TrimSpace(list[0]))
		if derr != nil {
			errs = append(errs, *derr)
		}
		sheets["survey"] = s
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if sheets["survey"] == nil {
		return fail(NewMessage("upload.xls.no_survey", strings.Join(f.GetSheetList(), ", ")))
	}
	return sheets, nil
}

// checkXLSXArchive reads every part of the workbook's zip archive to its
// end, which makes archive/zip check the part's size and CRC-32 against the
// archive's directory; excelize itself stops at the declared size, so a
// part longer than declared would be imported cut short. It returns why
// the archive is refused, or nil when every part checks out (or the file is
// no zip archive at all, which excelize then reports). The parts unpack to
// at most xlsUnzipLimit together, counted as read, not as declared.
func checkXLSXArchive(data []byte) *Message {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	left := int64(xlsUnzipLimit)
	for _, f := range zr.File {
		n, err := readZipPart(f, left+1)
		left -= n
		switch {
		case left < 0:
			return NewMessage("upload.xlsx.unzipped", xlsUnzipLimit>>20)
		case err != nil:
			return NewMessage("upload.xlsx.corrupt_part", f.Name)
		}
	}
	return nil
}

// readZipPart reads at most limit bytes of the part and returns how many
// it read; at the part's end archive/zip checks size and checksum.
func readZipPart(f *zip.File, limit int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, io.LimitReader(rc, limit))
}

// readXLSSheet streams one sheet, keeping at most MaxXLSFormRows non-empty
// rows and the columns that have a heading.
func readXLSSheet(f *excelize.File, sheet, canon string) (*xlsSheet, *DefError) {
	s := &xlsSheet{name: canon}
	problem := func(place string, t *Message) (*xlsSheet, *DefError) {
		e := defText(place, t)
		return nil, &e
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return problem(canon, NewMessage("upload.xls.sheet_unreadable", err.Error()))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return problem(s.place(n), NewMessage("upload.xls.row_unreadable", err.Error()))
		}
		width := maxXLSFormCols
		if s.cols != nil {
			width = len(s.cols)
		}
		if s.cols == nil && len(cells) > width && slices.ContainsFunc(cells[width:], func(c string) bool { return strings.TrimSpace(c) != "" }) {
			return problem(s.place(n), NewMessage("upload.xls.columns", maxXLSFormCols))
		}
		cells = cells[:min(len(cells), width)]
		empty := true
		kept := make([]string, len(cells))
		for i, c := range cells {
			kept[i] = strings.TrimSpace(c)
			empty = empty && kept[i] == ""
		}
		if empty {
			continue
		}
		if s.cols == nil {
			s.headerRow = n
			s.cols = make([]xlsCol, len(kept))
			for i, h := range kept {
				s.cols[i] = parseXLSHeading(h)
			}
			continue
		}
		if len(s.rows) >= MaxXLSFormRows {
			return problem(canon, NewMessage("upload.xls.rows", MaxXLSFormRows))
		}
		for len(kept) < len(s.cols) {
			kept = append(kept, "")
		}
		s.rows = append(s.rows, xlsRow{n: n, cells: kept})
	}
	if err := rows.Error(); err != nil {
		return problem(canon, NewMessage("upload.xls.sheet_unreadable", err.Error()))
	}
	return s, nil
}

// parseXLSHeading splits a column heading into key and language. The key is
// lower case with spaces as underscores ("Constraint Message" is
// "constraint_message"); "media::image::X" is key "image", language X.
func parseXLSHeading(h string) xlsCol {
	c := xlsCol{raw: h}
	base, lang := h, ""
	if i := strings.Index(h, "::"); i >= 0 {
		base, lang = h[:i], h[i+2:]
	} else if i := strings.Index(h, ":"); i >= 0 {
		base, lang = h[:i], h[i+1:]
	}
	c.key = strings.ToLower(strings.Join(strings.Fields(base), "_"))
	if c.key == "media" {
		kind, rest, _ := strings.Cut(lang, "::")
		c.key, lang = strings.ToLower(strings.TrimSpace(kind)), rest
	}
	c.lang = strings.TrimSpace(lang)
	return c
}

// langCode returns the language code of "Deutsch (de)" ("de") or the whole
// lower-case language when it has no parentheses.
func langCode(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if i := strings.LastIndex(l, "("); i >= 0 {
		if j := strings.Index(l[i:], ")"); j > 0 {
			return strings.TrimSpace(l[i+1 : i+j])
		}
	}
	return l
}

func isGermanLang(lang string) bool {
	l := strings.ToLower(lang)
	code := langCode(lang)
	return strings.Contains(l, "deutsch") || strings.Contains(l, "german") ||
		code == "de" || strings.HasPrefix(code, "de-") || strings.HasPrefix(code, "de_")
}

func matchesLang(lang, want string) bool {
	want = strings.ToLower(strings.TrimSpace(want))
	if want == "" || lang == "" {
		return false
	}
	l := strings.ToLower(lang)
	name, _, _ := strings.Cut(l, "(")
	return l == want || langCode(lang) == want || strings.TrimSpace(name) == want || langCode(want) == langCode(lang)
}

// textCols returns the indexes of the columns with the key in order of
// preference: German, the default language, no language, the others.
func (s *xlsSheet) textCols(key, defLang string) []int {
	var german, def, plain, other []int
	for i, c := range s.cols {
		switch {
		case c.key != key:
		case c.lang == "":
			plain = append(plain, i)
		case isGermanLang(c.lang):
			german = append(german, i)
		case matchesLang(c.lang, defLang):
			def = append(def, i)
		default:
			other = append(other, i)
		}
	}
	return slices.Concat(german, def, plain, other)
}

// textLang returns the language of the texts with the key: that of the
// first column in order of preference (textCols) that has any text, as a
// BCP 47 code; a column without a language takes settings'
// default_language; "de" where nothing names a language bedarf knows.
func (s *xlsSheet) textLang(key, defLang string) string {
	for _, i := range s.textCols(key, defLang) {
		if !slices.ContainsFunc(s.rows, func(r xlsRow) bool { return i < len(r.cells) && r.cells[i] != "" }) {
			continue
		}
		lang := s.cols[i].lang
		if lang == "" {
			lang = defLang
		}
		if isGermanLang(lang) {
			return "de"
		}
		if code := langTag(lang); code != "" {
			return code
		}
		return "de"
	}
	return "de"
}

// langNames are language names as XLSForm columns write them without a
// code ("label::English", "label:french").
var langNames = map[string]string{
	"english": "en", "englisch": "en", "french": "fr", "français": "fr", "francais": "fr", "französisch": "fr",
	"spanish": "es", "español": "es", "espanol": "es", "spanisch": "es", "portuguese": "pt", "português": "pt",
	"italian": "it", "italiano": "it", "italienisch": "it", "dutch": "nl", "nederlands": "nl", "polish": "pl", "polski": "pl",
	"turkish": "tr", "türkçe": "tr", "arabic": "ar", "russian": "ru", "ukrainian": "uk", "danish": "da", "dansk": "da",
	"swahili": "sw", "hindi": "hi", "chinese": "zh",
}

// langTag returns the BCP 47 code of a column's language ("English (en)",
// "en", "english", "pt-BR"), or "" when it names none.
func langTag(lang string) string {
	if code, ok := langNames[strings.ToLower(strings.TrimSpace(lang))]; ok {
		return code
	}
	code := langCode(lang)
	if tag, err := language.Parse(code); err == nil && len(code) >= 2 && len(code) <= 12 {
		return tag.String()
	}
	if name, _, _ := strings.Cut(strings.ToLower(lang), "("); langNames[strings.TrimSpace(name)] != "" {
		return langNames[strings.TrimSpace(name)]
	}
	return ""
}

// text returns the first non-empty cell among the columns.
func (s *xlsSheet) text(r xlsRow, cols []int) string {
	for _, i := range cols {
		if i < len(r.cells) && r.cells[i] != "" {
			return r.cells[i]
		}
	}
	return ""
}

// xlsRefusedCols are columns whose content bedarf cannot honour: a non-empty
// cell is an error, since ignoring it would change what is asked or recorded.
// The values are the message keys of the reasons.
var xlsRefusedCols = map[string]string{
	"choice_filter": "upload.xls.why.filtered",
	"calculation":   "upload.xls.why.calc",
	"default":       "upload.xls.why.defaults",
	"read_only":     "upload.xls.why.read_only",
	"trigger":       "upload.xls.why.trigger",
	"repeat_count":  "upload.xls.why.repeats",
	"image":         "upload.xls.why.media",
	"big-image":     "upload.xls.why.media",
	"audio":         "upload.xls.why.media",
	"video":         "upload.xls.why.media",
	"bind":          "upload.xls.why.xform",
	"body":          "upload.xls.why.xform",
	"instance":      "upload.xls.why.xform",
}

// refusedCells reports the non-empty cells of refused columns in the row.
func (s *xlsSheet) refusedCells(b *builder, r xlsRow) {
	for i, c := range s.cols {
		reason, ok := xlsRefusedCols[c.key]
		if !ok || i >= len(r.cells) || r.cells[i] == "" {
			continue
		}
		if c.key == "read_only" {
			if v, ok := parseXLSBool(r.cells[i]); ok && !v {
				continue
			}
		}
		b.errf(s.place(r.n), "upload.xls.column_refused", c.raw, NewMessage(reason))
	}
}

// parseXLSBool reads yes/no cells: yes, true, TRUE(), 1 and no, false,
// FALSE(), 0, empty.
func parseXLSBool(v string) (val, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "no", "false", "false()", "0", "n", "nein":
		return false, true
	case "yes", "true", "true()", "1", "y", "ja":
		return true, true
	}
	return false, false
}

// xlsKind is what a survey row's type does.
type xlsKind int

const (
	xlsQuestion xlsKind = iota
	xlsBeginGroup
	xlsEndGroup
	xlsBeginRepeat
	xlsEndRepeat
	xlsMeta
	xlsRefused
	xlsUnknown
)

type xlsType struct {
	kind   xlsKind
	typ    Type   // question type
	list   string // choice list of a select
	reason string // why a type is refused: the reason's message key
}

// xlsMetaTypes collect device data, never an answer from the person.
var xlsMetaTypes = []string{"start", "end", "today", "deviceid", "imei", "subscriberid", "simserial", "phonenumber", "username", "email", "audit"}

var xlsRefusedTypes = map[string]string{
	"calculate":                 "upload.xls.why.calc",
	"hidden":                    "upload.xls.why.hidden",
	"geopoint":                  "upload.xls.why.geo",
	"geotrace":                  "upload.xls.why.geo",
	"geoshape":                  "upload.xls.why.geo",
	"start-geopoint":            "upload.xls.why.device_geo",
	"background-geopoint":       "upload.xls.why.device_geo",
	"osm":                       "upload.xls.why.osm",
	"range":                     "upload.xls.why.range",
	"rank":                      "upload.xls.why.rank",
	"image":                     "upload.xls.why.capture",
	"photo":                     "upload.xls.why.capture",
	"audio":                     "upload.xls.why.capture",
	"video":                     "upload.xls.why.capture",
	"file":                      "upload.xls.why.capture",
	"background-audio":          "upload.xls.why.capture",
	"barcode":                   "upload.xls.why.barcode",
	"acknowledge":               "upload.xls.why.acknowledge",
	"trigger":                   "upload.xls.why.acknowledge",
	"time":                      "upload.xls.why.time",
	"datetime":                  "upload.xls.why.time",
	"phone number":              "upload.xls.why.phone",
	"xml-external":              "upload.xls.why.external",
	"csv-external":              "upload.xls.why.external",
	"select_one_external":       "upload.xls.why.ext_lists",
	"select_multiple_external":  "upload.xls.why.ext_lists",
	"select one external":       "upload.xls.why.ext_lists",
	"select_one_from_file":      "upload.xls.why.file_lists",
	"select_multiple_from_file": "upload.xls.why.file_lists",
}

// xlsOrOther is the message key of why an "other" option is refused.
const xlsOrOther = "upload.xls.why.or_other"

// classifyXLSType reads a type cell in the current and the older spellings.
func classifyXLSType(raw string) xlsType {
	fs := strings.Fields(raw)
	lf := make([]string, len(fs))
	for i, f := range fs {
		lf[i] = strings.ToLower(f)
	}
	joined := strings.Join(lf, " ")
	hasPrefix := func(words ...string) bool {
		return len(lf) >= len(words) && slices.Equal(lf[:len(words)], words)
	}
	selectOf := func(t Type, n int) xlsType {
		// fs[n] is the list; what follows may only be an "other" option.
		switch {
		case len(fs) == n:
			return xlsType{kind: xlsQuestion, typ: t}
		case len(fs) == n+1:
			return xlsType{kind: xlsQuestion, typ: t, list: fs[n]}
		case strings.Join(lf[n+1:], " ") == "or_other" || strings.Join(lf[n+1:], " ") == "or specify other":
			return xlsType{kind: xlsRefused, reason: xlsOrOther}
		}
		return xlsType{kind: xlsUnknown}
	}
	if r, ok := xlsRefusedTypes[joined]; ok {
		return xlsType{kind: xlsRefused, reason: r}
	}
	if len(lf) > 0 {
		// "osm LIST", "range", "select_one_external LIST", ...
		if r, ok := xlsRefusedTypes[lf[0]]; ok {
			return xlsType{kind: xlsRefused, reason: r}
		}
	}
	switch {
	case len(lf) == 0:
		return xlsType{kind: xlsUnknown}
	case slices.Contains(xlsMetaTypes, joined):
		return xlsType{kind: xlsMeta}
	case joined == "begin_group" || joined == "begin group":
		return xlsType{kind: xlsBeginGroup}
	case joined == "end_group" || joined == "end group":
		return xlsType{kind: xlsEndGroup}
	case hasPrefix("begin_repeat") || hasPrefix("begin", "repeat") || hasPrefix("begin_loop") || hasPrefix("begin", "loop"):
		return xlsType{kind: xlsBeginRepeat, reason: "upload.xls.why.repeats"}
	case joined == "end_repeat" || joined == "end repeat" || joined == "end_loop" || joined == "end loop":
		return xlsType{kind: xlsEndRepeat}
	case lf[0] == "select_one":
		return selectOf(SingleChoice, 1)
	case lf[0] == "select_multiple":
		return selectOf(MultipleChoice, 1)
	case hasPrefix("select", "one", "from"):
		return selectOf(SingleChoice, 3)
	case hasPrefix("select", "all", "that", "apply", "from"):
		return selectOf(MultipleChoice, 5)
	case hasPrefix("select", "multiple", "from"):
		return selectOf(MultipleChoice, 3)
	}
	switch joined {
	case "integer", "int": // pyxform's aliases
		return xlsType{kind: xlsQuestion, typ: Integer}
	case "decimal":
		return xlsType{kind: xlsQuestion, typ: Decimal}
	case "text", "string":
		return xlsType{kind: xlsQuestion, typ: Text}
	case "note":
		return xlsType{kind: xlsQuestion, typ: Note}
	case "date":
		return xlsType{kind: xlsQuestion, typ: Date}
	}
	return xlsType{kind: xlsUnknown}
}

// xlsFrame is an open group or (refused) repeat.
type xlsFrame struct {
	repeat   bool
	name     string
	label    string
	hint     string
	place    string
	relevant string // the group's condition when valid, else ""
	sections int    // sections made for this group so far
}

// xlsForm turns the sheets into a questionnaire through the builder.
type xlsForm struct {
	b       *builder
	title   string
	defLang string
	lists   map[string][]Choice
	choices *xlsSheet

	stack    []*xlsFrame
	cur      *Section
	curOwner *xlsFrame

	// ids maps XLSForm names that are no valid id ("a-b", "x.y") to the
	// id they get; taken holds every name of the survey sheet and every id
	// given, so a new id collides with none.
	ids   map[string]string
	taken map[string]bool
	notes []*Message
}

func buildXLSForm(name string, sheets map[string]*xlsSheet) (*Questionnaire, error) {
	f := &xlsForm{title: "Fragebogen", lists: map[string][]Choice{}, ids: map[string]string{}, taken: map[string]bool{}}
	formID := idFromFileName(name)
	if s := sheets["settings"]; s != nil && len(s.rows) > 0 {
		row := s.rows[0]
		if t := s.text(row, s.textCols("form_title", "")); t != "" {
			f.title = t
		}
		own := s.cell(row, "form_id")
		if own != "" {
			formID = own
		}
		f.defLang = s.cell(row, "default_language")
		f.b = newBuilder(formID, f.title, "")
		if own != "" && !codePattern.MatchString(formID) {
			f.b.errf(s.place(row.n), "upload.xls.form_id", formID)
		}
	} else {
		f.b = newBuilder(formID, f.title, "")
	}
	if s := sheets["survey"]; s.name != "survey" {
		f.notes = append(f.notes, NewMessage("upload.xls.only_sheet", s.name))
	}
	f.readChoices(sheets["choices"])
	f.readSurvey(sheets["survey"])
	f.b.qn.Lang = sheets["survey"].textLang("label", f.defLang)
	qn, err := f.b.finish()
	if qn != nil {
		qn.Notes = f.notes
	}
	if errs, ok := err.(DefErrors); ok {
		sortXLSErrors(errs)
		return nil, errs
	}
	return qn, err
}

// checkText refuses texts that pipe answers in: bedarf shows labels as they
// are, so "${name}" would appear literally.
// what is the message key of the kind of text.
func (f *xlsForm) checkText(place, what, s string) {
	if strings.Contains(s, "${") {
		f.b.errf(place, "upload.xls.piped", NewMessage(what), s)
	}
}

func (f *xlsForm) readChoices(s *xlsSheet) {
	f.choices = s
	if s == nil {
		return
	}
	head := s.place(s.headerRow)
	for _, key := range []string{"list_name", "name", "label"} {
		if !s.has(key) && len(s.rows) > 0 {
			f.b.errf(head, "upload.xls.column_missing", key)
			return
		}
	}
	labels := s.textCols("label", f.defLang)
	firstRow := map[string]map[string]int{}
	for _, r := range s.rows {
		place := s.place(r.n)
		list, code, label := s.cell(r, "list_name"), s.cell(r, "name"), s.text(r, labels)
		s.refusedCells(f.b, r)
		if list == "" {
			f.b.errf(place, "upload.xls.no_list_name")
			continue
		}
		if _, ok := f.lists[list]; !ok {
			f.lists[list] = []Choice{}
			firstRow[list] = map[string]int{}
		}
		switch {
		case code == "":
			f.b.errf(place, "upload.xls.no_name", list)
			continue
		case !codePattern.MatchString(code):
			f.b.errf(place, "upload.xls.bad_code", list, code)
			continue
		case firstRow[list][code] != 0:
			f.b.errf(place, "upload.xls.code_twice", list, code, firstRow[list][code])
			continue
		case label == "":
			f.b.errf(place, "upload.xls.no_label", list, code)
			continue
		}
		f.checkText(place, "upload.xls.text.choice", label)
		firstRow[list][code] = r.n
		f.lists[list] = append(f.lists[list], Choice{Value: code, Label: label})
	}
}

func (f *xlsForm) readSurvey(s *xlsSheet) {
	head := s.place(s.headerRow)
	if s.cols == nil {
		f.b.errf(s.name, "upload.xls.sheet_empty")
		return
	}
	missing := false
	for _, key := range []string{"type", "name", "label"} {
		if !s.has(key) {
			f.b.errf(head, "upload.xls.column_missing", key)
			missing = true
		}
	}
	if missing {
		return
	}
	labels := s.textCols("label", f.defLang)
	hints := s.textCols("hint", f.defLang)
	messages := s.textCols("constraint_message", f.defLang)
	for _, r := range s.rows {
		f.taken[s.cell(r, "name")] = true
	}
	for _, r := range s.rows {
		place := s.place(r.n)
		rawType, name, label := s.cell(r, "type"), f.safeID(s, r), s.text(r, labels)
		if rawType == "" {
			if name != "" || label != "" {
				f.b.errf(place, "upload.xls.no_type")
			}
			continue
		}
		t := classifyXLSType(rawType)
		switch t.kind {
		case xlsMeta:
			f.notes = append(f.notes, NewMessage("upload.xls.meta_ignored", s.name, r.n, rawType))
			continue
		case xlsRefused:
			f.b.errf(place, "upload.xls.type_refused", rawType, NewMessage(t.reason))
			continue
		case xlsUnknown:
			f.b.errf(place, "upload.xls.type_unknown", rawType, NewMessage("upload.xls.supported"))
			continue
		case xlsBeginRepeat:
			// Refused, but kept on the stack so its end pairs up and the
			// rows inside are still checked.
			f.b.errf(place, "upload.xls.type_refused", rawType, NewMessage(t.reason))
			f.stack = append(f.stack, &xlsFrame{repeat: true, name: name, place: place})
			continue
		case xlsEndGroup, xlsEndRepeat:
			f.end(place, rawType, t.kind == xlsEndRepeat)
			continue
		}
		s.refusedCells(f.b, r)
		if t.kind == xlsBeginGroup {
			f.beginGroup(s, r, name, label, s.text(r, hints))
			continue
		}
		f.question(s, r, t, name, label, s.text(r, hints), s.text(r, messages))
	}
	for i := len(f.stack) - 1; i >= 0; i-- {
		fr := f.stack[i]
		if fr.repeat {
			continue // already refused at its begin
		}
		f.b.errf(fr.place, "upload.xls.group_open", fr.name)
	}
}

func (f *xlsForm) beginGroup(s *xlsSheet, r xlsRow, name, label, hint string) {
	place := s.place(r.n)
	fr := &xlsFrame{name: name, label: label, hint: hint, place: place}
	if name == "" {
		f.b.errf(place, "upload.xls.group_no_name")
	}
	f.checkText(place, "upload.xls.text.group", label)
	if v, ok := parseXLSBool(s.cell(r, "required")); !ok || v {
		f.b.errf(place, "upload.xls.group_required", name)
	}
	if s.cell(r, "constraint") != "" {
		f.b.errf(place, "upload.xls.group_constraint", name)
	}
	if rel := f.expr(s.cell(r, "relevant")); rel != "" {
		fr.relevant = f.groupCondition(place, name, rel)
	}
	f.stack = append(f.stack, fr)
}

// groupCondition checks a group's relevant condition where it is written,
// so an error names the group's row once rather than each question's.
func (f *xlsForm) groupCondition(place, name, src string) string {
	e, err := ParseExpr(src)
	if err != nil {
		f.b.errf(place, "upload.xls.group_condition", name, src, exprProblem(err))
		return ""
	}
	ok := true
	for _, ref := range e.Refs() {
		other := f.b.qn.byID[ref]
		switch {
		case other == nil:
			f.b.errf(place, "upload.xls.group_unknown", name, ref)
			ok = false
		case other.Type == Matrix || other.Type == Note:
			f.b.errf(place, "upload.xls.group_no_value", name, ref, string(other.Type))
			ok = false
		}
	}
	if !ok {
		return ""
	}
	return src
}

func (f *xlsForm) end(place, rawType string, repeat bool) {
	if len(f.stack) == 0 {
		if repeat {
			f.b.errf(place, "upload.xls.end_repeat", rawType)
		} else {
			f.b.errf(place, "upload.xls.end_group")
		}
		return
	}
	top := f.stack[len(f.stack)-1]
	if top.repeat != repeat {
		kind := NewMessage("upload.xls.kind.group")
		if top.repeat {
			kind = NewMessage("upload.xls.kind.repeat")
		}
		f.b.errf(place, "upload.xls.end_mismatch", rawType, kind, top.name, placeText(top.place))
	}
	f.stack = f.stack[:len(f.stack)-1]
}

// section returns the section the next question belongs to, making one
// when the innermost open group changed since the last question.
func (f *xlsForm) section(place string) *Section {
	var owner *xlsFrame
	var labels []string
	for _, fr := range f.stack {
		if fr.repeat {
			continue
		}
		owner = fr
		if fr.label != "" {
			labels = append(labels, fr.label)
		}
	}
	if f.cur != nil && f.curOwner == owner {
		return f.cur
	}
	if owner == nil {
		f.cur = f.b.section("", f.title, "", place)
	} else {
		id := owner.name
		owner.sections++
		if id != "" && owner.sections > 1 {
			id = fmt.Sprintf("%s_%d", id, owner.sections)
		}
		title := strings.Join(labels, " – ")
		if title == "" {
			title = owner.name
		}
		f.cur = f.b.section(id, title, owner.hint, owner.place)
	}
	f.curOwner = owner
	return f.cur
}

func (f *xlsForm) question(s *xlsSheet, r xlsRow, t xlsType, name, label, hint, message string) {
	place := s.place(r.n)
	q := &Question{ID: name, Type: t.typ, Label: label, Help: hint, ConstraintMessage: message, Place: place}
	f.checkText(place, "upload.xls.text.question", label)
	f.checkText(place, "upload.xls.text.hint", hint)
	f.checkText(place, "upload.xls.text.constraint_message", message)
	req, ok := parseXLSBool(s.cell(r, "required"))
	if !ok {
		f.b.errf(place, "upload.xls.required", name, s.cell(r, "required"))
	}
	q.Required = req
	q.Format = strings.TrimSpace(s.cell(r, "format")) // bedarf's own column, see docs/questionnaire.md
	appearance := strings.Fields(strings.ToLower(s.cell(r, "appearance")))
	switch {
	case q.Type == Text && slices.Contains(appearance, "multiline"):
		q.Type = LongText
	case q.Type == SingleChoice && slices.Contains(appearance, "likert"):
		q.Type = Likert
	}
	if q.Type == SingleChoice || q.Type == MultipleChoice || q.Type == Likert {
		list, ok := f.lists[t.list]
		switch {
		case t.list == "":
			f.b.errf(place, "upload.xls.no_list", name, s.cell(r, "type"))
		case !ok && f.choices == nil:
			f.b.errf(place, "upload.xls.list_no_sheet", name, t.list)
		case !ok:
			f.b.errf(place, "upload.xls.list_missing", name, t.list)
		}
		if !ok || t.list == "" {
			// Already reported; a stand-in spares a second message about
			// the empty list. The questionnaire is refused either way.
			list = []Choice{{Value: "_", Label: "_"}}
		}
		q.Choices = slices.Clone(list)
	}
	// A group's condition applies to every question inside it.
	var conds []string
	for _, fr := range f.stack {
		if fr.relevant != "" {
			conds = append(conds, fr.relevant)
		}
	}
	if own := f.expr(s.cell(r, "relevant")); own != "" {
		if _, err := ParseExpr(own); err != nil {
			f.b.errf(place, "upload.def.condition", name, "relevant", own, exprProblem(err))
		} else {
			conds = append(conds, own)
		}
	}
	relevant := ""
	switch len(conds) {
	case 0:
	case 1:
		relevant = conds[0]
	default:
		relevant = "(" + strings.Join(conds, ") and (") + ")"
	}
	f.b.question(f.section(place), q, relevant, f.expr(s.cell(r, "constraint")))
}

// sortXLSErrors orders errors by sheet (survey, choices, settings) and row,
// keeping the order of errors on the same row.
func sortXLSErrors(errs DefErrors) {
	key := func(place string) (int, int) {
		sheet, rest, _ := strings.Cut(place, ", Zeile ")
		rank := map[string]int{"survey": 0, "choices": 1, "settings": 2}
		rk, ok := rank[sheet]
		if !ok {
			if place == "" {
				return 4, 0
			}
			return 3, 0
		}
		n, _ := strconv.Atoi(rest)
		return rk, n
	}
	slices.SortStableFunc(errs, func(a, b DefError) int {
		ar, an := key(a.Place)
		br, bn := key(b.Place)
		return cmp.Or(cmp.Compare(ar, br), cmp.Compare(an, bn))
	})
}

// xlsNamePattern is what XLSForm (XML) allows in a name: letters, digits,
// "_", "-" and ".", not starting with a digit, "-" or ".".
var xlsNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-]*$`)

// safeID returns the id of the row's name: the name itself where it is a
// valid id, else, for an XLSForm name with "-" or ".", the name with "_"
// in their place (and "_2", "_3", … where that is taken), with a note.
// Form fields are "q.ID.item", so no dot may reach an id.
func (f *xlsForm) safeID(s *xlsSheet, r xlsRow) string {
	name := s.cell(r, "name")
	if id, ok := f.ids[name]; ok {
		return id
	}
	if idPattern.MatchString(name) || !xlsNamePattern.MatchString(name) {
		return name // valid, or refused as it is by the builder
	}
	base := strings.NewReplacer("-", "_", ".", "_").Replace(name)
	base = base[:min(len(base), 60)]
	id := base
	for i := 2; f.taken[id]; i++ {
		id = fmt.Sprintf("%s_%d", base, i)
	}
	f.taken[id] = true
	f.ids[name] = id
	f.notes = append(f.notes, NewMessage("upload.xls.renamed", s.name, r.n, name, id))
	return id
}

// smartQuotes are the typographic quotes that spreadsheets put into
// expressions; pyxform reads them as plain quotes.
var smartQuotes = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201b", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`)

// refPattern finds the references ${name} of an expression.
var refPattern = regexp.MustCompile(`\$\{([^}]*)\}`)

// expr prepares an expression of the survey sheet as pyxform reads it:
// typographic quotes become plain ones, and references to renamed names
// (safeID) name their ids.
func (f *xlsForm) expr(src string) string {
	src = smartQuotes.Replace(src)
	if len(f.ids) == 0 {
		return src
	}
	return refPattern.ReplaceAllStringFunc(src, func(ref string) string {
		if id, ok := f.ids[ref[2:len(ref)-1]]; ok {
			return "${" + id + "}"
		}
		return ref
	})
}

// idFromFileName returns the questionnaire id of a form without one: its
// file name without the extension as a code ("Bedarf 2027.xlsx" is
// "Bedarf_2027"), or "" when nothing of it is left.
func idFromFileName(name string) string {
	base := strings.TrimSuffix(name, filepath.Ext(name))
	base = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss").Replace(base)
	var b strings.Builder
	for _, r := range base {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == '_'):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	id := strings.Trim(b.String(), "_.-")
	id = id[:min(len(id), 64)]
	if !codePattern.MatchString(id) {
		return ""
	}
	return id
}

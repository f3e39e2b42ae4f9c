package survey

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Type is the kind of a question.
type Type string

// The question types a questionnaire may use.
const (
	SingleChoice   Type = "single_choice"
	MultipleChoice Type = "multiple_choice"
	Integer        Type = "integer"
	Decimal        Type = "decimal"
	Text           Type = "text"
	LongText       Type = "long_text"
	YesNo          Type = "yes_no"
	Date           Type = "date"
	Likert         Type = "likert"
	Matrix         Type = "matrix"
	ItemNumbers    Type = "item_numbers"
	Note           Type = "note"
)

var knownTypes = []Type{SingleChoice, MultipleChoice, Integer, Decimal, Text, LongText, YesNo, Date, Likert, Matrix, ItemNumbers, Note}

// Label returns the German name of the type, as shown in the codebook.
func (t Type) Label() string { return t.Text().String() }

// Text returns the name of the type as a keyed message (msg.type.*);
// a type bedarf does not know is named as it is written.
func (t Type) Text() *Message {
	if slices.Contains(knownTypes, t) {
		return NewMessage("msg.type." + string(t))
	}
	return NewMessage("msg.type.unknown", string(t))
}

// Numeric reports whether answers to the type are numbers.
func (t Type) Numeric() bool { return t == Integer || t == Decimal || t == ItemNumbers }

// HasItems reports whether the type stores one answer per item (choice,
// matrix row or per-item number) rather than one answer per question.
func (t Type) HasItems() bool { return t == MultipleChoice || t == Matrix || t == ItemNumbers }

// Choice is one option of a choice list, a scale level, a matrix row or an
// item of a per-item question: a stable code and its label.
type Choice struct {
	Value string `yaml:"value"`
	Label string `yaml:"label"`
}

// Question is one question of a questionnaire.
type Question struct {
	ID       string
	Type     Type
	Label    string
	Help     string
	Required bool
	// Min and Max bound numbers (integer, decimal, per-item numbers) and the
	// number of selected options of a multiple choice question.
	Min, Max *float64
	// Unit is shown after number fields, e.g. "Personen" or "VZÄ".
	Unit string
	// Choices are the options of a choice question and the levels of a
	// Likert or matrix scale.
	Choices []Choice
	// Items are the rows of a matrix or the items of a per-item question.
	Items []Choice
	// Relevant is the condition under which the question is shown.
	Relevant *Expr
	// Constraint must hold for an answer to be accepted; "." or ${id} names
	// the question's own value. ConstraintMessage, the questionnaire's text
	// in its own language, is shown when it fails (a general message of
	// the program when the questionnaire has none).
	Constraint        *Expr
	ConstraintMessage string
	// Planning names the role of the question's answer in the planning
	// model, e.g. "supervision_group_persons".
	Planning string
	// MaxLength bounds text answers (characters).
	MaxLength int
	// Personal marks answers that are personal data (a contact person's
	// name, e-mail, phone): shown only to staff, removed by the retention
	// command after a round is closed.
	Personal bool
	// Format is the kind of a text answer: "email" and "tel" are checked
	// as an e-mail address and a phone number; with "name" and
	// "organization-title" it is also the field's input purpose (HTML
	// autocomplete, WCAG 2.1 SC 1.3.5). Empty: any text.
	Format string
	// Section is the id of the section the question belongs to.
	Section string
	// Place names where the question was defined ("file:line", "survey row 7").
	Place string
}

// TextFormats are the values of a text question's format (Question.Format).
var TextFormats = []string{"name", "organization-title", "email", "tel"}

// MaxTextLength bounds max_length: the server refuses any form value that
// is longer (cmd/bedarf parseForm), so no questionnaire may allow more.
const MaxTextLength = 20000

// Section groups questions under a heading.
type Section struct {
	ID          string
	Title       string
	Description string
	Questions   []*Question
}

// Questionnaire is a validated questionnaire definition.
type Questionnaire struct {
	ID       string
	Title    string
	Intro    string
	Sections []*Section
	// Notes say what the import changed or left out without refusing the
	// file (an XLSForm name renamed, device metadata ignored).
	Notes []*Message
	// Lang is the language of the texts (BCP 47, "de" by default): an
	// XLSForm's labels may come from a column of another language.
	Lang string

	questions []*Question
	byID      map[string]*Question
}

// Questions returns all questions in document order.
func (q *Questionnaire) Questions() []*Question { return q.questions }

// Question returns the question with the given id, or nil.
func (q *Questionnaire) Question(id string) *Question { return q.byID[id] }

// HasConditions reports whether a question is shown only under a condition
// (a follow-up question).
func (q *Questionnaire) HasConditions() bool {
	return slices.ContainsFunc(q.questions, func(qq *Question) bool { return qq.Relevant != nil })
}

// ByPlanning returns the question with the given planning role, or nil.
func (q *Questionnaire) ByPlanning(role string) *Question {
	for _, qq := range q.questions {
		if qq.Planning == role {
			return qq
		}
	}
	return nil
}

// ChoiceLabel returns the label of the option code, or the code itself.
func (q *Question) ChoiceLabel(code string) string {
	for _, c := range q.Choices {
		if c.Value == code {
			return c.Label
		}
	}
	return code
}

// ItemLabel returns the label of the item code, or the code itself.
func (q *Question) ItemLabel(code string) string {
	for _, c := range q.Items {
		if c.Value == code {
			return c.Label
		}
	}
	return code
}

// DefError is one problem in a questionnaire definition, with its place
// ("fragebogen.yaml:12" or "survey, Zeile 7").
type DefError struct {
	Place string
	// Msg is the problem in German (MsgText's German text), for the
	// command line and the logs.
	Msg string
	// PlaceText is Place as a message key ("survey, Zeile 7"), nil where
	// Place is data (a file name, "name:line") or empty.
	PlaceText *Message
	// MsgText is the problem as a message key with its arguments, which
	// the pages write in their language.
	MsgText *Message
}

// defText returns the problem t at place.
func defText(place string, t *Message) DefError {
	return DefError{Place: place, Msg: t.String(), MsgText: t}
}

// messageError is an error whose text is a keyed message: a problem that
// the YAML decoder passes on from UnmarshalYAML.
type messageError struct{ text *Message }

func (e *messageError) Error() string { return e.text.String() }

// exprProblem is a condition's error as the diagnostics insert it: its
// keyed message (ExprError.Message; ParseExpr's errors all have one), else
// its German sentence.
func exprProblem(err error) any {
	var pe *ExprError
	if errors.As(err, &pe) {
		return pe.Message()
	}
	return Sentence(err.Error())
}

// placeText returns a place as the diagnostics insert it: keyed where it
// is a sheet's row ("survey, Zeile 7"), else as it is (data: "name:line").
func placeText(place string) any {
	if t := sheetRowPlace(place); t != nil {
		return t
	}
	return place
}

func (e DefError) Error() string {
	if e.Place == "" {
		return e.Msg
	}
	return e.Place + ": " + e.Msg
}

// DefErrors lists every problem found in a definition.
type DefErrors []DefError

func (e DefErrors) Error() string {
	msgs := make([]string, len(e))
	for i, d := range e {
		msgs[i] = d.Error()
	}
	return strings.Join(msgs, "\n")
}

var (
	idPattern   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
	codePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$`)
)

// yaml document shapes; kept private so the public types carry compiled
// conditions and resolved lists only.
type yamlDoc struct {
	ID       string              `yaml:"id"`
	Title    string              `yaml:"title"`
	Intro    string              `yaml:"intro"`
	Lists    map[string][]Choice `yaml:"lists"`
	Sections []yamlSection       `yaml:"sections"`
}

type yamlSection struct {
	ID          string         `yaml:"id"`
	Title       string         `yaml:"title"`
	Description string         `yaml:"description"`
	Questions   []yamlQuestion `yaml:"questions"`
	line        int
}

type yamlQuestion struct {
	ID                string   `yaml:"id"`
	Type              string   `yaml:"type"`
	Label             string   `yaml:"label"`
	Help              string   `yaml:"help"`
	Required          bool     `yaml:"required"`
	Min               *float64 `yaml:"min"`
	Max               *float64 `yaml:"max"`
	Unit              string   `yaml:"unit"`
	Choices           yaml.Node
	Scale             yaml.Node
	Items             []Choice `yaml:"items"`
	Rows              []Choice `yaml:"rows"`
	Relevant          string   `yaml:"relevant"`
	Constraint        string   `yaml:"constraint"`
	ConstraintMessage string   `yaml:"constraint_message"`
	Planning          string   `yaml:"planning"`
	MaxLength         int      `yaml:"max_length"`
	Personal          bool     `yaml:"personal"`
	Format            string   `yaml:"format"`
	line              int
}

var questionKeys = []string{"id", "type", "label", "help", "required", "min", "max", "unit", "choices", "scale", "items", "rows", "relevant", "constraint", "constraint_message", "planning", "max_length", "personal", "format"}

// UnmarshalYAML records the line and refuses unknown keys, so a typo in a
// definition is reported instead of silently ignored.
func (q *yamlQuestion) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &messageError{NewMessage("upload.def.yaml_mapping", n.Line)}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		switch k.Value {
		case "choices":
			q.Choices = *n.Content[i+1]
		case "scale":
			q.Scale = *n.Content[i+1]
		default:
			if !slices.Contains(questionKeys, k.Value) {
				return &messageError{NewMessage("upload.def.yaml_unknown_key", k.Line, k.Value)}
			}
		}
	}
	type plain yamlQuestion
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	p.Choices, p.Scale = q.Choices, q.Scale
	*q = yamlQuestion(p)
	q.line = n.Line
	return nil
}

// UnmarshalYAML records the line of the section.
func (s *yamlSection) UnmarshalYAML(n *yaml.Node) error {
	type plain yamlSection
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*s = yamlSection(p)
	s.line = n.Line
	return nil
}

// ParseYAML reads and validates a questionnaire in the YAML format of
// docs/questionnaire.md. name is used in error places ("name:line").
func ParseYAML(name string, src []byte) (*Questionnaire, error) {
	if len(src) > MaxQuestionnaireBytes {
		return nil, DefErrors{defText(name, TooBig(name, MaxQuestionnaireBytes))}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	var doc yamlDoc
	if err := dec.Decode(&doc); err != nil {
		if errs := yamlProblems(name, err); errs != nil {
			return nil, errs
		}
		var me *messageError
		if errors.As(err, &me) {
			return nil, DefErrors{defText(name, NewMessage("upload.yaml.unreadable", me.text))}
		}
		return nil, DefErrors{defText(name, NewMessage("upload.yaml.unreadable", err.Error()))}
	}
	b := newBuilder(doc.ID, doc.Title, doc.Intro)
	for listName, choices := range doc.Lists {
		b.lists[listName] = choices
	}
	for _, ys := range doc.Sections {
		sec := b.section(ys.ID, ys.Title, ys.Description, fmt.Sprintf("%s:%d", name, ys.line))
		for _, yq := range ys.Questions {
			place := fmt.Sprintf("%s:%d", name, yq.line)
			q := &Question{
				ID: yq.ID, Type: Type(yq.Type), Label: yq.Label, Help: yq.Help, Required: yq.Required,
				Min: yq.Min, Max: yq.Max, Unit: yq.Unit, ConstraintMessage: yq.ConstraintMessage,
				Planning: yq.Planning, MaxLength: yq.MaxLength, Personal: yq.Personal, Format: yq.Format, Place: place,
			}
			q.Choices = b.choiceNode(place, "choices", yq.Choices)
			if scale := b.choiceNode(place, "scale", yq.Scale); scale != nil {
				if q.Choices != nil {
					b.errf(place, "upload.def.choices_scale")
				}
				q.Choices = scale
			}
			q.Items = yq.Items
			if yq.Rows != nil {
				if q.Items != nil {
					b.errf(place, "upload.def.items_rows")
				}
				q.Items = yq.Rows
			}
			b.question(sec, q, yq.Relevant, yq.Constraint)
		}
	}
	return b.finish()
}

// builder collects sections and questions from any source format and
// validates them with errors that name their place.
type builder struct {
	qn    *Questionnaire
	lists map[string][]Choice
	errs  DefErrors
}

func newBuilder(id, title, intro string) *builder {
	return &builder{
		qn:    &Questionnaire{ID: strings.TrimSpace(id), Title: strings.TrimSpace(title), Intro: strings.TrimSpace(intro), Lang: "de", byID: map[string]*Question{}},
		lists: map[string][]Choice{},
	}
}

// errf adds the problem key with its arguments at place.
func (b *builder) errf(place, key string, args ...any) {
	b.errs = append(b.errs, defText(place, NewMessage(key, args...)))
}

// choiceNode resolves a choices/scale value: a list name or an inline list.
func (b *builder) choiceNode(place, key string, n yaml.Node) []Choice {
	switch n.Kind {
	case 0:
		return nil
	case yaml.ScalarNode:
		list, ok := b.lists[n.Value]
		if !ok {
			b.errf(place, "upload.def.list_undefined", key, n.Value)
			return []Choice{}
		}
		return list
	case yaml.SequenceNode:
		var cs []Choice
		if err := n.Decode(&cs); err != nil {
			if errs := yamlProblems(strings.Split(place, ":")[0], err); errs != nil {
				b.errs = append(b.errs, errs...)
			} else {
				b.errf(place, "upload.def.list_unreadable", key, err.Error())
			}
			return []Choice{}
		}
		if cs == nil {
			cs = []Choice{}
		}
		return cs
	}
	b.errf(place, "upload.def.list_expected", key)
	return []Choice{}
}

func (b *builder) section(id, title, desc, place string) *Section {
	s := &Section{ID: strings.TrimSpace(id), Title: strings.TrimSpace(title), Description: strings.TrimSpace(desc)}
	if s.ID == "" {
		s.ID = fmt.Sprintf("abschnitt_%d", len(b.qn.Sections)+1)
	} else if !idPattern.MatchString(s.ID) {
		b.errf(place, "upload.def.section_id", s.ID)
	}
	if s.Title == "" {
		b.errf(place, "upload.def.section_title", s.ID)
	}
	for _, o := range b.qn.Sections {
		if o.ID == s.ID {
			b.errf(place, "upload.def.section_twice", s.ID)
		}
	}
	b.qn.Sections = append(b.qn.Sections, s)
	return s
}

// question validates q and adds it to sec. Conditions may refer only to
// questions defined before q (the form is filled in that order).
func (b *builder) question(sec *Section, q *Question, relevant, constraint string) {
	place := q.Place
	q.Section = sec.ID
	q.Label = strings.TrimSpace(q.Label)
	switch {
	case q.ID == "":
		b.errf(place, "upload.def.no_id")
	case !idPattern.MatchString(q.ID):
		b.errf(place, "upload.def.bad_id", q.ID)
	case b.qn.byID[q.ID] != nil:
		b.errf(place, "upload.def.id_twice", q.ID, placeText(b.qn.byID[q.ID].Place))
	}
	if !slices.Contains(knownTypes, q.Type) {
		b.errf(place, "upload.def.unknown_type", q.ID, string(q.Type), typeNames())
	}
	if q.Label == "" {
		b.errf(place, "upload.def.no_label", q.ID)
	}
	needsChoices := q.Type == SingleChoice || q.Type == MultipleChoice || q.Type == Likert || q.Type == Matrix
	switch {
	case needsChoices && len(q.Choices) == 0:
		b.errf(place, "upload.def.needs_choices", q.ID, string(q.Type))
	case !needsChoices && q.Choices != nil:
		b.errf(place, "upload.def.no_choices", q.ID, string(q.Type))
	}
	needsItems := q.Type == Matrix || q.Type == ItemNumbers
	switch {
	case needsItems && len(q.Items) == 0:
		b.errf(place, "upload.def.needs_items", q.ID, string(q.Type))
	case !needsItems && q.Items != nil:
		b.errf(place, "upload.def.no_items", q.ID, string(q.Type))
	}
	b.checkCodes(place, q.ID, NewMessage("upload.def.what.choice"), q.Choices)
	b.checkCodes(place, q.ID, NewMessage("upload.def.what.item"), q.Items)
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		b.errf(place, "upload.def.min_max", q.ID, *q.Min, *q.Max)
	}
	if (q.Min != nil || q.Max != nil) && !(q.Type.Numeric() || q.Type == MultipleChoice) {
		b.errf(place, "upload.def.min_max_type", q.ID, string(q.Type))
	}
	if q.Type == Note && q.Required {
		b.errf(place, "upload.def.note_required", q.ID)
	}
	if q.Format != "" && !slices.Contains(TextFormats, q.Format) {
		b.errf(place, "upload.def.unknown_format", q.ID, q.Format, strings.Join(TextFormats, ", "))
	} else if q.Format != "" && q.Type != Text {
		b.errf(place, "upload.def.format_text_only", q.ID, string(q.Type))
	}
	if q.MaxLength > MaxTextLength {
		b.errf(place, "upload.def.max_length", q.ID, q.MaxLength, MaxTextLength)
	}
	if q.MaxLength <= 0 {
		q.MaxLength = 500
		if q.Type == LongText {
			q.MaxLength = 10000
		}
	}
	if relevant = strings.TrimSpace(relevant); relevant != "" {
		q.Relevant = b.condition(place, q, "relevant", relevant, false)
	}
	if constraint = strings.TrimSpace(constraint); constraint != "" {
		q.Constraint = b.condition(place, q, "constraint", constraint, true)
	}
	sec.Questions = append(sec.Questions, q)
	b.qn.questions = append(b.qn.questions, q)
	if q.ID != "" && b.qn.byID[q.ID] == nil {
		b.qn.byID[q.ID] = q
	}
}

func (b *builder) checkCodes(place, qid string, what *Message, cs []Choice) {
	seen := map[string]bool{}
	for _, c := range cs {
		if !codePattern.MatchString(c.Value) {
			b.errf(place, "upload.def.bad_code", qid, what, c.Value)
		}
		if seen[c.Value] {
			b.errf(place, "upload.def.code_twice", qid, what, c.Value)
		}
		seen[c.Value] = true
		if strings.TrimSpace(c.Label) == "" {
			b.errf(place, "upload.def.code_no_label", qid, what, c.Value)
		}
	}
}

// condition compiles a relevance condition or constraint. A constraint may
// name the question itself (as "." or ${id}); everything else must be an
// earlier question whose answer is a single value or a selection.
func (b *builder) condition(place string, q *Question, key, src string, self bool) *Expr {
	if self {
		src = selfRef(src, q.ID)
	}
	e, err := ParseExpr(src)
	if err != nil {
		b.errf(place, "upload.def.condition", q.ID, key, src, exprProblem(err))
		return nil
	}
	for _, ref := range e.Refs() {
		if self && ref == q.ID {
			continue
		}
		other := b.qn.byID[ref]
		switch {
		case other == nil && ref == q.ID:
			b.errf(place, "upload.def.refers_self", q.ID, key)
		case other == nil:
			b.errf(place, "upload.def.refers_unknown", q.ID, key, ref)
		case other.Type == Matrix || other.Type == Note:
			b.errf(place, "upload.def.refers_no_value", q.ID, key, ref, string(other.Type))
		}
	}
	return e
}

// selfRef replaces a standalone "." (XLSForm's "this answer") by ${id}.
func selfRef(src, id string) string {
	var out strings.Builder
	inQuote := rune(0)
	rs := []rune(src)
	for i, r := range rs {
		switch {
		case inQuote != 0:
			if r == inQuote {
				inQuote = 0
			}
		case r == '\'' || r == '"':
			inQuote = r
		case r == '.' && !(i+1 < len(rs) && rs[i+1] >= '0' && rs[i+1] <= '9') && !(i > 0 && rs[i-1] >= '0' && rs[i-1] <= '9'):
			out.WriteString("${" + id + "}")
			continue
		}
		out.WriteRune(r)
	}
	return out.String()
}

func typeNames() string {
	names := make([]string, len(knownTypes))
	for i, t := range knownTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func (b *builder) finish() (*Questionnaire, error) {
	if b.qn.Title == "" {
		b.errf("", "upload.def.no_title")
	}
	if len(b.qn.questions) == 0 {
		b.errf("", "upload.def.no_questions")
	}
	if n := len(b.qn.questions); n > MaxQuestions {
		b.errs = append(b.errs, defText("", NewMessage("upload.def.too_many_questions", n, MaxQuestions)))
	} else if n := b.qn.FormBytes(); n > MaxFormBytes {
		b.errs = append(b.errs, defText("", NewMessage("upload.def.form_too_big", (n+1<<20-1)>>20, MaxFormBytes>>20)))
	}
	if len(b.errs) > 0 {
		return nil, b.errs
	}
	return b.qn, nil
}

// FileFormat tells the format of a questionnaire file by its content and
// name: "xlsform" for an Excel workbook (.xlsx, a zip archive), "yaml"
// otherwise. A spreadsheet in a format bedarf does not read (Excel's old
// .xls, LibreOffice's .ods) is refused with DefErrors saying to save it as
// .xlsx.
func FileFormat(name string, src []byte) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(src, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) || ext == ".xls":
		return "", DefErrors{defText(name, NewMessage("upload.xls.old_format", name))}
	case ext == ".ods" || bytes.Contains(src[:min(len(src), 200)], []byte("application/vnd.oasis.opendocument")):
		return "", DefErrors{defText(name, NewMessage("upload.xls.ods", name))}
	case bytes.HasPrefix(src, []byte("PK\x03\x04")) || ext == ".xlsx":
		return "xlsform", nil
	}
	return "yaml", nil
}

// The YAML decoder's errors name Go types ("cannot unmarshal !!seq into
// survey.Choice") and are English; yamlProblems says the same in words of
// the format, as keyed messages with the file's name and line.
var (
	yamlTypeErrRE   = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+)(?: `([^`]*)`)? into (.+)$")
	yamlFieldErrRE  = regexp.MustCompile(`^line (\d+): field (.+) not found in type .+$`)
	yamlSyntaxErrRE = regexp.MustCompile(`^yaml: line (\d+): (.+)$`)
)

// yamlKinds name the YAML node kinds in the messages.
var yamlKinds = map[string]string{"seq": "upload.yaml.kind.list", "map": "upload.yaml.kind.map", "str": "upload.yaml.kind.text",
	"int": "upload.yaml.kind.number", "float": "upload.yaml.kind.number", "bool": "upload.yaml.kind.bool", "null": "upload.yaml.kind.null"}

// yamlWants name the Go types of the document as what the format expects.
var yamlWants = map[string]string{
	"survey.Choice": "upload.yaml.want.choice", "[]survey.Choice": "upload.yaml.want.choices",
	"string": "upload.yaml.kind.text", "bool": "upload.yaml.kind.bool", "float64": "upload.yaml.kind.number", "*float64": "upload.yaml.kind.number",
	"int": "upload.yaml.want.integer", "survey.yamlQuestion": "upload.yaml.want.question", "[]survey.yamlQuestion": "upload.yaml.want.questions",
	"survey.yamlSection": "upload.yaml.want.section", "[]survey.yamlSection": "upload.yaml.want.sections",
	"map[string][]survey.Choice": "upload.yaml.want.lists", "survey.yamlDoc": "upload.yaml.kind.map",
}

// yamlSyntax are the parser's usual complaints in words people use.
var yamlSyntax = map[string]string{
	"mapping values are not allowed in this context":  "upload.yaml.syntax.mapping",
	"did not find expected key":                       "upload.yaml.syntax.key",
	"found character that cannot start any token":     "upload.yaml.syntax.token",
	"found unexpected end of stream":                  "upload.yaml.syntax.end",
	"did not find expected '-' indicator":             "upload.yaml.syntax.key",
	"could not find expected ':'":                     "upload.yaml.syntax.colon",
	"found a tab character that violates indentation": "upload.yaml.syntax.token",
}

// yamlProblems returns the decoder's error as problems, or nil for an
// error of its own (a problem found by UnmarshalYAML, already in German).
func yamlProblems(name string, err error) DefErrors {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var out DefErrors
		for _, e := range te.Errors {
			line, m := "", (*Message)(nil)
			if g := yamlTypeErrRE.FindStringSubmatch(e); g != nil {
				want := NewMessage(cmp.Or(yamlWants[g[4]], "upload.yaml.want.unknown"))
				got := NewMessage(cmp.Or(yamlKinds[g[2]], "upload.yaml.kind.unknown"))
				line, m = g[1], NewMessage("upload.yaml.type", want, got)
				if g[3] != "" {
					m = NewMessage("upload.yaml.type_value", want, got, g[3])
				}
			} else if g := yamlFieldErrRE.FindStringSubmatch(e); g != nil {
				line, m = g[1], NewMessage("upload.yaml.unknown_key", g[2])
			} else {
				m = NewMessage("upload.yaml.unreadable", e)
			}
			out = append(out, defText(yamlPlace(name, line), m))
		}
		return out
	}
	if g := yamlSyntaxErrRE.FindStringSubmatch(err.Error()); g != nil {
		m := NewMessage("upload.yaml.syntax", g[2])
		if key, ok := yamlSyntax[g[2]]; ok {
			m = NewMessage(key)
		}
		return DefErrors{defText(yamlPlace(name, g[1]), m)}
	}
	return nil
}

// yamlPlace is the place name:line (name alone without a line).
func yamlPlace(name, line string) string {
	if line == "" {
		return name
	}
	return name + ":" + line
}

package survey

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Key addresses one stored answer: a question and, for types with items
// (multiple choice, matrix, per-item numbers), the item's code.
type Key struct {
	Question string
	Item     string
}

// Field returns the form field name of the key: "q.ID" or "q.ID.ITEM".
func (k Key) Field() string {
	if k.Item == "" {
		return "q." + k.Question
	}
	return "q." + k.Question + "." + k.Item
}

// Value is one answer as typed and, when valid, as a typed value.
type Value struct {
	// Raw is the text as the person typed it (for choices: the code).
	Raw string
	// Num is the number for numeric types (and 1 for a selected option).
	Num    float64
	HasNum bool
	// Text is the canonical text: a choice code, the text, an ISO date.
	Text string
	// Err is the message for invalid input (nil when valid); the raw text
	// is kept.
	Err *Message
}

// Valid reports whether the value passed validation.
func (v Value) Valid() bool { return v.Err == nil }

// Answers holds the answers of one response.
type Answers map[Key]Value

// Mode says how strictly answers are checked.
type Mode int

// Draft saves everything valid and keeps invalid input with its message;
// Submit additionally requires every required visible question.
const (
	Draft Mode = iota
	Submit
)

// Result is the outcome of checking a set of answers.
type Result struct {
	// Answers holds every non-empty answer to a visible question, valid or not.
	Answers Answers
	// Errors maps a form field (Key) to its message. It includes invalid
	// values and, in Submit mode, missing required answers.
	Errors map[Key]*Message
	// Hidden lists the questions whose condition is false.
	Hidden map[string]bool
}

// OK reports whether there is no error.
func (r Result) OK() bool { return len(r.Errors) == 0 }

// Lookup returns the valid answer to question id in the form conditions
// expect: one canonical string, the selected codes, or nil.
func (a Answers) Lookup(q *Questionnaire, id string) []string {
	qq := q.Question(id)
	if qq == nil {
		return nil
	}
	switch qq.Type {
	case MultipleChoice:
		var codes []string
		for _, c := range qq.Choices {
			if v, ok := a[Key{id, c.Value}]; ok && v.Valid() {
				codes = append(codes, c.Value)
			}
		}
		return codes
	case ItemNumbers:
		sum, any := 0.0, false
		for _, it := range qq.Items {
			if v, ok := a[Key{id, it.Value}]; ok && v.Valid() && v.HasNum {
				sum += v.Num
				any = true
			}
		}
		if !any {
			return nil
		}
		return []string{FormatNumber(sum)}
	}
	v, ok := a[Key{id, ""}]
	if !ok || !v.Valid() {
		return nil
	}
	if qq.Type.Numeric() {
		return []string{FormatNumber(v.Num)}
	}
	return []string{v.Text}
}

// Check parses form values (field name → values, as a browser sends them)
// against the questionnaire. Answers to hidden questions are dropped, not
// checked. Unknown fields are ignored.
func (q *Questionnaire) Check(form map[string][]string, mode Mode) Result {
	res := Result{Answers: Answers{}, Errors: map[Key]*Message{}, Hidden: map[string]bool{}}
	for _, qq := range q.questions {
		if qq.Relevant != nil && !qq.Relevant.Eval(func(id string) []string {
			if res.Hidden[id] {
				return nil
			}
			return res.Answers.Lookup(q, id)
		}) {
			res.Hidden[qq.ID] = true
			continue
		}
		qq.parseInto(form, res.Answers)
		qq.validate(q, res.Answers, res.Errors, mode)
	}
	return res
}

// ReCheck validates stored answers again (for example after loading a draft)
// as Check would, keeping raw text as typed.
func (q *Questionnaire) ReCheck(stored Answers, mode Mode) Result {
	return q.Check(q.FormValues(stored), mode)
}

// FormValues turns stored answers back into form values (field name →
// values), as the browser would send them.
func (q *Questionnaire) FormValues(a Answers) map[string][]string {
	form := map[string][]string{}
	for k, v := range a {
		qq := q.Question(k.Question)
		if qq == nil {
			continue
		}
		if qq.Type == MultipleChoice {
			f := Key{k.Question, ""}.Field()
			form[f] = append(form[f], k.Item)
			continue
		}
		form[k.Field()] = []string{v.Raw}
	}
	for _, vs := range form {
		slices.Sort(vs)
	}
	return form
}

func first(form map[string][]string, field string) string {
	vs := form[field]
	if len(vs) == 0 {
		return ""
	}
	return strings.TrimSpace(vs[0])
}

// parseInto reads the question's fields from the form into a.
func (qq *Question) parseInto(form map[string][]string, a Answers) {
	switch qq.Type {
	case Note:
		return
	case MultipleChoice:
		seen := map[string]bool{}
		for _, code := range form[Key{qq.ID, ""}.Field()] {
			code = strings.TrimSpace(code)
			if code == "" || seen[code] {
				continue
			}
			seen[code] = true
			v := Value{Raw: code, Text: code, Num: 1, HasNum: true}
			switch {
			case !utf8.ValidString(code):
				code = strings.ToValidUTF8(code, "\uFFFD")
				v = Value{Raw: code, Err: NewMessage("msg.answer.bad_chars")}
			case !hasChoice(qq.Choices, code):
				v = Value{Raw: code, Err: NewMessage("msg.answer.no_choice")}
			}
			a[Key{qq.ID, code}] = v
		}
	case Matrix, ItemNumbers:
		for _, it := range qq.Items {
			k := Key{qq.ID, it.Value}
			if raw := first(form, k.Field()); raw != "" {
				a[k] = qq.parseOne(raw)
			}
		}
	default:
		k := Key{qq.ID, ""}
		if raw := first(form, k.Field()); raw != "" {
			a[k] = qq.parseOne(raw)
		}
	}
}

func hasChoice(cs []Choice, code string) bool {
	for _, c := range cs {
		if c.Value == code {
			return true
		}
	}
	return false
}

// parseOne parses a single non-empty raw value of the question.
func (qq *Question) parseOne(raw string) Value {
	v := Value{Raw: raw}
	if !utf8.ValidString(raw) {
		v.Raw = strings.ToValidUTF8(raw, "\uFFFD")
		v.Err = NewMessage("msg.answer.bad_chars")
		return v
	}
	switch qq.Type {
	case Integer, Decimal, ItemNumbers:
		n, err := ParseNumber(raw)
		switch {
		case err != nil && qq.Type != Decimal:
			v.Err = NewMessage("msg.answer.whole_number")
		case err != nil:
			v.Err = NewMessage("msg.answer.number")
		case qq.Type != Decimal && n != math.Trunc(n):
			v.Err = NewMessage("msg.answer.integer")
		case qq.Min != nil && n < *qq.Min:
			v.Err = NewMessage("msg.answer.min", FormatNumberDE(*qq.Min))
		case qq.Max != nil && n > *qq.Max:
			v.Err = NewMessage("msg.answer.max", FormatNumberDE(*qq.Max))
		default:
			v.Num, v.HasNum, v.Text = n, true, FormatNumber(n)
		}
	case SingleChoice, Likert, Matrix:
		if hasChoice(qq.Choices, raw) {
			v.Text = raw
		} else {
			v.Err = NewMessage("msg.answer.no_choice")
		}
	case YesNo:
		switch strings.ToLower(raw) {
		case "ja", "yes", "1", "true":
			v.Text, v.Num, v.HasNum = "ja", 1, true
		case "nein", "no", "0", "false":
			v.Text, v.Num, v.HasNum = "nein", 0, true
		default:
			v.Err = NewMessage("msg.answer.yes_no")
		}
	case Date:
		d, err := ParseDate(raw)
		if err != nil {
			v.Err = NewMessage("msg.answer.date")
		} else {
			v.Text = d.Format(time.DateOnly)
		}
	case Text, LongText:
		if n := utf8.RuneCountInString(raw); n > qq.MaxLength {
			v.Err = NewMessage("msg.answer.max_length", qq.MaxLength, n)
		} else if msg := checkFormat(qq.Format, raw); msg != nil {
			v.Err = msg
		} else {
			v.Text = raw
		}
	}
	return v
}

// validate adds messages for invalid values, the constraint, the bounds on
// the number of selected options and (in Submit mode) missing answers.
func (qq *Question) validate(q *Questionnaire, a Answers, errs map[Key]*Message, mode Mode) {
	if qq.Type == Note {
		return
	}
	answered, invalid := false, false
	selected := 0
	for _, k := range qq.keys(a) {
		v := a[k]
		answered = true
		if v.Err != nil {
			errs[k] = v.Err
			invalid = true
			continue
		}
		if qq.Type == MultipleChoice {
			selected++
		}
	}
	head := Key{qq.ID, ""}
	if qq.Type == MultipleChoice && selected > 0 {
		switch {
		case qq.Min != nil && float64(selected) < *qq.Min:
			errs[head] = NewMessage("msg.answer.min_options", FormatNumberDE(*qq.Min))
		case qq.Max != nil && float64(selected) > *qq.Max:
			errs[head] = NewMessage("msg.answer.max_options", FormatNumberDE(*qq.Max))
		}
	}
	if qq.Constraint != nil && answered && !invalid {
		if !qq.Constraint.Eval(func(id string) []string { return a.Lookup(q, id) }) {
			errs[head] = qq.constraintMessage()
		}
	}
	if mode == Submit && qq.Required {
		switch {
		case !answered:
			errs[head] = NewMessage("msg.answer.required")
		case qq.Type == Matrix:
			for _, it := range qq.Items {
				if _, ok := a[Key{qq.ID, it.Value}]; !ok {
					errs[Key{qq.ID, it.Value}] = NewMessage("msg.answer.matrix_row")
				}
			}
		}
	}
}

// constraintMessage is the message for a failed constraint: the
// questionnaire's own text, kept as it is (data in the questionnaire's
// language), or the program's message when it has none.
func (qq *Question) constraintMessage() *Message {
	if qq.ConstraintMessage == "" {
		return NewMessage("msg.answer.constraint")
	}
	return NewMessage("msg.answer.constraint_text", qq.ConstraintMessage)
}

// keys returns the keys of the question present in a, in definition order.
func (qq *Question) keys(a Answers) []Key {
	var ks []Key
	switch qq.Type {
	case MultipleChoice:
		for _, c := range qq.Choices {
			if _, ok := a[Key{qq.ID, c.Value}]; ok {
				ks = append(ks, Key{qq.ID, c.Value})
			}
		}
		var unknown []Key
		for k := range a {
			if k.Question == qq.ID && !hasChoice(qq.Choices, k.Item) {
				unknown = append(unknown, k)
			}
		}
		slices.SortFunc(unknown, func(x, y Key) int { return strings.Compare(x.Item, y.Item) })
		ks = append(ks, unknown...)
	case Matrix, ItemNumbers:
		for _, it := range qq.Items {
			if _, ok := a[Key{qq.ID, it.Value}]; ok {
				ks = append(ks, Key{qq.ID, it.Value})
			}
		}
	default:
		if _, ok := a[Key{qq.ID, ""}]; ok {
			ks = append(ks, Key{qq.ID, ""})
		}
	}
	return ks
}

// maxNumber bounds accepted numbers: beyond 15 digits spreadsheets and
// float64 lose exactness, and no answer here is that large.
const maxNumber = 1e15

// ErrNumber reports text that is not a number.
var ErrNumber = errors.New("not a number")

// ParseNumber reads a number written the German way or the plain way:
// "1,5" and "1.5" are 1.5; "1.200" and "1 200" are 1200; "1.200,5" is
// 1200.5; a leading sign is allowed. Exponents, NaN, infinities and numbers
// of 10^15 and more are not.
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, " \u00a0\u202f'") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' {
				return -1 // spaces and apostrophes group digits
			}
			return r
		}, s)
	}
	if s == "" || len(s) > 40 {
		return 0, ErrNumber
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" {
		return 0, ErrNumber
	}
	for _, r := range body {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return 0, ErrNumber
		}
	}
	dots, commas := strings.Count(body, "."), strings.Count(body, ",")
	switch {
	case commas > 1:
		return 0, ErrNumber
	case commas == 1:
		// German: dots group thousands, the comma is the decimal separator.
		intPart := body[:strings.IndexByte(body, ',')]
		if dots > 0 && !thousandsGrouped(intPart) {
			return 0, ErrNumber
		}
		body = strings.ReplaceAll(intPart, ".", "") + "." + body[strings.IndexByte(body, ',')+1:]
	case dots > 1:
		if !thousandsGrouped(body) {
			return 0, ErrNumber
		}
		body = strings.ReplaceAll(body, ".", "")
	case dots == 1:
		// "1.200" groups thousands; "1.5" and "0.250" are decimals.
		i := strings.IndexByte(body, '.')
		if len(body)-i-1 == 3 && i > 0 && body[0] != '0' {
			body = body[:i] + body[i+1:]
		}
	}
	if strings.HasPrefix(body, ".") || strings.HasSuffix(body, ".") {
		return 0, ErrNumber
	}
	f, err := strconv.ParseFloat(body, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f >= maxNumber {
		return 0, ErrNumber
	}
	if strings.HasPrefix(s, "-") {
		f = -f
	}
	return f, nil
}

// thousandsGrouped reports whether s is digits in groups of three after the
// first group, separated by dots ("1.234.567").
func thousandsGrouped(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

// FormatNumber writes a number canonically, as conditions and storage use
// it: "1.5", "1200".
func FormatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// FormatNumberDE writes a number the German way for people: "1,5", "1.200".
func FormatNumberDE(f float64) string {
	if f == 0 {
		f = 0 // no "-0"
	}
	return GermanDigits(strconv.FormatFloat(f, 'f', -1, 64))
}

// GermanDigits rewrites a plain decimal as Go writes it ("-1234.5") with
// German separators: a dot between thousands and a decimal comma
// ("-1.234,5"). It is the one place that groups digits the German way;
// every German number formatter goes through it.
func GermanDigits(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// FormatInputDE writes a number for an input field: decimal comma, no
// thousands separator, so it reads naturally and parses back unchanged.
func FormatInputDE(f float64) string {
	return strings.Replace(FormatNumber(f), ".", ",", 1)
}

// ParseDate reads "2026-12-31" (as date inputs send it) or "31.12.2026".
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, "02.01.2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a date")
}

// FormatFixedDE writes a number the German way with a fixed number of
// decimals: FormatFixedDE(2700, 2) is "2.700,00".
func FormatFixedDE(f float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(f), 'f', decimals, 64)
	if n, err := strconv.ParseFloat(s, 64); err == nil && n != 0 && f < 0 {
		s = "-" + s // no "-0,00"
	}
	return GermanDigits(s)
}

var (
	emailRE = regexp.MustCompile(`^[^@\s<>(),;:"\[\]]+@[^@\s<>(),;:"\[\]]+\.[^@\s<>(),;:"\[\]]+$`)
	telRE   = regexp.MustCompile(`^\+?[0-9 ()/.\-]+$`)
)

// checkFormat returns the message for a text answer that does not fit its
// question's format (Question.Format), or "".
func checkFormat(format, raw string) *Message {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	switch format {
	case "email":
		if !emailRE.MatchString(raw) {
			return NewMessage("msg.answer.email")
		}
	case "tel":
		digits := 0
		for _, r := range raw {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if !telRE.MatchString(raw) || digits < 5 || digits > 20 {
			return NewMessage("msg.answer.tel")
		}
	}
	return nil
}

package survey

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of staff's message to the participants of a date.
const (
	MaxOfferMessageSubject = 150
	MaxOfferMessageText    = 5000
)

// OfferMessage is staff's message to the participants of a date (issue
// 20, item 5): a subject and a plain text, sent as one mail per
// participant (OfferMailMessage). Both are text, never markup or a
// template: the mail writes them escaped (HTML part) and as they are (text
// part), and nothing puts them into a workbook or a CSV file, so a text
// that looks like a formula stays a text.
type OfferMessage struct {
	Subject, Text string
	// Waiting includes the participants on the date's waiting list.
	Waiting bool
}

// Normalize returns the message with the subject on one line, the text
// with Unix line ends and without spaces at its ends, and the direction
// controls of both neutralised (SafeText).
func (m OfferMessage) Normalize() OfferMessage {
	m.Subject = strings.Join(strings.Fields(SafeText(m.Subject)), " ")
	text := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(SafeText(text), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	m.Text = strings.Trim(strings.Join(lines, "\n"), "\n")
	return m
}

// Check refuses a message that cannot be sent, at its field ("betreff",
// "text"): empty, too long, not UTF-8, or with control characters other
// than line ends and tabs. Call it on the normalized message.
func (m OfferMessage) Check() error {
	for _, f := range []struct {
		field, v string
		max      int
	}{{"betreff", m.Subject, MaxOfferMessageSubject}, {"text", m.Text, MaxOfferMessageText}} {
		switch n := utf8.RuneCountInString(f.v); {
		case !utf8.ValidString(f.v) || strings.ContainsFunc(f.v, func(r rune) bool {
			return r == utf8.RuneError || (unicode.IsControl(r) && r != '\n' && r != '\t')
		}):
			return NewError(EInvalid, "msg.offermessage.bad_chars").At(f.field)
		case strings.TrimSpace(f.v) == "":
			return NewError(EInvalid, "msg.offermessage.empty_"+f.field).At(f.field)
		case n > f.max:
			return NewError(EInvalid, "msg.offermessage.long_"+f.field, n, f.max).At(f.field)
		}
	}
	return nil
}

// paragraphs are the message's text as paragraphs (split at blank lines,
// lines kept).
func (m OfferMessage) paragraphs(w offerWriter) []para {
	var out []para
	for _, block := range strings.Split(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n\n") {
		var lines []string
		for _, l := range strings.Split(block, "\n") {
			l = strings.TrimRightFunc(SafeText(l), unicode.IsSpace)
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			out = append(out, w.p(lines...))
		}
	}
	return out
}

package survey

import (
	"crypto/rand"
	"embed"
	"fmt"
	"strings"
	"time"
)

// Anonymous feedback on training dates (issue 20, item 6): staff issue a
// date's single-use codes once, after the date; each participant gets one
// on a slip, and answers the feedback form with it. See
// docs/ARCHITECTURE.md, "Anonymous feedback", for why no stored row links
// an answer to a person.

//go:embed defaults/feedback.de.yaml defaults/feedback.en.yaml
var feedbackForms embed.FS

// FeedbackFormYAML returns the source of the default feedback form in the
// language lang ("de" or "en"; any other gets German). Both have the same
// question ids and answer codes.
func FeedbackFormYAML(lang string) []byte {
	if lang != "en" {
		lang = "de"
	}
	b, err := feedbackForms.ReadFile("defaults/feedback." + lang + ".yaml")
	if err != nil {
		panic(fmt.Sprintf("embedded feedback form missing: %v", err))
	}
	return b
}

// FeedbackForm parses the default feedback form in the language lang.
func FeedbackForm(lang string) (*Questionnaire, error) {
	if lang != "en" {
		lang = "de"
	}
	qn, err := ParseYAML("feedback."+lang+".yaml", FeedbackFormYAML(lang))
	if err != nil {
		return nil, fmt.Errorf("feedback form %s: %w", lang, err)
	}
	return qn, nil
}

// FeedbackMinAnswers is the fewest answers whose evaluation is shown: fewer
// could point to a person in a small course.
const FeedbackMinAnswers = 5

// MaxFeedbackCodes bounds the codes issued for one date.
const MaxFeedbackCodes = 500

// feedbackAlphabet is Crockford's base 32: no I, L, O, U, so a code read
// from paper is typed without confusion.
const feedbackAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// feedbackCodeLen is the number of symbols of a code: 60 random bits.
const feedbackCodeLen = 12

// NewFeedbackCode returns a new random feedback code with 60 bits of
// entropy, written in three groups: "7KQ2-MX9D-4TRB".
func NewFeedbackCode() string {
	var raw [feedbackCodeLen]byte
	rand.Read(raw[:]) // never fails (crypto/rand)
	var b strings.Builder
	for i, c := range raw {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(feedbackAlphabet[c&31])
	}
	return b.String()
}

// NormalizeFeedbackCode reads a code as a person typed it: case, spaces and
// dashes do not matter, O is read as 0 and I and L as 1. It reports false
// for anything that cannot be a code.
func NormalizeFeedbackCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(feedbackAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != feedbackCodeLen {
		return "", false
	}
	return b.String(), true
}

// FeedbackAnswer is one anonymous feedback: the date and module it is
// about and the answers by question id. Nothing in it names a person, and
// it has no time.
type FeedbackAnswer struct {
	DateID   int64
	ModuleID string
	Values   map[string]string
}

// FeedbackDate is a training date as the feedback's evaluation sees it.
type FeedbackDate struct {
	ID       int64
	ModuleID string
	Title    string
	Day      string // ISO date of the start, Europe/Berlin
	// Codes is the number of codes issued (0: none yet).
	Codes int
}

// Date returns Day as a time (midnight UTC; the zero time when Day is not
// an ISO date), for pages that write days in their language.
func (d FeedbackDate) Date() time.Time {
	t, _ := time.Parse(time.DateOnly, d.Day)
	return t
}

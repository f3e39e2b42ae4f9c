package survey

import (
	"fmt"
	"maps"
)

// Message is a message for people as a catalogue key and its arguments, the
// shape every new diagnostic takes (the older ones are German sentences
// that the pages translate back by pattern; see cmd/bedarf/i18n/domain.go).
// The domain keeps the German text of each key (germanTexts) for the
// command line, the workbook and the logs; the web's catalogue
// (cmd/bedarf/i18n) holds the same keys in German and English, and a test
// there checks that both agree key by key. Arguments are data (file names,
// ids, numbers, lines) inserted as they are; an argument that is itself a
// *Message is written in the same language as the message.
type Message struct {
	Key  string
	Args []any
}

// NewMessage returns the message key with its arguments.
func NewMessage(key string, args ...any) *Message { return &Message{Key: key, Args: args} }

// String returns the message in German.
func (t *Message) String() string {
	if t == nil {
		return ""
	}
	return t.In(func(key string) string { return germanTexts[key] })
}

// In writes the message with the formats that format returns for a key,
// inserting arguments that are Messages in turn.
func (t *Message) In(format func(key string) string) string {
	f := format(t.Key)
	if f == "" {
		f = germanTexts[t.Key]
	}
	if f == "" {
		return t.Key
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		if sub, ok := a.(*Message); ok {
			args[i] = sub.In(format)
			continue
		}
		args[i] = a
	}
	return fmt.Sprintf(f, args...)
}

// GermanTexts returns the German text of every message key.
func GermanTexts() map[string]string { return maps.Clone(germanTexts) }

// germanTexts holds the German text of every key a Message may have, by area.
var germanTexts = map[string]string{
	// Places in uploaded files: a sheet and its row.
	"upload.place.sheet_row": "%s, Zeile %d",

	// Questionnaire files.
	"upload.xlsx.unzipped":     "Datei ist entpackt größer als %d MB",
	"upload.xlsx.corrupt_part": "Datei nicht lesbar: Teil %s der Arbeitsmappe ist beschädigt (Größe oder Prüfsumme stimmt nicht)",
}

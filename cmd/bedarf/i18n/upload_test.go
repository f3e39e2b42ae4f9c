package i18n

import (
	"strings"
	"testing"

	"bedarf/survey"
)

// TestUploadMessages checks that every keyed message of the domain
// (survey.Message) is in the catalogue with the domain's German text, and
// that the catalogue's "upload." keys are all the domain's.
func TestUploadMessages(t *testing.T) {
	german := survey.GermanTexts()
	if len(german) == 0 {
		t.Fatal("the domain has no keyed messages")
	}
	for key, de := range german {
		e, ok := entries[key]
		switch {
		case !ok:
			t.Errorf("%s: not in the catalogue (German: %q)", key, de)
		case e.de != de:
			t.Errorf("%s: catalogue German %q, domain %q", key, e.de, de)
		}
	}
	for key := range entries {
		if _, ok := german[key]; strings.HasPrefix(key, "upload.") && !ok {
			t.Errorf("%s: in the catalogue, but the domain has no such message", key)
		}
	}
}

package survey

import "testing"

// TestStatusTexts: a round's status or a mail's kind inserted into a keyed message reads as
// its label in German, so the command line's sentences stay as they were.
func TestStatusTexts(t *testing.T) {
	for _, s := range []RoundStatus{RoundPlanned, RoundOpen, RoundClosed} {
		if got := s.Text().String(); got != s.Label() {
			t.Errorf("%s: Text %q, Label %q", s, got, s.Label())
		}
	}
	for _, k := range []MailKind{MailInvitation, MailReminder} {
		if got := k.Text().String(); got != k.Label() {
			t.Errorf("%s: Text %q, Label %q", k, got, k.Label())
		}
	}
}

// TestErrorText: a keyed error's German message is its key's text with the
// arguments inserted, nested messages in German too.
func TestErrorText(t *testing.T) {
	e := NewError(EConflict, "msg.round.already", RoundClosed.Text())
	if e.Error() != "Die Runde ist bereits geschlossen." || e.Code != EConflict || e.Text.Key != "msg.round.already" {
		t.Errorf("NewError: %+v", e)
	}
	if ErrorCode(e) != EConflict {
		t.Errorf("ErrorCode = %q", ErrorCode(e))
	}
}

// TestTypeTexts: every question type has a keyed name whose German is its
// Label (the codebook's word); a type bedarf does not know is named as it is
// written.
func TestTypeTexts(t *testing.T) {
	for _, typ := range knownTypes {
		m := typ.Text()
		if _, ok := germanTexts[m.Key]; !ok || len(m.Args) != 0 {
			t.Errorf("%s: key %s %v has no German text", typ, m.Key, m.Args)
		}
		if got := typ.Label(); got != m.String() || got == string(typ) {
			t.Errorf("%s: Label %q, Text %q", typ, got, m)
		}
	}
	if got := Type("slider").Label(); got != "slider" {
		t.Errorf("unknown type: Label %q", got)
	}
}

package i18n

import (
	"testing"

	"bedarf/analysis"
	"bedarf/survey"
)

// TestParamSpecKeys: every catalogue key a planning parameter names (its
// label, unit and help on the scenario form, its validation messages) has
// a German and an English message, so that no parameter is shown as a bare
// key.
func TestParamSpecKeys(t *testing.T) {
	for _, spec := range analysis.ParamSpecs() {
		if spec.Label == "" {
			t.Errorf("%s: no label key", spec.Name)
		}
		// The keys of its validation messages (see Params.Validate): a
		// whole number's message takes the two bounds, a decimal's subject
		// none and its bound with the unit the bound.
		switch spec.Kind {
		case analysis.ParamInt:
			wantKey(t, spec.Name, spec.Message, 2)
		case analysis.ParamFloat:
			wantKey(t, spec.Name, spec.Subject, 0)
			if spec.BoundUnit != "" {
				wantKey(t, spec.Name, spec.BoundUnit, 1)
			}
		}
		for _, key := range []string{spec.Label, spec.Unit, spec.Help} {
			if key == "" {
				continue
			}
			for _, l := range []Lang{DE, EN} {
				if msg, ok := Raw(l, key); !ok || msg == "" {
					t.Errorf("%s: key %q has no %s message", spec.Name, key, l)
				}
			}
		}
	}
}

// wantKey checks that key is a keyed message of the domain taking n
// arguments, in German and English.
func wantKey(t *testing.T, name, key string, n int) {
	t.Helper()
	de, ok := survey.GermanTexts()[key]
	switch {
	case key == "":
		t.Errorf("%s: a validation message has no key", name)
	case !ok:
		t.Errorf("%s: the domain has no German text for %q", name, key)
	case argCount(de) != n:
		t.Errorf("%s: %s takes %d arguments (%q), want %d", name, key, argCount(de), de, n)
	}
	if en, ok := Raw(EN, key); key != "" && (!ok || en == "") {
		t.Errorf("%s: key %q has no English message", name, key)
	}
}

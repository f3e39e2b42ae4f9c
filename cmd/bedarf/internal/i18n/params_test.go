package i18n

import (
	"testing"

	"bedarf/analysis"
)

// TestParamSpecKeys: every catalogue key a planning parameter names (its
// label, unit and help on the scenario form) has a German and an English
// message, so that no parameter is shown as a bare key.
func TestParamSpecKeys(t *testing.T) {
	for _, spec := range analysis.ParamSpecs() {
		if spec.Label == "" {
			t.Errorf("%s: no label key", spec.Name)
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

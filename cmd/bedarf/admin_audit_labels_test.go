package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bedarf/cmd/bedarf/i18n"
	"bedarf/survey/store"
)

// TestAuditActionsLabelled: every action the store writes into the audit
// log has a name on the audit page, in both locales, instead of its code.
func TestAuditActionsLabelled(t *testing.T) {
	literal := regexp.MustCompile(`audit\(ctx, tx, [^,]+, "([a-z_.]+)"|requeue\(ctx, [^"]+"([a-z_.]+)"`)
	files, err := filepath.Glob(filepath.Join("..", "..", "survey", "store", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			a := m[1] + m[2]
			if a != "mail." { // "mail." + the final status, below
				actions[a] = true
			}
		}
	}
	if len(actions) < 25 {
		t.Fatalf("only %d audit actions found: has the scan stopped working?", len(actions))
	}
	// Actions made of a prefix and a value.
	for _, st := range []store.MailStatus{store.MailSent, store.MailFailed} {
		actions["mail."+string(st)] = true
	}
	for _, a := range []string{"round.open", "round.close", "user.disable", "user.enable", "response.save", "response.submit", "login", "login.failed"} {
		actions[a] = true
	}
	for a := range actions {
		for _, l := range []i18n.Lang{i18n.DE, i18n.EN} {
			if got := actionLabel(l, a); got == a {
				t.Errorf("audit action %q has no name on the audit page (%s)", a, l.Code())
			}
		}
	}
}

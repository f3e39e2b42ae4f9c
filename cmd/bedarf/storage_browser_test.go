//go:build browser

package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"bedarf/survey"
	"bedarf/survey/store"
)

// TestBrowserStorageFailure: while the disk is full, a Kommune's save shows
// its form again with everything typed and the notice that nothing was
// saved (it passes axe and reflows), with JavaScript and without; once
// space is free, saving the same page stores it. A staff form without a
// page of its own (a new scenario) comes back on the page that lists the
// posted values, and "Noch einmal senden" there creates it.
func TestBrowserStorageFailure(t *testing.T) {
	r := startStorageRig(t)
	s := newSuite(t, &app{base: r.base, login: r.base + "/anmelden", email: demoAdminEmail, password: r.password})
	ctx := context.Background()
	var open []store.Link
	for _, l := range r.links {
		if resp, _, err := r.st.Response(ctx, l.ResponseID); err == nil && resp.Status.Editable() {
			open = append(open, l)
		}
	}
	if len(open) < 2 {
		t.Fatalf("%d editable responses", len(open))
	}
	full := failing(store.OpWrite, syscall.ENOSPC)
	for i, tc := range []struct {
		name string
		js   bool
	}{{"mit JavaScript", true}, {"ohne JavaScript", false}} {
		t.Run(tc.name, func(t *testing.T) {
			k := s.newTab(t, true)
			opts := checkOpts{noAxe: !tc.js}
			if !tc.js {
				k.disableScript()
			}
			k.open(r.base + "/k/" + open[i].Token)
			typed := "Platte voll " + tc.name
			k.tabTo("the contact's name", func(f focused) bool { return f.Name == "q.kontakt_name" })
			k.typeText(typed)
			k.tabTo("people in municipal housing", func(f focused) bool { return f.Name == "q.betreute_gu" })
			k.typeText("17")

			r.st.SetFault(full)
			k.tabTo("Zwischenspeichern", isButton("speichern"))
			k.pressAndLoad(" ")
			if n := k.text(".notice.error"); !strings.Contains(n, "Nichts wurde gespeichert") {
				t.Errorf("save on a full disk: notice %q, want that nothing was saved", n)
			}
			got := k.formValues()
			for name, want := range map[string]string{"q.kontakt_name": typed, "q.betreute_gu": "17"} {
				if !slices.Equal(got[name], []string{want}) {
					t.Errorf("form after the refused save: %s = %q, want %q", name, got[name], want)
				}
			}
			k.check("Nicht gespeichert, Fragebogen "+tc.name, opts)

			r.st.SetFault(nil)
			if tc.js { // saved in the background from the kept form
				k.saveInBackground()
			} else {
				k.tabTo("Zwischenspeichern", isButton("speichern"))
				k.pressAndLoad(" ")
			}
			if n := k.text(".notice"); !strings.Contains(n, "Zwischengespeichert") {
				t.Errorf("save once space is free: notice %q", n)
			}
			_, ans, err := r.st.Response(ctx, open[i].ResponseID)
			if err != nil {
				t.Fatal(err)
			}
			if v := ans[survey.Key{Question: "kontakt_name"}].Raw; v != typed {
				t.Errorf("stored name %q, want %q", v, typed)
			}
		})
	}

	t.Run("Verwaltung", func(t *testing.T) {
		p := s.newTab(t, false)
		p.open(r.base + "/anmelden")
		p.signInByKeyboard(s.app)
		p.open(fmt.Sprintf("%s/verwaltung/runden/%d/plan", r.base, r.round))
		p.tabTo("the new scenario's name", func(f focused) bool { return f.ID == "neu-name" })
		p.typeText("Variante bei voller Platte")
		r.st.SetFault(full)
		defer r.st.SetFault(nil)
		p.pressAndLoad(kb.Enter)
		if h := p.text("h1"); h != "Nicht gespeichert" {
			t.Fatalf("new scenario on a full disk: heading %q", h)
		}
		if v := eval[string](p, `document.querySelector('input[name="name"]').value`); v != "Variante bei voller Platte" {
			t.Errorf("kept name %q", v)
		}
		p.check("Nicht gespeichert, Verwaltung")
		r.st.SetFault(nil)
		p.tabTo("Noch einmal senden", func(f focused) bool { return f.Tag == "button" && strings.Contains(f.Text, "Noch einmal senden") })
		p.pressAndLoad(kb.Enter)
		if !strings.Contains(p.text("main"), "Variante bei voller Platte") {
			t.Errorf("after sending again: %s without the new scenario", p.path())
		}
	})
}

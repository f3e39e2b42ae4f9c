package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestNewLinkAsksFirst: "Neuer Link" on the round's page leads to a page
// (no JavaScript needed) that says the current link stops working and asks;
// only its form makes the new link. Opening it changes nothing.
func TestNewLinkAsksFirst(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	const ags = "03241005" // Garbsen
	base := r.base + "/verwaltung/runden/1/kommunen/" + ags
	_, page, _ := b.get(r.base + "/verwaltung/runden/1/verwalten")
	if strings.Contains(page, `action="/verwaltung/runden/1/kommunen/`+ags+`/link"`) {
		t.Error(`round page: "Neuer Link" still posts at once`)
	}
	if !strings.Contains(page, `href="/verwaltung/runden/1/kommunen/`+ags+`/link/neu"`) {
		t.Error(`round page: "Neuer Link" does not lead to the confirmation`)
	}
	code, page, _ := b.get(base + "/link/neu")
	if code != http.StatusOK {
		t.Fatalf("confirmation: %d", code)
	}
	for _, want := range []string{"hört sofort auf zu gelten", `action="/verwaltung/runden/1/kommunen/` + ags + `/link"`, "Abbrechen"} {
		if !strings.Contains(page, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
	k := newBrowser(t, r.base)
	if code, _, _ := k.get(r.links[ags]); code != http.StatusSeeOther {
		t.Errorf("old link after the confirmation page: %d, want it still working (303)", code)
	}
	if code, _, _ := b.post(base+"/link", nil); code != http.StatusOK {
		t.Fatalf("confirmed: %d", code)
	}
	if code, _, _ := newBrowser(t, r.base).get(r.links[ags]); code == http.StatusSeeOther {
		t.Error("old link still works after the confirmed new link")
	}
}

// TestRefusalsGiveTheReason: a viewer refused a page is told what it would
// need, not a reason that belongs to another page.
func TestRefusalsGiveTheReason(t *testing.T) {
	r := startRig(t)
	admin := loginAdmin(t, r.demo)
	code, page, _ := admin.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	if code != http.StatusOK {
		t.Fatalf("add viewer: %d", code)
	}
	v := r.signIn(t, "leser@bedarf.example", passwordRE.FindStringSubmatch(page)[1])
	k := "/verwaltung/runden/1/kommunen/03241001"
	for _, tc := range []struct{ path, want string }{
		{k + "/erfassen", "Antworten für eine Kommune erfassen oder korrigieren können nur Konten mit der Rolle Administration"},
		{"/verwaltung/runden/neu", "Runden anlegen können nur Konten mit der Rolle Administration"},
		{k + "/link/neu", "Links der Kommunen erzeugen können nur Konten mit der Rolle Administration"},
		{k + "/einladung", "zeigt persönliche Links"},
	} {
		code, page, _ := v.get(r.base + tc.path)
		if code != http.StatusForbidden {
			t.Errorf("viewer GET %s: %d, want 403", tc.path, code)
		}
		if !strings.Contains(page, tc.want) {
			t.Errorf("viewer GET %s: the refusal does not say %q", tc.path, tc.want)
		}
	}
}

// TestRoundDeadlineErrorAtField: a refused round deadline re-shows the
// round's page (422) with the message at the field and the typed value,
// and changes nothing; a valid one is saved.
func TestRoundDeadlineErrorAtField(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	admin := r.base + "/verwaltung/runden/1/verwalten"
	_, before, _ := b.get(admin)
	value := regexp.MustCompile(`name="frist" value="([^"]*)"`)
	old := value.FindStringSubmatch(before)[1]
	for _, tc := range []struct{ in, want string }{
		{"2000-01-01", "darf nicht vor dem Beginn der Runde"},
		{"morgen", "als Datum an"},
	} {
		code, page, _ := b.post(r.base+"/verwaltung/runden/1/frist", url.Values{"frist": {tc.in}})
		if code != http.StatusUnprocessableEntity {
			t.Errorf("frist %q: %d, want 422", tc.in, code)
		}
		if !regexp.MustCompile(`<p class="field-error" id="fehler-runde-frist">[^<]*` + tc.want).MatchString(page) {
			t.Errorf("frist %q: no message %q at the field", tc.in, tc.want)
		}
		if !strings.Contains(page, `value="`+tc.in+`" required aria-invalid="true" aria-describedby="fehler-runde-frist"`) {
			t.Errorf("frist %q: the typed value is not kept in a marked field", tc.in)
		}
		if !strings.Contains(page, "/verwaltung/runden/1/kommunen/") {
			t.Errorf("frist %q: not the round's page", tc.in)
		}
	}
	_, after, _ := b.get(admin)
	if got := value.FindStringSubmatch(after)[1]; got != old {
		t.Errorf("refused deadlines changed it: %s → %s", old, got)
	}
	if code, _, _ := b.post(r.base+"/verwaltung/runden/1/frist", url.Values{"frist": {"2099-12-31"}}); code != http.StatusSeeOther {
		t.Errorf("valid deadline: %d, want 303", code)
	}
}

// TestKommuneDeadlineErrorAtField: a Kommune's own deadline that is no
// date re-shows the Kommune's page (422) with the message at the field.
func TestKommuneDeadlineErrorAtField(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	code, page, _ := b.post(r.base+"/verwaltung/runden/1/kommunen/03241001/frist", url.Values{"frist": {"bald"}, "aktion": {"setzen"}})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("frist bald: %d, want 422", code)
	}
	if !strings.Contains(page, `<p class="field-error" id="fehler-kommune-frist">`) || !strings.Contains(page, `value="bald" aria-describedby="fehler-kommune-frist hilfe-kommune-frist" aria-invalid="true"`) {
		t.Error("no message at the field, or the typed value lost")
	}
}

// TestRevokeAsksFirst: "Widerrufen" on the round's page leads to a page
// (no JavaScript needed) that says what happens and asks; opening it
// changes nothing, only its form (POST) revokes the link. A viewer is
// refused with the reason.
func TestRevokeAsksFirst(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	const ags = "03241005" // Garbsen
	confirm := r.base + "/verwaltung/runden/1/kommunen/" + ags + "/link/widerrufen"
	_, page, _ := b.get(r.base + "/verwaltung/runden/1/verwalten")
	if strings.Contains(page, `<form method="post" action="/verwaltung/runden/1/kommunen/`+ags+`/link/widerrufen"`) {
		t.Error(`round page: "Widerrufen" still posts at once`)
	}
	if !strings.Contains(page, `href="/verwaltung/runden/1/kommunen/`+ags+`/link/widerrufen"`) {
		t.Error(`round page: "Widerrufen" does not lead to the confirmation`)
	}
	for _, tc := range []struct{ lang, want string }{
		{"de", "hört sofort auf zu gelten"}, {"de", "Bereits gespeicherte Antworten bleiben erhalten"},
		{"de", "Ja, Link widerrufen"}, {"de", "Abbrechen, Link behalten"},
		{"en", "stops working at once"}, {"en", "Yes, revoke the link"},
	} {
		code, page := getWith(t, b, confirm, tc.lang)
		if code != http.StatusOK {
			t.Fatalf("%s: confirmation %d", tc.lang, code)
		}
		if !strings.Contains(page, tc.want) || !strings.Contains(page, `<form method="post" action="/verwaltung/runden/1/kommunen/`+ags+`/link/widerrufen"`) {
			t.Errorf("%s: confirmation lacks %q or its form", tc.lang, tc.want)
		}
	}
	if code, _, _ := newBrowser(t, r.base).get(r.links[ags]); code != http.StatusSeeOther {
		t.Errorf("link after the confirmation page: %d, want it still working (303)", code)
	}
	if code, _, _ := b.post(confirm, nil); code != http.StatusSeeOther {
		t.Fatalf("confirmed revoke: %d", code)
	}
	if code, _, _ := newBrowser(t, r.base).get(r.links[ags]); code == http.StatusSeeOther {
		t.Error("link still works after the confirmed revoke")
	}
	if code, _, _ := b.get(confirm); code != http.StatusConflict {
		t.Errorf("confirmation without a link: %d, want 409", code)
	}
}

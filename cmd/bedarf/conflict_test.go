package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTwoEditorsConflict: two colleagues edit the same Kommune's draft.
// Different fields merge; the same field asks the second person to choose,
// stores nothing until they do, and then stores exactly their choice.
func TestTwoEditorsConflict(t *testing.T) {
	d := startDemo(t, "")
	link := d.links["03241002"] // Barsinghausen: no demo answers
	a, b := newBrowser(t, d.base), newBrowser(t, d.base)
	a.get(link)
	b.get(link)
	_, pa, _ := a.get(d.base + "/fragebogen")
	_, pb, _ := b.get(d.base + "/fragebogen")
	base := revisionOf(t, pa)
	if revisionOf(t, pb) != base {
		t.Fatal("both editors should start from the same revision")
	}
	save := func(br *browser, v url.Values) (int, string) {
		v.Set("aktion", "speichern")
		code, page, _ := br.post(d.base+"/fragebogen", v)
		return code, page
	}
	// A saves the name and a number.
	if code, _ := save(a, url.Values{"revision": {base}, "bearbeitung": {"Anna"}, "q.kontakt_name": {"Anna A"}, "q.betreute_gu": {"10"}}); code != http.StatusOK {
		t.Fatalf("A: %d", code)
	}
	// B, still on the old revision, changes the phone (merges) and the number (conflicts).
	code, page := save(b, url.Values{"revision": {base}, "bearbeitung": {"Ben"}, "q.kontakt_telefon": {"0511 2"}, "q.betreute_gu": {"20"}})
	if code != http.StatusConflict {
		t.Fatalf("B: got %d, want 409", code)
	}
	for _, want := range []string{"Gleichzeitige Änderungen", "Betreute Geflüchtete in kommunalen Unterkünften", "<strong>20</strong>", "<strong>10</strong>", "von Anna", `value="0511 2"`} {
		if !strings.Contains(page, want) {
			t.Errorf("409 page lacks %q", want)
		}
	}
	// Nothing of B's save is stored yet.
	_, now, _ := a.get(d.base + "/fragebogen")
	if strings.Contains(now, "0511 2") || !strings.Contains(now, `value="10"`) || !strings.Contains(now, "Anna") {
		t.Error("a refused save changed the stored answers")
	}
	// B sends again without choosing: still 409.
	// The 409 page shows the merged state: Anna's name is in B's form now.
	if !strings.Contains(page, `value="Anna A"`) {
		t.Error("409 page lacks the colleague's merged change")
	}
	form := pageForm(t, page)
	form.Set("revision", revisionOf(t, page))
	if code, _ := save(b, form); code != http.StatusConflict {
		t.Errorf("undecided conflict: got %d, want 409", code)
	}
	// B keeps the stored value: the phone merges, the number stays 10.
	form.Set("konflikt.q.betreute_gu", "theirs")
	code, page = save(b, form)
	if code != http.StatusOK {
		t.Fatalf("resolved save: %d", code)
	}
	if !strings.Contains(page, `value="10"`) || !strings.Contains(page, `value="0511 2"`) || !strings.Contains(page, `value="Anna A"`) {
		t.Error("after choosing the stored value: form does not show the merged state")
	}
	if !strings.Contains(page, "von <bdi>Ben</bdi> am") {
		t.Error("\"Zuletzt gespeichert von Ben\" missing")
	}
	// A, on a stale page, changes the number again: asked to choose, A keeps A's value.
	stale := url.Values{"revision": {base}, "bearbeitung": {"Anna"}, "q.kontakt_name": {"Anna A"}, "q.betreute_gu": {"30"}}
	code, page = save(a, stale)
	if code != http.StatusConflict {
		t.Fatalf("A on a stale page: got %d, want 409", code)
	}
	stale = pageForm(t, page)
	stale.Set("konflikt.q.betreute_gu", "mine")
	if code, _ = save(a, stale); code != http.StatusOK {
		t.Fatalf("A keeps its value: %d", code)
	}
	_, final, _ := b.get(d.base + "/fragebogen")
	if !strings.Contains(final, `value="30"`) || !strings.Contains(final, `value="0511 2"`) || !strings.Contains(final, `value="Anna A"`) {
		t.Error("final state lost a change")
	}
}

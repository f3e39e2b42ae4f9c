package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// pageForm returns what a browser submits from the questionnaire form on a
// page: text, number, date and hidden inputs, checked radios and
// checkboxes, and textareas, in document order (buttons are left out: the
// caller adds "aktion").
func pageForm(t testing.TB, page string) url.Values {
	t.Helper()
	v, err := parsePageForm(page)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// parsePageForm is pageForm for goroutines other than the test's.
func parsePageForm(page string) (url.Values, error) {
	return parseFormWhere(page, func(id, _ string) bool { return id == "fragebogen" })
}

// parseFormWhere returns what the browser would send of the page's forms
// that pick chooses by id and action.
func parseFormWhere(page string, pick func(id, action string) bool) (url.Values, error) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("parse page: %w", err)
	}
	attr := func(n *html.Node, key string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val, true
			}
		}
		return "", false
	}
	v := url.Values{}
	found := false
	var walk func(n *html.Node, inForm bool)
	walk = func(n *html.Node, inForm bool) {
		if n.Type == html.ElementNode && n.Data == "form" {
			id, _ := attr(n, "id")
			action, _ := attr(n, "action")
			inForm = pick(id, action)
			found = found || inForm
		}
		if inForm && n.Type == html.ElementNode {
			name, named := attr(n, "name")
			_, disabled := attr(n, "disabled")
			switch {
			case !named || disabled:
			case n.Data == "input":
				typ, _ := attr(n, "type")
				val, _ := attr(n, "value")
				_, checked := attr(n, "checked")
				switch typ {
				case "radio", "checkbox":
					if checked {
						v.Add(name, val)
					}
				case "submit", "button", "reset", "image", "file":
				default:
					v.Add(name, val)
				}
			case n.Data == "textarea":
				var sb strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					sb.WriteString(c.Data)
				}
				v.Add(name, strings.TrimPrefix(sb.String(), "\n"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inForm)
		}
	}
	walk(doc, false)
	if !found {
		return nil, fmt.Errorf("the page has no such form: %.300s", page)
	}
	return v, nil
}

// editableKommunen returns, in AGS order, the Kommunen whose response the
// demo left open for editing (the others it submitted).
func editableKommunen(t *testing.T, base string, links map[string]string) []string {
	t.Helper()
	var out []string
	for ags, link := range links {
		b := newBrowser(t, base)
		b.get(link)
		if _, page, _ := b.get(base + "/fragebogen"); strings.Contains(page, `<form id="fragebogen"`) {
			out = append(out, ags)
		}
	}
	slices.Sort(out)
	return out
}

// editor is one person working on a Kommune's form in a browser: the form
// holds what their page shows, and they keep working on it between saves
// as people do, without reloading.
type editor struct {
	name string
	b    *browser
	form url.Values
}

func openEditor(t *testing.T, d *demo, ags, name string) *editor {
	t.Helper()
	b := newBrowser(t, d.base)
	if code, _, _ := b.get(d.links[ags]); code != http.StatusSeeOther {
		t.Fatalf("link of %s: %d", ags, code)
	}
	_, page, _ := b.get(d.base + "/fragebogen")
	e := &editor{name: name, b: b, form: pageForm(t, page)}
	e.form.Set("bearbeitung", name)
	return e
}

// save sends the editor's page with one field changed and takes the answer
// page as the editor's new page.
func (e *editor) save(base, field, value string) (int, string, error) {
	e.form.Set(field, value)
	return e.send(base)
}

func (e *editor) send(base string) (int, string, error) {
	e.form.Set("aktion", "speichern")
	code, page, _ := e.b.post(base+"/fragebogen", e.form)
	if code != http.StatusOK && code != http.StatusConflict {
		return code, page, nil
	}
	f, err := parsePageForm(page)
	if err != nil {
		return code, page, err
	}
	e.form = f
	return code, page, nil
}

// storedFields returns the stored values of fields as a fresh page shows them.
func storedFields(t *testing.T, d *demo, observer *browser, fields []string) map[string]string {
	t.Helper()
	_, page, _ := observer.get(d.base + "/fragebogen")
	f := pageForm(t, page)
	out := map[string]string{}
	for _, k := range fields {
		out[k] = f.Get(k)
	}
	return out
}

// TestTwoEditorsInterleaved: two people edit one Kommune's form through the
// same link, each in their own browser, 200 saves in random interleaving,
// each keeping their page between saves. Both work on their own fields and
// now and then on a shared one. After every step the stored state must be
// exactly what was acknowledged: nothing of the other person lost, no
// conflict on a field only one of them edits, and a same-field overlap
// answered 409 with both values and nothing stored until the person
// chooses.
func TestTwoEditorsInterleaved(t *testing.T) {
	d := startDemo(t, "")
	ags := editableKommunen(t, d.base, d.links)[0]
	a, b := openEditor(t, d, ags, "Anna"), openEditor(t, d, ags, "Ben")
	observer := newBrowser(t, d.base)
	observer.get(d.links[ags])
	own := map[*editor][]string{
		a: {"q.betreute_gu", "q.kontakt_name", "q.belastung_anmerkungen"},
		b: {"q.betreute_privat", "q.kontakt_funktion", "q.fortbildung_weitere"},
	}
	const shared = "q.kontakt_telefon"
	fields := append(append([]string{shared}, own[a]...), own[b]...)
	expected := storedFields(t, d, observer, fields)

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	t.Logf("seed %d", seed)
	acked, conflicts, mine, theirs := 0, 0, 0, 0
	for step := 1; acked < 200; step++ {
		e, other := a, b
		if rng.IntN(2) == 1 {
			e, other = b, a
		}
		field := own[e][rng.IntN(len(own[e]))]
		if rng.IntN(4) == 0 {
			field = shared
		}
		value := fmt.Sprintf("%d%d", 1+rng.IntN(9), step) // unique, a valid number and text
		code, page, err := e.save(d.base, field, value)
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		switch code {
		case http.StatusOK:
			expected[field] = value
			acked++
		case http.StatusConflict:
			conflicts++
			if field != shared {
				t.Fatalf("step %d: %s got a conflict on %s, which only they edit", step, e.name, field)
			}
			for _, want := range []string{"Gleichzeitige Änderungen", "<strong>" + value + "</strong>", "<strong>" + expected[field] + "</strong>", "von " + other.name} {
				if !strings.Contains(page, want) {
					t.Errorf("step %d: the 409 page lacks %q", step, want)
				}
			}
			if got := storedFields(t, d, observer, fields); !maps(got, expected) {
				t.Fatalf("step %d: a refused save changed the stored answers:\n got  %v\n want %v", step, got, expected)
			}
			choice := "theirs"
			if rng.IntN(2) == 0 {
				choice = "mine"
			}
			e.form.Set("konflikt."+field, choice)
			if code, _, err := e.send(d.base); code != http.StatusOK || err != nil {
				t.Fatalf("step %d: %s chose %s: got %d, want 200", step, e.name, choice, code)
			}
			acked++
			if choice == "mine" {
				expected[field] = value
				mine++
			} else {
				theirs++
			}
		default:
			t.Fatalf("step %d: %s saving %s: got %d", step, e.name, field, code)
		}
		if got := storedFields(t, d, observer, fields); !maps(got, expected) {
			t.Fatalf("step %d (%s saved %s = %s): stored answers differ from what was acknowledged:\n got  %v\n want %v",
				step, e.name, field, value, got, expected)
		}
	}
	t.Logf("%d saves acknowledged, %d same-field conflicts (%d kept mine, %d kept theirs)", acked, conflicts, mine, theirs)
	if conflicts == 0 {
		t.Error("no same-field overlap happened: the test did not exercise conflicts")
	}
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestTwoEditorsAtOnce: the same two people save at the same moments, 100
// times each, each on their own fields and keeping their page: every save
// is answered 200 and every acknowledged value survives.
func TestTwoEditorsAtOnce(t *testing.T) {
	d := startDemo(t, "")
	ags := editableKommunen(t, d.base, d.links)[1]
	eds := []*editor{openEditor(t, d, ags, "Anna"), openEditor(t, d, ags, "Ben")}
	fields := [][]string{{"q.betreute_gu", "q.kontakt_name"}, {"q.betreute_privat", "q.kontakt_funktion"}}
	last := []map[string]string{{}, {}}
	var wg sync.WaitGroup
	errs := make(chan string, 2)
	start := make(chan struct{})
	for i, e := range eds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for n := 1; n <= 100; n++ {
				field := fields[i][n%2]
				value := fmt.Sprintf("%d%03d", i+1, n)
				if code, _, err := e.save(d.base, field, value); code != http.StatusOK || err != nil {
					errs <- fmt.Sprintf("%s, save %d (%s): got %d (%v), want 200", e.name, n, field, code, err)
					return
				}
				last[i][field] = value
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	observer := newBrowser(t, d.base)
	observer.get(d.links[ags])
	want := map[string]string{}
	for _, l := range last {
		for k, v := range l {
			want[k] = v
		}
	}
	if got := storedFields(t, d, observer, append(fields[0], fields[1]...)); !maps(got, want) {
		t.Errorf("stored after 200 saves at once:\n got  %v\n want %v", got, want)
	}
}

// TestManySavingClients: 64 clients save at once, several per Kommune on
// different fields, each loading the page before each save. Every request
// is answered 200 (no SQLITE_BUSY, no 500, no lost session) and every
// client's last value is stored.
func TestManySavingClients(t *testing.T) {
	d := startDemo(t, "")
	kommunen := editableKommunen(t, d.base, d.links)
	fields := []string{"q.betreute_gu", "q.betreute_privat", "q.zugang_seit_2015", "q.kontakt_telefon", "q.fortbildung_weitere"}
	const clients, saves = 64, 8
	if len(kommunen)*len(fields) < clients {
		t.Fatalf("%d editable Kommunen × %d fields < %d clients", len(kommunen), len(fields), clients)
	}
	type result struct {
		ags, field, value string
	}
	results := make([]result, clients)
	errs := make(chan string, clients*saves)
	var ready, wg sync.WaitGroup
	start := make(chan struct{})
	t0 := time.Now()
	for c := 0; c < clients; c++ {
		ags, field := kommunen[c%len(kommunen)], fields[c/len(kommunen)]
		b := newBrowser(t, d.base)
		ready.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.get(d.links[ags])
			ready.Done()
			<-start
			for n := 1; n <= saves; n++ {
				code, page, _ := b.get(d.base + "/fragebogen")
				if code != http.StatusOK {
					errs <- fmt.Sprintf("client %d: GET got %d", c, code)
					return
				}
				form, err := parsePageForm(page)
				if err != nil {
					errs <- fmt.Sprintf("client %d: %v", c, err)
					return
				}
				value := fmt.Sprintf("%d%02d", c+1, n)
				form.Set(field, value)
				form.Set("aktion", "speichern")
				code, page, _ = b.post(d.base+"/fragebogen", form)
				if code != http.StatusOK {
					errs <- fmt.Sprintf("client %d (%s %s), save %d: got %d: %.200s", c, ags, field, n, code, page)
					return
				}
				results[c] = result{ags, field, value}
			}
		}()
	}
	ready.Wait()
	close(start)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	t.Logf("%d clients × %d saves in %v", clients, saves, time.Since(t0).Round(time.Millisecond))
	for _, ags := range kommunen {
		observer := newBrowser(t, d.base)
		observer.get(d.links[ags])
		_, page, _ := observer.get(d.base + "/fragebogen")
		form := pageForm(t, page)
		for c, r := range results {
			if r.ags == ags && form.Get(r.field) != r.value {
				t.Errorf("client %d: %s %s = %q, want its last acknowledged %q", c, ags, r.field, form.Get(r.field), r.value)
			}
		}
	}
}

package main

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
)

// sessionCookie returns the browser's session cookie value.
func (b *browser) sessionCookie(base string) string {
	b.t.Helper()
	u, _ := url.Parse(base)
	for _, ck := range b.c.Jar.Cookies(u) {
		if ck.Name == "bedarf" {
			return ck.Value
		}
	}
	b.t.Fatal("the browser has no session cookie")
	return ""
}

// ageSession makes the session behind cookie run out on the server: past
// its idle time-out (idle) or its absolute one. Sessions are rows, so this
// is what time does to them, without a restart.
func (r *rig) ageSession(t *testing.T, cookie string, idle bool) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+r.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	old := time.Now().Add(-40 * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	query := "UPDATE sessions SET expires_at = ? WHERE id_hash = ?"
	if idle {
		query = "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?"
	}
	res, err := db.Exec(query, old, auth.Hash(cookie))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("aged %d sessions, want 1", n)
	}
}

// storedRaw returns a stored answer of a response as typed.
func (r *rig) storedRaw(t *testing.T, respID, field string) string {
	t.Helper()
	id, _ := strconv.ParseInt(respID, 10, 64)
	_, ans, err := r.st.Response(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	q, item, _ := strings.Cut(strings.TrimPrefix(field, "q."), ".")
	return ans[survey.Key{Question: q, Item: item}].Raw
}

// keptOn returns the hidden fields of the form on a 401 page that posts to
// action.
func keptOn(t *testing.T, page, action string) url.Values {
	t.Helper()
	v, err := parseFormWhere(page, func(_, a string) bool { return a == action })
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sameValues reports the first difference between two forms, "" if none.
func sameValues(got, want url.Values) string {
	for k, vs := range want {
		if !slices.Equal(got[k], vs) {
			return k + ": got " + strings.Join(got[k], "|") + ", want " + strings.Join(vs, "|")
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			return k + ": not posted but kept"
		}
	}
	return ""
}

// TestKommuneSessionLost: a Kommune's session ends while it types (its link
// is issued anew, it is logged out in another tab, the session runs past
// its idle or absolute time-out). Its save answers 401 with every typed
// value kept in the page and nothing stored; sent again with the pasted
// link or after opening the link in a new tab, the form goes through the
// normal save, starting from the revision the person had: a colleague's
// change of the same question since then asks to choose, and the rest is
// stored.
func TestKommuneSessionLost(t *testing.T) {
	r := startRig(t)
	admin := r.signIn(t, r.email, r.password)
	open := editableKommunen(t, r.base, r.links)
	cases := []struct {
		name     string
		lose     func(t *testing.T, k *browser, ags string) (link string) // ends the session, returns the link that works now
		pasteWay bool                                                     // send again with the pasted link, else open the link first
	}{
		{"link issued anew", func(t *testing.T, _ *browser, ags string) string {
			code, page, _ := admin.post(r.base+"/verwaltung/runden/1/kommunen/"+ags+"/link", nil)
			if code != http.StatusOK {
				t.Fatalf("new link: %d", code)
			}
			return linkOnPage(t, page)
		}, true},
		{"logged out in another tab", func(t *testing.T, k *browser, ags string) string {
			if code, _, _ := k.post(r.base+"/abmelden", nil); code != http.StatusSeeOther {
				t.Fatalf("logout: %d", code)
			}
			return r.links[ags]
		}, false},
		{"idle time-out", func(t *testing.T, k *browser, ags string) string {
			r.ageSession(t, k.sessionCookie(r.base), true)
			return r.links[ags]
		}, true},
		{"absolute time-out", func(t *testing.T, k *browser, ags string) string {
			r.ageSession(t, k.sessionCookie(r.base), false)
			return r.links[ags]
		}, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ags := open[i]
			k, colleague := newBrowser(t, r.base), newBrowser(t, r.base)
			k.get(r.links[ags])
			colleague.get(r.links[ags])
			_, page, _ := k.get(r.base + "/fragebogen")
			form := pageForm(t, page)
			resp := form.Get("antwort")
			if resp == "" {
				t.Fatal("the form names no response")
			}
			saveNumber(t, colleague, r.base, "77") // a colleague, meanwhile
			link := tc.lose(t, k, ags)

			// The person types and saves: 401, everything kept, nothing stored.
			form.Set("q.kontakt_name", `Kept "Name" <&> `+tc.name)
			form.Set("q.betreute_gu", "55")
			form.Set("q.supervision_gruppe_personen", "4")
			form["q.supervision_zeiten"] = []string{"abend", "vormittag"}
			form.Set("bearbeitung", "Kim")
			form.Set("aktion", "speichern")
			code, lost, h := k.post(r.base+"/fragebogen", form)
			if code != http.StatusUnauthorized {
				t.Fatalf("save without a session: %d, want 401", code)
			}
			if h.Get("Cache-Control") != "no-store" {
				t.Errorf("401 page Cache-Control %q, want no-store", h.Get("Cache-Control"))
			}
			kept := keptOn(t, lost, "/fragebogen/fortsetzen")
			kept.Del("link")
			if d := sameValues(kept, form); d != "" {
				t.Errorf("401 page does not keep the form: %s", d)
			}
			if got := r.storedRaw(t, resp, "q.kontakt_name"); strings.HasPrefix(got, "Kept") {
				t.Errorf("stored without a session: %q", got)
			}

			// A wrong link, or none: the page again, every value still there.
			for _, bad := range []string{"", r.base + "/k/AAAAAAAAAAAAAAAAAAAAAA"} {
				again := cloneValues(kept)
				again.Set("link", bad)
				code, page, _ := newBrowser(t, r.base).post(r.base+"/fragebogen/fortsetzen", again)
				if code != http.StatusUnauthorized || !strings.Contains(page, `aria-invalid="true"`) {
					t.Errorf("link %q: %d, want 401 with the field marked", bad, code)
				}
				if d := sameValues(func() url.Values { v := keptOn(t, page, "/fragebogen/fortsetzen"); v.Del("link"); return v }(), form); d != "" {
					t.Errorf("link %q: values not kept: %s", bad, d)
				}
			}

			// "Send again" before the link was opened: the page again, saying so.
			sentAgain := cloneValues(kept)
			sentAgain.Set("link", "") // the empty link field goes along
			code, page, _ = k.post(r.base+"/fragebogen", sentAgain)
			if code != http.StatusUnauthorized || !strings.Contains(page, "noch keine gültige Sitzung") {
				t.Errorf("sent again without a session: %d, want 401 saying the session is still missing", code)
			}
			if d := sameValues(func() url.Values { v := keptOn(t, page, "/fragebogen/fortsetzen"); v.Del("link"); return v }(), form); d != "" {
				t.Errorf("sent again without a session: values not kept: %s", d)
			}

			// The page in English, by its own switch: the values stay.
			english := cloneValues(kept)
			english.Set("sprache", "en")
			code, page, h = k.post(r.base+"/fragebogen/fortsetzen", english)
			if code != http.StatusUnauthorized || !strings.Contains(page, "Session ended") || !strings.Contains(h.Get("Set-Cookie"), "bedarf_sprache=en") {
				t.Errorf("language switch on the 401 page: %d, want it in English with the cookie", code)
			}
			if d := sameValues(func() url.Values { v := keptOn(t, page, "/fragebogen/fortsetzen"); v.Del("link"); return v }(), form); d != "" {
				t.Errorf("language switch: values not kept: %s", d)
			}
			english.Set("sprache", "de")
			k.post(r.base+"/fragebogen/fortsetzen", english)

			// Sent again: the colleague's number conflicts, the rest waits.
			var page2 string
			if tc.pasteWay {
				kept.Set("link", link)
				code, page2, _ = k.post(r.base+"/fragebogen/fortsetzen", kept)
			} else {
				k.get(link) // "open your link in a new tab"
				code, page2, _ = k.post(r.base+"/fragebogen", kept)
			}
			if code != http.StatusConflict || !strings.Contains(page2, "<strong>77</strong>") || !strings.Contains(page2, "<strong>55</strong>") {
				t.Fatalf("sent again: %d, want 409 with both numbers", code)
			}
			if got := r.storedRaw(t, resp, "q.betreute_gu"); got != "77" {
				t.Errorf("stored before the choice: %q", got)
			}
			choice := pageForm(t, page2)
			choice.Set("konflikt.q.betreute_gu", "mine")
			if code, _, _ := k.post(r.base+"/fragebogen", choice); code != http.StatusOK {
				t.Fatalf("after choosing: %d", code)
			}
			for field, want := range map[string]string{"q.betreute_gu": "55", "q.kontakt_name": form.Get("q.kontakt_name"), "q.supervision_zeiten.vormittag": "vormittag"} {
				if got := r.storedRaw(t, resp, field); got != want {
					t.Errorf("%s stored %q, want %q", field, got, want)
				}
			}
		})
	}

	// A link of another Kommune stores nothing, in neither response.
	t.Run("link of another Kommune", func(t *testing.T) {
		ags, other := open[len(cases)], open[len(cases)+1]
		k := newBrowser(t, r.base)
		k.get(r.links[ags])
		_, page, _ := k.get(r.base + "/fragebogen")
		form := pageForm(t, page)
		k.post(r.base+"/abmelden", nil)
		form.Set("q.kontakt_name", "Falsche Kommune")
		form.Set("aktion", "speichern")
		_, lost, _ := k.post(r.base+"/fragebogen", form)
		kept := keptOn(t, lost, "/fragebogen/fortsetzen")
		kept.Set("link", r.links[other])
		code, page, _ := k.post(r.base+"/fragebogen/fortsetzen", kept)
		if code != http.StatusUnauthorized || !strings.Contains(page, "anderen Kommune") {
			t.Errorf("link of another Kommune: %d, want 401 naming the mix-up", code)
		}
		if d := sameValues(func() url.Values { v := keptOn(t, page, "/fragebogen/fortsetzen"); v.Del("link"); return v }(), form); d != "" {
			t.Errorf("values not kept: %s", d)
		}
		other2 := newBrowser(t, r.base)
		other2.get(r.links[other])
		_, opage, _ := other2.get(r.base + "/fragebogen")
		for _, resp := range []string{form.Get("antwort"), pageForm(t, opage).Get("antwort")} {
			if got := r.storedRaw(t, resp, "q.kontakt_name"); got == "Falsche Kommune" {
				t.Errorf("response %s took the other Kommune's form", resp)
			}
		}
		// The same browser now holds the other Kommune's session: the kept
		// form is still refused there (409), with its values.
		kept.Del("link")
		code, page, _ = other2.post(r.base+"/fragebogen", kept)
		if code != http.StatusConflict || !strings.Contains(page, "Falsche Kommune") {
			t.Errorf("form of A in B's session: %d, want 409 with the values", code)
		}
	})
}

// TestStaffSessionLost: staff entering a Kommune's answers lose their
// session (logged out in another tab, idle or absolute time-out). The save
// answers 401 with a login and every value kept; logging in shows the
// entry form filled in with what they typed and the revision they started
// from, nothing stored yet; sending it goes through the normal merge and
// conflict choice. A destructive POST is never carried out after the
// login, and a failed login keeps the values too.
func TestStaffSessionLost(t *testing.T) {
	r := startRig(t)
	open := editableKommunen(t, r.base, r.links)
	cases := []struct {
		name string
		lose func(t *testing.T, b *browser)
	}{
		{"logged out in another tab", func(t *testing.T, b *browser) {
			if code, _, _ := b.post(r.base+"/abmelden", nil); code != http.StatusSeeOther {
				t.Fatalf("logout: %d", code)
			}
		}},
		{"idle time-out", func(t *testing.T, b *browser) { r.ageSession(t, b.sessionCookie(r.base), true) }},
		{"absolute time-out", func(t *testing.T, b *browser) { r.ageSession(t, b.sessionCookie(r.base), false) }},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ags := open[i]
			entry := r.base + "/verwaltung/runden/1/kommunen/" + ags + "/erfassen"
			b := r.signIn(t, r.email, r.password)
			_, page, _ := b.get(entry)
			form := pageForm(t, page)
			resp := form.Get("antwort")
			base := form.Get("revision")
			k := newBrowser(t, r.base)
			k.get(r.links[ags])
			saveNumber(t, k, r.base, "88") // the Kommune, meanwhile
			tc.lose(t, b)

			form.Set("q.kontakt_name", `Staff "kept" <&>`)
			form.Set("q.betreute_gu", "66")
			form.Set("q.supervision_gruppe_personen", "3")
			form["q.supervision_zeiten"] = []string{"nachmittag"}
			form.Set("aktion", "speichern")
			code, lost, h := b.post(entry, form)
			if code != http.StatusUnauthorized || h.Get("Cache-Control") != "no-store" {
				t.Fatalf("save without a session: %d, Cache-Control %q; want 401, no-store", code, h.Get("Cache-Control"))
			}
			login := keptOn(t, lost, "/anmelden")
			if d := sameValues(keptStaff(login), form); d != "" {
				t.Errorf("401 page does not keep the form: %s", d)
			}
			if got := r.storedRaw(t, resp, "q.kontakt_name"); strings.HasPrefix(got, "Staff") {
				t.Errorf("stored without a session: %q", got)
			}

			// The page in English, by its own switch: the values ride along.
			english := cloneValues(login)
			english.Set("sprache", "en")
			if code, page, _ := b.post(r.base+"/anmelden", english); code != http.StatusUnauthorized || !strings.Contains(page, "please log in again") {
				t.Errorf("language switch on the staff 401 page: %d, want it in English", code)
			} else if d := sameValues(keptStaff(keptOn(t, page, "/anmelden")), form); d != "" {
				t.Errorf("language switch: values not kept: %s", d)
			}
			english.Set("sprache", "de")
			b.post(r.base+"/anmelden", english)

			// A wrong password: the values ride along.
			login.Set("email", r.email)
			login.Set("passwort", "falsch-falsch-falsch")
			code, failed, _ := b.post(r.base+"/anmelden", login)
			if code != http.StatusUnauthorized {
				t.Errorf("wrong password: %d, want 401", code)
			}
			if d := sameValues(keptStaff(keptOn(t, failed, "/anmelden")), form); d != "" {
				t.Errorf("wrong password: values not kept: %s", d)
			}

			// Logging in shows the entry form filled in, nothing stored.
			login.Set("passwort", r.password)
			code, filled, _ := b.post(r.base+"/anmelden", login)
			if code != http.StatusOK || !strings.Contains(filled, "noch nicht gespeichert") {
				t.Fatalf("login from the 401 page: %d, want 200 with the filled-in form", code)
			}
			again := pageForm(t, filled)
			typed := cloneValues(form)
			typed.Del("aktion") // the button pressed: pressed again below
			if d := sameValues(again, typed); d != "" {
				t.Errorf("filled-in form differs from the typed one: %s", d)
			}
			if again.Get("revision") != base {
				t.Errorf("filled-in form starts from revision %s, want %s (the one the person had)", again.Get("revision"), base)
			}
			if got := r.storedRaw(t, resp, "q.betreute_gu"); got != "88" {
				t.Errorf("stored before sending again: %q", got)
			}
			again.Set("aktion", "speichern")
			code, conflict, _ := b.post(entry, again)
			if code != http.StatusConflict || !strings.Contains(conflict, "<strong>88</strong>") || !strings.Contains(conflict, "<strong>66</strong>") {
				t.Fatalf("sent again: %d, want 409 with both numbers", code)
			}
			choice := pageForm(t, conflict)
			choice.Set("konflikt.q.betreute_gu", "mine")
			if code, _, _ := b.post(entry, choice); code != http.StatusOK && code != http.StatusSeeOther {
				t.Fatalf("after choosing: %d", code)
			}
			for field, want := range map[string]string{"q.betreute_gu": "66", "q.kontakt_name": form.Get("q.kontakt_name"), "q.supervision_zeiten.nachmittag": "nachmittag"} {
				if got := r.storedRaw(t, resp, field); got != want {
					t.Errorf("%s stored %q, want %q", field, got, want)
				}
			}
		})
	}

	t.Run("file upload", func(t *testing.T) {
		b := r.signIn(t, r.email, r.password)
		b.post(r.base+"/abmelden", nil)
		code, page := b.upload(r.base+"/verwaltung/kommunen/import", "kommunen.csv", []byte("AGS;Name\n03241001;Hannover\n"))
		if code != http.StatusUnauthorized || !strings.Contains(page, "Dateien können nicht aufbewahrt werden") {
			t.Errorf("upload without a session: %d, want 401 saying the file is not kept", code)
		}
	})

	t.Run("form gone meanwhile", func(t *testing.T) {
		b, colleague := r.signIn(t, r.email, r.password), r.signIn(t, r.email, r.password)
		plan := r.base + "/verwaltung/runden/1/plan"
		code, _, h := b.post(plan+"/szenarien", url.Values{"name": {"Bald weg"}, "von": {"1"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create scenario: %d", code)
		}
		id := regexp.MustCompile(`szenario=(\d+)`).FindStringSubmatch(h.Get("Location"))[1]
		b.post(r.base+"/abmelden", nil)
		code, lost, _ := b.post(plan+"/szenarien/"+id, url.Values{"name": {"Umbenannt und getippt"}, "gruppe_max": {"9"}})
		if code != http.StatusUnauthorized {
			t.Fatalf("scenario save without a session: %d", code)
		}
		if code, _, _ := colleague.post(plan+"/szenarien/"+id+"/loeschen", nil); code != http.StatusSeeOther {
			t.Fatalf("colleague deletes the scenario: %d", code)
		}
		login := keptOn(t, lost, "/anmelden")
		login.Set("email", r.email)
		login.Set("passwort", r.password)
		code, page, _ := b.post(r.base+"/anmelden", login)
		if code != http.StatusOK || !strings.Contains(page, "Formular nicht mehr vorhanden") || !strings.Contains(page, "<dd>Umbenannt und getippt</dd>") {
			t.Errorf("login after the form was removed: %d, want the typed values listed", code)
		}
	})

	t.Run("destructive POST not replayed", func(t *testing.T) {
		ags := open[len(cases)]
		b := r.signIn(t, r.email, r.password)
		b.post(r.base+"/abmelden", nil)
		code, lost, _ := b.post(r.base+"/verwaltung/runden/1/kommunen/"+ags+"/link/widerrufen", nil)
		if code != http.StatusUnauthorized {
			t.Fatalf("revoke without a session: %d, want 401", code)
		}
		login := keptOn(t, lost, "/anmelden")
		login.Set("email", r.email)
		login.Set("passwort", r.password)
		code, _, h := b.post(r.base+"/anmelden", login)
		if code != http.StatusSeeOther || h.Get("Location") != "/verwaltung/runden/1/verwalten" {
			t.Errorf("login after a refused revoke: %d to %q, want 303 to the round's page", code, h.Get("Location"))
		}
		if code, _, _ := newBrowser(t, r.base).get(r.links[ags]); code != http.StatusSeeOther {
			t.Errorf("the link was revoked by the login: opening it gives %d", code)
		}
		// A button whose form carries only where to go back: nothing typed,
		// so the login leads to the page, nothing listed, nothing done.
		b.post(r.base+"/abmelden", nil)
		_, lost, _ = b.post(r.base+"/verwaltung/runden/1/mail/versand/999/wiederholen", url.Values{"zurueck": {"kommune"}})
		login = keptOn(t, lost, "/anmelden")
		login.Set("email", r.email)
		login.Set("passwort", r.password)
		if code, _, h := b.post(r.base+"/anmelden", login); code != http.StatusSeeOther || h.Get("Location") != "/verwaltung/runden/1/mail" {
			t.Errorf("login after a refused mail retry: %d to %q, want 303 to the mail page", code, h.Get("Location"))
		}
	})
}

// saveNumber saves the Kommune's form as its page shows it, with one
// number changed, in a browser that holds the Kommune's session.
func saveNumber(t *testing.T, k *browser, base, value string) {
	t.Helper()
	_, page, _ := k.get(base + "/fragebogen")
	form := pageForm(t, page)
	form.Set("q.betreute_gu", value)
	form.Set("aktion", "speichern")
	if code, _, _ := k.post(base+"/fragebogen", form); code != http.StatusOK {
		t.Fatalf("save of %s: %d", value, code)
	}
}

// keptStaff returns the interrupted form that a staff 401 page's login
// carries, under the form's own field names.
func keptStaff(login url.Values) url.Values {
	kept := url.Values{}
	for k, vs := range login {
		if name, ok := strings.CutPrefix(k, "eingabe."); ok {
			kept[name] = vs
		}
	}
	return kept
}

// TestResumePagesCoverStaffPosts: every staff POST route names the page
// that holds its form, and that page is a GET route, so a login from the
// 401 page always leads back to the form (a new route without a row here
// fails).
func TestResumePagesCoverStaffPosts(t *testing.T) {
	s, err := web.New(nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	gets := map[string]bool{}
	for _, rt := range s.Engine.Routes() {
		if rt.Method == http.MethodGet {
			gets[rt.Path] = true
		}
	}
	for _, rt := range s.Engine.Routes() {
		if rt.Method != http.MethodPost || !strings.HasPrefix(rt.Path, "/verwaltung") {
			continue
		}
		page, ok := web.ResumePages[rt.Path]
		if !ok {
			t.Errorf("POST %s has no page in resumePages", rt.Path)
			continue
		}
		if path, _, _ := strings.Cut(page, "?"); !gets[path] {
			t.Errorf("POST %s leads to %s, which is no GET route", rt.Path, page)
		}
	}
}

// TestPrefillForm fills a rendered form with kept values: every kind of
// field, only in the form posting to the action, never a password.
func TestPrefillForm(t *testing.T) {
	page := `<html><body><main>
<form action="/other" method="post"><input name="name" value="other"></form>
<form action="/x?seite=2" method="post">
<input type="hidden" name="revision" value="9">
<input name="name" value="stored">
<input type="password" name="passwort" value="">
<textarea name="text">stored text</textarea>
<select name="rolle"><option value="admin" selected>A</option><option value="viewer">V</option></select>
<input type="checkbox" name="zeiten" value="a" checked><input type="checkbox" name="zeiten" value="b">
<input type="radio" name="wahl" value="ja" checked><input type="radio" name="wahl" value="nein">
<button type="submit" name="aktion" value="speichern">S</button>
</form></main></body></html>`
	kept := url.Values{"revision": {"3"}, "name": {`typed "<&>"`}, "passwort": {"geheim"}, "text": {"typed\ntext"},
		"rolle": {"viewer"}, "zeiten": {"b"}, "wahl": {"nein"}, "aktion": {"loeschen"}}
	out, ok := web.PrefillForm([]byte(page), "/x", kept, "Hinweis")
	if !ok {
		t.Fatal("form not found")
	}
	got, err := parseFormWhere(string(out), func(_, a string) bool { return strings.HasPrefix(a, "/x") })
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"revision": {"3"}, "name": {`typed "<&>"`}, "passwort": {""}, "text": {"typed\ntext"}, "zeiten": {"b"}, "wahl": {"nein"}}
	if d := sameValues(got, want); d != "" {
		t.Errorf("filled form: %s", d)
	}
	for _, want := range []string{`<option value="viewer" selected="">`, `value="other"`, `role="status" id="eingaben-wiederhergestellt">Hinweis</div><form action="/x?seite=2"`, `value="speichern"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(string(out), "geheim") {
		t.Error("a password was filled in")
	}
	if _, ok := web.PrefillForm([]byte(page), "/y", kept, "Hinweis"); ok {
		t.Error("filled a form that is not on the page")
	}
}

// TestLinkToken takes the token out of what people paste.
func TestLinkToken(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://bedarf.example/k/AbC-123_x", "AbC-123_x"},
		{"  http://127.0.0.1:8080/k/tok/ \n", "tok"},
		{"/k/tok?x=1#y", "tok"},
		{"tok", "tok"},
		{"", ""},
		{"zwei worte", ""},
		{"https://bedarf.example/k/a/b", ""},
	} {
		if got := web.LinkToken(tc.in); got != tc.want {
			t.Errorf("linkToken(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// cloneValues copies a form.
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

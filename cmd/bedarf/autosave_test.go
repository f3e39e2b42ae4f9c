package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// autosaveReply is the JSON answer of a background save, as the page's
// script reads it.
type autosaveReply struct {
	Revision    int                 `json:"revision"`
	Status      string              `json:"status"`
	StatusLabel string              `json:"statusLabel"`
	SavedLabel  string              `json:"savedLabel"`
	SavedHTML   string              `json:"savedHTML"`
	Notice      string              `json:"notice"`
	Valid       bool                `json:"valid"`
	ErrorsTitle string              `json:"errorsTitle"`
	Merged      map[string][]string `json:"merged"`
	Errors      []struct {
		Target, Label, Message string
	} `json:"errors"`
	Questions []struct {
		ID    string `json:"id"`
		Error string `json:"error"`
		Items []struct{ Code, Error string }
	} `json:"questions"`
	// a refusal
	Error    string `json:"error"`
	Fallback bool   `json:"fallback"`
}

// autosave sends form as the page's script does (same origin) and decodes
// the JSON answer; the status and headers come back as they are.
func (b *browser) autosave(base string, form url.Values, header map[string]string) (int, autosaveReply, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+web.AutosavePath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("background save: %v", err)
	}
	defer resp.Body.Close()
	var rep autosaveReply
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
			b.t.Fatalf("background save: %d, JSON: %v", resp.StatusCode, err)
		}
	}
	return resp.StatusCode, rep, resp.Header
}

// TestAutosaveJSON: the background save answers a draft save with the new
// revision, status, "last saved" line, notice, the messages at the fields
// and every value the merge took from a colleague; everything it does not
// store (a conflict, a lost session, a closed round, a full disk, a body
// too large or malformed, a cross-site request, a submit) is answered with
// a clear error that makes the page send the form in full, and changes
// nothing.
func TestAutosaveJSON(t *testing.T) {
	r := startStorageRig(t)
	ctx := context.Background()
	link, resp := r.editableLink(t)
	open := func(lang string) *browser {
		b := newBrowser(t, r.base)
		if code, _, _ := b.get(r.base + "/k/" + link.Token); code != http.StatusSeeOther {
			t.Fatalf("open link: %d", code)
		}
		u, _ := url.Parse(r.base)
		b.c.Jar.SetCookies(u, []*http.Cookie{{Name: web.LangCookie, Value: lang, Path: "/"}})
		return b
	}
	anna, ben := open("de"), open("en")
	form := func(b *browser) url.Values {
		_, page, _ := b.get(r.base + "/fragebogen")
		f := pageForm(t, page)
		f.Set("aktion", "speichern")
		return f
	}
	stored := func() (survey.Response, survey.Answers) {
		t.Helper()
		resp, ans, err := r.st.Response(ctx, resp.ID)
		if err != nil {
			t.Fatal(err)
		}
		return resp, ans
	}
	raw := func(ans survey.Answers, q string) string { return ans[survey.Key{Question: q}].Raw }

	t.Run("draft saved", func(t *testing.T) {
		f := form(anna)
		base, _ := strconv.Atoi(f.Get("revision"))
		f.Set("q.kontakt_name", "Anna <A> & Co")
		f.Set("bearbeitung", "Anna")
		code, rep, _ := anna.autosave(r.base, f, nil)
		if code != http.StatusOK {
			t.Fatalf("background save: %d %+v", code, rep)
		}
		now, ans := stored()
		if rep.Revision != base+1 || now.Revision != base+1 || raw(ans, "kontakt_name") != "Anna <A> & Co" {
			t.Errorf("revision %d (stored %d, name %q), want %d and the name stored", rep.Revision, now.Revision, raw(ans, "kontakt_name"), base+1)
		}
		if rep.Status != "draft" || rep.StatusLabel != i18n.DE.T("enum.response_status.draft") || !strings.HasPrefix(rep.Notice, "Zwischengespeichert um") ||
			rep.SavedLabel != "Zuletzt gespeichert" || !strings.Contains(rep.SavedHTML, "von <bdi>Anna</bdi> am") || len(rep.Merged) != 0 {
			t.Errorf("answer %+v", rep)
		}
	})

	t.Run("messages at the fields", func(t *testing.T) {
		f := form(ben)
		f.Set("q.betreute_gu", "zwölf")
		f.Set("q.kontakt_email", "keine Adresse")
		code, rep, _ := ben.autosave(r.base, f, nil)
		if code != http.StatusOK || rep.Valid {
			t.Fatalf("background save with invalid answers: %d, valid %v", code, rep.Valid)
		}
		_, ans := stored()
		if raw(ans, "betreute_gu") != "zwölf" {
			t.Errorf("the invalid answer is not kept as typed: %q", raw(ans, "betreute_gu"))
		}
		if rep.Notice != i18n.EN.T("form.notice.saved_invalid") || rep.ErrorsTitle != i18n.EN.N("form.errors.title", len(rep.Errors)) {
			t.Errorf("English notice %q, title %q", rep.Notice, rep.ErrorsTitle)
		}
		var targets, ids []string
		for _, e := range rep.Errors {
			targets = append(targets, e.Target)
			if e.Message == "" || e.Label == "" {
				t.Errorf("summary line without label or message: %+v", e)
			}
		}
		for _, q := range rep.Questions {
			ids = append(ids, q.ID)
		}
		for _, q := range []string{"betreute_gu", "kontakt_email"} {
			if !slices.Contains(targets, "f-"+q) || !slices.Contains(ids, q) {
				t.Errorf("no message for %s: summary %v, fields %v", q, targets, ids)
			}
		}
		f = form(ben)
		f.Set("q.betreute_gu", "12")
		f.Set("q.kontakt_email", "")
		if code, rep, _ := ben.autosave(r.base, f, nil); code != http.StatusOK || !rep.Valid || len(rep.Questions) != 0 || len(rep.Errors) != 0 {
			t.Errorf("corrected: %d %+v", code, rep)
		}
	})

	t.Run("colleague's value merged", func(t *testing.T) {
		fa, fb := form(anna), form(ben) // both from the same revision
		fa.Set("q.kontakt_telefon", "0511 4711")
		if code, _, _ := anna.autosave(r.base, fa, nil); code != http.StatusOK {
			t.Fatalf("Anna: %d", code)
		}
		fb.Set("q.betreute_privat", "7")
		code, rep, _ := ben.autosave(r.base, fb, nil)
		if code != http.StatusOK {
			t.Fatalf("Ben: %d %+v", code, rep)
		}
		if got := rep.Merged["q.kontakt_telefon"]; !slices.Equal(got, []string{"0511 4711"}) || len(rep.Merged) != 1 {
			t.Fatalf("merged %v, want Anna's phone only", rep.Merged)
		}
		// Ben's page writes Anna's value into its field and saves again.
		fb.Set("revision", strconv.Itoa(rep.Revision))
		fb.Set("q.kontakt_telefon", rep.Merged["q.kontakt_telefon"][0])
		fb.Set("q.betreute_privat", "8")
		if code, rep, _ := ben.autosave(r.base, fb, nil); code != http.StatusOK || len(rep.Merged) != 0 {
			t.Fatalf("Ben again: %d, merged %v", code, rep.Merged)
		}
		if _, ans := stored(); raw(ans, "kontakt_telefon") != "0511 4711" || raw(ans, "betreute_privat") != "8" {
			t.Errorf("stored phone %q, privat %q; want Anna's phone and Ben's 8", raw(ans, "kontakt_telefon"), raw(ans, "betreute_privat"))
		}
	})

	refused := []struct {
		name   string
		change func(url.Values) url.Values
		header map[string]string
		before func(*testing.T) func()
		who    func() *browser
		status int
		text   string // the error's text (German)
	}{
		{name: "conflict", status: http.StatusConflict, text: i18n.DE.T("form.notice.conflict"),
			before: func(t *testing.T) func() { // Ben changes the number Anna changes too
				f := form(ben)
				f.Set("q.betreute_gu", "99")
				if code, _, _ := ben.autosave(r.base, f, nil); code != http.StatusOK {
					t.Fatalf("Ben: %d", code)
				}
				return nil
			},
			change: func(f url.Values) url.Values { f.Set("q.betreute_gu", "55"); return f }}, // Anna's page was made before Ben's save
		{name: "session lost", status: http.StatusUnauthorized, text: i18n.DE.T("error.need_link.text"),
			who: func() *browser { return newBrowser(t, r.base) }},
		{name: "round closed", status: http.StatusConflict, text: i18n.DE.T("form.notice.not_saved"),
			before: func(t *testing.T) func() {
				if err := r.st.CloseRound(ctx, r.round, survey.Actor{Kind: "staff", Label: "Amt"}); err != nil {
					t.Fatal(err)
				}
				return func() { r.st.OpenRound(ctx, r.round, survey.Actor{Kind: "staff", Label: "Amt"}) }
			}},
		{name: "disk full", status: http.StatusServiceUnavailable, text: i18n.DE.T("storage.notice"),
			before: func(t *testing.T) func() {
				r.st.SetFault(failing(store.OpWrite, syscall.ENOSPC))
				return func() { r.st.SetFault(nil) }
			}},
		{name: "body too large", status: http.StatusRequestEntityTooLarge, text: i18n.DE.T("error.too_large.text"),
			change: func(f url.Values) url.Values { f.Set("q.belastung_anmerkungen", strings.Repeat("x", 2<<20)); return f }},
		{name: "invalid UTF-8", status: http.StatusBadRequest, text: i18n.DE.T("error.bad_request.text"),
			change: func(f url.Values) url.Values { f.Set("q.kontakt_name", "\xff\xfe"); return f }},
		{name: "no revision", status: http.StatusBadRequest,
			change: func(f url.Values) url.Values { f.Set("revision", "x"); return f }},
		{name: "revision from the future", status: http.StatusBadRequest,
			change: func(f url.Values) url.Values { f.Set("revision", "9999"); return f }},
		{name: "another Kommune's form", status: http.StatusConflict, text: i18n.DE.T("form.notice.not_saved"),
			change: func(f url.Values) url.Values { f.Set("antwort", "999999"); return f }},
		{name: "submit", status: http.StatusBadRequest, text: i18n.DE.T("error.bad_request.text"),
			change: func(f url.Values) url.Values { f.Set("aktion", "absenden"); return f }},
		{name: "cross-site", status: http.StatusForbidden,
			header: map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			f := form(anna)
			f.Set("q.kontakt_name", "Nicht gespeichert "+tc.name)
			if tc.before != nil {
				if undo := tc.before(t); undo != nil {
					defer undo()
				}
			}
			if tc.change != nil {
				f = tc.change(f)
			}
			respBefore, ansBefore := stored()
			b := anna
			if tc.who != nil {
				b = tc.who()
			}
			code, rep, _ := b.autosave(r.base, f, tc.header)
			if code != tc.status {
				t.Fatalf("status %d, want %d (%+v)", code, tc.status, rep)
			}
			if tc.status != http.StatusForbidden && (!rep.Fallback || rep.Error == "") {
				t.Errorf("refusal without error text or fallback: %+v", rep)
			}
			if tc.text != "" && rep.Error != tc.text {
				t.Errorf("error %q, want %q", rep.Error, tc.text)
			}
			respAfter, ansAfter := stored()
			if respAfter.Revision != respBefore.Revision || respAfter.Status != respBefore.Status || raw(ansAfter, "kontakt_name") != raw(ansBefore, "kontakt_name") {
				t.Errorf("a refused background save changed the answer: revision %d → %d, name %q → %q",
					respBefore.Revision, respAfter.Revision, raw(ansBefore, "kontakt_name"), raw(ansAfter, "kontakt_name"))
			}
		})
	}
}

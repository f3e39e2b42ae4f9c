package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// rig is the demo server started in the test process, so a test can read
// its log and its store.
type rig struct {
	*demo
	st     *store.Store
	sealer *auth.Sealer
	logs   *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startRig runs "bedarf demo" on a temp database like startDemo, with a log
// the test can read and a second store handle on the same file.
func startRig(t *testing.T) *rig {
	t.Helper()
	return startRigWith(t, filepath.Join(t.TempDir(), "rig.db"))
}

// startRigWith starts the rig on db with extra flags for "bedarf demo".
func startRigWith(t *testing.T, db string, extra ...string) *rig {
	t.Helper()
	logs := &lockedBuffer{}
	d := startDemoWith(t, db, logs, extra...)
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := auth.LoadOrCreateKey(strings.TrimSuffix(db, ".db") + ".key")
	if err != nil {
		t.Fatal(err)
	}
	return &rig{demo: d, st: st, sealer: sealer, logs: logs}
}

// signIn signs a staff member in.
func (r *rig) signIn(t *testing.T, email, password string) *browser {
	t.Helper()
	b := newBrowser(t, r.base)
	if code, _, _ := b.post(r.login, url.Values{"email": {email}, "passwort": {password}}); code != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, code)
	}
	return b
}

// auditCount counts the audit log's entries.
func (r *rig) auditCount(t *testing.T) int {
	t.Helper()
	rows, _, err := r.st.AuditSearch(context.Background(), store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

var (
	linkValueRE = regexp.MustCompile(`id="link" value="([^"]+)"`)
	passwordRE  = regexp.MustCompile(`id="neues-passwort" value="([^"]+)"`)
)

func linkOnPage(t *testing.T, page string) string {
	t.Helper()
	m := linkValueRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page shows no link")
	}
	return m[1]
}

// upload posts a file as multipart form data, as a browser does.
func (b *browser) upload(u, name string, data []byte) (int, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("datei", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.origin)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("upload %s: %v", u, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func wantCode(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %d, want %d", what, got, want)
	}
}

// kommuneSave opens a link in a fresh browser and saves one answer with
// all the others as stored, as the browser sends the whole form.
func (r *rig) kommuneSave(t *testing.T, link, value string) (int, string) {
	t.Helper()
	ctx := context.Background()
	form := url.Values{}
	if ref, err := r.st.ResolveToken(ctx, strings.TrimPrefix(link, r.base+"/k/")); err == nil {
		round, _ := r.st.Round(ctx, ref.RoundID)
		qn, _ := r.st.Questionnaire(ctx, round.QuestionnaireID)
		_, ans, _ := r.st.Response(ctx, ref.ResponseID)
		form = qn.FormValues(ans)
	}
	k := newBrowser(t, r.base)
	if code, _, _ := k.get(link); code != http.StatusSeeOther {
		t.Fatalf("link: %d", code)
	}
	_, page, _ := k.get(r.base + "/fragebogen")
	form.Set("revision", revisionOfOr(page, "0"))
	form.Set("aktion", "speichern")
	form.Set("q.betreute_gu", value)
	code, out, _ := k.post(r.base+"/fragebogen", form)
	return code, out
}

// TestRoundLifecycle creates rounds over HTTP, opens, closes and extends
// them, and checks that Kommune saves follow: refused with a clear notice
// when closed or late, accepted again after an extension for the whole
// round or for one Kommune.
func TestRoundLifecycle(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)

	code, page, _ := b.get(r.base + "/verwaltung/runden")
	if code != http.StatusOK || !strings.Contains(page, "Bedarfsabfrage") || !strings.Contains(page, "/verwaltung/runden/1/verwalten") {
		t.Fatalf("rounds list: %d", code)
	}
	code, page, _ = b.get(r.base + "/verwaltung/runden/neu")
	if code != http.StatusOK || strings.Count(page, `name="kommune"`) != 21 || !strings.Contains(page, `type="date"`) {
		t.Fatalf("new round form: %d", code)
	}
	ids := regexp.MustCompile(`id="r-k-(\d{8})" name="kommune" value="(\d+)"`).FindAllStringSubmatch(page, -1)

	// Refused: messages next to the fields, input kept, nothing stored.
	before := r.auditCount(t)
	code, page, _ = b.post(r.base+"/verwaltung/runden", url.Values{"fragebogen": {"1"}, "titel": {"  "}, "beginn": {"2026-05-10"}, "frist": {"2026-05-01"}})
	wantCode(t, "invalid round", code, http.StatusUnprocessableEntity)
	for _, want := range []string{"Bitte geben Sie einen Titel an.", "Die Frist darf nicht vor dem Beginn liegen.", "mindestens eine Kommune", `value="2026-05-10"`} {
		if !strings.Contains(page, want) {
			t.Errorf("422 page lacks %q", want)
		}
	}
	if got := r.auditCount(t); got != before {
		t.Errorf("a refused round changed the audit log (%d → %d entries)", before, got)
	}
	code, _, _ = b.post(r.base+"/verwaltung/runden", url.Values{"fragebogen": {"99"}, "titel": {"X"}, "beginn": {"2026-05-01"}, "frist": {"2026-05-10"}, "alle": {"1"}})
	wantCode(t, "unknown questionnaire version", code, http.StatusUnprocessableEntity)

	// A late round with three Kommunen, open, links made at once.
	today := web.BerlinToday(time.Now())
	form := url.Values{"fragebogen": {"1"}, "titel": {"Nachfrage Herbst"}, "beginn": {web.DateValue(today.AddDate(0, 0, -10))},
		"frist": {web.DateValue(today.AddDate(0, 0, -1))}, "oeffnen": {"1"}, "links": {"1"}, "kommune": {ids[0][2], ids[1][2], ids[2][2]}}
	code, _, h := b.post(r.base+"/verwaltung/runden", form)
	if code != http.StatusSeeOther || h.Get("Location") != "/verwaltung/runden/2/verwalten?hinweis=angelegt" {
		t.Fatalf("create round: %d to %q", code, h.Get("Location"))
	}
	_, page, _ = b.get(r.base + h.Get("Location"))
	if n := strings.Count(page, "<tr id=\"k-"); n != 3 || strings.Count(page, "aktiv seit") != 3 || !strings.Contains(page, "Die Runde ist angelegt.") {
		t.Errorf("round page lists %d Kommunen, links %d", n, strings.Count(page, "aktiv seit"))
	}
	if !strings.Contains(page, ">offen<") || !strings.Contains(page, "Die Frist ist abgelaufen") {
		t.Error("round page does not say open and late")
	}
	agsA, agsB := ids[0][1], ids[1][1]
	letter := func(ags string) string {
		_, p, _ := b.get(r.base + "/verwaltung/runden/2/kommunen/" + ags + "/einladung")
		return linkOnPage(t, p)
	}
	linkA, linkB := letter(agsA), letter(agsB)

	const late = "Ihre Angaben wurden nicht gespeichert: Die Antwort ist eingereicht oder die Frist ist abgelaufen."
	code, page = r.kommuneSave(t, linkA, "10")
	if code != http.StatusConflict || !strings.Contains(page, late) {
		t.Errorf("save after the deadline: %d, notice missing", code)
	}

	// A's own deadline: A may save, B may not.
	kommune := r.base + "/verwaltung/runden/2/kommunen/"
	code, _, _ = b.post(kommune+agsA+"/frist", url.Values{"frist": {web.DateValue(today.AddDate(0, 0, 3))}})
	wantCode(t, "Kommune deadline", code, http.StatusSeeOther)
	_, page, _ = b.get(kommune + agsA)
	if !strings.Contains(page, "(eigene Frist)") || !strings.Contains(page, "Frist der Kommune geändert") {
		t.Error("Kommune page shows neither the own deadline nor its history")
	}
	code, _, _ = b.post(kommune+agsA+"/frist", url.Values{"frist": {web.DateValue(today.AddDate(0, 0, -5))}})
	wantCode(t, "own deadline before the round's", code, http.StatusUnprocessableEntity)
	code, page = r.kommuneSave(t, linkA, "11")
	if code != http.StatusOK || !strings.Contains(page, "Zwischengespeichert") || strings.Contains(page, "Frist ist abgelaufen") {
		t.Errorf("save within the own deadline: %d", code)
	}
	if code, _ = r.kommuneSave(t, linkB, "12"); code != http.StatusConflict {
		t.Errorf("B without own deadline: %d, want 409", code)
	}

	// Extending the whole round lets B save too.
	code, _, _ = b.post(r.base+"/verwaltung/runden/2/frist", url.Values{"frist": {web.DateValue(today.AddDate(0, 0, 14))}})
	wantCode(t, "extend round", code, http.StatusSeeOther)
	if code, _ = r.kommuneSave(t, linkB, "12"); code != http.StatusOK {
		t.Errorf("B after the extension: %d, want 200", code)
	}
	code, _, _ = b.post(r.base+"/verwaltung/runden/2/frist", url.Values{"frist": {"morgen"}})
	wantCode(t, "deadline not a date", code, http.StatusUnprocessableEntity)

	// Closing refuses every save with the notice; reopening accepts them.
	code, _, _ = b.post(r.base+"/verwaltung/runden/2/schliessen", nil)
	wantCode(t, "close", code, http.StatusSeeOther)
	code, page = r.kommuneSave(t, linkA, "13")
	if code != http.StatusConflict || !strings.Contains(page, late) {
		t.Errorf("save in a closed round: %d", code)
	}
	k := newBrowser(t, r.base)
	k.get(linkB)
	if _, page, _ = k.get(r.base + "/fragebogen"); !strings.Contains(page, "Die Frist dieser Erhebungsrunde ist abgelaufen oder die Runde ist geschlossen") {
		t.Error("the Kommune's form does not say that the round is closed")
	}
	code, _, _ = b.post(r.base+"/verwaltung/runden/2/schliessen", nil)
	wantCode(t, "close twice", code, http.StatusConflict)
	code, _, _ = b.post(r.base+"/verwaltung/runden/2/oeffnen", nil)
	wantCode(t, "reopen round", code, http.StatusSeeOther)
	if code, _ = r.kommuneSave(t, linkA, "14"); code != http.StatusOK {
		t.Errorf("save after reopening: %d", code)
	}

	// Every transition is in the audit log.
	_, page, _ = b.get(r.base + "/verwaltung/protokoll?was=round.")
	for _, want := range []string{"Runde angelegt", "Runde geöffnet", "Runde geschlossen", "Frist der Runde geändert"} {
		if !strings.Contains(page, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	_, page, _ = b.get(r.base + "/verwaltung/runden")
	if !strings.Contains(page, "Nachfrage Herbst") || !strings.Contains(page, "0 von 3") {
		t.Error("rounds list lacks the new round or its counts")
	}
}

// TestLinksRegenerateAndRevoke: a new link is shown once on the answer to
// the POST; the old one and its sessions end; revoked links give 404; the
// token never appears in another URL or in the log.
func TestLinksRegenerateAndRevoke(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	const ags = "03241005" // Garbsen
	old := r.links[ags]

	k := newBrowser(t, r.base)
	if code, _, _ := k.get(old); code != http.StatusSeeOther {
		t.Fatalf("old link before: %d", code)
	}
	kommune := r.base + "/verwaltung/runden/1/kommunen/" + ags
	code, page, h := b.post(kommune+"/link", nil)
	if code != http.StatusOK || !strings.Contains(page, "Neuer Link für <bdi>Garbsen</bdi>") {
		t.Fatalf("regenerate: %d", code)
	}
	if h.Get("Cache-Control") != "no-store" {
		t.Errorf("new link page Cache-Control %q", h.Get("Cache-Control"))
	}
	fresh := linkOnPage(t, page)
	if fresh == old || !strings.HasPrefix(fresh, r.base+"/k/") {
		t.Fatalf("new link %q (old %q)", fresh, old)
	}
	token := strings.TrimPrefix(fresh, r.base+"/k/")
	for _, attr := range regexp.MustCompile(`(?:href|src|action)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if strings.Contains(attr[1], token) {
			t.Errorf("token in an address on the page: %s", attr[0])
		}
	}
	if code, page, _ := k.get(r.base + "/fragebogen"); code != http.StatusUnauthorized || !strings.Contains(page, "persönlichen Link") {
		t.Errorf("session of the old link: %d, want 401", code)
	}
	if code, page, _ := newBrowser(t, r.base).get(old); code != http.StatusNotFound || !strings.Contains(page, "Link ungültig") {
		t.Errorf("old link after regenerate: %d, want 404", code)
	}
	k2 := newBrowser(t, r.base)
	if code, _, _ := k2.get(fresh); code != http.StatusSeeOther {
		t.Errorf("new link: %d, want 303", code)
	}

	// The invitation page shows the same link again, the letter and the mail.
	code, page, _ = b.get(kommune + "/einladung")
	if code != http.StatusOK || linkOnPage(t, page) != fresh {
		t.Fatalf("invitation page: %d", code)
	}
	for _, want := range []string{"Stadt Garbsen", "Bedarfsabfrage " + fmt.Sprint(time.Now().In(survey.Berlin()).Year()),
		`id="mail-betreff" value="Einladung:`, `<textarea id="mail-text"`, "bis zum ", `src="/verwaltung/runden/1/kommunen/03241005/qr.png"`, `class="letter"`} {
		if !strings.Contains(page, want) {
			t.Errorf("invitation page lacks %q", want)
		}
	}
	mail := page[strings.Index(page, `<textarea id="mail-text"`):]
	if !strings.Contains(mail[:strings.Index(mail, "</textarea>")], fresh) {
		t.Error("mail text lacks the link")
	}
	code, img, h := b.get(kommune + "/qr.png")
	if code != http.StatusOK || h.Get("Content-Type") != "image/png" || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("QR code: %d %s %s", code, h.Get("Content-Type"), h.Get("Cache-Control"))
	}
	if im, err := png.Decode(strings.NewReader(img)); err != nil || im.Bounds().Dx() < 200 {
		t.Errorf("QR code is no usable PNG: %v", err)
	}

	// Revoking: link and its session end; the page says there is none.
	code, _, h = b.post(kommune+"/link/widerrufen", nil)
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "hinweis=widerrufen") {
		t.Fatalf("revoke: %d %q", code, h.Get("Location"))
	}
	if code, _, _ := newBrowser(t, r.base).get(fresh); code != http.StatusNotFound {
		t.Errorf("revoked link: %d, want 404", code)
	}
	if code, _, _ := k2.get(r.base + "/fragebogen"); code != http.StatusUnauthorized {
		t.Errorf("session of a revoked link: %d, want 401", code)
	}
	wantCode(t, "revoke twice", func() int { c, _, _ := b.post(kommune+"/link/widerrufen", nil); return c }(), http.StatusConflict)
	_, page, _ = b.get(kommune + "/einladung")
	if !strings.Contains(page, "keinen aktiven Link") || linkValueRE.MatchString(page) {
		t.Error("invitation page of a revoked link")
	}
	wantCode(t, "QR code without link", func() int { c, _, _ := b.get(kommune + "/qr.png"); return c }(), http.StatusNotFound)

	// Issuing the missing links gives Garbsen a working one again.
	code, _, _ = b.post(r.base+"/verwaltung/runden/1/links", nil)
	wantCode(t, "issue missing links", code, http.StatusSeeOther)
	_, page, _ = b.get(kommune + "/einladung")
	if code, _, _ := newBrowser(t, r.base).get(linkOnPage(t, page)); code != http.StatusSeeOther {
		t.Errorf("re-issued link: %d", code)
	}

	_, page, _ = b.get(r.base + "/verwaltung/protokoll?was=link.")
	if strings.Count(page, "Link erzeugt") < 2 || !strings.Contains(page, "Link widerrufen") {
		t.Error("audit log lacks the link changes")
	}
	if logs := r.logs.String(); strings.Contains(logs, token) || strings.Contains(logs, strings.TrimPrefix(old, r.base+"/k/")) {
		t.Error("a token is in the log")
	}
}

// TestViewerSeesButChangesNothing: a viewer reads every page, sees no
// action, may not open link pages, and every POST is refused with 403 and
// changes nothing.
func TestViewerSeesButChangesNothing(t *testing.T) {
	r := startRig(t)
	admin := loginAdmin(t, r.demo)
	code, page, _ := admin.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	if code != http.StatusOK {
		t.Fatalf("add viewer: %d", code)
	}
	pw := passwordRE.FindStringSubmatch(page)
	if pw == nil {
		t.Fatal("generated password not shown")
	}
	v := r.signIn(t, "leser@bedarf.example", pw[1])

	for _, p := range []string{"/verwaltung/runden", "/verwaltung/runden/1/verwalten", "/verwaltung/runden/1/kommunen/03241001",
		"/verwaltung/benutzer", "/verwaltung/protokoll", "/verwaltung/protokoll?was=response.&von=2020-01-01", "/verwaltung/frageboegen"} {
		code, page, _ := v.get(r.base + p)
		if code != http.StatusOK {
			t.Errorf("viewer GET %s: %d", p, code)
		}
		if n := changingForms(page); n != 1 { // only "Abmelden"
			t.Errorf("viewer GET %s shows %d forms that change something", p, n-1)
		}
		if strings.Contains(page, "/k/") {
			t.Errorf("viewer GET %s shows a Kommune link", p)
		}
	}
	for _, p := range []string{"/verwaltung/runden/neu", "/verwaltung/runden/1/kommunen/03241001/einladung",
		"/verwaltung/runden/1/kommunen/03241001/qr.png", "/verwaltung/runden/1/kommunen/03241001/erfassen"} {
		if code, _, _ := v.get(r.base + p); code != http.StatusForbidden {
			t.Errorf("viewer GET %s: %d, want 403", p, code)
		}
	}

	before := r.auditCount(t)
	_, roundBefore, _ := admin.get(r.base + "/verwaltung/runden/1/verwalten")
	_, usersBefore, _ := admin.get(r.base + "/verwaltung/benutzer")
	k := "/verwaltung/runden/1/kommunen/03241001"
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/verwaltung/runden", url.Values{"fragebogen": {"1"}, "titel": {"X"}, "beginn": {"2026-01-01"}, "frist": {"2026-02-01"}, "alle": {"1"}}},
		{"/verwaltung/runden/1/schliessen", nil},
		{"/verwaltung/runden/1/oeffnen", nil},
		{"/verwaltung/runden/1/frist", url.Values{"frist": {"2099-01-01"}}},
		{"/verwaltung/runden/1/links", nil},
		{k + "/link", nil},
		{k + "/link/widerrufen", nil},
		{k + "/wiedereroeffnen", nil},
		{k + "/zurueckgeben", url.Values{"nachricht": {"Bitte prüfen"}}},
		{k + "/frist", url.Values{"frist": {"2099-01-01"}}},
		{k + "/erfassen", url.Values{"revision": {"1"}, "antwort": {"1"}, "q.betreute_gu": {"1"}}},
		{"/verwaltung/benutzer", url.Values{"email": {"x@bedarf.example"}, "name": {"X"}, "rolle": {"admin"}}},
		{"/verwaltung/benutzer/1/sperren", nil},
		{"/verwaltung/benutzer/1/entsperren", nil},
		{"/verwaltung/benutzer/1/rolle", url.Values{"rolle": {"viewer"}}},
		{"/verwaltung/benutzer/1/passwort", nil},
	} {
		if code, _, _ := v.post(r.base+tc.path, tc.form); code != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d, want 403", tc.path, code)
		}
	}
	if code, _ := v.upload(r.base+"/verwaltung/frageboegen", "f.yaml", survey.DefaultQuestionnaireYAML()); code != http.StatusForbidden {
		t.Errorf("viewer upload: %d, want 403", code)
	}
	if got := r.auditCount(t); got != before {
		t.Errorf("viewer POSTs wrote %d audit entries", got-before)
	}
	_, roundAfter, _ := admin.get(r.base + "/verwaltung/runden/1/verwalten")
	_, usersAfter, _ := admin.get(r.base + "/verwaltung/benutzer")
	if roundAfter != roundBefore || usersAfter != usersBefore {
		t.Error("viewer POSTs changed the round or the accounts")
	}
}

// TestForeignIDsRefused: a Kommune of another round, a response id of
// another round, unknown rounds and accounts are refused and change nothing.
func TestForeignIDsRefused(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	_, page, _ := b.get(r.base + "/verwaltung/runden/neu")
	first := regexp.MustCompile(`id="r-k-03241001" name="kommune" value="(\d+)"`).FindStringSubmatch(page)[1]
	code, _, _ := b.post(r.base+"/verwaltung/runden", url.Values{"fragebogen": {"1"}, "titel": {"Nur Hannover"},
		"beginn": {"2026-01-01"}, "frist": {"2099-01-01"}, "kommune": {first}, "links": {"1"}})
	wantCode(t, "create round 2", code, http.StatusSeeOther)
	before := r.auditCount(t)

	other := "/verwaltung/runden/2/kommunen/03241005" // Garbsen is not invited to round 2
	for _, p := range []string{other, other + "/einladung", other + "/qr.png", other + "/erfassen", "/verwaltung/runden/9/verwalten",
		"/verwaltung/runden/x/verwalten", "/verwaltung/runden/1/kommunen/03241005%27/erfassen"} {
		if code, _, _ := b.get(r.base + p); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, code)
		}
	}
	for _, p := range []string{other + "/link", other + "/link/widerrufen", other + "/wiedereroeffnen", other + "/frist",
		"/verwaltung/runden/9/schliessen", "/verwaltung/runden/9/frist", "/verwaltung/benutzer/99/sperren", "/verwaltung/benutzer/abc/rolle"} {
		if code, _, _ := b.post(r.base+p, url.Values{"frist": {"2099-02-01"}, "rolle": {"viewer"}}); code != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", p, code)
		}
	}
	// Hannover's form in round 2 with the response id of round 1.
	_, page, _ = b.get(r.base + "/verwaltung/runden/2/kommunen/03241001/erfassen")
	resp1, _, _ := r.st.ResponseByKommune(context.Background(), 1, "03241001")
	code, _, _ = b.post(r.base+"/verwaltung/runden/2/kommunen/03241001/erfassen", url.Values{"revision": {revisionOf(t, page)},
		"antwort": {fmt.Sprint(resp1.ID)}, "q.betreute_gu": {"999"}})
	wantCode(t, "response id of another round", code, http.StatusBadRequest)
	if got := r.auditCount(t); got != before {
		t.Errorf("refused requests wrote %d audit entries", got-before)
	}
	for _, round := range []int64{1, 2} {
		_, ans, _ := r.st.ResponseByKommune(context.Background(), round, "03241001")
		if ans[survey.Key{Question: "betreute_gu"}].Raw == "999" {
			t.Errorf("round %d: a refused save was stored", round)
		}
	}
}

// TestKommuneActions: reopen, enter answers on the Kommune's behalf with
// conflict handling, the planned groups and the history.
func TestKommuneActions(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	const ags = "03241001" // Hannover: submitted in the demo
	kommune := r.base + "/verwaltung/runden/1/kommunen/" + ags
	code, page, _ := b.get(kommune)
	if code != http.StatusOK || !strings.Contains(page, "Wieder zur Bearbeitung öffnen") || !strings.Contains(page, "Geplante Supervisionsgruppen") {
		t.Fatalf("Kommune page: %d", code)
	}
	if !regexp.MustCompile(`<th scope="row">G\d+</th>`).MatchString(page) {
		t.Error("Kommune page shows no planned group")
	}

	// Reopen: the Kommune can save again; reopening twice is refused.
	if code, _ := r.kommuneSave(t, r.links[ags], "5"); code != http.StatusConflict {
		t.Errorf("save of a submitted answer: %d, want 409", code)
	}
	code, _, h := b.post(kommune+"/wiedereroeffnen", nil)
	if code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?hinweis=wiedergeoeffnet") {
		t.Fatalf("reopen: %d", code)
	}
	_, page, _ = b.get(kommune + "?hinweis=wiedergeoeffnet")
	if !strings.Contains(page, "status-draft") || !strings.Contains(page, "Antwort wieder geöffnet") || !strings.Contains(page, "Die Antwort ist wieder geöffnet") {
		t.Error("Kommune page after reopen")
	}
	wantCode(t, "reopen twice", func() int { c, _, _ := b.post(kommune+"/wiedereroeffnen", nil); return c }(), http.StatusConflict)
	if code, _ := r.kommuneSave(t, r.links[ags], "1.234"); code != http.StatusOK {
		t.Errorf("Kommune save after reopen: %d", code)
	}

	// Staff enter a value: stored, marked in the history.
	code, page, _ = b.get(kommune + "/erfassen")
	if code != http.StatusOK || !strings.Contains(page, `id="fragebogen"`) || !strings.Contains(page, `name="q.betreute_gu" value="1.234"`) {
		t.Fatalf("entry form: %d", code)
	}
	rev := revisionOf(t, page)
	resp, _, _ := r.st.ResponseByKommune(context.Background(), 1, ags)
	entry := func(rev string, extra url.Values) url.Values {
		v := url.Values{"revision": {rev}, "antwort": {fmt.Sprint(resp.ID)}, "aktion": {"speichern"}}
		_, ans, _ := r.st.ResponseByKommune(context.Background(), 1, ags)
		qn, _ := r.st.Questionnaire(context.Background(), 1)
		for k, vs := range qn.FormValues(ans) {
			v[k] = vs
		}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}
	code, _, h = b.post(kommune+"/erfassen", entry(rev, url.Values{"q.betreute_privat": {"444"}}))
	if code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?hinweis=erfasst") {
		t.Fatalf("staff save: %d", code)
	}
	_, page, _ = b.get(kommune)
	if !strings.Contains(page, "444") || !strings.Contains(page, "im Auftrag der Kommune erfasst") {
		t.Error("Kommune page lacks the staff value or its mark in the history")
	}

	// A Kommune saves the same field meanwhile: staff see both values.
	_, page, _ = b.get(kommune + "/erfassen")
	stale := revisionOf(t, page)
	if code, _ := r.kommuneSave(t, r.links[ags], "2.000"); code != http.StatusOK {
		t.Fatalf("Kommune save: %d", code)
	}
	form := entry(stale, nil)
	form.Set("q.betreute_gu", "3.000")
	code, page, _ = b.post(kommune+"/erfassen", form)
	if code != http.StatusConflict || !strings.Contains(page, "Gleichzeitige Änderungen") || !strings.Contains(page, "2.000") {
		t.Fatalf("conflicting staff save: %d", code)
	}
	_, ans, _ := r.st.ResponseByKommune(context.Background(), 1, ags)
	if got := ans[survey.Key{Question: "betreute_gu"}].Raw; got != "2.000" {
		t.Errorf("after the refused save: %q, want the Kommune's 2.000", got)
	}
	form.Set("revision", revisionOf(t, page))
	form.Set("konflikte", "q.betreute_gu")
	form.Set("konflikt.q.betreute_gu", "mine")
	if code, _, _ := b.post(kommune+"/erfassen", form); code != http.StatusSeeOther {
		t.Errorf("confirmed staff save: %d", code)
	}
	_, ans, _ = r.st.ResponseByKommune(context.Background(), 1, ags)
	if got := ans[survey.Key{Question: "betreute_gu"}].Raw; got != "3.000" {
		t.Errorf("after confirming: %q, want 3.000", got)
	}

	// Submitting on the Kommune's behalf needs a complete answer.
	_, page, _ = b.get(kommune + "/erfassen")
	incomplete := entry(revisionOf(t, page), url.Values{"aktion": {"einreichen"}, "q.kontakt_name": {""}})
	code, page, _ = b.post(kommune+"/erfassen", incomplete)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Noch nicht eingereicht") {
		t.Errorf("incomplete submit: %d", code)
	}
	if _, page, _ = b.get(kommune); !strings.Contains(page, "status-draft") {
		t.Error("an incomplete submit changed the status")
	}
	_, page, _ = b.get(kommune + "/erfassen")
	code, _, _ = b.post(kommune+"/erfassen", entry(revisionOf(t, page), url.Values{"aktion": {"einreichen"}, "q.kontakt_name": {"Erika Muster"}}))
	wantCode(t, "complete submit", code, http.StatusSeeOther)
	_, page, _ = b.get(kommune)
	if !strings.Contains(page, "status-submitted") {
		t.Error("not submitted after staff submit")
	}
	// A submitted answer stays complete: an invalid correction is refused.
	_, page, _ = b.get(kommune + "/erfassen")
	code, page, _ = b.post(kommune+"/erfassen", entry(revisionOf(t, page), url.Values{"q.betreute_gu": {"viele"}}))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Nicht gespeichert") {
		t.Errorf("invalid correction of a submitted answer: %d", code)
	}
	_, ans, _ = r.st.ResponseByKommune(context.Background(), 1, ags)
	if got := ans[survey.Key{Question: "betreute_gu"}].Raw; got != "3.000" {
		t.Errorf("refused correction stored: %q", got)
	}
}

// TestUsers: add with a generated or given password, refusals, role change,
// disabling ends the session at once, the last admin stays.
func TestUsers(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	users := r.base + "/verwaltung/benutzer"

	code, page, _ := b.post(users, url.Values{"email": {"keine-adresse"}, "name": {""}, "rolle": {"chef"}, "passwort": {"kurz"}})
	wantCode(t, "invalid account", code, http.StatusUnprocessableEntity)
	for _, want := range []string{"gültige E-Mail-Adresse", "einen Namen", "eine Rolle", "mindestens 12 Zeichen", `value="keine-adresse"`} {
		if !strings.Contains(page, want) {
			t.Errorf("422 page lacks %q", want)
		}
	}
	code, page, _ = b.post(users, url.Values{"email": {"kolle@bedarf.example"}, "name": {"Kai Kolle"}, "rolle": {"admin"}, "passwort": {"ein-gutes-passwort"}})
	if code != http.StatusOK || !strings.Contains(page, "ist angelegt") || passwordRE.MatchString(page) {
		t.Fatalf("add with password: %d", code)
	}
	code, page, _ = b.post(users, url.Values{"email": {"KOLLE@bedarf.example"}, "name": {"Doppelt"}, "rolle": {"viewer"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Es gibt schon ein Konto") {
		t.Errorf("duplicate e-mail: %d", code)
	}
	code, page, _ = b.post(users, url.Values{"email": {"lea@bedarf.example"}, "name": {"Lea"}, "rolle": {"viewer"}})
	pw := passwordRE.FindStringSubmatch(page)
	if code != http.StatusOK || pw == nil || len(pw[1]) < 16 {
		t.Fatalf("add with generated password: %d", code)
	}
	if _, page, _ = b.get(users); strings.Contains(page, pw[1]) {
		t.Error("the generated password is shown again")
	}
	ctx := context.Background()
	kai, _ := r.st.UserByEmail(ctx, "kolle@bedarf.example")
	me, _ := r.st.UserByEmail(ctx, r.email)

	// Kai is signed in; disabling him ends his session at once.
	kb := r.signIn(t, "kolle@bedarf.example", "ein-gutes-passwort")
	if code, _, _ := kb.get(r.base + "/verwaltung/runden"); code != http.StatusOK {
		t.Fatalf("Kai: %d", code)
	}
	code, _, _ = b.post(fmt.Sprintf("%s/%d/sperren", users, kai.ID), nil)
	wantCode(t, "disable", code, http.StatusSeeOther)
	if code, _, h := kb.get(r.base + "/verwaltung/runden"); code != http.StatusSeeOther || h.Get("Location") != "/anmelden" {
		t.Errorf("disabled user's session: %d, want 303 to /anmelden", code)
	}
	if code, _, _ := newBrowser(t, r.base).post(r.login, url.Values{"email": {"kolle@bedarf.example"}, "passwort": {"ein-gutes-passwort"}}); code != http.StatusUnauthorized {
		t.Errorf("disabled user's login: %d, want 401", code)
	}
	_, page, _ = b.get(users)
	if !strings.Contains(page, "gesperrt") || !strings.Contains(page, "Entsperren") {
		t.Error("list does not show the disabled account")
	}

	// The demo admin is now the only active admin: no self-demotion or -disabling.
	code, page, _ = b.post(fmt.Sprintf("%s/%d/rolle", users, me.ID), url.Values{"rolle": {"viewer"}})
	if code != http.StatusConflict || !strings.Contains(page, "letzte aktive Administrationskonto") {
		t.Errorf("demote the last admin: %d", code)
	}
	wantCode(t, "disable the last admin", func() int { c, _, _ := b.post(fmt.Sprintf("%s/%d/sperren", users, me.ID), nil); return c }(), http.StatusConflict)
	if code, _, _ := b.get(users); code != http.StatusOK {
		t.Errorf("the last admin lost access: %d", code)
	}

	// Enabled again and made viewer, Kai can read but not change.
	b.post(fmt.Sprintf("%s/%d/entsperren", users, kai.ID), nil)
	code, _, _ = b.post(fmt.Sprintf("%s/%d/rolle", users, kai.ID), url.Values{"rolle": {"viewer"}})
	wantCode(t, "make viewer", code, http.StatusSeeOther)
	code, _, _ = b.post(fmt.Sprintf("%s/%d/rolle", users, kai.ID), url.Values{"rolle": {"chef"}})
	wantCode(t, "unknown role", code, http.StatusUnprocessableEntity) // the list again, with the message
	kb = r.signIn(t, "kolle@bedarf.example", "ein-gutes-passwort")
	if code, _, _ := kb.post(r.base+"/verwaltung/runden/1/schliessen", nil); code != http.StatusForbidden {
		t.Errorf("viewer Kai closes a round: %d", code)
	}

	// A new password ends the sessions and is shown once.
	code, page, _ = b.post(fmt.Sprintf("%s/%d/passwort", users, kai.ID), nil)
	pw = passwordRE.FindStringSubmatch(page)
	if code != http.StatusOK || pw == nil {
		t.Fatalf("new password: %d", code)
	}
	if code, _, _ := kb.get(r.base + "/verwaltung"); code != http.StatusSeeOther {
		t.Errorf("session after a new password: %d", code)
	}
	r.signIn(t, "kolle@bedarf.example", pw[1])

	_, page, _ = b.get(r.base + "/verwaltung/protokoll?was=user.")
	for _, want := range []string{"Konto angelegt", "Konto gesperrt", "Konto entsperrt", "Rolle geändert", "Passwort neu gesetzt"} {
		if !strings.Contains(page, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

// TestAuditLogPage: filters by who, what and when, and pages.
func TestAuditLogPage(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	log := r.base + "/verwaltung/protokoll"
	for ags := range r.links { // 21 more entries: more than one page
		if code, _, _ := b.post(r.base+"/verwaltung/runden/1/kommunen/"+ags+"/link", nil); code != http.StatusOK {
			t.Fatalf("new link for %s: %d", ags, code)
		}
	}
	code, page, _ := b.get(log)
	if code != http.StatusOK || strings.Count(page, "<tr>") != 51 || !strings.Contains(page, "Ältere Einträge") {
		t.Fatalf("first page: %d, %d rows", code, strings.Count(page, "<tr>")-1)
	}
	next := regexp.MustCompile(`href="(/verwaltung/protokoll\?[^"]*vor=\d+)"`).FindStringSubmatch(page)
	if next == nil {
		t.Fatal("no link to older entries")
	}
	_, older, _ := b.get(r.base + strings.ReplaceAll(next[1], "&amp;", "&"))
	if !strings.Contains(older, "Zu den neuesten Einträgen") || older == page {
		t.Error("second page")
	}
	_, page, _ = b.get(log + "?was=link.issue")
	if n := strings.Count(page, "<td>Link erzeugt</td>"); n != 42 {
		t.Errorf("link.issue: %d rows, want 42", n)
	}
	if strings.Contains(page, "<td>Antwort eingereicht</td>") {
		t.Error("filter by action lets others through")
	}
	_, page, _ = b.get(log + "?wer=demo+hannover")
	if !strings.Contains(page, "Demo Hannover") || strings.Contains(page, "Demo Garbsen") {
		t.Error("filter by who")
	}
	today := web.DateValue(web.BerlinToday(time.Now()))
	_, page, _ = b.get(log + "?von=" + today + "&bis=" + today + "&was=round.create")
	if strings.Count(page, "<td>Runde angelegt</td>") != 1 {
		t.Error("filter by today")
	}
	_, page, _ = b.get(log + "?bis=2000-01-01")
	if !strings.Contains(page, "Keine Einträge für diesen Filter") {
		t.Error("filter by a day before everything")
	}
	code, page, _ = b.get(log + "?von=gestern")
	if code != http.StatusOK || !strings.Contains(page, "als Datum an") {
		t.Errorf("invalid date: %d", code)
	}
}

// TestQuestionnaireUpload: YAML and XLSForm uploads, every error with its
// place on a 422 page, uploads above the form limit up to the file limit
// (TestUploadSizeLimits tries every kind of file at its limit).
func TestQuestionnaireUpload(t *testing.T) {
	r := startRig(t)
	b := loginAdmin(t, r.demo)
	up := r.base + "/verwaltung/frageboegen"
	code, page, _ := b.get(up)
	if code != http.StatusOK || !strings.Contains(page, "bedarf-supervision-qualifizierung") || !strings.Contains(page, `enctype="multipart/form-data"`) {
		t.Fatalf("versions page: %d", code)
	}

	src := string(survey.DefaultQuestionnaireYAML())
	v2 := strings.Replace(src, "\ntitle:", "\ntitle: Neu -", 1)
	// A file larger than the 1 MB form limit (a long comment) is accepted.
	big := v2 + "\n# " + strings.Repeat("x", 2<<20) + "\n"
	code, _ = b.upload(up, "fragebogen-v2.yaml", []byte(big))
	wantCode(t, "2 MB YAML", code, http.StatusSeeOther)
	_, page, _ = b.get(up + "?neu=2")
	if !strings.Contains(page, "Gespeichert als") || !strings.Contains(page, "Version 2") {
		t.Error("new version not shown")
	}

	bad := strings.Replace(src, "type: integer", "type: ganzzahl", 1)
	bad = strings.Replace(bad, "id: betreute_privat", "id: betreute_gu", 1)
	code, page = b.upload(up, "kaputt.yaml", []byte(bad))
	wantCode(t, "invalid YAML", code, http.StatusUnprocessableEntity)
	places := regexp.MustCompile(`<td>kaputt\.yaml:\d+</td>`).FindAllString(page, -1)
	if len(places) < 2 || !strings.Contains(page, "kaputt.yaml") || !strings.Contains(page, "nichts gespeichert") {
		t.Errorf("422 page: %d places, want every error with its line", len(places))
	}
	code, page = b.upload(up, "leer.yaml", nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Die Datei ist leer.") {
		t.Errorf("empty file: %d", code)
	}
	// Other forms keep the 1 MB limit.
	code, _, _ = b.post(r.base+"/verwaltung/benutzer", url.Values{"name": {strings.Repeat("x", 2<<20)}})
	wantCode(t, "2 MB form", code, http.StatusRequestEntityTooLarge)

	xls, err := os.ReadFile(filepath.Join("..", "..", "survey", "testdata", "xlsform", "yes_or_no_question.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	code, _ = b.upload(up, "yes_or_no_question.xlsx", xls)
	wantCode(t, "XLSForm", code, http.StatusSeeOther)
	_, page, _ = b.get(up)
	if !strings.Contains(page, "<td>XLSForm</td>") {
		t.Error("XLSForm version not listed")
	}
	code, page = b.upload(up, "kaputt.xlsx", append([]byte("PK\x03\x04"), make([]byte, 100)...))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "kaputt.xlsx") {
		t.Errorf("broken XLSForm: %d", code)
	}

	// The new version can start a round.
	_, page, _ = b.get(r.base + "/verwaltung/runden/neu")
	if !strings.Contains(page, `<option value="2"`) {
		t.Error("new version not offered for a round")
	}
}

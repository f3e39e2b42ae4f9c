package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// storageRig is the real server over a store whose writes a test can make
// fail (store.SetFault), served on a loopback port.
type storageRig struct {
	st       *store.Store
	db       string
	base     string
	links    []store.Link
	round    int64
	password string
}

// seeded is a store in a temporary directory with the demo's data, and
// the server over it (not yet listening).
type seeded struct {
	st       *store.Store
	db       string
	sealer   *auth.Sealer
	srv      *web.Server
	password string // the demo admin's
	round    survey.Round
	links    []store.Link
}

// seedStore opens a store at name in a temporary directory, seeds the demo
// and builds the server over it with opts.
func seedStore(t *testing.T, name string, opts web.Options) seeded {
	t.Helper()
	ctx := context.Background()
	s := seeded{db: filepath.Join(t.TempDir(), name)}
	var err error
	if s.st, err = store.Open(ctx, s.db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.st.Close() })
	if s.sealer, err = auth.NewSealer(make([]byte, 32)); err != nil {
		t.Fatal(err)
	}
	if s.password, err = seedDemo(ctx, s.st, s.sealer, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if s.round, err = s.st.LatestRound(ctx); err != nil {
		t.Fatal(err)
	}
	if s.links, err = s.st.Links(ctx, s.round.ID, s.sealer); err != nil {
		t.Fatal(err)
	}
	if s.srv, err = web.New(s.st, s.sealer, slog.New(slog.NewTextHandler(io.Discard, nil)), opts); err != nil {
		t.Fatal(err)
	}
	return s
}

func startStorageRig(t *testing.T) *storageRig {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	s := seedStore(t, "storage.db", web.Options{BaseURL: "http://" + hs.Listener.Addr().String()})
	hs.Config.Handler = s.srv.Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return &storageRig{st: s.st, db: s.db, base: hs.URL, links: s.links, round: s.round.ID, password: s.password}
}

// editableLink returns the link of a Kommune whose answer can still be
// edited, with its response.
func (r *storageRig) editableLink(t *testing.T) (store.Link, survey.Response) {
	t.Helper()
	for _, l := range r.links {
		resp, _, err := r.st.Response(context.Background(), l.ResponseID)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status.Editable() {
			return l, resp
		}
	}
	t.Fatal("no editable response in the demo")
	return store.Link{}, survey.Response{}
}

// failing is a fault (store.SetFault) that fails op with err.
func failing(op store.Op, err error) func(context.Context, store.Op) error {
	return func(_ context.Context, got store.Op) error {
		if got == op {
			return err
		}
		return nil
	}
}

// busyError returns a real SQLITE_BUSY error: a second writer on a database
// whose lock another connection holds, with no time to wait.
func busyError(t *testing.T) error {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	open := func() *sql.DB {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)&_pragma=journal_mode(WAL)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.SetMaxOpenConns(1)
		return db
	}
	a, b := open(), open()
	if _, err := a.ExecContext(ctx, "CREATE TABLE x (y)"); err != nil {
		t.Fatal(err)
	}
	conn, err := a.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	_, err = b.ExecContext(ctx, "INSERT INTO x VALUES (1)")
	if kind, ok := store.Unavailable(err); !ok || kind != store.StorageLocked {
		t.Fatalf("second writer: %v, want a locked database", err)
	}
	return err
}

// readiness fetches /readyz.
func readiness(t *testing.T, base string) (int, readyzBody) {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body readyzBody
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("/readyz body: %v", err)
	}
	return resp.StatusCode, body
}

// readyzBody is what /readyz answers.
type readyzBody struct {
	Status         string `json:"status"`
	Database       string `json:"database"`
	FreeBytes      int64  `json:"free_bytes"`
	MinFreeBytes   int64  `json:"min_free_bytes"`
	LastWriteError *struct {
		Kind    string `json:"kind"`
		Error   string `json:"error"`
		Current bool   `json:"current"`
	} `json:"last_write_error"`
}

// shows reports whether page shows value as a form field's content (an
// input's value or a textarea's text), escaped as html/template does.
func shows(page, value string) bool {
	esc := html.EscapeString(value)
	return strings.Contains(page, `value="`+esc+`"`) || strings.Contains(page, `value="`+templateAttr(value)+`"`) ||
		strings.Contains(page, ">"+esc+"</textarea>") || strings.Contains(page, ">"+templateAttr(value)+"</textarea>")
}

// templateAttr escapes as html/template does in attributes and text.
func templateAttr(v string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(v)
}

// TestStorageFailureKeepsInput: when the database cannot write (an I/O
// error, a full disk, a lock held past the busy timeout), the Kommune's
// questionnaire, staff entry on its behalf and the other staff forms answer
// 503 with every typed value and the notice that nothing was saved (German
// and English); /readyz reports the failure; the same values sent again
// once the storage is back are saved, without a restart.
func TestStorageFailureKeepsInput(t *testing.T) {
	r := startStorageRig(t)
	ctx := context.Background()
	link, resp := r.editableLink(t)
	kommune := newBrowser(t, r.base)
	if code, _, _ := kommune.get(r.base + "/k/" + link.Token); code != http.StatusSeeOther {
		t.Fatalf("open link: %d", code)
	}
	admin := newBrowser(t, r.base)
	if code, _, _ := admin.post(r.base+"/anmelden", url.Values{"email": {demoAdminEmail}, "passwort": {r.password}}); code != http.StatusSeeOther {
		t.Fatalf("admin login: %d", code)
	}
	entryURL := fmt.Sprintf("%s/verwaltung/runden/%d/kommunen/%s/erfassen", r.base, r.round, resp.Kommune.AGS)
	// The round's default scenario stored, as after any first change.
	decisive, err := r.st.EnsureScenarios(ctx, r.round, analysis.MarshalParams(analysis.DefaultParams()))
	if err != nil {
		t.Fatal(err)
	}

	for i, tc := range []struct {
		name  string
		fault error
		kind  string
		lang  string
	}{
		{"I/O error", syscall.EIO, store.StorageIO, "de"},
		{"disk full", syscall.ENOSPC, store.StorageFull, "en"},
		{"locked", busyError(t), store.StorageLocked, "de"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, b := range []*browser{kommune, admin} {
				u, _ := url.Parse(r.base)
				b.c.Jar.SetCookies(u, []*http.Cookie{{Name: web.LangCookie, Value: tc.lang, Path: "/"}})
			}
			l, _ := i18n.Parse(tc.lang)
			notice := l.T("storage.notice")
			typed := fmt.Sprintf("Erika <Müller> & Co. %d", i)
			_, page, _ := kommune.get(r.base + "/fragebogen")
			form := pageForm(t, page)
			form.Set("q.kontakt_name", typed)
			form.Set("q.belastung_anmerkungen", fmt.Sprintf("Zeile eins\nZeile \"zwei\" %d", i))
			form.Set("aktion", "speichern")
			_, before, _ := kommune.get(r.base + "/fragebogen")

			r.st.SetFault(failing(store.OpWrite, tc.fault))
			code, body, hdr := kommune.post(r.base+"/fragebogen", form)
			if code != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" {
				t.Fatalf("questionnaire save with %s: %d (Retry-After %q), want 503", tc.name, code, hdr.Get("Retry-After"))
			}
			if !strings.Contains(body, html.EscapeString(notice)) && !strings.Contains(body, templateAttr(notice)) {
				t.Errorf("the 503 page lacks the notice %q", notice)
			}
			kept := pageForm(t, body)
			for _, f := range []string{"q.kontakt_name", "q.belastung_anmerkungen", "revision"} {
				if kept.Get(f) != form.Get(f) {
					t.Errorf("503 form: %s = %q, want %q as typed", f, kept.Get(f), form.Get(f))
				}
			}
			if _, after, _ := kommune.get(r.base + "/fragebogen"); pageForm(t, after).Get("q.kontakt_name") != pageForm(t, before).Get("q.kontakt_name") {
				t.Errorf("a refused save changed the stored answer")
			}

			// Staff entry on the Kommune's behalf: the same form, kept.
			_, entry, _ := admin.get(entryURL)
			eform := pageForm(t, entry)
			eform.Set("q.kontakt_name", typed+" (Verwaltung)")
			eform.Set("aktion", "speichern")
			code, body, _ = admin.post(entryURL, eform)
			if code != http.StatusServiceUnavailable || pageForm(t, body).Get("q.kontakt_name") != typed+" (Verwaltung)" {
				t.Errorf("staff entry with %s: %d, kept %q", tc.name, code, pageForm(t, body).Get("q.kontakt_name"))
			}

			// Other staff forms: the values come back in a form that sends
			// them again to the same address: on the form's own page where
			// the handler knows it (marker), else on the page that lists
			// the posted fields.
			resend := l.T("storage.resend")
			for _, sf := range []struct {
				path   string
				form   url.Values
				show   string
				marker string
			}{
				{"/verwaltung/rechtstexte/impressum", url.Values{"sprache": {"de"}, "text": {"# Impressum\nRegion <Hannover> " + tc.name}}, "text", `id="text-de"`},
				{fmt.Sprintf("/verwaltung/runden/%d/plan/szenarien", r.round), url.Values{"name": {"Variante " + tc.name}}, "name", resend},
				{fmt.Sprintf("/verwaltung/runden/%d/plan/szenarien/%d", r.round, decisive), scenarioForm("Geändert " + tc.name), "name", `class="params"`},
			} {
				code, body, _ := admin.post(r.base+sf.path, sf.form)
				if code != http.StatusServiceUnavailable {
					t.Errorf("POST %s with %s: %d, want 503", sf.path, tc.name, code)
					continue
				}
				if !shows(body, sf.form.Get(sf.show)) || !strings.Contains(body, `action="`+sf.path+`"`) || !strings.Contains(body, sf.marker) {
					t.Errorf("POST %s: the 503 page does not offer %q again on its page (%s): %.2000s", sf.path, sf.form.Get(sf.show), sf.marker, body)
				}
				if !strings.Contains(body, notice) && !strings.Contains(body, html.EscapeString(notice)) {
					t.Errorf("POST %s: the 503 page lacks the notice", sf.path)
				}
			}

			code, ready := readiness(t, r.base)
			if code != http.StatusServiceUnavailable || ready.LastWriteError == nil || ready.LastWriteError.Kind != tc.kind || !ready.LastWriteError.Current {
				t.Errorf("/readyz during %s: %d %+v", tc.name, code, ready.LastWriteError)
			}

			// The storage is back: the kept form, sent again, is saved.
			r.st.SetFault(nil)
			code, body, _ = kommune.post(r.base+"/fragebogen", kept)
			if code != http.StatusOK || pageForm(t, body).Get("q.kontakt_name") != typed {
				t.Errorf("sending the kept form again: %d, stored %q", code, pageForm(t, body).Get("q.kontakt_name"))
			}
			_, ans, err := r.st.Response(ctx, resp.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := ans[survey.Key{Question: "kontakt_name"}].Raw; got != typed {
				t.Errorf("stored %q, want %q", got, typed)
			}
			if code, ready := readiness(t, r.base); code != http.StatusOK || ready.LastWriteError == nil || ready.LastWriteError.Current {
				t.Errorf("/readyz after the storage is back: %d %+v", code, ready.LastWriteError)
			}
		})
	}
}

// TestStorageFailureSession: a session whose last use cannot be recorded
// (the write of a session read fails) still counts, so the Kommune sees its
// form, not the page asking for its link; one that cannot be read answers
// 503, with the posted values for a POST.
func TestStorageFailureSession(t *testing.T) {
	r := startStorageRig(t)
	link, _ := r.editableLink(t)
	kommune := newBrowser(t, r.base)
	if code, _, _ := kommune.get(r.base + "/k/" + link.Token); code != http.StatusSeeOther {
		t.Fatalf("open link: %d", code)
	}
	db, err := sql.Open("sqlite", "file:"+r.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	old := time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	if _, err := db.Exec("UPDATE sessions SET last_seen_at = ?", old); err != nil {
		t.Fatal(err)
	}
	r.st.SetFault(failing(store.OpWrite, syscall.EIO))
	code, page, _ := kommune.get(r.base + "/fragebogen")
	if code != http.StatusOK {
		t.Fatalf("questionnaire while the session's use cannot be recorded: %d, want 200: %.500s", code, page)
	}
	if _, err := parsePageForm(page); err != nil {
		t.Error(err)
	}
	var seen string
	if err := db.QueryRow("SELECT last_seen_at FROM sessions").Scan(&seen); err != nil || seen != old {
		t.Errorf("last_seen_at = %q (%v), want unchanged %q", seen, err, old)
	}
	if errors.Is(err, sql.ErrNoRows) {
		t.Error("the session is gone")
	}

	// A session that cannot be read at all is not taken for no session:
	// a page asks to try again shortly, a posted form comes back whole.
	r.st.SetFault(nil)
	admin := newBrowser(t, r.base)
	if code, _, _ := admin.post(r.base+"/anmelden", url.Values{"email": {demoAdminEmail}, "passwort": {r.password}}); code != http.StatusSeeOther {
		t.Fatalf("admin login: %d", code)
	}
	form := pageForm(t, page)
	form.Set("q.kontakt_name", "Gelesen <nicht>")
	form.Set("aktion", "speichern")
	r.st.SetFault(failing(store.OpReadSession, syscall.EIO))
	defer r.st.SetFault(nil)
	code, page, _ = kommune.get(r.base + "/fragebogen")
	if code != http.StatusServiceUnavailable || !strings.Contains(page, html.EscapeString(langs0().T("storage.text.read"))) {
		t.Errorf("questionnaire while the session cannot be read: %d, want 503 asking to try again: %.300s", code, page)
	}
	for _, tc := range []struct {
		b     *browser
		path  string
		form  url.Values
		field string
	}{
		{kommune, "/fragebogen", form, "q.kontakt_name"},
		{admin, "/verwaltung/rechtstexte/impressum", url.Values{"sprache": {"de"}, "text": {"Text,\nder bleibt"}}, "text"},
	} {
		code, page, _ := tc.b.post(r.base+tc.path, tc.form)
		if code != http.StatusServiceUnavailable || !shows(page, tc.form.Get(tc.field)) || !strings.Contains(page, `action="`+tc.path+`"`) {
			t.Errorf("POST %s while the session cannot be read: %d, want 503 with %q to send again: %.300s", tc.path, code, tc.form.Get(tc.field), page)
		}
	}
}

// smallDisk mounts a tmpfs of the given size (e.g. "32m") on a new
// temporary directory and unmounts it at the end of the test. It needs
// root; without it the test is skipped, except in CI (CI=true), where it
// fails.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		msg := fmt.Sprintf("cannot mount a tmpfs of %s on %s (%v: %s); the test needs root", size, dir, err, bytes.TrimSpace(out))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk writes a file into dir until its file system is full and
// returns a function that removes it again.
func fillDisk(t *testing.T, dir string) (free func()) {
	t.Helper()
	path := filepath.Join(dir, "ballast")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err = f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("filling %s: %v, want ENOSPC", dir, err)
	}
	// The last blocks: a byte at a time.
	f, _ = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	for i := 0; i < 1<<16; i++ {
		if _, err := f.Write(chunk[:1]); err != nil {
			break
		}
	}
	f.Close()
	return func() {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFullDisk runs the real program on a small tmpfs and fills it: the
// Kommune still sees its form (its session's use cannot be recorded, the
// session counts); a save and a staff form answer 503 with every typed
// value; /readyz reports the full disk; once space is free, the kept form
// sent again is saved without a restart. "bedarf serve" on the full disk
// names the lack of disk space.
func TestFullDisk(t *testing.T) {
	dir := smallDisk(t, "32m")
	db := filepath.Join(dir, "bedarf.db")
	d := startDemoWith(t, db, io.Discard)
	ags := editableKommunen(t, d.base, d.links)[0]
	k := openEditor(t, d, ags, "Frau Voll")
	admin := loginAdmin(t, d)
	typed := "Erika Müller, Platte voll"
	k.form.Set("q.kontakt_name", typed)
	k.form.Set("aktion", "speichern")

	// Make the next writes need new blocks: the Kommune's session is due
	// for its last-use update, and the WAL is emptied.
	raw, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	if _, err := raw.Exec("UPDATE sessions SET last_seen_at = ? WHERE kind = 'kommune'", old); err != nil {
		t.Fatal(err)
	}
	var busy, logFrames, done int
	if err := raw.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy %d, %v", busy, err)
	}
	raw.Close()

	free := fillDisk(t, dir)
	code, page, _ := k.b.get(d.base + "/fragebogen")
	if code != http.StatusOK || !strings.Contains(page, `<form id="fragebogen"`) {
		t.Fatalf("the form on a full disk: %d, want 200 with the form: %.300s", code, page)
	}
	code, page, _ = k.b.post(d.base+"/fragebogen", k.form)
	if code != http.StatusServiceUnavailable {
		t.Fatalf("save on a full disk: %d, want 503", code)
	}
	kept := pageForm(t, page)
	if kept.Get("q.kontakt_name") != typed || !strings.Contains(page, html.EscapeString(langs0().T("storage.notice"))) {
		t.Errorf("the 503 page keeps %q, want %q, and the notice", kept.Get("q.kontakt_name"), typed)
	}
	text := "# Impressum\nRegion Hannover, Platte voll"
	code, page, _ = admin.post(d.base+"/verwaltung/rechtstexte/impressum", url.Values{"sprache": {"de"}, "text": {text}})
	if code != http.StatusServiceUnavailable || !shows(page, text) {
		t.Errorf("legal text on a full disk: %d, text kept: %v", code, shows(page, text))
	}
	code, ready := readiness(t, d.base)
	if code != http.StatusServiceUnavailable || ready.FreeBytes >= ready.MinFreeBytes || ready.LastWriteError == nil || ready.LastWriteError.Kind != store.StorageFull {
		t.Errorf("/readyz on a full disk: %d %+v", code, ready)
	}

	free()
	k.form = kept
	code, page, err = k.send(d.base)
	if err != nil || code != http.StatusOK || pageForm(t, page).Get("q.kontakt_name") != typed {
		t.Errorf("the kept form sent again once space is free: %d %v", code, err)
	}
	if code, ready := readiness(t, d.base); code != http.StatusOK || ready.FreeBytes < ready.MinFreeBytes {
		t.Errorf("/readyz once space is free: %d %+v", code, ready)
	}
	d.stop()

	free = fillDisk(t, dir)
	defer free()
	err = run(context.Background(), []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "no disk space left") {
		t.Errorf("serve on a full disk: %v, want it to name the disk space", err)
	}
}

func langs0() i18n.Lang { return i18n.Langs[0] }

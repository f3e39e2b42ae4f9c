package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// Thresholds of bedarf doctor.
const (
	// doctorCertWarn: a certificate that expires sooner counts as a problem
	// (automatic renewal usually happens 30 days ahead).
	doctorCertWarn = 14 * 24 * time.Hour
	// doctorMinFree is the free space needed besides twice the database
	// (room for the write-ahead log and the backup taken before an upgrade).
	doctorMinFree = 200 << 20
)

// doctor collects the outcome of the checks, one line each.
type doctor struct {
	w      io.Writer
	failed int
}

func (d *doctor) ok(format string, args ...any) {
	fmt.Fprintf(d.w, "✓ "+format+"\n", args...)
}

// note reports something open that does not make the check fail.
func (d *doctor) note(format string, args ...any) {
	fmt.Fprintf(d.w, "○ "+format+"\n", args...)
}

func (d *doctor) fail(format string, args ...any) {
	d.failed++
	fmt.Fprintf(d.w, "✗ "+format+"\n", args...)
}

// runDoctor checks an installation with the configuration of bedarf serve
// (same flags and BEDARF_* variables) and says in German what is wrong:
// configuration, SQLite, database, migrations, key file, free disk, TLS
// files and whether the base URL answers. It changes nothing and fails
// when any check fails.
func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("doctor", "[Optionen von serve]", stderr)
	var c config
	c.flags(fs, "bedarf.db")
	c.serveFlags(fs)
	timeout := fs.Duration("timeout", 5*time.Second, "wie lange auf die Antwort der öffentlichen Adresse gewartet wird")
	backupDir := fs.String("backup-dir", envOr("BEDARF_BACKUP_DIR", ""), "`ORDNER` Ordner der Sicherungen, geprüft auf Reste abgebrochener Sicherungen (BEDARF_BACKUP_DIR; der Ordner der Datenbank wird immer geprüft)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d := &doctor{w: stdout}
	fmt.Fprintf(stdout, "bedarf %s – Prüfung der Einrichtung\n", buildVersion())
	d.checkConfig(c)
	d.checkSQLite(ctx)
	if d.checkDatabase(ctx, c.DB, c.Mail.Host != "") {
		d.checkKeyFile(c.keyFile())
	}
	d.checkDisk(c.DB)
	d.checkLeftovers(filepath.Dir(c.DB), *backupDir)
	if c.TLS.enabled() {
		d.checkTLS(c)
	}
	d.checkReachable(ctx, c, *timeout)
	if d.failed > 0 {
		return fmt.Errorf("doctor: %d %s fehlgeschlagen", d.failed, plural(d.failed, "Prüfung", "Prüfungen"))
	}
	fmt.Fprintln(stdout, "Alles in Ordnung.")
	return nil
}

func (d *doctor) checkConfig(c config) {
	if _, err := newLogger(io.Discard, c.LogFormat); err != nil {
		d.fail("Protokollformat: %v (BEDARF_LOG_FORMAT)", err)
	}
	if proxies, err := web.ParseTrustedProxies(splitList(c.TrustedProxies)); err != nil {
		d.fail("Vertrauenswürdige Proxys: %v (BEDARF_TRUSTED_PROXIES)", err)
	} else if len(proxies) > 0 {
		d.ok("Vertrauenswürdige Proxys: %s", strings.Join(web.PrefixStrings(proxies), ", "))
	}
	if err := c.drainTimeout(); err != nil {
		d.fail("Abschaltfrist: %v", err)
	}
	if c.BaseURL == "" {
		d.fail("Basis-URL nicht gesetzt: Links in Einladungen zeigen auf %s (--base-url bzw. BEDARF_BASE_URL auf die öffentliche Adresse setzen)", defaultBaseURL(c))
		return
	}
	u, err := url.Parse(c.BaseURL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		d.fail("Basis-URL %q ist keine Adresse der Form https://bedarf.example.de", c.BaseURL)
	case strings.Trim(u.Path, "/") != "":
		d.fail("Basis-URL %s hat einen Pfad: bedarf braucht einen eigenen (Sub-)Domainnamen, z. B. https://bedarf.example.de", c.BaseURL)
	case u.Scheme == "http" && !loopbackHost(u.Hostname()):
		d.fail("Basis-URL %s ohne https: Passwörter und Antworten gingen unverschlüsselt über das Netz (TLS am Reverse-Proxy oder mit --tls-cert einrichten)", c.BaseURL)
	default:
		d.ok("Basis-URL %s", c.BaseURL)
	}
}

func defaultBaseURL(c config) string {
	if c.TLS.enabled() {
		return "https://" + c.Addr
	}
	return "http://" + c.Addr
}

func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (d *doctor) checkSQLite(ctx context.Context) {
	v, err := store.LinkedSQLiteVersion(ctx)
	switch {
	case err != nil:
		d.fail("SQLite: %v", err)
	case versionBefore(v, store.MinSQLiteVersion):
		d.fail("SQLite %s ist zu alt: mindestens %s nötig (Fehler beim Zurücksetzen des WAL)", v, store.MinSQLiteVersion)
	default:
		d.ok("SQLite %s (mindestens %s nötig)", v, store.MinSQLiteVersion)
	}
}

// versionBefore compares dotted version numbers.
func versionBefore(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// checkDatabase checks the database file without changing it and reports
// whether it exists.
func (d *doctor) checkDatabase(ctx context.Context, path string, mailReady bool) bool {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		d.fail("Datenbank %s fehlt: serve legt sie beim ersten Start an; ist der Pfad (--db, BEDARF_DB) richtig?", path)
		return false
	case err != nil:
		d.fail("Datenbank %s: %v", path, err)
		return false
	case !fi.Mode().IsRegular():
		d.fail("Datenbank %s ist keine Datei", path)
		return false
	}
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err != nil {
		d.fail("Datenbank %s ist nicht beschreibbar: %v (Eigentümer und Rechte prüfen)", path, err)
	} else {
		f.Close()
		if err := dirWritable(filepath.Dir(path)); err != nil {
			d.fail("Verzeichnis %s ist nicht beschreibbar: %v (SQLite legt dort -wal und -shm an, vor Updates auch eine Sicherung)", filepath.Dir(path), err)
		} else {
			d.ok("Datenbank %s ist beschreibbar (%s)", path, formatBytes(fi.Size()))
		}
	}
	db, err := store.OpenInspection(path)
	if err != nil {
		d.fail("Datenbank %s: %v", path, err)
		return true
	}
	defer db.Close()
	if check, err := db.QuickCheck(ctx); err != nil || check != "ok" {
		d.fail("Datenbank %s ist beschädigt (quick_check: %s %v): Sicherung zurückspielen, siehe docs/betrieb.md", path, check, err)
		return true
	}
	d.checkMigrations(ctx, db)
	d.checkContents(ctx, db)
	d.checkSetup(ctx, db, mailReady)
	return true
}

// checkSetup lists the steps of the setup page that are open, by the
// page's names: an essential one (Kommunen, questionnaire, round) fails.
func (d *doctor) checkSetup(ctx context.Context, db *store.Inspection, mailReady bool) {
	st, err := db.SetupState(ctx)
	if err != nil {
		d.fail("Einrichtung: %v", err)
		return
	}
	var done []string
	for _, step := range web.SetupSteps(st, mailReady) {
		name := i18n.DE.T(step.Name())
		switch {
		case step.State == web.StateDone:
			done = append(done, name)
		case step.Open() && step.Essential:
			d.fail("Einrichtung offen: %s (Seite %s nach der Anmeldung)", name, web.SetupPath)
		case step.Open():
			d.note("Einrichtung offen: %s (für den Start nicht nötig)", name)
		}
	}
	if len(done) > 0 {
		d.ok("Einrichtung erledigt: %s", strings.Join(done, ", "))
	}
}

func (d *doctor) checkMigrations(ctx context.Context, db *store.Inspection) {
	names, err := db.AppliedMigrations(ctx)
	if err != nil {
		d.fail("Migrationen: %v (keine bedarf-Datenbank?)", err)
		return
	}
	applied := map[string]bool{}
	for _, n := range names {
		applied[n] = true
	}
	known := store.KnownMigrations()
	var pending, unknown []string
	for _, m := range known {
		if !applied[m] {
			pending = append(pending, strings.TrimPrefix(m, "migrations/"))
		}
	}
	for m := range applied {
		if !slices.Contains(known, m) {
			unknown = append(unknown, strings.TrimPrefix(m, "migrations/"))
		}
	}
	slices.Sort(unknown)
	switch {
	case len(unknown) > 0:
		d.fail("Schema: die Datenbank stammt von einer neueren bedarf-Version (%s): diese Version verwenden oder die Sicherung vor dem Update zurückspielen", strings.Join(unknown, ", "))
	case len(pending) > 0:
		d.fail("Schema: %d %s ausstehend (%s): der Dienst läuft noch mit der alten Version; beim nächsten Start wird gesichert und aktualisiert",
			len(pending), plural(len(pending), "Migration", "Migrationen"), strings.Join(pending, ", "))
	default:
		d.ok("Schema aktuell (%s)", lastMigration())
	}
}

// checkContents says whether the installation has what a round needs.
func (d *doctor) checkContents(ctx context.Context, db *store.Inspection) {
	kommunen, err := db.Kommunen(ctx)
	if err != nil {
		d.fail("Kommunen: %v", err)
		return
	}
	admins, err := db.ActiveAdmins(ctx)
	if err != nil {
		d.fail("Konten: %v", err)
		return
	}
	if kommunen == 0 {
		d.fail("Keine Kommunen gespeichert: bedarf kommunen import DATEI.csv")
	} else {
		d.ok("%d Kommunen gespeichert", kommunen)
	}
	if admins == 0 {
		d.fail("Kein aktives Konto mit Rolle admin: bedarf user add --email … --name … --role admin")
	} else {
		d.ok("%d %s mit Rolle admin", admins, plural(admins, "Konto", "Konten"))
	}
}

func (d *doctor) checkKeyFile(path string) {
	fi, err := os.Stat(path)
	if err != nil {
		d.fail("Schlüsseldatei der Links %s: %v (ohne sie lassen sich vorhandene Links nicht mehr anzeigen; aus der Sicherung zurückholen)", path, err)
		return
	}
	key, err := os.ReadFile(path)
	if err == nil {
		_, err = auth.NewSealer(key)
	}
	switch {
	case err != nil:
		d.fail("Schlüsseldatei der Links %s ist nicht lesbar: %v", path, err)
	case fi.Mode().Perm()&0o077 != 0:
		d.fail("Schlüsseldatei der Links %s hat die Rechte %04o: nur der Dienst darf sie lesen (chmod 600)", path, fi.Mode().Perm())
	default:
		d.ok("Schlüsseldatei der Links %s (Rechte %04o)", path, fi.Mode().Perm())
	}
}

// checkLeftovers removes the temporary copies of the database that killed
// backups, restores or migrations left in the database's directory and in
// the backup directory (if set), and names them.
func (d *doctor) checkLeftovers(dbDir, backupDir string) {
	var dirs []string
	if _, err := os.Stat(dbDir); err == nil {
		dirs = append(dirs, dbDir) // else checkDatabase reports a missing database
	}
	if backupDir != "" && filepath.Clean(backupDir) != filepath.Clean(dbDir) {
		dirs = append(dirs, backupDir)
	}
	for _, dir := range dirs {
		removed, err := store.RemoveLeftovers(dir)
		switch {
		case err != nil:
			d.fail("Reste abgebrochener Sicherungen in %s: %v", dir, err)
		case len(removed) > 0:
			d.ok("Reste abgebrochener Sicherungen in %s entfernt (Kopien der Datenbank): %s", dir, strings.Join(removed, ", "))
		default:
			d.ok("Keine Reste abgebrochener Sicherungen in %s", dir)
		}
	}
}

func (d *doctor) checkDisk(dbPath string) {
	dir := filepath.Dir(dbPath)
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		d.fail("Freier Speicher in %s: %v", dir, err)
		return
	}
	free := int64(st.Bavail) * int64(st.Bsize)
	var size int64
	if fi, err := os.Stat(dbPath); err == nil {
		size = fi.Size()
	}
	need := 2*size + doctorMinFree
	if free < need {
		d.fail("Freier Speicher in %s: nur %s, nötig sind mindestens %s (Datenbank, Protokoll, Sicherung vor Updates)", dir, formatBytes(free), formatBytes(need))
		return
	}
	d.ok("Freier Speicher in %s: %s", dir, formatBytes(free))
}

func (d *doctor) checkTLS(c config) {
	for _, f := range []string{c.TLS.Cert, c.TLS.Key} {
		if f == "" {
			d.fail("TLS: --tls-cert und --tls-key gehören zusammen (BEDARF_TLS_CERT, BEDARF_TLS_KEY)")
			return
		}
	}
	pair, err := tls.LoadX509KeyPair(c.TLS.Cert, c.TLS.Key)
	if err != nil {
		d.fail("TLS-Zertifikat %s mit Schlüssel %s: %v", c.TLS.Cert, c.TLS.Key, err)
	} else if leaf := pair.Leaf; leaf != nil {
		now := time.Now()
		left := leaf.NotAfter.Sub(now)
		until := leaf.NotAfter.In(survey.Berlin()).Format("02.01.2006")
		switch {
		case now.Before(leaf.NotBefore):
			d.fail("TLS-Zertifikat %s gilt erst ab %s", c.TLS.Cert, leaf.NotBefore.In(survey.Berlin()).Format("02.01.2006"))
		case left <= 0:
			d.fail("TLS-Zertifikat %s ist am %s abgelaufen: erneuern", c.TLS.Cert, until)
		case left < doctorCertWarn:
			d.fail("TLS-Zertifikat %s läuft am %s ab (in %d Tagen): erneuern (bedarf lädt es ohne Neustart neu)", c.TLS.Cert, until, int(left.Hours()/24))
		default:
			d.ok("TLS-Zertifikat %s gültig bis %s (%s)", c.TLS.Cert, until, leaf.Subject.CommonName)
		}
		if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" && c.BaseURL != "" {
			if err := leaf.VerifyHostname(u.Hostname()); err != nil {
				d.fail("TLS-Zertifikat %s passt nicht zur Basis-URL: %v", c.TLS.Cert, err)
			}
		}
	}
	if fi, err := os.Stat(c.TLS.Key); err == nil {
		if fi.Mode().Perm()&0o077 != 0 {
			d.fail("TLS-Schlüssel %s hat die Rechte %04o: nur der Dienst darf ihn lesen (chmod 600)", c.TLS.Key, fi.Mode().Perm())
		} else {
			d.ok("TLS-Schlüssel %s (Rechte %04o)", c.TLS.Key, fi.Mode().Perm())
		}
	}
}

// checkReachable asks the running server for /healthz at its base URL, as
// a browser would reach it, from this machine.
func (d *doctor) checkReachable(ctx context.Context, c config, timeout time.Duration) {
	base := strings.TrimSuffix(c.BaseURL, "/")
	if base == "" {
		base = defaultBaseURL(c)
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	if c.TLS.Cert != "" {
		if pem, err := os.ReadFile(c.TLS.Cert); err == nil {
			roots.AppendCertsFromPEM(pem) // a self-signed certificate of bedarf itself
		}
	}
	client := &http.Client{
		Timeout:       timeout,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	if err != nil {
		d.fail("Erreichbarkeit: %v", err)
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		d.fail("%s/healthz ist nicht erreichbar: %v (läuft der Dienst? Stimmen DNS, Reverse-Proxy und Zertifikat?)", base, err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		d.fail("%s/healthz antwortet %s: %q (Reverse-Proxy und Dienstprotokoll prüfen)", base, resp.Status, strings.TrimSpace(string(body)))
		return
	}
	d.ok("%s/healthz antwortet", base)
	if strings.HasPrefix(base, "https://") && resp.Header.Get("Strict-Transport-Security") == "" {
		d.fail("%s sendet kein HSTS (Strict-Transport-Security): antwortet dort bedarf mit derselben Basis-URL?", base)
	}
}

func dirWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".bedarf-doctor-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// formatBytes writes a size the German way: "1,5 GB", "320 MB", "12 kB".
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return survey.FormatFixedDE(float64(n)/(1<<30), 1) + " GB"
	case n >= 1<<20:
		return survey.FormatFixedDE(float64(n)/(1<<20), 0) + " MB"
	default:
		return survey.FormatFixedDE(float64(n)/(1<<10), 0) + " kB"
	}
}

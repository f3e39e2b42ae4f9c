package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

func runDoctorArgs(args ...string) (string, error) {
	var out strings.Builder
	err := run(context.Background(), append([]string{"doctor"}, args...), strings.NewReader(""), &out, &strings.Builder{})
	return out.String(), err
}

// TestDoctorHealthy: a complete installation serving TLS itself passes
// every check: ✓ lines only, exit status 0.
func TestDoctorHealthy(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bedarf.db")
	certFile, keyFile, _ := writeTestCert(t, dir, []string{"127.0.0.1"}, time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour))
	login, _ := startServe(t, "--db", db, "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
	base := strings.TrimSuffix(login, "/anmelden")
	seedInstallation(t, db)

	out, err := runDoctorArgs("--db", db, "--base-url", base, "--tls-cert", certFile, "--tls-key", keyFile, "--trusted-proxies", "127.0.0.1")
	if err != nil {
		t.Fatalf("doctor: %v\n%s", err, out)
	}
	for _, want := range []string{"✓ Basis-URL " + base, "✓ SQLite ", "✓ Datenbank " + db + " ist beschreibbar", "✓ Schema aktuell", "✓ 21 Kommunen gespeichert",
		"✓ 1 Konto mit Rolle admin", "✓ Schlüsseldatei der Links", "(Rechte 0600)", "✓ Freier Speicher", "✓ TLS-Zertifikat " + certFile + " gültig bis",
		"✓ TLS-Schlüssel " + keyFile + " (Rechte 0600)", "✓ " + base + "/healthz antwortet", "Alles in Ordnung.",
		"✓ Einrichtung erledigt: Kommunen, Fragebogen, Erste Runde", "○ Einrichtung offen: Organisation", "○ Einrichtung offen: Rechtstexte", "○ Einrichtung offen: E-Mail-Versand"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "✗") {
		t.Errorf("a check failed:\n%s", out)
	}
}

// seedInstallation gives the database what a round needs: the Kommunen and
// an admin account.
func seedInstallation(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportKommunen(ctx, ks, cliActor); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, "it@kreis.example", "IT", store.RoleAdmin, "ein-langes-Passwort-123", cliActor); err != nil {
		t.Fatal(err)
	}
	v, err := st.AddQuestionnaire(ctx, "yaml", survey.DefaultQuestionnaireYAML(), cliActor)
	if err != nil {
		t.Fatal(err)
	}
	today := web.BerlinToday(time.Now())
	if _, err := st.CreateRound(ctx, store.NewRound{QuestionnaireID: v.ID, Title: "Runde", OpensOn: today, Deadline: today.AddDate(0, 0, 28)}, cliActor); err != nil {
		t.Fatal(err)
	}
}

// TestDoctorFindsProblems: every problem an operator can cause gets its ✗
// line with a hint, and doctor fails.
func TestDoctorFindsProblems(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "bedarf.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Pretend the binary was updated: the last migration is not applied yet.
	last := store.KnownMigrations()[len(store.KnownMigrations())-1]
	execSQL(t, db, "DELETE FROM schema_migrations WHERE name = '"+last+"'")
	keyFile := filepath.Join(dir, "bedarf.key")
	os.WriteFile(keyFile, make([]byte, 32), 0o644)
	certFile, tlsKey, _ := writeTestCert(t, dir, []string{"bedarf.example.de"}, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	os.Chmod(tlsKey, 0o640)

	out, err := runDoctorArgs("--db", db, "--base-url", "http://bedarf.example.de", "--addr", "127.0.0.1:1",
		"--tls-cert", certFile, "--tls-key", tlsKey, "--trusted-proxies", "nginx", "--timeout", "2s")
	if err == nil || !strings.Contains(err.Error(), "fehlgeschlagen") {
		t.Errorf("doctor did not fail: %v", err)
	}
	for _, want := range []string{
		`✗ Vertrauenswürdige Proxys: trusted proxy "nginx"`,
		"✗ Basis-URL http://bedarf.example.de ohne https",
		"✗ Schema: 1 Migration ausstehend (" + strings.TrimPrefix(last, "migrations/") + ")",
		"✗ Keine Kommunen gespeichert: bedarf kommunen import",
		"✗ Einrichtung offen: Kommunen", "✗ Einrichtung offen: Fragebogen", "✗ Einrichtung offen: Erste Runde", "○ Einrichtung offen: Rechtstexte",
		"✗ Kein aktives Konto mit Rolle admin",
		"✗ Schlüsseldatei der Links " + keyFile + " hat die Rechte 0644",
		"✗ TLS-Zertifikat " + certFile + " ist am ",
		"✗ TLS-Schlüssel " + tlsKey + " hat die Rechte 0640",
		"✗ http://bedarf.example.de/healthz ist nicht erreichbar",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}

	out, err = runDoctorArgs("--db", filepath.Join(dir, "fehlt.db"), "--base-url", "https://127.0.0.1:1", "--timeout", "1s")
	if err == nil || !strings.Contains(out, "✗ Datenbank "+filepath.Join(dir, "fehlt.db")+" fehlt") {
		t.Errorf("missing database: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "fehlt.db")); err == nil {
		t.Error("doctor created the database")
	}
}

func execSQL(t *testing.T, db, query string) {
	t.Helper()
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	if _, err := sqldb.Exec(query); err != nil {
		t.Fatal(err)
	}
}

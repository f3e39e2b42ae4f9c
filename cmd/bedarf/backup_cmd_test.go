package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bedarf/survey/store"
)

// dbSums returns per table the row count and a SHA-256 over all rows in a
// fixed order, read from the database file at path.
func dbSums(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, table := range tables {
		var ncol int
		db.QueryRow("SELECT count(*) FROM pragma_table_info(?)", table).Scan(&ncol)
		order := make([]string, ncol)
		for i := range order {
			order[i] = strconv.Itoa(i + 1)
		}
		rows, err := db.Query(`SELECT * FROM "` + table + `" ORDER BY ` + strings.Join(order, ", "))
		if err != nil {
			t.Fatal(err)
		}
		h, n := sha256.New(), 0
		for rows.Next() {
			vals := make([]any, ncol)
			ptrs := make([]any, ncol)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			fmt.Fprintf(h, "%#v\n", vals)
			n++
		}
		rows.Close()
		out[table] = fmt.Sprintf("%d rows %x", n, h.Sum(nil)[:8])
	}
	return out
}

// TestBackupCommand: "bedarf backup" while Kommunen save over HTTP, then
// "bedarf restore" into a new place. The backup holds, per Kommune, a save
// at least as new as the last one acknowledged before the backup began and
// no newer than the last one sent when it ended, with all fields of that
// one save; the restored file equals the backup table by table; with
// the key file beside it, the product starts on it with the same links.
// Existing targets and a database in use are refused.
func TestBackupCommand(t *testing.T) {
	d := startDemo(t, "")
	ctx := context.Background()
	kommunen := editableKommunen(t, d.base, d.links)[:6]
	var mu sync.Mutex
	acked, sent := map[string]int{}, map[string]int{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, len(kommunen))
	for _, ags := range kommunen {
		e := openEditor(t, d, ags, "Sicherung "+ags)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 1; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				mu.Lock()
				sent[ags] = n
				mu.Unlock()
				e.form.Set("q.kontakt_name", fmt.Sprintf("Stand %d", n))
				code, _, err := e.save(d.base, "q.betreute_gu", strconv.Itoa(n))
				if code != http.StatusOK || err != nil {
					errs <- fmt.Errorf("%s, save %d: %d %v", ags, n, code, err)
					return
				}
				mu.Lock()
				acked[ags] = n
				mu.Unlock()
			}
		}()
	}
	snapshot := func(of map[string]int) map[string]int {
		mu.Lock()
		defer mu.Unlock()
		m := map[string]int{}
		for k, v := range of {
			m[k] = v
		}
		return m
	}
	for deadline := time.Now().Add(10 * time.Second); len(snapshot(acked)) < len(kommunen) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	dir := t.TempDir()
	backup := filepath.Join(dir, "sicherung.db")
	before := snapshot(acked)
	var out bytes.Buffer
	err := run(ctx, []string{"backup", "--db", d.db, "--out", backup}, strings.NewReader(""), &out, io.Discard)
	after := snapshot(sent)
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out.String(), "Sicherung geschrieben und geprüft") || !strings.Contains(out.String(), "demo.key") {
		t.Errorf("backup output %q", out.String())
	}
	if err := run(ctx, []string{"backup", "--db", d.db, "--out", backup}, strings.NewReader(""), io.Discard, io.Discard); !errors.Is(err, fs.ErrExist) {
		t.Errorf("backup over an existing file: %v, want ErrExist", err)
	}
	if err := run(ctx, []string{"backup", "--db", filepath.Join(dir, "gibtsnicht.db"), "--out", filepath.Join(dir, "x.db")}, strings.NewReader(""), io.Discard, io.Discard); err == nil {
		t.Error("backup of a missing database succeeded")
	}

	restored := filepath.Join(t.TempDir(), "wiederhergestellt.db")
	if err := run(ctx, []string{"restore", "--from", backup, "--db", restored}, strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if err := run(ctx, []string{"restore", "--from", backup, "--db", restored}, strings.NewReader(""), io.Discard, io.Discard); !errors.Is(err, fs.ErrExist) {
		t.Errorf("restore over an existing database without --force: %v, want ErrExist", err)
	}
	if err := run(ctx, []string{"restore", "--from", backup, "--db", d.db, "--force"}, strings.NewReader(""), io.Discard, io.Discard); !errors.Is(err, store.ErrInUse) {
		t.Errorf("restore over the running demo's database: %v, want ErrInUse", err)
	}
	want, got := dbSums(t, backup), dbSums(t, restored)
	if len(got) != len(want) {
		t.Errorf("restored: %d tables, want %d", len(got), len(want))
	}
	for table, w := range want {
		if got[table] != w {
			t.Errorf("restored table %s: %s, want %s", table, got[table], w)
		}
	}

	key, err := os.ReadFile(strings.TrimSuffix(d.db, ".db") + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(strings.TrimSuffix(restored, ".db")+".key", key, 0o600); err != nil {
		t.Fatal(err)
	}
	d2 := startDemo(t, restored)
	for ags, link := range d.links {
		if strings.TrimPrefix(link, d.base) != strings.TrimPrefix(d2.links[ags], d2.base) {
			t.Errorf("%s: the restored database gives another link", ags)
		}
	}
	for _, ags := range kommunen {
		b := newBrowser(t, d2.base)
		b.get(d2.links[ags])
		_, page, _ := b.get(d2.base + "/fragebogen")
		form := pageForm(t, page)
		n, _ := strconv.Atoi(form.Get("q.betreute_gu"))
		if n < before[ags] || n > after[ags] || form.Get("q.kontakt_name") != fmt.Sprintf("Stand %d", n) {
			t.Errorf("%s restored at save %d (name %q), want one save between %d and %d, whole", ags, n, form.Get("q.kontakt_name"), before[ags], after[ags])
		}
	}
	t.Logf("saves acknowledged before the backup %v, sent when it ended %v", before, after)
}

// Issue 16, item 6: what a killed backup left (hidden copies of the
// database) is removed by the next "bedarf backup" and by "bedarf doctor",
// which names it; a backup that is complete and checked succeeds even when
// its audit log entry cannot be written, with a warning.
func TestBackupLeftoversAndAuditWarning(t *testing.T) {
	ctx := context.Background()
	dbDir, outDir, otherDir := t.TempDir(), t.TempDir(), t.TempDir()
	db := filepath.Join(dbDir, "bedarf.db")
	seedInstallation(t, db)
	content, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	// leave puts what a killed backup leaves into dir: a copy of the
	// database under the temporary name, and SQLite's journal beside it.
	leave := func(dir, target string) []string {
		t.Helper()
		name := "." + target + ".tmp-2871034"
		for _, f := range []struct{ name, content string }{{name, string(content)}, {name + "-journal", "journal"}} {
			if err := os.WriteFile(filepath.Join(dir, f.name), []byte(f.content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return []string{name, name + "-journal"}
	}
	mustBeGone := func(dir string, names []string) {
		t.Helper()
		for _, n := range names {
			if _, err := os.Lstat(filepath.Join(dir, n)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s is still in %s (%v)", n, dir, err)
			}
		}
	}
	backup := func(out string) (string, string, error) {
		var stdout, stderr strings.Builder
		err := run(ctx, []string{"backup", "--db", db, "--out", out}, strings.NewReader(""), &stdout, &stderr)
		return stdout.String(), stderr.String(), err
	}

	// The next backup removes the leftovers beside its target and beside
	// the database.
	inOut := leave(outDir, "bedarf-20261206-023000.db")
	inDB := leave(dbDir, "bedarf.db.schema-0009.20261206-020000.bak")
	stdout, stderr, err := backup(filepath.Join(outDir, "bedarf-20261207-023000.db"))
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	mustBeGone(outDir, inOut)
	mustBeGone(dbDir, inDB)
	if !strings.Contains(stdout, inOut[0]) || !strings.Contains(stdout, inDB[0]) {
		t.Errorf("backup does not name what it removed:\n%s", stdout)
	}

	// doctor removes and names them too, in the database's directory and
	// in --backup-dir.
	inDB = leave(dbDir, "bedarf.db")
	inOther := leave(otherDir, "bedarf-20261208-023000.db")
	out, _ := runDoctorArgs("--db", db, "--backup-dir", otherDir)
	mustBeGone(dbDir, inDB)
	mustBeGone(otherDir, inOther)
	for _, want := range []string{"✓ Reste abgebrochener Sicherungen in " + dbDir + " entfernt", inDB[0], "✓ Reste abgebrochener Sicherungen in " + otherDir + " entfernt", inOther[0]} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}
	if out, _ := runDoctorArgs("--db", db, "--backup-dir", otherDir); !strings.Contains(out, "✓ Keine Reste abgebrochener Sicherungen in "+otherDir) {
		t.Errorf("second doctor run:\n%s", out)
	}

	// The audit log cannot be written: the backup is still made, checked
	// and reported, with a warning, and exits 0.
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TRIGGER audit_broken BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log unwritable'); END`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	target := filepath.Join(outDir, "bedarf-20261209-023000.db")
	stdout, stderr, err = backup(target)
	if err != nil {
		t.Fatalf("a complete backup whose audit entry failed: %v", err)
	}
	if !strings.Contains(stderr, "Warnung") || !strings.Contains(stderr, "audit log unwritable") {
		t.Errorf("no warning on stderr: %q", stderr)
	}
	if !strings.Contains(stdout, "Sicherung geschrieben und geprüft: "+target) {
		t.Errorf("stdout: %q", stdout)
	}
	if err := store.CheckFile(ctx, target); err != nil {
		t.Errorf("the backup: %v", err)
	}
}

package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bedarf/survey"
)

// tableSums returns, per table, the row count and a SHA-256 over all rows
// in a fixed order (every column ascending), read from the file at path.
func tableSums(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", fileDSN(path, "mode", "ro", "_pragma", "busy_timeout(10000)"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin() // one snapshot for all tables
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
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
		if err := tx.QueryRow(`SELECT count(*) FROM pragma_table_info(?)`, table).Scan(&ncol); err != nil {
			t.Fatal(err)
		}
		order := make([]string, ncol)
		for i := range order {
			order[i] = strconv.Itoa(i + 1)
		}
		rows, err := tx.Query(`SELECT * FROM "` + table + `" ORDER BY ` + strings.Join(order, ", "))
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		h := sha256.New()
		n := 0
		for rows.Next() {
			vals := make([]any, ncol)
			ptrs := make([]any, ncol)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%T:%v\x1f", v, v)
			}
			h.Write([]byte{'\n'})
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		out[table] = fmt.Sprintf("%d rows, %s", n, hex.EncodeToString(h.Sum(nil))[:16])
	}
	return out
}

func compareSums(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d tables, want %d", what, len(got), len(want))
	}
	for table, w := range want {
		if g := got[table]; g != w {
			t.Errorf("%s: table %s: %s, want %s", what, table, g, w)
		}
	}
}

// saverState is what a saver sent with a revision: a response has exactly
// one editor in this test, so every save makes the next revision.
func saverForm(i, rev int) map[string][]string {
	return map[string][]string{
		"q.betreute_gu":           {strconv.Itoa(i*100000 + rev)},
		"q.kontakt_name":          {fmt.Sprintf("Person %d/%d", i, rev)},
		"q.belastung_anmerkungen": {strings.Repeat(fmt.Sprintf("Revision %d. ", rev), rev%7+1)},
	}
}

// TestBackupWhileSaving backs up while savers write, and checks that the
// backup is one consistent snapshot: per response, the revision, the
// revisions table, the change log, the audit log and the answers all stand
// at the same revision, that revision lies between what was acknowledged
// before the backup began and what was sent when it ended, and the answers
// are exactly
// what was sent with it. The backup then restores to an identical database;
// a backup taken at rest has the source's checksums in every table.
func TestBackupWhileSaving(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ks, _ := f.st.Kommunen(ctx)
	ids := make([]int64, len(ks))
	for i, k := range ks {
		ids[i] = k.ID
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	first, err := f.st.Round(ctx, f.round)
	if err != nil {
		t.Fatal(err)
	}
	rid, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: first.QuestionnaireID, Title: "Zweite Runde", OpensOn: today, Deadline: today.AddDate(0, 0, 9), Status: survey.RoundOpen, KommuneIDs: ids}, system)
	if err != nil {
		t.Fatal(err)
	}
	resps, err := f.st.Responses(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	const savers = 12
	var mu sync.Mutex
	acked := make([]int, savers) // last acknowledged revision per saver
	sent := make([]int, savers)  // last revision sent per saver
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errc := make(chan error, savers)
	for i := 0; i < savers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rev := 1; ; rev++ {
				select {
				case <-stop:
					return
				default:
				}
				mu.Lock()
				sent[i] = rev
				mu.Unlock()
				saved, err := f.st.SaveResponse(ctx, Save{ResponseID: resps[i].ID, BaseRevision: rev - 1,
					Answers: f.answers(saverForm(i, rev)), Actor: survey.Actor{Kind: "kommune", Label: "Saver " + strconv.Itoa(i)}})
				if err != nil || saved.Revision != rev {
					errc <- fmt.Errorf("saver %d, revision %d: got %d, %v", i, rev, saved.Revision, err)
					return
				}
				mu.Lock()
				acked[i] = rev
				mu.Unlock()
			}
		}()
	}
	snapshot := func(of []int) []int {
		mu.Lock()
		defer mu.Unlock()
		return append([]int(nil), of...)
	}
	for deadline := time.Now().Add(5 * time.Second); slicesMin(snapshot(acked)) < 15 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	dir := t.TempDir()
	backup := filepath.Join(dir, "sicherung.db")
	before := snapshot(acked)
	if err := f.st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	after := snapshot(sent)
	time.Sleep(50 * time.Millisecond) // saves go on after the backup
	close(stop)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if slicesMin(before) == 0 {
		t.Fatalf("savers had not started before the backup: %v", before)
	}

	if err := CheckFile(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", fileDSN(backup, "mode", "ro", "immutable", "1"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var inBackup []int
	for i := 0; i < savers; i++ {
		id := resps[i].ID
		var rev, nrev, maxrev, nchanges, naudit int
		q := func(dst *int, query string, args ...any) {
			if err := db.QueryRow(query, args...).Scan(dst); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		}
		q(&rev, "SELECT revision FROM responses WHERE id = ?", id)
		q(&nrev, "SELECT count(*) FROM revisions WHERE response_id = ?", id)
		q(&maxrev, "SELECT coalesce(max(revision), 0) FROM revisions WHERE response_id = ?", id)
		q(&nchanges, "SELECT count(*) FROM answer_changes WHERE response_id = ?", id)
		q(&naudit, "SELECT count(*) FROM audit_log WHERE action = 'response.save' AND round_id = ? AND kommune_id = ?", rid, resps[i].Kommune.ID)
		if rev < before[i] || rev > after[i] {
			t.Errorf("saver %d: backup at revision %d, want between %d (acknowledged before) and %d (sent when it ended)", i, rev, before[i], after[i])
		}
		inBackup = append(inBackup, rev)
		if nrev != rev || maxrev != rev || nchanges != 3*rev || naudit != rev {
			t.Errorf("saver %d at revision %d: %d revisions (max %d), %d changes, %d audit entries: not one snapshot", i, rev, nrev, maxrev, nchanges, naudit)
		}
		if rev == 0 {
			continue
		}
		want := f.answers(saverForm(i, rev))
		rows, err := db.Query("SELECT question_id, item, raw, revision FROM answers WHERE response_id = ?", id)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for rows.Next() {
			var k survey.Key
			var raw string
			var arev int
			rows.Scan(&k.Question, &k.Item, &raw, &arev)
			got++
			if want[k].Raw != raw || arev != rev {
				t.Errorf("saver %d at revision %d: %s = %q (revision %d), want %q", i, rev, k.Field(), raw, arev, want[k].Raw)
			}
		}
		rows.Close()
		if got != len(want) {
			t.Errorf("saver %d: %d answers, want %d", i, got, len(want))
		}
	}
	t.Logf("revisions acknowledged before the backup %v, in the backup %v, sent when it ended %v", before, inBackup, after)

	// The backup restores to an identical database that the store opens.
	restored := filepath.Join(dir, "wiederhergestellt.db")
	if err := Restore(ctx, backup, restored, false); err != nil {
		t.Fatal(err)
	}
	compareSums(t, "restored vs backup", tableSums(t, restored), tableSums(t, backup))
	st, err := Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	var revInBackup int
	db.QueryRow("SELECT revision FROM responses WHERE id = ?", resps[0].ID).Scan(&revInBackup)
	_, ans, err := st.Response(ctx, resps[0].ID)
	if err != nil || ans[survey.Key{Question: "kontakt_name"}].Raw != fmt.Sprintf("Person 0/%d", revInBackup) {
		t.Errorf("restored store: %v, %v", ans[survey.Key{Question: "kontakt_name"}], err)
	}
	st.Close()

	// At rest, the backup has the source's rows in every table; the backup
	// itself is audited afterwards.
	atRest := tableSums(t, f.path)
	backup2 := filepath.Join(dir, "sicherung2.db")
	if err := f.st.Backup(ctx, backup2); err != nil {
		t.Fatal(err)
	}
	compareSums(t, "backup at rest vs source", tableSums(t, backup2), atRest)
	log, _ := f.st.AuditLog(ctx, 0, 1)
	if len(log) != 1 || log[0].Action != "database.backup" || log[0].Detail != "sicherung2.db" {
		t.Errorf("audit after backup: %+v", log)
	}
}

func slicesMin(v []int) int {
	m := v[0]
	for _, x := range v {
		m = min(m, x)
	}
	return m
}

func TestBackupRefusesExistingTarget(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	target := filepath.Join(t.TempDir(), "vorhanden.db")
	if err := os.WriteFile(target, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Backup(ctx, target); !errors.Is(err, fs.ErrExist) {
		t.Errorf("backup over an existing file: %v, want ErrExist", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me" {
		t.Error("the existing file was changed")
	}
	if ents, _ := os.ReadDir(filepath.Dir(target)); len(ents) != 1 {
		t.Errorf("left %d files behind, want only the existing one", len(ents))
	}
	if err := f.st.Backup(ctx, filepath.Join(t.TempDir(), "fehlt", "x.db")); err == nil {
		t.Error("backup into a missing directory succeeded")
	}
}

func TestRestore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	backup := filepath.Join(dir, "sicherung.db")
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: f.resps[0].ID, Answers: f.answers(map[string][]string{"q.kontakt_name": {"Vor der Sicherung"}}), Actor: system}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: f.resps[0].ID, BaseRevision: 1, Answers: f.answers(map[string][]string{"q.kontakt_name": {"Nach der Sicherung"}}), Actor: system}); err != nil {
		t.Fatal(err)
	}

	t.Run("existing target needs force", func(t *testing.T) {
		if err := Restore(ctx, backup, f.path, false); !errors.Is(err, fs.ErrExist) {
			t.Errorf("restore over an existing database without force: %v, want ErrExist", err)
		}
	})
	t.Run("database in use", func(t *testing.T) {
		if err := Restore(ctx, backup, f.path, true); !errors.Is(err, ErrInUse) {
			t.Errorf("restore over an open database: %v, want ErrInUse", err)
		}
		_, ans, _ := f.st.Response(ctx, f.resps[0].ID)
		if ans[survey.Key{Question: "kontakt_name"}].Raw != "Nach der Sicherung" {
			t.Error("the open database was changed")
		}
	})
	t.Run("damaged backup", func(t *testing.T) {
		b, _ := os.ReadFile(backup)
		for name, data := range map[string][]byte{
			"truncated": b[:len(b)/2],
			"garbage":   []byte(strings.Repeat("kein SQLite ", 1000)),
			"flipped":   flipPageBytes(b),
		} {
			bad := filepath.Join(dir, name+".db")
			os.WriteFile(bad, data, 0o600)
			target := filepath.Join(dir, "ziel-"+name+".db")
			if err := Restore(ctx, bad, target, false); err == nil {
				t.Errorf("%s backup restored", name)
			}
			if _, err := os.Stat(target); err == nil {
				t.Errorf("%s backup left a target behind", name)
			}
		}
	})
	t.Run("force replaces a stopped database", func(t *testing.T) {
		f.st.Close()
		if err := Restore(ctx, backup, f.path, true); err != nil {
			t.Fatal(err)
		}
		compareSums(t, "restored vs backup", tableSums(t, f.path), tableSums(t, backup))
		st, err := Open(ctx, f.path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		_, ans, _ := st.Response(ctx, f.resps[0].ID)
		if got := ans[survey.Key{Question: "kontakt_name"}].Raw; got != "Vor der Sicherung" {
			t.Errorf("after restore: %q, want the value at backup time", got)
		}
	})
	t.Run("stale log removed", func(t *testing.T) {
		// A database file deleted by hand leaves its log behind; that log
		// must not be applied to the restored file.
		other := newFixture(t)
		if _, err := other.st.SaveResponse(ctx, Save{ResponseID: other.resps[0].ID, Answers: other.answers(map[string][]string{"q.kontakt_name": {"Fremd"}}), Actor: system}); err != nil {
			t.Fatal(err)
		}
		wal, err := os.ReadFile(other.path + "-wal")
		if err != nil || len(wal) == 0 {
			t.Fatalf("no log to plant: %v", err)
		}
		target := filepath.Join(t.TempDir(), "neu.db")
		os.WriteFile(target+"-wal", wal, 0o600)
		os.WriteFile(target+"-shm", make([]byte, 32768), 0o600)
		if err := Restore(ctx, backup, target, false); err != nil {
			t.Fatal(err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(target + suffix); err == nil {
				t.Errorf("%s left beside the restored database", suffix)
			}
		}
		st, err := Open(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		_, ans, _ := st.Response(ctx, f.resps[0].ID)
		if got := ans[survey.Key{Question: "kontakt_name"}].Raw; got != "Vor der Sicherung" {
			t.Errorf("after restore: %q, want the value at backup time", got)
		}
		compareSums(t, "restored vs backup", tableSums(t, target), tableSums(t, backup))
		if ents, _ := os.ReadDir(filepath.Dir(target)); len(ents) > 3 {
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			t.Errorf("temporary files left: %v", names)
		}
	})
}

// flipPageBytes damages the middle of the second half of a database file,
// where table b-tree pages lie.
func flipPageBytes(b []byte) []byte {
	c := append([]byte(nil), b...)
	for i := len(c) / 2; i < len(c)/2+4096 && i < len(c); i++ {
		c[i] ^= 0x5a
	}
	return c
}

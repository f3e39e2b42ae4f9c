package store

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestKilledBackupHelper is not a test: run by TestRemoveLeftovers as a
// child process, it starts a backup's temporary file the way Backup does,
// fills it with a copy of the database, says so and waits to be killed.
func TestKilledBackupHelper(t *testing.T) {
	src, out := os.Getenv("BEDARF_KILLED_BACKUP_DB"), os.Getenv("BEDARF_KILLED_BACKUP_OUT")
	if src == "" {
		t.Skip("helper process for TestRemoveLeftovers")
	}
	tmp, _, err := tempBeside(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := vacuumInto(context.Background(), src, tmp); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(tmp+"-journal", []byte("journal"), 0o600)
	os.Stdout.WriteString("written " + filepath.Base(tmp) + "\n")
	select {}
}

// TestRemoveLeftovers: what a SIGKILLed backup left (a hidden copy of the
// database and SQLite's journal beside it) is removed; the temporary file
// of a backup still running is kept, as are files that only look similar.
func TestRemoveLeftovers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	db, err := f.st.file(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// A backup killed while writing.
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledBackupHelper$")
	cmd.Env = append(os.Environ(), "BEDARF_KILLED_BACKUP_DB="+db, "BEDARF_KILLED_BACKUP_OUT="+filepath.Join(dir, "bedarf-1.db"))
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "written ") {
		cmd.Process.Kill()
		t.Fatalf("helper: %q, %v", line, err)
	}
	killed := strings.TrimSpace(strings.TrimPrefix(line, "written "))
	cmd.Process.Kill()
	cmd.Wait()

	// A backup still running, in the same directory.
	running, release, err := tempBeside(filepath.Join(dir, "bedarf-2.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	// Not ours: a hidden file of the same shape that is no database, an
	// ordinary backup, a journal whose database is still there.
	for name, content := range map[string]string{
		".notizen.txt.tmp-123": "eigene Notizen",
		"bedarf-0.db":          "SQLite format 3\x00 a finished backup",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(running+"-journal", []byte("journal"), 0o600)

	removed, err := RemoveLeftovers(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{killed, killed + "-journal"}; !slices.Equal(removed, want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	for _, gone := range []string{killed, killed + "-journal"} {
		if _, err := os.Lstat(filepath.Join(dir, gone)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is still there: %v", gone, err)
		}
	}
	for _, kept := range []string{running, running + "-journal", filepath.Join(dir, ".notizen.txt.tmp-123"), filepath.Join(dir, "bedarf-0.db")} {
		if _, err := os.Lstat(kept); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(kept), err)
		}
	}

	// Once the running backup ends its file is gone, and a second pass has
	// nothing to do.
	release()
	if removed, err := RemoveLeftovers(dir); err != nil || len(removed) != 0 {
		t.Errorf("second pass removed %v, %v", removed, err)
	}
}

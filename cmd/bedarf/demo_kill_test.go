package main

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"bedarf/survey/store"
)

// TestDemoKillChild is the program of TestDemoKilledWhileSeeding's child
// process: "bedarf demo" that kills itself (SIGKILL) right after the named
// seeding step, before anything else can happen.
func TestDemoKillChild(t *testing.T) {
	cfg := os.Getenv("BEDARF_TEST_DEMO_KILL_CHILD")
	if cfg == "" {
		t.Skip("runs only as the child of TestDemoKilledWhileSeeding")
	}
	db, at, _ := strings.Cut(cfg, "|")
	kill := func(step string) {
		if step == at {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal ends the process
		}
	}
	err := runDemoSeeded(context.Background(), []string{"--db", db, "--addr", "127.0.0.1:0"}, os.Stdout, os.Stderr, slog.New(slog.NewTextHandler(os.Stderr, nil)), kill)
	t.Fatalf("the demo ended without being killed after step %q: %v", at, err)
}

// TestDemoKilledWhileSeeding kills the first start of "bedarf demo" after
// each step of seeding the demo data and checks that the database holds
// none of it (one transaction), and that a second start then gives all 21
// working links and the full sample data.
func TestDemoKilledWhileSeeding(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program as a child process once per seeding step")
	}
	for _, step := range store.DemoSteps {
		t.Run(step, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "demo.db")
			cmd := exec.Command(os.Args[0], "-test.run=^TestDemoKillChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "BEDARF_TEST_DEMO_KILL_CHILD="+db+"|"+step)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed after %s: %v\n%s", step, err, out)
			}
			counts := demoCounts(t, db)
			if counts["users"] != 1 || counts["kommunen"] != 0 || counts["rounds"] != 0 || counts["tokens"] != 0 || counts["organisation"] != 0 {
				t.Fatalf("after a kill after step %s the database holds %v, want the admin and nothing of the demo", step, counts)
			}

			d := startDemo(t, db)
			for ags, link := range d.links {
				k := newBrowser(t, d.base)
				if code, _, h := k.get(link); code != http.StatusSeeOther || h.Get("Location") != "/fragebogen" {
					t.Fatalf("link of %s: %d → %q, want 303 → /fragebogen", ags, code, h.Get("Location"))
				}
				if code, page, _ := k.get(d.base + "/fragebogen"); code != http.StatusOK || !strings.Contains(page, d.names[ags]) {
					t.Fatalf("questionnaire of %s: %d", ags, code)
				}
			}
			d.stop()
			counts = demoCounts(t, db)
			want := map[string]int{"kommunen": 21, "rounds": 1, "tokens": 21, "organisation": 1, "boundaries": 1,
				"submitted": 8, "draft": 2, "new": 11}
			for k, n := range want {
				if counts[k] != n {
					t.Errorf("after the second start: %s = %d, want %d", k, counts[k], n)
				}
			}
		})
	}
}

// demoCounts counts the rows the demo seeds, read-only.
func demoCounts(t *testing.T, db string) map[string]int {
	t.Helper()
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	out := map[string]int{}
	for name, q := range map[string]string{
		"users": "SELECT count(*) FROM users", "kommunen": "SELECT count(*) FROM kommunen",
		"rounds": "SELECT count(*) FROM rounds", "tokens": "SELECT count(*) FROM tokens WHERE revoked_at IS NULL",
		"organisation": "SELECT count(*) FROM organisation", "boundaries": "SELECT count(*) FROM boundaries",
		"submitted": "SELECT count(*) FROM responses WHERE status = 'submitted'",
		"draft":     "SELECT count(*) FROM responses WHERE status = 'draft'",
		"new":       "SELECT count(*) FROM responses WHERE status = 'new'",
	} {
		var n int
		if err := h.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = n
	}
	return out
}

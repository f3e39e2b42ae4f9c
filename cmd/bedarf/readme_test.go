package main

import (
	"bytes"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadmeSetupBlock runs the README's "Betrieb in 5 Minuten" block as
// written (only the folder and the port are the test's own) and checks
// that it ends with an open round whose links lead to the questionnaire.
func TestReadmeSetupBlock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the README's commands")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Betrieb in 5 Minuten\n.*?```sh\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no sh block under \"## Betrieb in 5 Minuten\"")
	}
	block := string(m[1])
	for _, want := range []string{"go build -o /srv/bedarf/bedarf ./cmd/bedarf", "cd /srv/bedarf", "user add", "serve --addr 127.0.0.1:8080"} {
		if !strings.Contains(block, want) {
			t.Fatalf("the block lacks %q:\n%s", want, block)
		}
	}
	dir := filepath.Join(t.TempDir(), "leer")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	script := strings.NewReplacer("/srv/bedarf", dir, "127.0.0.1:8080", addr).Replace(block)

	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = filepath.Join("..", "..") // the source tree, where the block starts
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A file, not a pipe: the server the block leaves running keeps its
	// output open, and Wait would wait for it.
	logf, err := os.Create(filepath.Join(t.TempDir(), "block.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); time.Sleep(200 * time.Millisecond) })
	err = cmd.Wait()
	output, _ := os.ReadFile(logf.Name())
	out := bytes.NewBuffer(output)
	if err != nil {
		t.Fatalf("the README's block failed: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Einrichtung offen: http://"+addr+"/verwaltung/einrichtung") {
		t.Errorf("serve did not announce the setup:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Alles in Ordnung.") {
		t.Errorf("doctor found problems:\n%s", out.String())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n != "bedarf" && !strings.HasPrefix(n, "bedarf.") && n != "sitzung" {
			t.Errorf("the folder holds %s besides the binary and its data", n)
		}
	}

	base := "http://" + addr
	a := newBrowser(t, base)
	if code, _, h := a.post(base+"/anmelden", url.Values{"email": {"admin@landkreis.example"}, "passwort": {"Erstes-Passwort-2026"}}); code != http.StatusSeeOther || h.Get("Location") != "/verwaltung" {
		t.Fatalf("login after the block: %d → %q, want the overview (setup done)", code, h.Get("Location"))
	}
	code, letter, _ := a.get(base + "/verwaltung/runden/1/kommunen/03241001/einladung")
	lm := letterLinkRE.FindStringSubmatch(letter)
	if code != http.StatusOK || lm == nil {
		t.Fatalf("letter of the first round: %d", code)
	}
	k := newBrowser(t, base)
	if code, _, h := k.get(lm[1]); code != http.StatusSeeOther || h.Get("Location") != "/fragebogen" {
		t.Fatalf("the Kommune's link: %d → %q", code, h.Get("Location"))
	}
	if code, page, _ := k.get(base + "/fragebogen"); code != http.StatusOK || !strings.Contains(page, `name="revision"`) {
		t.Errorf("the link does not lead to an open questionnaire: %d", code)
	}
}

//go:build crash

package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The crash test: run with
//
//	go test -tags crash ./cmd/bedarf/ -run TestCrash -v
//
// It builds the real binary, runs "bedarf demo" on one database file, lets
// many Kommunen save drafts at once and kills the process with SIGKILL at
// random moments, again and again. After every restart, and at the end in
// the database file itself, every save that was answered 200 must be there
// exactly as sent; a save whose answer never came may be there or not, but
// only as a whole. PRAGMA integrity_check must say ok throughout.
//
// A process kill leaves what the process wrote in the operating system's
// cache, so this proves the ordering "commit, then answer" and SQLite's
// atomic commit, not the fsync: power loss is not simulated.

const (
	crashMinKills = 50                // the test fails with fewer
	crashMaxKills = 100               // and stops here
	crashBudget   = 150 * time.Second // for the kill loop, after the build
)

// crashFields are saved with new values on every save, so that a save's
// fields are either all there or all not.
var crashFields = []string{"q.betreute_gu", "q.kontakt_name", "q.belastung_anmerkungen"}

// crashProc is one run of the binary.
type crashProc struct {
	cmd   *exec.Cmd
	base  string
	links map[string]string // AGS → link
	exit  chan error
}

// startCrashProc starts "bedarf demo" on db and, unless early is set,
// waits until it has printed its links.
func startCrashProc(bin, db string, logf *os.File) (*crashProc, error) {
	cmd := exec.Command(bin, "demo", "--db", db, "--addr", "127.0.0.1:0")
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &crashProc{cmd: cmd, links: map[string]string{}, exit: make(chan error, 1)}
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(out)
		lineRE := regexp.MustCompile(`^(\d{8})\t[^\t]+\t(http://\S+/k/\S+)$`)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "Verwaltung: "); ok {
				p.base = strings.TrimSuffix(u, "/anmelden")
			} else if m := lineRE.FindStringSubmatch(line); m != nil {
				p.links[m[1]] = m[2]
				if len(p.links) == 21 {
					ready <- nil
				}
			}
		}
		ready <- errors.New("output ended before 21 links")
		io.Copy(io.Discard, out)
	}()
	go func() { p.exit <- cmd.Wait() }()
	select {
	case err := <-ready:
		if err != nil {
			p.kill()
			return nil, err
		}
	case <-time.After(20 * time.Second):
		p.kill()
		return nil, errors.New("no links after 20 s")
	}
	return p, nil
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *crashProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exit
}

// crashKommune is what the test knows about one Kommune's response.
type crashKommune struct {
	ags     string
	acked   map[string]string // the last values answered 200
	pending map[string]string // values sent whose answer never came, if any
	rev     int               // the last revision answered 200
	seq     int
	form    url.Values
	client  *http.Client
}

// crashClient is a browser without redirects, with a short life.
func crashClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 15 * time.Second, Transport: &http.Transport{},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// open exchanges the link for a session and loads the form; a response
// that cannot be edited (the demo submitted it) has no form: nil.
func (k *crashKommune) open(p *crashProc) (url.Values, int, error) {
	k.client = crashClient()
	resp, err := k.client.Get(p.links[k.ags])
	if err != nil {
		return nil, 0, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, 0, fmt.Errorf("link: %d", resp.StatusCode)
	}
	resp, err = k.client.Get(p.base + "/fragebogen")
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, 0, err
	}
	if !strings.Contains(string(body), `<form id="fragebogen"`) {
		return nil, 0, nil
	}
	form, err := parsePageForm(string(body))
	if err != nil {
		return nil, 0, err
	}
	rev, _ := strconv.Atoi(form.Get("revision"))
	return form, rev, nil
}

// check compares what the restarted program shows with what was
// acknowledged, then takes it as the new starting point.
func (k *crashKommune) check(form url.Values, rev int) error {
	got := map[string]string{}
	for _, f := range crashFields {
		got[f] = form.Get(f)
	}
	switch {
	case equalOn(got, k.acked):
	case k.pending != nil && equalOn(got, k.pending):
	default:
		return fmt.Errorf("%s shows %v, acknowledged %v (unanswered save %v)", k.ags, got, k.acked, k.pending)
	}
	if rev < k.rev {
		return fmt.Errorf("%s at revision %d, %d was acknowledged", k.ags, rev, k.rev)
	}
	k.acked, k.pending, k.rev, k.form = got, nil, rev, form
	return nil
}

func equalOn(a, b map[string]string) bool {
	for _, f := range crashFields {
		if a[f] != b[f] {
			return false
		}
	}
	return true
}

// saveLoop saves new values until the program dies. It returns the number
// of acknowledged saves and an error for anything but a dead program.
func (k *crashKommune) saveLoop(p *crashProc, stop <-chan struct{}) (int, error) {
	n := 0
	for {
		select {
		case <-stop:
			return n, nil
		default:
		}
		k.seq++
		vals := map[string]string{
			"q.betreute_gu":           strconv.Itoa(k.seq),
			"q.kontakt_name":          fmt.Sprintf("Person %s-%d", k.ags, k.seq),
			"q.belastung_anmerkungen": strings.TrimSpace(strings.Repeat(fmt.Sprintf("Speicherung %d. ", k.seq), 1+k.seq%20)),
		}
		for f, v := range vals {
			k.form.Set(f, v)
		}
		k.form.Set("aktion", "speichern")
		k.form.Set("bearbeitung", "Crash "+k.ags)
		req, _ := http.NewRequest(http.MethodPost, p.base+"/fragebogen", strings.NewReader(k.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", p.base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := k.client.Do(req)
		if err != nil {
			k.pending = vals // no answer: it may or may not have been stored
			return n, nil
		}
		body, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return n, fmt.Errorf("%s: save answered %d", k.ags, resp.StatusCode)
		}
		// Answered 200: stored, whatever happens to the rest of the page.
		k.acked, k.pending = vals, nil
		n++
		if rerr != nil {
			return n, nil
		}
		form, err := parsePageForm(string(body))
		if err != nil {
			return n, nil
		}
		k.form = form
		k.rev, _ = strconv.Atoi(form.Get("revision"))
	}
}

// integrityOK runs PRAGMA integrity_check on the database file, read-only.
func integrityOK(ctx context.Context, db string) error {
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer h.Close()
	var res string
	if err := h.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity_check: %s", res)
	}
	return nil
}

func TestCrash(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bedarf")
	t0 := time.Now()
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	t.Logf("built the binary in %v", time.Since(t0).Round(time.Millisecond))
	db := filepath.Join(dir, "crash.db")
	logf, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 11))
	t.Logf("seed %d", seed)

	// The first run seeds the demo; the editable Kommunen take part.
	p, err := startCrashProc(bin, db, logf)
	if err != nil {
		t.Fatal(err)
	}
	var ks []*crashKommune
	for ags := range p.links {
		k := &crashKommune{ags: ags}
		form, rev, err := k.open(p)
		if err != nil {
			t.Fatalf("%s: %v", ags, err)
		}
		if form == nil {
			continue
		}
		k.acked = map[string]string{}
		for _, f := range crashFields {
			k.acked[f] = form.Get(f)
		}
		k.form, k.rev = form, rev
		ks = append(ks, k)
	}
	p.kill()
	if len(ks) < 10 {
		t.Fatalf("only %d editable Kommunen", len(ks))
	}

	var mu sync.Mutex
	start := time.Now()
	kills, early, acked, unanswered, unansweredStored, epochs := 0, 0, 0, 0, 0, 0
	for kills < crashMaxKills && time.Since(start) < crashBudget {
		epochs++
		// Now and then kill the program while it starts.
		if rng.IntN(10) == 0 {
			cmd := exec.Command(bin, "demo", "--db", db, "--addr", "127.0.0.1:0")
			cmd.Stderr = logf
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			kills++
			early++
			continue
		}
		p, err := startCrashProc(bin, db, logf)
		if err != nil {
			t.Fatalf("restart after %d kills: %v", kills, err)
		}
		if err := integrityOK(ctx, db); err != nil {
			p.kill()
			t.Fatalf("after %d kills: %v", kills, err)
		}
		// Every Kommune checks what the restarted program shows.
		var wg sync.WaitGroup
		errs := make([]error, len(ks))
		for i, k := range ks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				hadPending := k.pending != nil
				pend := k.pending
				form, rev, err := k.open(p)
				if err == nil && form == nil {
					err = fmt.Errorf("%s: the form is gone", k.ags)
				}
				if err == nil {
					err = k.check(form, rev)
				}
				if err == nil && hadPending {
					mu.Lock()
					unanswered++
					if equalOn(k.acked, pend) {
						unansweredStored++
					}
					mu.Unlock()
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				p.kill()
				t.Fatalf("after %d kills: %v", kills, err)
			}
		}
		// All save at once; the program dies at a random moment.
		stop := make(chan struct{})
		counts := make([]int, len(ks))
		for i, k := range ks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts[i], errs[i] = k.saveLoop(p, stop)
			}()
		}
		time.Sleep(time.Duration(rng.IntN(800)) * time.Millisecond)
		p.kill()
		kills++
		close(stop)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("epoch %d: %v", epochs, err)
			}
			acked += counts[i]
		}
		for _, k := range ks {
			k.client.CloseIdleConnections()
		}
	}

	// A last start checks the last kill; then a clean stop, and the file.
	p, err = startCrashProc(bin, db, logf)
	if err != nil {
		t.Fatalf("final start: %v", err)
	}
	for _, k := range ks {
		form, rev, err := k.open(p)
		if err == nil && form == nil {
			err = fmt.Errorf("%s: the form is gone", k.ags)
		}
		if err == nil {
			err = k.check(form, rev)
		}
		if err != nil {
			p.kill()
			t.Fatalf("after the last kill: %v", err)
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exit:
		if err != nil {
			t.Errorf("clean stop: %v", err)
		}
	case <-time.After(30 * time.Second):
		p.kill()
		t.Error("no clean stop within 30 s")
	}
	if err := integrityOK(ctx, db); err != nil {
		t.Fatalf("at the end: %v", err)
	}
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, k := range ks {
		for _, f := range crashFields {
			var raw sql.NullString
			err := h.QueryRow(`SELECT a.raw FROM answers a JOIN responses r ON r.id = a.response_id JOIN kommunen m ON m.id = r.kommune_id
				WHERE m.ags = ? AND a.question_id = ? AND a.item = ''`, k.ags, strings.TrimPrefix(f, "q.")).Scan(&raw)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				t.Fatal(err)
			}
			if raw.String != k.acked[f] {
				t.Errorf("%s %s in the file: %.40q, acknowledged %.40q", k.ags, f, raw.String, k.acked[f])
			}
		}
	}
	t.Logf("%d kills (%d while starting) in %d epochs over %v; %d Kommunen; %d saves answered 200, all found; "+
		"%d saves cut off without an answer, %d of them stored whole, the others not at all; integrity ok",
		kills, early, epochs, time.Since(start).Round(time.Second), len(ks), acked, unanswered, unansweredStored)
	if kills < crashMinKills {
		t.Errorf("only %d kills within %v, want at least %d", kills, crashBudget, crashMinKills)
	}
}

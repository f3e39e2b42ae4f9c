package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bedarf/survey"
	"bedarf/survey/store"
)

// Issue 7, item 8: graceful shutdown. While Kommunen save, the program is
// told to stop (its context ends, as SIGTERM does in main). Saves already
// being received finish and are stored; every save answered 200 is stored;
// a save that got no answer is stored whole or not at all; new connections
// are refused from the moment shutdown begins, and the database is intact.

// shutdownFields get new values on every save, so a save is either all there
// or all not.
var shutdownFields = []string{"q.betreute_gu", "q.kontakt_name", "q.belastung_anmerkungen"}

func shutdownValues(ags string, seq int) map[string]string {
	return map[string]string{
		"q.betreute_gu":           strconv.Itoa(seq),
		"q.kontakt_name":          fmt.Sprintf("Person %s-%d", ags, seq),
		"q.belastung_anmerkungen": strings.TrimSpace(strings.Repeat(fmt.Sprintf("Speicherung %d. ", seq), 1+seq%7)),
	}
}

// shutdownSaver saves new values for one Kommune in a loop until a save
// gets no answer.
type shutdownSaver struct {
	ags     string
	ed      *editor
	seq     int
	acked   map[string]string // the last save answered 200
	pending map[string]string // a save sent without an answer
	n       int               // saves answered 200
	err     error
}

func (s *shutdownSaver) loop(base string, started chan<- struct{}) {
	once := sync.Once{}
	for {
		s.seq++
		vals := shutdownValues(s.ags, s.seq)
		for f, v := range vals {
			s.ed.form.Set(f, v)
		}
		s.ed.form.Set("aktion", "speichern")
		req, _ := http.NewRequest(http.MethodPost, base+"/fragebogen", strings.NewReader(s.ed.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := s.ed.b.c.Do(req)
		if err != nil {
			s.pending = vals // no answer: stored whole or not at all
			return
		}
		body, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			s.err = fmt.Errorf("%s: save %d answered %d", s.ags, s.seq, resp.StatusCode)
			return
		}
		s.acked, s.n = vals, s.n+1
		if s.n == 3 {
			once.Do(func() { started <- struct{}{} })
		}
		if rerr != nil {
			return
		}
		form, err := parsePageForm(string(body))
		if err != nil {
			s.err = fmt.Errorf("%s: %v", s.ags, err)
			return
		}
		s.ed.form = form
	}
}

// slowSave is a save whose body is still being sent when shutdown begins:
// written by hand on its own connection, half now, half later.
type slowSave struct {
	ags  string
	vals map[string]string
	conn net.Conn
	br   *bufio.Reader
	body string
	req  *http.Request
}

func startSlowSave(t *testing.T, d *demo, ed *editor, ags string) *slowSave {
	t.Helper()
	s := &slowSave{ags: ags, vals: shutdownValues(ags, 1000)}
	for f, v := range s.vals {
		ed.form.Set(f, v)
	}
	ed.form.Set("aktion", "speichern")
	s.body = ed.form.Encode()
	u, _ := url.Parse(d.base)
	var cookie string
	for _, c := range ed.b.c.Jar.Cookies(u) {
		if c.Name == "bedarf" {
			cookie = c.Value
		}
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	s.conn = conn
	s.req, _ = http.NewRequest(http.MethodPost, d.base+"/fragebogen", nil)
	// "Expect: 100-continue": the server says "100 Continue" when the
	// handler starts reading the body, so the test knows the save is under
	// way before it sends the first half. (A request whose header the
	// server has not read when shutdown begins is dropped unanswered.)
	head := fmt.Sprintf("POST /fragebogen HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"+
		"Cookie: bedarf=%s\r\nOrigin: %s\r\nSec-Fetch-Site: same-origin\r\nExpect: 100-continue\r\n\r\n", u.Host, len(s.body), cookie, d.base)
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	s.br = bufio.NewReader(conn)
	cont, err := http.ReadResponse(s.br, s.req)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("slow save of %s: %v %v", ags, cont, err)
	}
	if _, err := io.WriteString(conn, s.body[:len(s.body)/2]); err != nil {
		t.Fatal(err)
	}
	return s
}

// finish sends the rest of the body and reads the answer.
func (s *slowSave) finish() (int, error) {
	resp, err := s.answer(true)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// answer sends the rest of the body (if send) and reads the answer; it
// closes the connection.
func (s *slowSave) answer(send bool) (*http.Response, error) {
	defer s.conn.Close()
	if send {
		if _, err := io.WriteString(s.conn, s.body[len(s.body)/2:]); err != nil {
			return nil, err
		}
	}
	resp, err := http.ReadResponse(s.br, s.req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, nil
}

func TestGracefulShutdown(t *testing.T) {
	ctx := context.Background()
	d := startDemo(t, "")
	kommunen := editableKommunen(t, d.base, d.links)
	if len(kommunen) < 9 {
		t.Fatalf("only %d editable Kommunen", len(kommunen))
	}
	u, _ := url.Parse(d.base)

	// Six Kommunen save in a loop; three have a save half sent.
	var savers []*shutdownSaver
	started := make(chan struct{}, 6)
	var wg sync.WaitGroup
	for _, ags := range kommunen[:6] {
		s := &shutdownSaver{ags: ags, ed: openEditor(t, d, ags, "Abschaltung "+ags)}
		savers = append(savers, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(d.base, started)
		}()
	}
	for range savers {
		select {
		case <-started:
		case <-time.After(30 * time.Second):
			t.Fatal("the savers did not get going")
		}
	}
	var slow []*slowSave
	for _, ags := range kommunen[6:9] {
		slow = append(slow, startSlowSave(t, d, openEditor(t, d, ags, "Langsam "+ags), ags))
	}

	// SIGTERM: the program's context ends. From the moment the listener
	// closes, new connections are refused.
	stopped := make(chan struct{})
	go func() {
		d.stop()
		close(stopped)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the program still takes connections 10 s after being told to stop")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case <-stopped:
		t.Fatal("the program stopped before the saves it was receiving were done")
	default:
	}

	// The half-sent saves are finished now, during the shutdown, and stored.
	for _, s := range slow {
		code, err := s.finish()
		if err != nil || code != http.StatusOK {
			t.Errorf("save of %s sent during shutdown: %d, %v", s.ags, code, err)
		}
	}
	select {
	case <-stopped:
	case <-time.After(40 * time.Second):
		t.Fatal("the program did not stop")
	}
	wg.Wait()

	// After the shutdown: refused, nothing half done.
	after := newBrowser(t, d.base)
	req, _ := http.NewRequest(http.MethodPost, d.base+"/fragebogen", strings.NewReader("aktion=speichern&q.betreute_gu=99999"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := after.c.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("a save after shutdown was answered %d", resp.StatusCode)
	}

	// What is stored, read from the database file after the program ended.
	st, err := store.Open(ctx, d.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	storedVals := func(ags string) map[string]string {
		t.Helper()
		_, ans, err := st.ResponseByKommune(ctx, 1, ags)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range shutdownFields {
			out[f] = ans[survey.Key{Question: strings.TrimPrefix(f, "q.")}].Raw
		}
		return out
	}
	equal := func(a, b map[string]string) bool {
		for _, f := range shutdownFields {
			if a[f] != b[f] {
				return false
			}
		}
		return true
	}
	total := 0
	for _, s := range savers {
		if s.err != nil {
			t.Error(s.err)
		}
		got := storedVals(s.ags)
		switch {
		case equal(got, s.acked):
		case s.pending != nil && equal(got, s.pending):
		default:
			t.Errorf("%s: stored %v, last acknowledged %v, unanswered %v", s.ags, got, s.acked, s.pending)
		}
		total += s.n
	}
	for _, s := range slow {
		if got := storedVals(s.ags); !equal(got, s.vals) {
			t.Errorf("%s: the save finished during shutdown is stored as %v, sent %v", s.ags, got, s.vals)
		}
	}
	t.Logf("%d saves acknowledged before the shutdown, %d finished during it", total, len(slow))

	db, err := sql.Open("sqlite", "file:"+d.db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check: %q, %v", res, err)
	}
}

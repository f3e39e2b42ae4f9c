package main

import (
	"bufio"
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// Issue 16, item 5: every request whose header the server has read when it
// is told to stop gets a reply, each reply during the drain says
// "Connection: close", and the drain ends at --drain-timeout with a reply
// (503) to what is still arriving, not with a cut connection.
func TestDrainAnswersEveryRequestBegun(t *testing.T) {
	const drain = 2 * time.Second
	d := startDemoWith(t, "", io.Discard, "--drain-timeout", drain.String())
	kommunen := editableKommunen(t, d.base, d.links)
	if len(kommunen) < 6 {
		t.Fatalf("only %d editable Kommunen", len(kommunen))
	}
	u, _ := url.Parse(d.base)

	// Slow clients, all in flight when the stop comes: four have sent half
	// a request header; three have sent half a save and finish it during
	// the drain; three have sent half a save and send nothing more.
	type slowHead struct {
		conn net.Conn
		br   *bufio.Reader
	}
	var heads []slowHead
	for range 4 {
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(60 * time.Second))
		if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: "+u.Host+"\r\n"); err != nil {
			t.Fatal(err)
		}
		heads = append(heads, slowHead{conn, bufio.NewReader(conn)})
	}
	var finishing, stalled []*slowSave
	for i, ags := range kommunen[:6] {
		s := startSlowSave(t, d, openEditor(t, d, ags, "Abschaltfrist "+ags), ags)
		if i < 3 {
			finishing = append(finishing, s)
		} else {
			stalled = append(stalled, s)
		}
	}
	time.Sleep(300 * time.Millisecond) // the server reads the header halves

	start := time.Now()
	stopped := make(chan struct{})
	go func() {
		d.stop()
		close(stopped)
	}()
	for {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Since(start) > 10*time.Second {
			t.Fatal("the program still takes connections 10 s after being told to stop")
		}
		time.Sleep(5 * time.Millisecond)
	}

	checkReply := func(who string, resp *http.Response, err error, want int) {
		t.Helper()
		switch {
		case err != nil:
			t.Errorf("%s: no reply: %v", who, err)
		case resp.StatusCode != want:
			t.Errorf("%s: status %d, want %d", who, resp.StatusCode, want)
		case !resp.Close:
			t.Errorf("%s: reply during the drain without Connection: close (header %q)", who, resp.Header.Get("Connection"))
		}
	}
	for i, h := range heads {
		if _, err := io.WriteString(h.conn, "Accept: text/plain\r\n\r\n"); err != nil {
			t.Errorf("slow header %d: %v", i, err)
			continue
		}
		resp, err := http.ReadResponse(h.br, nil)
		checkReply("request whose header ended during the drain", resp, err, http.StatusOK)
	}
	for _, s := range finishing {
		resp, err := s.answer(true)
		checkReply("save "+s.ags+" finished during the drain", resp, err, http.StatusOK)
	}
	for _, s := range stalled {
		resp, err := s.answer(false)
		checkReply("save "+s.ags+" still half sent at the drain deadline", resp, err, http.StatusServiceUnavailable)
	}
	select {
	case <-stopped:
	case <-time.After(30 * time.Second):
		t.Fatal("the program did not stop")
	}
	took := time.Since(start)
	if took < drain || took > drain+web.DrainLastCall+5*time.Second {
		t.Errorf("the stop took %v with a drain deadline of %v", took, drain)
	}

	// What is stored: the finished saves whole, nothing of the stalled ones.
	ctx := context.Background()
	st, err := store.Open(ctx, d.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, s := range append(finishing, stalled...) {
		_, ans, err := st.ResponseByKommune(ctx, 1, s.ags)
		if err != nil {
			t.Fatal(err)
		}
		wantStored := !slices.Contains(stalled, s)
		for f, v := range s.vals {
			got := ans[survey.Key{Question: strings.TrimPrefix(f, "q.")}].Raw
			if (got == v) != wantStored {
				t.Errorf("%s %s: stored %q, sent %q (stored expected: %v)", s.ags, f, got, v, wantStored)
			}
		}
	}
}

func TestDrainTimeoutFlag(t *testing.T) {
	tests := []struct {
		name, env string
		args      []string
		want      time.Duration
		wantErr   bool
	}{
		{name: "default", want: 30 * time.Second},
		{name: "flag", args: []string{"--drain-timeout", "20s"}, want: 20 * time.Second},
		{name: "environment", env: "45s", want: 45 * time.Second},
		{name: "flag beats environment", env: "45s", args: []string{"--drain-timeout", "5s"}, want: 5 * time.Second},
		{name: "not a duration", args: []string{"--drain-timeout", "30"}, wantErr: true},
		{name: "too short", env: "10ms", wantErr: true},
		{name: "too long", args: []string{"--drain-timeout", "2h"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("BEDARF_DRAIN_TIMEOUT", tt.env)
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var c config
			c.serveFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := c.drainTimeout()
			if (err != nil) != tt.wantErr || (err == nil && c.Drain != tt.want) {
				t.Errorf("drain %v, error %v; want %v, error %v", c.Drain, err, tt.want, tt.wantErr)
			}
		})
	}
}

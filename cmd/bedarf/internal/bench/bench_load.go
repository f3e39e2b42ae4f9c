package bench

// The load side of "bedarf bench": simulated Kommunen and staff driving the
// real server over HTTP on loopback, and the latency bookkeeping.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
)

// samples are the latencies of one step, with the phase's wall time for
// throughput.
type samples struct {
	mu     sync.Mutex
	d      []time.Duration
	errors int
	wall   time.Duration
	first  string // the first error, for the report
}

func (s *samples) add(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errors++
		if s.first == "" {
			s.first = err.Error()
		}
		return
	}
	s.d = append(s.d, d)
}

// stats summarises samples.
type stats struct {
	N, Errors          int
	P50, P95, P99, Max time.Duration
	Mean               time.Duration
	PerSec             float64 // N / wall time of the phase
	FirstError         string
}

func (s *samples) stats() stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := slices.Clone(s.d)
	slices.Sort(d)
	st := stats{N: len(d), Errors: s.errors, FirstError: s.first}
	if len(d) == 0 {
		return st
	}
	rank := func(p float64) time.Duration { // nearest rank
		i := int(math.Ceil(p*float64(len(d)))) - 1
		return d[min(max(i, 0), len(d)-1)]
	}
	st.P50, st.P95, st.P99, st.Max = rank(0.50), rank(0.95), rank(0.99), d[len(d)-1]
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	st.Mean = sum / time.Duration(len(d))
	if s.wall > 0 {
		st.PerSec = float64(len(d)) / s.wall.Seconds()
	} else if sum > 0 {
		st.PerSec = float64(len(d)) / sum.Seconds()
	}
	return st
}

// timeIt runs fn n times and records each run.
func timeIt(n int, fn func() error) *samples {
	s := &samples{}
	start := time.Now()
	for range n {
		t := time.Now()
		err := fn()
		s.add(time.Since(t), err)
	}
	s.wall = time.Since(start)
	return s
}

// parallel runs fn(i) for i in [0, n) on n goroutines and adds the phase's
// wall time to every samples given.
func parallel(n int, fn func(i int), ss ...*samples) {
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i)
		}()
	}
	wg.Wait()
	for _, s := range ss {
		s.wall += time.Since(start)
	}
}

// loadClient is one simulated browser: its own cookies, a shared transport.
type loadClient struct {
	base string
	c    *http.Client
}

func newTransport(conns int) *http.Transport {
	return &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: 2 * time.Minute,
		DisableCompression: true, ResponseHeaderTimeout: 5 * time.Minute}
}

func newLoadClient(base string, tr http.RoundTripper) *loadClient {
	jar, _ := cookiejar.New(nil)
	return &loadClient{base: base, c: &http.Client{Transport: tr, Jar: jar, Timeout: 10 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request and reads the whole answer (time to last byte). The
// body is kept when keep is set, otherwise only counted. A status other
// than want is an error.
func (lc *loadClient) do(ctx context.Context, method, path string, form url.Values, want int, keep bool) ([]byte, int64, time.Duration, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, lc.base+path, body)
	if err != nil {
		return nil, 0, 0, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	start := time.Now()
	resp, err := lc.c.Do(req)
	if err != nil {
		return nil, 0, time.Since(start), err
	}
	defer resp.Body.Close()
	var out []byte
	var n int64
	if keep {
		out, err = io.ReadAll(resp.Body)
		n = int64(len(out))
	} else {
		n, err = io.Copy(io.Discard, resp.Body)
	}
	d := time.Since(start)
	if err != nil {
		return nil, n, d, err
	}
	if resp.StatusCode != want {
		snippet := string(out)
		if i := strings.Index(snippet, "<main"); i >= 0 {
			snippet = snippet[i:]
		}
		return out, n, d, fmt.Errorf("%s %s: status %d, want %d %.200s", method, strings.Split(path, "?")[0], resp.StatusCode, want, snippet)
	}
	return out, n, d, nil
}

var benchRevisionRE = regexp.MustCompile(`name="revision" value="(\d+)"`)

// pageRevision reads the revision the form page carries.
func pageRevision(page []byte) (string, error) {
	m := benchRevisionRE.FindSubmatch(page)
	if m == nil {
		return "", errors.New("page without revision field")
	}
	return string(m[1]), nil
}

// browserForm is what a browser sends for a form: every field (empty
// inputs too), the revision, the editor's name and the button pressed.
func browserForm(qn *survey.Questionnaire, answers map[string][]string, revision, editor, action string) url.Values {
	v := url.Values{}
	for _, q := range qn.Questions() {
		switch q.Type {
		case survey.Note, survey.MultipleChoice, survey.SingleChoice, survey.Likert, survey.YesNo:
			// unchecked radios and checkboxes send nothing
		case survey.Matrix:
		case survey.ItemNumbers:
			for _, it := range q.Items {
				v.Set(survey.Key{Question: q.ID, Item: it.Value}.Field(), "")
			}
		default:
			v.Set(survey.Key{Question: q.ID}.Field(), "")
		}
	}
	for f, vs := range answers {
		v[f] = vs
	}
	v.Set("revision", revision)
	v.Set("bearbeitung", editor)
	v.Set("aktion", action)
	return v
}

// journeySteps are the steps of a Kommune's journey, in order.
var journeySteps = []string{"open link (GET /k/…, 303)", "form (GET /fragebogen)", "draft save (POST, 200)", "submit (POST, 303)"}

// journey is one Kommune's way from the link to the submission: open the
// link, load the form, save three drafts (sections 1–3, 1–5, 1–7) and
// submit everything.
func journey(ctx context.Context, lc *loadClient, qn *survey.Questionnaire, r benchResp, steps map[string]*samples) error {
	editor := "Bench " + r.Kommune.Name
	_, _, d, err := lc.do(ctx, http.MethodGet, "/k/"+r.Token, nil, http.StatusSeeOther, false)
	steps[journeySteps[0]].add(d, err)
	if err != nil {
		return err
	}
	page, _, d, err := lc.do(ctx, http.MethodGet, "/fragebogen", nil, http.StatusOK, true)
	steps[journeySteps[1]].add(d, err)
	if err != nil {
		return err
	}
	full := BenchForm(rand.New(rand.NewPCG(uint64(r.Kommune.ID), 7)), r.Kommune, 2)
	for _, sections := range []int{3, 5, 7} {
		rev, err := pageRevision(page)
		if err != nil {
			steps[journeySteps[2]].add(0, err)
			return err
		}
		page, _, d, err = lc.do(ctx, http.MethodPost, "/fragebogen", browserForm(qn, benchPartial(qn, full, sections), rev, editor, "speichern"), http.StatusOK, true)
		steps[journeySteps[2]].add(d, err)
		if err != nil {
			return err
		}
	}
	rev, err := pageRevision(page)
	if err != nil {
		steps[journeySteps[3]].add(0, err)
		return err
	}
	_, _, d, err = lc.do(ctx, http.MethodPost, "/fragebogen", browserForm(qn, full, rev, editor, "absenden"), http.StatusSeeOther, false)
	steps[journeySteps[3]].add(d, err)
	return err
}

// saveEditor keeps saving one Kommune's draft, changing five numbers each
// time (the rows the raw baseline writes too): as the page does without
// JavaScript, or, with bg, in the background as its script does.
type saveEditor struct {
	qn   *survey.Questionnaire
	lc   *loadClient
	r    benchResp
	form map[string][]string
	rev  string
	i    int
	bg   bool
}

// benchSaveFields are the answers every save in the save phases changes.
var benchSaveFields = []string{"q.betreute_privat", "q.zugang_seit_2015", "q.erwartet_12_monate", "q.unterkuenfte", "q.plaetze"}

// openSaveEditor opens the link and loads the form (not measured).
func openSaveEditor(ctx context.Context, base string, tr http.RoundTripper, qn *survey.Questionnaire, r benchResp) (*saveEditor, error) {
	e := &saveEditor{qn: qn, lc: newLoadClient(base, tr), r: r, form: map[string][]string{}}
	for k, v := range r.Form {
		e.form[k] = v
	}
	if _, _, _, err := e.lc.do(ctx, http.MethodGet, "/k/"+r.Token, nil, http.StatusSeeOther, false); err != nil {
		return nil, err
	}
	page, _, _, err := e.lc.do(ctx, http.MethodGet, "/fragebogen", nil, http.StatusOK, true)
	if err != nil {
		return nil, err
	}
	e.rev, err = pageRevision(page)
	return e, err
}

// benchSaveValues returns the values of the i-th save of a draft: five
// numbers that differ from every earlier save's.
func benchSaveValues(i int) []string {
	out := make([]string, len(benchSaveFields))
	for j := range out {
		out[j] = strconv.Itoa(100000 + 10*i + j)
	}
	return out
}

// next is the form of the next save.
func (e *saveEditor) next() url.Values {
	e.i++
	for j, v := range benchSaveValues(e.i) {
		e.form[benchSaveFields[j]] = []string{v}
	}
	return browserForm(e.qn, e.form, e.rev, "Bench", "speichern")
}

// save posts the next draft and returns its latency.
func (e *saveEditor) save(ctx context.Context) (time.Duration, error) {
	if e.bg {
		reply, _, d, err := e.lc.do(ctx, http.MethodPost, web.AutosavePath, e.next(), http.StatusOK, true)
		if err != nil {
			return d, err
		}
		m := benchJSONRevisionRE.FindSubmatch(reply)
		if m == nil {
			return d, fmt.Errorf("background save answered without revision: %.200s", reply)
		}
		e.rev = string(m[1])
		return d, nil
	}
	page, _, d, err := e.lc.do(ctx, http.MethodPost, "/fragebogen", e.next(), http.StatusOK, true)
	if err != nil {
		return d, err
	}
	e.rev, err = pageRevision(page)
	return d, err
}

// benchJSONRevisionRE finds the new revision in a background save's answer.
var benchJSONRevisionRE = regexp.MustCompile(`"revision":(\d+)`)

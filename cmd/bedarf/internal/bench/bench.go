package bench

// "bedarf bench": a load and scale harness. It seeds a synthetic
// nation-wide database, starts the real server on loopback, drives it with
// simulated Kommunen and staff, measures the same work without the product
// around it (the baselines) in the same run, and writes docs/PERFORMANCE.md
// with every product figure as a ratio to its baseline.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"bedarf/analysis"
	"bedarf/analysis/rawbook"
	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// Options are the flags of "bedarf bench".
type Options struct {
	Kommunen   int
	Clients    int
	Journeys   int // per client
	Saves      int // per client in the concurrent save phase
	Serial     int // requests of each serial phase
	Iterations int // of each staff page
	Workbooks  int // workbook runs
	Out        string
	Short      bool
	CPUProfile string
	Dir        string
	Keep       bool
}

func (o *Options) flags(fs *flag.FlagSet) {
	fs.IntVar(&o.Kommunen, "kommunen", 10800, "`ANZAHL` synthetische Kommunen")
	fs.IntVar(&o.Clients, "clients", 64, "`ANZAHL` gleichzeitig simulierte Kommunen")
	fs.IntVar(&o.Journeys, "journeys", 8, "`ANZAHL` Durchläufe (vom Link bis zur Abgabe) je Client")
	fs.IntVar(&o.Saves, "saves", 10, "`ANZAHL` Zwischenspeicherungen je Client in der gleichzeitigen Speicherphase")
	fs.IntVar(&o.Serial, "serial", 300, "`ANZAHL` Anfragen in jeder Phase mit einem Client")
	fs.IntVar(&o.Iterations, "iterations", 5, "`ANZAHL` Abrufe jeder Verwaltungsseite")
	fs.IntVar(&o.Workbooks, "workbooks", 5, "`ANZAHL` Abrufe der Arbeitsmappe und ihrer Vergleichsmessung")
	fs.StringVar(&o.Out, "out", "", "`DATEI` Bericht (sonst docs/PERFORMANCE.md; mit --short eine temporäre Datei)")
	fs.BoolVar(&o.Short, "short", false, "klein und schnell, für CI: 500 Kommunen, 8 Clients, wenige Durchläufe (ausdrücklich angegebene Optionen gelten weiter)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "`DATEI` schreibt ein CPU-Profil der gemessenen Phasen in diese Datei")
	fs.BoolVar(&o.Keep, "keep", false, "die temporären Datenbanken behalten (ihr Ordner wird ausgegeben), um sie näher anzusehen")
	fs.StringVar(&o.Dir, "dir", "", "`ORDNER` Ordner für die temporären Datenbanken (sonst der des Systems; am besten auf der Platte des Betriebs)")
}

// benchRepeats is how often the concurrent save phase alternates between
// raw transactions and saves over HTTP.
const benchRepeats = 3

// shortDefaults are the values --short uses for flags not given.
var shortDefaults = map[string]string{"kommunen": "500", "clients": "8", "journeys": "2", "saves": "3", "serial": "30", "iterations": "2", "workbooks": "1"}

// Wiring is what the bench takes from the rest of the program: the
// version for its report and the demo's seeding for the maps phase.
type Wiring struct {
	Version string
	// SeedDemo seeds the demo into st and returns the demo admin's sign-in.
	SeedDemo func(ctx context.Context, st *store.Store, sealer *auth.Sealer) (email, password string, err error)
}

// Run is "bedarf bench": it parses the bench's flags from args, runs
// every phase and writes the report.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, wire Wiring) error {
	fs := cli.NewFlagSet("bench", "[Optionen]", stderr)
	var o Options
	o.flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Short {
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		for name, v := range shortDefaults {
			if !given[name] {
				fs.Set(name, v)
			}
		}
	}
	if o.Kommunen < 50 || o.Clients < 1 || o.Journeys < 1 || o.Saves < 1 || o.Serial < 5 || o.Iterations < 1 || o.Workbooks < 1 {
		return errors.New("bench: --kommunen ≥ 50 and every count ≥ 1 (--serial ≥ 5)")
	}
	out := o.Out
	if out == "" && !o.Short {
		out = filepath.Join("docs", "PERFORMANCE.md")
	}
	dir, err := os.MkdirTemp(o.Dir, "bedarf-bench-")
	if err != nil {
		return err
	}
	if o.Keep {
		fmt.Fprintf(stderr, "bench: the databases stay in %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	b := &bencher{o: o, wire: wire, dir: dir, log: stderr, rep: &benchReport{Opts: o, Started: time.Now()}}
	if err := b.run(ctx); err != nil {
		return err
	}
	if out == "" {
		f, err := os.CreateTemp("", "bedarf-performance-*.md")
		if err != nil {
			return err
		}
		f.Close()
		out = f.Name()
	}
	if err := writeBenchReport(out, b.rep); err != nil {
		return err
	}
	printBenchSummary(stdout, b.rep)
	fmt.Fprintf(stdout, "Bericht: %s\n", out)
	return nil
}

// bencher runs the phases and fills the report.
type bencher struct {
	o       Options
	wire    Wiring
	dir     string
	log     io.Writer
	rep     *benchReport
	data    *benchData
	st      *store.Store
	srv     *web.Server
	handler http.Handler // srv's Handler, for requests in process
	base    string
	tr      *http.Transport
	staff   *loadClient
	mem     *memSampler
}

func (b *bencher) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "bench: "+format+"\n", args...)
}

func benchDefaultParams() []byte { return analysis.MarshalParams(analysis.DefaultParams()) }

func (b *bencher) run(ctx context.Context) error {
	rep := b.rep
	rep.Machine = machine(ctx, b.wire.Version)
	path := filepath.Join(b.dir, "bench.db")
	sealer, err := auth.LoadOrCreateKey(filepath.Join(b.dir, "bench.key"))
	if err != nil {
		return err
	}
	b.logf("seeding %d Kommunen × 3 rounds into %s", b.o.Kommunen, path)
	if b.data, err = BenchSeed(ctx, path, sealer, b.o.Kommunen, time.Now()); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	rep.Data = b.data
	if fi, err := os.Stat(path); err == nil {
		rep.DBBytes = fi.Size()
	}
	need := 5 + 2*b.o.Clients
	if len(b.data.Drafts) < need {
		return fmt.Errorf("bench: %d drafts in the open round, %d needed: more --kommunen or fewer --clients", len(b.data.Drafts), need)
	}
	rep.JourneysWanted = min(b.o.Clients*b.o.Journeys, len(b.data.New))
	b.logf("seeded in %s: %d answer rows, database %d MB", b.data.SeedTime.Round(time.Second), b.data.AnswerRows, rep.DBBytes>>20)
	rawPath := filepath.Join(b.dir, "raw.db")
	if err := copyFile(path, rawPath); err != nil {
		return err
	}

	b.mem = startMemSampler()
	defer b.mem.stop()
	if b.o.CPUProfile != "" {
		f, err := os.Create(b.o.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if b.st, err = store.Open(ctx, path); err != nil {
		return err
	}
	defer b.st.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil)) // formatted as in production, then dropped
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if b.srv, err = web.New(b.st, sealer, logger, web.Options{BaseURL: "http://" + ln.Addr().String()}); err != nil {
		ln.Close()
		return err
	}
	b.base = b.srv.BaseURL
	b.handler = b.srv.Handler()
	srvCtx, stopServer := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- web.ServeUntilDone(srvCtx, ln, nil, b.srv, logger, web.DefaultDrain) }()
	defer func() {
		stopServer()
		<-served
	}()
	b.tr = newTransport(b.o.Clients + 8)
	defer b.tr.CloseIdleConnections()

	phases := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"empty handler", b.phaseEmpty},
		{"journeys", b.phaseJourneys},
		{"draft saves", b.phaseSaves},
		{"questionnaire page", b.phaseForm},
		{"staff pages", b.phaseStaff},
		{"workbook", b.phaseWorkbook},
		{"detailed boundaries", b.phaseBoundaries},
		{"bookings", b.phaseBookings},
		{"uptake", b.phaseUptake},
	}
	for _, p := range phases {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.logf("%s …", p.name)
		b.mem.phase(p.name)
		t := time.Now()
		if err := p.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		b.logf("%s done in %s", p.name, time.Since(t).Round(time.Millisecond))
	}
	b.mem.phase("")
	rep.Memory = b.mem.result()
	rep.Duration = time.Since(rep.Started)
	rep.Machine.LoadAfter = loadAvg()
	rep.targets()
	return nil
}

func (b *bencher) phaseEmpty(ctx context.Context) error {
	base, stop, err := emptyServer()
	if err != nil {
		return err
	}
	defer stop()
	lc := newLoadClient(base, b.tr)
	n := b.o.Serial * 2
	b.rep.Empty = timeIt(n, func() error {
		_, _, _, err := lc.do(ctx, http.MethodGet, "/leer", nil, http.StatusNoContent, false)
		return err
	}).stats()
	// The staff client logs in now; its pages come later.
	b.staff = newLoadClient(b.base, b.tr)
	_, _, _, err = b.staff.do(ctx, http.MethodPost, "/anmelden", url.Values{"email": {b.data.AdminEmail}, "passwort": {b.data.AdminPassword}}, http.StatusSeeOther, false)
	return err
}

func (b *bencher) phaseJourneys(ctx context.Context) error {
	steps := map[string]*samples{}
	for _, s := range journeySteps {
		steps[s] = &samples{}
	}
	total := &samples{}
	todo := make(chan benchResp, b.rep.JourneysWanted)
	for _, r := range b.data.New[:b.rep.JourneysWanted] {
		todo <- r
	}
	close(todo)
	all := append([]*samples{total}, valuesOf(steps)...)
	parallel(b.o.Clients, func(int) {
		for r := range todo {
			lc := newLoadClient(b.base, b.tr) // a new browser per Kommune
			t := time.Now()
			err := journey(ctx, lc, b.data.Questionnaire, r, steps)
			total.add(time.Since(t), err)
		}
	}, all...)
	b.rep.Journey = map[string]stats{}
	for name, s := range steps {
		b.rep.Journey[name] = s.stats()
	}
	b.rep.JourneyTotal = total.stats()
	return nil
}

func valuesOf(m map[string]*samples) []*samples {
	var out []*samples
	for _, s := range m {
		out = append(out, s)
	}
	return out
}

// phaseSaves measures draft saves over HTTP against raw transactions that
// write the same rows on a copy of the database: one client, then all.
func (b *bencher) phaseSaves(ctx context.Context) error {
	drafts := b.data.Drafts
	serial, conc := drafts[0], drafts[4:4+b.o.Clients]
	jsSerial, jsConc := drafts[4+b.o.Clients], drafts[5+b.o.Clients:5+2*b.o.Clients]
	raw, err := openRawWriter(ctx, filepath.Join(b.dir, "raw.db"), append([]benchResp{serial}, conc...), b.data.Current.ID)
	if err != nil {
		return err
	}
	defer raw.Close()
	qn := b.data.Questionnaire
	baseURL, stopBase, err := serveHandler(b.srv.SaveBaseline())
	if err != nil {
		return err
	}
	defer stopBase()

	// One client: a raw transaction, a save over HTTP, the same save
	// handled in process, a background save and the other parts of its
	// baseline (the middleware over HTTP, the save's reads), in turns.
	ed, err := openSaveEditor(ctx, b.base, b.tr, qn, serial)
	if err != nil {
		return err
	}
	inproc, err := b.newHandlerSaver(ctx, drafts[1])
	if err != nil {
		return err
	}
	js, err := openSaveEditor(ctx, b.base, b.tr, qn, jsSerial)
	if err != nil {
		return err
	}
	js.bg = true
	mw := &loadClient{base: baseURL, c: js.lc.c} // the same session cookie
	rawS, httpS, procS, jsS, mwS, readS := &samples{}, &samples{}, &samples{}, &samples{}, &samples{}, &samples{}
	for i := range b.o.Serial {
		t := time.Now()
		err := raw.save(ctx, serial.ID, i+1)
		rawS.add(time.Since(t), err)
		d, err := ed.save(ctx)
		httpS.add(d, err)
		t = time.Now()
		err = inproc()
		procS.add(time.Since(t), err)
		d, err = js.save(ctx)
		jsS.add(d, err)
		_, _, d, err = mw.do(ctx, http.MethodPost, web.AutosavePath, js.next(), http.StatusNoContent, false)
		mwS.add(d, err)
		rev, _ := strconv.Atoi(js.rev)
		t = time.Now()
		fs, err := b.st.KommuneForm(ctx, b.data.Current.ID, jsSerial.ID, rev)
		if err == nil {
			_, err = b.st.Questionnaire(ctx, fs.Round.QuestionnaireID)
		}
		readS.add(time.Since(t), err)
	}
	// No wall time: the rates of the one-client phase are per request
	// (1/mean), not per wall time of the interleaved loop.
	b.rep.RawSerial, b.rep.SaveSerial, b.rep.SaveHandler = rawS.stats(), httpS.stats(), procS.stats()
	b.rep.SaveJS, b.rep.BaseMiddleware, b.rep.BaseReads = jsS.stats(), mwS.stats(), readS.stats()

	// All clients, each on its own Kommune: raw transactions, saves over
	// HTTP and background saves in turns, three times, so that a passing
	// stall of the shared machine does not decide one side's p99 alone.
	eds, jsEds := make([]*saveEditor, len(conc)), make([]*saveEditor, len(jsConc))
	for c, r := range conc {
		if eds[c], err = openSaveEditor(ctx, b.base, b.tr, qn, r); err != nil {
			return err
		}
		if jsEds[c], err = openSaveEditor(ctx, b.base, b.tr, qn, jsConc[c]); err != nil {
			return err
		}
		jsEds[c].bg = true
	}
	rawConc, saveConc, jsConcS := &samples{}, &samples{}, &samples{}
	for rep := range benchRepeats {
		parallel(len(conc), func(c int) {
			for j := range b.o.Saves {
				t := time.Now()
				err := raw.save(ctx, conc[c].ID, b.o.Serial+rep*b.o.Saves+j+1)
				rawConc.add(time.Since(t), err)
			}
		}, rawConc)
		parallel(len(conc), func(c int) {
			for range b.o.Saves {
				d, err := eds[c].save(ctx)
				saveConc.add(d, err)
			}
		}, saveConc)
		parallel(len(jsConc), func(c int) {
			for range b.o.Saves {
				d, err := jsEds[c].save(ctx)
				jsConcS.add(d, err)
			}
		}, jsConcS)
	}
	b.rep.RawConc, b.rep.SaveConc, b.rep.SaveJSConc = rawConc.stats(), saveConc.stats(), jsConcS.stats()
	b.rep.SaveRows = 2*len(benchSaveFields) + 3
	return b.saveParts(ctx, drafts[2])
}

// kommuneSession signs the Kommune in as its link does and returns the
// session's cookie value.
func (b *bencher) kommuneSession(ctx context.Context, r benchResp) (string, error) {
	ref, err := b.st.ResolveToken(ctx, r.Token)
	if err != nil {
		return "", err
	}
	return b.st.CreateKommuneSession(ctx, ref)
}

// serveInProcess sends one request through the server's Handler in
// process (routes and middleware, no network) with the session cookie sid.
func (b *bencher) serveInProcess(ctx context.Context, method, path, sid string, form url.Values) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequestWithContext(ctx, method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: "bedarf", Value: sid})
	w := httptest.NewRecorder()
	b.handler.ServeHTTP(w, req)
	return w
}

// newHandlerSaver returns a function that saves the next draft of r
// through the server's Handler in process: the request with the
// session's cookie, routes and middleware, no network.
func (b *bencher) newHandlerSaver(ctx context.Context, r benchResp) (func() error, error) {
	sid, err := b.kommuneSession(ctx, r)
	if err != nil {
		return nil, err
	}
	qn := b.data.Questionnaire
	form := map[string][]string{}
	for k, v := range r.Form {
		form[k] = v
	}
	rev, i := "1", 0
	return func() error {
		i++
		for j, v := range benchSaveValues(i) {
			form[benchSaveFields[j]] = []string{v}
		}
		w := b.serveInProcess(ctx, http.MethodPost, "/fragebogen", sid, browserForm(qn, form, rev, "Bench", "speichern"))
		if w.Code != http.StatusOK {
			return fmt.Errorf("save through Handler in process: status %d", w.Code)
		}
		next, err := pageRevision(w.Body.Bytes())
		if err != nil {
			return err
		}
		if next == rev { // a page that kept the form without saving it
			return fmt.Errorf("save through Handler in process: not saved (revision stays %s)", rev)
		}
		rev = next
		return nil
	}, nil
}

// saveParts times the steps of a draft save one by one in process, as the
// handler runs them (web's MeasureForm), to say where the time goes.
func (b *bencher) saveParts(ctx context.Context, r benchResp) error {
	sid, err := b.kommuneSession(ctx, r)
	if err != nil {
		return err
	}
	qn := b.data.Questionnaire
	form := map[string][]string{}
	for k, v := range r.Form {
		form[k] = v
	}
	parts := map[string]*samples{}
	for _, p := range saveParts {
		parts[p] = &samples{}
	}
	rev := 1
	for i := range b.o.Serial {
		for j, v := range benchSaveValues(i + 1) {
			form[benchSaveFields[j]] = []string{v}
		}
		st, err := b.srv.MeasureForm(ctx, sid, browserForm(qn, form, strconv.Itoa(rev), "Bench", "speichern"))
		if err != nil {
			return err
		}
		rev = st.Revision
		for j, d := range []time.Duration{st.Loads, st.Check, st.Save, st.Back, st.Model, st.Page} {
			parts[saveParts[j]].add(d, nil)
		}
	}
	b.rep.SaveParts = map[string]stats{}
	for k, s := range parts {
		b.rep.SaveParts[k] = s.stats()
	}
	return nil
}

var saveParts = []string{"session and loads (SQLite reads)", "check the posted form", "SaveResponse (transaction)",
	"stored answers back to a form, check again", "page model (formPage)", "page written (skeleton)"}

var formParts = []string{"session read (SQLite)", "round, questionnaire, response and answers (SQLite reads)", "re-check the stored answers", "page model (formPage)", "page written (skeleton)"}

// phaseForm measures the questionnaire page over HTTP, times the
// handler's steps, and renders the page alone with the same data: from
// its skeleton (as the page is written) and with its template (as it was
// written before issue 21), both in this run.
func (b *bencher) phaseForm(ctx context.Context) error {
	r := b.data.Drafts[3]
	lc := newLoadClient(b.base, b.tr)
	if _, _, _, err := lc.do(ctx, http.MethodGet, "/k/"+r.Token, nil, http.StatusSeeOther, false); err != nil {
		return err
	}
	var size int64
	get := func() error {
		_, n, _, err := lc.do(ctx, http.MethodGet, "/fragebogen", nil, http.StatusOK, false)
		size = n
		return err
	}
	timeIt(10, get) // warm up
	b.rep.Form = timeIt(b.o.Serial, get).stats()
	b.rep.FormBytes = size

	sid, err := b.kommuneSession(ctx, r)
	if err != nil {
		return err
	}
	parts := map[string]*samples{}
	for _, p := range formParts {
		parts[p] = &samples{}
	}
	var render, tmpl func() error
	for range b.o.Serial {
		st, err := b.srv.MeasureForm(ctx, sid, nil)
		if err != nil {
			return err
		}
		for j, d := range []time.Duration{st.Session, st.Loads - st.Session, st.Check, st.Model, st.Page} {
			parts[formParts[j]].add(d, nil)
		}
		render, tmpl = st.Render, st.Template
	}
	b.rep.FormParts = map[string]stats{}
	for k, s := range parts {
		b.rep.FormParts[k] = s.stats()
	}
	// The same GET through the server's Handler in process: routes and
	// middleware, no network.
	getInProcess := func() error {
		if w := b.serveInProcess(ctx, http.MethodGet, "/fragebogen", sid, nil); w.Code != http.StatusOK || w.Body.Len() == 0 {
			return fmt.Errorf("questionnaire page through Handler in process: status %d, %d bytes", w.Code, w.Body.Len())
		}
		return nil
	}
	timeIt(10, getInProcess)
	b.rep.FormHandler = timeIt(b.o.Serial, getInProcess).stats()
	// The page rendered alone, the same page model every time: from its
	// skeleton and with its template, in turns.
	timeIt(10, render)
	timeIt(10, tmpl)
	var rs, ts samples
	for range b.o.Serial {
		for _, x := range []struct {
			f func() error
			s *samples
		}{{render, &rs}, {tmpl, &ts}} {
			t := time.Now()
			err := x.f()
			x.s.add(time.Since(t), err)
		}
	}
	b.rep.Render, b.rep.Template = rs.stats(), ts.stats()
	return nil
}

// staffCompare is one staff page against its baseline.
type staffCompare struct {
	Name, Path, Baseline string
	Summary              string // the target's name in the summary ("" for the default)
	Product, Base        stats
	Bytes                int64
	Target               float64 // ratio limit; 0: no target
	Parts                []namedStats
}

type namedStats struct {
	Name string
	S    stats
}

// staffSession returns the session cookie of the signed-in staff client.
func (b *bencher) staffSession() (string, error) {
	u, _ := url.Parse(b.base)
	for _, ck := range b.staff.c.Jar.Cookies(u) {
		if ck.Name == "bedarf" {
			return ck.Value, nil
		}
	}
	return "", errors.New("staff session: no cookie")
}

// phaseStaff measures the overview, two question pages and the plan, each
// run alternately with its baseline.
func (b *bencher) phaseStaff(ctx context.Context) error {
	round := b.data.Current
	rid := strconv.FormatInt(round.ID, 10)
	qn := b.data.Questionnaire
	page := func(path string, size *int64) func() error {
		return func() error {
			_, n, _, err := b.staff.do(ctx, http.MethodGet, path, nil, http.StatusOK, false)
			*size = n
			return err
		}
	}
	n := b.o.Iterations

	// Overview: cold (the first view after a save, which computes the
	// plan), then warm (a repeated view of unchanged data: the plan from
	// the analysis service's cache).
	cold := func() error { return b.coldSave(ctx, round) }
	ovBase := "its store queries alone (round, rounds, status counts, the first page of Kommunen, scenarios, planning answers)"
	ovCold := staffCompare{Name: "overview, cold (first view after a save)", Path: "/verwaltung/runden/" + rid,
		Summary:  "round overview, cold (GET /verwaltung/runden/" + rid + " after a save) vs its bare store queries (p50)",
		Baseline: ovBase, Target: 2}
	ovCold.Product, ovCold.Base = alternateCold(n, cold, page(ovCold.Path, &ovCold.Bytes), func() error { return overviewScan(ctx, b.st, round.ID) })
	b.rep.Staff = append(b.rep.Staff, ovCold)
	ov := staffCompare{Name: "overview, warm (repeated view)", Path: "/verwaltung/runden/" + rid,
		Summary: "round overview, warm (GET /verwaltung/runden/" + rid + " again) vs its bare store queries (p50)", Baseline: ovBase, Target: 2}
	ov.Product, ov.Base = alternate(n, page(ov.Path, &ov.Bytes), func() error { return overviewScan(ctx, b.st, round.ID) })
	handler := &samples{}
	plans := &samples{}
	mapS := &samples{}
	sid, err := b.staffSession()
	if err != nil {
		return err
	}
	an := analysis.NewService(b.st) // the evaluation as the server holds it, its cache warmed below
	if _, err := an.RoundPlans(ctx, round, false); err != nil {
		return err
	}
	for range n {
		t := time.Now()
		w := b.serveInProcess(ctx, http.MethodGet, ov.Path, sid, nil)
		handler.add(time.Since(t), nil)
		if w.Code != http.StatusOK {
			return fmt.Errorf("overview through Handler in process: status %d", w.Code)
		}
		t = time.Now()
		rp, err := an.RoundPlans(ctx, round, false) // warm, as the handler just had it
		plans.add(time.Since(t), err)
		if err != nil {
			return err
		}
		t = time.Now()
		bounds, err := b.st.Boundaries(ctx)
		if err != nil {
			return err
		}
		_, err = analysis.DemandMap(rp.Decisive().Plan, rp.Submitted, bounds, nil)
		mapS.add(time.Since(t), err)
	}
	ov.Parts = []namedStats{{"through Handler in process (no network)", handler.stats()},
		{"of which RoundPlans, warm (data version, scenarios, the cached plan)", plans.stats()},
		{"of which the map model (boundaries, analysis.DemandMap of the decisive plan)", mapS.stats()}}
	b.rep.Staff = append(b.rep.Staff, ov)

	// Question pages: a number and a choice.
	for _, qid := range []string{"betreute_gu", "belastung_gesamt"} {
		q := qn.Question(qid)
		qc := staffCompare{Name: "question page " + qid, Path: "/verwaltung/runden/" + rid + "/fragen/" + qid,
			Baseline: "its aggregate queries alone"}
		qc.Product, qc.Base = alternate(n, page(qc.Path, &qc.Bytes), func() error { return questionScan(ctx, b.st, round.ID, q) })
		b.rep.Staff = append(b.rep.Staff, qc)
		var svg int64
		ch := staffCompare{Name: "chart " + qid + " (SVG the page shows)", Path: qc.Path + "/diagramm.svg", Baseline: "the same aggregate queries"}
		ch.Product, ch.Base = alternate(n, page(ch.Path, &svg), func() error { return questionScan(ctx, b.st, round.ID, q) })
		ch.Bytes = svg
		b.rep.Staff = append(b.rep.Staff, ch)
	}

	// The plan: in process, then the page.
	pl := staffCompare{Name: "plan (RoundPlans of every scenario in process, cold)", Baseline: "PlanningAnswers alone (the plan's inputs from SQLite)", Target: 2}
	pl.Product, pl.Base = alternate(n, func() error { _, err := analysis.NewService(b.st).RoundPlans(ctx, round, true); return err },
		func() error { return planInputScan(ctx, b.st, round, false) })
	compute := &samples{}
	inputs, err := analysis.CollectInputs(qn, func(fn func(survey.Kommune, survey.Answers) error) error {
		return b.st.PlanningAnswers(ctx, round.ID, analysis.PlanningQuestionIDs(qn), fn)
	})
	if err != nil {
		return err
	}
	for range n {
		t := time.Now()
		plan := analysis.Compute(inputs, analysis.Modules(qn), analysis.DefaultParams())
		compute.add(time.Since(t), nil)
		b.rep.Plan, b.rep.PlanBound = plan.Totals, plan.Bound
	}
	pl.Parts = []namedStats{{"of which Compute (the planning model, one scenario)", compute.stats()}}
	b.rep.PlanInputs = len(inputs)
	b.rep.Staff = append(b.rep.Staff, pl)
	ppCold := staffCompare{Name: "plan page, cold (first view after a save)", Path: "/verwaltung/runden/" + rid + "/plan", Baseline: "PlanningAnswers alone"}
	ppCold.Product, ppCold.Base = alternateCold(n, cold, page(ppCold.Path, &ppCold.Bytes), func() error { return planInputScan(ctx, b.st, round, false) })
	b.rep.Staff = append(b.rep.Staff, ppCold)
	pp := staffCompare{Name: "plan page, warm (repeated view)", Path: "/verwaltung/runden/" + rid + "/plan", Baseline: "PlanningAnswers alone"}
	pp.Product, pp.Base = alternate(n, page(pp.Path, &pp.Bytes), func() error { return planInputScan(ctx, b.st, round, false) })
	b.rep.Staff = append(b.rep.Staff, pp)
	for _, m := range []struct{ name, path string }{{"overview map (karte.svg)", "/karte.svg"}, {"plan map (plan/karte.svg)", "/plan/karte.svg"}} {
		mc := staffCompare{Name: m.name, Path: "/verwaltung/runden/" + rid + m.path, Baseline: "PlanningAnswers alone"}
		mc.Product, mc.Base = alternate(n, page(mc.Path, &mc.Bytes), func() error { return planInputScan(ctx, b.st, round, false) })
		b.rep.Staff = append(b.rep.Staff, mc)
	}
	return nil
}

// coldSave saves the round's decisive scenario unchanged: a write that
// bumps the data version, so that the next page view computes the plan
// again (a cold view).
func (b *bencher) coldSave(ctx context.Context, round survey.Round) error {
	id, err := b.st.EnsureScenarios(ctx, round.ID, analysis.MarshalParams(analysis.DefaultParams()))
	if err != nil {
		return err
	}
	scs, err := b.st.Scenarios(ctx, round.ID, nil)
	if err != nil {
		return err
	}
	return b.st.UpdateScenario(ctx, round.ID, id, scs[0].Name, scs[0].Params, survey.Actor{Kind: "system", Label: "bench"})
}

// alternateCold is alternate with prepare run, untimed, before every
// pair of runs (and before the product's warm-up): the product's run
// after the baseline is then its first after prepare.
func alternateCold(n int, prepare, product, baseline func() error) (stats, stats) {
	return alternateWith(n, prepare, product, baseline)
}

// alternate runs product and baseline n times each, in turns after one
// unmeasured warm-up of each, so that both see the same machine.
func alternate(n int, product, baseline func() error) (stats, stats) {
	return alternateWith(n, nil, product, baseline)
}

func alternateWith(n int, prepare, product, baseline func() error) (stats, stats) {
	prep := func() error {
		if prepare == nil {
			return nil
		}
		return prepare()
	}
	prep()
	product()
	baseline()
	p, bs := &samples{}, &samples{}
	for range n {
		// The save comes before both, so that the baseline's queries too
		// run on the data just written.
		if err := prep(); err != nil {
			p.add(0, err)
			continue
		}
		t := time.Now()
		err := baseline()
		bs.add(time.Since(t), err)
		t = time.Now()
		err = product()
		p.add(time.Since(t), err)
	}
	return p.stats(), bs.stats()
}

// workbookRun is one way of writing the workbook: time and peak heap.
type workbookRun struct {
	Name  string
	Time  *samples
	Peak  uint64 // highest of the runs
	Bytes int64
	// CPU is the process's CPU time (user and system) per run: the
	// product writes on several goroutines, so its wall time alone hides
	// how much work it does.
	CPU *samples
}

// phaseWorkbook measures the workbook download over HTTP and the workbook
// written in process against the raw StreamWriter baseline, in time and
// peak heap.
func (b *bencher) phaseWorkbook(ctx context.Context) error {
	round := b.data.Current
	prev := b.data.Rounds[1].ID
	var xlsx bytes.Buffer
	if err := web.WriteRoundWorkbook(ctx, analysis.NewService(b.st), round, &xlsx); err != nil {
		return err
	}
	shape, err := rawbook.Shape(xlsx.Bytes())
	if err != nil {
		return err
	}
	xlsx = bytes.Buffer{}
	path := "/verwaltung/runden/" + strconv.FormatInt(round.ID, 10) + "/auswertung.xlsx"
	runs := []*workbookRun{
		{Name: "baseline: StreamWriter, raw cells", Time: &samples{}, CPU: &samples{}},
		{Name: "download over HTTP (GET " + path + ")", Time: &samples{}, CPU: &samples{}},
		{Name: "writeRoundWorkbook in process", Time: &samples{}, CPU: &samples{}},
	}
	fns := []func(*int64) error{
		func(n *int64) error {
			var cw rawbook.CountWriter
			err := rawWorkbook(ctx, &cw, b.st, b.data.Questionnaire, round.ID, prev, shape)
			*n = cw.N
			return err
		},
		func(n *int64) error {
			_, size, _, err := b.staff.do(ctx, http.MethodGet, path, nil, http.StatusOK, false)
			*n = size
			return err
		},
		func(n *int64) error {
			var cw rawbook.CountWriter
			err := web.WriteRoundWorkbook(ctx, analysis.NewService(b.st), round, &cw) // cold, as the CLI export
			*n = cw.N
			return err
		},
	}
	for range b.o.Workbooks {
		for i, r := range runs {
			cpu := processCPU()
			d, peak, err := rawbook.Measure(func() error { return fns[i](&r.Bytes) })
			r.CPU.add(processCPU()-cpu, err)
			r.Time.add(d, err)
			if err != nil {
				return err
			}
			r.Peak = max(r.Peak, peak)
		}
	}
	b.rep.Workbook = runs
	return nil
}

// processCPU returns the CPU time (user and system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// copyFile copies a closed database file.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

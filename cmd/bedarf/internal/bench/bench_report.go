package bench

// The report of "bedarf bench": machine, data, targets with their ratios,
// every measurement, memory; written as Markdown (docs/PERFORMANCE.md).
// Hand-written notes between the notes markers of an existing report are
// kept when it is written again.

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"bedarf/analysis"
	"bedarf/survey"
	"bedarf/survey/store"
)

// benchReport is everything the report shows.
type benchReport struct {
	Opts           Options
	Started        time.Time
	Duration       time.Duration
	Machine        machineInfo
	Data           *benchData
	DBBytes        int64
	JourneysWanted int
	Empty          stats
	Journey        map[string]stats
	JourneyTotal   stats
	RawSerial      stats
	SaveSerial     stats
	SaveHandler    stats
	RawConc        stats
	SaveConc       stats
	// The background save ("Zwischenspeichern" with JavaScript, JSON
	// answer), one client and all, and its baseline's parts: the
	// middleware over HTTP (with the session read and the form parsed,
	// web's SaveBaseline) and the save's reads (store.KommuneForm).
	SaveJS         stats
	SaveJSConc     stats
	BaseMiddleware stats
	BaseReads      stats
	SaveRows       int
	SaveParts      map[string]stats
	Form           stats
	FormBytes      int64
	FormParts      map[string]stats
	FormHandler    stats // the questionnaire page through Handler in process (no network)
	Render         stats // the questionnaire page written from its skeleton alone
	Template       stats // the same page executed by its template alone (before issue 21)
	Staff          []staffCompare
	PlanInputs     int
	// Plan is the plan of the bench's inputs with the default parameters:
	// its groups set against the lower bound Compute computes.
	Plan analysis.PlanTotals
	// PlanBound is that plan's bound.
	PlanBound  analysis.PlanBound
	Workbook   []*workbookRun
	Boundaries *boundaryReport
	Booking    *bookingReport // bench_booking.go
	Uptake     *uptakeReport  // bench_uptake.go
	Memory     memResult
	Targets    []benchTarget
}

// benchTarget is one target of issue 9 with its outcome.
type benchTarget struct {
	Name     string
	Product  string
	Baseline string
	Ratio    string
	Want     string
	Met      bool
	Miss     string // how far off, when missed
	Why      string // where the time goes
}

// machineInfo describes where the figures come from.
type machineInfo struct {
	CPU, Memory, Kernel, Go, SQLite, Bedarf, OSArch string
	Cores, Procs                                    int
	LoadBefore, LoadAfter                           string // /proc/loadavg: other work on the machine
}

// loadAvg returns the 1, 5 and 15 minute load averages ("" elsewhere).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

func machine(ctx context.Context, version string) machineInfo {
	m := machineInfo{CPU: "unbekannt", Memory: "unbekannt", Kernel: "unbekannt", Go: runtime.Version(),
		Cores: runtime.NumCPU(), Procs: runtime.GOMAXPROCS(0), OSArch: runtime.GOOS + "/" + runtime.GOARCH,
		Bedarf: version, LoadBefore: loadAvg()}
	if v, err := store.LinkedSQLiteVersion(ctx); err == nil {
		m.SQLite = v
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
				m.Memory = fmt.Sprintf("%.1f GiB", kb/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// memSampler samples the process's memory every 10 ms: bytes of heap
// objects, all memory the Go runtime mapped, and the resident set (which
// also holds SQLite's page caches, allocated outside the Go heap).
type memSampler struct {
	mu     sync.Mutex
	cur    string
	order  []string
	peaks  map[string]*memPeak
	all    memPeak
	halt   chan struct{}
	halted chan struct{}
}

type memPeak struct{ Heap, Runtime, RSS uint64 }

type memResult struct {
	All    memPeak
	Phases []namedPeak
}

type namedPeak struct {
	Name string
	Peak memPeak
}

func startMemSampler() *memSampler {
	m := &memSampler{peaks: map[string]*memPeak{}, halt: make(chan struct{}), halted: make(chan struct{})}
	go func() {
		defer close(m.halted)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-m.halt:
				return
			case <-tick.C:
				m.sample()
			}
		}
	}()
	return m
}

func (m *memSampler) sample() {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	p := memPeak{Heap: s[0].Value.Uint64(), Runtime: s[1].Value.Uint64(), RSS: rss()}
	m.mu.Lock()
	defer m.mu.Unlock()
	up := func(x *memPeak) {
		x.Heap, x.Runtime, x.RSS = max(x.Heap, p.Heap), max(x.Runtime, p.Runtime), max(x.RSS, p.RSS)
	}
	up(&m.all)
	if x := m.peaks[m.cur]; x != nil {
		up(x)
	}
}

// phase starts a phase ("" ends the last one).
func (m *memSampler) phase(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cur = name
	if name != "" && m.peaks[name] == nil {
		m.peaks[name] = &memPeak{}
		m.order = append(m.order, name)
	}
}

func (m *memSampler) stop() {
	select {
	case <-m.halt:
	default:
		close(m.halt)
		<-m.halted
	}
}

func (m *memSampler) result() memResult {
	m.sample()
	m.mu.Lock()
	defer m.mu.Unlock()
	r := memResult{All: m.all}
	for _, name := range m.order {
		r.Phases = append(r.Phases, namedPeak{name, *m.peaks[name]})
	}
	return r
}

// rss returns the resident set size of the process (Linux; 0 elsewhere).
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

// Formatting.

func ms(d time.Duration) string {
	f := float64(d) / float64(time.Millisecond)
	switch {
	case d == 0:
		return "–"
	case f < 10:
		return fmt.Sprintf("%.2f ms", f)
	case f < 1000:
		return fmt.Sprintf("%.1f ms", f)
	}
	return fmt.Sprintf("%.2f s", f/1000)
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func perSec(f float64) string {
	if f >= 100 {
		return fmt.Sprintf("%.0f/s", f)
	}
	return fmt.Sprintf("%.1f/s", f)
}

func ratio(x float64) string { return fmt.Sprintf("%.2f", x) }

// remaining describes the time a request takes beyond its steps measured
// in process.
func remaining(d time.Duration) string {
	if d <= 0 {
		return "no measurable time beyond the steps (their medians add up to the request's)"
	}
	return "the remaining " + ms(d)
}

func pct(x float64) string { return fmt.Sprintf("%.0f %%", 100*x) }

func metText(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**missed**"
}

// targets evaluates the targets of issue 9.
func (r *benchReport) targets() {
	r.Targets = nil
	c := r.Opts.Clients
	part := func(m map[string]stats, names []string) string {
		var parts []string
		var sum time.Duration
		for _, n := range names {
			parts = append(parts, n+" "+ms(m[n].P50))
			sum += m[n].P50
		}
		return strings.Join(parts, ", ") + fmt.Sprintf(" (together %s)", ms(sum))
	}
	sumParts := func(m map[string]stats, names []string) time.Duration {
		var sum time.Duration
		for _, n := range names {
			sum += m[n].P50
		}
		return sum
	}

	// medianRate describes a one-client figure: its rate at the median
	// latency (what the targets compare) and its mean rate.
	medianRate := func(s stats) string {
		return fmt.Sprintf("%s at the median (p50 %s; mean rate %s)", perSec(1/s.P50.Seconds()), ms(s.P50), perSec(s.PerSec))
	}
	// 1. Draft saves against their baseline: what every save must do
	// (the middleware with the session read and the form parsed, the save's
	// reads, the raw transaction), each measured in this run.
	base := r.BaseMiddleware.P50 + r.BaseReads.P50 + r.RawSerial.P50
	baseline := fmt.Sprintf("%s at the median (p50 %s = middleware %s + reads %s + raw transaction %s)",
		perSec(1/base.Seconds()), ms(base), ms(r.BaseMiddleware.P50), ms(r.BaseReads.P50), ms(r.RawSerial.P50))
	{
		x := float64(base) / float64(max(1, r.SaveJS.P50))
		raw := float64(r.RawSerial.P50) / float64(max(1, r.SaveJS.P50))
		t := benchTarget{Name: "draft save in the background (JavaScript) vs its baseline, 1 client (rate)",
			Product: medianRate(r.SaveJS), Baseline: baseline, Ratio: pct(x), Want: "≥ 70 %", Met: x >= 0.70}
		if !t.Met {
			t.Miss = fmt.Sprintf("%s instead of ≥ 70 %%: %.0f points short (%s per save beyond the baseline)", pct(x), 100*(0.70-x), ms(r.SaveJS.P50-base))
		}
		t.Why = fmt.Sprintf("Against the raw transaction alone (as before): %s. The background save answers a small JSON (revision, status, messages, a colleague's merged values) instead of the page. "+
			"Beyond the baseline it checks the posted form, merges, turns the stored answers back into form values and checks them again, and builds the page model for the messages; "+
			"the same steps of the page's save timed in process: check %s, SaveResponse %s (reads already done by the handler, merge, compare-and-set and write), back to a form and check %s.",
			pct(raw), ms(r.SaveParts[saveParts[1]].P50), ms(r.SaveParts[saveParts[2]].P50), ms(r.SaveParts[saveParts[3]].P50))
		r.Targets = append(r.Targets, t)
	}
	{
		x := float64(base) / float64(max(1, r.SaveSerial.P50))
		raw := float64(r.RawSerial.P50) / float64(max(1, r.SaveSerial.P50))
		t := benchTarget{Name: "draft save without JavaScript (the whole page) vs its baseline, 1 client (rate)",
			Product: medianRate(r.SaveSerial), Baseline: baseline, Ratio: pct(x), Want: "≥ 40 %", Met: x >= 0.40}
		if !t.Met {
			t.Miss = fmt.Sprintf("%s instead of ≥ 40 %%: %.0f points short (%s per save beyond the baseline)", pct(x), 100*(0.40-x), ms(r.SaveSerial.P50-base))
		}
		t.Why = fmt.Sprintf("Against the raw transaction alone (as before): %s. The whole save through the server's Handler in process (session cookie, routes and middleware, no network) takes %s. Its steps timed one by one: %s. "+
			"The network and the HTTP client: %s (an empty gin handler over the same client: %s). Of these, the baseline's reads are the session and loads (%s in process, in the baseline %s with the session in the middleware); "+
			"SaveResponse (%s) merges with the state the handler read and writes the same %d rows as the raw transaction in one compare-and-set transaction; "+
			"the page's model and template (%s) are what the background save leaves out.",
			pct(raw), ms(r.SaveHandler.P50), part(r.SaveParts, saveParts), remaining(r.SaveSerial.P50-r.SaveHandler.P50), ms(r.Empty.P50),
			ms(r.SaveParts[saveParts[0]].P50), ms(r.BaseReads.P50), ms(r.SaveParts[saveParts[2]].P50), r.SaveRows,
			ms(r.SaveParts[saveParts[4]].P50+r.SaveParts[saveParts[5]].P50))
		r.Targets = append(r.Targets, t)
	}
	// 2. Concurrency.
	{
		errs := r.JourneyTotal.Errors + r.SaveConc.Errors + r.SaveJSConc.Errors
		for _, s := range r.Journey {
			errs += s.Errors
		}
		worst := max(r.SaveConc.P99, r.SaveJSConc.P99)
		x := float64(worst) / float64(max(1, r.RawConc.P99))
		t := benchTarget{Name: fmt.Sprintf("%d concurrent clients: errors, and save p99 (page and background) vs raw commit p99", c),
			Product: fmt.Sprintf("%d errors; save p99 %s (%s), in the background %s (%s)", errs, ms(r.SaveConc.P99), perSec(r.SaveConc.PerSec),
				ms(r.SaveJSConc.P99), perSec(r.SaveJSConc.PerSec)),
			Baseline: fmt.Sprintf("raw p99 %s (%s)", ms(r.RawConc.P99), perSec(r.RawConc.PerSec)),
			Ratio:    ratio(x) + "×", Want: "0 errors, ≤ 5×", Met: errs == 0 && x <= 5}
		var miss []string
		if errs > 0 {
			first := cmp.Or(r.SaveConc.FirstError, r.SaveJSConc.FirstError)
			for _, s := range r.Journey {
				if first == "" {
					first = s.FirstError
				}
			}
			miss = append(miss, fmt.Sprintf("%d errors (first: %s)", errs, first))
		}
		if x > 5 {
			miss = append(miss, fmt.Sprintf("p99 ratio %.2f× instead of ≤ 5× (%.0f %% over)", x, 100*(x/5-1)))
		}
		t.Miss = strings.Join(miss, "; ")
		t.Why = fmt.Sprintf("Both queue behind SQLite's single writer. Under %d clients a raw commit waits for the ones before it (p50 %s, p99 %s); "+
			"an HTTP save additionally needs CPU for its reads, checks and page (%s per save in process, see above), and the %d clients, the server "+
			"and the load generator share %d cores, so the HTTP saves' queue also waits for CPU.",
			c, ms(r.RawConc.P50), ms(r.RawConc.P99), ms(sumParts(r.SaveParts, saveParts)-r.SaveParts[saveParts[2]].P50), c, r.Machine.Cores)
		r.Targets = append(r.Targets, t)
	}
	// 3. Questionnaire page: against the template alone (issue 9), and
	// its rendering's share of the page (issue 21).
	{
		inProc := sumParts(r.FormParts, formParts)
		why := fmt.Sprintf("The handler's steps in process: %s. Through the server's Handler in process (routes and middleware, no network) the page takes %s: "+
			"the middleware besides the session read (request log, language, security headers, limits) %s. "+
			"Sending the %d kB over loopback and the HTTP client: %s (an empty gin handler over the same client: %s).",
			part(r.FormParts, formParts), ms(r.FormHandler.P50), remaining(r.FormHandler.P50-inProc), r.FormBytes>>10,
			remaining(r.Form.P50-r.FormHandler.P50), ms(r.Empty.P50))
		x := float64(r.Template.P50) / float64(max(1, r.Form.P50))
		t := benchTarget{Name: "questionnaire page over HTTP vs its template alone (rate)",
			Product: medianRate(r.Form) + fmt.Sprintf(", %d kB", r.FormBytes>>10), Baseline: medianRate(r.Template),
			Ratio: pct(x), Want: "≥ 80 %", Met: x >= 0.80}
		if !t.Met {
			t.Miss = fmt.Sprintf("%s instead of ≥ 80 %%: %.0f points short (%s per page beyond the template)", pct(x), 100*(0.80-x), ms(r.Form.P50-r.Template.P50))
		}
		t.Why = why + fmt.Sprintf(" The page is written from its skeleton (%s alone); the template alone, the old renderer, takes %s.", ms(r.Render.P50), ms(r.Template.P50))
		r.Targets = append(r.Targets, t)
		y := float64(r.Render.P50) / float64(max(1, r.Form.P50))
		u := benchTarget{Name: "questionnaire page: its rendering (skeleton alone) vs the page over HTTP (p50)",
			Product:  fmt.Sprintf("rendering %s (skeleton; the template alone, %s, would be %s of this page)", ms(r.Render.P50), ms(r.Template.P50), pct(x)),
			Baseline: fmt.Sprintf("page %s", ms(r.Form.P50)), Ratio: pct(y), Want: "≤ 40 %", Met: y <= 0.40}
		if !u.Met {
			u.Miss = fmt.Sprintf("%s instead of ≤ 40 %%: %.0f points over", pct(y), 100*(y-0.40))
		}
		u.Why = why
		r.Targets = append(r.Targets, u)
	}
	// 4.–5. Overview and plan.
	for _, s := range r.Staff {
		if s.Target == 0 {
			continue
		}
		x := float64(s.Product.P50) / float64(max(1, s.Base.P50))
		name := "round overview (GET " + s.Path + ") vs its bare store queries (p50)"
		if s.Path == "" {
			name = fmt.Sprintf("the plan for %d Kommunen vs reading its inputs from SQLite (p50)", r.PlanInputs)
		}
		if s.Summary != "" {
			name = s.Summary
		}
		t := benchTarget{Name: name, Product: ms(s.Product.P50), Baseline: ms(s.Base.P50),
			Ratio: ratio(x) + "×", Want: "≤ 2×", Met: x <= s.Target}
		if !t.Met {
			t.Miss = fmt.Sprintf("%.2f× instead of ≤ 2× (%.0f %% over; %s beyond 2× the baseline)", x, 100*(x/2-1), ms(s.Product.P50-2*s.Base.P50))
		}
		var parts []string
		for _, p := range s.Parts {
			parts = append(parts, p.Name+" "+ms(p.S.P50))
		}
		if s.Path != "" {
			if len(s.Parts) == 3 {
				rest := s.Parts[0].S.P50 - s.Parts[1].S.P50 - s.Parts[2].S.P50
				parts = append(parts, "the rest (rounds, status counts, one page of the Kommune list and the template) "+ms(rest))
			}
			t.Why = fmt.Sprintf("Besides its queries (%s) the overview gets the decisive scenario's plan for the key figures and the map (computed on a cold view, from the cache on a warm one), "+
				"and shows the first page of the Kommune list (%d kB of HTML). Timed in process: %s.", ms(s.Base.P50), s.Bytes>>10, strings.Join(parts, "; "))
		} else {
			t.Why = fmt.Sprintf("The plan is the read (%s) plus the planning model; %s. %s", ms(s.Base.P50), strings.Join(parts, "; "), planQuality(r.Plan, r.PlanBound))
		}
		r.Targets = append(r.Targets, t)
	}
	// 6. Workbook.
	if len(r.Workbook) == 3 {
		base, dl, inproc := r.Workbook[0], r.Workbook[1], r.Workbook[2]
		bt, ht, it := base.Time.stats(), dl.Time.stats(), inproc.Time.stats()
		x := float64(ht.P50) / float64(max(1, bt.P50))
		t := benchTarget{Name: "workbook download vs raw StreamWriter baseline: time (p50)",
			Product: ms(ht.P50), Baseline: ms(bt.P50), Ratio: ratio(x) + "×", Want: "≤ 1.3×", Met: x <= 1.3}
		if !t.Met {
			t.Miss = fmt.Sprintf("%.2f× instead of ≤ 1.3× (%.0f %% over)", x, 100*(x/1.3-1))
		}
		bc, ic := base.CPU.stats(), inproc.CPU.stats()
		t.Why = fmt.Sprintf("Written in process (no HTTP) the workbook takes %s (%.2f× the baseline). Beyond the raw cells it computes the plan, "+
			"writes styles, formulas with cached values, native charts, the codebook and the comparison with the previous round. "+
			"It does so on two cores (the answers sheet is encoded while the next answers are read, the previous round is read alongside, "+
			"the plan sheets stream in two lanes), the baseline on one: in CPU time the workbook costs %s against the baseline's %s (%.2f×).",
			ms(it.P50), float64(it.P50)/float64(max(1, bt.P50)), ms(ic.P50), ms(bc.P50), float64(ic.P50)/float64(max(1, bc.P50)))
		r.Targets = append(r.Targets, t)
		y := float64(dl.Peak) / float64(max(1, base.Peak))
		t = benchTarget{Name: "workbook download vs raw StreamWriter baseline: peak heap",
			Product: mib(dl.Peak), Baseline: mib(base.Peak), Ratio: ratio(y) + "×", Want: "≤ 1.3×", Met: y <= 1.3}
		if !t.Met {
			t.Miss = fmt.Sprintf("%.2f× instead of ≤ 1.3× (%.0f %% over)", y, 100*(y/1.3-1))
		}
		t.Why = fmt.Sprintf("Written in process to a counting writer its peak is %s (%.2f× the baseline). The download builds the whole file (%s) in memory "+
			"before sending, so that an error still becomes an error page rather than half a file; the baseline streams to a counter.",
			mib(inproc.Peak), float64(inproc.Peak)/float64(max(1, base.Peak)), mib(uint64(dl.Bytes)))
		r.Targets = append(r.Targets, t)
	}
	r.boundaryTargets()
	r.bookingTargets()
	r.uptakeTargets()
}

const (
	// NotesBegin is exported for package main's end-to-end tests.
	NotesBegin = "<!-- notes:begin (kept when bedarf bench writes this file again) -->"
	notesEnd   = "<!-- notes:end -->"
)

// KeptNotes returns the hand-written notes of an existing report.
//
// Exported for package main's end-to-end tests.
func KeptNotes(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	s := string(b)
	i, j := strings.Index(s, NotesBegin), strings.Index(s, notesEnd)
	if i < 0 || j < i {
		return ""
	}
	return strings.TrimSpace(s[i+len(NotesBegin) : j])
}

// writeBenchReport writes the report to path (through a temporary file).
func writeBenchReport(path string, r *benchReport) error {
	notes := KeptNotes(path)
	if notes == "" {
		notes = "_No notes yet: profiling findings and explanations go here._"
	}
	var b strings.Builder
	r.write(&b, notes)
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Report section titles; TestBenchShort checks they are all there.
//
// Exported for package main's end-to-end tests.
var BenchSections = []string{"## Machine", "## Data", "## Targets", "## Kommune journeys", "## Draft saves against raw SQLite transactions",
	"## Questionnaire page against its rendering", "## Staff pages against their queries", "## Workbook", "## Detailed boundaries", "## Uptake", "## Memory", "## Notes", "## How to run"}

func (r *benchReport) write(w io.Writer, notes string) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	o := r.Opts
	p("# Performance\n\n")
	p("Generated by `bedarf bench --kommunen %d --clients %d --journeys %d --saves %d --serial %d --iterations %d --workbooks %d` on %s (%s in all). ",
		o.Kommunen, o.Clients, o.Journeys, o.Saves, o.Serial, o.Iterations, o.Workbooks, r.Started.Format("2006-01-02 15:04 MST"), r.Duration.Round(time.Second))
	p("Every product figure is set against a baseline measured in the same run on the same data: the same work without the product around it. ")
	p("Latencies are wall-clock times to the last byte; p50/p95/p99 are nearest-rank percentiles over n samples (with fewer than 100 samples p99 is the maximum). ")
	p("Rates of one-client phases are requests per second of that client (1/mean latency); rates of concurrent phases are completed requests per second of wall time. ")
	p("The rate targets compare rates at the median latency (1/p50), because on a shared machine a few stalls of the disk or CPU move a mean far more than a median.\n\n")
	p("**The load generator runs in the same process as the server and shares its %d cores**: every simulated Kommune, the HTTP client, ", r.Machine.Cores)
	p("the baselines and the memory sampler compete with the server for CPU, and the process's memory figures include the load generator. ")
	p("Everything runs on loopback (127.0.0.1); the request log is formatted as in production and then discarded.\n\n")

	p("## Machine\n\n| | |\n|---|---|\n")
	m := r.Machine
	p("| CPU | %s |\n| cores | %d (GOMAXPROCS %d) |\n| memory | %s |\n| OS | %s, kernel %s |\n| Go | %s |\n| SQLite | %s (modernc.org/sqlite) |\n| bedarf | %s |\n| date | %s |\n",
		m.CPU, m.Cores, m.Procs, m.Memory, m.OSArch, m.Kernel, m.Go, m.SQLite, m.Bedarf, r.Started.Format("2006-01-02"))
	p("| load average (1, 5, 15 min) | %s before, %s after the run (before: other work on the machine; after: includes this run) |\n\n", m.LoadBefore, m.LoadAfter)

	d := r.Data
	p("## Data\n\n")
	p("%d synthetic Kommunen with centres spread over Germany's bounding box (lat 47.3–55, lon 5.9–15), populations spread like Germany's (most small, a few large), ", o.Kommunen)
	p("the full default questionnaire (%d questions in %d sections), three rounds. Answers are generated per Kommune and round (numbers scaled by population, German number input, ", len(d.Questionnaire.Questions()), len(d.Questionnaire.Sections))
	p("optional fields sometimes empty, free texts of a few sentences), checked with the questionnaire and stored with the rows a save writes (answers, answer changes, revision, audit entry). ")
	p("Seeding took %s; the database holds %d answer rows and is %s.\n\n", d.SeedTime.Round(time.Second), d.AnswerRows, mib(uint64(r.DBBytes)))
	p("| round | status | submitted | draft | not begun |\n|---|---|---:|---:|---:|\n")
	for i, rd := range d.Rounds {
		cn := d.Counts[i]
		p("| %s | %s | %d | %d | %d |\n", rd.Title, rd.Status.Label(), cn[survey.StatusSubmitted], cn[survey.StatusDraft], cn[survey.StatusNew])
	}
	p("\nThe journeys below turn %d of the open round's not-begun responses into submissions; the save phases work on its drafts.\n\n", r.JourneysWanted)

	p("## Targets\n\n")
	p("| target | product | baseline | ratio | wanted | |\n|---|---|---|---:|---|---|\n")
	for _, t := range r.Targets {
		p("| %s | %s | %s | %s | %s | %s |\n", t.Name, t.Product, t.Baseline, t.Ratio, t.Want, metText(t.Met))
	}
	p("\n")
	for _, t := range r.Targets {
		p("- **%s** — %s", t.Name, metText(t.Met))
		if t.Miss != "" {
			p(": %s", t.Miss)
		}
		p(". %s\n", t.Why)
	}
	p("\n")

	row := func(name string, s stats) {
		p("| %s | %d | %d | %s | %s | %s | %s | %s |\n", name, s.N, s.Errors, perSec(s.PerSec), ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max))
	}
	head := "| step | n | errors | rate | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"

	p("## Kommune journeys\n\n")
	p("%d clients, each a new browser per Kommune, take the open round's not-begun Kommunen one after another: open the personal link (303 and a session), ", o.Clients)
	p("load the form, save three drafts (sections 1–3, 1–5, 1–7, each posting every field as a browser does) and submit the complete answers (303 to the receipt). ")
	p("The rate per step is its completed requests per second of the phase's wall time.\n\n%s", head)
	for _, s := range journeySteps {
		row(s, r.Journey[s])
	}
	row("whole journey", r.JourneyTotal)
	p("\nEmpty gin handler over the same HTTP client, one client: p50 %s, %s (the floor of any request here).\n\n", ms(r.Empty.P50), perSec(r.Empty.PerSec))

	p("## Draft saves against raw SQLite transactions\n\n")
	p("A draft save posts the whole form with %d numbers changed. The baseline writes, in one immediate transaction on a copy of the same database ", len(benchSaveFields))
	p("with the same pragmas (WAL, synchronous(FULL), foreign keys, busy timeout) and one writer connection, exactly the %d rows such a save writes: ", r.SaveRows)
	p("%d answers (upsert), %d answer changes, the response's revision, a revision row and an audit entry — no reads, no HTTP. ", len(benchSaveFields), len(benchSaveFields))
	p("With one client the raw transaction, the save over HTTP, the same save through the server's Handler in process (`Handler().ServeHTTP` with the session cookie, no network; another Kommune), ")
	p("the background save of the page's script (`POST /fragebogen/zwischenspeichern`, JSON answer; a third Kommune) and the two other parts of its baseline run in turns: ")
	p("the middleware over HTTP (web's `SaveBaseline`: cross-origin protection, the middleware chain with the session read, the form parsed, an empty 204; the same form and cookie) and the save's reads (`store.KommuneForm` at the current revision). ")
	p("The baseline of both saves is the sum of the medians of the middleware, the reads and the raw transaction. ")
	p("With %d clients, raw transactions, saves over HTTP and background saves (other Kommunen) alternate %d times (%d saves per client each time); their samples are pooled.\n\n", o.Clients, benchRepeats, o.Saves)
	p("%s", head)
	row("raw transaction, 1 client", r.RawSerial)
	row("draft save over HTTP, 1 client", r.SaveSerial)
	row("draft save through Handler in process, 1 client", r.SaveHandler)
	row("draft save in the background (JSON), 1 client", r.SaveJS)
	row("baseline: middleware over HTTP (session, form parsed, 204), 1 client", r.BaseMiddleware)
	row("baseline: the save's reads (KommuneForm), 1 client", r.BaseReads)
	row(fmt.Sprintf("raw transaction, %d clients", o.Clients), r.RawConc)
	row(fmt.Sprintf("draft save over HTTP, %d clients", o.Clients), r.SaveConc)
	row(fmt.Sprintf("draft save in the background, %d clients", o.Clients), r.SaveJSConc)
	p("\nThe steps of a draft save timed one by one in process (one client, %d saves):\n\n%s", o.Serial, head)
	for _, n := range saveParts {
		row(n, r.SaveParts[n])
	}
	p("\n")

	p("## Questionnaire page against its rendering\n\n")
	p("One client loads its draft's form page (`GET /fragebogen`, %d kB) %d times. ", r.FormBytes>>10, o.Serial)
	p("Then the handler's steps are timed one by one in process (web's `MeasureForm`), and the page is rendered alone with the same data, %d times each in turns: ", o.Serial)
	p("from its skeleton, as the server writes it, and with its template, as the server wrote it before issue 21.\n\n%s", head)
	row("GET /fragebogen over HTTP", r.Form)
	row("GET /fragebogen through Handler in process", r.FormHandler)
	row("rendering alone (skeleton)", r.Render)
	row("template alone (the renderer before the skeleton)", r.Template)
	for _, n := range formParts {
		row("in process: "+n, r.FormParts[n])
	}
	p("\n")

	p("## Staff pages against their queries\n\n")
	p("One signed-in staff member, one request at a time, each page alternating with its baseline (%d runs each after a warm-up). ", o.Iterations)
	p("Baselines are the store queries the page makes, timed alone with their results thrown away. The charts and maps are separate requests a browser makes for the page's images.\n\n")
	p("| page | size | p50 | p95 | max | baseline | baseline p50 | ratio (p50) |\n|---|---:|---:|---:|---:|---|---:|---:|\n")
	for _, s := range r.Staff {
		path := s.Name
		if s.Path != "" {
			path = s.Name + " `" + s.Path + "`"
		}
		size := "–"
		if s.Bytes > 0 {
			size = fmt.Sprintf("%d kB", s.Bytes>>10)
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s× |\n", path, size, ms(s.Product.P50), ms(s.Product.P95), ms(s.Product.Max), s.Baseline, ms(s.Base.P50),
			ratio(float64(s.Product.P50)/float64(max(1, s.Base.P50))))
		for _, part := range s.Parts {
			p("| ↳ %s | | %s | %s | %s | | | |\n", part.Name, ms(part.S.P50), ms(part.S.P95), ms(part.S.Max))
		}
	}
	for _, s := range r.Staff {
		if s.Product.Errors+s.Base.Errors > 0 {
			p("\nErrors on %s: %d (first: %s)\n", s.Name, s.Product.Errors+s.Base.Errors, s.Product.FirstError+s.Base.FirstError)
		}
	}
	p("\n")

	p("## Workbook\n\n")
	p("The evaluation workbook of the open round (with the previous round for the comparison), %d runs each in turns. ", o.Workbooks)
	p("The baseline reads the same answers from SQLite (both rounds) and writes, with excelize's StreamWriter, the Antworten sheet from the stored values and every other sheet ")
	p("with as many plain numbers and texts per column as the workbook has there; no styles, formulas, plan or charts. ")
	p("Peak heap is the highest level of heap objects above the level before the run (sampled every millisecond); over HTTP it includes the server's copy of the file and the client.\n\n")
	p("CPU time is the whole process's (user and system) during the run, at the median.\n\n")
	p("| run | file | p50 | max | CPU time (p50) | peak heap |\n|---|---:|---:|---:|---:|---:|\n")
	for _, wr := range r.Workbook {
		s := wr.Time.stats()
		cpu := "–"
		if wr.CPU != nil {
			cpu = ms(wr.CPU.stats().P50)
		}
		p("| %s | %s | %s | %s | %s | %s |\n", wr.Name, mib(uint64(wr.Bytes)), ms(s.P50), ms(s.Max), cpu, mib(wr.Peak))
	}
	p("\n")

	p("## Detailed boundaries\n\n")
	r.writeBoundaries(w)

	p("## Booking\n\n")
	r.writeBooking(w)

	p("## Uptake\n\n")
	r.writeUptake(w)

	p("## Memory\n\n")
	p("Peaks of the whole process (server, load generator and baselines), sampled every 10 ms: heap objects, all memory the Go runtime mapped, and the resident set ")
	p("(which also holds SQLite's page caches, allocated outside the Go heap).\n\n")
	p("| phase | heap objects | Go runtime | resident set |\n|---|---:|---:|---:|\n")
	for _, ph := range r.Memory.Phases {
		p("| %s | %s | %s | %s |\n", ph.Name, mib(ph.Peak.Heap), mib(ph.Peak.Runtime), mib(ph.Peak.RSS))
	}
	p("| **whole run** | %s | %s | %s |\n\n", mib(r.Memory.All.Heap), mib(r.Memory.All.Runtime), mib(r.Memory.All.RSS))

	p("## Notes\n\n%s\n%s\n%s\n\n", NotesBegin, notes, notesEnd)

	p("## How to run\n\n")
	p("```sh\ngo run ./cmd/bedarf bench                       # full run, writes docs/PERFORMANCE.md (a few minutes)\n")
	p("go run ./cmd/bedarf bench --short               # CI: 500 Kommunen, 8 clients, report to a temporary file\n")
	p("go run ./cmd/bedarf bench --cpuprofile cpu.out  # profile the measured phases; go tool pprof -top cpu.out\n")
	p("go test -run '^$' -bench . ./survey/ ./survey/store/ ./analysis/   # the Go benchmarks of the hot paths\n```\n\n")
	p("The temporary databases go to the system's temporary directory (`--dir` to choose: put them on the disk you deploy on, since fsync decides the save rate) and are removed at the end.\n")
}

// printBenchSummary prints the targets to standard output.
func printBenchSummary(w io.Writer, r *benchReport) {
	width := 0
	for _, t := range r.Targets {
		width = max(width, len([]rune(t.Name)))
	}
	for _, t := range r.Targets {
		status := "erreicht"
		if !t.Met {
			status = "verfehlt"
		}
		fmt.Fprintf(w, "%-*s  %8s  (Ziel %s)  %s\n", width, t.Name, t.Ratio, t.Want, status)
	}
}

// planQuality sets the bench plan's groups against the bound Compute
// computes: the gap in persons and groups.
func planQuality(t analysis.PlanTotals, b analysis.PlanBound) string {
	s := fmt.Sprintf("The plan places %d of %d persons in %d groups (%d online); its bounds: at most %d placed, at least %d groups for that", t.Placed, t.Persons, t.Groups, t.OnlineGroups, b.MaxPlaced, b.MinGroups)
	switch {
	case b.Proven:
		return s + ": proven optimal (no plan places more persons or needs fewer groups)."
	case b.PersonsGap > 0:
		return s + fmt.Sprintf(": gap %d persons (not proven).", b.PersonsGap)
	}
	return s + fmt.Sprintf(": everyone placeable is placed (proven), gap %d groups (%.1f %% of the bound; not proven).", b.GroupsGap, 100*float64(b.GroupsGap)/float64(max(1, b.MinGroups)))
}

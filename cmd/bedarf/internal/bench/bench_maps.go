package bench

// The detailed-boundaries phase of "bedarf bench": Region Hannover's demo
// data drawn on the built-in boundaries and on boundaries as detailed as
// official ones (analysis.DetailedBoundaries), each measured cold (the
// first map after the boundaries were stored) and warm, with the workbook.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"bedarf/analysis"
	"bedarf/analysis/rawbook"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// benchBoundaryVertices is the size of the detailed boundaries: about
// 840,000 points, as BKG's VG250 has for a Landkreis's Gemeinden (15.7 MB);
// --short uses fewer.
const (
	benchBoundaryVertices      = 840_000
	benchBoundaryVerticesShort = 100_000
)

// boundaryRun is one kind of boundaries drawn: the plan map cold and warm,
// the overview map cold, and the workbook.
type boundaryRun struct {
	Name      string
	GeoBytes  int // the stored boundaries
	Cold      *samples
	ColdOver  *samples // the overview's karte.svg, cold
	Warm      *samples
	SVGBytes  int64
	Workbook  *samples
	BookBytes int64
	// ColdCPU and BookCPU are the process's CPU time (user and system)
	// of the cold plan map and of the workbook: on a shared machine the
	// work done, where wall time also counts the waits for a core.
	ColdCPU, BookCPU *samples
}

// boundaryReport is the outcome of the phase.
type boundaryReport struct {
	Vertices      int // of the detailed file
	FileBytes     int
	Upload        stats // the upload over HTTP, simplification included
	Before, After int   // points before and after simplifying
	BuiltinPoints int   // of the built-in boundaries
	Runs          []*boundaryRun
}

// phaseBoundaries measures the maps and the workbook of a Region Hannover
// round on the built-in boundaries and on detailed ones, uploaded over
// HTTP as an admin would, in turns.
func (b *bencher) phaseBoundaries(ctx context.Context) error {
	path := filepath.Join(b.dir, "maps.db")
	sealer, err := auth.LoadOrCreateKey(filepath.Join(b.dir, "maps.key"))
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	admin, password, err := b.wire.SeedDemo(ctx, st, sealer)
	if err != nil {
		return err
	}
	round, err := st.LatestRound(ctx)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv, err := web.New(st, sealer, logger, web.Options{BaseURL: "http://" + ln.Addr().String()})
	if err != nil {
		ln.Close()
		return err
	}
	srvCtx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- web.ServeUntilDone(srvCtx, ln, nil, srv, logger, web.DefaultDrain) }()
	defer func() {
		stop()
		<-served
	}()
	lc := newLoadClient(srv.BaseURL, b.tr)
	if _, _, _, err := lc.do(ctx, http.MethodPost, "/anmelden", url.Values{"email": {admin}, "passwort": {password}}, http.StatusSeeOther, false); err != nil {
		return err
	}

	rep := &boundaryReport{Vertices: benchBoundaryVertices}
	if b.o.Short {
		rep.Vertices = benchBoundaryVerticesShort
	}
	builtin := analysis.DefaultRegionGeoJSON()
	detailed, err := analysis.DetailedBoundaries(builtin, rep.Vertices)
	if err != nil {
		return err
	}
	rep.FileBytes = len(detailed)
	upload := &samples{}
	for range max(1, min(b.o.Workbooks, 3)) {
		d, err := benchUpload(ctx, lc, web.BoundariesUploadPath, "vg250.geojson", detailed)
		upload.add(d, err)
		if err != nil {
			return fmt.Errorf("upload: %w", err)
		}
	}
	rep.Upload = upload.stats()
	simplified, err := st.Boundaries(ctx)
	if err != nil {
		return err
	}
	if _, d, err := analysis.SimplifyBoundaries(detailed); err == nil {
		rep.Before, rep.After = d.Before, d.After
	}
	if _, d, err := analysis.SimplifyBoundaries(builtin); err == nil {
		rep.BuiltinPoints = d.Before
	}

	runs := []*boundaryRun{
		{Name: fmt.Sprintf("built-in (Region Hannover, %d points)", rep.BuiltinPoints), GeoBytes: len(builtin)},
		{Name: fmt.Sprintf("detailed upload (%d points, stored simplified)", rep.Before), GeoBytes: len(simplified)},
	}
	geos := [][]byte{builtin, simplified}
	rid := strconv.FormatInt(round.ID, 10)
	planMap := "/verwaltung/runden/" + rid + "/plan/karte.svg"
	overMap := "/verwaltung/runden/" + rid + "/karte.svg"
	system := survey.Actor{Kind: "system", Label: "bench"}
	for _, r := range runs {
		r.Cold, r.ColdOver, r.Warm, r.Workbook, r.ColdCPU, r.BookCPU = &samples{}, &samples{}, &samples{}, &samples{}, &samples{}, &samples{}
	}
	// Twice the staff pages' runs (each is short, and one stall moves a
	// median of few); the first turn warms up, unmeasured.
	turns := 2 * b.o.Iterations
	for range turns + 1 {
		for i, r := range runs {
			// Storing the boundaries bumps the data version: the next
			// views draw afresh (cold), the ones after come from the cache.
			if err := st.SaveBoundaries(ctx, geos[i], 21, system); err != nil {
				return err
			}
			runtime.GC() // as rawbook.Measure does: no run pays for the garbage of the one before
			cpu := processCPU()
			_, n, d, err := lc.do(ctx, http.MethodGet, planMap, nil, http.StatusOK, false)
			r.ColdCPU.add(processCPU()-cpu, err)
			r.Cold.add(d, err)
			r.SVGBytes = n
			_, _, d, err = lc.do(ctx, http.MethodGet, overMap, nil, http.StatusOK, false)
			r.ColdOver.add(d, err)
			for range 3 {
				_, _, d, err := lc.do(ctx, http.MethodGet, planMap, nil, http.StatusOK, false)
				r.Warm.add(d, err)
			}
			var cw rawbook.CountWriter
			runtime.GC()
			cpu = processCPU()
			t := time.Now()
			err = web.WriteRoundWorkbook(ctx, analysis.NewService(st), round, &cw)
			r.Workbook.add(time.Since(t), err)
			r.BookCPU.add(processCPU()-cpu, err)
			r.BookBytes = cw.N
			if err != nil {
				return err
			}
		}
	}
	for _, r := range runs { // drop the warm-up turn
		r.Cold.d, r.ColdOver.d, r.Warm.d, r.Workbook.d = r.Cold.d[1:], r.ColdOver.d[1:], r.Warm.d[3:], r.Workbook.d[1:]
		r.ColdCPU.d, r.BookCPU.d = r.ColdCPU.d[1:], r.BookCPU.d[1:]
	}
	rep.Runs = runs
	b.rep.Boundaries = rep
	return nil
}

// benchUpload posts a file as the upload forms do and times it.
func benchUpload(ctx context.Context, lc *loadClient, path, name string, data []byte) (time.Duration, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("datei", name)
	if err != nil {
		return 0, err
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, lc.base+path, &body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", lc.base)
	t := time.Now()
	resp, err := lc.c.Do(req)
	if err != nil {
		return time.Since(t), err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	d := time.Since(t)
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("POST %s: status %d", path, resp.StatusCode)
	}
	return d, nil
}

// boundaryTargets adds the targets of the detailed boundaries (issue 17):
// the cold plan map within 3× the built-in's time and its SVG within 3×
// its size; the workbook within 1.2× the built-in's.
func (r *benchReport) boundaryTargets() {
	br := r.Boundaries
	if br == nil || len(br.Runs) != 2 {
		return
	}
	base, det := br.Runs[0], br.Runs[1]
	add := func(name string, product, baseline float64, show func(float64) string, want float64, why string) {
		x := product / max(baseline, 1e-9)
		t := benchTarget{Name: name, Product: show(product), Baseline: show(baseline), Ratio: ratio(x) + "×",
			Want: fmt.Sprintf("≤ %.1f×", want), Met: x <= want, Why: why}
		if !t.Met {
			t.Miss = fmt.Sprintf("%.2f× instead of ≤ %.1f×", x, want)
		}
		r.Targets = append(r.Targets, t)
	}
	dur := func(v float64) string { return ms(time.Duration(v)) }
	size := func(v float64) string { return fmt.Sprintf("%.0f KB", v/1000) }
	bc, dc := base.Cold.stats(), det.Cold.stats()
	why := fmt.Sprintf("The upload (%s, %d points; %s at the median, over HTTP) simplifies the boundaries to %d points (%s stored, the built-in file has %s); "+
		"a warm view of the same map takes %s (built-in: %s), served from the map cache.",
		mib(uint64(br.FileBytes)), br.Before, ms(br.Upload.P50), br.After,
		size(float64(det.GeoBytes)), size(float64(base.GeoBytes)), ms(det.Warm.stats().P50), ms(base.Warm.stats().P50))
	add("detailed boundaries: first (cold) plan map after the upload vs built-in boundaries (time)", float64(dc.P50), float64(bc.P50), dur, 3, why)
	add("detailed boundaries: plan map SVG vs built-in boundaries (size)", float64(det.SVGBytes), float64(base.SVGBytes), size, 3, "")
	add("detailed boundaries: workbook vs the same workbook on built-in boundaries (time)", float64(det.Workbook.stats().P50), float64(base.Workbook.stats().P50), dur, 1.2, "")
	cpuWhy := fmt.Sprintf("The same runs in CPU time of the process (user and system, p50): on a shared machine (load average %s before the run) wall time also counts the waits for a core.", r.Machine.LoadBefore)
	add("detailed boundaries: first (cold) plan map after the upload vs built-in boundaries (CPU time)", float64(det.ColdCPU.stats().P50), float64(base.ColdCPU.stats().P50), dur, 3, cpuWhy)
	add("detailed boundaries: workbook vs the same workbook on built-in boundaries (CPU time)", float64(det.BookCPU.stats().P50), float64(base.BookCPU.stats().P50), dur, 1.2, cpuWhy)
}

// writeBoundaries writes the report's section on detailed boundaries.
func (r *benchReport) writeBoundaries(w io.Writer) {
	br := r.Boundaries
	if br == nil {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Region Hannover's demo round (21 Kommunen) drawn on the built-in boundaries and on boundaries as detailed as official ones: ")
	p("%d points (%s) generated from the built-in ones by cutting every edge into a random walk (neighbours keep sharing their edges; `analysis.DetailedBoundaries`), ", br.Before, mib(uint64(br.FileBytes)))
	p("uploaded over HTTP as an admin does (uploads: %d; p50 %s, max %s), which stores them simplified: %d → %d points. ", br.Upload.N, ms(br.Upload.P50), ms(br.Upload.Max), br.Before, br.After)
	p("Then, after one unmeasured turn, %d times in turns, each set of boundaries is stored again (which bumps the data version, so the next map is drawn afresh: cold), ", 2*r.Opts.Iterations)
	p("the plan map and the overview map are fetched cold, the plan map three times warm (from the map cache), and the workbook is written in process.\n\n")
	p("Wall times are p50 to the last byte; CPU times are the whole process's (user and system) during the run, p50. ")
	p("Before each cold map and each workbook the heap is collected, as for the workbook above, so that no run pays for the garbage of the one before.\n\n")
	p("| boundaries | stored | plan map cold p50 | its CPU time | overview map cold p50 | plan map warm p50 | plan map SVG | workbook p50 | its CPU time | workbook |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, run := range br.Runs {
		p("| %s | %.0f KB | %s | %s | %s | %s | %.0f KB | %s | %s | %s |\n", run.Name, float64(run.GeoBytes)/1000, ms(run.Cold.stats().P50), ms(run.ColdCPU.stats().P50),
			ms(run.ColdOver.stats().P50), ms(run.Warm.stats().P50), float64(run.SVGBytes)/1000, ms(run.Workbook.stats().P50), ms(run.BookCPU.stats().P50), mib(uint64(run.BookBytes)))
	}
	p("\nBefore simplification and caching (issue 17) such a file made the plan map a 23 MB SVG taking 12–18 s on every view, and the workbook 10–16 s.\n\n")
}

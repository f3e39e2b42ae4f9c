package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/store"
)

// The store is the evaluation's source (a compile-time check: analysis
// does not import the store).
var _ analysis.Source = (*store.Store)(nil)

// The store also gives the uptake its counts (analysis.UptakeSource).
var _ analysis.UptakeSource = (*store.Store)(nil)

// TestPlanComputedOncePerDataVersion: the dashboard, the plan page, the
// workbook download and the CLI export get the plan from the one analysis
// service, which computes it once per data version: a repeated view of
// unchanged data computes nothing, a save that changes what the plan reads
// (also one from another process, as a CLI import) computes it once more.
func TestPlanComputedOncePerDataVersion(t *testing.T) {
	ctx := context.Background()
	hs := httptest.NewUnstartedServer(nil)
	s := seedStore(t, "plans.db", web.Options{BaseURL: "http://" + hs.Listener.Addr().String()})
	var computes atomic.Int64
	s.srv.An.OnCompute = func(int64) { computes.Add(1) }
	hs.Config.Handler = s.srv.Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	admin := newBrowser(t, hs.URL)
	if code, _, _ := admin.post(hs.URL+"/anmelden", url.Values{"email": {demoAdminEmail}, "passwort": {s.password}}); code != http.StatusSeeOther {
		t.Fatalf("admin login: %d", code)
	}
	round := fmt.Sprintf("%s/verwaltung/runden/%d", hs.URL, s.round.ID)
	get := func(path string) func() error {
		return func() error {
			if code, _, _ := admin.get(round + path); code != http.StatusOK {
				return fmt.Errorf("GET %s: %d", path, code)
			}
			return nil
		}
	}
	views := []struct {
		name string
		view func() error
	}{
		{"dashboard", get("")},
		{"plan page", get("/plan")},
		{"workbook", get("/auswertung.xlsx")},
		{"CLI export", func() error { return web.WriteRoundWorkbook(ctx, s.srv.An, s.round, io.Discard) }},
	}
	viewAll := func(t *testing.T) {
		t.Helper()
		for _, v := range views {
			if err := v.view(); err != nil {
				t.Fatalf("%s: %v", v.name, err)
			}
		}
	}
	viewAll(t)
	if n := computes.Load(); n != 1 {
		t.Fatalf("first views of the demo round (one scenario): %d plans computed, want 1", n)
	}

	// A second store on the same file, as the CLI in another process.
	other, err := store.Open(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	scs, err := other.Scenarios(ctx, s.round.ID, analysis.MarshalParams(analysis.DefaultParams()))
	if err != nil {
		t.Fatal(err)
	}
	resps, err := other.Responses(ctx, s.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	var submitted []int64
	for _, r := range resps {
		if r.Status == survey.StatusSubmitted {
			submitted = append(submitted, r.ID)
		}
	}
	if len(submitted) < 2 {
		t.Fatalf("the demo has %d submitted responses, want 2", len(submitted))
	}
	actor := survey.Actor{Kind: "system", Label: "Test"}
	params := analysis.DefaultParams()
	for _, tc := range []struct {
		name  string
		write func() error
	}{
		{"nothing written", nil},
		{"scenario saved through the form", func() error {
			form := url.Values{"name": {scs[0].Name}}
			params.GroupMax--
			for _, f := range web.ParamFields() {
				if f.Bool {
					if params.PoolOnline {
						form.Set(f.Name, "1")
					}
					continue
				}
				form.Set(f.Name, f.FormValue(params))
			}
			code, body, _ := admin.post(fmt.Sprintf("%s/plan/szenarien/%d", round, scs[0].ID), form)
			if code != http.StatusSeeOther {
				return fmt.Errorf("save scenario: %d\n%s", code, body)
			}
			return nil
		}},
		{"response returned by another process", func() error {
			return other.ReturnResponse(ctx, submitted[0], "Bitte ergänzen.", actor)
		}},
		{"response reopened by another process", func() error {
			return other.ReopenResponse(ctx, submitted[1], actor)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := int64(0)
			if tc.write != nil {
				if err := tc.write(); err != nil {
					t.Fatal(err)
				}
				want = 1
			}
			computes.Store(0)
			viewAll(t)
			viewAll(t)
			if n := computes.Load(); n != want {
				t.Errorf("dashboard, plan page, workbook and CLI export twice: %d plans computed, want %d", n, want)
			}
		})
	}
}

// TestPlanComputedOnceConcurrently: requests that ask for the same plan at
// the same time compute it once, and all get the same figures.
func TestPlanComputedOnceConcurrently(t *testing.T) {
	ctx := context.Background()
	s := seedStore(t, "plans.db", web.Options{BaseURL: "http://bedarf.test"})
	var computes atomic.Int64
	s.srv.An.OnCompute = func(int64) { computes.Add(1) }
	const n = 8
	totals := make([]analysis.PlanTotals, n)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			rp, err := s.srv.An.RoundPlans(ctx, s.round, i%2 == 0)
			if err == nil {
				totals[i] = rp.Decisive().Plan.Totals
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := computes.Load(); got != 1 {
		t.Errorf("%d concurrent requests computed %d plans, want 1", n, got)
	}
	for i := range totals {
		if totals[i] != totals[0] || totals[0].Persons == 0 {
			t.Fatalf("request %d got totals %+v, request 0 %+v", i, totals[i], totals[0])
		}
	}
}

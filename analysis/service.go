package analysis

// The evaluation as a service: the one way from stored data to a round's
// plans, key figures, dataset and comparison. Handlers, the workbook
// download, the CLI export and the bench call it and only map its results
// to views. Plans are cached by the store's data version, a counter in the
// database that every write changing what a plan reads bumps in the same
// transaction (also from another process, the CLI): while it stays, a plan
// is computed once.

import (
	"context"
	"fmt"
	"sync"
	"time"

	"bedarf/survey"
)

// Source is what the evaluation reads from storage; *store.Store satisfies
// it (checked in cmd/bedarf's tests: the store does not import analysis,
// nor analysis the store).
type Source interface {
	// Rounds returns every round, newest first.
	Rounds(ctx context.Context) ([]survey.Round, error)
	// Questionnaire returns a questionnaire by id.
	Questionnaire(ctx context.Context, id int64) (*survey.Questionnaire, error)
	// Scenarios returns a round's scenarios, the decisive one first; a
	// round without stored ones has one with defaultParams (ID 0).
	Scenarios(ctx context.Context, roundID int64, defaultParams []byte) ([]survey.Scenario, error)
	// PlanningAnswers calls fn for every submitted response of a round,
	// in AGS order, with its answers to the given questions only.
	PlanningAnswers(ctx context.Context, roundID int64, questionIDs []string, fn func(survey.Kommune, survey.Answers) error) error
	// Responses returns all responses of a round in AGS order.
	Responses(ctx context.Context, roundID int64) ([]survey.Response, error)
	// EachAnswers calls fn for every response of a round, in AGS order,
	// with its answers.
	EachAnswers(ctx context.Context, roundID int64, fn func(survey.Response, survey.Answers) error) error
	// Kommunen returns every Kommune with its coordinates.
	Kommunen(ctx context.Context) ([]survey.Kommune, error)
	// Boundaries returns the stored boundaries as GeoJSON (nil: none).
	Boundaries(ctx context.Context) ([]byte, error)
	// DataVersion returns a number that changes with every committed
	// write that changes what a plan reads.
	DataVersion(ctx context.Context) (int64, error)
}

// Service evaluates rounds read from a Source and caches their plans by
// the data version. Safe for concurrent use; create it with NewService.
type Service struct {
	src Source
	// OnCompute, when set, is called for every plan the service computes
	// (not for one served from the cache); tests count with it.
	OnCompute func(roundID int64)

	mu      sync.Mutex
	version int64
	inputs  map[int64]*roundInputs  // by round
	plans   map[planKey]*planResult // by round and parameters
	reports map[int64]*reportInputs // by round: the report figures' values
}

// planCacheMax bounds the cached plans (rounds times scenarios); beyond it
// the cache starts afresh.
const planCacheMax = 64

type planKey struct {
	round  int64
	params Params
}

// roundInputs are a round's planning inputs, read once per data version.
type roundInputs struct {
	once    sync.Once
	modules []Module
	in      []KommuneInput
	err     error
}

// planResult is one computed plan, computed once per data version.
type planResult struct {
	once sync.Once
	plan Plan
}

// NewService returns a service reading from src.
func NewService(src Source) *Service {
	return &Service{src: src, inputs: map[int64]*roundInputs{}, plans: map[planKey]*planResult{}, reports: map[int64]*reportInputs{}}
}

// ScenarioPlan is one scenario of a round with its parameters and plan.
type ScenarioPlan struct {
	Scenario survey.Scenario
	Params   Params
	// Plan is the scenario's plan over the submitted responses. It is
	// shared with the cache: callers must not change it (copy slices
	// before changing them).
	Plan Plan
}

// RoundPlans is what RoundPlans returns.
type RoundPlans struct {
	// Scenarios are the round's scenarios, the decisive one first (only
	// that one unless all were asked for).
	Scenarios []ScenarioPlan
	// Submitted is the number of submitted responses the plans are based on.
	Submitted int
}

// Decisive returns the plan of the scenario marked maßgeblich.
func (rp RoundPlans) Decisive() ScenarioPlan { return rp.Scenarios[0] }

// Find returns the scenario with the id, or the decisive one when the
// round has none with it.
func (rp RoundPlans) Find(id int64) ScenarioPlan {
	for _, sp := range rp.Scenarios {
		if sp.Scenario.ID == id {
			return sp
		}
	}
	return rp.Scenarios[0]
}

// Scenarios returns a round's scenarios with their parameters, the
// decisive one first, without computing a plan.
func (s *Service) Scenarios(ctx context.Context, roundID int64) ([]ScenarioPlan, error) {
	scs, err := s.src.Scenarios(ctx, roundID, MarshalParams(DefaultParams()))
	if err != nil {
		return nil, err
	}
	out := make([]ScenarioPlan, len(scs))
	for i, sc := range scs {
		p, err := UnmarshalParams(sc.Params)
		if err != nil {
			return nil, fmt.Errorf("scenario %d: %w", sc.ID, err)
		}
		out[i] = ScenarioPlan{Scenario: sc, Params: p}
	}
	return out, nil
}

// RoundPlans returns the plan of the round's decisive scenario, or with
// all the plans of every scenario, from the cache while the data version
// stays the same.
func (s *Service) RoundPlans(ctx context.Context, round survey.Round, all bool) (RoundPlans, error) {
	// The version is read first: data written after it can only make a
	// cached result newer than its key, never older.
	v, err := s.src.DataVersion(ctx)
	if err != nil {
		return RoundPlans{}, err
	}
	scs, err := s.Scenarios(ctx, round.ID)
	if err != nil {
		return RoundPlans{}, err
	}
	if !all {
		scs = scs[:1]
	}
	ri := s.roundInputs(v, round.ID)
	ri.once.Do(func() { ri.modules, ri.in, ri.err = s.readInputs(ctx, round) })
	if ri.err != nil {
		s.forget(v, round.ID)
		return RoundPlans{}, ri.err
	}
	for i := range scs {
		pr := s.planResult(v, planKey{round.ID, scs[i].Params})
		pr.once.Do(func() {
			if s.OnCompute != nil {
				s.OnCompute(round.ID)
			}
			pr.plan = Compute(ri.in, ri.modules, scs[i].Params)
		})
		scs[i].Plan = pr.plan
	}
	return RoundPlans{Scenarios: scs, Submitted: len(ri.in)}, nil
}

// readInputs reads a round's planning inputs (submitted responses only).
func (s *Service) readInputs(ctx context.Context, round survey.Round) ([]Module, []KommuneInput, error) {
	qn, err := s.src.Questionnaire(ctx, round.QuestionnaireID)
	if err != nil {
		return nil, nil, err
	}
	in, err := CollectInputs(qn, func(fn func(survey.Kommune, survey.Answers) error) error {
		return s.src.PlanningAnswers(ctx, round.ID, PlanningQuestionIDs(qn), fn)
	})
	if err != nil {
		return nil, nil, err
	}
	return Modules(qn), in, nil
}

// reset empties the cache when the version moved or it is full; mu held.
func (s *Service) reset(v int64) {
	if v != s.version || len(s.plans) >= planCacheMax || len(s.inputs) >= planCacheMax || len(s.reports) >= planCacheMax {
		s.version, s.inputs, s.plans, s.reports = v, map[int64]*roundInputs{}, map[planKey]*planResult{}, map[int64]*reportInputs{}
	}
}

// roundInputs returns the cache entry of a round's inputs at version v.
func (s *Service) roundInputs(v, round int64) *roundInputs {
	return entry(s, v, func() map[int64]*roundInputs { return s.inputs }, round)
}

// planResult returns the cache entry of a plan at version v.
func (s *Service) planResult(v int64, key planKey) *planResult {
	return entry(s, v, func() map[planKey]*planResult { return s.plans }, key)
}

// entry returns the entry of key in the cache map m at version v, new if
// there is none (and not kept for a version older than the cache's).
func entry[K comparable, E any](s *Service, v int64, m func() map[K]*E, key K) *E {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v < s.version {
		return new(E)
	}
	s.reset(v)
	e := m()[key]
	if e == nil {
		e = new(E)
		m()[key] = e
	}
	return e
}

// forget drops a failed read, so the next call tries again.
func (s *Service) forget(v, round int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.version == v {
		delete(s.inputs, round)
		delete(s.reports, round)
	}
}

// KeyFigures are the headline figures of a round's decisive plan.
type KeyFigures struct {
	// Scenario names the decisive scenario.
	Scenario string
	// Basis is the number of submitted responses counted.
	Basis int
	// Totals are the plan's totals.
	Totals PlanTotals
}

// KeyFigures returns the key figures of a round's plans (the decisive one).
func (rp RoundPlans) KeyFigures() KeyFigures {
	d := rp.Decisive()
	return KeyFigures{Scenario: d.Scenario.Name, Basis: rp.Submitted, Totals: d.Plan.Totals}
}

// KeyFigures returns the key figures of the round's decisive plan.
func (s *Service) KeyFigures(ctx context.Context, round survey.Round) (KeyFigures, error) {
	rp, err := s.RoundPlans(ctx, round, false)
	if err != nil {
		return KeyFigures{}, err
	}
	return rp.KeyFigures(), nil
}

// LoadDataset gathers what the evaluation of a round (workbook, CSV,
// charts) needs: its answers (streamed), the decisive scenario's
// parameters and plan (from RoundPlans), the newest earlier round for the
// comparison and the stored boundaries for the map; for a round with
// offers (and an earlier one) their uptake (see UptakeSource).
func (s *Service) LoadDataset(ctx context.Context, r survey.Round) (Dataset, error) {
	now := time.Now()
	rp, err := s.RoundPlans(ctx, r, false)
	if err != nil {
		return Dataset{}, err
	}
	ds, err := s.dataset(ctx, r, now)
	if err != nil {
		return ds, err
	}
	d := rp.Decisive()
	ds.Params, ds.Scenario = d.Params, d.Scenario.Name
	ds.Plan = &d.Plan
	if s.OnCompute != nil {
		ds.computed = func() { s.OnCompute(r.ID) }
	}
	if ds.Uptake, err = s.uptakeOfRound(ctx, r, now); err != nil {
		return ds, err
	}
	if ds.GeoJSON, err = s.src.Boundaries(ctx); err != nil {
		return ds, err
	}
	rounds, err := s.src.Rounds(ctx)
	if err != nil {
		return ds, err
	}
	for _, earlier := range rounds { // newest first
		if earlier.ID < r.ID {
			prev, err := s.dataset(ctx, earlier, now)
			if err != nil {
				return ds, fmt.Errorf("Vorrunde %d: %w", earlier.ID, err)
			}
			ds.Previous = &prev
			if ds.PreviousUptake, err = s.uptakeOfRound(ctx, earlier, now); err != nil {
				return ds, fmt.Errorf("Vorrunde %d: %w", earlier.ID, err)
			}
			break
		}
	}
	return ds, nil
}

// dataset is a round's questionnaire, responses and streamed answers.
func (s *Service) dataset(ctx context.Context, round survey.Round, now time.Time) (Dataset, error) {
	qn, err := s.src.Questionnaire(ctx, round.QuestionnaireID)
	if err != nil {
		return Dataset{}, err
	}
	resps, err := s.src.Responses(ctx, round.ID)
	if err != nil {
		return Dataset{}, err
	}
	return Dataset{
		Round: round, Questionnaire: qn, Responses: resps, Generated: now,
		Each: func(fn func(survey.Response, survey.Answers) error) error {
			return s.src.EachAnswers(ctx, round.ID, fn)
		},
	}, nil
}

// CompareRounds compares the submitted answers of round a (the earlier)
// with those of round b, read from the source (see CompareRounds). As the
// workbook's Vergleich sheet does, it takes each round's counted Kommunen
// from its responses and streams the answers into the comparison, so no
// round's answers are held in memory.
func (s *Service) CompareRounds(ctx context.Context, a, b survey.Round, all bool) (*Comparison, error) {
	now := time.Now()
	da, err := s.dataset(ctx, a, now)
	if err != nil {
		return nil, fmt.Errorf("Runde %d: %w", a.ID, err)
	}
	db, err := s.dataset(ctx, b, now)
	if err != nil {
		return nil, fmt.Errorf("Runde %d: %w", b.ID, err)
	}
	c := NewComparison(da.compareBasis(), db.compareBasis(), all)
	for _, r := range []struct {
		ds    Dataset
		which Round
	}{{da, Prev}, {db, Cur}} {
		err := r.ds.Each(func(resp survey.Response, ans survey.Answers) error {
			c.Add(r.which, resp.Kommune.AGS, ans) // Add counts only the basis's Kommunen
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("Runde %d: %w", r.ds.Round.ID, err)
		}
	}
	return c, nil
}

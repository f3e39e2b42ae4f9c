package analysis

// CompareRounds: the one comparison of two rounds that the comparison page
// and the workbook's Vergleich sheet both show. It compares like with like:
// by default only the Kommunen counted in both rounds, so that a round in
// which fewer Kommunen answered does not look like a drop in demand; the
// Kommunen counted in only one round are named apart.

import "bedarf/survey"

// CompareAnswers are the answers of one Kommune counted in a round.
type CompareAnswers struct {
	AGS, Name string
	Answers   survey.Answers
}

// CompareInput is one round of a comparison: its questionnaire and the
// answers of its counted responses (those a Dataset Counts).
type CompareInput struct {
	Questionnaire *survey.Questionnaire
	// Invited is the number of Kommunen invited to the round.
	Invited int
	// Kommunen are the counted responses' answers, one per Kommune.
	Kommunen []CompareAnswers
}

// Comparison is the result of CompareRounds.
type Comparison struct {
	// AllKommunen is set when every counted Kommune of each round is
	// compared, not only those counted in both.
	AllKommunen bool
	// Both names the Kommunen counted in both rounds (in the order of the
	// later round); OnlyPrev and OnlyCur those counted in only one.
	Both, OnlyPrev, OnlyCur []string
	// InvitedPrev, InvitedCur, CountedPrev and CountedCur count each
	// round's invited Kommunen and the compared ones (with AllKommunen
	// all counted ones, otherwise len(Both) for both rounds).
	InvitedPrev, InvitedCur, CountedPrev, CountedCur int
	prev, cur                                        *roundStats
	inPrev, inCur                                    map[string]bool
}

// CompareRounds compares the earlier round prev with cur. Without all it
// counts only the answers of Kommunen (by AGS) counted in both rounds.
func CompareRounds(prev, cur CompareInput, all bool) *Comparison {
	refs := func(ks []CompareAnswers) []KommuneRef {
		out := make([]KommuneRef, len(ks))
		for i, k := range ks {
			out[i] = KommuneRef{AGS: k.AGS, Name: k.Name}
		}
		return out
	}
	c := NewComparison(CompareBasis{prev.Questionnaire, prev.Invited, refs(prev.Kommunen)},
		CompareBasis{cur.Questionnaire, cur.Invited, refs(cur.Kommunen)}, all)
	for _, k := range prev.Kommunen {
		c.Add(Prev, k.AGS, k.Answers)
	}
	for _, k := range cur.Kommunen {
		c.Add(Cur, k.AGS, k.Answers)
	}
	return c
}

// KommuneRef names a Kommune counted in a round.
type KommuneRef struct{ AGS, Name string }

// CompareBasis is one round of a comparison before its answers are added:
// its questionnaire, how many Kommunen it invited and which it counts.
type CompareBasis struct {
	Questionnaire *survey.Questionnaire
	Invited       int
	Counted       []KommuneRef
}

// NewComparison starts the comparison of prev with cur whose answers are
// then streamed in with Add (CompareRounds does both for answers at hand).
// Add for one round may run at the same time as Add for the other.
func NewComparison(prev, cur CompareBasis, all bool) *Comparison {
	inPrev, inCur := map[string]bool{}, map[string]bool{}
	for _, k := range prev.Counted {
		inPrev[k.AGS] = true
	}
	for _, k := range cur.Counted {
		inCur[k.AGS] = true
	}
	c := &Comparison{AllKommunen: all, InvitedPrev: prev.Invited, InvitedCur: cur.Invited,
		prev: newRoundStats(prev.Questionnaire), cur: newRoundStats(cur.Questionnaire), inPrev: inPrev, inCur: inCur}
	c.prev.on, c.cur.on = true, true
	for _, k := range cur.Counted {
		if inPrev[k.AGS] {
			c.Both = append(c.Both, k.Name)
		} else {
			c.OnlyCur = append(c.OnlyCur, k.Name)
		}
		if all || inPrev[k.AGS] {
			c.CountedCur++
		}
	}
	for _, k := range prev.Counted {
		if !inCur[k.AGS] {
			c.OnlyPrev = append(c.OnlyPrev, k.Name)
		}
		if all || inCur[k.AGS] {
			c.CountedPrev++
		}
	}
	c.prev.invited, c.prev.counted = prev.Invited, c.CountedPrev
	c.cur.invited, c.cur.counted = cur.Invited, c.CountedCur
	return c
}

// Add counts the answers of the Kommune ags in round r when the
// comparison's basis includes them (counted there, and without
// AllKommunen counted in the other round too).
func (c *Comparison) Add(r Round, ags string, a survey.Answers) {
	own, other := c.inCur, c.inPrev
	if r == Prev {
		own, other = c.inPrev, c.inCur
	}
	if own[ags] && (c.AllKommunen || other[ags]) {
		c.stats(r).add(a)
	}
}

// Round selects one round of a Comparison.
type Round int

// The two rounds of a Comparison.
const (
	Prev Round = iota
	Cur
)

func (c *Comparison) stats(r Round) *roundStats {
	if r == Prev {
		return c.prev
	}
	return c.cur
}

// Number returns how many compared Kommunen answered the number question
// q (item: of item numbers, "" otherwise) in round r, and the sum of
// their numbers.
func (c *Comparison) Number(r Round, q, item string) (n int, sum float64) {
	s := c.stats(r)
	return int(s.v[statKey{q, item, statN}]), s.v[statKey{q, item, statSum}]
}

// Answered returns how many compared Kommunen answered question q (row:
// a matrix row, "" otherwise) in round r.
func (c *Comparison) Answered(r Round, q, row string) int {
	return int(c.stats(r).v[statKey{q, row, statN}])
}

// Chosen returns how often option value was chosen for question q (row: a
// matrix row, "" otherwise) in round r.
func (c *Comparison) Chosen(r Round, q, row, value string) int {
	item := value
	if row != "" {
		item = row + "\x00" + value
	}
	return int(c.stats(r).v[statKey{q, item, statCount}])
}

package survey

import (
	"slices"
	"strings"
)

// Unit returns the key on which a change of k is merged and a conflict
// decided: a multiple-choice question as a whole (its head key, Item ""),
// since its options are one choice of the person; every other key alone
// (a matrix row and a number per item are separate answers). A nil
// questionnaire or an unknown question keeps every key alone.
func (q *Questionnaire) Unit(k Key) Key {
	if q == nil {
		return k
	}
	if qq := q.Question(k.Question); qq != nil && qq.Type == MultipleChoice {
		return Key{Question: k.Question}
	}
	return k
}

// Change says who changed a key since the editor's base revision: the
// newest change.
type Change struct {
	Revision int
	By       string
}

// Conflict is a unit (see Questionnaire.Unit) that a colleague changed
// since the editor's base revision and the editor changed too, to
// something else.
type Conflict struct {
	Key Key // the unit: for a multiple-choice question its head key
	// Mine and Their are the raw values the editor sent and that are stored
	// now: one value, or the selected codes of a multiple-choice question
	// in the order of its options; none when the answer is empty.
	Mine, Their []string
	By          string // who saved Their
}

// MergeInput is a save to be merged with what colleagues stored since the
// editor's page was loaded.
type MergeInput struct {
	Base    Answers // the stored answers at the editor's base revision
	Current Answers // the stored answers now
	Mine    Answers // the editor's answers: every non-empty answer of the form
	// Changed lists the keys stored since the base revision with their
	// newest change.
	Changed map[Key]Change
	// Force lists units in conflict the editor confirmed to overwrite.
	Force []Key
}

// MergeResult is the outcome of Merge.
type MergeResult struct {
	// Changes are the keys to write (Mine's value, deleted when empty),
	// sorted; meaningful only without conflicts.
	Changes []Key
	// Conflicts lists the units both sides changed differently, sorted by
	// unit; when there are any, nothing may be stored.
	Conflicts []Conflict
	// Result is the answers after the save when there are no conflicts:
	// Current with Changes applied.
	Result Answers
	// Merged is what the editor should see next when there are conflicts:
	// Current with every change of the editor on top, the conflicting units
	// with the editor's values. Saved from the current revision with the
	// conflicts decided, nothing of either side is lost.
	Merged Answers
}

// Merge is the three-way merge of a save. Units the editor did not change
// (Mine equals Base) keep what is stored, so colleagues' changes stay. A
// unit the editor changed is written unless a colleague changed it too
// since Base and it is stored differently from the editor's value: then it
// is a conflict, unless the editor confirmed it in Force. A
// multiple-choice question is compared as the whole set of its options, so
// two different selections never merge into one that nobody chose.
func Merge(q *Questionnaire, in MergeInput) MergeResult {
	units := map[Key][]Key{}
	add := func(k Key) {
		u := q.Unit(k)
		if !slices.Contains(units[u], k) {
			units[u] = append(units[u], k)
		}
	}
	for _, a := range []Answers{in.Mine, in.Base, in.Current} {
		for k := range a {
			add(k)
		}
	}
	for k := range in.Changed {
		add(k)
	}
	var out MergeResult
	for u, keys := range units {
		if sameRaw(in.Mine, in.Base, keys) {
			continue // the editor did not change this unit
		}
		var theirs Change
		changed := false
		for _, k := range keys {
			if ch, ok := in.Changed[k]; ok && (!changed || ch.Revision > theirs.Revision) {
				theirs, changed = ch, true
			}
		}
		if changed && !sameRaw(in.Current, in.Mine, keys) && !slices.Contains(in.Force, u) {
			out.Conflicts = append(out.Conflicts, Conflict{Key: u, Mine: q.UnitRaws(in.Mine, u), Their: q.UnitRaws(in.Current, u), By: theirs.By})
			continue
		}
		for _, k := range keys {
			if in.Current[k].Raw != in.Mine[k].Raw {
				out.Changes = append(out.Changes, k)
			}
		}
	}
	slices.SortFunc(out.Changes, CompareKeys)
	if len(out.Conflicts) == 0 {
		out.Result = make(Answers, len(in.Current))
		for k, v := range in.Current {
			out.Result[k] = v
		}
		for _, k := range out.Changes {
			out.Result.setOrDelete(k, in.Mine[k])
		}
		return out
	}
	slices.SortFunc(out.Conflicts, func(a, b Conflict) int { return CompareKeys(a.Key, b.Key) })
	out.Merged = make(Answers, len(in.Current))
	for k, v := range in.Current {
		out.Merged[k] = v
	}
	for _, k := range out.Changes {
		out.Merged.setOrDelete(k, in.Mine[k])
	}
	for _, c := range out.Conflicts {
		for _, k := range units[c.Key] {
			out.Merged.setOrDelete(k, in.Mine[k])
		}
	}
	return out
}

// sameRaw reports whether a and b hold the same raw text for every key.
func sameRaw(a, b Answers, keys []Key) bool {
	for _, k := range keys {
		if a[k].Raw != b[k].Raw {
			return false
		}
	}
	return true
}

// UnitRaws returns the raw values of a unit (see Unit) in a: the
// selected codes of a multiple-choice question in the order of its options
// (unknown codes last), otherwise the key's value; none when empty.
func (q *Questionnaire) UnitRaws(a Answers, unit Key) []string {
	var out []string
	if qq := q.questionOf(unit); qq != nil && qq.Type == MultipleChoice {
		for _, k := range qq.keys(a) {
			out = append(out, a[k].Raw)
		}
		return out
	}
	if v, ok := a[unit]; ok && v.Raw != "" {
		out = append(out, v.Raw)
	}
	return out
}

func (q *Questionnaire) questionOf(k Key) *Question {
	if q == nil {
		return nil
	}
	return q.Question(k.Question)
}

// setOrDelete stores v under k, or removes k when v is empty.
func (a Answers) setOrDelete(k Key, v Value) {
	if v.Raw == "" {
		delete(a, k)
	} else {
		a[k] = v
	}
}

// CompareKeys orders keys by question, then item.
func CompareKeys(a, b Key) int {
	if c := strings.Compare(a.Question, b.Question); c != 0 {
		return c
	}
	return strings.Compare(a.Item, b.Item)
}

package web

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/survey"
	"bedarf/survey/store"
)

// The answer history on the staff Kommune page: per save, which question
// changed from what to what, who saved and when.

// historyShown bounds the saves the page lists (newest first).
const historyShown = 50

// historyShort is how many characters of a long text answer the history
// shows; the whole text is behind a disclosure.
const historyShort = 120

// historyView is one save of the answers in words.
type historyView struct {
	Number  int
	At      time.Time
	Who     string
	Changes []historyChange
}

// historyChange is one question's answer before and after a save.
type historyChange struct {
	Question string
	Old, New historyValue
	Erased   bool // removed by the retention command
}

// historyValue is an answer as the history shows it: shortened when long,
// with the whole text kept for a disclosure.
type historyValue struct {
	Short, Full string
	// Answer: the text is the questionnaire's (an option's label, a typed
	// answer), in its language; otherwise the page's ("(leer)", "ja").
	Answer bool
}

// Long reports whether Short is a shortened Full.
func (v historyValue) Long() bool { return v.Short != v.Full }

func historyValueOf(l i18n.Lang, qn *survey.Questionnaire, unit survey.Key, raws []string) historyValue {
	s := displayRaws(l, qn, unit, raws)
	q := qn.Question(unit.Question)
	v := historyValue{Short: s, Full: s, Answer: len(raws) > 0 && (q == nil || q.Type != survey.YesNo)}
	if utf8.RuneCountInString(s) > historyShort {
		r := []rune(s)[:historyShort]
		cut := string(r)
		if i := strings.LastIndexAny(cut, " \n\t"); i > historyShort/2 {
			cut = cut[:i]
		}
		v.Short = strings.TrimRight(cut, " ,.;:\n\t") + " …"
	}
	return v
}

// HistoryViews turns the stored saves into the page's words: question
// labels, chosen options by their labels, "(leer)" for no answer, and who
// saved (the Kommune or the staff user).
//
// Exported for package main's end-to-end tests.
func HistoryViews(l i18n.Lang, qn *survey.Questionnaire, revs []store.Revision) (views []historyView, more int) {
	if len(revs) > historyShown {
		revs, more = revs[:historyShown], len(revs)-historyShown
	}
	order := map[string]int{}
	for i, q := range qn.Questions() {
		order[q.ID] = i
	}
	for _, r := range revs {
		v := historyView{Number: r.Number, At: r.SavedAt, Who: historyWho(l, r)}
		seen := map[survey.Key]bool{}
		changed := slices.Clone(r.Changed) // in the questionnaire's order
		slices.SortStableFunc(changed, func(a, b survey.Key) int { return cmp.Compare(order[a.Question], order[b.Question]) })
		for _, k := range changed {
			unit := qn.Unit(k)
			if seen[unit] {
				continue
			}
			seen[unit] = true
			ch := historyChange{Question: keyLabel(qn, unit), Erased: r.Erased[k]}
			if !ch.Erased {
				ch.Old = historyValueOf(l, qn, unit, qn.UnitRaws(r.Before, unit))
				ch.New = historyValueOf(l, qn, unit, qn.UnitRaws(r.After, unit))
			}
			v.Changes = append(v.Changes, ch)
		}
		views = append(views, v)
	}
	return views, more
}

// historyWho names who saved: the Kommune (with the editor's name it
// gave) or the staff user.
func historyWho(l i18n.Lang, r store.Revision) string {
	switch r.ActorKind {
	case "kommune":
		if r.SavedBy == "" || strings.HasPrefix(r.SavedBy, "Kommune ") {
			return l.T("kommune.changes.by_kommune")
		}
		return l.T("kommune.changes.by_kommune_named", r.SavedBy)
	case "staff":
		return l.T("kommune.changes.by_staff", r.SavedBy)
	}
	return r.SavedBy
}

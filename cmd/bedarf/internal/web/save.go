package web

import (
	"errors"
	"strconv"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// saveRequest is one save of a response from a posted form, by the Kommune
// or by staff on its behalf.
type saveRequest struct {
	qn      *survey.Questionnaire
	resp    survey.Response
	current survey.Answers // stored answers when the request came in
	form    map[string][]string
	mode    survey.Mode
	submit  bool // mark the response submitted when the answers are valid
	actor   survey.Actor
	byStaff bool
	// unlessSubmitted: staff saving a draft; refused (closed) when the
	// Kommune submitted meanwhile.
	unlessSubmitted bool
	// roundMustAccept: a Kommune's save; the store refuses it (closed)
	// when the round stopped accepting answers meanwhile.
	roundMustAccept bool
	keep            map[string]string // form fields to carry into the page shown next (the editor's name)
	// from is what the handler read for the save (store.KommuneForm with
	// the form's revision): the store merges with it instead of reading
	// again. Nil: the store reads.
	from *store.FormState
}

// saveResult is what the page after the save shows.
type saveResult struct {
	form      map[string][]string
	res       survey.Result
	resp      survey.Response // status and revision after the save, or the current revision after a conflict
	conflicts []conflictView  // not empty: nothing was stored, the person must choose (409)
	theirs    []survey.Key    // stored values the merge took from colleagues (store.Saved.Theirs)
	submitted bool
	// closed: nothing was stored because the response was submitted
	// meanwhile (a save or submit that lost the race to a submit) or the
	// round stopped accepting answers (closed, deadline passed); the
	// page must show the typed values with a 409, as when the submit came
	// first.
	closed bool
}

// saveAnswers checks and stores a posted form. Fields in conflict with a
// colleague's save are listed for the person to decide (nothing is stored
// until they do); otherwise the changes are merged, and the form shown next
// is the stored state, so that saving it again loses nobody's change.
func (s *Server) saveAnswers(c *gin.Context, r saveRequest) (saveResult, error) {
	base, err := strconv.Atoi(first(r.form, "revision"))
	if err != nil {
		return saveResult{}, survey.NewError(survey.EInvalid, "msg.answer.no_revision")
	}
	// Conflicts the person has decided: "theirs" takes the stored value.
	var undecided []string
	for _, f := range r.form["konflikte"] {
		switch first(r.form, "konflikt."+f) {
		case "theirs":
			takeStored(r.qn, r.form, r.current, f)
		case "mine":
		default:
			undecided = append(undecided, f)
		}
	}
	out := saveResult{form: r.form, res: r.qn.Check(r.form, r.mode), resp: r.resp}
	if len(undecided) > 0 {
		for _, f := range undecided {
			out.conflicts = append(out.conflicts, conflictFromField(lang(c), r.qn, r.form, r.current, f))
		}
		return out, nil
	}
	saved, err := s.St.SaveResponse(c.Request.Context(), store.Save{ResponseID: r.resp.ID, BaseRevision: base, Answers: out.res.Answers,
		Submit: r.submit && out.res.OK(), Actor: r.actor, ByStaff: r.byStaff,
		UnlessSubmitted: r.unlessSubmitted, RoundMustAccept: r.roundMustAccept, Questionnaire: r.qn, From: r.from})
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ce):
		out.resp.Revision = ce.Revision
		out.conflicts = conflictViews(lang(c), r.qn, ce.Conflicts)
		out.form = withFields(r.qn.FormValues(ce.Merged), r.keep)
		out.res = r.qn.Check(out.form, survey.Draft)
		return out, nil
	case survey.ErrorCode(err) == survey.EClosed:
		out.closed = true
		if se := (*survey.Error)(nil); !errors.As(err, &se) || se.Text == nil || se.Text.Key != "msg.round.not_accepting" {
			out.resp.Status = survey.StatusSubmitted // the round still accepts: the response was submitted
		}
		return out, nil
	case err != nil:
		return out, err
	}
	// A submit stays a draft when colleagues' changes merged in leave the
	// answers incomplete; the page then shows what is missing.
	out.submitted = r.submit && saved.Status == survey.StatusSubmitted
	out.resp.Revision, out.resp.Status, out.resp.UpdatedAt, out.resp.UpdatedBy = saved.Revision, saved.Status, s.Now(), r.actor.Label
	out.theirs = saved.Theirs
	out.form = withFields(r.qn.FormValues(saved.Answers), r.keep)
	out.res = r.qn.Check(out.form, r.mode)
	return out, nil
}

func first(form map[string][]string, key string) string {
	if vs := form[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

func withFields(form map[string][]string, extra map[string]string) map[string][]string {
	for k, v := range extra {
		form[k] = []string{v}
	}
	return form
}

package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"bedarf/survey"
)

// Planning roles: questions of a questionnaire carry one of these in their
// "planning" field so that any questionnaire can feed the planning model.
const (
	RoleGroupPersons  = "supervision_group_persons" // integer: persons wanting group supervision
	RoleFormat        = "supervision_format"        // single choice: on site, neighbour, online, no preference
	RoleTraining      = "training_participants"     // per-item numbers: participants per module (items = modules)
	RolePeopleMunic   = "people_municipal"          // integer: refugees supported in municipal accommodation
	RolePeoplePrivate = "people_private"            // integer: refugees supported in private housing
	RolePeopleExpect  = "people_expected"           // integer: refugees expected to be supported in 12 months
	RoleFTE           = "fte_filled"                // decimal: filled social-worker FTE
)

// Modules returns the training modules: the items of the question with the
// training role, in questionnaire order.
func Modules(qn *survey.Questionnaire) []Module {
	q := qn.ByPlanning(RoleTraining)
	if q == nil {
		return nil
	}
	ms := make([]Module, len(q.Items))
	for i, it := range q.Items {
		ms[i] = Module{ID: it.Value, Label: it.Label}
	}
	return ms
}

// FormatOf maps a format choice code to the planning format: codes
// containing "online" are online, "nachbar"/"neighbo" a neighbouring
// Kommune, "vor_ort"/"onsite" on site; anything else is no preference
// (which the plan treats as on site).
func FormatOf(code string) Format {
	c := strings.ToLower(code)
	switch {
	case strings.Contains(c, "online"):
		return FormatOnline
	case strings.Contains(c, "nachbar"), strings.Contains(c, "neighbo"):
		return FormatNeighbour
	case strings.Contains(c, "vor_ort"), strings.Contains(c, "onsite"), strings.Contains(c, "on_site"):
		return FormatOnSite
	}
	return FormatNoPreference
}

// InputOf extracts one Kommune's planning input from its answers. Only
// valid answers count; a response that is not submitted still feeds the
// plan (callers choose which responses to pass). When the expected number
// is not answered, the current number is used.
func InputOf(qn *survey.Questionnaire, k survey.Kommune, a survey.Answers) KommuneInput {
	in := KommuneInput{AGS: k.AGS, Name: k.Name, Lat: k.Lat, Lon: k.Lon}
	num := func(role string) (float64, bool) {
		q := qn.ByPlanning(role)
		if q == nil {
			return 0, false
		}
		v, ok := a[survey.Key{Question: q.ID}]
		if !ok || !v.Valid() || !v.HasNum {
			return 0, false
		}
		return v.Num, true
	}
	if n, ok := num(RoleGroupPersons); ok && n > 0 {
		in.GroupPersons = int(math.Round(n))
	}
	if q := qn.ByPlanning(RoleFormat); q != nil {
		if v, ok := a[survey.Key{Question: q.ID}]; ok && v.Valid() {
			in.Format = FormatOf(v.Text)
		}
	}
	if q := qn.ByPlanning(RoleTraining); q != nil {
		for _, it := range q.Items {
			if v, ok := a[survey.Key{Question: q.ID, Item: it.Value}]; ok && v.Valid() && v.HasNum && v.Num > 0 {
				if in.Training == nil {
					in.Training = map[string]int{}
				}
				in.Training[it.Value] = int(math.Round(v.Num))
			}
		}
	}
	munic, _ := num(RolePeopleMunic)
	private, _ := num(RolePeoplePrivate)
	in.PeopleSupported = munic + private
	in.PeopleExpected = in.PeopleSupported
	if n, ok := num(RolePeopleExpect); ok {
		in.PeopleExpected = n
	}
	in.FTE, _ = num(RoleFTE)
	return in
}

// PlanningQuestionIDs returns the ids of the questions that carry a
// planning role, the only answers the plan reads.
func PlanningQuestionIDs(qn *survey.Questionnaire) []string {
	var ids []string
	for _, q := range qn.Questions() {
		if q.Planning != "" {
			ids = append(ids, q.ID)
		}
	}
	return ids
}

// CollectInputs gathers the planning inputs of a round: each calls its
// callback for every Kommune whose answers feed the plan (the submitted
// ones). The inputs serve any number of Compute calls (scenarios).
func CollectInputs(qn *survey.Questionnaire, each func(fn func(survey.Kommune, survey.Answers) error) error) ([]KommuneInput, error) {
	var in []KommuneInput
	err := each(func(k survey.Kommune, a survey.Answers) error {
		in = append(in, InputOf(qn, k, a))
		return nil
	})
	return in, err
}

// MarshalParams encodes parameters for storage.
func MarshalParams(p Params) []byte {
	b, err := json.Marshal(p)
	if err != nil {
		panic(fmt.Sprintf("marshal params: %v", err)) // plain struct of numbers: cannot fail
	}
	return b
}

// UnmarshalParams decodes stored parameters; fields missing in the JSON
// (added in a later version) keep their defaults.
func UnmarshalParams(b []byte) (Params, error) {
	p := DefaultParams()
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("planning parameters: %w", err)
	}
	return p, nil
}

package survey

import "time"

// This file holds the release of a round's results to the Kommunen
// (issue 22): staff decide when each Kommune may see its own figures
// against the region on its personal link, and how large a group of
// Kommunen must be before an aggregate of the others is shown.

// ResultRelease is the release of a round's results: while it exists, each
// invited Kommune sees its results on its link.
type ResultRelease struct {
	RoundID int64
	// MinGroup is the least number of Kommunen an aggregate of others is
	// made of; below it the comparison is left out with a note.
	MinGroup int
	// ShowGroupMembers shows the names of the other Kommunen in a
	// Kommune's planned supervision group.
	ShowGroupMembers bool
	At               time.Time
	By               string // who released, as the audit log names them
}

// Bounds of ResultRelease.MinGroup. Below three, a Kommune that knows its
// own value and an aggregate over itself and one other can work out the
// other's value.
const (
	// DefaultMinGroup is the minimum group size a release form proposes.
	DefaultMinGroup = 5
	MinGroupLowest  = 3
	MinGroupHighest = 100
)

// CheckMinGroup returns a keyed error when n is outside the bounds of the
// minimum group size.
func CheckMinGroup(n int) error {
	if n < MinGroupLowest || n > MinGroupHighest {
		return NewError(EInvalid, "msg.release.min_group", MinGroupLowest, MinGroupHighest)
	}
	return nil
}

// releaseTexts are the German texts of the release's messages.
var releaseTexts = map[string]string{
	"msg.release.min_group":    "Die Mindestgruppengröße muss eine ganze Zahl von %d bis %d sein.",
	"msg.release.planned":      "Die Runde ist noch geplant: Ohne Antworten gibt es keine Ergebnisse freizugeben.",
	"msg.release.not_released": "Die Ergebnisse dieser Runde sind nicht freigegeben.",
}

package survey

import "time"

// Scenario is a named set of planning parameters of a round. The store
// keeps the parameters as JSON and leaves their meaning to the analysis.
type Scenario struct {
	ID        int64
	RoundID   int64
	Name      string
	Params    []byte // JSON
	Decisive  bool   // maßgeblich: drives key figures and the workbook
	UpdatedAt time.Time
}

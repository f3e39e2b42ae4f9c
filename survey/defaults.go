package survey

import (
	"embed"
	"fmt"
)

//go:embed defaults/fragebogen.yaml defaults/kommunen-region-hannover.csv
var defaults embed.FS

// DefaultQuestionnaireYAML returns the source of the default questionnaire,
// "Bedarfsabfrage Supervision und Qualifizierung in der
// Flüchtlingssozialarbeit".
func DefaultQuestionnaireYAML() []byte {
	b, err := defaults.ReadFile("defaults/fragebogen.yaml")
	if err != nil {
		panic(fmt.Sprintf("embedded default questionnaire missing: %v", err))
	}
	return b
}

// DefaultKommunenCSV returns the 21 Kommunen of Region Hannover (AGS, name,
// kind, centre, population), the demo data.
func DefaultKommunenCSV() []byte {
	b, err := defaults.ReadFile("defaults/kommunen-region-hannover.csv")
	if err != nil {
		panic(fmt.Sprintf("embedded Kommunen missing: %v", err))
	}
	return b
}

package survey

// Limits of what people bring: one size limit per kind of file, the same
// for the command line, the web pages and the documentation (which a test
// keeps in step: docs/betrieb.md, "Grenzen für Dateien"), and limits of a
// questionnaire that no realistic form comes near but that keep a form
// page a page. The web allows a request body a little more than the file
// (multipart headers), the file itself exactly this much.
const (
	// MaxQuestionnaireBytes bounds a questionnaire file, YAML or XLSForm.
	MaxQuestionnaireBytes = 10 << 20
	// MaxKommunenBytes bounds a Kommunen CSV. MaxKommunenRows bounds its
	// rows first: 20,000 rows of the reference file's columns take about
	// 1.5 MB.
	MaxKommunenBytes = 10 << 20
	// MaxBoundariesBytes bounds a GeoJSON file of boundaries: BKG's VG250
	// areas of a Landkreis's Gemeinden take about 16 MB.
	MaxBoundariesBytes = 32 << 20
	// MaxContactsBytes bounds a contacts CSV: a nation-wide list, every
	// Gemeinde with a few addresses, takes about 3 MB.
	MaxContactsBytes = 10 << 20

	// MaxKommunenRows bounds the Kommunen of one file, well above
	// Germany's about 10,800 Gemeinden and their associations.
	MaxKommunenRows = 20000

	// MaxQuestions bounds the questions of a questionnaire (the reference
	// questionnaire has 29; a long one a few hundred).
	MaxQuestions = 1000
	// MaxFormBytes bounds the form page of a questionnaire, as FormBytes
	// estimates it from above (the reference questionnaire: 80 kB for a page
	// of 36 kB).
	MaxFormBytes = 4 << 20
)

// MaxUploadBytes is the largest of the file limits: what a reverse proxy
// in front of bedarf must let through.
const MaxUploadBytes = max(MaxQuestionnaireBytes, MaxKommunenBytes, MaxBoundariesBytes, MaxContactsBytes)

// MaxXLSFormBytes is MaxQuestionnaireBytes, under its older name.
const MaxXLSFormBytes = MaxQuestionnaireBytes

// Upper estimates of the markup the form page writes around the texts of
// a questionnaire (cmd/bedarf's form template): per question (heading,
// hint, error slot, fieldset) and per field (an input with its label, a
// choice in a radio group or a matrix cell).
const (
	formBytesPerQuestion = 800
	formBytesPerField    = 260
	formBytesBase        = 15000 // layout, navigation, buttons
)

// FormBytes estimates from above how many bytes the questionnaire's form
// page takes: its texts (labels, hints, units, messages, choices and items
// as often as the page shows them) and the markup around each question and
// field. A test in cmd/bedarf checks that the rendered page stays below it.
func (q *Questionnaire) FormBytes() int {
	n := formBytesBase + len(q.Title) + len(q.Intro)
	for _, s := range q.Sections {
		n += len(s.Title) + len(s.Description) + formBytesPerQuestion
	}
	for _, qq := range q.questions {
		n += formBytesPerQuestion + 2*len(qq.ID) + len(qq.Label) + len(qq.Help) + len(qq.Unit) + len(qq.ConstraintMessage)
		choices := 0
		for _, c := range qq.Choices {
			choices += len(c.Label) + len(c.Value)
		}
		items := 0
		for _, c := range qq.Items {
			items += len(c.Label) + len(c.Value)
		}
		switch qq.Type {
		case Matrix:
			// every row repeats the scale: a radio button per level
			n += items + len(qq.Items)*(choices+len(qq.Choices)*(formBytesPerField+len(qq.ID)))
		case ItemNumbers:
			n += items + len(qq.Items)*(formBytesPerField+len(qq.ID))
		default:
			n += choices + max(1, len(qq.Choices))*(formBytesPerField+len(qq.ID))
		}
	}
	return n
}

// TooBig is the refusal of the file name for being larger than limit
// bytes.
func TooBig(name string, limit int) *Message {
	return NewMessage("upload.too_big", name, limit>>20)
}

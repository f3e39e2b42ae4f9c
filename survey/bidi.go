package survey

import "strings"

// Unicode direction controls. Embeddings and overrides (U+202A–U+202E)
// change the direction of the text after them up to a PDF or the end of the
// paragraph, so a name like "\u202Eevil" shows as "live" and reverses what
// a page, a log line or a spreadsheet cell puts after it. Isolates
// (U+2066–U+2069) are harmless when each initiator has its PDI, but an
// unclosed one swallows what follows and a stray PDI closes an isolate that
// is not the value's own.
const (
	lre, rle, pdf, lro, rlo = '\u202a', '\u202b', '\u202c', '\u202d', '\u202e'
	lri, rli, fsi, pdi      = '\u2066', '\u2067', '\u2068', '\u2069'
	bidiControls            = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

// SafeText returns s with the direction controls that could reorder text
// around it neutralised, for one value written where staff read it (a
// workbook cell, a CSV field, a mail, a chart label, a log line): every
// embedding, override and PDF is removed, and isolates are kept in
// balanced pairs only. Right-to-left letters and the marks LRM, RLM and
// ALM stay, so Arabic or Hebrew text reads as typed. Pages isolate values
// with <bdi> or dir="auto" instead and show them unchanged.
func SafeText(s string) string {
	if !strings.ContainsAny(s, bidiControls) {
		return s
	}
	rs := []rune(s)
	drop := make([]bool, len(rs))
	var open []int // positions of isolate initiators not yet closed
	for i, r := range rs {
		switch r {
		case lre, rle, pdf, lro, rlo:
			drop[i] = true
		case lri, rli, fsi:
			open = append(open, i)
		case pdi:
			if len(open) == 0 {
				drop[i] = true
			} else {
				open = open[:len(open)-1]
			}
		}
	}
	for _, i := range open {
		drop[i] = true
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		if !drop[i] {
			b.WriteRune(r)
		}
	}
	return b.String()
}

package i18n

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Some messages of the domain packages are still German sentences
// (validation messages of answers and plan parameters, mail texts, import
// problems; survey.Error and upload diagnostics are keyed, see
// survey.Message).
// They stay free of locales: the same sentences go to the German workbook,
// the command line and the logs. The pages translate them here, at the
// edge, by matching each sentence against the German text of the
// catalogue's "domain." entries, where a fmt verb matches any text and the
// matched pieces become the English message's arguments (themselves
// translated when they are a domain word such as a status or a domain
// sentence, unless they are quoted data such as an id). A sentence that
// matches nothing is shown as it is: questionnaire texts such as a
// constraint message belong to the questionnaire and keep its language.
//
// Domain entries use only %s (or %[n]s) as verbs, so that any matched text
// fits; the tests check that, and that every sentence the domain packages
// can produce is matched.

const domainPrefix = "domain."

// maxDomainDepth bounds how deep pieces of pieces are translated: import
// diagnostics nest a few levels ("YAML nicht lesbar: Zeile 3: …", "Zeile 4:
// A; B"), and nothing deeper is needed.
const maxDomainDepth = 4

type domainPattern struct {
	key     string
	re      *regexp.Regexp
	literal int // characters of fixed text: longer patterns are tried first
	// args maps each group of re, in the German text's order, to the index
	// of the argument it is in the English text (%[n]s counts as n).
	args []int
	// data marks the groups between quotes or in ${…}: data of the file or
	// the user (an id, a label, a code), never translated.
	data []bool
}

// domainTable is the compiled form of the catalogue's domain entries.
type domainTable struct {
	exact    map[string]string // German sentence without verbs → key
	patterns []domainPattern   // the others, longest fixed text first
}

var domain = sync.OnceValue(func() *domainTable { return compileDomain(entries) })

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// dataQuotes pairs the opening and closing marks around inserted data.
var dataQuotes = map[string]string{`"`: `"`, "„": "“", "“": "”", "'": "'", "${": "}"}

// quotedAt reports whether the verb at german[start:end] stands between a
// pair of dataQuotes.
func quotedAt(german string, start, end int) bool {
	for open, closing := range dataQuotes {
		if strings.HasSuffix(german[:start], open) && strings.HasPrefix(german[end:], closing) {
			return true
		}
	}
	return false
}

// compileDomain compiles the domain entries of a catalogue.
func compileDomain(entries map[string]entry) *domainTable {
	d := &domainTable{exact: map[string]string{}}
	for key, e := range entries {
		if !strings.HasPrefix(key, domainPrefix) {
			continue
		}
		german := e.de
		locs := verbRE.FindAllStringSubmatchIndex(german, -1)
		var b strings.Builder
		b.WriteString("^")
		last, lit, next := 0, 0, 0
		p := domainPattern{key: key}
		for _, l := range locs {
			b.WriteString(regexp.QuoteMeta(german[last:l[0]]))
			lit += l[0] - last
			last = l[1]
			if german[l[0]:l[1]] == "%%" {
				b.WriteString("%")
				lit++
				continue
			}
			arg := next
			if l[2] >= 0 {
				n, _ := strconv.Atoi(german[l[2]+1 : l[3]-1])
				arg = n - 1
			}
			next = arg + 1
			quoted := quotedAt(german, l[0], l[1])
			if quoted {
				b.WriteString(`(.*?)`) // quoted data may be empty: ""
			} else {
				b.WriteString(`(.+?)`)
			}
			p.args = append(p.args, arg)
			p.data = append(p.data, quoted)
		}
		b.WriteString(regexp.QuoteMeta(german[last:]))
		lit += len(german) - last
		b.WriteString("$")
		if len(p.args) == 0 {
			d.exact[strings.ReplaceAll(german, "%%", "%")] = key
			continue
		}
		p.re, p.literal = regexp.MustCompile(b.String()), lit
		d.patterns = append(d.patterns, p)
	}
	slices.SortFunc(d.patterns, func(a, b domainPattern) int {
		return cmp.Or(cmp.Compare(b.literal, a.literal), cmp.Compare(a.key, b.key))
	})
	return d
}

// match finds the entry for msg: its key, the matched pieces in argument
// order, and which of them are data.
func (d *domainTable) match(msg string) (key string, args []string, data []bool, ok bool) {
	if k, ok := d.exact[msg]; ok {
		return k, nil, nil, true
	}
	for _, p := range d.patterns {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		n := slices.Max(p.args) + 1
		args, data = make([]string, n), make([]bool, n)
		for i, a := range p.args {
			args[a], data[a] = m[i+1], p.data[i]
		}
		return p.key, args, data, true
	}
	return "", nil, nil, false
}

// DomainKey returns the catalogue key and the arguments that produce the
// German domain sentence msg; ok is false when no entry matches.
func DomainKey(msg string) (key string, args []string, ok bool) {
	key, args, _, ok = domain().match(msg)
	return key, args, ok
}

// Domain translates a German sentence of a domain package into the locale,
// line by line; German, and what no entry matches, stays as it is.
//
// Pieces an entry inserts are translated in turn when they are domain
// sentences or words themselves ("YAML nicht lesbar: Zeile 3: unbekannter
// Schlüssel …"), except data in quotes or ${…}; a list of sentences joined
// by "; " (the problems of one line of an import file) is translated part
// by part when every part is a domain sentence.
func (l Lang) Domain(msg string) string {
	if l == DE || msg == "" {
		return msg
	}
	lines := strings.Split(msg, "\n")
	for i, line := range lines {
		lines[i], _ = l.domainText(line, 0)
	}
	return strings.Join(lines, "\n")
}

// domainText translates s and reports whether an entry matched it.
func (l Lang) domainText(s string, depth int) (string, bool) {
	if depth > maxDomainDepth {
		return s, false
	}
	if parts := strings.Split(s, "; "); len(parts) > 1 {
		for i, p := range parts {
			t, ok := l.domainText(p, depth+1)
			if !ok {
				break
			}
			parts[i] = t
			if i == len(parts)-1 {
				return strings.Join(parts, "; "), true
			}
		}
	}
	key, args, data, ok := domain().match(s)
	if !ok {
		return s, false
	}
	if len(args) == 0 {
		return l.T(key), true
	}
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a
		if !data[i] {
			vals[i], _ = l.domainText(a, depth+1)
		}
	}
	return l.T(key, vals...), true
}

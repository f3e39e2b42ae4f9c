package i18n

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// The domain packages return German sentences (survey.Error messages,
// validation messages of answers and plan parameters, import problems).
// They stay free of locales: the same sentences go to the German workbook,
// the command line and the logs. The pages translate them here, at the
// edge, by matching each sentence against the German text of the
// catalogue's "domain." entries, where a fmt verb matches any text and the
// matched pieces become the English message's arguments (themselves
// translated when they are a domain word such as a status). A sentence that
// matches nothing is shown as it is: questionnaire texts such as a
// constraint message belong to the questionnaire and keep its language.
//
// Domain entries use only %s (or %[n]s) as verbs, so that any matched text
// fits; the tests check that, and that every sentence the domain packages
// can produce is matched.

const domainPrefix = "domain."

type domainPattern struct {
	key     string
	re      *regexp.Regexp
	literal int // characters of fixed text: longer patterns are tried first
}

var (
	domainOnce     sync.Once
	domainExact    map[string]string // German sentence without verbs → key
	domainPatterns []domainPattern
)

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

func compileDomain() {
	domainExact = map[string]string{}
	for key, e := range entries {
		if !strings.HasPrefix(key, domainPrefix) {
			continue
		}
		german := e.de
		locs := verbRE.FindAllStringIndex(german, -1)
		var b strings.Builder
		b.WriteString("^")
		last, lit, verbs := 0, 0, 0
		for _, l := range locs {
			b.WriteString(regexp.QuoteMeta(german[last:l[0]]))
			lit += l[0] - last
			if german[l[0]:l[1]] == "%%" {
				b.WriteString("%")
				lit++
			} else {
				b.WriteString(`(.+?)`)
				verbs++
			}
			last = l[1]
		}
		b.WriteString(regexp.QuoteMeta(german[last:]))
		lit += len(german) - last
		b.WriteString("$")
		if verbs == 0 {
			domainExact[strings.ReplaceAll(german, "%%", "%")] = key
			continue
		}
		domainPatterns = append(domainPatterns, domainPattern{key: key, re: regexp.MustCompile(b.String()), literal: lit})
	}
	slices.SortFunc(domainPatterns, func(a, b domainPattern) int {
		return cmp.Or(cmp.Compare(b.literal, a.literal), cmp.Compare(a.key, b.key))
	})
}

// DomainKey returns the catalogue key and the arguments that produce the
// German domain sentence msg; ok is false when no entry matches.
func DomainKey(msg string) (key string, args []string, ok bool) {
	domainOnce.Do(compileDomain)
	if k, ok := domainExact[msg]; ok {
		return k, nil, true
	}
	for _, p := range domainPatterns {
		if m := p.re.FindStringSubmatch(msg); m != nil {
			return p.key, m[1:], true
		}
	}
	return "", nil, false
}

// Domain translates a German sentence of a domain package into the locale,
// line by line; German, and what no entry matches, stays as it is.
func (l Lang) Domain(msg string) string {
	if l == DE || msg == "" {
		return msg
	}
	lines := strings.Split(msg, "\n")
	for i, line := range lines {
		lines[i] = l.domainLine(line)
	}
	return strings.Join(lines, "\n")
}

func (l Lang) domainLine(line string) string {
	key, args, ok := DomainKey(line)
	if !ok {
		return line
	}
	if len(args) == 0 {
		return l.T(key)
	}
	vals := make([]any, len(args))
	for i, a := range args {
		// A piece that is itself a domain word or sentence (a status, a
		// label) is translated too.
		if k, _, ok := DomainKey(a); ok && k != key {
			vals[i] = l.domainLine(a)
		} else {
			vals[i] = a
		}
	}
	return l.T(key, vals...)
}

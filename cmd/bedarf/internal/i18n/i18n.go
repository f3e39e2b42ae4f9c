// Package i18n is the message catalogue of the web pages: every text the
// pages show, in German (the default) and English, keyed by a message id.
//
// The catalogue is a Go map from message id to the message in each locale,
// split over files by area (catalog_*.go), each German text beside its
// English one so that a translator reads them together. Messages take fmt
// verbs for arguments ("%s", "%d", or "%[2]s" where English orders them
// differently). Plurals are two keys, KEY.one and KEY.other, picked by N.
// Tests keep the catalogue whole: every key has a non-empty text in both
// locales with the same verbs, no key is defined twice, and every key the
// templates and the Go code use exists.
//
// The domain packages (survey, survey/store, analysis) speak German: their
// messages go to the German workbook, the command line and the logs as well.
// Keyed messages (survey.Message: upload diagnostics under "upload.", domain
// errors under "msg.") carry a key and arguments; the domain keeps their
// German text and the catalogue holds the same keys in both locales, so the
// pages write them by key. A sentence nested in a keyed message that is not
// itself keyed is data (a questionnaire's own text) and keeps its language.
//
// Numbers are shown the German way in both locales ("1.234,5"): the figures
// are a German authority's data, and the form reads numbers the German way.
package i18n

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Lang is a locale of the pages.
type Lang string

// The locales: German is the default and the fallback.
const (
	DE Lang = "de"
	EN Lang = "en"
)

// Langs lists the locales, the default first.
var Langs = []Lang{DE, EN}

// entry is one message in every locale.
type entry struct{ de, en string }

// entries is the catalogue; the catalog_*.go files fill it with add.
var entries = map[string]entry{}

// add puts one file's messages into the catalogue; a key defined twice
// stops the program at start (and every test).
func add(m map[string]entry) struct{} {
	for k, e := range m {
		if _, dup := entries[k]; dup {
			panic("i18n: message " + k + " is defined twice")
		}
		entries[k] = e
	}
	return struct{}{}
}

func (e entry) in(l Lang) string {
	if l == EN {
		return e.en
	}
	return e.de
}

// Parse returns the locale of a code such as "de" or "en" (the cookie's and
// the switch's value); ok is false for anything else.
func Parse(code string) (Lang, bool) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(code))); l {
	case DE, EN:
		return l, true
	}
	return DE, false
}

var matcher = language.NewMatcher([]language.Tag{language.German, language.English})

// Negotiate picks the locale from an Accept-Language header: the first
// language the browser prefers (by q-value) that the catalogue has; German
// when the header is empty, broken or names neither.
func Negotiate(acceptLanguage string) Lang {
	if strings.TrimSpace(acceptLanguage) == "" {
		return DE
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return DE
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return DE
	}
	return Langs[i]
}

// Code returns the BCP 47 code, for <html lang> and Content-Language.
func (l Lang) Code() string { return string(l) }

// T returns the message key in the locale, formatted with args. A key
// missing in the locale falls back to German, a key missing everywhere
// shows as itself (the tests see to it that neither happens).
func (l Lang) T(key string, args ...any) string {
	e, ok := entries[key]
	if !ok {
		return key
	}
	msg := e.in(l)
	if msg == "" {
		msg = e.de
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// N returns the plural message KEY.one (n = 1) or KEY.other, formatted with
// n and then args.
func (l Lang) N(key string, n int, args ...any) string {
	form := ".other"
	if n == 1 {
		form = ".one"
	}
	return l.T(key+form, append([]any{n}, args...)...)
}

// HTML returns a message that carries simple markup (<strong>, <em>) as
// HTML: only keys with an "html" segment ("dash.days_remain.html.one")
// may hold markup (the tests allow no other), and the arguments are
// escaped. Every other message is text, escaped by the templates.
func (l Lang) HTML(key string, args ...any) template.HTML {
	if !IsHTMLKey(key) {
		return template.HTML(html.EscapeString(l.T(key, args...)))
	}
	esc := make([]any, len(args))
	for i, a := range args {
		switch a.(type) {
		case int, int64, float64:
			esc[i] = a
		default:
			esc[i] = html.EscapeString(fmt.Sprint(a))
		}
	}
	return template.HTML(l.T(key, esc...)) // the catalogue is code; the arguments are escaped
}

// NHTML is N for a message with markup (see HTML).
func (l Lang) NHTML(key string, n int, args ...any) template.HTML {
	form := ".other"
	if n == 1 {
		form = ".one"
	}
	return l.HTML(key+form, append([]any{n}, args...)...)
}

// IsHTMLKey reports whether the message key may carry markup.
func IsHTMLKey(key string) bool {
	for _, seg := range strings.Split(key, ".") {
		if seg == "html" {
			return true
		}
	}
	return false
}

// Has reports whether the catalogue has key.
func Has(key string) bool {
	_, ok := entries[key]
	return ok
}

// Keys returns every key of the catalogue, sorted.
func Keys() []string {
	out := make([]string, 0, len(entries))
	for k := range entries {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Raw returns the unformatted message of key in the locale.
func Raw(l Lang, key string) (string, bool) {
	e, ok := entries[key]
	return e.in(l), ok
}

// Date writes a day: "24.12.2026" in German, "24 Dec 2026" in English;
// "–" for the zero time. The time is taken as it is (callers pass days
// in Europe/Berlin).
func (l Lang) Date(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	if l == EN {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02.01.2006")
}

// DateTime writes a moment in the given zone: "24.12.2026, 09:30 Uhr" in
// German, "24 Dec 2026, 09:30" in English; "–" for the zero time.
func (l Lang) DateTime(t time.Time, zone *time.Location) string {
	if t.IsZero() {
		return "–"
	}
	t = t.In(zone)
	if l == EN {
		return t.Format("2 Jan 2006, 15:04")
	}
	return t.Format("02.01.2006, 15:04") + " Uhr"
}

// Clock writes a time of day: "09:30 Uhr" or "09:30".
func (l Lang) Clock(t time.Time, zone *time.Location) string {
	if l == EN {
		return t.In(zone).Format("15:04")
	}
	return t.In(zone).Format("15:04") + " Uhr"
}

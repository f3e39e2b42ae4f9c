package i18n

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/analysis"
	"bedarf/survey"
)

var tagRE = regexp.MustCompile(`<[^<>]*>`)

// verbs returns the fmt verbs of a message in argument order, with their
// explicit indexes resolved ("%[2]s" counts as argument 2).
func verbs(msg string) []string {
	var out []string
	next := 1
	for _, m := range verbRE.FindAllStringSubmatch(msg, -1) {
		v := m[0]
		if v == "%%" {
			continue
		}
		arg := next
		if m[1] != "" {
			arg, _ = strconv.Atoi(strings.Trim(m[1], "[]"))
		}
		next = arg + 1
		letter := v[len(v)-1:]
		out = append(out, strconv.Itoa(arg)+letter)
	}
	slices.Sort(out)
	return out
}

// TestCatalogueComplete: every key has a text in both locales, with the
// same verbs for the same arguments; plurals come in pairs; domain
// entries use %s only and have fixed text to match.
func TestCatalogueComplete(t *testing.T) {
	if len(entries) < 100 {
		t.Fatalf("catalogue has only %d entries", len(entries))
	}
	for _, k := range Keys() {
		e := entries[k]
		if strings.TrimSpace(e.de) == "" || strings.TrimSpace(e.en) == "" {
			t.Errorf("%s: empty text (de %q, en %q)", k, e.de, e.en)
			continue
		}
		if IsHTMLKey(k) {
			for _, tag := range tagRE.FindAllString(e.de+e.en, -1) {
				if !slices.Contains([]string{"<strong>", "</strong>", "<em>", "</em>"}, tag) {
					t.Errorf("%s: markup %s (only <strong> and <em>)", k, tag)
				}
			}
			if strings.Count(e.de+e.en, "<") != len(tagRE.FindAllString(e.de+e.en, -1)) {
				t.Errorf("%s: a stray <", k)
			}
		} else if strings.ContainsAny(e.de+e.en, "<>") {
			t.Errorf("%s: markup in a text message (escaped by the pages; use a key with an html segment and th/thn)", k)
		}
		if dv, ev := verbs(e.de), verbs(e.en); !slices.Equal(dv, ev) {
			t.Errorf("%s: verbs differ: de %v, en %v", k, dv, ev)
		}
		if base, ok := strings.CutSuffix(k, ".one"); ok && !Has(base+".other") {
			t.Errorf("%s without %s.other", k, base)
		}
		if base, ok := strings.CutSuffix(k, ".other"); ok && !Has(base+".one") {
			t.Errorf("%s without %s.one", k, base)
		}
		if strings.HasPrefix(k, domainPrefix) {
			for _, v := range append(verbs(e.de), verbs(e.en)...) {
				if !strings.HasSuffix(v, "s") {
					t.Errorf("%s: domain entries take %%s only, found %s", k, v)
				}
			}
			if strings.TrimSpace(verbRE.ReplaceAllString(e.de, "")) == "" {
				t.Errorf("%s: a domain entry needs fixed text to match", k)
			}
		}
	}
	// A key may not end in a bare plural form.
	for _, k := range Keys() {
		if strings.HasSuffix(k, ".") || strings.Contains(k, " ") {
			t.Errorf("malformed key %q", k)
		}
	}
}

func TestTranslate(t *testing.T) {
	if got := DE.T("form.meta.deadline"); got != "Frist" {
		t.Errorf("DE: %q", got)
	}
	if got := EN.T("form.meta.deadline"); got != "Deadline" {
		t.Errorf("EN: %q", got)
	}
	if got := EN.N("form.days_left", 1); got != "(1 day left)" {
		t.Errorf("EN one: %q", got)
	}
	if got := DE.N("form.days_left", 3); got != "(noch 3 Tage)" {
		t.Errorf("DE other: %q", got)
	}
	if got := EN.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
	day := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)
	if DE.Date(day) != "24.12.2026" || EN.Date(day) != "24 Dec 2026" || EN.Date(time.Time{}) != "–" {
		t.Errorf("dates: %q %q", DE.Date(day), EN.Date(day))
	}
	at := time.Date(2026, 3, 1, 8, 5, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if got := DE.DateTime(at, berlin); got != "01.03.2026, 09:05 Uhr" {
		t.Errorf("DE datetime %q", got)
	}
	if got := EN.DateTime(at, berlin); got != "1 Mar 2026, 09:05" {
		t.Errorf("EN datetime %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	for header, want := range map[string]Lang{
		"":                           DE,
		"de-DE,de;q=0.9":             DE,
		"en-US,en;q=0.9":             EN,
		"en":                         EN,
		"en-GB":                      EN,
		"de-AT":                      DE,
		"fr-FR,fr;q=0.9":             DE, // neither: the default
		"fr-FR,en;q=0.5":             EN, // the first one we have
		"de;q=0.5, en;q=0.8":         EN, // q-values, not order
		"en;q=0.3, de;q=0.7":         DE,
		"en-US;q=0, de":              DE, // q=0: not acceptable
		"*":                          DE,
		"this is not a header;;;q=x": DE,
	} {
		if got := Negotiate(header); got != want {
			t.Errorf("Accept-Language %q: %s, want %s", header, got, want)
		}
	}
	for code, want := range map[string]Lang{"de": DE, "en": EN, "EN": EN, " en ": EN} {
		if got, ok := Parse(code); !ok || got != want {
			t.Errorf("Parse(%q) = %s, %v", code, got, ok)
		}
	}
	for _, code := range []string{"", "fr", "en-US", "<script>"} {
		if _, ok := Parse(code); ok {
			t.Errorf("Parse(%q) accepted", code)
		}
	}
}

// TestDomainTranslation: every message of the domain is keyed (survey.Message);
// no catalogue entry is left for the translation by pattern (domain.go),
// which leaves every sentence as it is: questionnaire texts, which are
// data, and German that a keyed message would have said in English.
func TestDomainTranslation(t *testing.T) {
	for _, k := range Keys() {
		if strings.HasPrefix(k, domainPrefix) {
			t.Errorf("%s: a domain sentence translated by pattern; make it a keyed message (survey.NewMessage)", k)
		}
	}
	for _, s := range []string{
		"Die Zahl der letzten fünf Jahre kann nicht größer sein als die seit 2015.",
		"",
		"Hinweis ohne Antwort\nFragetyp geändert (Ganzzahl → Dezimalzahl)",
	} {
		if got := EN.Domain(s); got != s {
			t.Errorf("EN.Domain(%q) = %q", s, got)
		}
		if got := DE.Domain(s); got != s {
			t.Errorf("DE.Domain changed %q to %q", s, got)
		}
	}
}

// english writes a keyed message of the domain in English, as the pages do.
func english(m *survey.Message) string {
	return m.In(func(key string) string { f, _ := Raw(EN, key); return f }, EN.Domain)
}

// TestPlanParameterMessages: every message of analysis.Params.Validate is
// keyed and translated, the English one keeps no German word, and the
// German one is the sentence the workbook and the command line show.
func TestPlanParameterMessages(t *testing.T) {
	var bad []analysis.Params
	base := analysis.DefaultParams()
	for _, f := range []func(*analysis.Params){
		func(p *analysis.Params) { p.GroupMin = 1 },
		func(p *analysis.Params) { p.GroupMax = 99 },
		func(p *analysis.Params) { p.GroupMin, p.GroupMax = 8, 5 },
		func(p *analysis.Params) { p.SessionsPerYear = 0 },
		func(p *analysis.Params) { p.TrainingMaxPerDay = 0 },
		func(p *analysis.Params) {
			p.HoursPerSession, p.FeePerHour, p.TravelPerSession, p.RadiusKm = 99, -1, -1, 0
			p.VATPercent, p.TrainingDayCost, p.TargetCaseload, p.CostPerFTE = 101, -1, 0, -1
		},
		func(p *analysis.Params) {
			nan := math.NaN()
			p.HoursPerSession, p.FeePerHour, p.TravelPerSession, p.RadiusKm = nan, nan, nan, nan
			p.VATPercent, p.TrainingDayCost, p.TargetCaseload, p.CostPerFTE = nan, nan, nan, nan
		},
	} {
		p := base
		f(&p)
		bad = append(bad, p)
	}
	n := 0
	german := regexp.MustCompile(`\b(muss|müssen|zwischen|liegen|Stunden|Personen|Die|Der|Das|ist|sind|keine|Zahl)\b`)
	keys := map[string]bool{}
	for _, p := range bad {
		for _, e := range p.Validate() {
			n++
			if e.Text == nil {
				t.Errorf("%s: %q has no key", e.Field, e.Message)
				continue
			}
			keys[e.Text.Key] = true
			en := english(e.Text)
			if en == e.Message || german.MatchString(en) || strings.Contains(en, "%!") {
				t.Errorf("%s: %q → %q", e.Field, e.Message, en)
			}
			if de := e.Text.In(func(key string) string { f, _ := Raw(DE, key); return f }, DE.Domain); de != e.Message {
				t.Errorf("%s: German page %q, domain %q", e.Field, de, e.Message)
			}
		}
	}
	// Each form of the sentences of decimal numbers occurs.
	for _, k := range []string{"msg.plan.between", "msg.plan.between_pl", "msg.plan.above", "msg.plan.not_number", "msg.plan.not_number_pl", "msg.plan.group_order"} {
		if !keys[k] {
			t.Errorf("no message with the key %s", k)
		}
	}
	// The sentences that insert the value as typed keep the page's wording.
	for _, tt := range []struct {
		change func(*analysis.Params)
		en     string
	}{
		{func(p *analysis.Params) { p.HoursPerSession = 0.25 }, "The length of a session must be between 0,5 and 8 hours."},
		{func(p *analysis.Params) { p.RadiusKm = 0 }, "The radius for pooling must be greater than 0 and at most 500 km."},
		{func(p *analysis.Params) { p.CostPerFTE = math.NaN() }, "The costs per full-time position are not a valid number."},
		{func(p *analysis.Params) { p.VATPercent = 101 }, "The VAT must be between 0 and 100 %."},
		{func(p *analysis.Params) { p.GroupMin, p.GroupMax = 8, 5 }, "The maximum size of a group (5) must not be smaller than the minimum size (8)."},
	} {
		p := base
		tt.change(&p)
		if errs := p.Validate(); len(errs) != 1 || english(errs[0].Text) != tt.en {
			t.Errorf("%v: want %q", errs, tt.en)
		}
	}
	if n < 20 {
		t.Errorf("only %d messages checked", n)
	}
}

// TestMailMessages: the sentences of survey's mail checks (texts, contact
// addresses, the contacts CSV) are translated, pieces and all.
func TestMailMessages(t *testing.T) {
	var msgs []string
	var keyed []*survey.Message
	for _, kind := range []survey.MailKind{survey.MailInvitation, survey.MailReminder} {
		keyed = append(keyed, survey.MailText{Subject: "", Body: "Hallo {{Name}}\n{{Kommune"}.Problems(kind)...)
		keyed = append(keyed, survey.MailText{Subject: "{{Link}} " + strings.Repeat("x", survey.MaxMailSubject), Body: strings.Repeat("y", survey.MaxMailBody+1)}.Problems(kind)...)
		keyed = append(keyed, survey.MailText{Subject: "a\xff", Body: "b"}.Problems(kind)...)
	}
	for _, e := range []string{"", strings.Repeat("a", 300) + "@x.de", "a@b.de, c@d.de", "kein-at", "a@b"} {
		_, m := survey.CheckEmail(e)
		keyed = append(keyed, m)
	}
	_, m := survey.CheckContactName(strings.Repeat("n", 300))
	keyed = append(keyed, m)
	_, err := survey.ParseContactsCSV([]byte("AGS;E-Mail;Name\n;a@b.de;\n123;a@b.de;\n03241001;kein-at;\n03241001;x@y.de;\n03241001;x@y.de;\n"))
	var ie *survey.ImportError
	if !errors.As(err, &ie) || len(ie.Messages) != len(ie.Problems) {
		t.Fatalf("contacts CSV: %v", err)
	}
	keyed = append(keyed, ie.Messages...)
	for _, p := range survey.MailPlaceholders {
		keyed = append(keyed, p.Description)
	}
	// Why a Kommune gets no mail (store.MailTargets) and what retention
	// leaves of a mail (store.MailRow.Note).
	for _, k := range []string{"no_contact", "submitted", "no_link", "failed"} {
		keyed = append(keyed, survey.NewMessage("msg.mail.skip."+k))
	}
	for _, kind := range []survey.MailKind{survey.MailInvitation, survey.MailReminder} {
		keyed = append(keyed, survey.NewMessage("msg.mail.skip.today", kind.Word()))
	}
	keyed = append(keyed, survey.NewMessage("msg.mail.skip.invited", survey.NewMessage("msg.word.sent")),
		survey.NewMessage("msg.mail.purged_queued"), survey.NewMessage("msg.mail.purged_sending"), survey.NewMessage("msg.mail.purged_note"))
	for _, m := range keyed {
		msgs = append(msgs, m.String())
	}
	german := regexp.MustCompile(`\b(Bitte|Der|Die|Das|ist|sind|keine|aktiver|Zeile|Betreff|Text|Einladung|Erinnerung|Platzhalter|Adresse|Zeichen|höchstens|gesendet|heute|schon|hat)\b`)
	n := 0
	for _, m := range msgs {
		if m == "" {
			continue
		}
		n++
		en := EN.Domain(m)
		if i := slices.IndexFunc(keyed, func(k *survey.Message) bool { return k.String() == m }); i >= 0 {
			en = english(keyed[i])
		}
		if stripped := regexp.MustCompile(`„[^“]*“|\{\{[^}]*\}\}|Möglich sind .*|Possible are .*`).ReplaceAllString(en, ""); en == m || german.MatchString(stripped) {
			t.Errorf("%q → %q", m, en)
		}
	}
	if n < 20 {
		t.Errorf("only %d messages", n)
	}
}

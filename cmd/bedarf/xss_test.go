package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
)

// Issue 7, item 4: the XSS payloads of published advisories of LimeSurvey
// and KoboToolbox (and the ODK tools KoboToolbox builds on), put into
// everything a person or a file can name, must come back escaped on every
// page, as text in the workbook and the CSV, and quoted in the log.
//
// Sources (GitHub threads, as filed):
//   - [0] LimeSurvey/LimeSurvey#1117 "LimeSurvey 3.14.7 - HTML Injection and
//     Stored XSS": survey title surveyls_title, verbatim.
//   - [1] LimeSurvey/LimeSurvey#1441, XSS in the "Notifications & data"
//     textbox of LimeSurvey 4.2.5, verbatim.
//   - [2] and [3] LimeSurvey/LimeSurvey#2130 (issue #17676, survey end URL
//     description), the two strings the maintainer asked to check: an
//     attribute break-out and a data: URL, verbatim.
//   - [4] kobotoolbox/kpi#3048 "Stored XSS which takes hostile data" (form
//     builder, default response), the first repetition of the attack string,
//     verbatim.
//   - [5] enketo/enketo#1460 (Cure53 audit ODK-01-013, KoboToolbox's web
//     forms): stored XSS through default values set as innerHTML in the
//     print view. No string is published; ours breaks out of the <textarea>
//     that shows a long text answer.
//   - [6] LimeSurvey/LimeSurvey#5330 (issue #20697): question titles and
//     answer codes of an imported survey file echoed raw in import
//     warnings. No string is published; ours is the plain script tag, put
//     where our import reports problems (question ids, types).
//   - [7] kobotoolbox/enketo-express#451 and enketo/enketo-core#130: labels
//     and hints of XLSForms are rendered as Markdown; a Markdown link with
//     a javascript: URL, and the same as an HTML anchor. Ours.
//   - [8] OWASP "CSV Injection": the DDE formula, for the workbook and CSV.
var xssPayloads = []string{
	`"><h1>Ismail Tasdelen</h1><img src=x onerror=alert("ismailtasdelen")>`,
	`"><svg/onload=prompt(/NamTV/)>`,
	`check"  autofocus onfocus=alert(1)`,
	`data:text/html;base64,PHN2Zy9vbmxvYWQ9YWxlcnQoMik+`,
	`prompt(document.cookie);>#\"><img src=x onerror=prompt(document.cookie);>`,
	`</textarea><script>alert(document.domain)</script>`,
	`<script>alert('LS-20697')</script>`,
	`[Hilfe](javascript:alert(1)) <a href="javascript:alert(2)">Hilfe</a>`,
	`=cmd|' /C calc'!A0`,
}

// payloadsUpTo returns the payloads of at most n characters.
func payloadsUpTo(n int) []string {
	var out []string
	for _, p := range xssPayloads {
		if utf8.RuneCountInString(p) <= n {
			out = append(out, p)
		}
	}
	return out
}

// layoutScripts are the only script elements a page may have.
var layoutScripts = []string{"/static/js/conditions.js", "/static/js/form.js"}

// checkDOM parses a page as a browser does and reports any element or
// attribute that a payload could have made: scripts other than the
// layout's, event handler attributes, script URLs, elements the templates
// never write. It returns every text and attribute value of the page, to
// find the payloads in.
func checkDOM(t *testing.T, where, page string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return nil
	}
	var texts []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			texts = append(texts, n.Data)
		case html.ElementNode:
			for _, a := range n.Attr {
				texts = append(texts, a.Val)
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(key, "on"):
					t.Errorf("%s: <%s> has an event handler %s=%q", where, n.Data, a.Key, a.Val)
				case key == "href" || key == "src" || key == "action" || key == "formaction" || key == "data" || key == "poster" || key == "srcset" || strings.HasSuffix(key, ":href"):
					if strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "vbscript:") || strings.HasPrefix(val, "data:text") {
						t.Errorf("%s: <%s %s=%q>", where, n.Data, a.Key, a.Val)
					}
					if strings.Contains(val, "zgotmplz") {
						t.Errorf("%s: <%s %s=%q>: a template put unsafe text into a URL", where, n.Data, a.Key, a.Val)
					}
					if n.Data == "img" && key == "src" && !strings.HasPrefix(val, "/") && !strings.HasPrefix(val, "data:image/") {
						t.Errorf("%s: <img src=%q>", where, a.Val)
					}
				}
			}
			switch n.Data {
			case "script":
				src := ""
				for _, a := range n.Attr {
					if a.Key == "src" {
						src = a.Val
					}
				}
				if !slices.Contains(layoutScripts, src) || n.FirstChild != nil {
					t.Errorf("%s: a script element (src %q) that is not the layout's", where, src)
				}
			case "svg", "math", "iframe", "frame", "frameset", "object", "embed", "applet", "base":
				t.Errorf("%s: a <%s> element", where, n.Data)
			case "meta":
				for _, a := range n.Attr {
					if strings.EqualFold(a.Key, "http-equiv") {
						t.Errorf("%s: <meta http-equiv=%q>", where, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return texts
}

// checkSVG reads an SVG as XML and reports scripts, event handlers and
// script URLs; it returns its texts and attribute values.
func checkSVG(t *testing.T, where string, data []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var texts []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Errorf("%s: not well-formed XML: %v", where, err)
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if name := strings.ToLower(el.Name.Local); name == "script" || name == "foreignobject" || name == "iframe" {
				t.Errorf("%s: a <%s> element", where, el.Name.Local)
			}
			for _, a := range el.Attr {
				texts = append(texts, a.Value)
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Errorf("%s: event handler %s", where, a.Name.Local)
				}
				if v := strings.ToLower(strings.TrimSpace(a.Value)); strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:text") {
					t.Errorf("%s: %s=%q", where, a.Name.Local, a.Value)
				}
			}
		case xml.CharData:
			texts = append(texts, string(el))
		}
	}
	return texts
}

// missingIn returns the wanted strings that none of the texts holds, runs
// of white space counting as one space (as a browser shows them; some
// names are stored with their spaces collapsed).
func missingIn(texts []string, want []string) []string {
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	var out []string
	for _, w := range want {
		if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(norm(s), norm(w)) }) {
			out = append(out, w)
		}
	}
	return out
}

// payloadYAML is the default questionnaire with every title, intro,
// description, label, help text, unit and choice label replaced by a
// payload, in turn.
func payloadYAML(t *testing.T) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(survey.DefaultQuestionnaireYAML(), &doc); err != nil {
		t.Fatal(err)
	}
	i := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(n.Content); j += 2 {
				k, v := n.Content[j], n.Content[j+1]
				switch k.Value {
				case "title", "intro", "description", "label", "help", "unit", "constraint_message":
					if v.Kind == yaml.ScalarNode {
						v.Value, v.Style, v.Tag = xssPayloads[i%len(xssPayloads)], yaml.DoubleQuotedStyle, "!!str"
						i++
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// payloadXLSForm is an XLSForm whose form title, group labels and hints,
// question labels, hints, constraint messages and choice labels are the
// payloads.
func payloadXLSForm(t *testing.T) []byte {
	t.Helper()
	p := func(i int) string { return xssPayloads[i%len(xssPayloads)] }
	sheets := []struct {
		name string
		rows [][]string
	}{
		{"survey", [][]string{
			{"type", "name", "label", "hint", "required", "constraint", "constraint_message", "appearance"},
			{"begin_group", "erster_teil", p(0), p(1)},
			{"text", "kontakt_name", p(2), p(3), "yes"},
			{"text", "notizen", p(4), p(5), "", "", "", "multiline"},
			{"integer", "anzahl", p(6), p(7), "", ". >= 0", p(8)},
			{"select_one farben", "farbe", p(0), p(1)},
			{"select_multiple farben", "farben_mehr", p(2), p(3)},
			{"note", "hinweis", p(4), p(5)},
			{"end_group"},
			{"begin_group", "zweiter_teil", p(6), p(7)},
			{"select_one stufen", "stufe", p(8), p(0), "", "", "", "likert"},
			{"decimal", "betrag", p(1), p(2), "", ". < 1000", p(3)},
			{"text", "freitext", p(4), p(5)},
			{"end_group"},
		}},
		{"choices", [][]string{
			{"list_name", "name", "label"},
			{"farben", "rot", p(0)}, {"farben", "gruen", p(1)}, {"farben", "blau", p(2)},
			{"stufen", "s1", p(3)}, {"stufen", "s2", p(4)}, {"stufen", "s3", p(5)}, {"stufen", "s4", p(6)}, {"stufen", "s5", p(7)},
		}},
		{"settings", [][]string{{"form_title", "form_id"}, {p(8) + " " + p(0), "xss-xlsform"}}},
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			f.SetSheetName("Sheet1", s.name)
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for j, r := range s.rows {
			for k, v := range r {
				if v == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(k+1, j+1)
				if err := f.SetCellStr(s.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var neuRE = regexp.MustCompile(`neu=(\d+)`)

// xssRig is the demo with payloads everywhere.
type xssRig struct {
	*rig
	admin  *browser
	a      survey.Response // Kommune A in round 1
	rounds []int64         // 1, the YAML round, the XLSForm round
	pages  map[string]string
}

// TestXSSPayloadsEscaped puts the payloads into answers, the editor's name,
// a return message, Kommune names (CSV import), user names (user add),
// scenario and round names, an uploaded YAML questionnaire and XLSForm,
// the name of an uploaded file, a GeoJSON feature and the problems of a
// refused questionnaire; then it reads every staff page a crawl reaches
// (signed in as a user whose name is a payload), the Kommune's pages, the
// charts and maps, the workbooks, the CSV and the log.
func TestXSSPayloadsEscaped(t *testing.T) {
	ctx := context.Background()
	x := &xssRig{rig: startRig(t), pages: map[string]string{}}
	r := x.rig
	x.admin = loginAdmin(t, r.demo)
	resps, err := r.st.Responses(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var editable []survey.Response
	for _, resp := range resps {
		if resp.Status.Editable() {
			editable = append(editable, resp)
		}
	}
	x.a = editable[0]

	// Kommune names, uploaded as a CSV on the Kommunen page: A and eight
	// more get a payload as their name.
	ks, err := r.st.Kommunen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var csvBuf bytes.Buffer
	cw := csv.NewWriter(&csvBuf)
	cw.Comma = ';'
	cw.Write([]string{"ags", "name", "kind", "lat", "lon", "population", "population_year"})
	renamed := map[string]string{x.a.Kommune.AGS: xssPayloads[0]}
	i := 1
	for _, k := range ks {
		if i >= len(xssPayloads) {
			break
		}
		if k.AGS != x.a.Kommune.AGS {
			renamed[k.AGS] = xssPayloads[i]
			i++
		}
	}
	for _, k := range ks {
		if name, ok := renamed[k.AGS]; ok {
			cw.Write([]string{k.AGS, name, k.Kind, survey.FormatInputDE(k.Lat), survey.FormatInputDE(k.Lon), strconv.Itoa(int(k.Population)), "2019"})
		}
	}
	cw.Flush()
	code, page := x.admin.upload(r.base+web.KommunenImportPath, "kommunen.csv", csvBuf.Bytes())
	if code != http.StatusOK {
		t.Fatalf("Kommunen import: %d\n%s", code, page)
	}
	x.pages["POST /verwaltung/kommunen/import"] = page

	// A boundary file with a feature that fits no Kommune, named by a payload.
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	json.Unmarshal(analysis.DefaultRegionGeoJSON(), &fc)
	var stray map[string]any
	json.Unmarshal(fc.Features[0], &stray)
	stray["properties"] = map[string]any{"ags": "09999999", "name": xssPayloads[1]}
	raw, _ := json.Marshal(stray)
	fc.Features = append(fc.Features, raw)
	geo, _ := json.Marshal(fc)
	code, page = x.admin.upload(r.base+web.BoundariesUploadPath, xssPayloads[2]+".geojson", geo)
	if code != http.StatusOK {
		t.Fatalf("boundaries: %d\n%s", code, page)
	}
	x.pages["POST /verwaltung/kommunen/grenzen"] = page

	// User names, added on the command line; the first signs in.
	for i, p := range xssPayloads {
		err := run(ctx, []string{"user", "add", "--db", r.db, "--email", fmt.Sprintf("xss%d@bedarf.example", i), "--name", p, "--role", "admin"},
			strings.NewReader("ein-langes-passwort\n"), io.Discard, io.Discard)
		if err != nil {
			t.Fatalf("user add %q: %v", p, err)
		}
	}
	staff := r.signIn(t, "xss0@bedarf.example", "ein-langes-passwort")

	// Questionnaires: YAML and XLSForm with payloads in every text, and a
	// refused one whose problems name payloads, under a payload file name.
	versionOf := func(name string, data []byte) int64 {
		t.Helper()
		req := mustUploadRequest(t, r.base+web.QuestionnaireUploadPath, name, data, r.base)
		resp, err := staff.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := neuRE.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("upload %s: %d\n%s", name, resp.StatusCode, body)
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		return id
	}
	yamlVersion := versionOf("fragebogen.yaml", payloadYAML(t))
	xlsVersion := versionOf("fragebogen.xlsx", payloadXLSForm(t))
	bad := fmt.Sprintf("id: %q\ntitle: %q\nsections:\n  - id: %q\n    title: %q\n    questions:\n      - id: %q\n        type: %q\n        label: %q\n",
		xssPayloads[6], xssPayloads[0], xssPayloads[1], xssPayloads[2], xssPayloads[6], xssPayloads[5], xssPayloads[4])
	code, page = staff.upload(r.base+web.QuestionnaireUploadPath, xssPayloads[2]+".yaml", []byte(bad))
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad questionnaire: %d\n%s", code, page)
	}
	x.pages["POST /verwaltung/frageboegen (refused)"] = page

	// Rounds of both questionnaires, titled by payloads, inviting A and
	// the Kommune named by the second payload; opened with links.
	x.rounds = []int64{1}
	for i, v := range []int64{yamlVersion, xlsVersion} {
		form := url.Values{"fragebogen": {strconv.FormatInt(v, 10)}, "titel": {xssPayloads[3+i]}, "beginn": {"2026-01-01"},
			"frist": {"2099-01-01"}, "oeffnen": {"1"}, "links": {"1"}}
		for _, k := range ks {
			if renamed[k.AGS] != "" {
				form.Add("kommune", strconv.FormatInt(k.ID, 10))
			}
		}
		code, _, h := staff.post(r.base+"/verwaltung/runden", form)
		m := locationRoundRE.FindStringSubmatch(h.Get("Location"))
		if code != http.StatusSeeOther || m == nil {
			t.Fatalf("create round: %d %q", code, h.Get("Location"))
		}
		x.rounds = append(x.rounds, mustInt(t, m[1]))
	}

	// Mails: contact names, the texts of the YAML round's invitation (its
	// HTML part is built by hand: survey.MailText.Render), and texts whose
	// problems name a payload; an invitation to A is queued.
	mailBase := fmt.Sprintf("%s/verwaltung/runden/%d/mail", r.base, x.rounds[1])
	for i, p := range payloadsUpTo(200) {
		if code, page, _ := staff.post(r.base+"/verwaltung/kontakte/"+x.a.Kommune.AGS, url.Values{"email": {fmt.Sprintf("xss%d@kommune.example", i)}, "name": {p}}); code != http.StatusSeeOther {
			t.Fatalf("contact %q: %d\n%s", p, code, page)
		}
	}
	rem := survey.DefaultMailText(survey.MailReminder)
	mailTexts := func(subject, body string) url.Values {
		return url.Values{"einladung_betreff": {subject}, "einladung_text": {body},
			"erinnerung_betreff": {rem.Subject}, "erinnerung_text": {rem.Body}, "auto_tage": {"0"}}
	}
	code, page, _ = staff.post(mailBase+"/texte", mailTexts(xssPayloads[1]+" {{Kommune}}", "{{"+xssPayloads[6]+"}}\n\n{{Link}}"))
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("mail texts with an unknown placeholder: %d", code)
	}
	x.pages["POST mail texts (refused)"] = page
	code, page, _ = staff.post(mailBase+"/texte", mailTexts(xssPayloads[1]+" {{Kommune}}",
		strings.Join(xssPayloads, "\n\n")+"\n\n{{Kommune}} | {{Runde}} | {{Fragebogen}}\n\n{{Link}}"))
	if code != http.StatusSeeOther {
		t.Fatalf("mail texts: %d\n%s", code, page)
	}
	_, page, _ = staff.get(mailBase + "/vorschau?art=einladung&kommune=" + x.a.Kommune.AGS)
	x.pages["GET mail preview"] = page
	stand := regexp.MustCompile(`name="stand" value="([^"]*)"`).FindStringSubmatch(page)
	if stand == nil {
		t.Fatalf("mail preview without a version:\n%s", page)
	}
	if code, _, _ := staff.post(mailBase+"/senden", url.Values{"art": {"einladung"}, "stand": {stand[1]}, "kommune": {x.a.Kommune.AGS}}); code != http.StatusSeeOther {
		t.Fatalf("queue the invitation: %d", code)
	}

	// Scenario names.
	for _, p := range payloadsUpTo(80) {
		if code, _, _ := staff.post(r.base+"/verwaltung/runden/1/plan/szenarien", url.Values{"name": {p}}); code != http.StatusSeeOther {
			t.Fatalf("scenario %q: %d", p, code)
		}
	}

	// Kommune A answers round 1: payloads in the text answers and the
	// editor's name; it submits, gets the receipt, and staff return it with
	// a payload as the question.
	all := strings.Join(xssPayloads, " | ")
	k := newBrowser(t, r.base)
	k.get(r.links[x.a.Kommune.AGS])
	_, page, _ = k.get(r.base + "/fragebogen")
	form := pageForm(t, page)
	for f, v := range fullAnswers(form.Get("revision")) {
		form[f] = v
	}
	for f, v := range map[string]string{"q.kontakt_name": xssPayloads[0], "q.kontakt_funktion": xssPayloads[1],
		"q.belastung_anmerkungen": all, "q.supervision_themen": xssPayloads[8], "q.fortbildung_weitere": xssPayloads[5],
		"q.finanzierung_anmerkungen": xssPayloads[6], "q.vernetzung_anmerkungen": xssPayloads[7], "bearbeitung": xssPayloads[4]} {
		form.Set(f, v)
	}
	form.Set("aktion", "speichern")
	code, page, _ = k.post(r.base+"/fragebogen", form)
	if code != http.StatusOK {
		t.Fatalf("draft with payloads: %d", code)
	}
	x.pages["POST /fragebogen (draft)"] = page
	form = pageForm(t, page)
	form.Set("aktion", "absenden")
	code, _, h := k.post(r.base+"/fragebogen", form)
	if code != http.StatusSeeOther {
		t.Fatalf("submit with payloads: %d", code)
	}
	_, x.pages["GET /fragebogen?eingereicht=1"], _ = k.get(r.base + h.Get("Location"))
	if code, _, _ := staff.post(fmt.Sprintf("%s/verwaltung/runden/1/kommunen/%s/zurueckgeben", r.base, x.a.Kommune.AGS), url.Values{"nachricht": {all}}); code != http.StatusSeeOther {
		t.Fatalf("return: %d", code)
	}
	_, x.pages["GET /fragebogen (returned)"], _ = k.get(r.base + "/fragebogen")

	// Kommune A answers the two payload questionnaires, with payloads and
	// with values that break their constraints, so messages show.
	for i, round := range x.rounds[1:] {
		links, err := r.st.Links(ctx, round, r.sealer)
		if err != nil {
			t.Fatal(err)
		}
		kb := newBrowser(t, r.base)
		for _, l := range links {
			if l.Kommune.AGS == x.a.Kommune.AGS {
				kb.get(r.base + "/k/" + l.Token)
			}
		}
		code, page, _ := kb.get(r.base + "/fragebogen")
		if code != http.StatusOK {
			t.Fatalf("form of round %d: %d", round, code)
		}
		x.pages[fmt.Sprintf("GET /fragebogen (round %d)", round)] = page
		form := pageForm(t, page)
		form.Set("aktion", "speichern")
		form.Set("bearbeitung", xssPayloads[7])
		if i == 0 {
			form.Set("q.kontakt_name", xssPayloads[2])
			form.Set("q.belastung_anmerkungen", all)
			form.Set("q.betreute_gu", xssPayloads[3])
		} else {
			form.Set("q.kontakt_name", xssPayloads[5])
			form.Set("q.notizen", all)
			form.Set("q.freitext", xssPayloads[8])
			form.Set("q.anzahl", "-1")
			form.Set("q.betrag", "5000")
		}
		code, page, _ = kb.post(r.base+"/fragebogen", form)
		if code != http.StatusOK {
			t.Fatalf("draft in round %d: %d", round, code)
		}
		x.pages[fmt.Sprintf("POST /fragebogen (round %d)", round)] = page
	}

	// A new link's page, and the entry form of staff.
	_, x.pages["POST link"], _ = staff.post(fmt.Sprintf("%s/verwaltung/runden/%d/kommunen/%s/link", r.base, x.rounds[1], x.a.Kommune.AGS), url.Values{})

	x.checkPages(t, staff, renamed)
	x.checkWorkbooks(t, staff, k)
	x.checkCSV(t, staff)
	x.checkLog(t)
}

func mustUploadRequest(t *testing.T, u, name string, data []byte, origin string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("datei", name)
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, u, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", origin)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

// pageRefs returns the addresses a page links to or loads.
func pageRefs(page string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if (string(name) == "a" && string(k) == "href") || (string(name) == "img" && string(k) == "src") {
					out = append(out, string(v))
				}
			}
		}
	}
}

// checkPages crawls the staff pages from the start pages and checks every
// page, chart and map, then the Kommune's pages and the answers to POSTs
// kept on the way, and that the payloads are shown where they belong.
func (x *xssRig) checkPages(t *testing.T, staff *browser, renamed map[string]string) {
	q := url.QueryEscape
	p := xssPayloads
	all := strings.Join(p, " | ")
	ags := x.a.Kommune.AGS
	queue := []string{"/verwaltung", "/verwaltung/runden", "/verwaltung/runden/neu", "/verwaltung/benutzer", "/verwaltung/protokoll",
		"/verwaltung/frageboegen", "/verwaltung/kommunen", "/verwaltung/vergleich",
		// Payloads in query parameters, which pages echo into their filters.
		"/verwaltung/protokoll?wer=" + q(p[0]) + "&was=" + q(p[1]) + "&von=" + q(p[2]) + "&bis=" + q(p[3]),
		"/verwaltung/runden/1?art=" + q(p[4]) + "&status=" + q(p[5]),
		"/verwaltung/runden/1/fragen/kontakt_funktion?art=" + q(p[6]) + "&status=" + q(p[7]) + "&seite=" + q(p[0]),
		"/verwaltung/vergleich?a=" + q(p[1]) + "&b=" + q(p[2]) + "&frage=" + q(p[3]),
		"/verwaltung/runden/1/plan?szenario=" + q(p[4]),
		"/verwaltung/frageboegen?neu=" + q(p[5]),
		"/verwaltung/runden/1/verwalten?hinweis=" + q(p[6]),
		"/verwaltung/kommunen?geloescht=" + q(p[7]),
		"/verwaltung/kontakte", "/verwaltung/kontakte/" + ags + "?hinweis=" + q(p[8]),
		fmt.Sprintf("/verwaltung/runden/%d/mail/vorschau?art=einladung&zeige=%s", x.rounds[1], ags),
		fmt.Sprintf("/verwaltung/runden/%d/mail?art=%s&eingereiht=%s&mail=%s", x.rounds[1], q(p[0]), q(p[1]), q(p[2])),
	}
	for _, id := range x.rounds {
		base := fmt.Sprintf("/verwaltung/runden/%d", id)
		queue = append(queue, base, base+"/verwalten", base+"/fragen", base+"/plan", base+"/kommunen/"+ags,
			base+"/kommunen/"+ags+"/erfassen", base+"/kommunen/"+ags+"/einladung", base+"/plan/karte.svg")
	}
	const limit = 700
	seen := map[string]bool{}
	texts := map[string][]string{}
	fetched := 0
	for len(queue) > 0 && fetched < limit {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		resp, err := staff.c.Get(x.base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fetched++
		ctype := resp.Header.Get("Content-Type")
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		if !utf8.Valid(body) && !strings.HasPrefix(ctype, "image/png") && !strings.Contains(ctype, "spreadsheet") {
			t.Errorf("GET %s: the answer is not valid UTF-8", path)
		}
		switch {
		case strings.HasPrefix(ctype, "text/html"):
			texts[path] = checkDOM(t, "GET "+path, string(body))
			if resp.StatusCode == http.StatusOK && !slices.Contains(texts[path], p[0]) {
				t.Errorf("GET %s: the signed-in user's name is not shown as text", path)
			}
			for _, ref := range pageRefs(string(body)) {
				u, err := url.Parse(ref)
				if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/verwaltung") || strings.HasSuffix(u.Path, ".xlsx") {
					continue
				}
				u.Fragment = ""
				if !seen[u.String()] {
					queue = append(queue, u.String())
				}
			}
		case strings.HasPrefix(ctype, "image/svg"):
			texts[path] = checkSVG(t, "GET "+path, body)
		}
	}
	if fetched >= limit {
		t.Logf("crawl stopped after %d pages, %d left", fetched, len(queue))
	}
	t.Logf("crawled %d staff pages, charts and maps", fetched)

	// The Kommune's pages and the answers to POSTs.
	for what, page := range x.pages {
		texts[what] = checkDOM(t, what, page)
	}

	// The payloads are shown, whole, where they belong.
	kommune := fmt.Sprintf("/verwaltung/runden/1/kommunen/%s", ags)
	var names []string
	for _, n := range renamed {
		names = append(names, n)
	}
	for where, want := range map[string][]string{
		"/verwaltung/kommunen":                                      names,
		"/verwaltung/benutzer":                                      p,
		"/verwaltung/runden/1/plan":                                 payloadsUpTo(80),
		"/verwaltung/runden":                                        {p[3], p[4]},
		"/verwaltung/protokoll":                                     {p[0], p[4]},
		"/verwaltung/runden/1":                                      {p[0], p[1]},
		kommune:                                                     {p[0], p[1], all, p[5], p[6], p[7], p[8]},
		"POST /verwaltung/kommunen/import":                          names,
		"POST /verwaltung/kommunen/grenzen":                         {p[1], p[2] + ".geojson"},
		"POST /verwaltung/frageboegen (refused)":                    {p[2] + ".yaml", p[6]},
		"POST /fragebogen (draft)":                                  {p[0], p[1], all, p[4], p[5], p[6], p[7], p[8]},
		"GET /fragebogen?eingereicht=1":                             {p[0], all},
		"GET /fragebogen (returned)":                                {p[0], all},
		fmt.Sprintf("GET /fragebogen (round %d)", x.rounds[1]):      append(slices.Clone(p), p[3]),
		fmt.Sprintf("POST /fragebogen (round %d)", x.rounds[1]):     append(slices.Clone(p), all),
		fmt.Sprintf("GET /fragebogen (round %d)", x.rounds[2]):      p,
		fmt.Sprintf("POST /fragebogen (round %d)", x.rounds[2]):     append(slices.Clone(p), all),
		fmt.Sprintf("/verwaltung/runden/%d/verwalten", x.rounds[1]): {p[3], p[0]},
		"POST link": {p[0], p[3]},
		// Mails: the preview's text and HTML parts, the addresses.
		"GET mail preview":                                     append(slices.Clone(p), p[0]+" | "+p[3]),
		"POST mail texts (refused)":                            {p[6]},
		"/verwaltung/kontakte/" + ags:                          payloadsUpTo(200),
		fmt.Sprintf("/verwaltung/runden/%d/mail", x.rounds[1]): {p[3], p[0]},
		// The plan map describes the Kommunen without an answer by name.
		"/verwaltung/runden/1/plan/karte.svg": {p[0]},
	} {
		got, ok := texts[where]
		if !ok {
			t.Errorf("%s was not read", where)
			continue
		}
		if miss := missingIn(got, want); len(miss) > 0 {
			t.Errorf("%s does not show %q", where, miss)
		}
	}
}

// payloadMarkers are parts of the payloads that no other text has.
var payloadMarkers = []string{"onerror", "onload", "onfocus", "<script", "javascript:", "data:text/html", "cmd|"}

func hasMarker(s string) bool {
	return slices.ContainsFunc(payloadMarkers, func(m string) bool { return strings.Contains(s, m) })
}

// checkWorkbooks downloads every round's workbook and Kommune A's answers
// as staff and as the Kommune: each cell that holds payload text holds it
// as a string, with no formula, and the payloads are there.
func (x *xssRig) checkWorkbooks(t *testing.T, staff, kommune *browser) {
	all := strings.Join(xssPayloads, " | ")
	type download struct {
		b    *browser
		path string
		want []string
	}
	downloads := []download{
		{staff, "/verwaltung/runden/1/auswertung.xlsx", []string{xssPayloads[0], all, xssPayloads[8]}},
		{staff, fmt.Sprintf("/verwaltung/runden/1/kommunen/%s/antworten.xlsx", x.a.Kommune.AGS), []string{xssPayloads[0], all, xssPayloads[8]}},
		{kommune, "/fragebogen/antworten.xlsx", []string{xssPayloads[0], all, xssPayloads[8]}},
	}
	for _, round := range x.rounds[1:] {
		downloads = append(downloads, download{staff, fmt.Sprintf("/verwaltung/runden/%d/auswertung.xlsx", round), xssPayloads})
	}
	for _, d := range downloads {
		code, body, _ := d.b.get(x.base + d.path)
		if code != http.StatusOK {
			t.Errorf("%s: %d", d.path, code)
			continue
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", d.path, err)
		}
		var cells []string
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			for ri, row := range rows {
				for ci, v := range row {
					if !hasMarker(v) {
						continue
					}
					cells = append(cells, v)
					name, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
					where := fmt.Sprintf("%s, %s!%s", d.path, sheet, name)
					if formula, _ := f.GetCellFormula(sheet, name); formula != "" {
						t.Errorf("%s: payload text as a formula %q", where, formula)
					}
					if typ, _ := f.GetCellType(sheet, name); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						t.Errorf("%s: payload text in a cell of type %v", where, typ)
					}
				}
			}
		}
		if miss := missingIn(cells, d.want); len(miss) > 0 {
			t.Errorf("%s lacks %q", d.path, miss)
		}
		f.Close()
	}
}

// checkCSV downloads the raw answers of every round as CSV (analysis.WriteCSV
// behind the download route): it reads as CSV with every record whole, and
// text that a spreadsheet would run starts with an apostrophe.
func (x *xssRig) checkCSV(t *testing.T, staff *browser) {
	for _, id := range x.rounds {
		code, body, _ := staff.get(fmt.Sprintf("%s/verwaltung/runden/%d/antworten.csv", x.base, id))
		if code != http.StatusOK {
			t.Errorf("CSV of round %d: %d", id, code)
			continue
		}
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		cr.Comma = ';'
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("CSV of round %d: %v", id, err)
		}
		var fields []string
		for _, rec := range recs {
			for _, v := range rec {
				if hasMarker(v) {
					fields = append(fields, v)
					if strings.Contains(v, "cmd|") && !strings.HasPrefix(v, "'") && strings.HasPrefix(strings.TrimLeft(v, "'"), "=") {
						t.Errorf("CSV of round %d: %q is not neutralised", id, v)
					}
					if c := v[0]; strings.IndexByte("=+-@", c) >= 0 {
						t.Errorf("CSV of round %d: a field starts with %q: %q", id, c, v)
					}
				}
			}
		}
		if id == 1 {
			if miss := missingIn(fields, []string{xssPayloads[0], "'" + xssPayloads[8]}); len(miss) > 0 {
				t.Errorf("CSV of round 1 lacks %q", miss)
			}
		}
	}
}

// logValueRE reads one key=value of slog's text format: a bare value or a
// quoted one.
var logValueRE = regexp.MustCompile(`^([^\s="]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)(?:\s+|$)`)

// checkLog reads the server's log: every line is well-formed key=value
// text, payload text appears only inside a value, and no link token is
// written.
func (x *xssRig) checkLog(t *testing.T) {
	ctx := context.Background()
	var tokens []string
	for _, id := range x.rounds {
		links, err := x.st.Links(ctx, id, x.sealer)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range links {
			if l.Token != "" {
				tokens = append(tokens, l.Token)
			}
		}
	}
	lines := strings.Split(strings.TrimSpace(x.logs.String()), "\n")
	if len(lines) < 100 {
		t.Errorf("the log has %d lines", len(lines))
	}
	for _, line := range lines {
		rest := line
		var values []string
		for rest != "" {
			m := logValueRE.FindStringSubmatch(rest)
			if m == nil {
				t.Errorf("log line is not key=value text: %q", line)
				break
			}
			v := m[2]
			if strings.HasPrefix(v, `"`) {
				uq, err := strconv.Unquote(v)
				if err != nil {
					t.Errorf("log line with a broken quoted value: %q", line)
				}
				v = uq
			}
			values = append(values, v)
			rest = rest[len(m[0]):]
		}
		for _, p := range xssPayloads {
			if strings.Contains(line, p) && !slices.ContainsFunc(values, func(v string) bool { return strings.Contains(v, p) }) {
				t.Errorf("log line carries a payload outside a value: %q", line)
			}
		}
		for _, tok := range tokens {
			if strings.Contains(line, tok) {
				t.Errorf("log line carries a link token: %q", line)
			}
		}
	}
}

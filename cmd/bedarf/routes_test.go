package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
)

// The route × role test (issue 7, item 1). Every route gin has registered
// must have a row in routeTable below, saying who may use it and with which
// concrete URL (realistic ids) and form it is called. The test calls every
// route as every role: no session, Kommune A, Kommune B, a Kommune whose
// session has expired, viewer, admin, a disabled user, and staff sessions
// past their absolute and idle time-outs. Refused requests must be answered
// as the role expects (a login redirect, 401 or 403) and change nothing in
// the database. Then requests with ids changed (another round, another
// Kommune's AGS, a scenario of another round, a response id of another
// Kommune in a hidden field) must be refused and change nothing, and
// Kommune B must never read or change Kommune A's answers.
//
// A route that is added to the server without a row here fails the test.

// access says who may use a route.
type access int

const (
	public      access = iota // anyone, with or without a session
	kommuneOnly               // a Kommune's session from its personal link
	staffRead                 // signed-in staff: viewers and admins (GET only)
	adminOnly                 // signed-in admins: every change, and pages that show links
)

func (a access) String() string {
	return [...]string{"public", "kommune-only", "staff-read", "admin-only"}[a]
}

// routeCase is one row of the table: a registered route, who may use it,
// and how to call it.
type routeCase struct {
	method, pattern string
	access          access
	// url is the concrete address with placeholders ({r1}, {A}, ...; see
	// routeFixture.ids) replaced before the call.
	url string
	// form is the body of a POST (nil: empty); upload, if set, is sent as
	// multipart form data instead.
	form   func(f *routeFixture, r *routeRole) url.Values
	upload *routeUpload
	// ok lists the statuses an allowed role may get (default: 200).
	ok []int
	// endsSession: the route ends the caller's session (logout, a new
	// link); each call gets its own copy of the role's session.
	endsSession bool
	// check, if set, checks what an allowed role got.
	check func(f *routeFixture, r *routeRole, body string) error
	// json: the route answers the page's script in JSON, its refusals too
	// (with an error text and "fallback", on which the page sends the form
	// in full).
	json bool
}

// ownWorkbook checks that a Kommune's download holds its own answers and
// not the other Kommune's.
func ownWorkbook(f *routeFixture, r *routeRole, body string) error {
	own, other := f.r.names[f.ids["{A}"]], f.r.names[f.ids["{B}"]]
	if r.name == "kommuneB" {
		own, other = other, own
	}
	text := readable(body)
	if !strings.Contains(text, own) || strings.Contains(text, other) {
		return fmt.Errorf("workbook of %s: own name %q shown %v, other's %q shown %v", r.name, own, strings.Contains(text, own), other, strings.Contains(text, other))
	}
	return nil
}

// readable returns a body as text: a workbook's cell values, or the body.
func readable(body string) string {
	if !strings.HasPrefix(body, "PK") {
		return body
	}
	wb, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		return body
	}
	defer wb.Close()
	var sb strings.Builder
	for _, sheet := range wb.GetSheetList() {
		rows, _ := wb.GetRows(sheet)
		for _, row := range rows {
			sb.WriteString(strings.Join(row, "\t"))
			sb.WriteString("\n")
		}
	}
	return sb.String()
}

type routeUpload struct {
	name string
	data func() []byte
}

// routeTable lists every route the server registers, roughly in the order
// of server.go's routes(). Phase 3 of the test calls the allowed roles in
// this order, and some rows rely on earlier ones (round 2 is opened, given
// a deadline and links, then closed; C's link is made new, then revoked).
var routeTable = append([]routeCase{
	{method: "GET", pattern: "/static/*filepath", access: public, url: "/static/css/bedarf.css"},
	{method: "HEAD", pattern: "/static/*filepath", access: public, url: "/static/js/form.js"},
	{method: "GET", pattern: "/favicon.ico", access: public, url: "/favicon.ico"},
	{method: "GET", pattern: "/healthz", access: public, url: "/healthz"},
	{method: "GET", pattern: "/readyz", access: public, url: "/readyz"},
	{method: "GET", pattern: "/", access: public, url: "/", ok: []int{200, 303}},
	{method: "GET", pattern: "/k/:token", access: public, url: "/k/{tokA}", ok: []int{303}, endsSession: true},
	{method: "GET", pattern: "/fragebogen", access: kommuneOnly, url: "/fragebogen?antwort={respA}&ags={A}"},
	{method: "POST", pattern: "/fragebogen", access: kommuneOnly, url: "/fragebogen", form: kommuneForm},
	{method: "POST", pattern: "/fragebogen/zwischenspeichern", access: kommuneOnly, url: "/fragebogen/zwischenspeichern", form: kommuneForm, json: true},
	// A kept form with no link pasted: shown again (401) for everyone, nothing stored.
	{method: "POST", pattern: "/fragebogen/fortsetzen", access: public, url: "/fragebogen/fortsetzen", ok: []int{401},
		form: func(_ *routeFixture, _ *routeRole) url.Values {
			return url.Values{"link": {""}, "revision": {"1"}, "aktion": {"speichern"}, "q.kontakt_name": {"Ohne Link"}}
		}},
	{method: "GET", pattern: "/fragebogen/antworten.xlsx", access: kommuneOnly, url: "/fragebogen/antworten.xlsx?ags={A}&antwort={respA}",
		check: ownWorkbook},
	// The Kommune's results (report.go): whether released depends on the
	// release rows further down and the order the roles run in.
	{method: "GET", pattern: "/ergebnisse", access: kommuneOnly, url: "/ergebnisse"},
	{method: "GET", pattern: "/ergebnisse/druck", access: kommuneOnly, url: "/ergebnisse/druck", ok: []int{200, 404}},
	{method: "GET", pattern: "/ergebnisse/ergebnisse.xlsx", access: kommuneOnly, url: "/ergebnisse/ergebnisse.xlsx", ok: []int{200, 404}},
	{method: "GET", pattern: "/ergebnisse/diagramme/:file", access: kommuneOnly, url: "/ergebnisse/diagramme/1.svg", ok: []int{200, 404}},
	{method: "GET", pattern: "/fragebogen/leer", access: kommuneOnly, url: "/fragebogen/leer?ags={A}&runde={r2}", check: ownWorkbook},
	{method: "GET", pattern: "/fragebogen/eingangsbestaetigung", access: kommuneOnly, url: "/fragebogen/eingangsbestaetigung?antwort={respA}&ags={A}",
		ok: []int{200, 404}},
	// Booking offers (booking.go): a booking of an offer that is not there is refused with the input kept.
	{method: "GET", pattern: "/angebote", access: kommuneOnly, url: "/angebote?ags={A}&runde={r2}&antwort={respA}"},
	{method: "POST", pattern: "/angebote", access: kommuneOnly, url: "/angebote", ok: []int{404},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"aktion": {"buchen"}, "angebot": {"999999"}, "termin": {"0"}, "name": {"Route Test"}, "email": {"route@example.org"}}
		}},
	{method: "GET", pattern: "/anmelden", access: public, url: "/anmelden", ok: []int{200, 303}},
	{method: "POST", pattern: "/anmelden", access: public, url: "/anmelden", ok: []int{401},
		form: func(_ *routeFixture, r *routeRole) url.Values { // an account each: the back-off allows 5 failures per account
			return url.Values{"email": {"niemand-" + r.name + "@bedarf.example"}, "passwort": {"falsch-falsch-falsch"}}
		}},
	{method: "POST", pattern: "/abmelden", access: public, url: "/abmelden", ok: []int{303}, endsSession: true},
	{method: "POST", pattern: "/sprache", access: public, url: "/sprache", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return url.Values{"sprache": {"de"}, "zurueck": {"/"}} }},
	{method: "GET", pattern: "/barrierefreiheit", access: public, url: "/barrierefreiheit"},
	{method: "GET", pattern: "/datenschutz", access: public, url: "/datenschutz"},
	{method: "GET", pattern: "/impressum", access: public, url: "/impressum"},

	{method: "GET", pattern: "/verwaltung", access: staffRead, url: "/verwaltung"},
	{method: "GET", pattern: "/verwaltung/runden/:round", access: staffRead, url: "/verwaltung/runden/{r1}"},
	{method: "GET", pattern: "/verwaltung/runden/:round/fragen", access: staffRead, url: "/verwaltung/runden/{r1}/fragen"},
	{method: "GET", pattern: "/verwaltung/runden/:round/fragen/:qid", access: staffRead, url: "/verwaltung/runden/{r1}/fragen/kontakt_funktion"},
	{method: "GET", pattern: "/verwaltung/runden/:round/fragen/:qid/diagramm.svg", access: staffRead, url: "/verwaltung/runden/{r1}/fragen/betreute_gu/diagramm.svg"},
	{method: "GET", pattern: "/verwaltung/runden/:round/fragen/:qid/diagramm.png", access: staffRead, url: "/verwaltung/runden/{r1}/fragen/belastung_gesamt/diagramm.png"},
	{method: "GET", pattern: "/verwaltung/runden/:round/karte.svg", access: staffRead, url: "/verwaltung/runden/{r1}/karte.svg"},
	{method: "GET", pattern: "/verwaltung/runden/:round/karte.png", access: staffRead, url: "/verwaltung/runden/{r1}/karte.png"},
	{method: "GET", pattern: "/verwaltung/vergleich", access: staffRead, url: "/verwaltung/vergleich"},
	{method: "GET", pattern: "/verwaltung/vergleich/diagramme/:file", access: staffRead, url: "/verwaltung/vergleich/diagramme/1.svg?a={r1}&b={r2}&alle=1"},
	{method: "GET", pattern: "/verwaltung/runden/:round/kommunen/:ags", access: staffRead, url: "/verwaltung/runden/{r1}/kommunen/{A}"},
	{method: "POST", pattern: "/verwaltung/runden/:round/kommunen/:ags/zurueckgeben", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{S}/zurueckgeben", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"nachricht": {"Bitte prüfen Sie die Zahl der Fachkräfte."}}
		}},
	{method: "GET", pattern: "/verwaltung/runden/:round/auswertung.xlsx", access: staffRead, url: "/verwaltung/runden/{r1}/auswertung.xlsx"},
	{method: "GET", pattern: "/verwaltung/runden/:round/antworten.csv", access: staffRead, url: "/verwaltung/runden/{r1}/antworten.csv"},
	{method: "GET", pattern: "/verwaltung/runden/:round/ausstehend.csv", access: staffRead, url: "/verwaltung/runden/{r1}/ausstehend.csv"},
	{method: "GET", pattern: "/verwaltung/runden/:round/diagramme/:file", access: staffRead, url: "/verwaltung/runden/{r1}/diagramme/supervision-je-kommune.svg"},
	{method: "GET", pattern: "/verwaltung/runden/:round/kommunen/:ags/antworten.xlsx", access: staffRead, url: "/verwaltung/runden/{r1}/kommunen/{A}/antworten.xlsx"},
	{method: "GET", pattern: "/verwaltung/runden/:round/plan", access: staffRead, url: "/verwaltung/runden/{r1}/plan?szenario={sc}"},
	{method: "GET", pattern: "/verwaltung/runden/:round/fragebogen-leer", access: staffRead, url: "/verwaltung/runden/{r1}/fragebogen-leer"},
	{method: "GET", pattern: "/verwaltung/runden/:round/plan/karte.svg", access: staffRead, url: "/verwaltung/runden/{r1}/plan/karte.svg?szenario={sc}"},
	{method: "POST", pattern: "/verwaltung/runden/:round/plan/szenarien", access: adminOnly, url: "/verwaltung/runden/{r1}/plan/szenarien", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"name": {"Routentest neu"}, "von": {"{sc}"}}
		}},
	{method: "POST", pattern: "/verwaltung/runden/:round/plan/szenarien/:scenario", access: adminOnly, url: "/verwaltung/runden/{r1}/plan/szenarien/{sc}", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return scenarioForm("Variante geändert") }},
	{method: "POST", pattern: "/verwaltung/runden/:round/plan/szenarien/:scenario/massgeblich", access: adminOnly, url: "/verwaltung/runden/{r1}/plan/szenarien/{sc}/massgeblich", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/runden/:round/plan/szenarien/:scenario/loeschen", access: adminOnly, url: "/verwaltung/runden/{r1}/plan/szenarien/{scDel}/loeschen", ok: []int{303}},

	{method: "GET", pattern: "/verwaltung/runden", access: staffRead, url: "/verwaltung/runden"},
	{method: "GET", pattern: "/verwaltung/runden/neu", access: adminOnly, url: "/verwaltung/runden/neu"},
	{method: "POST", pattern: "/verwaltung/runden", access: adminOnly, url: "/verwaltung/runden", ok: []int{303},
		form: func(f *routeFixture, _ *routeRole) url.Values {
			return url.Values{"fragebogen": {"1"}, "titel": {"Routentest Runde"}, "beginn": {"2026-01-01"}, "frist": {"2099-01-01"},
				"kommune": {f.ids["{kidB}"]}, "links": {"1"}}
		}},
	{method: "GET", pattern: "/verwaltung/runden/:round/verwalten", access: staffRead, url: "/verwaltung/runden/{r2}/verwalten"},
	{method: "POST", pattern: "/verwaltung/runden/:round/oeffnen", access: adminOnly, url: "/verwaltung/runden/{r2}/oeffnen", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/runden/:round/frist", access: adminOnly, url: "/verwaltung/runden/{r2}/frist", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return url.Values{"frist": {"2099-12-31"}} }},
	{method: "POST", pattern: "/verwaltung/runden/:round/links", access: adminOnly, url: "/verwaltung/runden/{r2}/links", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/runden/:round/schliessen", access: adminOnly, url: "/verwaltung/runden/{r2}/schliessen", ok: []int{303}},
	{method: "GET", pattern: "/verwaltung/runden/:round/einladungen", access: adminOnly, url: "/verwaltung/runden/{r1}/einladungen?status=ausstehend"},
	{method: "GET", pattern: "/verwaltung/runden/:round/einladungen/links.csv", access: adminOnly, url: "/verwaltung/runden/{r1}/einladungen/links.csv"},
	{method: "GET", pattern: "/verwaltung/runden/:round/einladungen/links.xlsx", access: adminOnly, url: "/verwaltung/runden/{r1}/einladungen/links.xlsx?status=nicht-begonnen"},
	{method: "GET", pattern: "/verwaltung/runden/:round/einladungen/links-erzeugen", access: adminOnly, url: "/verwaltung/runden/{r1}/einladungen/links-erzeugen"},
	{method: "POST", pattern: "/verwaltung/runden/:round/einladungen/links", access: adminOnly, url: "/verwaltung/runden/{r2}/einladungen/links?status=alle"},
	{method: "GET", pattern: "/verwaltung/runden/:round/kommunen/:ags/link/neu", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{A}/link/neu"},
	{method: "POST", pattern: "/verwaltung/runden/:round/kommunen/:ags/link", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{C}/link"},
	{method: "GET", pattern: "/verwaltung/runden/:round/kommunen/:ags/link/widerrufen", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{A}/link/widerrufen"},
	{method: "POST", pattern: "/verwaltung/runden/:round/kommunen/:ags/link/widerrufen", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{C}/link/widerrufen", ok: []int{303}},
	{method: "GET", pattern: "/verwaltung/runden/:round/kommunen/:ags/einladung", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{A}/einladung"},
	{method: "GET", pattern: "/verwaltung/runden/:round/kommunen/:ags/qr.png", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{A}/qr.png"},
	{method: "POST", pattern: "/verwaltung/runden/:round/kommunen/:ags/wiedereroeffnen", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{S2}/wiedereroeffnen", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/runden/:round/kommunen/:ags/frist", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{C}/frist", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return url.Values{"frist": {"2099-06-30"}} }},
	{method: "GET", pattern: "/verwaltung/runden/:round/kommunen/:ags/erfassen", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{C}/erfassen"},
	{method: "POST", pattern: "/verwaltung/runden/:round/kommunen/:ags/erfassen", access: adminOnly, url: "/verwaltung/runden/{r1}/kommunen/{C}/erfassen", ok: []int{200, 303},
		form: func(f *routeFixture, _ *routeRole) url.Values {
			return url.Values{"antwort": {f.ids["{respC}"]}, "revision": {strconv.Itoa(f.revision(f.ids["{respC}"]))},
				"aktion": {"speichern"}, "q.kontakt_funktion": {"Eingetragen von der Koordinierungsstelle"}}
		}},
	{method: "GET", pattern: "/verwaltung/benutzer", access: staffRead, url: "/verwaltung/benutzer"},
	{method: "POST", pattern: "/verwaltung/benutzer", access: adminOnly, url: "/verwaltung/benutzer",
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"email": {"neu@bedarf.example"}, "name": {"Nora Neu"}, "rolle": {"viewer"}}
		}},
	{method: "POST", pattern: "/verwaltung/benutzer/:user/sperren", access: adminOnly, url: "/verwaltung/benutzer/{u}/sperren", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/benutzer/:user/entsperren", access: adminOnly, url: "/verwaltung/benutzer/{u}/entsperren", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/benutzer/:user/rolle", access: adminOnly, url: "/verwaltung/benutzer/{u}/rolle", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return url.Values{"rolle": {"admin"}} }},
	{method: "POST", pattern: "/verwaltung/benutzer/:user/passwort", access: adminOnly, url: "/verwaltung/benutzer/{u}/passwort"},
	{method: "GET", pattern: "/verwaltung/protokoll", access: staffRead, url: "/verwaltung/protokoll?was=response.&von=2020-01-01"},
	{method: "GET", pattern: "/verwaltung/frageboegen", access: staffRead, url: "/verwaltung/frageboegen"},
	{method: "GET", pattern: "/verwaltung/rechtstexte", access: staffRead, url: "/verwaltung/rechtstexte"},
	{method: "GET", pattern: "/verwaltung/rechtstexte/:seite", access: staffRead, url: "/verwaltung/rechtstexte/datenschutz"},
	{method: "POST", pattern: "/verwaltung/rechtstexte/:seite", access: adminOnly, url: "/verwaltung/rechtstexte/impressum", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"sprache": {"de"}, "text": {"# Herausgeber\nRegion Hannover"}, "aktion": {"speichern"}}
		}},
	{method: "POST", pattern: "/verwaltung/frageboegen", access: adminOnly, url: "/verwaltung/frageboegen", ok: []int{303},
		upload: &routeUpload{"routentest.yaml", func() []byte {
			return bytes.Replace(survey.DefaultQuestionnaireYAML(), []byte("\ntitle: "), []byte("\ntitle: Routentest "), 1)
		}}},
	// Mails to the Kommunen (mail_pages.go). Without a mail server the demo
	// keeps mails in the queue; the fixture gives three of them the states
	// a mail server's answers would (failed, unklar).
	{method: "GET", pattern: "/verwaltung/mail", access: staffRead, url: "/verwaltung/mail", ok: []int{303}},
	{method: "GET", pattern: "/verwaltung/runden/:round/mail", access: staffRead, url: "/verwaltung/runden/{r1}/mail"},
	{method: "POST", pattern: "/verwaltung/runden/:round/mail/texte", access: adminOnly, url: "/verwaltung/runden/{r1}/mail/texte", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			inv, rem := survey.DefaultMailText(survey.MailInvitation), survey.DefaultMailText(survey.MailReminder)
			return url.Values{"einladung_betreff": {inv.Subject + " (Routentest)"}, "einladung_text": {inv.Body},
				"erinnerung_betreff": {rem.Subject}, "erinnerung_text": {rem.Body}, "auto_tage": {"3"}}
		}},
	{method: "GET", pattern: "/verwaltung/runden/:round/mail/vorschau", access: adminOnly, url: "/verwaltung/runden/{r1}/mail/vorschau?art=einladung&kommune={A}"},
	{method: "POST", pattern: "/verwaltung/runden/:round/mail/senden", access: adminOnly, url: "/verwaltung/runden/{r1}/mail/senden", ok: []int{303},
		form: func(f *routeFixture, _ *routeRole) url.Values {
			return url.Values{"art": {"erinnerung"}, "stand": {f.mailStand("erinnerung")}, "kommune": {f.ids["{A}"]}}
		}},
	{method: "POST", pattern: "/verwaltung/runden/:round/mail/versand/:mail/wiederholen", access: adminOnly, url: "/verwaltung/runden/{r1}/mail/versand/{mFailed}/wiederholen", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/runden/:round/mail/versand/:mail/erneut", access: adminOnly, url: "/verwaltung/runden/{r1}/mail/versand/{mUnklar1}/erneut", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return url.Values{"geprueft": {"ja"}} }},
	{method: "POST", pattern: "/verwaltung/runden/:round/mail/versand/:mail/gesendet", access: adminOnly, url: "/verwaltung/runden/{r1}/mail/versand/{mUnklar2}/gesendet", ok: []int{303}},
	{method: "GET", pattern: "/verwaltung/kontakte", access: staffRead, url: "/verwaltung/kontakte"},
	{method: "POST", pattern: "/verwaltung/kontakte/import", access: adminOnly, url: "/verwaltung/kontakte/import",
		upload: &routeUpload{"kontakte.csv", func() []byte { return []byte("AGS;E-Mail\n03241001;import@hannover.example\n") }}},
	{method: "GET", pattern: "/verwaltung/runden/:round/kontakte-aus-antworten", access: adminOnly, url: "/verwaltung/runden/{r1}/kontakte-aus-antworten"},
	{method: "POST", pattern: "/verwaltung/runden/:round/kontakte-aus-antworten", access: adminOnly, url: "/verwaltung/runden/{r1}/kontakte-aus-antworten", ok: []int{303},
		form: func(f *routeFixture, _ *routeRole) url.Values {
			return url.Values{"frage": {"kontakt_email"}, "kommune": {f.ids["{A}"]}, "adresse_" + f.ids["{A}"]: {"gibt-es-nicht@kommune.example"}}
		}},
	{method: "GET", pattern: "/verwaltung/kontakte/:ags", access: staffRead, url: "/verwaltung/kontakte/{A}"},
	{method: "POST", pattern: "/verwaltung/kontakte/:ags", access: adminOnly, url: "/verwaltung/kontakte/{A}", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"email": {"neu-a@kommune.example"}, "name": {"Sozialamt"}}
		}},
	{method: "POST", pattern: "/verwaltung/kontakte/:ags/:contact/loeschen", access: adminOnly, url: "/verwaltung/kontakte/{A}/{contactDel}/loeschen", ok: []int{303}},
	// The results released to the Kommunen (report_release.go, report.go).
	{method: "GET", pattern: "/verwaltung/runden/:round/ergebnisse", access: staffRead, url: "/verwaltung/runden/{r1}/ergebnisse"},
	{method: "GET", pattern: "/verwaltung/runden/:round/ergebnisse/freigeben", access: adminOnly, url: "/verwaltung/runden/{r1}/ergebnisse/freigeben?mindestgruppe=5"},
	{method: "POST", pattern: "/verwaltung/runden/:round/ergebnisse/freigeben", access: adminOnly, url: "/verwaltung/runden/{r1}/ergebnisse/freigeben", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values { return url.Values{"mindestgruppe": {"5"}} }},
	{method: "GET", pattern: "/verwaltung/runden/:round/ergebnisse/vorschau", access: staffRead, url: "/verwaltung/runden/{r1}/ergebnisse/vorschau?kommune={A}", ok: []int{303}},
	{method: "GET", pattern: "/verwaltung/runden/:round/ergebnisse/vorschau/:ags", access: staffRead, url: "/verwaltung/runden/{r1}/ergebnisse/vorschau/{S}"},
	{method: "GET", pattern: "/verwaltung/runden/:round/ergebnisse/vorschau/:ags/druck", access: staffRead, url: "/verwaltung/runden/{r1}/ergebnisse/vorschau/{S}/druck"},
	{method: "GET", pattern: "/verwaltung/runden/:round/ergebnisse/vorschau/:ags/ergebnisse.xlsx", access: staffRead, url: "/verwaltung/runden/{r1}/ergebnisse/vorschau/{S}/ergebnisse.xlsx"},
	{method: "GET", pattern: "/verwaltung/runden/:round/ergebnisse/vorschau/:ags/diagramme/:file", access: staffRead, url: "/verwaltung/runden/{r1}/ergebnisse/vorschau/{S}/diagramme/1.svg"},
	// Released just before (the row above) or withdrawn already by an earlier role: 409.
	{method: "GET", pattern: "/verwaltung/runden/:round/ergebnisse/zuruecknehmen", access: adminOnly, url: "/verwaltung/runden/{r1}/ergebnisse/zuruecknehmen", ok: []int{200, 409}},
	{method: "POST", pattern: "/verwaltung/runden/:round/ergebnisse/zuruecknehmen", access: adminOnly, url: "/verwaltung/runden/{r1}/ergebnisse/zuruecknehmen", ok: []int{303, 409}},

	{method: "GET", pattern: "/verwaltung/kommunen", access: staffRead, url: "/verwaltung/kommunen"},
	{method: "POST", pattern: "/verwaltung/kommunen/import", access: adminOnly, url: "/verwaltung/kommunen/import",
		upload: &routeUpload{"kommunen.csv", func() []byte {
			return []byte("ags;name;kind;lat;lon\n03241001;Hannover;Stadt;52,3796;9,7697\n")
		}}},
	{method: "POST", pattern: "/verwaltung/kommunen/grenzen", access: adminOnly, url: "/verwaltung/kommunen/grenzen",
		upload: &routeUpload{"grenzen.geojson", analysis.DefaultRegionGeoJSON}},
	{method: "POST", pattern: "/verwaltung/kommunen/grenzen/loeschen", access: adminOnly, url: "/verwaltung/kommunen/grenzen/loeschen", ok: []int{303}},

	{method: "GET", pattern: "/verwaltung/einrichtung", access: staffRead, url: "/verwaltung/einrichtung"},
	{method: "POST", pattern: "/verwaltung/einrichtung/organisation", access: adminOnly, url: "/verwaltung/einrichtung/organisation", ok: []int{303},
		form: func(*routeFixture, *routeRole) url.Values {
			return url.Values{"stelle": {"Fachdienst Integration"}, "behoerde": {"Landkreis Muster"}}
		}},
	{method: "POST", pattern: "/verwaltung/einrichtung/kommunen/region-hannover", access: adminOnly, url: "/verwaltung/einrichtung/kommunen/region-hannover", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/einrichtung/kommunen", access: adminOnly, url: "/verwaltung/einrichtung/kommunen", ok: []int{303},
		upload: &routeUpload{"kommunen.csv", func() []byte {
			return []byte("ags;name;kind;lat;lon\n03241001;Hannover;Stadt;52,3796;9,7697\n")
		}}},
	{method: "POST", pattern: "/verwaltung/einrichtung/grenzen/region-hannover", access: adminOnly, url: "/verwaltung/einrichtung/grenzen/region-hannover", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/einrichtung/grenzen", access: adminOnly, url: "/verwaltung/einrichtung/grenzen", ok: []int{303},
		upload: &routeUpload{"grenzen.geojson", analysis.DefaultRegionGeoJSON}},
	{method: "POST", pattern: "/verwaltung/einrichtung/fragebogen/standard", access: adminOnly, url: "/verwaltung/einrichtung/fragebogen/standard", ok: []int{303}},
	{method: "POST", pattern: "/verwaltung/einrichtung/fragebogen", access: adminOnly, url: "/verwaltung/einrichtung/fragebogen", ok: []int{303},
		upload: &routeUpload{"fragebogen.yaml", survey.DefaultQuestionnaireYAML}},
	{method: "POST", pattern: "/verwaltung/einrichtung/testmail", access: adminOnly, url: "/verwaltung/einrichtung/testmail", ok: []int{409}},
}, slices.Concat(offerRouteRows, attendanceRouteRows, feedbackRouteRows)...)

// kommuneForm is what the caller's form page holds (the Kommune's whole
// form, as a browser sends it), with one answer changed. Callers without a
// form page send Kommune A's.
func kommuneForm(f *routeFixture, r *routeRole) url.Values {
	form := f.formOf(r)
	if form == nil {
		form = f.formOf(f.roles["kommuneA"])
	}
	form.Set("aktion", "speichern")
	form.Set("q.kontakt_funktion", "Gespeichert als "+r.name)
	return form
}

var standRouteRE = regexp.MustCompile(`name="stand" value="([^"]*)"`)

// mailStand is the version of a round's mail texts the preview shows, which
// a mailing must name.
func (f *routeFixture) mailStand(kind string) string {
	f.t.Helper()
	_, page, _ := f.admin.get(f.r.base + f.expand("/verwaltung/runden/{r1}/mail/vorschau?art="+kind))
	m := standRouteRE.FindStringSubmatch(page)
	if m == nil {
		f.t.Fatalf("mail preview shows no version")
	}
	return m[1]
}

func scenarioForm(name string) url.Values {
	return url.Values{"name": {name}, "GroupMin": {"5"}, "GroupMax": {"9"}, "RadiusKm": {"20"}, "PoolOnline": {"1"},
		"SessionsPerYear": {"10"}, "HoursPerSession": {"2"}, "FeePerHour": {"120"}, "TravelPerSession": {"30"}, "VATPercent": {"19"},
		"TrainingMaxPerDay": {"20"}, "TrainingDayCost": {"1.200"}, "TargetCaseload": {"80"}, "CostPerFTE": {"75.000"}}
}

// routeRole is a caller: a real session from a real login or link, or none.
type routeRole struct {
	name string
	kind string // "anon", "kommune", "viewer", "admin"
	// cookie is the session cookie's value ("" for no session).
	cookie string
	// row, if set, is put back into the sessions table before every call:
	// the session of a disabled user, or one past its time-out, which the
	// server deletes when it sees it.
	row []any
}

// refusal returns how a route refuses the role; ok is true when the role
// may use the route.
func (a access) refusal(method string, kind string) (status int, location string, ok bool) {
	login := func() (int, string, bool) {
		if method == http.MethodGet || method == http.MethodHead {
			return http.StatusSeeOther, "/anmelden", false
		}
		return http.StatusUnauthorized, "", false
	}
	switch a {
	case public:
		return 0, "", true
	case kommuneOnly:
		if kind == "kommune" {
			return 0, "", true
		}
		return http.StatusUnauthorized, "", false
	case staffRead:
		if kind == "viewer" || kind == "admin" {
			return 0, "", true
		}
		return login()
	default: // adminOnly
		switch kind {
		case "admin":
			return 0, "", true
		case "viewer":
			return http.StatusForbidden, "", false
		}
		return login()
	}
}

// routeFixture is the demo with the sessions, rounds, scenarios and
// accounts the table's URLs name.
type routeFixture struct {
	t      *testing.T
	r      *rig
	admin  *browser
	client *http.Client
	ro, rw *sql.DB
	ids    map[string]string
	roles  map[string]*routeRole
	order  []string // role names in the order they are tried
}

func (f *routeFixture) expand(s string) string {
	for k, v := range f.ids {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

// do sends one request as the role, without following redirects; the
// role's cookie is sent as is and nothing the server sets is kept.
func (f *routeFixture) do(r *routeRole, method, path string, form url.Values, up *routeUpload, endsSession bool) (int, string, http.Header) {
	t := f.t
	t.Helper()
	f.prepare(r)
	var body io.Reader
	ctype := ""
	switch {
	case up != nil:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("datei", up.name)
		fw.Write(up.data())
		mw.Close()
		body, ctype = &buf, mw.FormDataContentType()
	case method == http.MethodPost:
		for k, vs := range form {
			for i, v := range vs {
				vs[i] = f.expand(v)
			}
			form[k] = vs
		}
		body, ctype = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(method, f.r.base+f.expand(path), body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Origin", f.r.base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if cookie := r.cookie; cookie != "" {
		if endsSession {
			cookie = f.cloneSession(r)
		}
		req.AddCookie(&http.Cookie{Name: "bedarf", Value: cookie})
	}
	resp, err := f.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s as %s: %v", method, path, r.name, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out), resp.Header
}

// prepare puts the role's session row back where the role needs it.
func (f *routeFixture) prepare(r *routeRole) {
	if r.row == nil {
		return
	}
	if _, err := f.rw.Exec(`INSERT OR REPLACE INTO sessions (id_hash, kind, user_id, token_id, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.row...); err != nil {
		f.t.Fatalf("restore session of %s: %v", r.name, err)
	}
}

// sessionRow reads a session's row as it is stored.
func (f *routeFixture) sessionRow(cookie string) []any {
	f.t.Helper()
	row := make([]any, 7)
	ptrs := make([]any, 7)
	for i := range row {
		ptrs[i] = &row[i]
	}
	if err := f.ro.QueryRow(`SELECT id_hash, kind, user_id, token_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?`,
		auth.Hash(cookie)).Scan(ptrs...); err != nil {
		f.t.Fatalf("session row: %v", err)
	}
	return row
}

// cloneSession stores a copy of the role's session under a new id, for a
// call that ends the session it is made with.
func (f *routeFixture) cloneSession(r *routeRole) string {
	f.t.Helper()
	row := r.row
	if row == nil {
		row = f.sessionRow(r.cookie)
	}
	id := auth.NewToken()
	clone := slices.Clone(row)
	clone[0] = auth.Hash(id)
	if _, err := f.rw.Exec(`INSERT INTO sessions (id_hash, kind, user_id, token_id, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, clone...); err != nil {
		f.t.Fatalf("clone session of %s: %v", r.name, err)
	}
	return id
}

// fingerprint returns per table (all but the sessions) the row count and a
// hash over all rows; where is an optional filter per table.
func (f *routeFixture) fingerprint(where map[string]string) map[string]string {
	f.t.Helper()
	rows, err := f.ro.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'sessions' ORDER BY name")
	if err != nil {
		f.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, table := range tables {
		cond := "1"
		if where != nil {
			c, ok := where[table]
			if !ok {
				continue
			}
			cond = c
		}
		var ncol int
		f.ro.QueryRow("SELECT count(*) FROM pragma_table_info(?)", table).Scan(&ncol)
		order := make([]string, ncol)
		for i := range order {
			order[i] = strconv.Itoa(i + 1)
		}
		rs, err := f.ro.Query(`SELECT * FROM "` + table + `" WHERE ` + cond + ` ORDER BY ` + strings.Join(order, ", "))
		if err != nil {
			f.t.Fatalf("fingerprint %s: %v", table, err)
		}
		h, n := sha256.New(), 0
		for rs.Next() {
			vals := make([]any, ncol)
			ptrs := make([]any, ncol)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				f.t.Fatal(err)
			}
			fmt.Fprintf(h, "%#v\n", vals)
			n++
		}
		rs.Close()
		out[table] = fmt.Sprintf("%d rows %x", n, h.Sum(nil)[:8])
	}
	return out
}

// responseScope limits a fingerprint to one response and what hangs on it.
func responseScope(respID, roundID, kommuneID string) map[string]string {
	return map[string]string{
		"responses":      "id = " + respID,
		"answers":        "response_id = " + respID,
		"answer_changes": "response_id = " + respID,
		"revisions":      "response_id = " + respID,
		"tokens":         "response_id = " + respID,
		"audit_log":      "round_id = " + roundID + " AND kommune_id = " + kommuneID,
	}
}

func diffFingerprints(before, after map[string]string) string {
	var d []string
	for k, v := range before {
		if after[k] != v {
			d = append(d, fmt.Sprintf("%s: %s → %s", k, v, after[k]))
		}
	}
	for k, v := range after {
		if _, ok := before[k]; !ok {
			d = append(d, fmt.Sprintf("%s: new %s", k, v))
		}
	}
	slices.Sort(d)
	return strings.Join(d, "; ")
}

func (f *routeFixture) revision(respID string) int {
	f.t.Helper()
	var rev int
	if err := f.ro.QueryRow("SELECT revision FROM responses WHERE id = ?", respID).Scan(&rev); err != nil {
		f.t.Fatal(err)
	}
	return rev
}

// storedRaw returns an answer of a response as stored.
func (f *routeFixture) storedRaw(respID, question string) string {
	f.t.Helper()
	var raw string
	err := f.ro.QueryRow("SELECT raw FROM answers WHERE response_id = ? AND question_id = ? AND item = ''", respID, question).Scan(&raw)
	if err != nil && err != sql.ErrNoRows {
		f.t.Fatal(err)
	}
	return raw
}

// formOf returns what the role's form page holds, or nil if the role has
// no form page.
func (f *routeFixture) formOf(r *routeRole) url.Values {
	f.t.Helper()
	code, page, _ := f.do(r, http.MethodGet, "/fragebogen", nil, nil, false)
	if code != http.StatusOK {
		return nil
	}
	return pageForm(f.t, page)
}

// cookieFrom returns the session cookie a browser holds.
func cookieFrom(t *testing.T, b *browser, base string) string {
	t.Helper()
	u, _ := url.Parse(base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "bedarf" {
			return c.Value
		}
	}
	t.Fatal("browser holds no session cookie")
	return ""
}

var (
	locationRoundRE    = regexp.MustCompile(`/runden/(\d+)/`)
	locationScenarioRE = regexp.MustCompile(`szenario=(\d+)`)
)

func newRouteFixture(t *testing.T) *routeFixture {
	ctx := context.Background()
	r := startRig(t)
	f := &routeFixture{t: t, r: r, ids: map[string]string{}, roles: map[string]*routeRole{},
		client: &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	var err error
	if f.ro, err = sql.Open("sqlite", "file:"+r.db+"?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)"); err != nil {
		t.Fatal(err)
	}
	if f.rw, err = sql.Open("sqlite", "file:"+r.db+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"); err != nil {
		t.Fatal(err)
	}
	f.rw.SetMaxOpenConns(1)
	t.Cleanup(func() { f.ro.Close(); f.rw.Close() })
	f.admin = loginAdmin(t, r.demo)

	// Kommunen: A, B and C still editable, S and S2 submitted.
	resps, err := r.st.Responses(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var editable, submitted []survey.Response
	for _, resp := range resps {
		switch resp.Status {
		case survey.StatusNew, survey.StatusDraft:
			editable = append(editable, resp)
		case survey.StatusSubmitted:
			submitted = append(submitted, resp)
		}
	}
	if len(editable) < 3 || len(submitted) < 2 {
		t.Fatalf("demo has %d editable and %d submitted responses", len(editable), len(submitted))
	}
	set := func(key string, v any) { f.ids["{"+key+"}"] = fmt.Sprint(v) }
	set("r1", 1)
	for i, k := range []string{"A", "B", "C"} {
		set(k, editable[i].Kommune.AGS)
		set("resp"+k, editable[i].ID)
		set("kid"+k, editable[i].Kommune.ID)
	}
	set("S", submitted[0].Kommune.AGS)
	set("S2", submitted[1].Kommune.AGS)
	set("tokA", strings.TrimPrefix(r.links[editable[0].Kommune.AGS], r.base+"/k/"))

	// Kommune A and B: sessions from their links, each with an answer of
	// its own that the other must never see.
	kommune := func(name, ags string) *routeRole {
		b := newBrowser(t, r.base)
		if code, _, _ := b.get(r.links[ags]); code != http.StatusSeeOther {
			t.Fatalf("link of %s: %d", ags, code)
		}
		role := &routeRole{name: name, kind: "kommune", cookie: cookieFrom(t, b, r.base)}
		_, page, _ := b.get(r.base + "/fragebogen")
		form := pageForm(t, page)
		form.Set("aktion", "speichern")
		form.Set("q.kontakt_name", "Geheim "+name)
		if code, _, _ := b.post(r.base+"/fragebogen", form); code != http.StatusOK {
			t.Fatalf("save of %s: %d", name, code)
		}
		return role
	}
	f.roles["kommuneA"] = kommune("kommuneA", f.ids["{A}"])
	f.roles["kommuneB"] = kommune("kommuneB", f.ids["{B}"])

	// Round 2 invites only Kommune A.
	code, _, h := f.admin.post(r.base+"/verwaltung/runden", url.Values{"fragebogen": {"1"}, "titel": {"Nur A"},
		"beginn": {"2026-01-01"}, "frist": {"2099-01-01"}, "kommune": {f.ids["{kidA}"]}, "links": {"1"}})
	m := locationRoundRE.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("create round 2: %d %q", code, h.Get("Location"))
	}
	set("r2", m[1])
	respA2, _, err := r.st.ResponseByKommune(ctx, mustInt(t, m[1]), f.ids["{A}"])
	if err != nil {
		t.Fatal(err)
	}
	set("respA2", respA2.ID)

	// Scenarios: two more in round 1, the default one of round 2.
	scenario := func(name string) string {
		code, _, h := f.admin.post(r.base+"/verwaltung/runden/1/plan/szenarien", url.Values{"name": {name}})
		m := locationScenarioRE.FindStringSubmatch(h.Get("Location"))
		if code != http.StatusSeeOther || m == nil {
			t.Fatalf("create scenario: %d %q", code, h.Get("Location"))
		}
		return m[1]
	}
	f.admin.get(r.base + "/verwaltung/runden/1/plan")
	set("sc", scenario("Variante"))
	set("scDel", scenario("Zum Löschen"))
	// Round 2's default scenario exists only implicitly until a change
	// stores it (a GET changes nothing): store it by creating another.
	if code, _, _ := f.admin.post(r.base+"/verwaltung/runden/"+f.ids["{r2}"]+"/plan/szenarien", url.Values{"name": {"Runde 2"}}); code != http.StatusSeeOther {
		t.Fatalf("scenario in round 2: %d", code)
	}
	var sc2 int64
	if err := f.ro.QueryRow("SELECT id FROM scenarios WHERE round_id = ? AND decisive = 1", f.ids["{r2}"]).Scan(&sc2); err != nil {
		t.Fatal(err)
	}
	set("sc2", sc2)

	// Contact addresses and invitations to A, B and C; the mail server's
	// answers are put in the queue by hand: one failed, two unklar.
	for _, k := range []string{"A", "B", "C"} {
		if code, _, _ := f.admin.post(r.base+"/verwaltung/kontakte/"+f.ids["{"+k+"}"], url.Values{"email": {"kontakt-" + strings.ToLower(k) + "@kommune.example"}}); code != http.StatusSeeOther {
			t.Fatalf("contact of %s: %d", k, code)
		}
	}
	if code, _, _ := f.admin.post(r.base+"/verwaltung/kontakte/"+f.ids["{A}"], url.Values{"email": {"zweit-a@kommune.example"}}); code != http.StatusSeeOther {
		t.Fatalf("second contact of A: %d", code)
	}
	var contactDel int64
	if err := f.ro.QueryRow("SELECT id FROM kommune_contacts WHERE email = 'zweit-a@kommune.example'").Scan(&contactDel); err != nil {
		t.Fatal(err)
	}
	set("contactDel", contactDel)
	if code, _, _ := f.admin.post(r.base+"/verwaltung/runden/1/mail/senden", url.Values{"art": {"einladung"}, "stand": {f.mailStand("einladung")}}); code != http.StatusSeeOther {
		t.Fatalf("queue invitations: %d", code)
	}
	var mails []int64
	mrows, err := f.ro.Query("SELECT id FROM mail_queue WHERE round_id = 1 ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for mrows.Next() {
		var id int64
		mrows.Scan(&id)
		mails = append(mails, id)
	}
	mrows.Close()
	if len(mails) < 3 {
		t.Fatalf("%d mails queued, want 3", len(mails))
	}
	for i, st := range []string{"failed", "unklar", "unklar"} {
		if _, err := f.rw.Exec("UPDATE mail_queue SET status = ? WHERE id = ?", st, mails[i]); err != nil {
			t.Fatal(err)
		}
	}
	set("mFailed", mails[0])
	set("mUnklar1", mails[1])
	set("mUnklar2", mails[2])
	f.offerIDs()
	f.feedbackIDs()

	// Staff accounts, added on the command line as an operator does.
	account := func(email, role string) int64 {
		err := run(ctx, []string{"user", "add", "--db", r.db, "--email", email, "--name", "Konto " + email, "--role", role},
			strings.NewReader("ein-langes-passwort\n"), io.Discard, io.Discard)
		if err != nil {
			t.Fatalf("user add %s: %v", email, err)
		}
		var id int64
		if err := f.ro.QueryRow("SELECT id FROM users WHERE email = ?", email).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	staff := func(name, kind, email string) *routeRole {
		b := r.signIn(t, email, "ein-langes-passwort")
		return &routeRole{name: name, kind: kind, cookie: cookieFrom(t, b, r.base)}
	}
	account("leser@bedarf.example", "viewer")
	set("u", account("ziel@bedarf.example", "viewer"))
	disabledID := account("gesperrt@bedarf.example", "admin")
	account("abgelaufen@bedarf.example", "admin")
	account("untaetig@bedarf.example", "admin")
	f.roles["viewer"] = staff("viewer", "viewer", "leser@bedarf.example")
	f.roles["admin"] = &routeRole{name: "admin", kind: "admin", cookie: cookieFrom(t, f.admin, r.base)}

	// A disabled admin: disabled on the admin page, which ends its session;
	// the test then puts the session back before every call, as if it had
	// survived, so that the check of the account itself is what refuses.
	disabled := staff("disabled", "anon", "gesperrt@bedarf.example")
	disabled.row = f.sessionRow(disabled.cookie)
	if code, _, _ := f.admin.post(fmt.Sprintf("%s/verwaltung/benutzer/%d/sperren", r.base, disabledID), nil); code != http.StatusSeeOther {
		t.Fatalf("disable: %d", code)
	}
	var n int
	f.ro.QueryRow("SELECT count(*) FROM sessions WHERE user_id = ?", disabledID).Scan(&n)
	if n != 0 {
		t.Errorf("disabling an account left %d sessions", n)
	}
	if code, _, _ := newBrowser(t, r.base).post(r.login, url.Values{"email": {"gesperrt@bedarf.example"}, "passwort": {"ein-langes-passwort"}}); code != http.StatusUnauthorized {
		t.Errorf("disabled account signs in: %d", code)
	}
	f.roles["disabled"] = disabled

	// Sessions past their time-outs, edited in the database.
	stamp := func(d time.Duration) string { return time.Now().Add(d).UTC().Format("2006-01-02T15:04:05.000Z") }
	expired := staff("expiredStaff", "anon", "abgelaufen@bedarf.example")
	expired.row = f.sessionRow(expired.cookie)
	expired.row[4], expired.row[5], expired.row[6] = stamp(-13*time.Hour), stamp(-time.Minute), stamp(-time.Hour) // absolute
	f.roles["expiredStaff"] = expired
	idle := staff("idleStaff", "anon", "untaetig@bedarf.example")
	idle.row = f.sessionRow(idle.cookie)
	idle.row[5] = stamp(-3 * time.Hour) // idle longer than 2 hours
	f.roles["idleStaff"] = idle
	kb := newBrowser(t, r.base)
	kb.get(r.links[f.ids["{A}"]])
	expiredK := &routeRole{name: "expiredKommune", kind: "anon", cookie: cookieFrom(t, kb, r.base)}
	expiredK.row = f.sessionRow(expiredK.cookie)
	expiredK.row[5] = stamp(-8 * 24 * time.Hour) // idle longer than 7 days
	f.roles["expiredKommune"] = expiredK
	f.roles["none"] = &routeRole{name: "none", kind: "anon"}
	f.order = []string{"none", "kommuneA", "kommuneB", "expiredKommune", "viewer", "admin", "disabled", "expiredStaff", "idleStaff"}
	return f
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// registeredRoutes returns "METHOD pattern" of every route gin has.
func registeredRoutes(t *testing.T, f *routeFixture) []string {
	t.Helper()
	srv, err := web.New(f.r.st, f.r.sealer, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{BaseURL: f.r.base})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ri := range srv.Engine.Routes() {
		out = append(out, ri.Method+" "+ri.Path)
	}
	return out
}

// matchesPattern reports whether a concrete path fits a gin pattern.
func matchesPattern(pattern, path string) bool {
	path, _, _ = strings.Cut(path, "?")
	ps, us := strings.Split(pattern, "/"), strings.Split(path, "/")
	for i, p := range ps {
		if strings.HasPrefix(p, "*") {
			return i < len(us)
		}
		if i >= len(us) || (strings.HasPrefix(p, ":") && us[i] == "") || (!strings.HasPrefix(p, ":") && p != us[i]) {
			return false
		}
	}
	return len(ps) == len(us)
}

// TestRoutesByRole calls every registered route as every role and checks
// the answer against routeTable, that refused calls change nothing, and
// that changed ids are refused.
func TestRoutesByRole(t *testing.T) {
	f := newRouteFixture(t)

	// Every registered route has a row, every row a registered route, and
	// every row's URL is one of its route's addresses.
	registered := registeredRoutes(t, f)
	rows := map[string]routeCase{}
	for _, rc := range routeTable {
		key := rc.method + " " + rc.pattern
		if _, dup := rows[key]; dup {
			t.Errorf("route %s has two rows in routeTable", key)
		}
		rows[key] = rc
		if !matchesPattern(rc.pattern, f.expand(rc.url)) {
			t.Errorf("row %s: URL %s does not fit the route", key, rc.url)
		}
	}
	for _, key := range registered {
		if _, ok := rows[key]; !ok {
			t.Errorf("new route %s not covered: add it to the table (routeTable in routes_test.go) with who may use it and a concrete URL", key)
		}
	}
	for key := range rows {
		if !slices.Contains(registered, key) {
			t.Errorf("routeTable has %s, which the server no longer registers: remove the row", key)
		}
	}

	formFor := func(rc routeCase, r *routeRole) url.Values {
		if rc.form == nil {
			return url.Values{}
		}
		return rc.form(f, r)
	}

	// Phase 1: every role the table refuses is refused as it should be,
	// and nothing changes.
	refusals := 0
	for _, rc := range routeTable {
		for _, name := range f.order {
			role := f.roles[name]
			wantStatus, wantLocation, ok := rc.access.refusal(rc.method, role.kind)
			if ok {
				continue
			}
			form := formFor(rc, role)
			before := f.fingerprint(nil)
			code, body, h := f.do(role, rc.method, rc.url, form, rc.upload, rc.endsSession)
			refusals++
			what := fmt.Sprintf("%s %s (%s) as %s", rc.method, rc.url, rc.access, name)
			if code != wantStatus || h.Get("Location") != wantLocation {
				t.Errorf("%s: got %d to %q, want %d to %q", what, code, h.Get("Location"), wantStatus, wantLocation)
			}
			if code >= 400 && rc.json && (!strings.Contains(body, `"error":"`) || !strings.Contains(body, `"fallback":true`)) {
				t.Errorf("%s: answered %d without an error in JSON\n%.300s", what, code, body)
			}
			if code >= 400 && !rc.json && !strings.Contains(body, `<html lang="de">`) {
				t.Errorf("%s: answered %d without a page\n%.300s", what, code, body)
			}
			if d := diffFingerprints(before, f.fingerprint(nil)); d != "" {
				t.Errorf("%s was refused but changed the database: %s", what, d)
			}
		}
	}

	// Phase 2: changed ids. Staff addresses that name another round, a
	// Kommune not invited to the round, a scenario of another round or the
	// response id of another Kommune change nothing.
	type probe struct {
		role, method, url string
		form              url.Values
		want              int
	}
	other := "/verwaltung/runden/{r2}/kommunen/{B}" // B is not invited to round 2
	probes := []probe{
		{"admin", "GET", other, nil, 404},
		{"admin", "GET", other + "/erfassen", nil, 404},
		{"admin", "GET", other + "/einladung", nil, 404},
		{"admin", "GET", other + "/qr.png", nil, 404},
		{"viewer", "GET", other, nil, 404},
		{"admin", "GET", "/verwaltung/runden/{r1}/kommunen/99999999", nil, 404},
		{"admin", "GET", "/verwaltung/runden/999/plan", nil, 404},
		{"admin", "GET", "/verwaltung/runden/999/auswertung.xlsx", nil, 404},
		{"admin", "GET", "/verwaltung/runden/{r1}/fragen/gibt_es_nicht", nil, 404},
		{"admin", "GET", other + "/antworten.xlsx", nil, 404},
		{"viewer", "GET", other + "/antworten.xlsx", nil, 404},
		{"admin", "GET", "/verwaltung/runden/999/antworten.csv", nil, 404},
		{"admin", "GET", "/verwaltung/runden/999/ausstehend.csv", nil, 404},
		{"admin", "GET", "/verwaltung/runden/{r1}/diagramme/gibt-es-nicht.svg", nil, 404},
		{"admin", "POST", other + "/zurueckgeben", url.Values{"nachricht": {"x"}}, 404},
		{"admin", "POST", other + "/link", nil, 404},
		{"admin", "POST", other + "/link/widerrufen", nil, 404},
		{"admin", "POST", other + "/wiedereroeffnen", nil, 404},
		{"admin", "POST", other + "/frist", url.Values{"frist": {"2099-01-01"}}, 404},
		{"admin", "POST", other + "/erfassen", url.Values{"antwort": {"{respB}"}, "revision": {"1"}, "q.kontakt_name": {"Fremd"}}, 404},
		{"admin", "POST", "/verwaltung/runden/999/oeffnen", nil, 404},
		{"admin", "POST", "/verwaltung/runden/999/kommunen/{A}/zurueckgeben", url.Values{"nachricht": {"x"}}, 404},
		{"admin", "POST", "/verwaltung/benutzer/999/sperren", nil, 404},
		// Mails and contact addresses through another round or Kommune.
		{"admin", "GET", "/verwaltung/runden/999/mail", nil, 404},
		{"admin", "GET", "/verwaltung/kontakte/99999999", nil, 404},
		{"admin", "POST", "/verwaltung/runden/{r2}/mail/versand/{mFailed}/wiederholen", nil, 404},
		{"admin", "POST", "/verwaltung/runden/{r2}/mail/versand/{mUnklar1}/erneut", url.Values{"geprueft": {"ja"}}, 404},
		{"admin", "POST", "/verwaltung/runden/{r2}/mail/versand/{mUnklar2}/gesendet", nil, 404},
		{"admin", "POST", "/verwaltung/runden/{r1}/mail/versand/99999/gesendet", nil, 404},
		{"admin", "POST", "/verwaltung/kontakte/{B}/{contactDel}/loeschen", nil, 404},
		{"admin", "POST", "/verwaltung/kontakte/99999999", url.Values{"email": {"x@kommune.example"}}, 404},
		// A scenario of round 2 addressed through round 1, and back.
		{"admin", "POST", "/verwaltung/runden/{r1}/plan/szenarien/{sc2}", scenarioForm("Fremd"), 404},
		{"admin", "POST", "/verwaltung/runden/{r1}/plan/szenarien/{sc2}/massgeblich", nil, 404},
		{"admin", "POST", "/verwaltung/runden/{r1}/plan/szenarien/{sc2}/loeschen", nil, 404},
		{"admin", "POST", "/verwaltung/runden/{r2}/plan/szenarien/{scDel}", scenarioForm("Fremd"), 404},
		{"admin", "POST", "/verwaltung/runden/{r2}/plan/szenarien/{scDel}/loeschen", nil, 404},
		// The hidden response id of another Kommune, and of another round.
		{"admin", "POST", "/verwaltung/runden/{r1}/kommunen/{B}/erfassen", url.Values{"antwort": {"{respA}"}, "revision": {"1"}, "aktion": {"speichern"}, "q.kontakt_name": {"Fremd"}}, 400},
		{"admin", "POST", "/verwaltung/runden/{r2}/kommunen/{A}/erfassen", url.Values{"antwort": {"{respA}"}, "revision": {"1"}, "aktion": {"speichern"}, "q.kontakt_name": {"Fremd"}}, 400},
		// Kommune B on Kommune A's staff pages.
		{"kommuneB", "GET", "/verwaltung/runden/{r1}/kommunen/{A}", nil, 303},
		{"kommuneB", "POST", "/verwaltung/runden/{r1}/kommunen/{A}/erfassen", url.Values{"antwort": {"{respA}"}, "revision": {"1"}, "q.kontakt_name": {"Von B"}}, 401},
	}
	for _, p := range offerProbes {
		probes = append(probes, probe(p))
	}
	for _, p := range probes {
		before := f.fingerprint(nil)
		form := p.form
		if form == nil {
			form = url.Values{}
		}
		code, _, _ := f.do(f.roles[p.role], p.method, p.url, form, nil, false)
		what := fmt.Sprintf("%s %s as %s", p.method, f.expand(p.url), p.role)
		if code != p.want {
			t.Errorf("%s: got %d, want %d", what, code, p.want)
		}
		if d := diffFingerprints(before, f.fingerprint(nil)); d != "" {
			t.Errorf("%s changed the database: %s", what, d)
		}
	}

	// Kommune B names Kommune A in the address and in every field a form
	// could carry: it reads and changes only its own answer.
	scopeA := responseScope(f.ids["{respA}"], f.ids["{r1}"], f.ids["{kidA}"])
	scopeA2 := responseScope(f.ids["{respA2}"], f.ids["{r2}"], f.ids["{kidA}"])
	beforeA := f.fingerprint(scopeA)
	kB, kA := f.roles["kommuneB"], f.roles["kommuneA"]
	code, page, _ := f.do(kB, "GET", "/fragebogen?antwort={respA}&ags={A}&kommune={kidA}&runde={r2}", nil, nil, false)
	if code != http.StatusOK || strings.Contains(page, "Geheim kommuneA") || !strings.Contains(page, "Geheim kommuneB") {
		t.Errorf("Kommune B asking for A's form: %d, A's answer shown %v", code, strings.Contains(page, "Geheim kommuneA"))
	}
	form := f.formOf(kB)
	for k, v := range map[string]string{"antwort": "{respA}", "response": "{respA}", "response_id": "{respA}", "ags": "{A}",
		"kommune": "{kidA}", "runde": "{r1}", "aktion": "speichern", "q.kontakt_name": "Von B geschrieben"} {
		form.Set(k, v)
	}
	// A form naming another response than the session's is kept and shown
	// again (409), stored nowhere: not in A's, and not in B's either
	// (session_lost.go).
	beforeB := f.storedRaw(f.ids["{respB}"], "kontakt_name")
	if code, page, _ := f.do(kB, "POST", "/fragebogen?antwort={respA}&ags={A}", form, nil, false); code != http.StatusConflict || !strings.Contains(page, "Von B geschrieben") {
		t.Errorf("Kommune B's save naming A: %d, want 409 with the input kept", code)
	}
	if got := f.storedRaw(f.ids["{respB}"], "kontakt_name"); got != beforeB {
		t.Errorf("Kommune B's own answer: %q, want %q unchanged", got, beforeB)
	}
	if d := diffFingerprints(beforeA, f.fingerprint(scopeA)); d != "" {
		t.Errorf("Kommune B's save changed Kommune A's response: %s", d)
	}
	// Kommune A's session of round 1 naming A's response of round 2.
	beforeA2 := f.fingerprint(scopeA2)
	form = f.formOf(kA)
	form.Set("antwort", f.ids["{respA2}"])
	form.Set("runde", f.ids["{r2}"])
	form.Set("aktion", "speichern")
	form.Set("q.kontakt_funktion", "Runde eins")
	if code, _, _ := f.do(kA, "POST", "/fragebogen", form, nil, false); code != http.StatusConflict {
		t.Errorf("Kommune A's save naming round 2: %d, want 409", code)
	}
	if d := diffFingerprints(beforeA2, f.fingerprint(scopeA2)); d != "" {
		t.Errorf("Kommune A's round-1 session changed its round-2 response: %s", d)
	}
	if got := f.storedRaw(f.ids["{respA}"], "kontakt_funktion"); got == "Runde eins" {
		t.Errorf("Kommune A's round-1 answer took a form naming round 2: %q", got)
	}

	// Phase 3: the roles the table allows get the route, in table order.
	allowed := 0
	for _, rc := range routeTable {
		for _, name := range f.order {
			role := f.roles[name]
			if _, _, ok := rc.access.refusal(rc.method, role.kind); !ok {
				continue
			}
			code, body, h := f.do(role, rc.method, rc.url, formFor(rc, role), rc.upload, rc.endsSession)
			allowed++
			want := rc.ok
			if want == nil {
				want = []int{http.StatusOK}
			}
			what := fmt.Sprintf("%s %s (%s) as %s", rc.method, rc.url, rc.access, name)
			if !slices.Contains(want, code) {
				t.Errorf("%s: got %d (to %q), want one of %v\n%.600s", what, code, h.Get("Location"), want, body)
			}
			if code == http.StatusSeeOther && h.Get("Location") == "/anmelden" && rc.access != public {
				t.Errorf("%s: sent to the login page", what)
			}
			if role.name == "kommuneB" && strings.Contains(readable(body), "Geheim kommuneA") {
				t.Errorf("%s: Kommune B sees Kommune A's answer", what)
			}
			if rc.check != nil {
				if err := rc.check(f, role, body); err != nil {
					t.Errorf("%s: %v", what, err)
				}
			}
		}
	}
	t.Logf("%d routes, %d refused calls, %d id probes, %d allowed calls", len(routeTable), refusals, len(probes), allowed)
}

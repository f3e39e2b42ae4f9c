package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"

	"net/http"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// The mail tests run the real program ("bedarf demo") against a real SMTP
// server on loopback (smtpSink, built with github.com/emersion/go-smtp)
// and check what arrives there.

const testMailFrom = "Koordinierungsstelle Integration – Region Hannover <integration@region.example>"

// startMailRig runs "bedarf demo" with extra flags, like startRig.
func startMailRig(t *testing.T, db string, extra ...string) *rig {
	t.Helper()
	if db == "" {
		db = filepath.Join(t.TempDir(), "mail.db")
	}
	return startRigWith(t, db, extra...)
}

func sinkFlags(sink *smtpSink, mode string) []string {
	return []string{"--smtp-host", "127.0.0.1", "--smtp-port", sink.port(), "--smtp-tls", mode, "--mail-from", testMailFrom}
}

var standRE = regexp.MustCompile(`name="stand" value="([^"]*)"`)

// previewStand opens a preview and returns the page and its text version.
func previewStand(t *testing.T, b *browser, u string) (string, string) {
	t.Helper()
	code, page, _ := b.get(u)
	if code != http.StatusOK {
		t.Fatalf("preview %s: %d", u, code)
	}
	m := standRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("preview %s has no send form", u)
	}
	return page, m[1]
}

// waitMails waits until the round's mails have the statuses wanted and
// returns them.
func waitMails(t *testing.T, st *store.Store, roundID int64, want map[store.MailStatus]int) []store.MailRow {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		log, err := st.MailLog(context.Background(), roundID, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		got := map[store.MailStatus]int{}
		for _, m := range log {
			got[m.Status]++
		}
		if fmt.Sprint(got) == fmt.Sprint(want) {
			return log
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail statuses %v, want %v", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noSecretsLogged checks that no link token (and no other secret) is in
// the log.
func noSecretsLogged(t *testing.T, r *rig, secrets ...string) {
	t.Helper()
	logs := r.logs.String()
	if logs == "" {
		t.Error("the log is empty: nothing was checked")
	}
	for ags, link := range r.links {
		if token := link[strings.LastIndex(link, "/k/")+3:]; strings.Contains(logs, token) {
			t.Errorf("the link token of %s is in the log", ags)
		}
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("a secret (%d characters) is in the log", len(s))
		}
	}
}

// TestMailInviteAndRemind: staff import the contact addresses, preview and
// send the invitations to all Kommunen and remind those that have not
// submitted; the mail server receives exactly these mails, correctly
// encoded, each with the Kommune's current link, which works.
func TestMailInviteAndRemind(t *testing.T) {
	sink, _ := startSink(t, "none")
	r := startMailRig(t, "", sinkFlags(sink, "none")...)
	ctx := context.Background()
	admin := r.signIn(t, r.email, r.password)
	round, err := r.st.LatestRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("%s/verwaltung/runden/%d/mail", r.base, round.ID)

	// Addresses for all Kommunen but the last; Garbsen has two.
	keys := slices.Sorted(mapKeys(r.links))
	const garbsen = "03241005"
	var csv strings.Builder
	csv.WriteString("AGS;E-Mail;Name\n")
	addrOf := map[string]string{} // address → AGS
	for i, ags := range keys[:len(keys)-1] {
		addr := fmt.Sprintf("kommune%d@kommunen.example", i)
		fmt.Fprintf(&csv, "%s;%s;\n", strings.TrimPrefix(ags, "0"), addr) // Excel lost the leading zero
		addrOf[addr] = ags
	}
	csv.WriteString(garbsen + ";juergen.mueller@garbsen.example;Jürgen Müller\n")
	addrOf["juergen.mueller@garbsen.example"] = garbsen
	code, page := admin.upload(r.base+"/verwaltung/kontakte/import", "kontakte.csv", []byte(csv.String()))
	if code != http.StatusOK || !strings.Contains(page, "21 neu") {
		t.Fatalf("contacts import: %d", code)
	}

	page, stand := previewStand(t, admin, base+"/vorschau?art=einladung")
	for _, want := range []string{"Erhalten die Mail (20)", "Erhalten keine Mail (1)", "keine Kontaktadresse",
		`<a href="` + r.links[keys[0]] + `">`, "laden wir die ", "Koordinierungsstelle Integration<br>"} {
		if !strings.Contains(page, want) {
			t.Errorf("invitation preview lacks %q", want)
		}
	}
	code, _, h := admin.post(base+"/senden", url.Values{"art": {"einladung"}, "stand": {stand}})
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "eingereiht=20") {
		t.Fatalf("send invitations: %d to %q", code, h.Get("Location"))
	}
	msgs := sink.waitFor(t, 20)
	rows := waitMails(t, r.st, round.ID, map[store.MailStatus]int{store.MailSent: 20})
	byAGS := map[string]store.MailRow{}
	for _, m := range rows {
		byAGS[m.Kommune.AGS] = m
	}
	deadline := round.Deadline.Format("02.01.2006")
	seen := map[string]bool{}
	for _, msg := range msgs {
		ags := addrOf[msg.Rcpt[0]]
		if ags == "" || seen[ags] {
			t.Fatalf("unexpected or second mail to %v", msg.Rcpt)
		}
		seen[ags] = true
		row := byAGS[ags]
		p := parseMail(t, msg.Data)
		checkInvitation(t, p, msg, row, round, deadline, r.links[ags], r.names[ags])
	}
	// Garbsen: one mail to both addresses, the name RFC 2047 encoded.
	var g sinkMessage
	for _, msg := range msgs {
		if addrOf[msg.Rcpt[0]] == garbsen {
			g = msg
		}
	}
	if len(g.Rcpt) != 2 {
		t.Errorf("Garbsen's mail went to %v, want both addresses", g.Rcpt)
	} else if p := parseMail(t, g.Data); len(p.To) != 2 || p.To[1].Name != "Jürgen Müller" || !strings.Contains(p.RawHeader, "=?UTF-8?") {
		t.Errorf("Garbsen's To: %v", p.To)
	}
	// The link in the mail works.
	for _, ags := range keys[:3] {
		p := parseMail(t, msgs[slices.IndexFunc(msgs, func(m sinkMessage) bool { return addrOf[m.Rcpt[0]] == ags })].Data)
		link := regexp.MustCompile(`https?://\S+/k/\S+`).FindString(p.Text)
		code, _, h := newBrowser(t, r.base).get(link)
		if code != http.StatusSeeOther || h.Get("Location") != "/fragebogen" {
			t.Errorf("link in the mail to %s: %d to %q, want 303 to /fragebogen", ags, code, h.Get("Location"))
		}
	}

	// Reminders: only to those that have not submitted (and have an address).
	resps, err := r.st.Responses(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, resp := range resps {
		if resp.Status != survey.StatusSubmitted && resp.Kommune.AGS != keys[len(keys)-1] {
			want[resp.Kommune.AGS] = true
		}
	}
	if len(want) == 0 || len(want) == 20 {
		t.Fatalf("the demo should have some submitted responses: %d to remind", len(want))
	}
	page, stand = previewStand(t, admin, base+"/vorschau?art=erinnerung")
	if !strings.Contains(page, fmt.Sprintf("Erhalten die Mail (%d)", len(want))) || !strings.Contains(page, "hat eingereicht") {
		t.Errorf("reminder preview does not list %d recipients and the submitted ones", len(want))
	}
	code, _, _ = admin.post(base+"/senden", url.Values{"art": {"erinnerung"}, "stand": {stand}})
	wantCode(t, "send reminders", code, http.StatusSeeOther)
	all := sink.waitFor(t, 20+len(want))
	for _, msg := range all[20:] {
		ags := addrOf[msg.Rcpt[0]]
		if !want[ags] {
			t.Errorf("a reminder went to %s (submitted or not invited)", ags)
		}
		delete(want, ags)
		p := parseMail(t, msg.Data)
		if !strings.HasPrefix(p.Subject, "Erinnerung: "+round.Title) || !strings.Contains(p.Text, r.links[ags]) {
			t.Errorf("reminder to %s: subject %q or link wrong", ags, p.Subject)
		}
	}
	// A second reminder the same day: nobody gets one.
	code, _, h = admin.post(base+"/senden", url.Values{"art": {"erinnerung"}, "stand": {stand}})
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "eingereiht=0") {
		t.Errorf("second reminder: %d to %q, want nothing queued", code, h.Get("Location"))
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(sink.messages()); n != len(all) {
		t.Errorf("the mail server has %d messages, want exactly %d", n, len(all))
	}

	// The send log on the Kommune page and the mail page.
	_, page, _ = admin.get(fmt.Sprintf("%s/verwaltung/runden/%d/kommunen/%s", r.base, round.ID, garbsen))
	if byAGS[garbsen].ServerAnswer == "" {
		t.Error("the server's answer to a sent mail was not kept")
	}
	for _, want := range []string{"Jürgen Müller &lt;juergen.mueller@garbsen.example&gt;", "Einladung", "gesendet", byAGS[garbsen].ServerAnswer} {
		if !strings.Contains(page, want) {
			t.Errorf("Kommune page lacks %q in the mail section", want)
		}
	}
	_, page, _ = admin.get(base)
	if !strings.Contains(page, "Versandprotokoll") || strings.Count(page, "mail-status-sent") != len(all) {
		t.Errorf("mail page shows %d sent mails, want %d", strings.Count(page, "mail-status-sent"), len(all))
	}
	noSecretsLogged(t, r)
}

// checkInvitation checks one delivered invitation.
func checkInvitation(t *testing.T, p parsedMail, msg sinkMessage, row store.MailRow, round survey.Round, deadline, link, name string) {
	t.Helper()
	if want := "Einladung: " + round.Title + " – bitte bis " + deadline + " antworten"; p.Subject != want {
		t.Errorf("subject %q, want %q", p.Subject, want)
	}
	if !regexp.MustCompile(`(?m)^Subject:\s+=\?UTF-8\?[qQbB]\?`).MatchString(p.RawHeader) {
		t.Errorf("subject not RFC 2047 encoded: %q", p.Header.Get("Subject"))
	}
	if p.From.Name != "Koordinierungsstelle Integration – Region Hannover" || p.From.Address != "integration@region.example" || msg.From != "integration@region.example" {
		t.Errorf("From %v, envelope %q", p.From, msg.From)
	}
	if d, err := mail.ParseDate(p.Header.Get("Date")); err != nil || time.Since(d) > time.Minute || time.Since(d) < -time.Minute {
		t.Errorf("Date %q: %v", p.Header.Get("Date"), err)
	}
	if p.Header.Get("Message-Id") != "<"+row.MessageID+">" || !strings.HasSuffix(row.MessageID, "@region.example") {
		t.Errorf("Message-ID %q, want <%s>", p.Header.Get("Message-Id"), row.MessageID)
	}
	if p.Header.Get("Mime-Version") != "1.0" || !slices.Equal(p.Parts, []string{"text/plain", "text/html"}) {
		t.Errorf("MIME-Version %q, parts %v", p.Header.Get("Mime-Version"), p.Parts)
	}
	if len(p.To) == 0 || p.To[0].Address != msg.Rcpt[0] {
		t.Errorf("To %v, envelope %v", p.To, msg.Rcpt)
	}
	for _, want := range []string{"Sehr geehrte Damen und Herren,", "laden wir die ", name, "„" + round.Title + "“", "bis zum " + deadline, "\n" + link + "\n", "Mit freundlichen Grüßen\nIm Auftrag\nKoordinierungsstelle Integration\nRegion Hannover\n"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text part to %s lacks %q", name, want)
		}
	}
	for _, want := range []string{`<html lang="de">`, `<meta charset="utf-8">`, `<a href="` + link + `">` + link + `</a>`, "laden wir die ", "„" + round.Title + "“"} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("HTML part to %s lacks %q", name, want)
		}
	}
}

// TestMailRetryAfterRefusal: the server refuses a mail once (550); staff
// see the answer on the Kommune page and send it again, then it arrives.
func TestMailRetryAfterRefusal(t *testing.T) {
	sink, _ := startSink(t, "none")
	sink.refuse = 1
	r := startMailRig(t, "", sinkFlags(sink, "none")...)
	admin := r.signIn(t, r.email, r.password)
	const ags = "03241001"
	code, _, h := admin.post(r.base+"/verwaltung/kontakte/"+ags, url.Values{"email": {"buero@hannover.example"}, "name": {"Büro"}})
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "hinweis=neu") {
		t.Fatalf("add contact: %d to %q", code, h.Get("Location"))
	}
	base := r.base + "/verwaltung/runden/1/mail"
	_, stand := previewStand(t, admin, base+"/vorschau?art=einladung&kommune="+ags)
	code, _, _ = admin.post(base+"/senden", url.Values{"art": {"einladung"}, "stand": {stand}, "kommune": {ags}})
	wantCode(t, "send", code, http.StatusSeeOther)
	rows := waitMails(t, r.st, 1, map[store.MailStatus]int{store.MailFailed: 1})
	if !strings.Contains(rows[0].ServerAnswer, "550") {
		t.Errorf("answer %q lacks the server's 550", rows[0].ServerAnswer)
	}
	kommunePage := r.base + "/verwaltung/runden/1/kommunen/" + ags
	_, page, _ := admin.get(kommunePage)
	if !strings.Contains(page, "fehlgeschlagen") || !strings.Contains(page, "Empfang abgelehnt (Test)") {
		t.Error("Kommune page does not show the failed send with the server's answer")
	}
	code, _, h = admin.post(fmt.Sprintf("%s/versand/%d/wiederholen", base, rows[0].ID), url.Values{"zurueck": {"kommune"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/verwaltung/runden/1/kommunen/"+ags) {
		t.Fatalf("retry: %d to %q", code, h.Get("Location"))
	}
	sink.waitFor(t, 1)
	rows = waitMails(t, r.st, 1, map[store.MailStatus]int{store.MailSent: 1})
	if rows[0].Attempts != 2 {
		t.Errorf("attempts %d, want 2", rows[0].Attempts)
	}
	if code, _, _ := admin.post(fmt.Sprintf("%s/versand/%d/wiederholen", base, rows[0].ID), nil); code != http.StatusConflict {
		t.Errorf("retry of a sent mail: %d, want 409", code)
	}
	noSecretsLogged(t, r)
}

// TestMailPagesAdminAndViewer: texts with placeholders, the version check
// between preview and send, the contact pages and the CSV import; a viewer
// reads the pages but every POST is refused (403) and the preview (which
// shows links) too.
func TestMailPagesAdminAndViewer(t *testing.T) {
	r := startMailRig(t, "") // no mail server: mails wait in the queue
	admin := r.signIn(t, r.email, r.password)
	base := r.base + "/verwaltung/runden/1/mail"
	code, _, h := admin.get(r.base + "/verwaltung/mail")
	if code != http.StatusSeeOther || h.Get("Location") != "/verwaltung/runden/1/mail" {
		t.Errorf("latest round's mail page: %d to %q", code, h.Get("Location"))
	}
	code, page, _ := admin.get(base)
	if code != http.StatusOK || !strings.Contains(page, "kein Mailserver eingerichtet") || !strings.Contains(page, "{{Kommune}}") {
		t.Fatalf("mail page: %d", code)
	}
	if code, _, _ := admin.get(base + "/vorschau?art=einladung"); code != http.StatusOK {
		t.Errorf("preview without addresses: %d", code)
	}
	old, _ := r.st.RoundMail(context.Background(), 1)
	stand := old.Version

	texts := url.Values{"einladung_betreff": {"Hallo {{Link}}"}, "einladung_text": {"Text {{Ort}}"},
		"erinnerung_betreff": {"Erinnerung {{Runde}}"}, "erinnerung_text": {"Bitte: {{Link}}"}, "auto_tage": {"3"}}
	code, page, _ = admin.post(base+"/texte", texts)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Unbekannter Platzhalter {{Ort}}") ||
		!strings.Contains(page, "nicht im Betreff") || !strings.Contains(page, "Text {{Ort}}") {
		t.Errorf("bad texts: %d, messages or typed text missing", code)
	}
	texts.Set("einladung_betreff", "Grüße an {{Kommune}}")
	texts.Set("einladung_text", "Liebe {{Kommune}},\n\nbitte bis {{Frist}}: {{Link}}")
	code, _, h = admin.post(base+"/texte", texts)
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "gespeichert=1") {
		t.Fatalf("save texts: %d", code)
	}
	if m, _ := r.st.RoundMail(context.Background(), 1); !m.InvitationOwn || m.AutoReminderDays != 3 || m.ReminderOwn != true {
		t.Errorf("stored: %+v", m)
	}
	// Sending with the version of the earlier preview is refused.
	if code, _, _ := admin.post(base+"/senden", url.Values{"art": {"einladung"}, "stand": {stand}}); code != http.StatusConflict {
		t.Errorf("send with a stale preview: %d, want 409", code)
	}

	// Contacts: one address by hand, a refused one, a CSV with a bad line.
	const ags = "03241005"
	code, page, _ = admin.post(r.base+"/verwaltung/kontakte/"+ags, url.Values{"email": {"kaputt@"}, "name": {"X"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "keine gültige E-Mail-Adresse") || !strings.Contains(page, `value="kaputt@"`) {
		t.Errorf("bad address: %d", code)
	}
	if code, _, _ := admin.post(r.base+"/verwaltung/kontakte/"+ags, url.Values{"email": {"info@garbsen.example"}}); code != http.StatusSeeOther {
		t.Errorf("add address: %d", code)
	}
	code, page = admin.upload(r.base+"/verwaltung/kontakte/import", "k.csv", []byte("AGS;E-Mail\n03241001;a@b.example\n0324100X;c@d.example\n03241002;e@\n"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Zeile 3:") || !strings.Contains(page, "Zeile 4:") || !strings.Contains(page, "nichts gespeichert") {
		t.Errorf("bad CSV: %d", code)
	}
	if all, _ := r.st.AllContacts(context.Background()); len(all) != 1 {
		t.Errorf("after a refused import %d Kommunen have addresses, want 1", len(all))
	}
	page, stand = previewStand(t, admin, base+"/vorschau?art=einladung")
	if !strings.Contains(page, "Grüße an Stadt Garbsen") || !strings.Contains(page, "Erhalten die Mail (1)") {
		t.Error("preview does not show the own text for Garbsen")
	}
	code, _, h = admin.post(base+"/senden", url.Values{"art": {"einladung"}, "stand": {stand}})
	if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "eingereiht=1") {
		t.Errorf("queue without a mail server: %d to %q", code, h.Get("Location"))
	}
	if m, _ := r.st.MailLog(context.Background(), 1, 0, 10); len(m) != 1 || m[0].Status != store.MailQueued {
		t.Errorf("without a mail server the mail waits: %+v", m)
	}

	// A viewer.
	code, page, _ = admin.post(r.base+"/verwaltung/benutzer", url.Values{"email": {"leser@bedarf.example"}, "name": {"Lea Leser"}, "rolle": {"viewer"}})
	pw := passwordRE.FindStringSubmatch(page)
	if code != http.StatusOK || pw == nil {
		t.Fatalf("add viewer: %d", code)
	}
	v := r.signIn(t, "leser@bedarf.example", pw[1])
	for _, p := range []string{"/verwaltung/runden/1/mail", "/verwaltung/kontakte", "/verwaltung/kontakte/" + ags} {
		code, page, _ := v.get(r.base + p)
		if code != http.StatusOK || changingForms(page) != 1 || strings.Contains(page, "/k/") {
			t.Errorf("viewer GET %s: %d, %d forms that change something", p, code, changingForms(page)-1)
		}
	}
	if code, _, _ := v.get(base + "/vorschau?art=einladung"); code != http.StatusForbidden {
		t.Errorf("viewer GET preview: %d, want 403", code)
	}
	before, _ := r.st.MailLog(context.Background(), 1, 0, 10)
	for _, p := range []string{base + "/texte", base + "/senden", fmt.Sprintf("%s/versand/%d/wiederholen", base, before[0].ID),
		fmt.Sprintf("%s/versand/%d/erneut", base, before[0].ID), fmt.Sprintf("%s/versand/%d/gesendet", base, before[0].ID),
		r.base + "/verwaltung/kontakte/import", r.base + "/verwaltung/kontakte/" + ags, r.base + "/verwaltung/kontakte/" + ags + "/1/loeschen"} {
		if code, _, _ := v.post(p, url.Values{"art": {"einladung"}, "stand": {stand}, "email": {"x@y.example"}, "geprueft": {"ja"}}); code != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d, want 403", strings.TrimPrefix(p, r.base), code)
		}
	}
	if after, _ := r.st.MailLog(context.Background(), 1, 0, 10); len(after) != 1 {
		t.Errorf("viewer POSTs changed the queue: %d mails", len(after))
	}
	cs, _ := r.st.AllContacts(context.Background())
	if len(cs) != 1 {
		t.Fatalf("viewer POSTs changed the addresses: %d Kommunen have some", len(cs))
	}
	// Deleting the address (admin).
	for _, list := range cs {
		if len(list) != 1 {
			t.Fatalf("addresses %v, want 1", list)
		}
		if code, _, _ := admin.post(fmt.Sprintf("%s/verwaltung/kontakte/%s/%d/loeschen", r.base, ags, list[0].ID), nil); code != http.StatusSeeOther {
			t.Errorf("delete address: %d", code)
		}
	}
	if cs, _ := r.st.AllContacts(context.Background()); len(cs) != 0 {
		t.Errorf("after deleting, %d Kommunen have addresses", len(cs))
	}
}

// mapKeys iterates over the keys of m (the package has its own maps).
func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestMailTLSAndLogin sends through STARTTLS and implicit TLS with a
// self-signed certificate (trusted through --smtp-ca-file) and a login
// whose password comes from the environment and never shows in the log.
func TestMailTLSAndLogin(t *testing.T) {
	for _, mode := range []string{"starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			sink, ca := startSink(t, mode)
			const password = "Geheim-Passwort-ÄÖÜ-4711"
			sink.user, sink.password = "bedarf@region.example", password
			t.Setenv("BEDARF_SMTP_PASSWORD", password)
			r := startMailRig(t, "", append(sinkFlags(sink, mode), "--smtp-ca-file", ca, "--smtp-user", sink.user)...)
			ctx := context.Background()
			const ags = "03241001"
			k, err := r.st.KommuneByKey(ctx, ags)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.st.AddContact(ctx, k.ID, "buero@hannover.example", "Büro Ö", survey.Actor{Kind: "system", Label: "Test"}); err != nil {
				t.Fatal(err)
			}
			admin := r.signIn(t, r.email, r.password)
			base := r.base + "/verwaltung/runden/1/mail"
			page, stand := previewStand(t, admin, base+"/vorschau?art=einladung")
			if strings.Contains(page, password) {
				t.Error("the preview shows the password")
			}
			if code, _, _ := admin.post(base+"/senden", url.Values{"art": {"einladung"}, "stand": {stand}}); code != http.StatusSeeOther {
				t.Fatalf("send: %d", code)
			}
			msgs := sink.waitFor(t, 1)
			waitMails(t, r.st, 1, map[store.MailStatus]int{store.MailSent: 1})
			if !msgs[0].TLS || msgs[0].Auth != sink.user {
				t.Errorf("TLS %v, login %q; want TLS and %q", msgs[0].TLS, msgs[0].Auth, sink.user)
			}
			p := parseMail(t, msgs[0].Data)
			if !strings.Contains(p.Text, r.links[ags]) || p.To[0].Name != "Büro Ö" {
				t.Errorf("mail: To %v, link missing %v", p.To, !strings.Contains(p.Text, r.links[ags]))
			}
			_, page, _ = admin.get(base)
			if !strings.Contains(page, "angemeldet als "+sink.user) || strings.Contains(page, password) {
				t.Error("the mail page does not describe the server, or shows the password")
			}
			noSecretsLogged(t, r, password)
		})
	}
}

// TestMailWrongPassword: a login the server refuses fails the mail with
// the server's answer, and the password is not in it.
func TestMailWrongPassword(t *testing.T) {
	sink, ca := startSink(t, "starttls")
	sink.user, sink.password = "bedarf", "richtig"
	pwFile := filepath.Join(t.TempDir(), "smtp-password")
	if err := os.WriteFile(pwFile, []byte("falsch-9876\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startMailRig(t, "", append(sinkFlags(sink, "starttls"), "--smtp-ca-file", ca, "--smtp-user", "bedarf", "--smtp-password-file", pwFile)...)
	ctx := context.Background()
	k, _ := r.st.KommuneByKey(ctx, "03241001")
	if err := r.st.AddContact(ctx, k.ID, "buero@hannover.example", "", survey.Actor{Kind: "system", Label: "Test"}); err != nil {
		t.Fatal(err)
	}
	m, _ := r.st.RoundMail(ctx, 1)
	if _, err := r.st.QueueMails(ctx, store.MailSelection{RoundID: 1, Kind: survey.MailInvitation}, m.Version, "region.example", r.sealer, survey.Actor{Kind: "system", Label: "Test"}); err != nil {
		t.Fatal(err)
	}
	rows := waitMails(t, r.st, 1, map[store.MailStatus]int{store.MailFailed: 1})
	if !strings.Contains(rows[0].ServerAnswer, "535") || strings.Contains(rows[0].ServerAnswer, "falsch-9876") {
		t.Errorf("answer %q: want the server's 535, without the password", rows[0].ServerAnswer)
	}
	if n := len(sink.messages()); n != 0 {
		t.Errorf("the server accepted %d messages", n)
	}
	noSecretsLogged(t, r, "falsch-9876")
}

// TestMailCrashChild is the program of TestMailCrashBetweenSendAndCommit's
// child process: "bedarf demo" with a mail server, until it is killed.
func TestMailCrashChild(t *testing.T) {
	cfg := os.Getenv("BEDARF_TEST_MAIL_CRASH_CHILD")
	if cfg == "" {
		t.Skip("runs only as the child of TestMailCrashBetweenSendAndCommit")
	}
	db, port, _ := strings.Cut(cfg, "|")
	err := run(context.Background(), []string{"demo", "--db", db, "--addr", "127.0.0.1:0", "--smtp-host", "127.0.0.1",
		"--smtp-port", port, "--smtp-tls", "none", "--mail-from", testMailFrom}, strings.NewReader(""), os.Stdout, os.Stderr)
	t.Fatalf("the demo ended: %v", err)
}

// mailChild is a run of the test binary as TestMailCrashChild.
type mailChild struct {
	cmd  *exec.Cmd
	exit chan error
}

func startMailChild(t *testing.T, db string, sink *smtpSink, logf *os.File) *mailChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestMailCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BEDARF_TEST_MAIL_CRASH_CHILD="+db+"|"+sink.port())
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &mailChild{cmd: cmd, exit: make(chan error, 1)}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() {
			if strings.Contains(sc.Text(), "/k/") {
				if n++; n == 21 {
					close(ready)
				}
			}
		}
		io.Copy(io.Discard, out)
	}()
	go func() { c.exit <- cmd.Wait() }()
	t.Cleanup(c.kill)
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("the child printed no links")
	}
	return c
}

// kill ends the child with SIGKILL: no deferred function, no shutdown.
func (c *mailChild) kill() {
	if c.cmd.ProcessState != nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.exit
}

// TestMailCrashBetweenSendAndCommit kills the real program (SIGKILL) after
// the mail server accepted a mail and before the program could record it:
// the test holds SQLite's write lock from the moment the server has the
// message, so "sent" cannot be committed. After the restart the mail is
// unklar and is not sent again; staff can mark it as sent.
func TestMailCrashBetweenSendAndCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program twice as a child process")
	}
	sink, _ := startSink(t, "none")
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.db")
	logf, err := os.Create(filepath.Join(dir, "child.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	child := startMailChild(t, db, sink, logf)
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sealer, err := auth.LoadOrCreateKey(strings.TrimSuffix(db, ".db") + ".key")
	if err != nil {
		t.Fatal(err)
	}
	lockDB, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer lockDB.Close()
	conn, err := lockDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	locked := make(chan error, 1)
	sink.mu.Lock()
	sink.onData = func() {
		_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
		locked <- err
	}
	sink.mu.Unlock()

	system := survey.Actor{Kind: "system", Label: "Test"}
	k, _ := st.KommuneByKey(ctx, "03241001")
	if err := st.AddContact(ctx, k.ID, "buero@hannover.example", "", system); err != nil {
		t.Fatal(err)
	}
	m, _ := st.RoundMail(ctx, 1)
	if res, err := st.QueueMails(ctx, store.MailSelection{RoundID: 1, Kind: survey.MailInvitation, AGS: k.AGS}, m.Version, "region.example", sealer, system); err != nil || res.Queued != 1 {
		t.Fatalf("queue: %+v, %v", res, err)
	}
	select {
	case err := <-locked:
		if err != nil {
			t.Fatalf("lock: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the mail did not reach the server")
	}
	sink.waitFor(t, 1)
	time.Sleep(500 * time.Millisecond) // the server's answer reaches the program, which waits for the lock
	child.kill()
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	rows, err := st.MailLog(ctx, 1, 0, 10)
	if err != nil || len(rows) != 1 || rows[0].Status != store.MailSending {
		t.Fatalf("after the kill: %+v, %v; want one mail still sending", rows, err)
	}
	sink.mu.Lock()
	sink.onData = nil
	sink.mu.Unlock()

	startMailChild(t, db, sink, logf)
	rows = waitMails(t, st, 1, map[store.MailStatus]int{store.MailUnclear: 1})
	time.Sleep(time.Second)
	if n := len(sink.messages()); n != 1 {
		t.Errorf("the server received %d messages, want 1 (never sent again blindly)", n)
	}
	if !strings.Contains(rows[0].ServerAnswer, "unterbrochen") {
		t.Errorf("answer %q does not say the send was interrupted", rows[0].ServerAnswer)
	}
	if err := st.MarkMailSent(ctx, 1, rows[0].ID, system); err != nil {
		t.Fatal(err)
	}
	waitMails(t, st, 1, map[store.MailStatus]int{store.MailSent: 1})
	logs, _ := os.ReadFile(logf.Name())
	if !strings.Contains(string(logs), "unklar") {
		t.Error("the child's log does not mention the unklar mail")
	}
	inv, _ := st.Invitation(ctx, 1, k.AGS, sealer)
	if inv.Token == "" || strings.Contains(string(logs), inv.Token) {
		t.Error("no link, or the link token is in the child's log")
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bedarf/cmd/bedarf/internal/i18n"
	"bedarf/cmd/bedarf/internal/mailer"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/ical/icaltest"
	"bedarf/survey/store"
)

// mimePart is a leaf of a received message: its header, its media type
// with parameters, and its decoded body.
type mimePart struct {
	Header textprotoHeader
	Type   string
	Params map[string]string
	Body   []byte
	Path   string // the media types from the top, "multipart/mixed/multipart/alternative/text/plain"
}

type textprotoHeader = map[string][]string

// walkMIME takes a message body apart into its leaves, decoding base64
// and quoted-printable; any other transfer encoding of a leaf is an error.
func walkMIME(t *testing.T, header textprotoHeader, body io.Reader, path string) []mimePart {
	t.Helper()
	get := func(k string) string {
		if v := header[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	mt, params, err := mime.ParseMediaType(get("Content-Type"))
	if err != nil {
		t.Fatalf("%s: Content-Type %q: %v", path, get("Content-Type"), err)
	}
	path = strings.TrimPrefix(path+"/"+mt, "/")
	if strings.HasPrefix(mt, "multipart/") {
		var out []mimePart
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return out
			}
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out = append(out, walkMIME(t, textprotoHeader(p.Header), p, path)...)
		}
	}
	var r io.Reader
	switch cte := strings.ToLower(get("Content-Transfer-Encoding")); cte {
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	default:
		t.Errorf("%s: transfer encoding %q, want base64 or quoted-printable", path, cte)
		r = body
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return []mimePart{{Header: header, Type: mt, Params: params, Body: b, Path: path}}
}

// TestOfferMailsThroughSMTP sends every kind of mail to participants, in
// German and English, through the mail service to the test SMTP server,
// and takes each received message apart as a mail program would: the
// headers, the structure (text, HTML and text/calendar with the kind's
// method as alternatives, the .ics as an attachment), the words, and the
// calendar object octet for octet, read by a second parser with the right
// METHOD, UID and SEQUENCE.
func TestOfferMailsThroughSMTP(t *testing.T) {
	sink, _ := startSink(t, "none")
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "offer-mail.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := auth.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	svc, stop, err := mailer.Start(ctx, mailer.Deps{St: st, Sealer: sealer, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "https://bedarf.test"},
		mailer.Config{Host: "127.0.0.1", Port: sink.port(), TLS: "none", From: testMailFrom})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)

	now := time.Date(2027, 2, 17, 10, 15, 0, 0, time.UTC)
	type sent struct {
		data survey.OfferMailData
		mail survey.OfferMail
		lang i18n.Lang
		id   string
	}
	var sents []sent
	for _, l := range i18n.Langs {
		for _, kind := range survey.OfferMailKinds {
			d := survey.DemoOfferMailData(kind, now)
			d.ParticipantName = "Jana Müller, Sozialamt"
			m, err := mailer.BuildOfferMail(d, l)
			if err != nil {
				t.Fatalf("%s %s: %v", l, kind, err)
			}
			status, answer, id := svc.SendOfferMail(ctx, d.ParticipantName, d.ParticipantEmail, m)
			if status != store.MailSent {
				t.Fatalf("%s %s: %s (%s)", l, kind, status, answer)
			}
			sents = append(sents, sent{d, m, l, id})
		}
	}
	msgs := sink.waitFor(t, len(sents))
	from, _ := mail.ParseAddress(testMailFrom)
	for i, s := range sents {
		t.Run(string(s.lang)+"/"+string(s.data.Kind), func(t *testing.T) {
			raw := msgs[i]
			if raw.From != from.Address || len(raw.Rcpt) != 1 || raw.Rcpt[0] != s.data.ParticipantEmail {
				t.Errorf("envelope from %q to %v, want %s to %s", raw.From, raw.Rcpt, from.Address, s.data.ParticipantEmail)
			}
			msg, err := mail.ReadMessage(bytes.NewReader(raw.Data))
			if err != nil {
				t.Fatal(err)
			}
			head, _, _ := bytes.Cut(raw.Data, []byte("\r\n\r\n"))
			for _, r := range string(head) {
				if r > 127 {
					t.Errorf("8-bit character in the header (not RFC 2047 encoded):\n%s", head)
					break
				}
			}
			dec := new(mime.WordDecoder)
			subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || subject != s.mail.Subject {
				t.Errorf("Subject %q (%v), want %q", subject, err, s.mail.Subject)
			}
			to, err := msg.Header.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Name != "Jana Müller, Sozialamt" || to[0].Address != s.data.ParticipantEmail {
				t.Errorf("To %v (%v)", to, err)
			}
			if got, err := mail.ParseAddress(msg.Header.Get("From")); err != nil || got.Address != from.Address || got.Name != from.Name {
				t.Errorf("From %v (%v), want %v", got, err, from)
			}
			if got := msg.Header.Get("Message-Id"); got != "<"+s.id+">" {
				t.Errorf("Message-ID %q, want <%s>", got, s.id)
			}
			if _, err := msg.Header.Date(); err != nil {
				t.Errorf("Date: %v", err)
			}
			for k, want := range map[string]string{"Auto-Submitted": "auto-generated", "Content-Language": string(s.lang), "Mime-Version": "1.0"} {
				if got := msg.Header.Get(k); got != want {
					t.Errorf("%s %q, want %q", k, got, want)
				}
			}

			parts := walkMIME(t, textprotoHeader(msg.Header), msg.Body, "")
			var paths []string
			for _, p := range parts {
				paths = append(paths, p.Path)
			}
			wantPaths := []string{
				"multipart/mixed/multipart/alternative/text/plain",
				"multipart/mixed/multipart/alternative/text/html",
				"multipart/mixed/multipart/alternative/text/calendar",
				"multipart/mixed/application/ics",
			}
			if !s.data.Kind.HasCalendar() { // staff's message: text and HTML only
				wantPaths = []string{"multipart/alternative/text/plain", "multipart/alternative/text/html"}
			}
			if strings.Join(paths, " ") != strings.Join(wantPaths, " ") {
				t.Fatalf("structure %v, want %v", paths, wantPaths)
			}
			if !s.data.Kind.HasCalendar() {
				if got := strings.ReplaceAll(string(parts[0].Body), "\r\n", "\n"); got != s.mail.Text {
					t.Errorf("text part differs from the built text:\n%s\nwant\n%s", got, s.mail.Text)
				}
				return
			}
			text, html, cal, att := parts[0], parts[1], parts[2], parts[3]
			if got := strings.ReplaceAll(string(text.Body), "\r\n", "\n"); got != s.mail.Text {
				t.Errorf("text part differs from the built text:\n%s\nwant\n%s", got, s.mail.Text)
			}
			if got := strings.ReplaceAll(string(html.Body), "\r\n", "\n"); got != s.mail.HTML() {
				t.Errorf("HTML part differs from the built HTML")
			}
			for _, p := range []mimePart{text, html, cal} {
				if !strings.EqualFold(p.Params["charset"], "utf-8") {
					t.Errorf("%s: charset %q", p.Type, p.Params["charset"])
				}
			}
			if cal.Params["method"] != string(s.data.Kind.Method()) {
				t.Errorf("text/calendar method=%q, want %s", cal.Params["method"], s.data.Kind.Method())
			}
			if !bytes.Equal(cal.Body, s.mail.Calendar) || !bytes.Equal(att.Body, s.mail.Calendar) {
				t.Errorf("the calendar part or the attachment is not the calendar object as built")
			}
			if disp, params, _ := mime.ParseMediaType(att.Header["Content-Disposition"][0]); disp != "attachment" || params["filename"] != mailer.OfferMailFile {
				t.Errorf("attachment: Content-Disposition %q", att.Header["Content-Disposition"])
			}
			p := icaltest.Parse(t, cal.Body)
			if p.Method != string(s.data.Kind.Method()) || p.UID != s.data.UID || p.Sequence != s.data.Sequence {
				t.Errorf("calendar: METHOD %q UID %q SEQUENCE %d, want %s %q %d", p.Method, p.UID, p.Sequence, s.data.Kind.Method(), s.data.UID, s.data.Sequence)
			}
			if p.Attendee.Name != "Jana Müller, Sozialamt" || p.Attendee.Email != s.data.ParticipantEmail {
				t.Errorf("calendar: ATTENDEE %+v", p.Attendee)
			}

			// The words in the language asked for.
			greeting, notice := "Guten Tag Jana Müller, Sozialamt,", "Hinweise zum Datenschutz (Artikel 14 DSGVO)"
			if s.lang == i18n.EN {
				greeting, notice = "Hello Jana Müller, Sozialamt,", "Data protection notice (Article 14 GDPR)"
			}
			if !strings.HasPrefix(s.mail.Text, greeting) {
				t.Errorf("text does not start with %q:\n%s", greeting, s.mail.Text)
			}
			if strings.Contains(s.mail.Text, notice) != s.data.FirstMail {
				t.Errorf("Art. 14 notice %q in the mail: %v, first mail: %v", notice, !s.data.FirstMail, s.data.FirstMail)
			}
			if !strings.Contains(html.Header["Content-Type"][0], "text/html") || !strings.Contains(string(html.Body), `<html lang="`+string(s.lang)+`">`) {
				t.Errorf("HTML part without lang=%s", s.lang)
			}
		})
	}
}

// TestOfferMailGolden pins every kind of mail to participants in both
// languages (subject, text and calendar object) in
// testdata/offermail/LANG.KIND.txt, so a change of their words shows as a
// readable diff. Run with -update to accept a change.
func TestOfferMailGolden(t *testing.T) {
	now := time.Date(2027, 2, 17, 10, 15, 0, 0, time.UTC)
	for _, l := range i18n.Langs {
		for _, kind := range survey.OfferMailKinds {
			m, err := mailer.BuildOfferMail(survey.DemoOfferMailData(kind, now), l)
			if err != nil {
				t.Fatalf("%s %s: %v", l, kind, err)
			}
			got := "Subject: " + m.Subject + "\n\n" + m.Text
			if m.Calendar != nil {
				got += "\n----- " + mailer.OfferMailFile + " (text/calendar; method=" + string(m.Method) + ")\n" +
					strings.ReplaceAll(string(m.Calendar), "\r\n", "\n")
			}
			file := filepath.Join("testdata", "offermail", string(l)+"."+string(kind)+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the mail as built now (run with -update to accept):\n%s", file, got)
			}
		}
	}
}

// TestOfferMailRefusedOrUnconfigured checks that a mail the server refuses
// is reported as failed with the server's answer, and that without a mail
// server nothing is sent.
func TestOfferMailRefusedOrUnconfigured(t *testing.T) {
	sink, _ := startSink(t, "none")
	sink.mu.Lock()
	sink.refuse = 1
	sink.mu.Unlock()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "offer-refused.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	deps := mailer.Deps{St: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "https://bedarf.test"}
	m, err := mailer.BuildOfferMail(survey.DemoOfferMailData(survey.OfferMailReminder, time.Now()), i18n.DE)
	if err != nil {
		t.Fatal(err)
	}
	svc, stop, err := mailer.Start(ctx, deps, mailer.Config{Host: "127.0.0.1", Port: sink.port(), TLS: "none", From: testMailFrom})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if status, answer, _ := svc.SendOfferMail(ctx, "Jana Müller", "jana@garbsen.example", m); status != store.MailFailed || !strings.Contains(answer, "Empfang abgelehnt (Test)") {
		t.Errorf("refused mail: %s (%s), want failed with the server's answer", status, answer)
	}
	none, stopNone, err := mailer.Start(ctx, deps, mailer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer stopNone()
	if status, _, _ := none.SendOfferMail(ctx, "Jana Müller", "jana@garbsen.example", m); status != store.MailFailed {
		t.Errorf("without a mail server: %s, want failed", status)
	}
	if n := len(sink.messages()); n != 0 {
		t.Errorf("the server kept %d messages, want none", n)
	}
}

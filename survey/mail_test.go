package survey

import (
	"errors"
	"strings"
	"testing"
)

func TestMailTextRender(t *testing.T) {
	v := MailValues{Kommune: MailKommuneLabel(Kommune{Name: "Müll & <Söhne>", Kind: "Stadt"}), Round: "Bedarfsabfrage 2026",
		Deadline: "24.12.2026", Questionnaire: "Fragebogen „Süd“", Link: "https://bedarf.example/k/abc?x=1&y=2",
		Sender: Organisation{Office: "Fachdienst Migration", Body: "Landkreis Musterland", Signature: "Im Auftrag"}.Sender()}
	r := DefaultMailText(MailInvitation).Render(v)
	if want := "Einladung: Bedarfsabfrage 2026 – bitte bis 24.12.2026 antworten"; r.Subject != want {
		t.Errorf("subject %q, want %q", r.Subject, want)
	}
	for _, want := range []string{"laden wir die Stadt Müll & <Söhne> zur Erhebungsrunde „Bedarfsabfrage 2026“", "Grüßen\nIm Auftrag\nFachdienst Migration\nLandkreis Musterland\n", "\n\nhttps://bedarf.example/k/abc?x=1&y=2\n\n", "bis zum 24.12.2026"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for _, want := range []string{"Stadt Müll &amp; &lt;Söhne&gt;", `<a href="https://bedarf.example/k/abc?x=1&amp;y=2">https://bedarf.example/k/abc?x=1&amp;y=2</a>`, "<p>Mit freundlichen Grüßen<br>\nIm Auftrag<br>\nFachdienst Migration<br>\nLandkreis Musterland</p>"} {
		if !strings.Contains(r.HTMLBody, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(r.HTMLBody, "<Söhne>") || strings.Contains(r.HTML(), "{{") {
		t.Error("HTML has unescaped text or a placeholder left")
	}
	custom := MailText{Subject: "Hallo\r\n{{ kommune }}", Body: "Zeile 1\r\nZeile 2\n\n\n{{LINK}}"}.Render(v)
	if custom.Subject != "Hallo Stadt Müll & <Söhne>" || !strings.Contains(custom.Text, "Zeile 1\nZeile 2") || !strings.Contains(custom.Text, v.Link) {
		t.Errorf("custom: subject %q, text %q", custom.Subject, custom.Text)
	}
}

func TestMailTextProblems(t *testing.T) {
	for _, kind := range []MailKind{MailInvitation, MailReminder} {
		if p := DefaultMailText(kind).Problems(kind); len(p) > 0 {
			t.Errorf("default %s: %v", kind, p)
		}
	}
	cases := []struct {
		name string
		text MailText
		want string
	}{
		{"unknown", MailText{"Hallo", "{{Link}} {{Ort}}"}, "Text Zeile 1: Unbekannter Platzhalter {{Ort}}"},
		{"link in subject", MailText{"{{Link}}", "{{Link}}"}, "Der Link darf nicht im Betreff stehen"},
		{"no link", MailText{"Hallo", "ohne"}, "muss den Platzhalter {{Link}} enthalten"},
		{"open", MailText{"Hallo", "{{Link}}\n{{Kommune"}, "Text Zeile 2: Ein Platzhalter ist nicht vollständig"},
		{"empty subject", MailText{" ", "{{Link}}"}, "Bitte geben Sie einen Betreff an"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := NewMessage("msg.lines", Lines(c.text.Problems(MailInvitation))).String()
			if !strings.Contains(p, c.want) {
				t.Errorf("problems %q, want one with %q", p, c.want)
			}
		})
	}
}

func TestParseContactsCSV(t *testing.T) {
	rows, err := ParseContactsCSV([]byte("\ufeffName;E-Mail;AGS\nJürgen Müller;juergen@garbsen.example;3241005\n\n;info@wedemark.example;03241031\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Key != "03241005" || rows[0].Name != "Jürgen Müller" || rows[1].Line != 4 || rows[1].Email != "info@wedemark.example" {
		t.Errorf("rows %+v", rows)
	}
	// Windows-1252 without header, comma separated.
	rows, err = ParseContactsCSV([]byte("03241005,a@b.example,B\xfcro\n"))
	if err != nil || len(rows) != 1 || rows[0].Name != "Büro" {
		t.Errorf("Windows-1252: %+v, %v", rows, err)
	}
	_, err = ParseContactsCSV([]byte("AGS;E-Mail\n03241005;ok@x.example\n12;ok@x.example\n03241005;kaputt@\n03241005;OK@x.example\n"))
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("bad file: %v", err)
	}
	want := []string{"Zeile 3: „12“ ist kein Gemeindeschlüssel", "Zeile 4: „kaputt@“ ist keine gültige E-Mail-Adresse", "Zeile 5: Die Adresse OK@x.example steht für diese Kommune schon in Zeile 2"}
	if len(ie.Problems) != len(want) {
		t.Fatalf("problems %q, want %d", ie.Problems, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(ie.Problems[i], w) {
			t.Errorf("problem %d: %q, want %q…", i, ie.Problems[i], w)
		}
	}
}

// TestMailTextRenderDirectionControls: a Kommune or round named with a
// direction override does not reorder the mail around it; right-to-left
// letters stay.
func TestMailTextRenderDirectionControls(t *testing.T) {
	v := MailValues{Kommune: MailKommuneLabel(Kommune{Name: "\u202eevil", Kind: "Stadt"}), Round: "Runde \u2067مرحبا",
		Deadline: "24.12.2026", Questionnaire: "Fragebogen", Link: "https://bedarf.example/k/abc"}
	r := DefaultMailText(MailInvitation).Render(v)
	for part, s := range map[string]string{"subject": r.Subject, "text": r.Text, "HTML": r.HTML()} {
		if strings.ContainsAny(s, "\u202e\u2067") {
			t.Errorf("%s keeps a direction control: %+q", part, s)
		}
	}
	if !strings.Contains(r.Text, "Stadt evil") || !strings.Contains(r.Text, "Runde مرحبا") {
		t.Errorf("text %q", r.Text)
	}
}

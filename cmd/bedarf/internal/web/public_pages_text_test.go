package web

import (
	"regexp"
	"strings"
	"testing"
)

func TestLegalHTML(t *testing.T) {
	got := string(legalHTML("Einleitung mit <b>Fett</b>\nzweite Zeile\n\n# Kontakt & Hilfe\n\n- E-Mail: info@stelle.example.\n- Web: https://www.lfd.niedersachsen.de/kontakt?a=1&b=2.\n* drittens\n## Klein\nText"))
	want := "<p>Einleitung mit &lt;b&gt;Fett&lt;/b&gt;<br>\nzweite Zeile</p>\n" +
		"<h2>Kontakt &amp; Hilfe</h2>\n" +
		"<ul>\n<li>E-Mail: <a href=\"mailto:info@stelle.example\">info@stelle.example</a>.</li>\n" +
		"<li>Web: <a href=\"https://www.lfd.niedersachsen.de/kontakt?a=1&amp;b=2\">https://www.lfd.niedersachsen.de/kontakt?a=1&amp;b=2</a>.</li>\n" +
		"<li>drittens</li>\n</ul>\n<h3>Klein</h3>\n<p>Text</p>\n"
	if got != want {
		t.Errorf("legalHTML:\n%s\nwant:\n%s", got, want)
	}
}

// TestLegalHTMLNeverMarkup: whatever staff write, the only elements are the
// markup's own, and links only lead to http(s) and mailto addresses.
func TestLegalHTMLNeverMarkup(t *testing.T) {
	for _, in := range []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`javascript:alert(1)`,
		`https://x.example/"onmouseover="alert(1)`,
		`https://x.example/<script>`,
		`a@b.example"><script>alert(1)</script>`,
		"# <h1>x</h1>\n- <a href=javascript:alert(1)>y</a>",
		`[Platzhalter](javascript:alert(1))`,
		"data:text/html,<script>alert(1)</script>",
		"&lt;script&gt; &#60;script&#62;",
	} {
		out := string(legalHTML(in))
		for _, bad := range []string{"<script", "<img", "<h1", `href="javascript`, `href="data`} {
			if strings.Contains(out, bad) {
				t.Errorf("legalHTML(%q) = %q contains %q", in, out, bad)
			}
		}
		for _, tag := range tagRE.FindAllString(out, -1) {
			if !allowedTag.MatchString(tag) {
				t.Errorf("legalHTML(%q): tag %q", in, tag)
			}
		}
	}
}

var (
	tagRE      = regexp.MustCompile(`<[^>]*>`)
	allowedTag = regexp.MustCompile(`^(</?(p|ul|li|h2|h3|a)>|<br>|<a href="(https?://|mailto:)[^"<>]*">)$`)
)

func TestPlaceholders(t *testing.T) {
	if n := placeholders("[Name der Stelle]\nE-Mail: [E-Mail-Adresse] [x] []"); n != 2 {
		t.Errorf("placeholders: %d, want 2", n)
	}
	for _, page := range legalPageNames {
		for _, l := range []string{"de", "en"} {
			text := legalDefault(page, l)
			if len(text) < 300 {
				t.Errorf("default text %s.%s is missing or short", page, l)
			}
			if placeholders(text) == 0 {
				t.Errorf("default text %s.%s has no placeholder for staff to fill in", page, l)
			}
		}
	}
}

package web

import (
	"html"
	"html/template"
	"regexp"
	"strings"
)

// The texts of the legal pages are plain text with a tiny markup that
// staff can write without knowing HTML:
//
//	# Heading            a heading (## a smaller one)
//	- item               a list item ("* item" too); consecutive items form a list
//	an empty line        ends a paragraph; lines of a paragraph keep their breaks
//
// Web addresses (https://…, http://…) and e-mail addresses become links.
// Everything else is text: legalHTML escapes every character, so no HTML
// that staff write ever reaches the page as markup.

var (
	// A web address: http(s) only, up to a space or a character that cannot
	// end it; trailing punctuation is not part of it (see linkify).
	urlRE   = regexp.MustCompile(`https?://[^\s<>"'\[\]{}|\\^` + "`" + `]+`)
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// placeholderRE finds the "[to fill in]" marks of the default texts.
	placeholderRE = regexp.MustCompile(`\[[^\[\]\n]{2,}\]`)
)

// legalHTML renders a legal text as HTML (see above).
func legalHTML(body string) template.HTML {
	var b strings.Builder
	var para []string
	inList := false
	flushPara := func() {
		if len(para) > 0 {
			b.WriteString("<p>")
			for i, line := range para {
				if i > 0 {
					b.WriteString("<br>\n")
				}
				b.WriteString(linkify(line))
			}
			b.WriteString("</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if inList {
			b.WriteString("</ul>\n")
			inList = false
		}
	}
	for _, raw := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			flushPara()
			closeList()
		case strings.HasPrefix(line, "## "):
			flushPara()
			closeList()
			b.WriteString("<h3>" + linkify(strings.TrimSpace(line[3:])) + "</h3>\n")
		case strings.HasPrefix(line, "# "):
			flushPara()
			closeList()
			b.WriteString("<h2>" + linkify(strings.TrimSpace(line[2:])) + "</h2>\n")
		case strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* "):
			flushPara()
			if !inList {
				b.WriteString("<ul>\n")
				inList = true
			}
			b.WriteString("<li>" + linkify(strings.TrimSpace(line[2:])) + "</li>\n")
		default:
			closeList()
			para = append(para, line)
		}
	}
	flushPara()
	closeList()
	return template.HTML(b.String()) // every piece of text went through linkify, which escapes
}

// linkify escapes a line of text and turns web and e-mail addresses into
// links.
func linkify(s string) string {
	type span struct {
		start, end int
		href       string
	}
	var spans []span
	for _, m := range urlRE.FindAllStringIndex(s, -1) {
		end := m[1]
		for end > m[0] && strings.ContainsRune(".,;:!?)", rune(s[end-1])) {
			end--
		}
		spans = append(spans, span{m[0], end, s[m[0]:end]})
	}
	for _, m := range emailRE.FindAllStringIndex(s, -1) {
		inURL := false
		for _, sp := range spans {
			if m[0] < sp.end && m[1] > sp.start {
				inURL = true
			}
		}
		if !inURL {
			spans = append(spans, span{m[0], m[1], "mailto:" + s[m[0]:m[1]]})
		}
	}
	// Spans in order of their start.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].start < spans[j-1].start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	var b strings.Builder
	pos := 0
	for _, sp := range spans {
		b.WriteString(html.EscapeString(s[pos:sp.start]))
		b.WriteString(`<a href="` + html.EscapeString(sp.href) + `">` + html.EscapeString(s[sp.start:sp.end]) + `</a>`)
		pos = sp.end
	}
	b.WriteString(html.EscapeString(s[pos:]))
	return b.String()
}

// placeholders counts the "[to fill in]" marks left in a text.
func placeholders(s string) int { return len(placeholderRE.FindAllString(s, -1)) }

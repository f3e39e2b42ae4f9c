// Package templates holds the HTML templates of every page, embedded so the
// binary runs from any folder. Pages are parsed once at start, one template
// set per page (layout plus the page's own file).
package templates

import "embed"

// FS holds the page templates: "layout.html" and one file per page.
//
//go:embed *.html
var FS embed.FS

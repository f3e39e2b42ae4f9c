// Package static holds the files the browser loads (style sheets, scripts,
// images), embedded so the binary serves them from any folder and no page
// ever needs an external CDN or font.
package static

import "embed"

// FS holds the static assets, addressed as "css/…", "js/…", "img/…".
//
//go:embed css js img
var FS embed.FS

package i18n

// Diagnostics of uploaded files, as the domain packages write them in
// German (see domain.go): the Kommunen CSV and boundary files
// (survey/kommune.go, survey/store/kommunen.go, analysis.ParseRegionGeoJSON,
// cmd/bedarf/kommunen_cmd.go) and the contacts CSV (survey/store/mail.go).
// The command line shows them in German; the pages translate them. The
// questionnaire diagnostics (catalog_defs.go) and the errors in conditions
// they insert (survey.ExprError, the "msg.expr." entries of
// catalog_errors.go) are keyed.
var _ = add(map[string]entry{
	// Text encodings of import files (survey/kommune.go decodeText).
	"domain.import.utf16":     {"Die Datei ist als UTF-16 nicht lesbar: %s", "The file cannot be read as UTF-16: %s"},
	"domain.import.encoding":  {"Die Datei ist weder UTF-8 noch Windows-1252: %s", "The file is neither UTF-8 nor Windows-1252: %s"},
	"domain.import.line_read": {"Zeile %s: nicht lesbar: %s", "Line %s: not readable: %s"},

	// Kommunen CSV (survey/kommune.go ParseKommunenCSV, survey/store/kommunen.go).
	"domain.kommunen.header_bad":       {"Zeile 1: Kopfzeile nicht lesbar: %s", "Line 1: header not readable: %s"},
	"domain.kommunen.header_missing":   {"Zeile 1: %s in der Kopfzeile (erwartet: ags;ars;name;kind;lat;lon;population;population_year, gefunden: %s)", "Line 1: %s in the header (expected: ags;ars;name;kind;lat;lon;population;population_year, found: %s)"},
	"domain.kommunen.columns_missing":  {"Spalten %s fehlen", "columns %s are missing"},
	"domain.kommunen.ags_twice":        {"AGS %s kommt doppelt vor (auch Zeile %s)", "AGS %s occurs twice (also line %s)"},
	"domain.kommunen.ars_twice":        {"ARS %s kommt doppelt vor (auch Zeile %s)", "ARS %s occurs twice (also line %s)"},
	"domain.kommunen.key_is_ars":       {"Zeile %s: Schlüssel %s ist auch die ARS der Zeile %s", "Line %s: key %s is also the ARS of line %s"},
	"domain.kommunen.none":             {"Die Datei enthält keine Kommunen.", "The file contains no municipalities."},
	"domain.kommunen.ags_digits":       {"AGS \"%s\" hat nicht 8 Ziffern", "AGS \"%s\" does not have 8 digits"},
	"domain.kommunen.ags_digits_sheet": {"AGS \"%s\" hat nicht 8 Ziffern (die Tabellenkalkulation hat den Schlüssel wohl als Zahl formatiert: Spalte als Text formatieren)", "AGS \"%s\" does not have 8 digits (the spreadsheet probably formatted the key as a number: format the column as text)"},
	"domain.kommunen.ars_digits":       {"ARS \"%s\" hat nicht 12 Ziffern", "ARS \"%s\" does not have 12 digits"},
	"domain.kommunen.ars_digits_sheet": {"ARS \"%s\" hat nicht 12 Ziffern (die Tabellenkalkulation hat den Schlüssel wohl als Zahl formatiert: Spalte als Text formatieren)", "ARS \"%s\" does not have 12 digits (the spreadsheet probably formatted the key as a number: format the column as text)"},
	"domain.kommunen.no_key":           {"AGS fehlt (Gemeindeverbände ohne eigenen AGS, etwa Samtgemeinden, brauchen die ARS in der Spalte ars)", "AGS is missing (associations of municipalities without an AGS of their own, such as Samtgemeinden, need the ARS in the column ars)"},
	"domain.kommunen.ars_mismatch":     {"ARS %s passt nicht zum AGS %s", "ARS %s does not match the AGS %s"},
	"domain.kommunen.no_name":          {"Name fehlt", "name is missing"},
	"domain.kommunen.name_long":        {"Name ist länger als %s Zeichen", "name is longer than %s characters"},
	"domain.kommunen.kind_long":        {"Art (kind) ist länger als %s Zeichen", "kind is longer than %s characters"},
	"domain.kommunen.lat":              {"Breitengrad (lat)", "latitude (lat)"},
	"domain.kommunen.lon":              {"Längengrad (lon)", "longitude (lon)"},
	"domain.kommunen.no_lat":           {"Breitengrad (lat) fehlt", "latitude (lat) is missing"},
	"domain.kommunen.no_lon":           {"Längengrad (lon) fehlt", "longitude (lon) is missing"},
	"domain.kommunen.coordinate":       {"%s \"%s\" ist keine Zahl zwischen -%s und %s", "%s \"%s\" is not a number between -%s and %s"},
	"domain.kommunen.population":       {"Einwohnerzahl \"%s\" ist keine ganze Zahl ab 0", "population \"%s\" is not a whole number of at least 0"},
	"domain.kommunen.population_year":  {"Jahr der Einwohnerzahl \"%s\" ist keine Jahreszahl", "year of the population \"%s\" is not a year"},
	"domain.kommunen.ars_taken":        {"ARS %s von %s gehört schon zur gespeicherten Kommune %s (%s)", "ARS %s of %s already belongs to the stored municipality %s (%s)"},

	// Boundary files (survey/kommune.go MatchBoundaries,
	// analysis.ParseRegionGeoJSON, cmd/bedarf/kommunen_cmd.go).
	"domain.bounds.no_kommunen":    {"Es sind noch keine Kommunen gespeichert: bitte zuerst die Kommunen importieren.", "No municipalities are stored yet: please import the municipalities first."},
	"domain.bounds.not_geojson":    {"Die Datei ist kein GeoJSON: %s", "The file is not GeoJSON: %s"},
	"domain.bounds.not_collection": {"GeoJSON: erwartet wird eine FeatureCollection, gefunden \"%s\"", "GeoJSON: a FeatureCollection is expected, found \"%s\""},
	"domain.bounds.unreadable":     {"Objekt %s: nicht lesbar: %s", "Feature %s: not readable: %s"},
	"domain.bounds.no_area":        {"Objekt %s: ohne Fläche", "Feature %s: without an area"},
	"domain.bounds.no_match":       {"Objekt %s: keine Kommune mit diesem Schlüssel", "Feature %s: no municipality with this key"},
	"domain.bounds.no_key":         {"Objekt %s: ohne Schlüssel (Eigenschaft \"ags\" oder \"ars\")", "Feature %s: without a key (property \"ags\" or \"ars\")"},
	"domain.bounds.none_fits":      {"Keine Fläche der Datei passt zu einer gespeicherten Kommune (verglichen werden die Eigenschaften \"ags\"/\"AGS\" und \"ars\"/\"ARS\").", "No area of the file fits a stored municipality (compared are the properties \"ags\"/\"AGS\" and \"ars\"/\"ARS\")."},
	"domain.bounds.more":           {"… und %s weitere", "… and %s more"},
	"domain.bounds.cannot_read":    {"GeoJSON kann nicht gelesen werden: %s", "GeoJSON cannot be read: %s"},
	"domain.bounds.feature_read":   {"GeoJSON: Objekt %s kann nicht gelesen werden: %s", "GeoJSON: feature %s cannot be read: %s"},
	"domain.bounds.feature_no_ags": {"GeoJSON: Objekt %s (%s) hat keinen Gemeindeschlüssel (Eigenschaft \"ags\")", "GeoJSON: feature %s (%s) has no municipality key (property \"ags\")"},
	"domain.bounds.no_name":        {"ohne Namen", "without a name"},
	"domain.bounds.feature":        {"GeoJSON: Objekt %s (%s, %s): %s", "GeoJSON: feature %s (%s, %s): %s"},
	"domain.bounds.no_areas":       {"GeoJSON enthält keine Flächen", "GeoJSON contains no areas"},
	"domain.bounds.polygon":        {"ungültige Polygon-Koordinaten: %s", "invalid Polygon coordinates: %s"},
	"domain.bounds.multipolygon":   {"ungültige MultiPolygon-Koordinaten: %s", "invalid MultiPolygon coordinates: %s"},
	"domain.bounds.geometry":       {"Geometrietyp \"%s\" wird nicht unterstützt (nur Polygon und MultiPolygon)", "geometry type \"%s\" is not supported (only Polygon and MultiPolygon)"},
	"domain.bounds.no_ring":        {"Polygon ohne Ring", "Polygon without a ring"},
	"domain.bounds.position":       {"ungültige Position %s (erwartet Länge, Breite in WGS84)", "invalid position %s (expected longitude, latitude in WGS84)"},
	"domain.bounds.short_ring":     {"Ring mit weniger als drei Punkten", "ring with fewer than three points"},

	// Contacts CSV checked against the stored Kommunen (survey/store/mail.go).
	"domain.contact.no_kommune": {"Zeile %s: Eine Kommune mit dem Schlüssel %s gibt es nicht. Bitte legen Sie sie zuerst unter „Kommunen“ an.", "Line %s: there is no municipality with the key %s. Please add it first under “Municipalities”."},
})

package i18n

// Keyed diagnostics of the Kommunen CSV and of boundary files
// (survey.ParseKommunenCSV, survey.MatchBoundaries, the store's import,
// analysis.ParseRegionGeoJSON and analysis.ImportBoundaries), and of the
// encoding of text files: the domain keeps the German text of each key
// (survey/text.go) for the command line; the pages take both languages
// from here. A line's problems are inserted into upload.line. Arguments are
// data (keys, names, values from the file, numbers) and stay as they are;
// the key labels AGS and ARS are the same in both languages.
var _ = add(map[string]entry{
	"upload.text.utf16":    {"Die Datei ist als UTF-16 nicht lesbar: %s", "The file cannot be read as UTF-16: %s"},
	"upload.text.encoding": {"Die Datei ist weder UTF-8 noch Windows-1252: %s", "The file is neither UTF-8 nor Windows-1252: %s"},

	"upload.kommunen.header_bad":         {"Kopfzeile nicht lesbar: %s", "header not readable: %s"},
	"upload.kommunen.column_missing":     {"Spalte %s fehlt", "column %s is missing"},
	"upload.kommunen.columns_missing":    {"Spalten %s fehlen", "columns %s are missing"},
	"upload.kommunen.header":             {"%s in der Kopfzeile (erwartet: ags;ars;name;kind;lat;lon;population;population_year, gefunden: %s)", "%s in the header (expected: ags;ars;name;kind;lat;lon;population;population_year, found: %s)"},
	"upload.kommunen.unreadable":         {"nicht lesbar: %s", "not readable: %s"},
	"upload.kommunen.twice":              {"%s %s kommt doppelt vor (auch Zeile %d)", "%s %s occurs twice (also line %d)"},
	"upload.kommunen.key_is_ars":         {"Schlüssel %s ist auch die ARS der Zeile %d", "key %s is also the ARS of line %d"},
	"upload.kommunen.none":               {"Die Datei enthält keine Kommunen.", "The file contains no municipalities."},
	"upload.kommunen.digits":             {"%s %q hat nicht %d Ziffern", "%s %q does not have %d digits"},
	"upload.kommunen.digits_sheet":       {"%s %q hat nicht %d Ziffern (die Tabellenkalkulation hat den Schlüssel wohl als Zahl formatiert: Spalte als Text formatieren)", "%s %q does not have %d digits (the spreadsheet probably formatted the key as a number: format the column as text)"},
	"upload.kommunen.no_key":             {"AGS fehlt (Gemeindeverbände ohne eigenen AGS, etwa Samtgemeinden, brauchen die ARS in der Spalte ars)", "AGS is missing (associations of municipalities without an AGS of their own, such as Samtgemeinden, need the ARS in the column ars)"},
	"upload.kommunen.ars_mismatch":       {"ARS %s passt nicht zum AGS %s", "ARS %s does not match the AGS %s"},
	"upload.kommunen.no_name":            {"Name fehlt", "name is missing"},
	"upload.kommunen.name_long":          {"Name ist länger als %d Zeichen", "name is longer than %d characters"},
	"upload.kommunen.kind_long":          {"Art (kind) ist länger als %d Zeichen", "kind is longer than %d characters"},
	"upload.kommunen.lat":                {"Breitengrad (lat)", "latitude (lat)"},
	"upload.kommunen.lon":                {"Längengrad (lon)", "longitude (lon)"},
	"upload.kommunen.coordinate_missing": {"%s fehlt", "%s is missing"},
	"upload.kommunen.coordinate":         {"%s %q ist keine Zahl zwischen -%d und %d", "%s %q is not a number between -%d and %d"},
	"upload.kommunen.population":         {"Einwohnerzahl %q ist keine ganze Zahl ab 0", "population %q is not a whole number of at least 0"},
	"upload.kommunen.population_year":    {"Jahr der Einwohnerzahl %q ist keine Jahreszahl", "year of the population %q is not a year"},
	"upload.kommunen.ars_taken":          {"ARS %s von %s gehört schon zur gespeicherten Kommune %s (%s)", "ARS %s of %s already belongs to the stored municipality %s (%s)"},

	"upload.bounds.no_kommunen":    {"Es sind noch keine Kommunen gespeichert: bitte zuerst die Kommunen importieren.", "No municipalities are stored yet: please import the municipalities first."},
	"upload.bounds.not_geojson":    {"Die Datei ist kein GeoJSON: %s", "The file is not GeoJSON: %s"},
	"upload.bounds.not_collection": {"GeoJSON: erwartet wird eine FeatureCollection, gefunden %q", "GeoJSON: a FeatureCollection is expected, found %q"},
	"upload.bounds.feature":        {"Objekt %d", "Feature %d"},
	"upload.bounds.feature_of":     {"Objekt %d (%s)", "Feature %d (%s)"},
	"upload.bounds.unreadable":     {"%s: nicht lesbar: %s", "%s: not readable: %s"},
	"upload.bounds.no_area":        {"%s: ohne Fläche", "%s: without an area"},
	"upload.bounds.no_match":       {"%s: keine Kommune mit diesem Schlüssel", "%s: no municipality with this key"},
	"upload.bounds.no_key":         {"%s: ohne Schlüssel (Eigenschaft \"ags\" oder \"ars\")", "%s: without a key (property \"ags\" or \"ars\")"},
	"upload.bounds.none_fits":      {"Keine Fläche der Datei passt zu einer gespeicherten Kommune (verglichen werden die Eigenschaften \"ags\"/\"AGS\" und \"ars\"/\"ARS\").", "No area of the file fits a stored municipality (compared are the properties \"ags\"/\"AGS\" and \"ars\"/\"ARS\")."},
	"upload.bounds.more":           {"… und %d weitere", "… and %d more"},
	"upload.bounds.cannot_read":    {"GeoJSON kann nicht gelesen werden: %s", "GeoJSON cannot be read: %s"},
	"upload.bounds.feature_read":   {"GeoJSON: Objekt %d kann nicht gelesen werden: %s", "GeoJSON: feature %d cannot be read: %s"},
	"upload.bounds.feature_no_ags": {"GeoJSON: Objekt %d (%s) hat keinen Gemeindeschlüssel (Eigenschaft \"ags\")", "GeoJSON: feature %d (%s) has no municipality key (property \"ags\")"},
	"upload.bounds.no_name":        {"ohne Namen", "without a name"},
	"upload.bounds.feature_bad":    {"GeoJSON: Objekt %d (%s, %s): %s", "GeoJSON: feature %d (%s, %s): %s"},
	"upload.bounds.no_areas":       {"GeoJSON enthält keine Flächen", "GeoJSON contains no areas"},
	"upload.bounds.polygon":        {"ungültige Polygon-Koordinaten: %s", "invalid Polygon coordinates: %s"},
	"upload.bounds.multipolygon":   {"ungültige MultiPolygon-Koordinaten: %s", "invalid MultiPolygon coordinates: %s"},
	"upload.bounds.geometry":       {"Geometrietyp %q wird nicht unterstützt (nur Polygon und MultiPolygon)", "geometry type %q is not supported (only Polygon and MultiPolygon)"},
	"upload.bounds.no_ring":        {"Polygon ohne Ring", "Polygon without a ring"},
	"upload.bounds.position":       {"ungültige Position %s (erwartet Länge, Breite in WGS84)", "invalid position %s (expected longitude, latitude in WGS84)"},
	"upload.bounds.short_ring":     {"Ring mit weniger als drei Punkten", "ring with fewer than three points"},

	// The contacts CSV checked against the stored Kommunen
	// (survey/store/mail.go), inserted into upload.line.
	"msg.contact.no_kommune": {"Eine Kommune mit dem Schlüssel %s gibt es nicht. Bitte legen Sie sie zuerst unter „Kommunen“ an.", "there is no municipality with the key %s. Please add it first under “Municipalities”."},
})

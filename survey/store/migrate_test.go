package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
	"bedarf/survey/auth"
)

// v1Data is what makeV1Database put into a database of the first released
// schema, to be found again after the upgrade.
type v1Data struct {
	sealer        *auth.Sealer
	roundID       int64
	draftID       int64 // a response with a draft of revision 1
	submittedID   int64
	tokens        map[int64]string // response id → active token
	revokedToken  string
	adminEmail    string
	adminPassword string
	staffSession  string
	counts        map[string]int // table → rows
}

// v1Tables are the tables of the first released schema.
var v1Tables = []string{"kommunen", "questionnaires", "rounds", "responses", "tokens", "answers", "answer_changes",
	"revisions", "users", "sessions", "audit_log", "schema_migrations"}

// makeV1Database creates a database as the first released version of bedarf
// left it: testdata/schema_v1.sql (a frozen copy of migrations/0001_init.sql
// as released, so later edits to 0001 cannot mask a broken upgrade),
// recorded as the only migration, with realistic rows in every table.
func makeV1Database(t *testing.T, path string) v1Data {
	t.Helper()
	ctx := context.Background()
	schema, err := os.ReadFile("testdata/schema_v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	exec := func(query string, args ...any) int64 {
		t.Helper()
		res, err := db.ExecContext(ctx, query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	exec(string(schema))
	exec("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
	exec("INSERT INTO schema_migrations (name, applied_at) VALUES ('migrations/0001_init.sql', '2026-01-12T08:00:00.000Z')")

	sealer, err := auth.NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	d := v1Data{sealer: sealer, tokens: map[int64]string{}, adminEmail: "koordination@region-hannover.example", adminPassword: "Sommer-Deister-2026"}

	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		t.Fatal(err)
	}
	var kommuneIDs []int64
	for _, k := range ks {
		kommuneIDs = append(kommuneIDs, exec(`INSERT INTO kommunen (ags, name, kind, lat, lon, population, population_year) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			k.AGS, k.Name, k.Kind, k.Lat, k.Lon, k.Population, k.PopulationYear))
	}
	src := survey.DefaultQuestionnaireYAML()
	qn, err := survey.ParseYAML("fragebogen.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	qid := exec(`INSERT INTO questionnaires (slug, version, title, format, source, sha256, created_at) VALUES (?, 1, ?, 'yaml', ?, ?, '2026-01-12T08:05:00.000Z')`,
		qn.ID, qn.Title, src, hex.EncodeToString(sum[:]))
	today := time.Now().UTC().Truncate(24 * time.Hour)
	d.roundID = exec(`INSERT INTO rounds (questionnaire_id, title, opens_on, deadline, status, created_at) VALUES (?, 'Bedarfsabfrage 2026', ?, ?, 'open', '2026-01-12T08:10:00.000Z')`,
		qid, today.AddDate(0, 0, -7).Format(time.DateOnly), today.AddDate(0, 0, 21).Format(time.DateOnly))
	adminID := exec(`INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, 'Koordinierungsstelle', 'admin', ?, '2026-01-12T08:00:00.000Z')`,
		d.adminEmail, auth.HashPassword(d.adminPassword))
	exec(`INSERT INTO users (email, name, role, password_hash, created_at, disabled_at) VALUES ('ehemalig@region-hannover.example', 'Ehemalige Kollegin', 'viewer', ?, '2026-01-12T08:00:00.000Z', '2026-01-20T12:00:00.000Z')`,
		auth.HashPassword("egal-egal-egal"))
	for i, kid := range kommuneIDs {
		status, rev := "new", 0
		switch i {
		case 2:
			status, rev = "draft", 1
		case 5:
			status, rev = "submitted", 1
		case 8:
			status, rev = "returned", 1
		}
		rid := exec(`INSERT INTO responses (round_id, kommune_id, status, revision, updated_at, updated_by, submitted_at, return_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			d.roundID, kid, status, rev, nullIf(rev == 0, "2026-01-15T10:00:00.000Z"), map[bool]string{true: "", false: "Frau Beispiel"}[rev == 0],
			nullIf(status != "submitted" && status != "returned", "2026-01-16T11:00:00.000Z"), map[bool]string{true: "Bitte die Zahl der Plätze prüfen.", false: ""}[status == "returned"])
		switch status {
		case "draft":
			d.draftID = rid
		case "submitted":
			d.submittedID = rid
		}
		tok := auth.NewToken()
		d.tokens[rid] = tok
		tokID := exec(`INSERT INTO tokens (response_id, token_hash, token_enc, created_at) VALUES (?, ?, ?, '2026-01-12T08:10:00.000Z')`, rid, auth.Hash(tok), sealer.Seal(tok))
		if i == 0 {
			d.revokedToken = auth.NewToken()
			exec(`INSERT INTO tokens (response_id, token_hash, token_enc, created_at, revoked_at) VALUES (?, ?, ?, '2026-01-11T08:00:00.000Z', '2026-01-12T08:10:00.000Z')`,
				rid, auth.Hash(d.revokedToken), sealer.Seal(d.revokedToken))
		}
		if rev == 0 {
			continue
		}
		exec(`INSERT INTO sessions (id_hash, kind, token_id, created_at, last_seen_at, expires_at) VALUES (?, 'kommune', ?, ?, ?, ?)`,
			auth.Hash(auth.NewToken()), tokID, stampOf(time.Now()), stampOf(time.Now()), stampOf(time.Now().Add(24*time.Hour)))
		answers := []struct {
			q     string
			num   any
			text  any
			raw   string
			valid int
		}{
			{"kontakt_name", nil, "Frau Beispiel", "Frau Beispiel", 1},
			{"betreute_gu", 120.0, nil, "120", 1},
			{"fachkraefte_vzae", 2.5, nil, "2,5", 1},
			{"fachkraefte_personen", nil, nil, "zwölf", 0},
		}
		for _, a := range answers {
			exec(`INSERT INTO answers (response_id, question_id, item, num, text, raw, valid, revision) VALUES (?, ?, '', ?, ?, ?, ?, 1)`, rid, a.q, a.num, a.text, a.raw, a.valid)
			exec(`INSERT INTO answer_changes (response_id, revision, question_id, item, old_raw, new_raw) VALUES (?, 1, ?, '', NULL, ?)`, rid, a.q, a.raw)
		}
		exec(`INSERT INTO answer_changes (response_id, revision, question_id, item, old_raw, new_raw) VALUES (?, 1, 'fortbildung_teilnehmende', 'trauma', NULL, NULL)`, rid)
		exec(`INSERT INTO revisions (response_id, revision, saved_at, saved_by, actor_kind) VALUES (?, 1, '2026-01-15T10:00:00.000Z', 'Frau Beispiel', 'kommune')`, rid)
		exec(`INSERT INTO audit_log (at, actor_kind, actor_label, action, round_id, kommune_id, detail) VALUES ('2026-01-15T10:00:00.000Z', 'kommune', 'Frau Beispiel', 'response.save', ?, ?, 'Revision 1')`,
			d.roundID, kid)
	}
	d.staffSession = auth.NewToken()
	exec(`INSERT INTO sessions (id_hash, kind, user_id, created_at, last_seen_at, expires_at) VALUES (?, 'staff', ?, ?, ?, ?)`,
		auth.Hash(d.staffSession), adminID, stampOf(time.Now()), stampOf(time.Now()), stampOf(time.Now().Add(time.Hour)))
	exec(`INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, action, detail) VALUES ('2026-01-12T08:00:00.000Z', 'staff', ?, ?, 'login', '')`, adminID, d.adminEmail)
	exec(`INSERT INTO audit_log (at, actor_kind, actor_label, action, round_id, detail) VALUES ('2026-01-12T08:10:00.000Z', 'system', 'Kommandozeile', 'round.create', ?, 'Bedarfsabfrage 2026')`, d.roundID)
	d.counts = tableCounts(t, db, v1Tables)
	for _, table := range v1Tables {
		if d.counts[table] == 0 {
			t.Fatalf("the v1 fixture has no rows in %s", table)
		}
	}
	return d
}

func nullIf(null bool, v string) any {
	if null {
		return nil
	}
	return v
}

func stampOf(t time.Time) string { return t.UTC().Format(timeLayout) }

func tableCounts(t *testing.T, db interface {
	QueryRow(string, ...any) *sql.Row
}, tables []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// TestUpgradeFromFirstSchema opens a database of the first released schema
// with the current store: a checked backup named after the old schema is
// taken first, every migration is applied, no row is lost, the data reads
// as before (links, passwords, sessions, answers) and the application works
// on it (a save, a Kommunen import, boundaries).
func TestUpgradeFromFirstSchema(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "bedarf.db")
	d := makeV1Database(t, path)

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open the v1 database: %v", err)
	}
	defer st.Close()

	up := st.Upgrade()
	if up.From != "migrations/0001_init.sql" {
		t.Errorf("upgrade from %q", up.From)
	}
	if want := KnownMigrations()[1:]; !slices.Equal(up.Applied, want) {
		t.Errorf("applied %v, want %v", up.Applied, want)
	}
	applied, err := st.Migrations(ctx)
	if err != nil || !slices.Equal(applied, KnownMigrations()) {
		t.Errorf("recorded migrations %v (%v), want %v", applied, err, KnownMigrations())
	}

	// The backup: beside the database, named after the old schema, the old
	// data in it.
	if filepath.Dir(up.Backup) != dir || !strings.HasPrefix(filepath.Base(up.Backup), "bedarf.db.schema-0001.") || !strings.HasSuffix(up.Backup, ".bak") {
		t.Errorf("backup %q", up.Backup)
	}
	bak, err := sql.Open("sqlite", "file:"+up.Backup+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	if got := tableCounts(t, bak, v1Tables); !maps.Equal(got, d.counts) {
		t.Errorf("backup rows %v, want %v", got, d.counts)
	}
	var ncols int
	if err := bak.QueryRow("SELECT count(*) FROM pragma_table_info('kommunen') WHERE name = 'ars'").Scan(&ncols); err != nil || ncols != 0 {
		t.Errorf("the backup is not of the old schema (ars column: %d, %v)", ncols, err)
	}
	bak.Close()

	// No row lost; one audit row more: migration 0012 stored Hannover's
	// boundaries (the Kommunen are exactly Region Hannover's 21).
	wantCounts := withMigrations(d.counts, len(KnownMigrations()))
	wantCounts["audit_log"]++
	if got := tableCounts(t, st.r, v1Tables); !maps.Equal(got, wantCounts) {
		t.Errorf("rows after the upgrade %v, want %v", got, wantCounts)
	}
	if info, ok, err := st.BoundariesStored(ctx); err != nil || !ok || info.Features != 21 || info.UploadedBy != "Aktualisierung" {
		t.Errorf("boundaries after the upgrade: %+v, %v, %v", info, ok, err)
	}

	// The data reads as before.
	ks, err := st.KommunenWithARS(ctx)
	if err != nil || len(ks) != 21 || ks[11].Name != "Neustadt am Rübenberge" || ks[11].AGS != "03241012" || ks[11].ARS != "" || ks[11].Population != 44386 {
		t.Errorf("Kommunen after the upgrade: %d, %+v, %v", len(ks), ks, err)
	}
	links, err := st.Links(ctx, d.roundID, d.sealer)
	if err != nil || len(links) != 21 {
		t.Fatalf("links: %d, %v", len(links), err)
	}
	for _, l := range links {
		if l.Token != d.tokens[l.ResponseID] {
			t.Errorf("link of %s: %q, want %q", l.Kommune.Name, l.Token, d.tokens[l.ResponseID])
		}
	}
	if ref, err := st.ResolveToken(ctx, d.tokens[d.draftID]); err != nil || ref.ResponseID != d.draftID {
		t.Errorf("token of the draft: %+v, %v", ref, err)
	}
	if _, err := st.ResolveToken(ctx, d.revokedToken); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("revoked token after the upgrade: %v", err)
	}
	u, err := st.UserByEmail(ctx, d.adminEmail)
	if err != nil || !auth.CheckPassword(u.PasswordHash, d.adminPassword) || u.Role != RoleAdmin {
		t.Errorf("admin after the upgrade: %+v, %v", u, err)
	}
	if u, err := st.UserByEmail(ctx, "ehemalig@region-hannover.example"); err != nil || !u.Disabled {
		t.Errorf("disabled viewer after the upgrade: %+v, %v", u, err)
	}
	if sess, err := st.SessionByID(ctx, d.staffSession); err != nil || sess.User.Email != d.adminEmail {
		t.Errorf("staff session after the upgrade: %+v, %v", sess, err)
	}
	resp, ans, err := st.Response(ctx, d.draftID)
	if err != nil || resp.Status != survey.StatusDraft || resp.Revision != 1 {
		t.Fatalf("draft: %+v, %v", resp, err)
	}
	if v := ans[survey.Key{Question: "betreute_gu"}]; v.Raw != "120" || v.Num != 120 {
		t.Errorf("answer betreute_gu: %+v", v)
	}
	if v := ans[survey.Key{Question: "fachkraefte_personen"}]; v.Raw != "zwölf" || v.Err == nil {
		t.Errorf("invalid draft input kept as typed: %+v", v)
	}
	if resp, _, err := st.Response(ctx, d.submittedID); err != nil || resp.Status != survey.StatusSubmitted || resp.SubmittedAt.IsZero() {
		t.Errorf("submitted response: %+v, %v", resp, err)
	}

	// The application works on it: a Kommune saves its draft on.
	qn, err := st.Questionnaire(ctx, resp.RoundID)
	if err != nil {
		t.Fatalf("questionnaire: %v", err)
	}
	form := map[string][]string{}
	for k, v := range ans {
		form[k.Field()] = []string{v.Raw}
	}
	form["q.fachkraefte_personen"] = []string{"3"}
	saved, err := st.SaveResponse(ctx, Save{ResponseID: d.draftID, BaseRevision: 1, Answers: qn.Check(form, survey.Draft).Answers,
		Actor: survey.Actor{Kind: "kommune", Label: "Frau Beispiel"}})
	if err != nil || saved.Revision != 2 || saved.Changed != 1 {
		t.Fatalf("save after the upgrade: %+v, %v", saved, err)
	}
	if _, ans, _ := st.Response(ctx, d.draftID); ans[survey.Key{Question: "fachkraefte_personen"}].Num != 3 || ans[survey.Key{Question: "betreute_gu"}].Raw != "120" {
		t.Errorf("answers after the save: %+v", ans)
	}
	// … and the new features: ARS and boundaries.
	sg := survey.Kommune{AGS: "032419999000", ARS: "032419999000", Name: "Samtgemeinde Test", Kind: "Samtgemeinde", Lat: 52.4, Lon: 9.7}
	res, err := st.ImportKommunen(ctx, append(ks, sg), system)
	if err != nil || res.Added != 1 || res.Unchanged != 21 {
		t.Errorf("import after the upgrade: %+v, %v", res, err)
	}
	if err := st.SaveBoundaries(ctx, []byte(`{"type":"FeatureCollection","features":[]}`), 0, system); err != nil {
		t.Errorf("boundaries after the upgrade: %v", err)
	}

	// Opening again applies nothing and takes no further backup.
	st.Close()
	st2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if up := st2.Upgrade(); len(up.Applied) != 0 || up.Backup != "" {
		t.Errorf("second open: %+v", up)
	}
	baks, _ := filepath.Glob(filepath.Join(dir, "*.bak*"))
	if len(baks) != 1 {
		t.Errorf("backup files %v, want one", baks)
	}
}

// TestFirstSchemaFrozen: the frozen first schema is the released one, and
// migration 0001 still creates exactly it, so the upgrade test starts from
// what users have.
func TestFirstSchemaFrozen(t *testing.T) {
	frozen, err := os.ReadFile("testdata/schema_v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(frozen)
	if got := hex.EncodeToString(sum[:]); got != "87dfa23fb15a2947b7307ddbb13cf4a6f652c21ef94535ce5c4c69abeb47a96c" {
		t.Errorf("testdata/schema_v1.sql was changed (sha256 %s): it must stay the schema of the first release", got)
	}
	current, err := migrations.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	if string(current) != string(frozen) {
		t.Error("migrations/0001_init.sql differs from the released first schema (testdata/schema_v1.sql): " +
			"a released migration must never change, databases made with it would not get the change")
	}
}

// TestNewDatabaseNoBackup: a new database gets every migration and no
// backup; a database migrated by a newer bedarf is refused untouched.
func TestNewDatabaseNoBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "new.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if up := st.Upgrade(); up.From != "" || up.Backup != "" || !slices.Equal(up.Applied, KnownMigrations()) {
		t.Errorf("new database: %+v", up)
	}
	if _, err := st.w.Exec("INSERT INTO schema_migrations (name, applied_at) VALUES ('migrations/9999_future.sql', '2030-01-01T00:00:00.000Z')"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer version of bedarf") {
		t.Errorf("open a database of a newer version: %v", err)
	}
	if baks, _ := filepath.Glob(filepath.Join(dir, "*.bak*")); len(baks) != 0 {
		t.Errorf("backups of a new database: %v", baks)
	}
}

func withMigrations(counts map[string]int, n int) map[string]int {
	out := maps.Clone(counts)
	out["schema_migrations"] = n
	return out
}

// TestUpgradeStoresHannoverBoundaries: the upgrade to maps without a
// built-in fallback stores Region Hannover's boundaries exactly where the
// Kommunen are Hannover's 21, so those maps stay as they were; any other
// region keeps none.
func TestUpgradeStoresHannoverBoundaries(t *testing.T) {
	ks, err := survey.ParseKommunenCSV(survey.DefaultKommunenCSV())
	if err != nil {
		t.Fatal(err)
	}
	other := survey.Kommune{AGS: "03355022", Name: "Lüneburg", Lat: 53.25, Lon: 10.41}
	for _, tc := range []struct {
		name     string
		kommunen []survey.Kommune
		want     bool
	}{
		{"Hannover's 21", ks, true},
		{"no Kommunen", nil, false},
		{"20 of Hannover's", ks[1:], false},
		{"Hannover's 21 and one more", append(slices.Clone(ks), other), false},
		{"21, one of them elsewhere", append(slices.Clone(ks[1:]), other), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := openFirstSchemaWith(t, tc.kommunen)
			geo, err := st.Boundaries(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := geo != nil; got != tc.want {
				t.Fatalf("boundaries stored: %v, want %v", got, tc.want)
			}
			if !tc.want {
				return
			}
			var fc struct {
				Features []struct {
					Properties struct{ AGS string }
				}
			}
			if err := json.Unmarshal(geo, &fc); err != nil {
				t.Fatalf("stored GeoJSON: %v", err)
			}
			var got, want []string
			for _, f := range fc.Features {
				got = append(got, f.Properties.AGS)
			}
			for _, k := range ks {
				want = append(want, k.AGS)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("stored areas %v, want %v", got, want)
			}
			var audits int
			if err := st.r.QueryRow("SELECT count(*) FROM audit_log WHERE action = 'boundaries.upload'").Scan(&audits); err != nil || audits != 1 {
				t.Errorf("audit rows of the stored boundaries: %d, %v", audits, err)
			}
		})
	}
}

// openFirstSchemaWith opens, and so upgrades, a database of the first
// schema that holds the given Kommunen.
func openFirstSchemaWith(t *testing.T, kommunen []survey.Kommune) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bedarf.db")
	schema, err := os.ReadFile("testdata/schema_v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(schema),
		"CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
		"INSERT INTO schema_migrations (name, applied_at) VALUES ('migrations/0001_init.sql', '2026-01-12T08:00:00.000Z')"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range kommunen {
		if _, err := db.Exec("INSERT INTO kommunen (ags, name, lat, lon) VALUES (?, ?, ?, ?)", k.AGS, k.Name, k.Lat, k.Lon); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

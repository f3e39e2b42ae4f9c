package store

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"bedarf/survey"
)

// TestOfferContent: the content texts are stored with the offer, cleaned
// (direction overrides, line ends, bullets, empty lines), refused when too
// long or on too many lines (nothing changed), and a change is audited.
func TestOfferContent(t *testing.T) {
	f, _, _, _, training := offerFixture(t)
	ctx := context.Background()
	o, err := f.st.Offer(ctx, f.round, training)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, de, en string
		wantDE       string
		wantEN       string
		field        string // refused at this field ("" accepted)
	}{
		{name: "clean", de: "- Erstens\r\n\r\n• Zweitens  \n* Drittens", en: "First\rSecond", wantDE: "Erstens\nZweitens\nDrittens", wantEN: "First\nSecond"},
		{name: "override dropped", de: "Name \u202eevil\u202c Ende", wantDE: "Name evil Ende"},
		{name: "markup kept as text", de: "<script>alert(1)</script>", wantDE: "<script>alert(1)</script>"},
		{name: "too long", de: strings.Repeat("x", survey.MaxOfferContent+1), field: "inhalt"},
		{name: "too many lines", en: strings.Repeat("Punkt\n", survey.MaxOfferContentLines+1), field: "inhalt_en"},
		{name: "empty", wantDE: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := f.st.Offer(ctx, f.round, training)
			in := o
			in.Content, in.ContentEN = tc.de, tc.en
			err := f.st.UpdateOffer(ctx, f.round, in, system)
			after, _ := f.st.Offer(ctx, f.round, training)
			if tc.field != "" {
				var e *survey.Error
				if !asError(err, &e) || e.Field != tc.field {
					t.Fatalf("got %v, want refused at %s", err, tc.field)
				}
				if after.OfferContent != before.OfferContent {
					t.Errorf("a refused text changed the offer: %+v", after.OfferContent)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if after.Content != tc.wantDE || after.ContentEN != tc.wantEN {
				t.Errorf("stored %q / %q, want %q / %q", after.Content, after.ContentEN, tc.wantDE, tc.wantEN)
			}
		})
	}
	var n int
	if err := f.st.r.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE action = 'offer.update' AND detail LIKE '%Inhalt geändert%'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("no audit entry names the changed content")
	}
}

func asError(err error, target **survey.Error) bool {
	e, ok := err.(*survey.Error)
	if ok {
		*target = e
	}
	return ok
}

// TestOfferContentFromPlan: offers made from the plan carry the defaults
// of their module; a module without one gets none.
func TestOfferContentFromPlan(t *testing.T) {
	for _, m := range survey.DefaultContentModules() {
		c := survey.DefaultOfferContent(survey.OfferTraining, m)
		if n := len(survey.Points(c.Content)); n < 3 || n > 5 || len(survey.Points(c.ContentEN)) != n {
			t.Errorf("module %s: %d German points, %d English; want 3 to 5 each, as many", m, n, len(survey.Points(c.ContentEN)))
		}
		cl := c
		if err := cl.Normalize(); err != nil || cl != c {
			t.Errorf("module %s: the default is not clean: %v", m, err)
		}
	}
	if c := survey.DefaultOfferContent(survey.OfferTraining, "unbekannt"); c.Content != "" {
		t.Errorf("unknown module has content %q", c.Content)
	}
	if c := survey.DefaultOfferContent(survey.OfferGroup, ""); c.Content == "" || c.ContentEN == "" {
		t.Error("supervision has no default content")
	}
}

// TestMigrationContentDefaults: migration 0025 gives offers made before it
// the same defaults as survey.DefaultOfferContent gives new ones.
func TestMigrationContentDefaults(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	for _, name := range names {
		if name >= "migrations/0025" {
			break
		}
		src, _ := migrations.ReadFile(name)
		if _, err := db.ExecContext(ctx, string(src)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES (?, '2026-12-01T00:00:00Z')", name); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO questionnaires (id, slug, version, title, format, source, sha256, created_at) VALUES (1, 'q', 1, 'Q', 'yaml', x'00', 'h', '2026-12-01T00:00:00Z')`,
		`INSERT INTO rounds (id, questionnaire_id, title, opens_on, deadline, status, created_at) VALUES (1, 1, 'Runde', '2026-01-01', '2026-02-01', 'closed', '2026-12-01T00:00:00Z')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	modules := append(survey.DefaultContentModules(), "eigenes")
	for i, m := range append(modules, "") {
		kind := "training"
		if m == "" {
			kind = "group"
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO offers (id, round_id, kind, title, module_id, status, created_at, updated_at)
			VALUES (?, 1, ?, ?, ?, 'draft', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')`, i+1, kind, "Angebot "+m, m); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, m := range append(modules, "") {
		kind := survey.OfferTraining
		if m == "" {
			kind = survey.OfferGroup
		}
		var got survey.OfferContent
		if err := st.r.QueryRowContext(ctx, "SELECT content, content_en FROM offers WHERE id = ?", i+1).Scan(&got.Content, &got.ContentEN); err != nil {
			t.Fatal(err)
		}
		if want := survey.DefaultOfferContent(kind, m); got != want {
			t.Errorf("%s %q after the migration:\n%q\nwant\n%q", kind, m, got, want)
		}
	}
}

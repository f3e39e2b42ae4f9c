package store

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"bedarf/survey"
)

// TestInspection reads a database read-only as bedarf doctor does: it
// sees what the store wrote and writes nothing itself.
func TestInspection(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bedarf.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.UpsertKommunen(ctx, []survey.Kommune{{AGS: "03241001", Name: "Hannover"}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	in, err := OpenInspection(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if check, err := in.QuickCheck(ctx); err != nil || check != "ok" {
		t.Errorf("quick_check = %q, %v", check, err)
	}
	applied, err := in.AppliedMigrations(ctx)
	slices.Sort(applied)
	if err != nil || !slices.Equal(applied, KnownMigrations()) {
		t.Errorf("applied migrations %v, %v; want %v", applied, err, KnownMigrations())
	}
	if n, err := in.Kommunen(ctx); err != nil || n != 1 {
		t.Errorf("Kommunen = %d, %v; want 1", n, err)
	}
	if n, err := in.ActiveAdmins(ctx); err != nil || n != 0 {
		t.Errorf("admins = %d, %v; want 0", n, err)
	}
	if s, err := in.SetupState(ctx); err != nil || s.Kommunen != 1 {
		t.Errorf("setup state %+v, %v", s, err)
	}
	if _, err := in.db.ExecContext(ctx, "DELETE FROM kommunen"); err == nil {
		t.Error("an inspection can write")
	}
	after, _ := os.ReadFile(path)
	if !slices.Equal(before, after) {
		t.Error("the inspection changed the database file")
	}
	if v, err := LinkedSQLiteVersion(ctx); err != nil || v == "" {
		t.Errorf("linked SQLite %q, %v", v, err)
	}
}

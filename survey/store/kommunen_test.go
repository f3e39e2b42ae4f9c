package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"bedarf/survey"
)

// TestImportKommunen: a first import adds, a second updates by key and
// keeps Kommunen the file leaves out; an ARS taken by another Kommune
// refuses the whole file.
func TestImportKommunen(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ks, err := survey.ParseKommunenCSV([]byte("ags;ars;name;kind;lat;lon;population\n" +
		"03355001;033555401001;Amelinghausen;Gemeinde;53,12;10,21;4000\n" +
		";033555401000;Samtgemeinde Amelinghausen;Samtgemeinde;53,12;10,21;8500\n" +
		"03355009;;Bleckede;Stadt;53,29;10,73;9500\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.ImportKommunen(ctx, ks, system)
	if err != nil || res.Added != 3 || res.Updated != 0 || len(res.Kept) != 0 {
		t.Fatalf("first import: %+v, %v", res, err)
	}
	stored, err := st.KommunenWithARS(ctx)
	if err != nil || len(stored) != 3 {
		t.Fatalf("stored: %+v, %v", stored, err)
	}
	if stored[0].AGS != "03355001" || stored[0].ARS != "033555401001" || stored[2].AGS != "033555401000" || stored[2].Kind != "Samtgemeinde" {
		t.Errorf("stored: %+v", stored)
	}
	if plain, _ := st.Kommunen(ctx); len(plain) != 3 || plain[2].AGS != "033555401000" {
		t.Errorf("Kommunen with an ARS key: %+v", plain)
	}

	ks2 := []survey.Kommune{stored[0], stored[2]}
	ks2[0].Population = 4100
	res, err = st.ImportKommunen(ctx, ks2, system)
	if err != nil || res.Added != 0 || res.Updated != 1 || res.Unchanged != 1 || len(res.Kept) != 1 || res.Kept[0].Name != "Bleckede" {
		t.Errorf("second import: %+v, %v", res, err)
	}

	clash := []survey.Kommune{{AGS: "03355002", ARS: "033555401001", Name: "Andere", Lat: 53, Lon: 10}}
	_, err = st.ImportKommunen(ctx, clash, system)
	var ie *survey.ImportError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "ARS 033555401001 von Andere gehört schon zur gespeicherten Kommune Amelinghausen (03355001)") {
		t.Errorf("ARS clash: %v", err)
	}
	if all, _ := st.KommunenWithARS(ctx); len(all) != 3 {
		t.Errorf("a refused import stored something: %d Kommunen", len(all))
	}
}

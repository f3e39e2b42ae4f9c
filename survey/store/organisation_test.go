package store

import (
	"context"
	"slices"
	"testing"

	"bedarf/survey"
)

// TestUpgradeKeepsHannoversName: the upgrade that brings the organisation
// setting names Region Hannover's Koordinierungsstelle Integration (which
// was built in before) exactly where the Kommunen are Hannover's 21; any
// other installation starts without one (the setup page asks for it).
func TestUpgradeKeepsHannoversName(t *testing.T) {
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
		{"21, one of them elsewhere", append(slices.Clone(ks[1:]), other), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := openFirstSchemaWith(t, tc.kommunen)
			org, ok, err := st.Organisation(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.want {
				t.Fatalf("organisation stored: %v (%+v), want %v", ok, org, tc.want)
			}
			if ok && (org.Office != "Koordinierungsstelle Integration" || org.Body != "Region Hannover") {
				t.Errorf("organisation %+v", org)
			}
		})
	}
}

// TestSaveOrganisation: a valid organisation is stored normalized (no
// direction override) and replaces the earlier one; a refused one changes
// nothing.
func TestSaveOrganisation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, ok, _ := f.st.Organisation(ctx); ok {
		t.Fatal("a new database has an organisation")
	}
	if err := f.st.SaveOrganisation(ctx, survey.Organisation{Office: " Fachdienst\u202e Migration ", Body: "Landkreis Musterland", Address: "Amtsweg 1\r\n99999 Musterstadt "}, system); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		org  survey.Organisation
	}{
		{"no office", survey.Organisation{Body: "Landkreis"}},
		{"no body", survey.Organisation{Office: "Fachdienst"}},
		{"two lines", survey.Organisation{Office: "Fach\ndienst", Body: "Landkreis"}},
		{"too long", survey.Organisation{Office: "Fachdienst", Body: "Landkreis", Contact: string(make([]byte, survey.MaxOrganisationField+1))}},
	} {
		if err := f.st.SaveOrganisation(ctx, tc.org, system); survey.ErrorCode(err) != survey.EInvalid {
			t.Errorf("%s: %v, want EInvalid", tc.name, err)
		}
	}
	org, ok, err := f.st.Organisation(ctx)
	if err != nil || !ok {
		t.Fatalf("organisation: %v %v", ok, err)
	}
	want := survey.Organisation{Office: "Fachdienst Migration", Body: "Landkreis Musterland", Address: "Amtsweg 1\n99999 Musterstadt"}
	if org != want {
		t.Errorf("stored %+v, want %+v", org, want)
	}
}

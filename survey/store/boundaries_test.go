package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestBoundaries: none at first (nil), the last upload wins, delete goes
// back to none.
func TestBoundaries(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if data, err := st.Boundaries(ctx); data != nil || err != nil {
		t.Fatalf("no boundaries: %q, %v", data, err)
	}
	if _, ok, err := st.BoundariesStored(ctx); ok || err != nil {
		t.Fatalf("no boundaries stored: %v, %v", ok, err)
	}
	for _, body := range []string{`{"type":"FeatureCollection","features":[1]}`, `{"type":"FeatureCollection","features":[2,3]}`} {
		if err := st.SaveBoundaries(ctx, []byte(body), len(body), system); err != nil {
			t.Fatal(err)
		}
	}
	data, err := st.Boundaries(ctx)
	if err != nil || string(data) != `{"type":"FeatureCollection","features":[2,3]}` {
		t.Errorf("boundaries: %q, %v", data, err)
	}
	info, ok, err := st.BoundariesStored(ctx)
	if err != nil || !ok || info.Size != len(data) || info.UploadedBy != system.Label || info.UploadedAt.IsZero() {
		t.Errorf("info: %+v, %v, %v", info, ok, err)
	}
	if err := st.DeleteBoundaries(ctx, system); err != nil {
		t.Fatal(err)
	}
	if data, err := st.Boundaries(ctx); data != nil || err != nil {
		t.Errorf("after delete: %q, %v", data, err)
	}
}

package main

import (
	"context"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionFrom: the version set with -ldflags wins over the module
// version; the commit, its time and a dirty checkout come from the build
// information go build stamps.
func TestVersionFrom(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-11-25T15:03:49Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	for _, tc := range []struct {
		ld   string
		info *debug.BuildInfo
		want versionInfo
		str  string
	}{
		{"1.5.0", info, versionInfo{Version: "1.5.0", Commit: "0123456789abcdef0123456789abcdef01234567", Time: "2026-11-25T15:03:49Z", Modified: true, Go: "go1.26.8"}, "1.5.0 (0123456789ab, geändert)"},
		{"", info, versionInfo{Version: "1.4.0", Commit: "0123456789abcdef0123456789abcdef01234567", Time: "2026-11-25T15:03:49Z", Modified: true, Go: "go1.26.8"}, "1.4.0 (0123456789ab, geändert)"},
		{"", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, versionInfo{Version: "Entwicklungsstand", Go: "go1.26.8"}, "Entwicklungsstand"},
	} {
		got := versionFrom(tc.ld, tc.info)
		if got != tc.want || got.String() != tc.str {
			t.Errorf("versionFrom(%q): %+v %q, want %+v %q", tc.ld, got, got.String(), tc.want, tc.str)
		}
	}
	if v := versionFrom("", nil); v.Version != "Entwicklungsstand" || v.Go == "" {
		t.Errorf("without build information: %+v", v)
	}
}

// TestVersionCommand prints the version, commit, Go, SQLite and schema
// lines.
func TestVersionCommand(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"version"}, strings.NewReader(""), &out, &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	prefixes := []string{"bedarf ", "Commit:  ", "Go:      go", "SQLite:  3.", "Schema:  "}
	if len(lines) != len(prefixes) {
		t.Fatalf("version printed:\n%s", out.String())
	}
	for i, p := range prefixes {
		if !strings.HasPrefix(lines[i], p) {
			t.Errorf("line %d %q, want prefix %q", i+1, lines[i], p)
		}
	}
}

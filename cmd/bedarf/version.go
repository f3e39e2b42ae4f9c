package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/survey/store"
)

// version is the release, set when building:
//
//	go build -ldflags "-X main.version=1.2.0" ./cmd/bedarf
//
// Without it the module version is used (set by go install …@v1.2.0).
// The commit, its time and whether the checkout had uncommitted changes
// are stamped by go build itself in a git checkout.
var version string

// versionInfo says which build is running.
type versionInfo struct {
	Version  string // "1.2.0", or "Entwicklungsstand"
	Commit   string // full commit hash; empty when not built from git
	Time     string // commit time, RFC 3339
	Modified bool   // built from a checkout with uncommitted changes
	Go       string // Go version that built it
}

// buildVersion reads the version of the running binary.
func buildVersion() versionInfo {
	info, _ := debug.ReadBuildInfo()
	return versionFrom(version, info)
}

// versionFrom combines the version set with -ldflags and the build
// information (nil when there is none).
func versionFrom(ldVersion string, info *debug.BuildInfo) versionInfo {
	v := versionInfo{Version: ldVersion, Go: runtime.Version()}
	if info != nil {
		if v.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v.Version = strings.TrimPrefix(info.Main.Version, "v")
		}
		if info.GoVersion != "" {
			v.Go = info.GoVersion
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.time":
				v.Time = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	if v.Version == "" {
		v.Version = "Entwicklungsstand"
	}
	return v
}

// String is the one-line form for logs: "1.2.0 (abc1234def0, geändert)".
func (v versionInfo) String() string {
	if v.Commit == "" {
		return v.Version
	}
	s := v.Version + " (" + shortCommit(v.Commit)
	if v.Modified {
		s += ", geändert"
	}
	return s + ")"
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// runVersion prints the version, the commit, Go and SQLite.
func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("version", "", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	v := buildVersion()
	fmt.Fprintf(stdout, "bedarf %s\n", v.Version)
	switch {
	case v.Commit == "":
		fmt.Fprintln(stdout, "Commit:  unbekannt (nicht aus einem git-Stand gebaut)")
	default:
		line := "Commit:  " + v.Commit
		if v.Time != "" {
			line += " vom " + v.Time
		}
		if v.Modified {
			line += " (mit nicht eingecheckten Änderungen)"
		}
		fmt.Fprintln(stdout, line)
	}
	fmt.Fprintf(stdout, "Go:      %s %s/%s\n", v.Go, runtime.GOOS, runtime.GOARCH)
	sqliteVersion, err := store.LinkedSQLiteVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "SQLite:  %s (mindestens %s nötig)\n", sqliteVersion, store.MinSQLiteVersion)
	fmt.Fprintf(stdout, "Schema:  %d Migrationen, zuletzt %s\n", len(store.KnownMigrations()), lastMigration())
	return nil
}

// lastMigration names the newest migration this binary carries.
func lastMigration() string {
	ms := store.KnownMigrations()
	if len(ms) == 0 {
		return "keine"
	}
	return strings.TrimPrefix(ms[len(ms)-1], "migrations/")
}

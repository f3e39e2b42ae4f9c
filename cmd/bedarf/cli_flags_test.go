package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// englishWords are words of the former English option texts and of
// flag.PrintDefaults; none belongs in the German help.
var englishWords = regexp.MustCompile(`(?:^|[\s(;,])(default|file|database|address|directory|the|of|with|for|when|string|value|duration|int|usage|Usage)\b`)

// TestSubcommandHelp: "bedarf BEFEHL -h" succeeds (exit status 0), writes
// its help to standard output and describes every option in German.
func TestSubcommandHelp(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		options []string // options the help must list
	}{
		{[]string{"demo"}, []string{"--db", "--addr", "--drain-timeout", "--smtp-host"}},
		{[]string{"serve"}, []string{"--db", "--tls-cert", "--trusted-proxies", "--mail-from"}},
		{[]string{"user", "add"}, []string{"--email", "--name", "--role", "--db"}},
		{[]string{"user"}, nil},
		{[]string{"export"}, []string{"--round", "--out", "--db"}},
		{[]string{"questionnaire"}, nil},
		{[]string{"questionnaire", "check"}, nil},
		{[]string{"questionnaire", "import"}, []string{"--db"}},
		{[]string{"backup"}, []string{"--out", "--key-file"}},
		{[]string{"restore"}, []string{"--from", "--force"}},
		{[]string{"retention"}, []string{"--after", "--audit-after", "--dry-run"}},
		{[]string{"kommunen"}, nil},
		{[]string{"kommunen", "import"}, []string{"--db"}},
		{[]string{"kommunen", "boundaries"}, []string{"--remove", "--db"}},
		{[]string{"kommunen", "list"}, []string{"--db"}},
		{[]string{"doctor"}, []string{"--timeout", "--backup-dir", "--tls-key"}},
		{[]string{"bench"}, []string{"--kommunen", "--clients", "--short", "--dir"}},
		{[]string{"version"}, nil},
	} {
		for _, h := range []string{"-h", "--help"} {
			name := strings.Join(append(append([]string{}, tc.args...), h), " ")
			t.Run(name, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				args := append(append([]string{}, tc.args...), h)
				if err := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); err != nil {
					t.Fatalf("bedarf %s: %v (exit status would not be 0)\nstderr: %s", name, err, stderr.String())
				}
				out := stdout.String()
				if stderr.Len() > 0 {
					t.Errorf("help went to standard error, not standard output: %q", stderr.String())
				}
				if !strings.Contains(out, "bedarf "+tc.args[0]) {
					t.Errorf("help does not name the command:\n%s", out)
				}
				for _, o := range tc.options {
					if !strings.Contains(out, "  "+o) {
						t.Errorf("help lists no %s:\n%s", o, out)
					}
				}
				if m := englishWords.FindAllString(out, -1); len(m) > 0 {
					t.Errorf("help has English words %q:\n%s", m, out)
				}
				// Every option has a description on the next line.
				lines := strings.Split(out, "\n")
				for i, l := range lines {
					if strings.HasPrefix(l, "  --") && (i+1 == len(lines) || !strings.HasPrefix(lines[i+1], "      ") || strings.TrimSpace(lines[i+1]) == "") {
						t.Errorf("option %q has no description", l)
					}
				}
			})
		}
	}
}

// TestNoArgumentsIsAnError: without a command (and with an unknown one)
// bedarf still fails, so scripts notice.
func TestNoArgumentsIsAnError(t *testing.T) {
	for _, args := range [][]string{nil, {"nope"}, {"export", "--nope"}} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); err == nil {
			t.Errorf("bedarf %q: no error", args)
		}
	}
}

// Command bedarf runs a needs survey among Kommunen: the questionnaire for
// the Kommunen, the staff pages and the evaluation workbook, from one binary
// with an embedded SQLite database.
//
// Usage:
//
//	bedarf demo   [--db FILE] [--addr HOST:PORT]
//	bedarf serve  [--db FILE] [--addr HOST:PORT] [--base-url URL]
//	bedarf user add --email E --name N --role admin|viewer
//	bedarf export --db FILE --round ID|latest --out FILE.xlsx
//	bedarf questionnaire check FILE | import FILE [--db FILE]
//	bedarf backup --db FILE --out FILE
//	bedarf restore --from FILE --db FILE [--force]
//	bedarf retention --db FILE --after 90d [--audit-after 730d] [--participants-after 180d] [--dry-run]
//	bedarf kommunen import FILE.csv | boundaries FILE.geojson | list [--db FILE]
//	bedarf doctor [serve's flags]
//	bedarf bench [--kommunen 10800] [--clients 64] [--out docs/PERFORMANCE.md] [--short]
//	bedarf version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // deadlines are meant in Europe/Berlin on any machine

	"bedarf/cmd/bedarf/internal/bench"
	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bedarf:", err)
		os.Exit(1)
	}
}

const usage = `bedarf – Bedarfsabfrage unter Kommunen

Befehle:
  demo      startet bedarf mit Demodaten (21 Kommunen der Region Hannover)
  serve     startet den Server
  user add  legt ein Konto für die Verwaltung an
  export    schreibt die Auswertung einer Runde als Excel-Datei
  questionnaire check|import DATEI
            prüft einen Fragebogen (YAML oder XLSForm) oder importiert ihn
  backup    sichert die Datenbank im laufenden Betrieb in eine neue Datei
  restore   stellt die Datenbank aus einer Sicherung wieder her (Server vorher anhalten)
  retention löscht personenbezogene Daten geschlossener Runden und alte Protokolleinträge nach einer Frist
  kommunen import DATEI.csv | boundaries DATEI.geojson | list
            lädt die Kommunen einer Region und ihre Grenzen für die Karten
  doctor    prüft die Einrichtung (Datenbank, Speicherplatz, TLS, Erreichbarkeit)
  bench     misst Last und Skalierung mit einer synthetischen bundesweiten Runde, schreibt docs/PERFORMANCE.md
  version   zeigt Version, Commit und SQLite-Version

"bedarf BEFEHL -h" zeigt die Optionen eines Befehls.
`

// run dispatches a subcommand; everything it needs comes in as arguments so
// tests run the real program.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	// "bedarf BEFEHL -h" asks for help: it goes to standard output and
	// the command succeeds, as with "bedarf help".
	help := cli.WantsHelp(args[1:])
	if help {
		stderr = stdout
	}
	err := dispatch(ctx, args, stdin, stdout, stderr)
	if help && errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// dispatch runs the subcommand args[0].
func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	logger, err := newLogger(stderr, envOr("BEDARF_LOG_FORMAT", "text"))
	if err != nil {
		return err
	}
	switch args[0] {
	case "demo":
		return runDemo(ctx, args[1:], stdout, stderr, logger)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "add" {
			fmt.Fprintln(stderr, "Aufruf: bedarf user add --email E-MAIL --name NAME --role admin|viewer")
			if len(args) > 1 && cli.WantsHelp(args[1:]) {
				return flag.ErrHelp
			}
			return errors.New("bedarf user: nur \"user add\" gibt es")
		}
		return runUserAdd(ctx, args[2:], stdin, stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], stdout, stderr)
	case "questionnaire":
		return runQuestionnaire(ctx, args[1:], stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		return runRestore(ctx, args[1:], stdout, stderr)
	case "retention":
		return runRetention(ctx, args[1:], stdout, stderr)
	case "kommunen":
		return runKommunen(ctx, args[1:], stdout, stderr)
	case "doctor", "check":
		return runDoctor(ctx, args[1:], stdout, stderr)
	case "bench":
		return bench.Run(ctx, args[1:], stdout, stderr, bench.Wiring{Version: buildVersion().String(),
			SeedDemo: func(ctx context.Context, st *store.Store, sealer *auth.Sealer) (string, string, error) {
				password, err := seedDemo(ctx, st, sealer, time.Now(), nil)
				return demoAdminEmail, password, err
			}})
	case "version", "--version":
		return runVersion(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// envOr returns the environment variable's value, or def when unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

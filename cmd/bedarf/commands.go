package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"bedarf/analysis"
	"bedarf/cmd/bedarf/internal/cli"
	"bedarf/cmd/bedarf/internal/mailer"
	"bedarf/cmd/bedarf/internal/web"
	"bedarf/survey"
	"bedarf/survey/auth"
	"bedarf/survey/store"
)

// config is what the server needs to know about its place in the world.
type config struct {
	DB             string
	KeyFile        string
	Addr           string
	BaseURL        string
	TrustedProxies string        // comma-separated addresses or networks (see serverOptions)
	TLS            tlsFiles      // set by serveFlags
	LogFormat      string        // set by serveFlags
	Drain          time.Duration // set by drainTimeout
	drainRaw       string        // set by drainFlag
	Mail           mailer.Config
}

func (c *config) flags(fs *flag.FlagSet, defDB string) {
	fs.StringVar(&c.DB, "db", envOr("BEDARF_DB", defDB), "`DATEI` SQLite-Datenbank (BEDARF_DB)")
	fs.StringVar(&c.KeyFile, "key-file", envOr("BEDARF_KEY_FILE", ""), "`DATEI` Schlüsseldatei, die die Links verschlüsselt, außerhalb der Datenbank aufbewahrt (BEDARF_KEY_FILE; sonst der Name der Datenbank mit .key)")
	fs.StringVar(&c.Addr, "addr", envOr("BEDARF_ADDR", "127.0.0.1:8080"), "`HOST:PORT` Adresse, an der der Server lauscht (BEDARF_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", envOr("BEDARF_BASE_URL", ""), "`URL` öffentliche Adresse in Links, z. B. https://bedarf.example.de (BEDARF_BASE_URL; sonst http://ADRESSE, mit --tls-cert https://ADRESSE)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", envOr("BEDARF_TRUSTED_PROXIES", ""), "`LISTE` Reverse-Proxys, deren Kopfzeilen X-Forwarded-For/-Proto gelten: Adressen oder Netze, durch Kommas getrennt, z. B. 127.0.0.1,10.0.0.0/24 (BEDARF_TRUSTED_PROXIES; sonst keine)")
	mailFlags(&c.Mail, fs)
}

func (c *config) keyFile() string {
	if c.KeyFile != "" {
		return c.KeyFile
	}
	return strings.TrimSuffix(c.DB, filepath.Ext(c.DB)) + ".key"
}

// openStore opens the database and the key file.
func openStore(ctx context.Context, c config) (*store.Store, *auth.Sealer, error) {
	sealer, err := auth.LoadOrCreateKey(c.keyFile())
	if err != nil {
		return nil, nil, fmt.Errorf("key file %s: %w", c.keyFile(), err)
	}
	st, err := store.Open(ctx, c.DB)
	if err != nil {
		return nil, nil, err
	}
	return st, sealer, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("serve", "[Optionen]", stderr)
	var c config
	c.flags(fs, "bedarf.db")
	c.serveFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.drainTimeout(); err != nil {
		return err
	}
	logger, err := newLogger(stderr, c.LogFormat)
	if err != nil {
		return err
	}
	var tlsConf *tls.Config
	if c.TLS.enabled() {
		if tlsConf, err = c.TLS.config(); err != nil {
			return err
		}
	}
	st, sealer, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	logUpgrade(logger, st)
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	opts := c.serverOptions(ln)
	mail, stopMail, err := mailer.Start(ctx, mailer.Deps{St: st, Sealer: sealer, Log: logger, BaseURL: opts.BaseURL}, c.Mail)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMail()
	opts.Mail = mail
	srv, err := web.New(st, sealer, logger, opts)
	if err != nil {
		ln.Close()
		return err
	}
	logger.Info("bedarf", "version", buildVersion().String())
	fmt.Fprintf(stdout, "Verwaltung: %s/anmelden\n", srv.BaseURL)
	if err := srv.AnnounceSetup(ctx, stdout); err != nil {
		logger.Error("setup state", "err", err)
	}
	return web.ServeUntilDone(ctx, ln, tlsConf, srv, logger, c.Drain)
}

// baseURL returns the configured public address or the listener's.
func baseURL(c config, ln net.Listener) string {
	if c.BaseURL != "" {
		return strings.TrimSuffix(c.BaseURL, "/")
	}
	if c.TLS.enabled() {
		return "https://" + ln.Addr().String()
	}
	return "http://" + ln.Addr().String()
}

func runUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("user add", "--email E-MAIL --name NAME --role admin|viewer [--db DATEI] < PASSWORT", stderr)
	db := fs.String("db", envOr("BEDARF_DB", "bedarf.db"), "`DATEI` SQLite-Datenbank (BEDARF_DB)")
	email := fs.String("email", "", "`E-MAIL` E-Mail-Adresse (Anmeldename)")
	name := fs.String("name", "", "`NAME` vollständiger Name")
	role := fs.String("role", "viewer", "`ROLLE` admin (Verwaltung) oder viewer (nur lesen)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	password, generated, err := readPassword(stdin)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.CreateUser(ctx, *email, *name, store.Role(*role), password, survey.Actor{Kind: "system", Label: "Kommandozeile"})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Konto angelegt: %s (%s)\n", u.Email, u.Role)
	if generated {
		fmt.Fprintf(stdout, "Passwort: %s\n", password)
	}
	return nil
}

// readPassword reads a password from the first line of stdin; with no input
// (or a terminal with nothing typed) it generates one.
func readPassword(stdin io.Reader) (string, bool, error) {
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return auth.NewPassword(), true, nil
		}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return auth.NewPassword(), true, nil
	}
	return line, false, nil
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("export", "--out DATEI.xlsx [--round ID|latest] [--db DATEI]", stderr)
	db := fs.String("db", envOr("BEDARF_DB", "bedarf.db"), "`DATEI` SQLite-Datenbank (BEDARF_DB)")
	round := fs.String("round", "latest", "`RUNDE` Nummer der Runde oder latest (die neueste)")
	out := fs.String("out", "", "`DATEI` Ausgabedatei (.xlsx)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE.xlsx is required")
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var r survey.Round
	if *round == "latest" {
		r, err = st.LatestRound(ctx)
	} else {
		id, perr := strconv.ParseInt(*round, 10, 64)
		if perr != nil {
			return fmt.Errorf("--round: %q is neither a number nor latest", *round)
		}
		r, err = st.Round(ctx, id)
	}
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".bedarf-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := web.WriteRoundWorkbook(ctx, analysis.NewService(st), r, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Auswertung geschrieben: %s\n", *out)
	return nil
}

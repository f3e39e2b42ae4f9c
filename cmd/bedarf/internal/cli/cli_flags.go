package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// NewFlagSet returns the flag set of a subcommand whose help ("-h") is in
// German, like the command list: a usage line from synopsis (the arguments
// after "bedarf NAME"), then every option with its German description.
// Descriptions may start with their value's name in backquotes (`DATEI`).
func NewFlagSet(name, synopsis string, output io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(output)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), strings.TrimSpace("Aufruf: bedarf "+name+" "+synopsis))
		PrintFlags(fs.Output(), fs)
	}
	return fs
}

// PrintFlags writes the options of fs in German: flag.PrintDefaults would
// add English words ("default", "string").
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		fmt.Fprintln(w, "\nKeine Optionen.")
		return
	}
	fmt.Fprintln(w, "\nOptionen:")
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		// A description that starts with its value's name keeps it only in
		// the option's line.
		usage = strings.TrimPrefix(usage, value+" ")
		switch value { // flag's names for values without a backquoted word
		case "string":
			value = "TEXT"
		case "int", "uint", "float", "int64", "uint64":
			value = "ZAHL"
		case "duration":
			value = "DAUER"
		case "value":
			value = "WERT"
		}
		line := "  --" + f.Name
		if value != "" {
			line += " " + value
		}
		fmt.Fprintf(w, "%s\n      %s", line, strings.ReplaceAll(usage, "\n", "\n      "))
		switch f.DefValue {
		case "", "0", "false", "0s":
		default:
			fmt.Fprintf(w, " (Vorgabe: %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// WantsHelp reports whether the arguments of a subcommand ask for its help.
func WantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		case "--":
			return false
		}
	}
	return false
}

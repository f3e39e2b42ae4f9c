// Package bench is "bedarf bench": a load and scale harness that seeds a
// synthetic database, starts the real server on loopback, drives it and
// reports every product figure as a ratio to a baseline of the same run.
package bench

// Package cli holds the command-line helpers that package main and the
// bench share: German flag help and the check for a help request.
package cli

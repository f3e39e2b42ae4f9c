// Package survey holds the domain of a needs survey: questionnaires and their
// conditions, rounds, Kommunen, invitation tokens, responses and the parsing
// and validation of answers. It knows nothing about HTTP; the SQLite store
// lives in the sub-package survey/store.
package survey

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"bedarf/survey"
)

// The pages a public body must have, by their address.
const (
	PageAccessibility = "barrierefreiheit" // Erklärung zur Barrierefreiheit
	PagePrivacy       = "datenschutz"      // Datenschutzhinweise
	PageImprint       = "impressum"        // Impressum
)

// LegalPages lists the pages in the order the footer and the admin page
// show them.
var LegalPages = []string{PageAccessibility, PagePrivacy, PageImprint}

// LegalLangs are the languages a page's text is kept in.
var LegalLangs = []string{"de", "en"}

// MaxLegalText bounds a page's text, in characters: as much as the web
// form takes in one field (the default privacy notice has about 5,000).
const MaxLegalText = 20000

// LegalText is the text of a page in one language as staff saved it.
type LegalText struct {
	Page, Lang string
	Body       string
	UpdatedAt  time.Time
	UpdatedBy  string
}

// LegalText returns the saved text of a page in a language; ok is false
// when staff never saved one (the program's default applies).
func (s *Store) LegalText(ctx context.Context, page, lang string) (LegalText, bool, error) {
	t := LegalText{Page: page, Lang: lang}
	var updated sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT body, updated_at, updated_by FROM legal_pages WHERE page = ? AND lang = ?`, page, lang).
		Scan(&t.Body, &updated, &t.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	if err != nil {
		return t, false, fmt.Errorf("legal page %s/%s: %w", page, lang, err)
	}
	t.UpdatedAt = parseTime(updated)
	return t, true, nil
}

// SaveLegalText stores the text of a page in a language; an empty text
// removes the saved one, so that the default applies again. Line ends are
// normalised to "\n". The change is recorded in the audit log.
func (s *Store) SaveLegalText(ctx context.Context, page, lang, body string, a survey.Actor) error {
	if !slices.Contains(LegalPages, page) {
		return survey.NewError(survey.ENotFound, "msg.legal.no_page")
	}
	if !slices.Contains(LegalLangs, lang) {
		return survey.NewError(survey.EInvalid, "msg.legal.lang")
	}
	body = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n"))
	if !utf8.ValidString(body) || strings.ContainsRune(body, 0) {
		return survey.NewError(survey.EInvalid, "msg.legal.chars")
	}
	if n := utf8.RuneCountInString(body); n > MaxLegalText {
		return survey.NewError(survey.EInvalid, "msg.legal.too_long", n, MaxLegalText)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		detail := page + " (" + lang + ")"
		if body == "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM legal_pages WHERE page = ? AND lang = ?`, page, lang); err != nil {
				return fmt.Errorf("reset legal page: %w", err)
			}
			return s.audit(ctx, tx, a, "legal.reset", 0, 0, detail)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO legal_pages (page, lang, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (page, lang) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			page, lang, body, s.stamp(), a.Label); err != nil {
			return fmt.Errorf("save legal page: %w", err)
		}
		return s.audit(ctx, tx, a, "legal.save", 0, 0, detail)
	})
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"bedarf/survey"
)

// OverviewFilter selects the Kommunen of a round's overview list: by
// status and by a search for part of the name or the beginning of the AGS.
type OverviewFilter struct {
	RoundID  int64
	Statuses []survey.ResponseStatus // empty: every status
	Search   string                  // empty: every Kommune
	// Sort orders the rows inside the not-submitted and submitted groups:
	// one of the Sort* constants (empty: by AGS); Desc reverses it.
	Sort string
	Desc bool
}

// The orders of the overview's rows (OverviewFilter.Sort).
const (
	SortAGS      = "ags"
	SortName     = "name"
	SortStatus   = "status"
	SortActivity = "activity"
)

// overviewOrder maps a sort to its SQL expression; ties go by AGS.
var overviewOrder = map[string]string{
	SortAGS:      "k.ags",
	SortName:     "k.name COLLATE NOCASE",
	SortStatus:   "CASE r.status WHEN 'new' THEN 0 WHEN 'draft' THEN 1 WHEN 'returned' THEN 2 ELSE 3 END",
	SortActivity: "COALESCE(r.updated_at, '')",
}

// OverviewPage is one page of a round's Kommunen as the overview lists
// them: not yet submitted first, then submitted, each by AGS.
type OverviewPage struct {
	Responses []survey.Response
	Page      int // the page shown, from 1 (a page past the end shows the last)
	Pages     int // at least 1
	Missing   int // the filter's responses not submitted yet
	Done      int // the filter's submitted responses
}

// Total is the number of responses the filter selects.
func (p OverviewPage) Total() int { return p.Missing + p.Done }

// overviewWhere returns the condition and arguments of a filter. The
// search matches the AGS from its start and the name anywhere; SQLite's
// LIKE ignores case only in ASCII, so the name is also tried with the
// search in lower and in upper case ("öst" finds "Östringen").
func overviewWhere(f OverviewFilter) (where string, args []any, joinKommunen bool) {
	where, args = "r.round_id = ?", []any{f.RoundID}
	if len(f.Statuses) > 0 {
		where += " AND r.status IN (?" + strings.Repeat(", ?", len(f.Statuses)-1) + ")"
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	if q := strings.TrimSpace(f.Search); q != "" {
		esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
		where += ` AND (k.ags LIKE ? ESCAPE '\' OR k.name LIKE ? ESCAPE '\' OR k.name LIKE ? ESCAPE '\' OR k.name LIKE ? ESCAPE '\')`
		args = append(args, esc.Replace(q)+"%", "%"+esc.Replace(q)+"%",
			"%"+esc.Replace(strings.ToLower(q))+"%", "%"+esc.Replace(strings.ToUpper(q))+"%")
		joinKommunen = true
	}
	return where, args, joinKommunen
}

// overviewCountSQL counts the filter's responses, not submitted (0) and
// submitted (1).
func overviewCountSQL(f OverviewFilter) (string, []any) {
	where, args, join := overviewWhere(f)
	from := "responses r"
	if join {
		from += " JOIN kommunen k ON k.id = r.kommune_id"
	}
	return `SELECT r.status = 'submitted', COUNT(*) FROM ` + from + ` WHERE ` + where + ` GROUP BY 1`, args
}

// overviewOrderBy returns the ORDER BY terms after the grouping: the
// filter's sort (by AGS when unknown), then the AGS.
func overviewOrderBy(f OverviewFilter) string {
	expr, ok := overviewOrder[f.Sort]
	if !ok {
		expr = overviewOrder[SortAGS]
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	return expr + dir + ", k.ags" + dir
}

// overviewRowsSQL selects a page of the filter's responses; size <= 0
// selects them all.
func overviewRowsSQL(f OverviewFilter, size, offset int) (string, []any) {
	where, args, _ := overviewWhere(f)
	q := "SELECT " + responseCols + ` FROM responses r JOIN kommunen k ON k.id = r.kommune_id
		WHERE ` + where + ` ORDER BY r.status = 'submitted', ` + overviewOrderBy(f)
	if size > 0 {
		q += " LIMIT ? OFFSET ?"
		args = append(args, size, offset)
	}
	return q, args
}

// OverviewPage returns page (from 1) of the responses the filter selects,
// size to a page (size <= 0: all on one page), with the filter's counts.
// A page past the end returns the last page. Counts and rows are read in
// one transaction, so they agree.
func (s *Store) OverviewPage(ctx context.Context, f OverviewFilter, page, size int) (OverviewPage, error) {
	p := OverviewPage{Page: max(page, 1), Pages: 1}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return p, fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	q, args := overviewCountSQL(f)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return p, fmt.Errorf("overview counts of round %d: %w", f.RoundID, err)
	}
	for rows.Next() {
		var submitted bool
		var n int
		if err := rows.Scan(&submitted, &n); err != nil {
			rows.Close()
			return p, err
		}
		if submitted {
			p.Done = n
		} else {
			p.Missing = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	if p.Total() == 0 {
		p.Page = 1
		return p, nil
	}
	offset := 0
	if size > 0 {
		p.Pages = (p.Total() + size - 1) / size
		p.Page = min(p.Page, p.Pages)
		offset = (p.Page - 1) * size
	} else {
		p.Page = 1
	}
	q, args = overviewRowsSQL(f, size, offset)
	rows, err = tx.QueryContext(ctx, q, args...)
	if err != nil {
		return p, fmt.Errorf("overview page of round %d: %w", f.RoundID, err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			return p, err
		}
		p.Responses = append(p.Responses, r)
	}
	return p, rows.Err()
}

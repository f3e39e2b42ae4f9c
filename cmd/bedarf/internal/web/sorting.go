package web

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
)

// Tables of Kommunen are sorted on the server by GET links in their column
// headers, without JavaScript: "sortierung" names the column (the table's
// first sortable column by default) and "richtung=ab" reverses the order.
// The sorted column's header carries aria-sort; its link reverses the
// order, every other header's link sorts ascending by its column. Rows
// equal in the column keep the order of their AGS (reversed with the
// order), so a sort is the same on every request.

// listSort is the sort the address asks of a table.
type listSort struct {
	Column string // a sortable column's value; empty: the default column
	Desc   bool   // "richtung=ab"
}

// sortableColumn is a column a table can be sorted by.
// A column without Key sorts but has no header (the default order of a
// table without that column: by AGS); a column with an empty Value is a
// header that does not sort.
type sortableColumn struct {
	Value string // its "sortierung" value
	Key   string // catalogue key of the column's name
	ID    string // the header's id, empty for none
	Class string // the header's class, empty for none ("num": a number)
}

// sortColumn is a sortable column header as a page shows it: a GET link
// that sorts by it (ascending, or reversed when it is the sorted column),
// and its aria-sort value when it is sorted.
type sortColumn struct {
	Key      string // catalogue key of the column's name
	ID       string // the header's id, empty for none
	Class    string // the header's class, empty for none
	URL      string // empty: the column does not sort
	AriaSort string // "ascending", "descending" or empty
}

// parseListSort reads "sortierung" and "richtung" for a table with the
// given columns, the first being the default. A column the table does not
// have or another direction is refused ("dash.list.bad_sort").
func parseListSort(qv url.Values, cols []sortableColumn) (listSort, *listParamError) {
	return parseListSortAs(qv, cols, "")
}

// parseListSortAs reads the sort of a table whose parameters carry a
// prefix ("personal-": "personal-sortierung", "personal-richtung"), for a
// second sortable table on a page.
func parseListSortAs(qv url.Values, cols []sortableColumn, prefix string) (listSort, *listParamError) {
	var ls listSort
	if v := qv.Get(prefix + "sortierung"); v != "" {
		if !slices.ContainsFunc(cols, func(c sortableColumn) bool { return c.Value == v && v != "" }) {
			return ls, &listParamError{Key: "dash.list.bad_sort"}
		}
		if v != cols[0].Value {
			ls.Column = v
		}
	}
	switch qv.Get(prefix + "richtung") {
	case "", "auf":
	case "ab":
		ls.Desc = true
	default:
		return ls, &listParamError{Key: "dash.list.bad_sort"}
	}
	return ls, nil
}

// set adds the sort to v, leaving out the defaults.
func (ls listSort) set(v url.Values) { ls.setAs(v, "") }

// setAs adds the sort to v under parameters with the prefix, leaving out
// the defaults.
func (ls listSort) setAs(v url.Values, prefix string) {
	if ls.Column != "" {
		v.Set(prefix+"sortierung", ls.Column)
	}
	if ls.Desc {
		v.Set(prefix+"richtung", "ab")
	}
}

// sortHeaders returns the headers of cols for a table sorted by ls; link
// returns the table's address (page 1) sorted another way.
func sortHeaders(ls listSort, cols []sortableColumn, link func(listSort) string) []sortColumn {
	if len(cols) == 0 {
		return nil
	}
	cur := cmp.Or(ls.Column, cols[0].Value)
	out := make([]sortColumn, 0, len(cols))
	for i, c := range cols {
		sc := sortColumn{Key: c.Key, ID: c.ID, Class: c.Class}
		if c.Key == "" {
			continue
		}
		if c.Value == "" {
			out = append(out, sc)
			continue
		}
		to := listSort{Column: c.Value}
		if c.Value == cur {
			to.Desc = !ls.Desc
			sc.AriaSort = "ascending"
			if ls.Desc {
				sc.AriaSort = "descending"
			}
		}
		if i == 0 {
			to.Column = ""
		}
		sc.URL = link(to)
		out = append(out, sc)
	}
	return out
}

// sortRows sorts rows by the column ls asks for: by names a column's
// comparison (a missing one, the default column, sorts by AGS alone); rows
// equal in it are ordered by their AGS. Descending reverses the whole
// order.
func sortRows[T any](rows []T, ls listSort, by map[string]func(a, b T) int, ags func(T) string) {
	col := by[ls.Column]
	slices.SortStableFunc(rows, func(a, b T) int {
		c := 0
		if col != nil {
			c = col(a, b)
		}
		c = cmp.Or(c, strings.Compare(ags(a), ags(b)))
		if ls.Desc {
			return -c
		}
		return c
	})
}

// byName compares names as people read them: ignoring case.
func byName(a, b string) int {
	return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
}

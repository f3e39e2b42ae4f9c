package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
)

// Long lists of Kommunen (the overview's list, the plan's tables) are shown
// page by page with a search by name or AGS, all in the address (GET, no
// JavaScript): "seite", "suche" and "pro_seite". The pager below the list
// links the first and the last page and two either side of the current one
// (templates/partials.html, "pager").

// ListPageSize is the default page size; a list of up to this many is
// shown whole, as before.
//
// Exported for package main's end-to-end tests.
const ListPageSize = 100

// listPageSizes are the page sizes to choose from ("pro_seite").
var listPageSizes = []int{10, 25, 50, 100}

// maxListSearch bounds the search, in characters.
const maxListSearch = 100

// pageParams are the query parameters every paged list reads.
var pageParams = []string{"seite", "suche", "pro_seite"}

// listPage is the page, search and page size the address asks for.
type listPage struct {
	Page    int
	Search  string
	PerPage int
	Sort    listSort // the table's sort (sorting.go), kept from page to page
}

// listParamError is a parameter of a list that makes no sense: a
// catalogue key and its arguments, for a 400 page ("dash.list.bad").
type listParamError struct {
	Key  string
	Args []any
}

// parseListPage reads "seite", "suche" and "pro_seite"; defaults: page 1,
// no search, ListPageSize.
func parseListPage(qv url.Values) (listPage, *listParamError) {
	lp := listPage{Page: 1, PerPage: ListPageSize}
	if v := qv.Get("seite"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return lp, &listParamError{Key: "dash.list.bad_page"}
		}
		lp.Page = n
	}
	lp.Search = strings.TrimSpace(qv.Get("suche"))
	if strings.ContainsFunc(lp.Search, unicode.IsControl) { // not UTF-8: refused before (requireUTF8Query)
		return lp, &listParamError{Key: "dash.list.bad_search"}
	}
	if utf8.RuneCountInString(lp.Search) > maxListSearch {
		return lp, &listParamError{Key: "dash.list.long_search", Args: []any{maxListSearch}}
	}
	if v := qv.Get("pro_seite"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !slices.Contains(listPageSizes, n) {
			return lp, &listParamError{Key: "dash.list.bad_size", Args: []any{joinInts(listPageSizes)}}
		}
		lp.PerPage = n
	}
	return lp, nil
}

// values returns the search, the page size and the sort as query
// parameters, leaving out defaults; page > 1 adds "seite".
func (lp listPage) values(page int) url.Values {
	v := url.Values{}
	if lp.Search != "" {
		v.Set("suche", lp.Search)
	}
	if lp.PerPage != ListPageSize {
		v.Set("pro_seite", strconv.Itoa(lp.PerPage))
	}
	if page > 1 {
		v.Set("seite", strconv.Itoa(page))
	}
	lp.Sort.set(v)
	return v
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// pager is the navigation between the pages of a list.
type pager struct {
	Label      string // catalogue key of the navigation's name
	Prev, Next string
	Links      []pageLink // empty for a single page
}

// pageLink is an entry of the pager: a page number, or a gap ("…").
type pageLink struct {
	N       int
	URL     string
	Current bool
}

// newPager links the pages of a list; pageURL returns a page's address.
func newPager(label string, page, pages int, pageURL func(page int) string) pager {
	pg := pager{Label: label}
	if page > 1 {
		pg.Prev = pageURL(page - 1)
	}
	if page < pages {
		pg.Next = pageURL(page + 1)
	}
	if pages > 1 {
		for _, n := range pagerNumbers(page, pages) {
			pl := pageLink{N: n, Current: n == page}
			if n > 0 {
				pl.URL = pageURL(n)
			}
			pg.Links = append(pg.Links, pl)
		}
	}
	return pg
}

// pagerNumbers returns the page numbers the pager links: the first and the
// last, two either side of the current page, and 0 for each gap between
// them ("1 … 4 5 6 7 8 … 108"). A gap of a single page shows the page.
func pagerNumbers(cur, pages int) []int {
	var out []int
	last := 0
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= cur-2 && n <= cur+2) {
			switch {
			case n == last+2:
				out = append(out, last+1)
			case n > last+2:
				out = append(out, 0)
			}
			out = append(out, n)
			last = n
		}
	}
	return out
}

// listView is a list of Kommunen cut to the page the address asks for,
// with the search form's and the pager's data (partials "pagerSearch",
// "pager").
type listView struct {
	Action   string // the search form's address
	Search   string
	PerPage  int
	PerPages []int
	Default  bool // no search, default page size
	Page     int
	Pages    int
	From, To int // the rows shown, counted from 1
	Found    int // Kommunen the search selects
	All      int // Kommunen in the list
	Pager    pager
	Sort     listSort // kept by the search form
}

// pageOf selects the items whose key starts with the search or whose name
// contains it (ignoring case) and cuts them to the page lp asks for (a page
// past the end shows the last); pageURL returns a page's address, label is
// the catalogue key of the pager's name.
func pageOf[T any](lp listPage, items []T, keyName func(T) (string, string), action, label string, pageURL func(page int) string) (*listView, []T) {
	l := &listView{Action: action, Search: lp.Search, PerPage: lp.PerPage, PerPages: listPageSizes,
		Default: lp.Search == "" && lp.PerPage == ListPageSize, All: len(items), Sort: lp.Sort}
	found := items
	if lp.Search != "" {
		q := strings.ToLower(lp.Search)
		found = nil
		for _, it := range items {
			if key, name := keyName(it); strings.HasPrefix(key, lp.Search) || strings.Contains(strings.ToLower(name), q) {
				found = append(found, it)
			}
		}
	}
	l.Found = len(found)
	l.Pages = max(1, (l.Found+lp.PerPage-1)/lp.PerPage)
	l.Page = min(lp.Page, l.Pages)
	shown := found[min(len(found), (l.Page-1)*lp.PerPage):min(len(found), l.Page*lp.PerPage)]
	if len(shown) > 0 {
		l.From = (l.Page-1)*lp.PerPage + 1
		l.To = l.From + len(shown) - 1
	}
	l.Pager = newPager(label, l.Page, l.Pages, pageURL)
	return l, shown
}

// pagedURL returns the address of page n of a list at path, keeping the
// search and page size of lp and leaving out defaults; the fragment
// names the list's section.
func pagedURL(path, fragment string, lp listPage, n int) string {
	if v := lp.values(n); len(v) > 0 {
		path += "?" + v.Encode()
	}
	return path + "#" + fragment
}

// listParams reads the list parameters of a page that lists every
// Kommune: it is paged when it has more than ListPageSize Kommunen or the
// address asks for a page, search or page size. After answering 400 for a
// parameter that makes no sense it returns ok false.
func (s *Server) listParams(c *gin.Context, total int) (lp listPage, paged, ok bool) {
	qv := c.Request.URL.Query()
	if total <= ListPageSize && !slices.ContainsFunc(pageParams, qv.Has) {
		return lp, false, true
	}
	lp, perr := parseListPage(qv)
	if perr != nil {
		s.errorPage(c, http.StatusBadRequest, tr(c, "dash.list.bad"), tr(c, perr.Key, perr.Args...))
		return lp, false, false
	}
	return lp, true, true
}

// pageKommunen cuts ks to the page the address asks for on the page at
// path, whose list has the id fragment and whose pager is named by the
// catalogue key label. The view is nil when the list is shown whole; ok is
// false after answering 400.
func (s *Server) pageKommunen(c *gin.Context, ks []survey.Kommune, path, fragment, label string) (*listView, []survey.Kommune, bool) {
	l, shown, _, ok := s.sortedKommunen(c, ks, path, fragment, label, nil, nil)
	return l, shown, ok
}

// sortedKommunen sorts ks by the column of cols the address asks for
// (compared by by; sorting.go) and cuts them to the page as pageKommunen
// does. It returns the column headers, whose links keep the search and the
// page size. Without cols, ks keep their order and a sort is refused.
func (s *Server) sortedKommunen(c *gin.Context, ks []survey.Kommune, path, fragment, label string,
	cols []sortableColumn, by map[string]func(a, b survey.Kommune) int) (*listView, []survey.Kommune, []sortColumn, bool) {
	ls, serr := parseListSort(c.Request.URL.Query(), cols)
	if serr != nil {
		s.errorPage(c, http.StatusBadRequest, tr(c, "dash.list.bad"), tr(c, serr.Key, serr.Args...))
		return nil, nil, nil, false
	}
	lp, paged, ok := s.listParams(c, len(ks))
	if !ok {
		return nil, nil, nil, false
	}
	if !paged {
		lp = listPage{Page: 1, PerPage: ListPageSize}
	}
	lp.Sort = ls
	if len(cols) > 0 {
		sortRows(ks, ls, by, func(k survey.Kommune) string { return k.AGS })
	}
	heads := sortHeaders(ls, cols, func(to listSort) string {
		o := lp
		o.Sort = to
		return pagedURL(path, fragment, o, 1)
	})
	if !paged {
		return nil, ks, heads, true
	}
	l, shown := pageOf(lp, ks, func(k survey.Kommune) (string, string) { return k.AGS, k.Name }, path+"#"+fragment, label,
		func(n int) string { return pagedURL(path, fragment, lp, n) })
	return l, shown, heads, true
}

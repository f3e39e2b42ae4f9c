package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

// overviewFixture adds 230 Kommunen (AGS 99000000 up) to the fixture's 21
// and opens a round with all 251: every fifth not begun, every fifth in
// progress, every fifth returned, the rest submitted. Kommune 99000007 is
// called "Östringen", 99000008 "Groß_%dorf" and 99000009 "öhringen".
func overviewFixture(t *testing.T) (*fixture, int64) {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	var ks []survey.Kommune
	for i := range 230 {
		name := fmt.Sprintf("Testdorf %03d", i)
		switch i {
		case 7:
			name = "Östringen"
		case 8:
			name = "Groß_%dorf"
		case 9:
			name = "öhringen"
		}
		ks = append(ks, survey.Kommune{AGS: fmt.Sprintf("99%06d", i), Name: name, Kind: "Gemeinde", Lat: 52, Lon: 10})
	}
	if err := f.st.UpsertKommunen(ctx, ks); err != nil {
		t.Fatal(err)
	}
	all, err := f.st.Kommunen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(all))
	for i, k := range all {
		ids[i] = k.ID
	}
	first, err := f.st.Round(ctx, f.round)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	rid, err := f.st.CreateRound(ctx, NewRound{QuestionnaireID: first.QuestionnaireID, Title: "Groß", OpensOn: today, Deadline: today.AddDate(0, 0, 28),
		Status: survey.RoundOpen, KommuneIDs: ids}, system)
	if err != nil {
		t.Fatal(err)
	}
	err = f.st.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE responses SET status = CASE id % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'draft' WHEN 2 THEN 'returned' ELSE 'submitted' END
			WHERE round_id = ?`, rid)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f, rid
}

// TestOverviewPage checks pages, counts, order, filter and search against
// the same selection made in Go from Responses.
func TestOverviewPage(t *testing.T) {
	f, rid := overviewFixture(t)
	ctx := context.Background()
	all, err := f.st.Responses(ctx, rid)
	if err != nil || len(all) != 251 {
		t.Fatalf("responses: %d, %v", len(all), err)
	}
	missing := []survey.ResponseStatus{survey.StatusNew, survey.StatusDraft, survey.StatusReturned}
	for _, tc := range []struct {
		name       string
		f          OverviewFilter
		page, size int
		match      func(survey.Response) bool
		wantPage   int
	}{
		{"all, first page", OverviewFilter{}, 1, 100, func(survey.Response) bool { return true }, 1},
		{"all, last page", OverviewFilter{}, 3, 100, func(survey.Response) bool { return true }, 3},
		{"past the end: last page", OverviewFilter{}, 9, 100, func(survey.Response) bool { return true }, 3},
		{"page 0: first page", OverviewFilter{}, 0, 100, func(survey.Response) bool { return true }, 1},
		{"all on one page", OverviewFilter{}, 1, 0, func(survey.Response) bool { return true }, 1},
		{"missing", OverviewFilter{Statuses: missing}, 2, 50, func(r survey.Response) bool { return r.Status != survey.StatusSubmitted }, 2},
		{"returned", OverviewFilter{Statuses: []survey.ResponseStatus{survey.StatusReturned}}, 1, 100,
			func(r survey.Response) bool { return r.Status == survey.StatusReturned }, 1},
		{"search AGS prefix", OverviewFilter{Search: "990001"}, 1, 25, func(r survey.Response) bool { return strings.HasPrefix(r.Kommune.AGS, "990001") }, 1},
		{"search name, any case", OverviewFilter{Search: " testDORF 01"}, 1, 100, func(r survey.Response) bool { return strings.HasPrefix(r.Kommune.Name, "Testdorf 01") }, 1},
		{"search umlaut, lower case", OverviewFilter{Search: "östr"}, 1, 100, func(r survey.Response) bool { return r.Kommune.Name == "Östringen" }, 1},
		{"search umlaut, upper case", OverviewFilter{Search: "ÖHR"}, 1, 100, func(r survey.Response) bool { return r.Kommune.Name == "öhringen" }, 1},
		{"search wildcards literally", OverviewFilter{Search: "_%"}, 1, 100, func(r survey.Response) bool { return r.Kommune.Name == "Groß_%dorf" }, 1},
		{"search and status", OverviewFilter{Search: "Testdorf", Statuses: []survey.ResponseStatus{survey.StatusSubmitted}}, 2, 10,
			func(r survey.Response) bool {
				return strings.HasPrefix(r.Kommune.Name, "Testdorf") && r.Status == survey.StatusSubmitted
			}, 2},
		{"nothing found", OverviewFilter{Search: "gibt es nicht"}, 4, 100, func(survey.Response) bool { return false }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []survey.Response
			var wantMissing, wantDone int
			for _, submitted := range []bool{false, true} { // outstanding first, each by AGS
				for _, r := range all {
					if tc.match(r) && (r.Status == survey.StatusSubmitted) == submitted {
						want = append(want, r)
						if submitted {
							wantDone++
						} else {
							wantMissing++
						}
					}
				}
			}
			wantPages := 1
			if tc.size > 0 && len(want) > 0 {
				wantPages = (len(want) + tc.size - 1) / tc.size
				want = want[(tc.wantPage-1)*tc.size : min(tc.wantPage*tc.size, len(want))]
			}
			tc.f.RoundID = rid
			got, err := f.st.OverviewPage(ctx, tc.f, tc.page, tc.size)
			if err != nil {
				t.Fatal(err)
			}
			if got.Page != tc.wantPage || got.Pages != wantPages || got.Missing != wantMissing || got.Done != wantDone {
				t.Errorf("page %d of %d, %d missing, %d done; want page %d of %d, %d missing, %d done",
					got.Page, got.Pages, got.Missing, got.Done, tc.wantPage, wantPages, wantMissing, wantDone)
			}
			if !slices.EqualFunc(got.Responses, want, func(a, b survey.Response) bool { return a == b }) {
				t.Errorf("got %d responses %v…, want %d %v…", len(got.Responses), ags(got.Responses), len(want), ags(want))
			}
		})
	}
	if got, err := f.st.OverviewPage(ctx, OverviewFilter{RoundID: f.round}, 1, 100); err != nil || got.Total() != 2 {
		t.Errorf("the other round: %d responses, %v", got.Total(), err)
	}
}

func ags(rs []survey.Response) []string {
	var out []string
	for _, r := range rs[:min(len(rs), 5)] {
		out = append(out, r.Kommune.AGS)
	}
	return out
}

// TestOverviewPlansUseIndexes: the overview's queries find the round's
// responses through their round index and the Kommunen by primary key,
// never by scanning a table, with and without filter and search.
func TestOverviewPlansUseIndexes(t *testing.T) {
	f, rid := overviewFixture(t)
	var qs []planQuery
	for _, of := range []OverviewFilter{{RoundID: rid}, {RoundID: rid, Statuses: []survey.ResponseStatus{survey.StatusNew, survey.StatusDraft}, Search: "dorf"}} {
		name := fmt.Sprintf(" (%d statuses, search %q)", len(of.Statuses), of.Search)
		q, args := overviewCountSQL(of)
		qs = append(qs, planQuery{"counts" + name, q, args})
		q, args = overviewRowsSQL(of, 100, 200)
		qs = append(qs, planQuery{"page" + name, q, args})
	}
	tableScan := regexp.MustCompile(`(?m)^SCAN (r|k|responses|kommunen)\b.*$`)
	for _, q := range qs {
		t.Run(q.name, func(t *testing.T) {
			plan := queryPlan(t, f.st, q)
			if scan := tableScan.FindString(plan); scan != "" {
				t.Errorf("table scan %q in plan:\n%s", scan, plan)
			}
			if !strings.Contains(plan, "SEARCH r USING INDEX sqlite_autoindex_responses_1 (round_id=?)") {
				t.Errorf("responses not found by round:\n%s", plan)
			}
			if strings.Contains(q.sql, "kommunen k") && !strings.Contains(plan, "SEARCH k USING INTEGER PRIMARY KEY (rowid=?)") {
				t.Errorf("Kommunen not reached by primary key:\n%s", plan)
			}
		})
	}
}

// queryPlan returns SQLite's plan of a query, one step a line.
func queryPlan(t *testing.T, st *Store, q planQuery) string {
	t.Helper()
	rows, err := st.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q.sql, q.args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(steps, "\n")
}

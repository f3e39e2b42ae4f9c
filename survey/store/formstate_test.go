package store

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
)

// TestKommuneFormMatchesSeparateReads: the one read of KommuneForm gives
// the round as it applies to the Kommune (its own, later deadline), the
// response and its answers exactly as KommuneRound and Response read them.
func TestKommuneFormMatchesSeparateReads(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.resps[0].ID
	alice := survey.Actor{Kind: "kommune", Label: "Alice"}
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, Actor: alice, Questionnaire: f.qn,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"100"}, "q.kontakt_name": {"Alice"}})}); err != nil {
		t.Fatal(err)
	}
	round, _ := f.st.Round(ctx, f.round)
	if err := f.st.SetKommuneDeadline(ctx, id, round.Deadline.AddDate(0, 0, 10), alice); err != nil {
		t.Fatal(err)
	}
	for _, resp := range f.resps {
		wantRound, err := f.st.KommuneRound(ctx, f.round, resp.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantResp, wantAns, err := f.st.Response(ctx, resp.ID)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := f.st.KommuneForm(ctx, f.round, resp.ID, -1)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fs.Round, wantRound) || !reflect.DeepEqual(fs.Response, wantResp) || !reflect.DeepEqual(fs.Answers, wantAns) {
			t.Errorf("response %d: KommuneForm\n%+v\n%+v\n%+v\nwant\n%+v\n%+v\n%+v", resp.ID, fs.Round, fs.Response, fs.Answers, wantRound, wantResp, wantAns)
		}
	}
	if !f.st.mustKommuneForm(t, f.round, id).Round.Deadline.Equal(round.Deadline.AddDate(0, 0, 10)) {
		t.Error("the Kommune's own, later deadline does not apply")
	}
	if _, err := f.st.KommuneForm(ctx, f.round+1, id, -1); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("response in another round: %v, want ENotFound", err)
	}
}

func (s *Store) mustKommuneForm(t *testing.T, round, id int64) FormState {
	t.Helper()
	fs, err := s.KommuneForm(context.Background(), round, id, -1)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestSaveFromFormState: a save that merges with the state its handler
// read (Save.From) keeps a colleague's change saved after that read (the
// compare-and-set fails, the save reads and merges again) and reports the
// colleague's values it took (Saved.Theirs); a colleague's change before
// the read is merged from the read itself.
func TestSaveFromFormState(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.resps[0].ID
	alice := survey.Actor{Kind: "kommune", Label: "Alice"}
	bob := survey.Actor{Kind: "kommune", Label: "Bob"}
	first := map[string][]string{"q.betreute_gu": {"100"}, "q.kontakt_name": {"Alice"}}
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, Actor: alice, Questionnaire: f.qn, Answers: f.answers(first)}); err != nil {
		t.Fatal(err)
	}
	phone := survey.Key{Question: "kontakt_telefon"}
	bobSaves := func(base int, number string) {
		t.Helper()
		_, ans, _ := f.st.Response(ctx, id)
		form := f.qn.FormValues(ans) // Bob's form shows what is stored; he changes the phone
		form["q.kontakt_telefon"] = []string{number}
		if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: base, Actor: bob, Questionnaire: f.qn, Answers: f.answers(form)}); err != nil {
			t.Fatal(err)
		}
	}
	for i, tc := range []struct {
		name      string
		before    bool // Bob saves before Alice's handler reads, else between read and save
		wantWrite int  // write transactions of Alice's save
	}{
		{"colleague before the read", true, 1},
		{"colleague between read and save", false, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cur, atBase, _ := f.st.Response(ctx, id)
			base := cur.Revision
			mine := f.qn.FormValues(atBase) // Alice's page, made at base
			number := "0511 " + tc.name
			if tc.before {
				bobSaves(base, number)
			}
			fs, err := f.st.KommuneForm(ctx, f.round, id, base)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.before {
				bobSaves(base, number)
			}
			writes := 0
			f.st.SetFault(func(ctx context.Context, op Op) error {
				if op == OpWrite {
					writes++
				}
				return nil
			})
			mine["q.betreute_gu"] = []string{strconv.Itoa(120 + i)}
			saved, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: base, Actor: alice, Questionnaire: f.qn,
				Answers: f.answers(mine), RoundMustAccept: true, From: &fs})
			f.st.SetFault(nil)
			if err != nil {
				t.Fatal(err)
			}
			if writes != tc.wantWrite {
				t.Errorf("%d write transactions, want %d", writes, tc.wantWrite)
			}
			_, ans, _ := f.st.Response(ctx, id)
			if ans[phone].Raw != number || ans[survey.Key{Question: "betreute_gu"}].Raw != mine["q.betreute_gu"][0] {
				t.Errorf("stored %+v; want Bob's phone %q and Alice's %s", ans, number, mine["q.betreute_gu"][0])
			}
			if !slices.Equal(saved.Theirs, []survey.Key{phone}) || saved.Answers[phone].Raw != number {
				t.Errorf("Theirs %v, answers %+v; want Bob's phone", saved.Theirs, saved.Answers)
			}
		})
	}
}

// TestSaveRoundAcceptsInTheWrite: the compare-and-set of a Kommune's save
// accepts answers exactly while survey.Round.AcceptsAnswers does, the
// Kommune's own later deadline included, and refuses (EClosed, nothing
// stored) otherwise.
func TestSaveRoundAcceptsInTheWrite(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.resps[0].ID
	round, _ := f.st.Round(ctx, f.round)
	staff := survey.Actor{Kind: "staff", Label: "Amt"}
	lastDay := round.Deadline
	at := func(day time.Time, hour int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), hour, 30, 0, 0, survey.Berlin())
	}
	for i, tc := range []struct {
		name  string
		now   time.Time
		own   time.Time // the Kommune's deadline; zero: none
		close bool
		want  bool
	}{
		{"last day, late evening", at(lastDay, 23), time.Time{}, false, true},
		{"day after", at(lastDay.AddDate(0, 0, 1), 0), time.Time{}, false, false},
		{"day after, own deadline later", at(lastDay.AddDate(0, 0, 1), 0), lastDay.AddDate(0, 0, 3), false, true},
		{"own deadline passed", at(lastDay.AddDate(0, 0, 4), 0), lastDay.AddDate(0, 0, 3), false, false},
		{"closed round", at(lastDay, 10), time.Time{}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.st.SetClock(time.Now)
			if err := f.st.SetKommuneDeadline(ctx, id, tc.own, staff); err != nil {
				t.Fatal(err)
			}
			if tc.close {
				if err := f.st.CloseRound(ctx, f.round, staff); err != nil {
					t.Fatal(err)
				}
				defer f.st.OpenRound(ctx, f.round, staff)
			}
			f.st.SetClock(func() time.Time { return tc.now })
			defer f.st.SetClock(time.Now)
			fs := f.st.mustKommuneForm(t, f.round, id)
			if got := fs.Round.AcceptsAnswers(tc.now); got != tc.want {
				t.Fatalf("AcceptsAnswers %v, want %v (the case is wrong)", got, tc.want)
			}
			fs, _ = f.st.KommuneForm(ctx, f.round, id, fs.Response.Revision)
			value := strings.Repeat("1", i+1)
			_, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: fs.Response.Revision, Actor: staff, Questionnaire: f.qn,
				Answers: f.answers(map[string][]string{"q.betreute_gu": {value}}), RoundMustAccept: true, From: &fs})
			_, ans, _ := f.st.Response(ctx, id)
			stored := ans[survey.Key{Question: "betreute_gu"}].Raw == value
			if tc.want && (err != nil || !stored) {
				t.Errorf("save refused: %v (stored %v)", err, stored)
			}
			if !tc.want && (survey.ErrorCode(err) != survey.EClosed || stored) {
				t.Errorf("save: %v, stored %v; want EClosed and nothing stored", err, stored)
			}
		})
	}
}

// TestCloseClosesStatements: Close closes the prepared statements with the
// handles.
func TestCloseClosesStatements(t *testing.T) {
	f := newFixture(t)
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.ps.form.Exec(); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("a prepared statement after Close: %v, want closed", err)
	}
}

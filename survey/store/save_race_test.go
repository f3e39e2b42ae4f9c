package store

import (
	"context"
	"sync/atomic"
	"testing"

	"bedarf/survey"
)

// TestSaveRaceReadsAndMergesAgain: a colleague's save that lands between a
// save's read and its write transaction makes the compare-and-set fail;
// the save reads and merges again, so both changes are stored and nothing
// of the colleague's is lost.
func TestSaveRaceReadsAndMergesAgain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.resps[0].ID
	alice := survey.Actor{Kind: "kommune", Label: "Alice"}
	bob := survey.Actor{Kind: "kommune", Label: "Bob"}
	if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, Actor: alice,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"100"}, "q.kontakt_name": {"Alice"}})}); err != nil {
		t.Fatal(err)
	}
	// Bob saves (from revision 1, a new phone number) right before Alice's
	// write transaction begins, after Alice's save has read revision 1.
	var armed, writes atomic.Int32
	armed.Store(1)
	f.st.SetFault(func(ctx context.Context, op Op) error {
		if op != OpWrite {
			return nil
		}
		writes.Add(1)
		if armed.CompareAndSwap(1, 0) {
			if _, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: 1, Actor: bob,
				Answers: f.answers(map[string][]string{"q.betreute_gu": {"100"}, "q.kontakt_name": {"Alice"}, "q.kontakt_telefon": {"0511 1"}})}); err != nil {
				t.Errorf("Bob's save: %v", err)
			}
		}
		return nil
	})
	saved, err := f.st.SaveResponse(ctx, Save{ResponseID: id, BaseRevision: 1, Actor: alice,
		Answers: f.answers(map[string][]string{"q.betreute_gu": {"120"}, "q.kontakt_name": {"Alice"}})})
	f.st.SetFault(nil)
	if err != nil {
		t.Fatalf("Alice's save: %v", err)
	}
	if saved.Revision != 3 || saved.Answers[survey.Key{Question: "kontakt_telefon"}].Raw != "0511 1" {
		t.Errorf("Alice's save: revision %d, answers %+v; want revision 3 with Bob's phone", saved.Revision, saved.Answers)
	}
	if n := writes.Load(); n != 3 { // Alice's lost CAS, Bob's save, Alice's retry
		t.Errorf("%d write transactions, want 3", n)
	}
	_, ans, err := f.st.Response(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ans[survey.Key{Question: "kontakt_telefon"}].Raw != "0511 1" || ans[survey.Key{Question: "betreute_gu"}].Num != 120 {
		t.Errorf("stored: %+v; want Bob's phone and Alice's 120", ans)
	}
}

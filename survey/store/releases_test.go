package store

import (
	"context"
	"testing"
	"time"

	"bedarf/survey"
)

func TestReleaseResultsAndWithdraw(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, ok, err := f.st.Release(ctx, f.round); err != nil || ok {
		t.Fatalf("new round released: %v, %v", ok, err)
	}
	for _, n := range []int{-1, 0, 2, 101} {
		if err := f.st.ReleaseResults(ctx, f.round, n, false, system); survey.ErrorCode(err) != survey.EInvalid {
			t.Errorf("min group %d: got %v, want invalid", n, err)
		}
	}
	if _, ok, _ := f.st.Release(ctx, f.round); ok {
		t.Fatal("a refused release was stored")
	}
	if err := f.st.WithdrawRelease(ctx, f.round, system); survey.ErrorCode(err) != survey.EConflict {
		t.Errorf("withdraw without release: %v, want a conflict", err)
	}
	if err := f.st.ReleaseResults(ctx, 9999, 5, false, system); survey.ErrorCode(err) != survey.ENotFound {
		t.Errorf("unknown round: %v, want not found", err)
	}
	if err := f.st.ReleaseResults(ctx, f.round, 5, false, system); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ReleaseResults(ctx, f.round, 7, true, system); err != nil {
		t.Fatal(err)
	}
	r, ok, err := f.st.Release(ctx, f.round)
	if err != nil || !ok || r.MinGroup != 7 || !r.ShowGroupMembers || r.At.IsZero() || r.By != system.Label {
		t.Fatalf("release: %+v %v %v; want min group 7 with members shown", r, ok, err)
	}
	if err := f.st.WithdrawRelease(ctx, f.round, system); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := f.st.Release(ctx, f.round); ok {
		t.Error("still released after withdraw")
	}
	entries, _, err := f.st.AuditSearch(ctx, AuditFilter{Action: "results."})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range entries {
		got[e.Action]++
	}
	if got["results.release"] != 2 || got["results.withdraw"] != 1 {
		t.Errorf("audit: %v, want 2 releases and 1 withdraw", got)
	}
}

func TestReportOpensDeduplicated(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	f.st.SetClock(func() time.Time { return now })
	k0, k1 := f.resps[0].Kommune, f.resps[1].Kommune
	kommune := survey.Actor{Kind: "kommune", Label: "Kommune " + k0.Name}
	open := func(k survey.Kommune, v ReportView, want bool) {
		t.Helper()
		wrote, err := f.st.RecordReportOpen(ctx, f.round, k.ID, v, kommune)
		if err != nil || wrote != want {
			t.Fatalf("open %s %s at %s: wrote %v (%v), want %v", k.AGS, v, now, wrote, err, want)
		}
	}
	open(k0, ReportPage, true)
	open(k0, ReportPage, false) // a reload
	open(k0, ReportPrint, true)
	now = now.Add(24 * time.Hour)
	open(k0, ReportPage, true) // the next day
	opens, err := f.st.ReportOpens(ctx, f.round)
	if err != nil || len(opens) != 1 || opens[0].Kommune.AGS != k0.AGS || opens[0].Days != 3 || !opens[0].Last.After(opens[0].First) {
		t.Fatalf("opens: %+v, %v; want one Kommune with 3 entries", opens, err)
	}
	open(k1, ReportWorkbook, true)
	if opens, _ := f.st.ReportOpens(ctx, f.round); len(opens) != 2 {
		t.Errorf("opens: %d Kommunen, want 2", len(opens))
	}
}

func TestResultsMail(t *testing.T) {
	f, ctx := mailFixture(t)
	queue(t, f, survey.MailInvitation, "") // links for both
	for {
		job, ok, err := f.st.ClaimMail(ctx, f.sealer)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if err := f.st.FinishMail(ctx, job.ID, MailSent, "250 ok"); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.st.CloseRound(ctx, f.round, system); err != nil {
		t.Fatal(err)
	}
	m, _ := f.st.RoundMail(ctx, f.round)
	sel := MailSelection{RoundID: f.round, Kind: survey.MailResults}
	if _, err := f.st.QueueMails(ctx, sel, m.Version, "test.example", f.sealer, system); survey.ErrorCode(err) != survey.EConflict {
		t.Fatalf("results mail before the release: %v, want a conflict", err)
	}
	if err := f.st.ReleaseResults(ctx, f.round, 5, false, system); err != nil {
		t.Fatal(err)
	}
	res := queue(t, f, survey.MailResults, "")
	if res.Queued != 2 {
		t.Fatalf("results mails queued in a closed round: %d, want 2", res.Queued)
	}
	job, ok, err := f.st.ClaimMail(ctx, f.sealer)
	if err != nil || !ok || job.Kind != survey.MailResults || job.Token == "" {
		t.Fatalf("claim results mail: %+v %v %v", job.MailRow, ok, err)
	}
	if err := f.st.FinishMail(ctx, job.ID, MailSent, "250 ok"); err != nil {
		t.Fatal(err)
	}
	// Withdrawn before the second is sent: it is cancelled.
	if err := f.st.WithdrawRelease(ctx, f.round, system); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := f.st.ClaimMail(ctx, f.sealer); ok || err != nil {
		t.Fatalf("a results mail was claimed after the withdraw: %v %v", ok, err)
	}
	if got := statuses(t, f); got[MailCancelled] != 1 {
		t.Errorf("statuses %v, want the second results mail cancelled", got)
	}
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"bedarf/survey"
	"bedarf/survey/store"
)

// TestMailLogAfterRetention: once retention has emptied a round's mails,
// the send log shows neither the address nor a button to send them again,
// and a forged retry is refused.
func TestMailLogAfterRetention(t *testing.T) {
	sink, _ := startSink(t, "none")
	sink.refuse = 1
	r := startMailRig(t, "", sinkFlags(sink, "none")...)
	admin := r.signIn(t, r.email, r.password)
	const ags, address = "03241001", "buero@hannover.example"
	code, _, _ := admin.post(r.base+"/verwaltung/kontakte/"+ags, url.Values{"email": {address}, "name": {"Büro"}})
	wantCode(t, "add contact", code, http.StatusSeeOther)
	base := r.base + "/verwaltung/runden/1/mail"
	_, stand := previewStand(t, admin, base+"/vorschau?art=einladung&kommune="+ags)
	code, _, _ = admin.post(base+"/senden", url.Values{"art": {"einladung"}, "stand": {stand}, "kommune": {ags}})
	wantCode(t, "send", code, http.StatusSeeOther)
	rows := waitMails(t, r.st, 1, map[store.MailStatus]int{store.MailFailed: 1})
	retry := fmt.Sprintf("%s/versand/%d/wiederholen", base, rows[0].ID)

	_, page, _ := admin.get(base)
	if !strings.Contains(page, address) || !strings.Contains(page, "/wiederholen") {
		t.Fatal("before retention the log lacks the address or the retry button: the test proves nothing")
	}

	ctx := context.Background()
	staff := survey.Actor{Kind: "staff", Label: "Test"}
	if err := r.st.CloseRound(ctx, 1, staff); err != nil {
		t.Fatal(err)
	}
	r.st.SetClock(func() time.Time { return time.Now().AddDate(2, 0, 0) })
	purged, err := r.st.PurgePersonal(ctx, 0, false, staff)
	if err != nil || len(purged) != 1 || purged[0].Mails != 1 {
		t.Fatalf("retention: %+v, %v; want one round with one mail", purged, err)
	}

	_, page, _ = admin.get(base)
	if strings.Contains(page, address) {
		t.Error("the send log still shows the purged address")
	}
	if strings.Contains(page, "/wiederholen") || strings.Contains(page, "/erneut") {
		t.Error("the send log offers to send an emptied mail again")
	}
	if code, _, _ := admin.post(retry, nil); code != http.StatusConflict {
		t.Errorf("retry of an emptied mail: %d, want 409", code)
	}
	if !strings.Contains(page, "nach Ablauf der Aufbewahrungsfrist gelöscht") {
		t.Error("the send log does not say why the mail is empty")
	}
	switchLang(t, admin, r.base, "en", "/verwaltung")
	if _, page, _ = admin.get(base); !strings.Contains(page, "deleted after the retention period") {
		t.Error("the English send log does not say in English why the mail is empty")
	}
}

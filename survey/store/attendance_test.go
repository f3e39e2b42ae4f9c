package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"bedarf/survey"
)

// addBooking names a participant of the Kommune (index into the round's
// responses) and books them with the status: the booking code's tables
// written directly, as a fixture until the booking functions are used.
func (f *fixture) addBooking(t *testing.T, offerID, dateID int64, k int, name string, status survey.BookingStatus) int64 {
	t.Helper()
	ctx := context.Background()
	kid := f.resps[k].Kommune.ID
	stamp := f.st.stamp()
	res, err := f.st.w.ExecContext(ctx, "INSERT INTO participants (kommune_id, name, function, email, created_at, updated_at) VALUES (?, ?, 'Sozialarbeit', ?, ?, ?)",
		kid, name, name+"@example.org", stamp, stamp)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := res.LastInsertId()
	var date any
	if dateID != 0 {
		date = dateID
	}
	if _, err := f.st.w.ExecContext(ctx, `INSERT INTO bookings (offer_id, date_id, participant_id, kommune_id, status, waiting_since, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, offerID, date, pid, kid, status, stamp, stamp, stamp); err != nil {
		t.Fatal(err)
	}
	return pid
}

// attendanceFixture: the offer fixture with three group sessions and
// bookings: Kommune 0 has P1, P2 in the group, P3 booked and P4 waiting on
// training day 1; Kommune 1 has P5 in the group, P6 on day 1, P7 on day 2.
type attendanceFixture struct {
	*fixture
	group, training int64
	sessions, days  []int64
	p               map[string]int64
}

func newAttendanceFixture(t *testing.T) *attendanceFixture {
	t.Helper()
	f, _, _, group, training := offerFixture(t)
	ctx := context.Background()
	af := &attendanceFixture{fixture: f, group: group, training: training, p: map[string]int64{}}
	for _, day := range []int{1, 8, 15} {
		id, err := f.st.AddDate(ctx, f.round, group, testDate(day, 14, 16), system)
		if err != nil {
			t.Fatal(err)
		}
		af.sessions = append(af.sessions, id)
	}
	o, err := f.st.Offer(ctx, f.round, training)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range o.Dates {
		af.days = append(af.days, d.ID)
	}
	for _, b := range []struct {
		name   string
		offer  int64
		date   int64
		k      int
		status survey.BookingStatus
	}{
		{"P1", group, 0, 0, survey.BookingBooked}, {"P2", group, 0, 0, survey.BookingBooked},
		{"P3", training, af.days[0], 0, survey.BookingBooked}, {"P4", training, af.days[0], 0, survey.BookingWaiting},
		{"P5", group, 0, 1, survey.BookingBooked}, {"P6", training, af.days[0], 1, survey.BookingBooked},
		{"P7", training, af.days[1], 1, survey.BookingBooked},
	} {
		af.p[b.name] = f.addBooking(t, b.offer, b.date, b.k, b.name, b.status)
	}
	return af
}

// after is a time after all of the fixture's dates.
var after = time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)

func (af *attendanceFixture) names(t *testing.T, dateID int64) (present, absent []string) {
	t.Helper()
	r, err := af.st.DateRoster(context.Background(), af.round, dateID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Entries {
		if e.Attended {
			present = append(present, e.Name)
		} else {
			absent = append(absent, e.Name)
		}
	}
	return present, absent
}

func TestMarkAttendance(t *testing.T) {
	af := newAttendanceFixture(t)
	ctx := context.Background()
	// The roster: booked participants only (the waiting P4 is counted).
	r, err := af.st.DateRoster(ctx, af.round, af.days[0])
	if err != nil || len(r.Entries) != 2 || r.Waiting != 1 || r.Entries[0].Name != "P3" || r.Entries[0].Email != "P3@example.org" || r.Entries[0].Kommune == "" {
		t.Fatalf("roster of day 1: %+v, %v", r, err)
	}
	g, err := af.st.DateRoster(ctx, af.round, af.sessions[0])
	if err != nil || len(g.Entries) != 3 || g.Waiting != 0 {
		t.Fatalf("roster of a group session (every seat of the group): %+v, %v", g, err)
	}
	for _, m := range []struct {
		date    int64
		present []string
	}{
		{af.days[0], []string{"P3"}}, {af.sessions[0], []string{"P1", "P5"}}, {af.sessions[1], []string{"P1"}},
	} {
		var ids []int64
		for _, n := range m.present {
			ids = append(ids, af.p[n])
		}
		if n, err := af.st.MarkAttendance(ctx, af.round, m.date, ids, after, system); err != nil || n != len(ids) {
			t.Fatalf("mark %d: %d, %v", m.date, n, err)
		}
		if got, _ := af.names(t, m.date); !slices.Equal(got, m.present) {
			t.Errorf("date %d present %v, want %v", m.date, got, m.present)
		}
	}
	// Corrected from the paper list: P3 was not there after all, P6 was.
	if _, err := af.st.MarkAttendance(ctx, af.round, af.days[0], []int64{af.p["P6"]}, after, system); err != nil {
		t.Fatal(err)
	}
	if present, absent := af.names(t, af.days[0]); !slices.Equal(present, []string{"P6"}) || !slices.Equal(absent, []string{"P3"}) {
		t.Errorf("after the correction: present %v, absent %v", present, absent)
	}
	if got := auditActions(t, af.st, AuditFilter{Action: "attendance.mark"}); len(got) != 4 {
		t.Errorf("audit entries: %v, want 4", got)
	}
	d, err := af.st.UptakeData(ctx, af.round)
	if err != nil {
		t.Fatal(err)
	}
	var presence []string
	for _, p := range d.Presence {
		presence = append(presence, fmt.Sprintf("%d:%s", p.Sessions, p.AGS))
	}
	ags0, ags1 := af.resps[0].Kommune.AGS, af.resps[1].Kommune.AGS
	if want := []string{"2:" + ags0, "0:" + ags0, "1:" + ags1}; !slices.Equal(presence, want) {
		t.Errorf("presence %v, want %v", presence, want)
	}
	var counts []string
	for _, c := range d.Counts {
		counts = append(counts, fmt.Sprintf("%d/%s/%s=%d", c.DateID, c.AGS, c.Status, c.N))
	}
	want := []string{
		fmt.Sprintf("0/%s/booked=2", ags0), fmt.Sprintf("0/%s/booked=1", ags1),
		fmt.Sprintf("%d/%s/booked=1", af.days[0], ags0), fmt.Sprintf("%d/%s/waiting=1", af.days[0], ags0), fmt.Sprintf("%d/%s/attended=1", af.days[0], ags1),
		fmt.Sprintf("%d/%s/booked=1", af.days[1], ags1),
	}
	if !slices.Equal(counts, want) {
		t.Errorf("counts\n%v\nwant\n%v", counts, want)
	}
	if d.Names[ags0] == "" || d.Names[ags1] == "" {
		t.Errorf("names: %v", d.Names)
	}
}

func TestMarkAttendanceRefused(t *testing.T) {
	af := newAttendanceFixture(t)
	ctx := context.Background()
	if err := af.st.CancelDate(ctx, af.round, af.group, af.sessions[2], "", system); err != nil {
		t.Fatal(err)
	}
	before := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		round   int64
		date    int64
		present []int64
		now     time.Time
		code    string
		key     string
	}{
		{"another round's date", af.round + 1, af.days[0], []int64{af.p["P3"]}, after, survey.ENotFound, "msg.attendance.date_missing"},
		{"an unknown date", af.round, 999999, nil, after, survey.ENotFound, "msg.attendance.date_missing"},
		{"a waiting participant", af.round, af.days[0], []int64{af.p["P3"], af.p["P4"]}, after, survey.EInvalid, "msg.attendance.not_listed"},
		{"another date's participant", af.round, af.days[0], []int64{af.p["P7"]}, after, survey.EInvalid, "msg.attendance.not_listed"},
		{"a date not begun", af.round, af.days[0], []int64{af.p["P3"]}, before, survey.EInvalid, "msg.attendance.future"},
		{"a cancelled date", af.round, af.sessions[2], []int64{af.p["P1"]}, after, survey.EInvalid, "msg.attendance.cancelled"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := af.st.MarkAttendance(ctx, c.round, c.date, c.present, c.now, system)
			if survey.ErrorCode(err) != c.code || errKeyOf(err) != c.key {
				t.Errorf("err %v, want %s %s", err, c.code, c.key)
			}
		})
	}
	d, err := af.st.UptakeData(ctx, af.round)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range d.Counts {
		if c.Status == survey.BookingAttended {
			t.Errorf("a refused marking changed a booking: %+v", c)
		}
	}
	for _, p := range d.Presence {
		if p.Sessions != 0 {
			t.Errorf("a refused marking recorded a session: %+v", p)
		}
	}
	if got := auditActions(t, af.st, AuditFilter{Action: "attendance.mark"}); len(got) != 0 {
		t.Errorf("audit entries of refused markings: %v", got)
	}
}

func errKeyOf(err error) string {
	var e *survey.Error
	if !errors.As(err, &e) || e.Text == nil {
		return ""
	}
	return e.Text.Key
}

package store

import (
	"context"
	"sync/atomic"
	"testing"

	"bedarf/survey"
)

// TestSessionReadIsOneSnapshot: SessionByID reads the session's row and
// its link or user in one read transaction. A revoke or a disabling that
// commits between the two reads is not half seen: the call answers from
// the state before it (the session, complete), and the next call finds no
// session. Read as separate statements, the first call would pair the
// session's row from before with the link or user from after.
func TestSessionReadIsOneSnapshot(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// start creates a session; end ends it as staff do.
		start func(t *testing.T, f *fixture) (sid string, end func() error)
		// check says what is wrong with the session found, if anything.
		check func(Session) string
	}{
		{"a Kommune's link revoked",
			func(t *testing.T, f *fixture) (string, func() error) {
				id := f.resps[0].ID
				tok, err := f.st.IssueToken(ctx, id, f.sealer, system)
				if err != nil {
					t.Fatal(err)
				}
				ref, err := f.st.ResolveToken(ctx, tok)
				if err != nil {
					t.Fatal(err)
				}
				sid, err := f.st.CreateKommuneSession(ctx, ref)
				if err != nil {
					t.Fatal(err)
				}
				return sid, func() error { return f.st.RevokeToken(ctx, id, system) }
			},
			func(s Session) string {
				if s.Kind != "kommune" || s.Token.TokenID == 0 || s.Token.ResponseID == 0 {
					return "no link"
				}
				return ""
			}},
		{"a staff user disabled",
			func(t *testing.T, f *fixture) (string, func() error) {
				if _, err := f.st.CreateUser(ctx, "chefin@bedarf.example", "Chefin", RoleAdmin, "ein-langes-passwort", system); err != nil {
					t.Fatal(err)
				}
				u, err := f.st.CreateUser(ctx, "leser@bedarf.example", "Leser", RoleViewer, "ein-langes-passwort", system)
				if err != nil {
					t.Fatal(err)
				}
				sid, err := f.st.CreateStaffSession(ctx, u)
				if err != nil {
					t.Fatal(err)
				}
				return sid, func() error { return f.st.SetUserDisabled(ctx, u.ID, true, system) }
			},
			func(s Session) string {
				if s.Kind != "staff" || s.User.Email != "leser@bedarf.example" || s.User.Disabled {
					return "not the enabled user"
				}
				return ""
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			sid, end := tc.start(t, f)
			var ended atomic.Int32
			f.st.SetFault(func(ctx context.Context, op Op) error {
				if op == OpReadSessionOwner && ended.CompareAndSwap(0, 1) {
					if err := end(); err != nil {
						t.Errorf("ending the session between the reads: %v", err)
					}
				}
				return nil
			})
			s, err := f.st.SessionByID(ctx, sid)
			f.st.SetFault(nil)
			if ended.Load() != 1 {
				t.Fatal("SessionByID did not reach the read of the session's owner")
			}
			if err != nil {
				t.Fatalf("ended between the reads: %v; want the session as it was when the read began", err)
			}
			if why := tc.check(s); why != "" {
				t.Errorf("ended between the reads: %s in %+v", why, s)
			}
			if _, err := f.st.SessionByID(ctx, sid); survey.ErrorCode(err) != survey.ENotFound {
				t.Errorf("after it ended: %v, want ENotFound", err)
			}
		})
	}
}

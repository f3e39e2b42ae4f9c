package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestUnavailable: storage failures are told apart from other errors, also
// when wrapped.
func TestUnavailable(t *testing.T) {
	for _, tc := range []struct {
		err  error
		kind string
		ok   bool
	}{
		{syscall.ENOSPC, StorageFull, true},
		{fmt.Errorf("commit: %w", syscall.EDQUOT), StorageFull, true},
		{fmt.Errorf("begin: %w", syscall.EIO), StorageIO, true},
		{errors.New("disk I/O error"), "", false}, // words alone do not count
		{context.Canceled, "", false},
		{nil, "", false},
	} {
		if kind, ok := Unavailable(tc.err); kind != tc.kind || ok != tc.ok {
			t.Errorf("Unavailable(%v) = %q, %v; want %q, %v", tc.err, kind, ok, tc.kind, tc.ok)
		}
	}
}

// TestReadiness: a write that fails for a storage reason makes the store
// not ready until a write succeeds or a minute has passed, and is reported
// with its kind all the same; Readiness itself writes nothing.
func TestReadiness(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Ahead of the real clock: the fixture's own writes happened "before".
	now := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	f.st.SetClock(func() time.Time { return now })
	if r := f.st.Readiness(ctx); !r.Ready || r.LastWriteError != nil || r.FreeBytes < 0 {
		t.Fatalf("fresh store: %+v", r)
	}
	f.st.SetFault(failing(OpWrite, syscall.ENOSPC))
	if err := f.st.Audit(ctx, system, "test", 0, 0, ""); err == nil {
		t.Fatal("write with a fault succeeded")
	}
	r := f.st.Readiness(ctx)
	if r.Ready || !r.Current || r.LastWriteError == nil || r.LastWriteError.Kind != StorageFull {
		t.Fatalf("after a failed write: %+v", r)
	}
	now = now.Add(2 * time.Minute) // no traffic since: the failure no longer counts, but is reported
	if r := f.st.Readiness(ctx); !r.Ready || r.Current || r.LastWriteError == nil {
		t.Errorf("two minutes later: %+v", r)
	}
	now = now.Add(-time.Minute)
	f.st.SetFault(nil)
	if err := f.st.Audit(ctx, system, "test", 0, 0, ""); err != nil {
		t.Fatal(err)
	}
	if r := f.st.Readiness(ctx); !r.Ready || r.Current || !r.LastWriteOK.Equal(now) {
		t.Errorf("after a good write: %+v", r)
	}
	// A refused request (not the storage's fault) is no write error.
	before := f.st.Readiness(ctx).LastWriteError
	f.st.SetFault(failing(OpWrite, errors.New("refused")))
	f.st.Audit(ctx, system, "test", 0, 0, "")
	if r := f.st.Readiness(ctx); *r.LastWriteError != *before {
		t.Errorf("a non-storage error was recorded: %+v", r.LastWriteError)
	}
}

// TestExplainOpen: a failed open on a (nearly) full file system names the
// disk space; other failures stay as they are.
func TestExplainOpen(t *testing.T) {
	dir := t.TempDir()
	other := errors.New("migration 0003: syntax error")
	if err := explainOpen(dir+"/x.db", other); err != other {
		t.Errorf("unrelated error changed: %v", err)
	}
	full := fmt.Errorf("sqlite version: %w", syscall.ENOSPC)
	if err := explainOpen(dir+"/x.db", full); !errors.Is(err, syscall.ENOSPC) || !containsAll(err.Error(), "no disk space left", dir) {
		t.Errorf("full disk: %v", err)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// failing is a fault (SetFault) that fails op with err.
func failing(op Op, err error) func(context.Context, Op) error {
	return func(_ context.Context, got Op) error {
		if got == op {
			return err
		}
		return nil
	}
}

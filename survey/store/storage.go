package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Storage kinds: why the database could not be used, as Unavailable
// reports them.
const (
	StorageFull   = "disk full"
	StorageIO     = "I/O error"
	StorageLocked = "database locked"
)

// MinFreeBytes is the free space on the database's file system below which
// Readiness reports the store as not ready: a save needs a few pages of
// WAL, a checkpoint or a backup much more.
const MinFreeBytes = 16 << 20

// writeErrorCurrent is how long a failed write keeps Readiness at "not
// ready" when no write has succeeded since: the probe itself never writes,
// so without traffic it would otherwise never learn that the cause has
// gone (a full disk is also seen directly in the free space).
const writeErrorCurrent = time.Minute

// Unavailable reports whether err is a failure of the storage rather than
// of the request: the disk is full, an I/O error, or the database stayed
// locked past the busy timeout. Such a request may succeed when tried again
// later; kind names the cause (StorageFull, StorageIO, StorageLocked).
func Unavailable(err error) (kind string, ok bool) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return StorageFull, true
		case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
			return StorageIO, true
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return StorageLocked, true
		}
	}
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return StorageFull, true
	case errors.Is(err, syscall.EIO):
		return StorageIO, true
	}
	return "", false
}

// WriteError is a write that failed for a storage reason.
type WriteError struct {
	At   time.Time
	Kind string // StorageFull, StorageIO or StorageLocked
	Err  string
}

// writeHealth is what the store remembers of its writes for Readiness.
type writeHealth struct {
	mu        sync.Mutex
	lastError *WriteError
	lastOK    time.Time
	fault     func(ctx context.Context, op Op) error // SetFault; nil in production
}

// Op names where SetFault's function is asked whether to fail.
type Op string

// The operations SetFault can make fail.
const (
	OpWrite       Op = "write"        // every write transaction and single write
	OpReadSession Op = "read session" // the read of a session (SessionByID)
	// OpReadSessionOwner: SessionByID has read the session's row and
	// reads its user or link next, in the same read transaction.
	OpReadSessionOwner Op = "read session owner"
)

// noteWrite records the outcome of a write and returns err unchanged.
func (s *Store) noteWrite(err error) error {
	h := &s.health
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		h.lastOK = s.now()
		return nil
	}
	if kind, ok := Unavailable(err); ok {
		h.lastError = &WriteError{At: s.now(), Kind: kind, Err: err.Error()}
	}
	return err
}

// SetFault makes the operations fail with the error fn returns for them
// (nil lets one through); SetFault(nil) removes it. For tests, like
// SetClock: it stands in for a broken disk or a lock held elsewhere.
func (s *Store) SetFault(fn func(ctx context.Context, op Op) error) {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	s.health.fault = fn
}

func (s *Store) injectedFault(ctx context.Context, op Op) error {
	s.health.mu.Lock()
	fn := s.health.fault
	s.health.mu.Unlock()
	if fn == nil {
		return nil
	}
	return fn(ctx, op)
}

// exec runs one statement on the writer outside a transaction (small
// updates such as a session's last use), with the same fault injection and
// error record as write.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := s.injectedFault(ctx, OpWrite); err != nil {
		return nil, s.noteWrite(err)
	}
	res, err := s.w.ExecContext(ctx, query, args...)
	return res, s.noteWrite(err)
}

// Readiness is the state of the store for /readyz, found without writing.
type Readiness struct {
	// Ready is false when the database does not answer, the free space is
	// below MinFreeBytes, or a write failed for a storage reason within the
	// last minute and none has succeeded since.
	Ready bool
	// Database is "" when the database answers a read, else the error.
	Database string
	// FreeBytes is the space left to bedarf on the database's file
	// system; -1 when it cannot be found out.
	FreeBytes int64
	// LastWriteError is the last write that failed for a storage reason
	// (nil: none since the start), Current whether it still counts.
	LastWriteError *WriteError
	Current        bool
	// LastWriteOK is when a write last succeeded (zero: none yet).
	LastWriteOK time.Time
}

// Readiness reports whether the store can take writes, from a read, the
// file system's free space and the outcome of the last writes.
func (s *Store) Readiness(ctx context.Context) Readiness {
	r := Readiness{FreeBytes: -1}
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(new(int)); err != nil {
		r.Database = err.Error()
	}
	if free, err := freeBytes(filepath.Dir(s.path)); err == nil {
		r.FreeBytes = free
	}
	s.health.mu.Lock()
	if e := s.health.lastError; e != nil {
		copied := *e
		r.LastWriteError = &copied
		r.Current = e.At.After(s.health.lastOK) && s.now().Sub(e.At) < writeErrorCurrent
	}
	r.LastWriteOK = s.health.lastOK
	s.health.mu.Unlock()
	r.Ready = r.Database == "" && !r.Current && (r.FreeBytes < 0 || r.FreeBytes >= MinFreeBytes)
	return r
}

// explainOpen names the lack of disk space when opening the database at
// path failed and its file system is (nearly) full: SQLite itself only says
// "disk I/O error" when it cannot create the WAL's files.
func explainOpen(path string, err error) error {
	dir := filepath.Dir(path)
	free, ferr := freeBytes(dir)
	kind, storage := Unavailable(err)
	if !storage || kind != StorageFull && (ferr != nil || free >= MinFreeBytes) {
		return err
	}
	if ferr != nil {
		return fmt.Errorf("no disk space left on the file system of %s: free some space, then start again: %w", dir, err)
	}
	return fmt.Errorf("no disk space left on the file system of %s (%s free, at least %s needed): free some space, then start again: %w",
		dir, FormatBytes(free), FormatBytes(MinFreeBytes), err)
}

// FormatBytes writes a byte count for people: "512 B", "3.2 MiB".
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

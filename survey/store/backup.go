package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"bedarf/survey"
)

// Backups are made with VACUUM INTO: SQLite writes a consistent snapshot
// of the database (one read transaction, so writers carry on in WAL mode)
// into a new, compact file with no -wal beside it. The copy is written to a
// temporary file next to the target, checked, synced and only then put in
// place, so a backup file that exists is complete.

// Backup writes a consistent copy of the database to path, which must not
// exist yet. The server may keep taking writes meanwhile. The copy is
// checked with PRAGMA integrity_check and synced to disk before it appears
// under its name; the backup is recorded in the audit log. If only that
// record fails, the error wraps ErrBackupNotRecorded.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup to %s: %w", path, fs.ErrExist)
	}
	src, err := s.file(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp, release, err := tempBeside(path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer release()
	if err := vacuumInto(ctx, src, tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := CheckFile(ctx, tmp); err != nil {
		return fmt.Errorf("backup: the copy failed its check: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := linkNoReplace(tmp, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := s.Audit(ctx, survey.Actor{Kind: "system", Label: "Datensicherung"}, "database.backup", 0, 0, filepath.Base(path)); err != nil {
		return fmt.Errorf("%w: %w", ErrBackupNotRecorded, err)
	}
	return nil
}

// ErrBackupNotRecorded says that a backup is complete and checked but its
// entry in the audit log could not be written: a warning, not a failure.
var ErrBackupNotRecorded = errors.New("the backup is complete and checked, but its audit log entry could not be written")

// file returns the path of the store's database file.
func (s *Store) file(ctx context.Context) (string, error) {
	rows, err := s.r.QueryContext(ctx, "PRAGMA database_list")
	if err != nil {
		return "", fmt.Errorf("database file: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		var name, file string
		if err := rows.Scan(&seq, &name, &file); err != nil {
			return "", fmt.Errorf("database file: %w", err)
		}
		if name == "main" && file != "" {
			return file, nil
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("database file: %w", err)
	}
	return "", errors.New("database file: the store has no file")
}

// fileDSN returns a data source name for path with the given parameters.
func fileDSN(path string, params ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		v.Add(params[i], params[i+1])
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + v.Encode()
}

// vacuumInto writes a snapshot of the database at src into dst (an empty
// file). It uses a connection of its own: the read pool is query_only, which
// VACUUM INTO refuses, and the writer must stay free for saves.
func vacuumInto(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", fileDSN(src, "mode", "rw", "_pragma", "busy_timeout(10000)"))
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return fmt.Errorf("vacuum into %s: %w", dst, err)
	}
	return db.Close()
}

// CheckFile checks that path is an intact bedarf database: SQLite's
// integrity and foreign-key checks pass and the migrations table exists.
// The file is opened read-only and immutable, so nothing is written beside
// it.
func CheckFile(ctx context.Context, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() || fi.Size() == 0 {
		return fmt.Errorf("check %s: not a database file", path)
	}
	db, err := sql.Open("sqlite", fileDSN(path, "mode", "ro", "immutable", "1"))
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	defer db.Close()
	problems, err := pragmaRows(ctx, db, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return fmt.Errorf("check %s: integrity_check: %s", path, strings.Join(problems, "; "))
	}
	if problems, err = pragmaRows(ctx, db, "PRAGMA foreign_key_check"); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("check %s: foreign_key_check: %d rows point nowhere", path, len(problems))
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("check %s: not a bedarf database (no migrations recorded)", path)
	}
	return nil
}

// pragmaRows returns the first column of every row a pragma returns.
func pragmaRows(ctx context.Context, db *sql.DB, pragma string) ([]string, error) {
	rows, err := db.QueryContext(ctx, pragma)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(sql.RawBytes)
		}
		if err := rows.Scan(vals...); err != nil {
			return nil, err
		}
		out = append(out, string(*vals[0].(*sql.RawBytes)))
	}
	return out, rows.Err()
}

// Restore puts the backup file from in place of the database at to. The
// backup is checked first. An existing database is replaced only with
// force, and never while a process has it open; its -wal and -shm files go
// too, so that no stale log is applied to the restored file. The copy is
// written beside the target, synced and renamed into place. The key file
// that encrypts the links is not part of the database: restore it
// separately.
func Restore(ctx context.Context, from, to string, force bool) error {
	if err := CheckFile(ctx, from); err != nil {
		return fmt.Errorf("restore: the backup failed its check: %w", err)
	}
	_, err := os.Lstat(to)
	exists := err == nil
	switch {
	case exists && !force:
		return fmt.Errorf("restore to %s: %w (use --force to replace it)", to, fs.ErrExist)
	case exists:
		if err := checkNotInUse(ctx, to); err != nil {
			return fmt.Errorf("restore to %s: %w", to, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("restore to %s: %w", to, err)
	}
	tmp, release, err := tempBeside(to)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer release()
	if err := copyFile(from, tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := CheckFile(ctx, tmp); err != nil {
		return fmt.Errorf("restore: the copy failed its check: %w", err)
	}
	// Remove the old log before the new file appears: a crash in between
	// leaves no database rather than a stale log over a new file.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(to + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore: remove stale %s: %w", to+suffix, err)
		}
	}
	if exists {
		err = os.Rename(tmp, to)
	} else {
		err = linkNoReplace(tmp, to)
	}
	if err != nil {
		return fmt.Errorf("restore to %s: %w", to, err)
	}
	if err := syncDir(filepath.Dir(to)); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// ErrInUse says that a database file is open in some process.
var ErrInUse = errors.New("the database is in use: stop the server first")

// checkNotInUse tries to take the database at path for itself: a process
// that has it open in WAL mode holds a shared lock that makes this fail.
func checkNotInUse(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", fileDSN(path, "mode", "rw", "_pragma", "locking_mode(EXCLUSIVE)", "_pragma", "busy_timeout(0)"))
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n)
	if err != nil && strings.Contains(err.Error(), "SQLITE_BUSY") {
		return ErrInUse
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	return db.Close()
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("sync %s: %w", to, err)
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return f.Close()
}

// syncDir makes a rename or new file in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return d.Close()
}

// linkNoReplace gives the file tmp the name path unless path exists, and
// removes the name tmp. A hard link fails when the target exists, so no
// file that appeared meanwhile is overwritten; where hard links are not
// supported it falls back to a check and a rename.
func linkNoReplace(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		return os.Remove(tmp)
	case errors.Is(err, fs.ErrExist):
		return fs.ErrExist
	}
	if _, serr := os.Lstat(path); serr == nil {
		return fs.ErrExist
	}
	return os.Rename(tmp, path)
}

package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"syscall"
)

// Temporary files: a backup, a restore and the backup before a migration
// first write a hidden file beside their target (".NAME.tmp-DIGITS"), a full
// copy of the database with personal data. While a process works on one it
// holds an exclusive flock on it; a process that was killed leaves the file
// behind unlocked, and RemoveLeftovers removes it.

// tempName matches the temporary files of tempBeside and the files SQLite
// may make beside them.
var tempName = regexp.MustCompile(`^\..+\.tmp-[0-9]+(-wal|-shm|-journal)?$`)

// tempBeside creates an empty temporary file in the directory of path and
// locks it. release removes it (and SQLite's files beside it) and drops the
// lock.
func tempBeside(path string) (name string, release func(), err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", nil, err
	}
	name = f.Name()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		os.Remove(name)
		return "", nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return name, func() {
		removeDBFiles(name)
		f.Close()
	}, nil
}

// removeDBFiles removes a (temporary) database file and any files SQLite
// may have made beside it.
func removeDBFiles(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// RemoveLeftovers removes from dir the temporary files that a killed
// backup, restore or migration left behind, and returns their names. A file
// that a running process still holds is kept, as is any file that is not an
// empty file or an SQLite database.
func RemoveLeftovers(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("temporary files in %s: %w", dir, err)
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !tempName.MatchString(name) || name != trimSQLiteSuffix(name) {
			continue
		}
		path := filepath.Join(dir, name)
		gone, err := removeIfAbandoned(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if gone {
			removed = append(removed, name)
		}
	}
	// SQLite's files whose database is gone (removed now or before).
	for _, e := range entries {
		name := e.Name()
		base := trimSQLiteSuffix(name)
		if !e.Type().IsRegular() || !tempName.MatchString(name) || base == name {
			continue
		}
		if _, err := os.Lstat(filepath.Join(dir, base)); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove %s: %w", name, err))
			continue
		}
		removed = append(removed, name)
	}
	sort.Strings(removed)
	return removed, errors.Join(errs...)
}

func trimSQLiteSuffix(name string) string {
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if len(name) > len(suffix) && name[len(name)-len(suffix):] == suffix {
			return name[:len(name)-len(suffix)]
		}
	}
	return name
}

// removeIfAbandoned removes the temporary database at path (with SQLite's
// files beside it) if no process holds its lock and it is empty or an
// SQLite database.
func removeIfAbandoned(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil // in use by a running backup
		}
		return false, fmt.Errorf("lock %s: %w", path, err)
	}
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	if n > 0 && !bytes.Equal(head[:n], []byte("SQLite format 3\x00")[:n]) {
		return false, nil // not ours
	}
	removeDBFiles(path)
	return true, nil
}

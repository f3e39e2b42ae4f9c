//go:build !unix

package store

import "errors"

// freeBytes is not available here: Readiness reports the free space as
// unknown.
func freeBytes(string) (int64, error) { return 0, errors.ErrUnsupported }

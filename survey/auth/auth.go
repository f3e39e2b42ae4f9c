// Package auth holds the secrets of bedarf: random tokens for Kommune links
// and sessions, their hashes, the key file that encrypts links so staff can
// show them again, and argon2id password hashes for staff accounts.
package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/crypto/argon2"
)

// NewToken returns a random URL-safe token with 256 bits of entropy.
func NewToken() string {
	return rand.Text() + rand.Text()
}

// Hash returns the SHA-256 of a token, the form in which tokens and session
// ids are stored and looked up.
func Hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Sealer encrypts and decrypts tokens with AES-256-GCM.
type Sealer struct{ aead cipher.AEAD }

// LoadOrCreateKey reads the 32-byte key file at path, creating it with a new
// random key (mode 0600) when it does not exist.
func LoadOrCreateKey(path string) (*Sealer, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key = make([]byte, 32)
		rand.Read(key)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("create key file: %w", err)
		}
		if _, err := f.Write(key); err != nil {
			f.Close()
			return nil, fmt.Errorf("write key file: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("sync key file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("close key file: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	return NewSealer(key)
}

// NewSealer returns a Sealer for a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain text; the nonce is prepended.
func (s *Sealer) Seal(plain string) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, []byte(plain), nil)
}

// Open decrypts what Seal produced.
func (s *Sealer) Open(sealed []byte) (string, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("sealed value too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return "", fmt.Errorf("decrypt: %w (wrong key file?)", err)
	}
	return string(plain), nil
}

// Argon2id parameters as OWASP's Password Storage Cheat Sheet recommends:
// 19 MiB memory, 2 iterations, 1 degree of parallelism.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// dummyHash is verified against when a user does not exist, so an unknown
// e-mail costs the same time as a wrong password.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Y2Z0b2RheXdhc2Fnb29kZGF5Zm9yYWNvZmZlZTEyMzQ"

// CheckPassword reports whether password matches the PHC-encoded hash.
// An empty hash is checked against a dummy so the time taken is the same.
func CheckPassword(hash, password string) bool {
	real := hash != ""
	if !real {
		hash = dummyHash
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || m > 1<<20 || t > 10 || p == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1 && real
}

// NewPassword returns a random password for generated accounts: 20
// characters from an alphabet without look-alikes (about 100 bits).
func NewPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	for i := range b {
		var one [1]byte
		for {
			rand.Read(one[:])
			if int(one[0]) < 256-256%len(alphabet) {
				break
			}
		}
		b[i] = alphabet[int(one[0])%len(alphabet)]
	}
	return string(b)
}

package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	h := HashPassword("richtig-richtig")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not use OWASP's argon2id parameters", h)
	}
	if h == HashPassword("richtig-richtig") {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		hash, pw string
		want     bool
	}{
		{h, "richtig-richtig", true},
		{h, "falsch", false},
		{"", "richtig-richtig", false},
		{"$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA", "x", false},
		{"kaputt", "x", false},
	} {
		if got := CheckPassword(tc.hash, tc.pw); got != tc.want {
			t.Errorf("CheckPassword(%.20q, %q) = %v", tc.hash, tc.pw, got)
		}
	}
}

func TestTokensAndSealer(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) != 52 {
		t.Errorf("tokens %q %q", a, b)
	}
	path := filepath.Join(t.TempDir(), "x.key")
	s1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", fi.Mode())
	}
	s2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	sealed := s1.Seal(a)
	if got, err := s2.Open(sealed); err != nil || got != a {
		t.Errorf("open with reloaded key: %q, %v", got, err)
	}
	other, _ := NewSealer(make([]byte, 32))
	if _, err := other.Open(sealed); err == nil {
		t.Error("another key opened the token")
	}
	if p := NewPassword(); len(p) != 20 || p == NewPassword() {
		t.Errorf("password %q", p)
	}
}

package survey

import "testing"

func TestSafeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Gemeinde Wedemark", "Gemeinde Wedemark"},
		{"right-to-left letters stay", "مدرسة الأمل", "مدرسة الأمل"},
		{"Hebrew with marks", "שלום\u200f (Hannover)\u200e", "שלום\u200f (Hannover)\u200e"},
		{"override", "\u202eevil", "evil"},
		{"override closed", "a\u202dxyz\u202cb", "axyzb"},
		{"embeddings", "\u202bعربي\u202c und \u202adeutsch\u202c", "عربي und deutsch"},
		{"balanced isolate stays", "Name: \u2067عربي\u2069!", "Name: \u2067عربي\u2069!"},
		{"nested isolates stay", "\u2068a\u2066b\u2069c\u2069", "\u2068a\u2066b\u2069c\u2069"},
		{"unclosed isolate", "\u2067abc", "abc"},
		{"stray PDI", "abc\u2069 def", "abc def"},
		{"stray PDI before a pair", "\u2069\u2066x\u2069", "\u2066x\u2069"},
		{"two unclosed", "\u2066a\u2067b", "ab"},
		{"mixed", "\u202e\u2066x\u2069\u2069", "\u2066x\u2069"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SafeText(tt.in); got != tt.want {
				t.Errorf("SafeText(%+q) = %+q, want %+q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzSafeText(f *testing.F) {
	for _, s := range []string{"\u202eevil", "\u2066a\u2069", "abc", "\u2069\u2067"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := SafeText(s)
		depth := 0
		for _, r := range out {
			switch r {
			case lre, rle, pdf, lro, rlo:
				t.Fatalf("SafeText(%+q) = %+q keeps an embedding or override", s, out)
			case lri, rli, fsi:
				depth++
			case pdi:
				depth--
				if depth < 0 {
					t.Fatalf("SafeText(%+q) = %+q has a stray PDI", s, out)
				}
			}
		}
		if depth != 0 {
			t.Fatalf("SafeText(%+q) = %+q leaves an isolate open", s, out)
		}
		if SafeText(out) != out {
			t.Fatalf("SafeText is not idempotent on %+q", s)
		}
	})
}

package web

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"
)

// Options is what New needs to know besides the store.
type Options struct {
	// BaseURL is the public address used in links, without a trailing
	// slash, e.g. https://bedarf.example.de.
	BaseURL string
	// TrustedProxies are the addresses or networks (CIDR) of reverse
	// proxies whose X-Forwarded-For, X-Real-IP and X-Forwarded-Proto
	// headers count. Empty: no proxy is trusted.
	TrustedProxies []string
	// Mail is the mail service the pages wake after queueing mails; nil:
	// none runs, mails wait in the queue.
	Mail notifier
}

// ParseTrustedProxies reads addresses ("10.0.0.5", "::1") and networks
// ("10.0.0.0/24") of trusted proxies.
func ParseTrustedProxies(items []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range items {
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: not an address or network (CIDR): %v", item, err)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an address or network (CIDR): %v", item, err)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// PrefixStrings writes prefixes the way gin's SetTrustedProxies reads them;
// nil for none, which makes gin trust no proxy.
func PrefixStrings(ps []netip.Prefix) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// fromTrustedProxy reports whether the request came straight from a
// configured reverse proxy.
func (s *Server) fromTrustedProxy(c *gin.Context) bool {
	if len(s.trusted) == 0 {
		return false
	}
	ap, err := netip.ParseAddrPort(c.Request.RemoteAddr)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap()
	for _, p := range s.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// requestSecure reports whether the browser reached bedarf over https: the
// public base URL is https, bedarf serves TLS itself, or a trusted proxy
// says so in X-Forwarded-Proto (the first value: the proxy nearest the
// browser). It decides Secure cookies, the __Host- prefix and HSTS. The
// header of any other client is ignored.
func (s *Server) requestSecure(c *gin.Context) bool {
	if s.secure || c.Request.TLS != nil {
		return true
	}
	if !s.fromTrustedProxy(c) {
		return false
	}
	proto, _, _ := strings.Cut(c.Request.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

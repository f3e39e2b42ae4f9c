package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// smtpSink is a real SMTP server on loopback (github.com/emersion/go-smtp)
// that keeps what it accepts, for the tests of the mails.
type smtpSink struct {
	srv  *smtp.Server
	addr *net.TCPAddr

	mu       sync.Mutex
	msgs     []sinkMessage
	refuse   int    // refuse the next n messages at the end of DATA with 550
	user     string // required login (PLAIN), "" for none
	password string
	onData   func() // called before a message is accepted
}

// sinkMessage is a message the sink accepted.
type sinkMessage struct {
	From string
	Rcpt []string
	Data []byte
	TLS  bool
	Auth string // the user that logged in
}

type sinkSession struct {
	sink *smtpSink
	conn *smtp.Conn
	msg  sinkMessage
}

// startSink starts a sink; mode is "none", "starttls" or "tls" (the two
// with a self-signed certificate for 127.0.0.1, written as PEM to caFile).
func startSink(t *testing.T, mode string) (sink *smtpSink, caFile string) {
	t.Helper()
	sink = &smtpSink{}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &sinkSession{sink: sink, conn: c}, nil
	}))
	s.Domain = "sink.test"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.MaxMessageBytes = 1 << 20
	s.AllowInsecureAuth = mode == "none"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if mode != "none" {
		var conf *tls.Config
		conf, caFile = selfSigned(t)
		if mode == "starttls" {
			s.TLSConfig = conf
		} else {
			ln = tls.NewListener(ln, conf)
		}
	}
	sink.srv, sink.addr = s, ln.Addr().(*net.TCPAddr)
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return sink, caFile
}

// selfSigned makes a certificate for 127.0.0.1 and returns a server
// configuration with it and the PEM file clients trust.
func selfSigned(t *testing.T) (*tls.Config, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sink.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "smtp-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, caFile
}

// port is the sink's port for --smtp-port.
func (s *smtpSink) port() string { return strings.TrimPrefix(s.addr.String(), "127.0.0.1:") }

// messages returns what the sink accepted so far.
func (s *smtpSink) messages() []sinkMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sinkMessage(nil), s.msgs...)
}

// waitFor waits until the sink has n messages and returns them.
func (s *smtpSink) waitFor(t *testing.T, n int) []sinkMessage {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		msgs := s.messages()
		if len(msgs) >= n || time.Now().After(deadline) {
			if len(msgs) != n {
				t.Fatalf("the mail server received %d messages, want %d", len(msgs), n)
			}
			return msgs
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (ss *sinkSession) AuthMechanisms() []string {
	if ss.sink.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *sinkSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != ss.sink.user || password != ss.sink.password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Anmeldung abgelehnt"}
		}
		ss.msg.Auth = user
		return nil
	}), nil
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.sink.user != "" && ss.msg.Auth == "" {
		return smtp.ErrAuthRequired
	}
	ss.msg.From = from
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.msg.Rcpt = append(ss.msg.Rcpt, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.sink
	s.mu.Lock()
	refuse := s.refuse > 0
	if refuse {
		s.refuse--
	}
	onData := s.onData
	s.mu.Unlock()
	if refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Empfang abgelehnt (Test)"}
	}
	if onData != nil {
		onData()
	}
	_, isTLS := ss.conn.TLSConnectionState()
	m := ss.msg
	m.Data, m.TLS = data, isTLS
	s.mu.Lock()
	s.msgs = append(s.msgs, m)
	s.mu.Unlock()
	return nil
}

func (ss *sinkSession) Reset() {
	auth := ss.msg.Auth
	ss.msg = sinkMessage{Auth: auth}
}

func (ss *sinkSession) Logout() error { return nil }

// parsedMail is a received message taken apart as a mail program would.
type parsedMail struct {
	Header    mail.Header
	RawHeader string // the header as sent, to check its encoding
	Subject   string // decoded
	From      *mail.Address
	To        []*mail.Address
	Text      string // the decoded text/plain part
	HTML      string // the decoded text/html part
	Parts     []string
}

// parseMail takes a message apart: header, multipart/alternative, the
// charset and transfer encoding of each part.
func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a mail message: %v", err)
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	raw, _, _ := bytes.Cut(data, []byte("\n\n"))
	p := parsedMail{Header: msg.Header, RawHeader: string(raw)}
	dec := new(mime.WordDecoder)
	if p.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Errorf("subject: %v", err)
	}
	if p.From, err = mail.ParseAddress(msg.Header.Get("From")); err != nil {
		t.Errorf("From: %v", err)
	}
	if p.To, err = msg.Header.AddressList("To"); err != nil {
		t.Errorf("To: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("part: %v", err)
		}
		ct, cp, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if !strings.EqualFold(cp["charset"], "utf-8") {
			t.Errorf("part %s: charset %q, want UTF-8", ct, cp["charset"])
		}
		var body io.Reader = part
		switch cte := strings.ToLower(part.Header.Get("Content-Transfer-Encoding")); cte {
		case "quoted-printable":
			body = quotedprintable.NewReader(part)
		default:
			t.Errorf("part %s: transfer encoding %q, want quoted-printable", ct, cte)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("part %s: %v", ct, err)
		}
		p.Parts = append(p.Parts, ct)
		text := strings.ReplaceAll(string(b), "\r\n", "\n")
		switch ct {
		case "text/plain":
			p.Text = text
		case "text/html":
			p.HTML = text
		}
	}
	for _, line := range strings.Split(p.RawHeader, "\n") {
		for _, r := range line {
			if r > 127 {
				t.Errorf("header line with 8-bit characters (not RFC 2047 encoded): %q", line)
				break
			}
		}
	}
	return p
}

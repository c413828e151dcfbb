// Package email sends the app's email: over SMTP when the operator configures a relay
// (-smtp), else into the server log, so that one machine runs every flow without a mail
// server. Messages are not sent by the request that causes them: the request stores them in
// the outbox in its own transaction (sqlstore), and a Worker here sends them, with retries.
package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Sender delivers one message. An error means it was not delivered (as far as the sender can
// tell), and the outbox tries again later.
type Sender interface {
	Send(ctx context.Context, m assessment.Mail) error
	// Delivers reports whether messages leave the machine: the pages say "sent" only then,
	// and "written to the server log" otherwise.
	Delivers() bool
}

// LogSender is the sender without a relay: it writes each message's recipient, subject and
// links to the log (never its whole body), so that the operator of a single machine can hand
// a link on.
type LogSender struct{ Log *slog.Logger }

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// Send logs m.
func (s LogSender) Send(ctx context.Context, m assessment.Mail) error {
	links := linkRE.FindAllString(m.Text, -1)
	s.Log.InfoContext(ctx, "email not sent (no -smtp): written to the log", "kind", m.Kind, "to", m.To, "subject", m.Subject, "links", strings.Join(links, " "))
	return nil
}

// Delivers is false: the message only reaches the log.
func (LogSender) Delivers() bool { return false }

// SMTP sends through a relay named by an smtp:// or smtps:// URL.
type SMTP struct {
	client *gomail.Client
	from   string
	// host names the relay in errors (never its credentials).
	host string
}

// Config is what NewSMTP needs: the relay's URL and the sender's address.
type Config struct {
	// URL is smtp://user:pass@host:587 (STARTTLS when the relay offers it, required when
	// credentials go to a host that is not loopback) or smtps://user:pass@host:465
	// (implicit TLS).
	URL string
	// From is the sender's address, e.g. "LOYALTY <noreply@example.com>".
	From string
	// TLS, when set, replaces the default TLS configuration (tests trust their own
	// certificate with it).
	TLS *tls.Config
	// Timeout bounds connecting and each SMTP command; 0 means 30 s.
	Timeout time.Duration
}

// Policy is how a relay URL will be used: whether TLS is implicit, required or taken when
// offered, and whether credentials are sent.
type Policy struct {
	Host     string
	Port     int
	Implicit bool // smtps: TLS from the first byte
	// RequireTLS refuses to talk to a relay that does not offer STARTTLS.
	RequireTLS bool
	Auth       bool
}

// ParsePolicy reads an -smtp URL. Credentials are never sent in clear: to a host that is
// not loopback, smtp:// with a user requires STARTTLS; only a relay on this machine may take
// them without TLS.
func ParsePolicy(raw string) (Policy, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Policy{}, fmt.Errorf("-smtp: not a URL: use smtp://user:password@host:587 or smtps://user:password@host:465")
	}
	var p Policy
	switch u.Scheme {
	case "smtp":
		p.Port = 587
	case "smtps":
		p.Port, p.Implicit = 465, true
	default:
		return Policy{}, fmt.Errorf("-smtp %q: the scheme is smtp:// (STARTTLS) or smtps:// (TLS), not %q", redact(u), u.Scheme)
	}
	p.Host = u.Hostname()
	if p.Host == "" {
		return Policy{}, fmt.Errorf("-smtp %q: name the relay's host, e.g. smtp://mail.example.com:587", redact(u))
	}
	if port := u.Port(); port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return Policy{}, fmt.Errorf("-smtp %q: port %q is not a port number", redact(u), port)
		}
		p.Port = n
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return Policy{}, fmt.Errorf("-smtp %q: only a user, a password, a host and a port belong in it", redact(u))
	}
	p.Auth = u.User != nil && u.User.Username() != ""
	p.RequireTLS = !p.Implicit && p.Auth && !isLoopback(p.Host)
	return p, nil
}

// isLoopback reports whether host is this machine: "localhost" or a loopback address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redact returns u without its password, for messages.
func redact(u *url.URL) string { return u.Redacted() }

// NewSMTP returns a sender through the relay of c.URL, from c.From. It does not connect:
// a relay that is down at start-up only delays the outbox.
func NewSMTP(c Config) (*SMTP, error) {
	p, err := ParsePolicy(c.URL)
	if err != nil {
		return nil, err
	}
	if _, err := parseFrom(c.From); err != nil {
		return nil, err
	}
	u, _ := url.Parse(c.URL)
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithPort(p.Port), gomail.WithTimeout(timeout)}
	switch {
	case p.Implicit:
		opts = append(opts, gomail.WithSSL())
	case p.RequireTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	tlsConf := c.TLS
	if tlsConf == nil {
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tlsConf = tlsConf.Clone()
	if tlsConf.ServerName == "" {
		tlsConf.ServerName = p.Host
	}
	opts = append(opts, gomail.WithTLSConfig(tlsConf))
	if p.Auth {
		pw, _ := u.User.Password()
		// PLAIN, which go-mail sends only over TLS or to a loopback relay.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	client, err := gomail.NewClient(p.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("-smtp %q: %w", redact(u), err)
	}
	return &SMTP{client: client, from: c.From, host: net.JoinHostPort(p.Host, strconv.Itoa(p.Port))}, nil
}

// parseFrom checks the sender's address.
func parseFrom(from string) (string, error) {
	if from == "" {
		return "", errors.New("-mail-from (or LOYALTY_MAIL_FROM) is required with -smtp: the address messages come from, e.g. \"LOYALTY <noreply@example.com>\"")
	}
	msg := gomail.NewMsg()
	if err := msg.From(from); err != nil {
		return "", fmt.Errorf("-mail-from %q: not an email address", from)
	}
	return from, nil
}

// Send delivers m in one SMTP transaction, with the plain text and the HTML as alternatives.
func (s *SMTP) Send(ctx context.Context, m assessment.Mail) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("send mail %d: from: %w", m.ID, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("send mail %d: to: %w", m.ID, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if err := s.client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send mail %d via %s: %w", m.ID, s.host, err)
	}
	return nil
}

// Delivers is true: messages go to the relay.
func (*SMTP) Delivers() bool { return true }

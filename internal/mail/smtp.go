package mail

import (
	"context"
	"crypto/rand"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/coproduce/coproduce/internal/config"
	"github.com/coproduce/coproduce/internal/coproduce"
)

// SMTPSender delivers email through an SMTP server.
type SMTPSender struct {
	host string
	opts []gomail.Option
	from *mail.Address
	// idHost is the right-hand side of every Message-ID.
	idHost string
}

// NewSMTPSender reads an SMTP URL:
//
//	smtp://user:password@host:587     STARTTLS required
//	smtp://host:25?tls=none           no encryption (a relay on this machine)
//	smtp://host:25?tls=opportunistic  STARTTLS when offered
//	smtps://user:password@host:465    TLS from the start
//
// fromName and fromAddr are who the messages come from.
func NewSMTPSender(rawURL, fromName, fromAddr string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return nil, &config.SettingError{ID: "config.smtp_url", Variable: "SMTP_URL"}
	}
	opts := []gomail.Option{gomail.WithTimeout(15 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtp":
		switch u.Query().Get("tls") {
		case "", "required":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		case "opportunistic":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		case "none":
			opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
			port = 25
		default:
			return nil, &config.SettingError{ID: "config.smtp_url_tls", Variable: "SMTP_URL"}
		}
	case "smtps":
		opts = append(opts, gomail.WithSSL())
		port = 465
	default:
		return nil, &config.SettingError{ID: "config.smtp_url_scheme", Variable: "SMTP_URL"}
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, &config.SettingError{ID: "config.smtp_url_port", Variable: "SMTP_URL", Value: p}
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	s := &SMTPSender{host: u.Hostname(), opts: opts, from: address(fromName, fromAddr)}
	_, s.idHost, _ = strings.Cut(fromAddr, "@")
	return s, nil
}

// SetMessageIDHost makes every Message-ID end with host, the host of
// BASE_URL (an IPv6 address such as ::1 becomes the literal [::1]).
// Without it, the From address's domain is used: never the machine's own
// name, which may not be a valid domain at all.
func (s *SMTPSender) SetMessageIDHost(host string) {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	s.idHost = host
}

// address builds a header's address with the standard library's type,
// which quotes a name with quotes, @, :, ; or \ in it and encodes one with
// letters outside ASCII (RFC 2047). Names are never pasted into a string:
// Ann "@annie" Jones once made every email to her fail.
func address(name, addr string) *mail.Address {
	return &mail.Address{Name: name, Address: addr}
}

// Send delivers one email, with plain-text and HTML parts.
func (s *SMTPSender) Send(ctx context.Context, e coproduce.Email) error {
	msg := gomail.NewMsg()
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(address(e.ToName, e.To))
	msg.Subject(e.Subject)
	msg.SetMessageIDWithValue(rand.Text() + "@" + s.idHost)
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	client, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, msg)
}

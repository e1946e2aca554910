// Package config reads the application's settings from environment
// variables, with defaults that suit development on one machine.
package config

import (
	"encoding/hex"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Config is every setting, already parsed.
type Config struct {
	DatabaseURL string
	ListenAddr  string
	BaseURL     *url.URL
	OrgName     string
	// SessionSecret signs session cookies. Empty means "use the one kept in
	// the database", which is allowed only when BaseURL is not https.
	SessionSecret []byte
	SMTPURL       string
	// MailFrom is the address email comes from.
	MailFrom   string
	LogLevel   string
	LogFormat  string
	DBMaxConns int32
	// DBAcquireTimeout is how long a request waits for a free database
	// connection before it gets a 503.
	DBAcquireTimeout time.Duration
	// BenchBaselines turns on make bench's baseline pages and the profiler
	// (BENCH_BASELINES=1); never in production.
	BenchBaselines bool
	// SessionIdle and SessionAbsolute end a session after that long unused
	// and that long in all; zero means the server's defaults (30 minutes
	// and 12 hours).
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// TrustedProxies (TRUSTED_PROXIES: comma-separated CIDRs, default none)
	// are the proxies in front of the app whose X-Forwarded-For header is
	// believed when finding a client's real address for the per-address
	// limits. Nobody else's header is.
	TrustedProxies []netip.Prefix
	// DBQueryTimeout (DB_QUERY_TIMEOUT, default 10s) bounds every database
	// query, so a database that stops answering gives the 503 page well
	// within the HTTP write timeout (WriteTimeout) rather than a hang.
	DBQueryTimeout time.Duration
	// NotifyGather (NOTIFY_GATHER, default 5m) is the least time between two
	// notification emails to one person; news in between is gathered into
	// the next one.
	NotifyGather time.Duration
	// IdeasPerMinute and CommentsPerMinute (IDEAS_PER_MINUTE,
	// COMMENTS_PER_MINUTE; defaults 5 and 10) are the most one person may
	// post in a minute; 0 turns the limit off (for load tests only).
	IdeasPerMinute    int
	CommentsPerMinute int
}

// WriteTimeout is the longest the server takes to write a response.
const WriteTimeout = 60 * time.Second

// Defaults used when a variable is not set.
const (
	DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/coproduce?sslmode=disable"
	DefaultListenAddr  = ":8080"
	DefaultBaseURL     = "http://localhost:8080"
	DefaultOrgName     = "Coproduce demonstration trust"
)

// FromEnv reads the configuration through getenv.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:    or(getenv("DATABASE_URL"), DefaultDatabaseURL),
		ListenAddr:     or(getenv("LISTEN_ADDR"), DefaultListenAddr),
		OrgName:        or(getenv("ORG_NAME"), DefaultOrgName),
		SMTPURL:        getenv("SMTP_URL"),
		MailFrom:       or(getenv("MAIL_FROM"), "coproduce@localhost"),
		LogLevel:       or(getenv("LOG_LEVEL"), "info"),
		LogFormat:      or(getenv("LOG_FORMAT"), "json"),
		BenchBaselines: getenv("BENCH_BASELINES") == "1",
	}
	// The organisation's name goes into every email's From header and
	// subject: a line break there would break every message, so it is
	// refused here, at start, rather than at the first email.
	if !coproduce.ValidText(c.OrgName) || !coproduce.IsOneLine(c.OrgName) {
		return c, &SettingError{ID: "config.org_name_one_line", Variable: "ORG_NAME"}
	}
	if !coproduce.ValidEmail(c.MailFrom) {
		return c, &SettingError{ID: "config.mail_from_invalid", Variable: "MAIL_FROM"}
	}
	base, err := url.Parse(or(getenv("BASE_URL"), DefaultBaseURL))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return c, &SettingError{ID: "config.base_url_invalid", Variable: "BASE_URL"}
	}
	c.BaseURL = base
	if s := getenv("SESSION_SECRET"); s != "" {
		c.SessionSecret, err = hex.DecodeString(s)
		if err != nil || len(c.SessionSecret) < 32 {
			return c, &SettingError{ID: "config.session_secret_short", Variable: "SESSION_SECRET"}
		}
	} else if base.Scheme == "https" {
		return c, &SettingError{ID: "config.session_secret_required", Variable: "SESSION_SECRET"}
	}
	if s := getenv("DB_MAX_CONNS"); s != "" {
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil || n < 1 {
			return c, &SettingError{ID: "config.db_max_conns", Variable: "DB_MAX_CONNS"}
		}
		c.DBMaxConns = int32(n)
	}
	if s := getenv("DB_ACQUIRE_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return c, &SettingError{ID: "config.db_acquire_timeout", Variable: "DB_ACQUIRE_TIMEOUT"}
		}
		c.DBAcquireTimeout = d
	}
	if s := getenv("TRUSTED_PROXIES"); s != "" {
		for _, part := range strings.Split(s, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			p, err := netip.ParsePrefix(part)
			if err != nil {
				a, aerr := netip.ParseAddr(part)
				if aerr != nil {
					return c, &SettingError{ID: "config.trusted_proxies", Variable: "TRUSTED_PROXIES", Value: part}
				}
				p = netip.PrefixFrom(a, a.BitLen())
			}
			c.TrustedProxies = append(c.TrustedProxies, p.Masked())
		}
	}
	c.DBQueryTimeout = 10 * time.Second
	if s := getenv("DB_QUERY_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 || d >= WriteTimeout {
			return c, &SettingError{ID: "config.db_query_timeout", Variable: "DB_QUERY_TIMEOUT", Value: WriteTimeout.String()}
		}
		c.DBQueryTimeout = d
	}
	c.NotifyGather = 5 * time.Minute
	if s := getenv("NOTIFY_GATHER"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < time.Second {
			return c, &SettingError{ID: "config.notify_gather", Variable: "NOTIFY_GATHER"}
		}
		c.NotifyGather = d
	}
	c.IdeasPerMinute, c.CommentsPerMinute = 5, 10
	for name, dst := range map[string]*int{"IDEAS_PER_MINUTE": &c.IdeasPerMinute, "COMMENTS_PER_MINUTE": &c.CommentsPerMinute} {
		if s := getenv(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return c, &SettingError{ID: "config.per_minute", Variable: name}
			}
			*dst = n
		}
	}
	if err := c.readSessionTimes(getenv); err != nil {
		return c, err
	}
	return c, nil
}

// sessionWarning is how long before a session ends people are warned; the
// idle timeout must be longer, or the warning would come at once.
const sessionWarning = 2 * time.Minute

func (c *Config) readSessionTimes(getenv func(string) string) error {
	if s := getenv("SESSION_IDLE"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= sessionWarning {
			return &SettingError{ID: "config.session_idle", Variable: "SESSION_IDLE"}
		}
		c.SessionIdle = d
	}
	idle := c.SessionIdle
	if idle == 0 {
		idle = 30 * time.Minute // the server's default
	}
	if s := getenv("SESSION_ABSOLUTE"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < idle {
			return &SettingError{ID: "config.session_absolute", Variable: "SESSION_ABSOLUTE"}
		}
		c.SessionAbsolute = d
	}
	return nil
}

// SettingError is a setting refused at start. ID names its message in the
// catalogue, which the command line prints with the variable's name and,
// where the message needs it, Value.
type SettingError struct {
	ID       string
	Variable string
	Value    string
}

func (e *SettingError) Error() string { return e.Variable + ": " + e.ID }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Package config reads the application's settings from environment
// variables, with defaults that suit development on one machine.
package config

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
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
	// BenchBaselines turns on make bench's baseline pages and the profiler
	// (BENCH_BASELINES=1); never in production.
	BenchBaselines bool
}

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
	base, err := url.Parse(or(getenv("BASE_URL"), DefaultBaseURL))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return c, fmt.Errorf("BASE_URL must be an http or https address, like %s", DefaultBaseURL)
	}
	c.BaseURL = base
	if s := getenv("SESSION_SECRET"); s != "" {
		c.SessionSecret, err = hex.DecodeString(s)
		if err != nil || len(c.SessionSecret) < 32 {
			return c, errors.New("SESSION_SECRET must be at least 64 hexadecimal characters (32 bytes)")
		}
	} else if base.Scheme == "https" {
		return c, errors.New("SESSION_SECRET is required when BASE_URL is https")
	}
	if s := getenv("DB_MAX_CONNS"); s != "" {
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil || n < 1 {
			return c, errors.New("DB_MAX_CONNS must be a positive whole number")
		}
		c.DBMaxConns = int32(n)
	}
	return c, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

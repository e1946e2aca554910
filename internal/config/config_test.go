package config

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLimitsSettings(t *testing.T) {
	c, err := FromEnv(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 0 || c.DBQueryTimeout != 10*time.Second || c.NotifyGather != 5*time.Minute ||
		c.IdeasPerMinute != 5 || c.CommentsPerMinute != 10 {
		t.Errorf("defaults: %+v", c)
	}
	c, err = FromEnv(envOf(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7,2001:db8::/32", "DB_QUERY_TIMEOUT": "2s",
		"NOTIFY_GATHER": "30s", "COMMENTS_PER_MINUTE": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("2001:db8::/32")}
	if len(c.TrustedProxies) != len(want) {
		t.Fatalf("TRUSTED_PROXIES read as %v", c.TrustedProxies)
	}
	for i := range want {
		if c.TrustedProxies[i] != want[i] {
			t.Errorf("TRUSTED_PROXIES read as %v, want %v", c.TrustedProxies, want)
		}
	}
	if c.DBQueryTimeout != 2*time.Second || c.NotifyGather != 30*time.Second || c.CommentsPerMinute != 0 {
		t.Errorf("settings: %+v", c)
	}
	for name, value := range map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,proxy.example", "DB_QUERY_TIMEOUT": "60s",
		"NOTIFY_GATHER": "1ms", "IDEAS_PER_MINUTE": "-1"} {
		if _, err := FromEnv(envOf(map[string]string{name: value})); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: error %v, want one naming the setting", name, value, err)
		}
	}
}

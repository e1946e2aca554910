package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// sessionUserIDKey is the session value that marks a signed-in person.
const sessionUserIDKey = "user_id"

// userValueKey holds the loaded account in a session's values for the
// length of one request; it is never stored.
type userValueKey struct{}

// touchEvery is how stale last_seen_at may get before a request refreshes
// it: often enough for a 30-minute idle timeout, rarely enough not to write
// on every page view.
const touchEvery = time.Minute

// SessionStore keeps sessions in PostgreSQL behind gorilla's Store
// interface. The cookie holds only a signed random id; the database holds a
// hash of it, so sessions can be ended from the server at any time.
type SessionStore struct {
	store    *postgres.Store
	codec    securecookie.Codec
	options  sessions.Options
	idle     time.Duration
	absolute time.Duration
}

// NewSessionStore returns a store signing ids with hashKey.
func NewSessionStore(store *postgres.Store, hashKey []byte, secure bool, idle, absolute time.Duration) *SessionStore {
	codec := securecookie.New(hashKey, nil)
	codec.MaxAge(int(absolute.Seconds()))
	// The cookie carries only the session id, a string: JSON reads it far
	// more cheaply on every request than gob, securecookie's default.
	codec.SetSerializer(securecookie.JSONEncoder{})
	return &SessionStore{
		store: store,
		codec: codec,
		options: sessions.Options{
			Path:     "/",
			MaxAge:   int(absolute.Seconds()),
			Secure:   secure,
			HttpOnly: true,
			SameSite: http.SameSiteLaxMode,
		},
		idle:     idle,
		absolute: absolute,
	}
}

// Get returns the request's session, loading it once per request.
func (s *SessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or returns a new
// empty one when there is no live session.
func (s *SessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	opts := s.options
	sess.Options = &opts
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil {
		return sess, nil
	}
	var id string
	if err := s.codec.Decode(name, c.Value, &id); err != nil {
		return sess, nil // tampered, expired or from an old key: start again
	}
	live, err := s.store.LiveSession(r.Context(), postgres.HashToken(id), s.idle, s.absolute)
	if errors.Is(err, coproduce.ErrNotFound) {
		return sess, nil
	}
	if err != nil {
		return sess, err
	}
	seen := live.LastSeenAt
	if time.Since(seen) > touchEvery && !leavesIdleClock(r) {
		if seen, err = s.store.TouchSession(r.Context(), live.IDHash); err != nil {
			return sess, err
		}
	}
	sess.ID = id
	sess.IsNew = false
	for k, v := range live.Data {
		sess.Values[k] = v
	}
	sess.Values[sessionUserIDKey] = live.User.ID
	sess.Values[userValueKey{}] = live.User
	sess.Values[sessionTimesKey{}] = sessionTimes{Started: live.CreatedAt, LastSeen: seen}
	return sess, nil
}

// Save writes the session. A session is only stored once someone signs in;
// MaxAge < 0 ends it.
func (s *SessionStore) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.store.DeleteSession(ctx, postgres.HashToken(sess.ID)); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	userID, ok := sess.Values[sessionUserIDKey].(int64)
	if !ok {
		return nil
	}
	data := storedValues(sess)
	if sess.ID == "" {
		id, err := newToken()
		if err != nil {
			return err
		}
		if err := s.store.CreateSession(ctx, postgres.HashToken(id), userID, data); err != nil {
			return err
		}
		sess.ID = id
	} else if err := s.store.UpdateSessionData(ctx, postgres.HashToken(sess.ID), data); err != nil {
		return err
	}
	encoded, err := s.codec.Encode(sess.Name(), sess.ID)
	if err != nil {
		return fmt.Errorf("sign session id: %w", err)
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), encoded, sess.Options))
	return nil
}

// storedValues picks the values worth keeping: string keys other than the
// user id, which has its own column.
func storedValues(sess *sessions.Session) map[string]any {
	data := map[string]any{}
	for k, v := range sess.Values {
		if key, ok := k.(string); ok && key != sessionUserIDKey {
			data[key] = v
		}
	}
	return data
}

// newToken returns 256 random bits, URL-safe.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

type userCtxKey struct{}

// userFrom returns the signed-in account, or nil.
func userFrom(ctx context.Context) *coproduce.User {
	u, _ := ctx.Value(userCtxKey{}).(*coproduce.User)
	return u
}

func withUser(ctx context.Context, u *coproduce.User) context.Context {
	return context.WithValue(ctx, userCtxKey{}, u)
}

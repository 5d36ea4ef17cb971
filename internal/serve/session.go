package serve

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// Browser sessions live in the server's memory: a restart signs everyone
// out, which costs a participant one paste of the token and keeps no
// session secret on disk.
const (
	sessionCookie = "mreval_session"
	// preCookie carries the random value the sign-in form's CSRF token is
	// derived from, before there is a session.
	preCookie       = "mreval_csrf"
	sessionLifetime = 12 * time.Hour
	maxSessions     = 10_000
)

type session struct {
	id      identity
	csrf    string
	expires time.Time
}

type sessionStore struct {
	mu sync.Mutex
	m  map[string]*session
}

func newSessionStore() *sessionStore { return &sessionStore{m: map[string]*session{}} }

func randomString() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// create starts a session for id; ok is false when the store is full of
// live sessions.
func (ss *sessionStore) create(id identity, now time.Time) (key string, sess *session, ok bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.m) >= maxSessions {
		for k, s := range ss.m {
			if now.After(s.expires) {
				delete(ss.m, k)
			}
		}
		if len(ss.m) >= maxSessions {
			return "", nil, false
		}
	}
	key = randomString()
	sess = &session{id: id, csrf: randomString(), expires: now.Add(sessionLifetime)}
	ss.m[key] = sess
	return key, sess, true
}

func (ss *sessionStore) get(key string, now time.Time) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.m[key]
	if s == nil {
		return nil
	}
	if now.After(s.expires) {
		delete(ss.m, key)
		return nil
	}
	return s
}

func (ss *sessionStore) remove(key string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, key)
}

// session returns the request's session, or nil.
func (s *Server) session(r *http.Request) (string, *session) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) > 100 {
		return "", nil
	}
	return c.Value, s.sessions.get(c.Value, s.now())
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.opt.Secure, SameSite: http.SameSiteStrictMode,
	})
}

// csrfToken is the token the page's forms carry: the session's, or before
// sign-in an HMAC of the pre-session cookie (set here when missing), so
// that a form posted from another site, which can neither read nor set
// the cookie, is refused.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request, sess *session) string {
	if sess != nil {
		return sess.csrf
	}
	c, err := r.Cookie(preCookie)
	v := ""
	if err == nil && len(c.Value) == 43 {
		v = c.Value
	} else {
		v = randomString()
		s.setCookie(w, preCookie, v, 0)
	}
	return s.preToken(v)
}

func (s *Server) preToken(cookie string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(cookie))
	return hex.EncodeToString(m.Sum(nil))
}

// checkCSRF checks a posted form's token against the session's (or, with
// no session, the pre-session cookie's).
func (s *Server) checkCSRF(r *http.Request, sess *session, posted string) bool {
	want := ""
	if sess != nil {
		want = sess.csrf
	} else if c, err := r.Cookie(preCookie); err == nil && len(c.Value) == 43 {
		want = s.preToken(c.Value)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(posted)) == 1
}

// Package serve is the task's submission site (mreval serve): teams upload
// runs in a browser or with curl and get the validator's report at once,
// runs go into the submission store (eval/intake) exactly as `mreval
// intake` stores them, and each phase of the task has a leaderboard built
// by the leaderboard command. It holds the handlers, templates, phases,
// teams, sessions and limits; cmd/mreval/serve.go wires it to the
// validator and the leaderboard. It is imported by cmd/mreval only.
//
// The store directory holds, besides one intake store per phase under
// runs/<phase>/, the organizer's phases.json, the hashed tokens
// (teams.json, admin.json), the released phases (state.json), the topic
// lists the boards are scored on (topics/) and uploads being received
// (uploads/, emptied at start).
package serve

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// BoardFunc renders the leaderboard of a phase's runs in a format of
// `mreval leaderboard --format` (the caller runs that command's code, so
// the board is the command's, byte for byte).
type BoardFunc func(ctx context.Context, in BoardInput, format string) ([]byte, error)

// BoardInput is what a board is made of.
type BoardInput struct {
	Phase *Phase
	// Store is the phase's intake store; Topics the topic list file.
	Store, Topics string
}

// Options configure a Server.
type Options struct {
	// Dir is the store directory.
	Dir    string
	Phases *Phases
	// Validators hold the rules of each phase, by name.
	Validators map[string]*validate.Validator
	// Board renders boards; nil shows only who submitted how many runs
	// (a server without qrels cannot score).
	Board BoardFunc
	// Formats are the formats the organizer can export (the leaderboard
	// command's); "json" and "html" must be among them.
	Formats []string
	// Secure marks cookies Secure and sends HSTS: set it when the site is
	// reached over TLS (directly or through a proxy).
	Secure bool
	// RealIPHeader, when set (e.g. X-Real-IP behind nginx), is the header
	// the client address is taken from; otherwise the connection's.
	RealIPHeader string
	// AddressRate and AddressBurst bound the requests of one client
	// address (token bucket; rate 0 = no limit); TeamRate and TeamBurst
	// the submissions of one team.
	AddressRate  rate.Limit
	AddressBurst int
	TeamRate     rate.Limit
	TeamBurst    int
	// Log receives one JSON line per request; nil discards.
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Default request limits: a person clicking, a script submitting a few
// runs; a team's submissions are further capped per day by its phase.
const (
	DefaultAddressRate  = 10 // requests per second
	DefaultAddressBurst = 60
	DefaultTeamRate     = 1.0 / 10 // submissions per second
	DefaultTeamBurst    = 10
)

// Server is the submission site. Create it with New; Close releases the
// store.
type Server struct {
	opt      Options
	dir      string
	log      *slog.Logger
	now      func() time.Time
	mux      *http.ServeMux
	lock     *lock
	sessions *sessionStore
	csrfKey  []byte

	addrLimits *limiterSet
	teamLimits *limiterSet

	teamMu    sync.Mutex
	teamLocks map[string]*sync.Mutex // "phase\x00team" → held while a submission is checked and stored

	boards *boardCache

	credMu    sync.Mutex
	credStamp string
	teams     []Team
	adminHash string

	stateMu sync.Mutex
}

// New opens the store for serving: it takes the server lock (one server
// per store), makes the directories it needs and empties uploads/ of what
// a killed server left.
func New(opt Options) (*Server, error) {
	if opt.Phases == nil || len(opt.Phases.Phases) == 0 {
		return nil, errors.New("serve: no phases")
	}
	for _, p := range opt.Phases.Phases {
		if opt.Validators[p.Name] == nil {
			return nil, fmt.Errorf("serve: no validator for phase %s", safetext.Name(p.Name))
		}
	}
	abs, err := filepath.Abs(opt.Dir)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", safetext.Name(opt.Dir), err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("store %s: not a directory", safetext.Name(opt.Dir))
	}
	l, held, err := lockStoreFile(abs, serverLockFile, false)
	if err != nil {
		return nil, err
	}
	if !held {
		return nil, fmt.Errorf("store %s is being served by another mreval serve (it holds %s)", safetext.Name(opt.Dir), serverLockFile)
	}
	s := &Server{
		opt: opt, dir: abs, lock: l,
		log: opt.Log, now: opt.Now,
		sessions:  newSessionStore(),
		teamLocks: map[string]*sync.Mutex{},
		boards:    newBoardCache(),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.csrfKey = make([]byte, 32)
	if _, err := rand.Read(s.csrfKey); err != nil {
		l.release()
		return nil, err
	}
	s.addrLimits = newLimiterSet(opt.AddressRate, opt.AddressBurst)
	s.teamLimits = newLimiterSet(opt.TeamRate, opt.TeamBurst)
	if err := s.prepareDirs(); err != nil {
		l.release()
		return nil, err
	}
	if err := s.writeTopics(); err != nil {
		l.release()
		return nil, err
	}
	s.routes()
	return s, nil
}

// Close releases the store for another server.
func (s *Server) Close() error { return s.lock.release() }

// prepareDirs makes runs/<phase> for every phase (an intake store each)
// and an empty uploads/.
func (s *Server) prepareDirs() error {
	for _, p := range s.opt.Phases.Phases {
		if _, err := intake.Open(s.phaseStore(&p)); err != nil {
			return err
		}
	}
	up := filepath.Join(s.dir, uploadsDir)
	if st, err := os.Lstat(up); err == nil && !st.IsDir() {
		return fmt.Errorf("%s is not a directory", safetext.Name(up))
	}
	if err := os.MkdirAll(up, 0o700); err != nil {
		return err
	}
	// Only this server (which holds the server lock) writes there, so
	// whatever is there was left by one that was killed.
	entries, err := os.ReadDir(up)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), uploadPrefix) && e.Type().IsRegular() {
			if err := os.Remove(filepath.Join(up, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// writeTopics writes each phase's topic list (its validator's) to
// topics/<phase>.topics, the list its board is scored on.
func (s *Server) writeTopics() error {
	if err := os.MkdirAll(filepath.Join(s.dir, topicsDir), 0o755); err != nil {
		return err
	}
	for i := range s.opt.Phases.Phases {
		p := &s.opt.Phases.Phases[i]
		data := []byte(strings.Join(s.opt.Validators[p.Name].Rules().Topics, "\n") + "\n")
		if err := replaceFile(filepath.Join(s.dir, topicsDir), p.Name+".topics", 0o644, data); err != nil {
			return err
		}
	}
	return nil
}

// topicsPath is the file writeTopics wrote for the phase.
func (s *Server) topicsPath(p *Phase) string {
	return filepath.Join(s.dir, topicsDir, p.Name+".topics")
}

// phaseStore is the intake store of a phase: runs/<name>, a name checked
// by ParsePhases.
func (s *Server) phaseStore(p *Phase) string {
	return filepath.Join(s.dir, runsDir, p.Name)
}

// credentials returns the teams and the organizer's token hash, re-read
// when teams.json or admin.json changed (team add/revoke run beside the
// server).
func (s *Server) credentials() ([]Team, string, error) {
	stamp := ""
	for _, name := range []string{teamsFile, adminFile} {
		if st, err := os.Lstat(filepath.Join(s.dir, name)); err == nil {
			stamp += fmt.Sprintf("%s:%d:%d;", name, st.Size(), st.ModTime().UnixNano())
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", err
		}
	}
	s.credMu.Lock()
	defer s.credMu.Unlock()
	if stamp == s.credStamp && stamp != "" {
		return s.teams, s.adminHash, nil
	}
	teams, err := readTeams(s.dir)
	if err != nil {
		return nil, "", err
	}
	adminHash, err := readAdminHash(s.dir)
	if err != nil {
		return nil, "", err
	}
	s.credStamp, s.teams, s.adminHash = stamp, teams, adminHash
	return teams, adminHash, nil
}

// serveState is state.json: what the organizer changed through the site.
type serveState struct {
	// Released maps a phase to the time its scores were released.
	Released map[string]time.Time `json:"released"`
}

func (s *Server) readState() (*serveState, error) {
	data, err := readSmall(s.dir, stateFile)
	st := &serveState{Released: map[string]time.Time{}}
	if err != nil || data == nil {
		return st, err
	}
	if err := json.Unmarshal(data, st); err != nil {
		return nil, fmt.Errorf("%s: %v", safetext.Name(filepath.Join(s.dir, stateFile)), err)
	}
	if st.Released == nil {
		st.Released = map[string]time.Time{}
	}
	return st, nil
}

// scoresShown reports whether the phase's scores are visible to everyone
// who may see its board.
func (s *Server) scoresShown(p *Phase) (bool, error) {
	if p.Scores == ScoresPublic {
		return true, nil
	}
	st, err := s.readState()
	if err != nil {
		return false, err
	}
	_, ok := st.Released[p.Name]
	return ok, nil
}

// release makes a hidden phase's scores public.
func (s *Server) release(p *Phase) (time.Time, error) {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	st, err := s.readState()
	if err != nil {
		return time.Time{}, err
	}
	if t, ok := st.Released[p.Name]; ok {
		return t, nil
	}
	t := s.now().UTC()
	st.Released[p.Name] = t
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return time.Time{}, err
	}
	if err := replaceFile(s.dir, stateFile, 0o644, append(data, '\n')); err != nil {
		return time.Time{}, err
	}
	s.boards.invalidate(p.Name)
	return t, nil
}

// teamLock serialises the submissions of one team to one phase, so that
// counting its submissions and storing one is a single step: two uploads
// at once cannot both pass the last free place of a limit.
func (s *Server) teamLock(phase, team string) *sync.Mutex {
	s.teamMu.Lock()
	defer s.teamMu.Unlock()
	k := phase + "\x00" + team
	m := s.teamLocks[k]
	if m == nil {
		m = &sync.Mutex{}
		s.teamLocks[k] = m
	}
	return m
}

// clientAddress is the address requests are limited and logged by.
func (s *Server) clientAddress(r *http.Request) string {
	if h := s.opt.RealIPHeader; h != "" {
		if v := strings.TrimSpace(r.Header.Get(h)); v != "" && net.ParseIP(v) != nil {
			return v
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limits of the readers of an upload: the validator's of its phase.
func (s *Server) limits(p *Phase) trecfmt.Limits {
	return s.opt.Validators[p.Name].Rules().Limits
}

// NewHTTPServer wraps a handler with the timeouts a server on the internet
// needs: a slow client cannot hold a connection open for ever.
func NewHTTPServer(h http.Handler, t Timeouts) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
	}
}

// Timeouts of the HTTP server.
type Timeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// DefaultTimeouts allow a 1 GiB upload at about 2 MB/s (Read) and its
// validation (Write counts from the end of the request headers).
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       10 * time.Minute,
	Write:      15 * time.Minute,
	Idle:       2 * time.Minute,
}

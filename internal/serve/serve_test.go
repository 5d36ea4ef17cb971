package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

// The clock of the tests: 2026-11-23 12:00 UTC.
var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// The phases of the tests, around t0: dry (open, scores public, board
// public, 3 a day, 4 in all), formal (open, hidden, board for
// participants), past (closed at 2026-11-01) and future (opens 2026-12-01).
const testPhases = `{"phases": [
 {"name": "dry", "split": "", "topics_file": "topics.txt", "opens": "2026-11-01T00:00:00Z", "closes": "2026-12-01T00:00:00Z",
  "per_day": 3, "total": 4, "scores": "public", "leaderboard_public": true},
 {"name": "formal", "topics_file": "topics.txt", "opens": "2026-11-20T00:00:00Z", "closes": "2026-11-30T00:00:00Z",
  "max_runs": 2, "scores": "hidden", "leaderboard_public": false},
 {"name": "past", "topics_file": "topics.txt", "opens": "2026-10-01T00:00:00Z", "closes": "2026-11-01T00:00:00Z", "scores": "public"},
 {"name": "future", "topics_file": "topics.txt", "opens": "2026-12-01T00:00:00Z", "closes": "2026-12-31T00:00:00Z", "scores": "public"}
]}`

// runText is a valid run of the test collection (the validator tests':
// pool org/alpha org/beta org/gamma delta epsilon, topics cola rte sst2).
func runText(tag string, shift int) string {
	var b strings.Builder
	for _, topic := range []string{"cola", "rte", "sst2"} {
		for i, doc := range []string{"org/alpha", "org/beta", "org/gamma", "delta", "epsilon"} {
			fmt.Fprintf(&b, "%s Q0 %s %d %d %s\n", topic, doc, i+1, 100-10*i+shift, tag)
		}
	}
	return b.String()
}

// brokenRun has a bad rank on line 2 and misses topic sst2.
const brokenRun = "cola Q0 org/alpha 1 9 bad\ncola Q0 org/beta x 8 bad\n"

type fixture struct {
	t       testing.TB
	dir     string
	srv     *Server
	h       http.Handler
	now     time.Time
	mu      sync.Mutex
	builds  map[string]int
	logs    *bytes.Buffer
	tokens  map[string]string
	admin   string
	maxSize int64
}

// newFixture serves a store with the test phases and teams t1, t2.
func newFixture(t *testing.T, tweak func(*Options)) *fixture {
	t.Helper()
	fsutil.NoSyncInTest(t)
	return newFixtureTB(t, tweak)
}

func newFixtureTB(t testing.TB, tweak func(*Options)) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir(), now: t0, builds: map[string]int{}, logs: &bytes.Buffer{}, tokens: map[string]string{}}
	require.NoError(t, os.WriteFile(filepath.Join(f.dir, PhasesFile), []byte(testPhases), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(f.dir, "topics.txt"), []byte("cola\nrte\nsst2\n"), 0o644))
	phases, err := LoadPhases(f.dir, false)
	require.NoError(t, err)
	lim := validate.DefaultLimits
	lim.MaxBytes = 4096
	f.maxSize = lim.MaxBytes
	validators := map[string]*validate.Validator{}
	for _, p := range phases.Phases {
		v, err := validate.NewValidator(validate.Rules{Task: validate.Task(p.Task), Limits: lim,
			Pool: []string{"org/alpha", "org/beta", "org/gamma", "delta", "epsilon"}, Topics: []string{"cola", "rte", "sst2"}})
		require.NoError(t, err)
		validators[p.Name] = v
	}
	for _, team := range []string{"t1", "t2"} {
		f.tokens[team], err = AddTeam(f.dir, team, t0, false)
		require.NoError(t, err)
	}
	f.admin, err = NewAdminToken(f.dir, t0)
	require.NoError(t, err)
	opt := Options{
		Dir: f.dir, Phases: phases, Validators: validators, Formats: []string{"json", "html", "csv"},
		Board: f.board, Log: slog.New(slog.NewJSONHandler(f.logs, nil)),
		Now: func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now },
	}
	if tweak != nil {
		tweak(&opt)
	}
	f.srv, err = New(opt)
	require.NoError(t, err)
	t.Cleanup(func() { f.srv.Close() })
	f.h = f.srv.Handler()
	return f
}

func (f *fixture) setNow(t time.Time) { f.mu.Lock(); f.now = t; f.mu.Unlock() }

// board stands in for the leaderboard command (tested with the real one in
// cmd/mreval): it lists the current runs, with a mean of 0.5 each, and
// counts its builds.
func (f *fixture) board(_ context.Context, in BoardInput, format string) ([]byte, error) {
	runs, err := intake.ListRuns(in.Store)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.builds[in.Phase.Name+"/"+format]++
	f.mu.Unlock()
	var names []string
	for _, r := range runs {
		names = append(names, fmt.Sprintf(`{"run": %q, "mean": 0.5}`, r.Team+"/"+r.Tag))
	}
	if format == "html" {
		return []byte("<!DOCTYPE html><title>board</title><p>" + strings.Join(names, " ") + "</p><script>var sorted = true;</script>"), nil
	}
	topics, err := os.ReadFile(in.Topics)
	if err != nil {
		return nil, err
	}
	return []byte(fmt.Sprintf(`{"format": %q, "topics": %q, "measures": [{"name": "ndcg@10", "runs": [%s]}]}`, format, topics, strings.Join(names, ", "))), nil
}

func (f *fixture) do(req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = "192.0.2.1:1234"
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

// multipartBody builds an upload; fields are written in order, the file
// under "run" when content is not nil.
func multipartBody(t testing.TB, name, content string, fields ...string) (io.Reader, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		require.NoError(t, w.WriteField(fields[i], fields[i+1]))
	}
	if name != "" {
		fw, err := w.CreateFormFile("run", name)
		require.NoError(t, err)
		fw.Write([]byte(content))
	}
	require.NoError(t, w.Close())
	return &buf, w.FormDataContentType()
}

func (f *fixture) upload(token, name, content string, fields ...string) (int, Outcome) {
	body, ctype := multipartBody(f.t, name, content, fields...)
	req := httptest.NewRequest("POST", "/api/submissions", body)
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := f.do(req)
	var o Outcome
	require.NoError(f.t, json.Unmarshal(rec.Body.Bytes(), &o), rec.Body.String())
	return rec.Code, o
}

func (f *fixture) get(path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return f.do(req)
}

func TestAPISubmitAccepted(t *testing.T) {
	f := newFixture(t, nil)
	content := "\ufeff" + runText("r1", 0) // a BOM: a warning, and a normal form that differs
	code, o := f.upload(f.tokens["t1"], "my run.txt", content, "phase", "dry")
	require.Equal(t, http.StatusCreated, code, o.Message)
	sum := sha256.Sum256([]byte(content))
	assert.True(t, o.Accepted)
	assert.Equal(t, 1, o.Version)
	assert.Equal(t, hex.EncodeToString(sum[:]), o.SHA256)
	assert.Equal(t, "r1", o.Tag)
	assert.Equal(t, `run "r1" of team "t1" stored in phase "dry" as version 1`, o.Message)

	// The report is the validator's JSON for the same bytes under the
	// same name, byte for byte.
	tmp := filepath.Join(t.TempDir(), "my run.txt")
	require.NoError(t, os.WriteFile(tmp, []byte(content), 0o644))
	rep := f.srv.opt.Validators["dry"].ValidateFile(tmp)
	rep.File = "my run.txt"
	for i := range rep.Problems {
		rep.Problems[i].File = "my run.txt"
	}
	var want bytes.Buffer
	require.NoError(t, validate.WriteJSON(&want, []*validate.Report{rep}))
	var gotReport, wantReport any
	require.NoError(t, json.Unmarshal(o.Report, &gotReport))
	require.NoError(t, json.Unmarshal(want.Bytes(), &wantReport))
	assert.Equal(t, wantReport, gotReport)
	assert.Equal(t, 1, rep.Warnings) // the BOM

	runs, err := intake.ListRuns(filepath.Join(f.dir, "runs", "dry"))
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, []string{"t1", "r1", o.NormalisedSHA256}, []string{runs[0].Team, runs[0].Tag, runs[0].SHA256})
	// Nothing is left in uploads/.
	left, err := os.ReadDir(filepath.Join(f.dir, uploadsDir))
	require.NoError(t, err)
	assert.Empty(t, left)
}

func TestAPISubmitRefusals(t *testing.T) {
	f := newFixture(t, nil)
	code, o := f.upload(f.tokens["t1"], "a.run", runText("taken", 0), "phase", "dry")
	require.Equal(t, http.StatusCreated, code, o.Message)

	tests := []struct {
		name     string
		token    string
		file     string
		content  string
		fields   []string
		now      time.Time
		status   int
		message  string // a regexp the message must match
		reported bool   // a validation report comes back
	}{
		{name: "no token", status: 401, message: "Bearer TOKEN", file: "a.run", content: runText("x", 0)},
		{name: "bad token", token: "mrt_" + strings.Repeat("A", 43), status: 401, message: "Bearer TOKEN", file: "a.run", content: runText("x", 0)},
		{name: "organizer token", token: "admin", status: 401, message: "team's token", file: "a.run", content: runText("x", 0)},
		{name: "closed phase", token: "t1", fields: []string{"phase", "past"}, file: "a.run", content: runText("x", 0), status: 403,
			message: `^phase "past" closed at 2026-11-01T00:00:00Z; late submissions are not accepted$`},
		{name: "phase not open yet", token: "t1", fields: []string{"phase", "future"}, file: "a.run", content: runText("x", 0), status: 403,
			message: `^phase "future" is not open yet: it opens at 2026-12-01T00:00:00Z$`},
		{name: "no phase open", token: "t1", now: time.Date(2026, 12, 31, 1, 0, 0, 0, time.UTC), file: "a.run", content: runText("x", 0), status: 403,
			message: `^no phase is open; phase "future" closed at 2026-12-31T00:00:00Z$`},
		{name: "several open", token: "t1", file: "a.run", content: runText("x", 0), status: 400, message: `several phases are open \(dry, formal\)`},
		{name: "unknown phase", token: "t1", fields: []string{"phase", "../x"}, file: "a.run", content: runText("x", 0), status: 404, message: `^no phase ../x \(phases: dry, formal, past, future\)$`},
		{name: "invalid run", token: "t1", fields: []string{"phase", "dry"}, file: "bad.run", content: brokenRun, status: 422,
			message: `^the run is invalid \(INVALID: `, reported: true},
		{name: "oversize", token: "t1", fields: []string{"phase", "dry"}, file: "big.run", content: strings.Repeat(runText("big", 0), 20), status: 413,
			message: `^big.run is larger than the limit of 4,096 bytes$`},
		{name: "tag taken", token: "t1", fields: []string{"phase", "dry"}, file: "a.run", content: runText("taken", 1), status: 409,
			message: `^team "t1" already has run "taken" for Subtask A \(version 1, .*replace=1`, reported: true},
		{name: "unknown field", token: "t1", fields: []string{"phaze", "dry"}, file: "a.run", content: runText("x", 0), status: 400, message: `unknown field phaze`},
		{name: "bad replace", token: "t1", fields: []string{"replace", "yes"}, file: "a.run", content: runText("x", 0), status: 400, message: `"replace" must be 1 or 0`},
		{name: "no file", token: "t1", fields: []string{"phase", "dry"}, status: 400, message: `no file in the field "run"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := t0
			if !tc.now.IsZero() {
				now = tc.now
			}
			f.setNow(now)
			defer f.setNow(t0)
			token := f.tokens[tc.token]
			switch tc.token {
			case "admin":
				token = f.admin
			case "t1", "":
			default:
				token = tc.token
			}
			code, o := f.upload(token, tc.file, tc.content, tc.fields...)
			assert.Equal(t, tc.status, code, o.Message)
			assert.False(t, o.Accepted)
			assert.Regexp(t, regexp.MustCompile(tc.message), o.Message)
			assert.Equal(t, tc.reported, string(o.Report) != "null", string(o.Report))
		})
	}
	// The invalid run's report has the errors with their lines.
	_, o = f.upload(f.tokens["t1"], "bad.run", brokenRun, "phase", "dry")
	var rep struct {
		Files []struct {
			Problems []validate.Problem `json:"problems"`
		} `json:"files"`
	}
	require.NoError(t, json.Unmarshal(o.Report, &rep))
	require.NotEmpty(t, rep.Files[0].Problems)
	p := rep.Files[0].Problems[0]
	assert.Equal(t, []any{"bad.run", 2, "error"}, []any{p.File, p.Line, string(p.Severity)})
	// Nothing refused reached the store.
	h, err := intake.History(filepath.Join(f.dir, "runs", "dry"))
	require.NoError(t, err)
	assert.Len(t, h, 1)
}

func TestReplaceAndLimits(t *testing.T) {
	f := newFixture(t, nil)
	t1 := f.tokens["t1"]
	// dry: 3 a day, 4 in all; every accepted version counts.
	for i, want := range []struct{ code, version int }{{201, 1}, {201, 2}, {201, 3}} {
		code, o := f.upload(t1, "r.run", runText("r", i), "phase", "dry", "replace", "1")
		require.Equal(t, want.code, code, o.Message)
		assert.Equal(t, want.version, o.Version)
	}
	code, o := f.upload(t1, "r.run", runText("r", 9), "phase", "dry", "replace", "1")
	assert.Equal(t, 429, code)
	assert.Equal(t, `team "t1" has made 3 submissions to phase "dry" today, the limit per day; the next is accepted from 2026-11-24T00:00:00Z`, o.Message)
	// Another team has its own count.
	code, _ = f.upload(f.tokens["t2"], "r.run", runText("r", 0), "phase", "dry")
	assert.Equal(t, 201, code)
	// The next day: one more, then the total (4) is reached.
	f.setNow(t0.Add(24 * time.Hour))
	code, o = f.upload(t1, "s.run", runText("s", 0), "phase", "dry")
	assert.Equal(t, 201, code, o.Message)
	code, o = f.upload(t1, "u.run", runText("u", 0), "phase", "dry")
	assert.Equal(t, 429, code)
	assert.Equal(t, `team "t1" has made 4 submissions to phase "dry", the limit`, o.Message)

	// formal: max_runs 2 distinct tags (the store's rule), 429.
	f.setNow(t0)
	for _, tag := range []string{"a", "b"} {
		code, o := f.upload(t1, tag+".run", runText(tag, 0), "phase", "formal")
		require.Equal(t, 201, code, o.Message)
	}
	code, o = f.upload(t1, "c.run", runText("c", 0), "phase", "formal")
	assert.Equal(t, 429, code)
	assert.Contains(t, o.Message, `team "t1" already has 2 runs for Subtask A ("a", "b"), the limit`)
}

func TestTeamRateLimit(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.TeamRate, o.TeamBurst = 0.001, 2 })
	for i := range 2 {
		code, o := f.upload(f.tokens["t1"], "r.run", runText(fmt.Sprint("r", i), 0), "phase", "formal")
		require.Equal(t, 201, code, o.Message)
	}
	code, o := f.upload(f.tokens["t1"], "r.run", runText("r9", 0), "phase", "formal")
	assert.Equal(t, 429, code)
	assert.Regexp(t, `^team "t1" is submitting too fast; try again in \d+m\d+s$`, o.Message)
	code, _ = f.upload(f.tokens["t2"], "r.run", runText("r9", 0), "phase", "formal")
	assert.Equal(t, 201, code)
}

func TestAddressRateLimit(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.AddressRate, o.AddressBurst = 0.001, 3 })
	for range 3 {
		assert.Equal(t, 200, f.get("/", "").Code)
	}
	rec := f.get("/", "")
	assert.Equal(t, 429, rec.Code)
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))
	// The health check is never limited (load balancers poll it).
	assert.Equal(t, 200, f.get("/healthz", "").Code)
	// Another address has its own bucket.
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "192.0.2.2:1"
	rec = httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	assert.Equal(t, 200, rec.Code)
}

func TestLeaderboardAPI(t *testing.T) {
	f := newFixture(t, nil)
	// No runs yet: counts, no build.
	rec := f.get("/api/leaderboard?phase=dry", "")
	require.Equal(t, 200, rec.Code)
	assert.JSONEq(t, `{"phase": "dry", "scores": "none", "note": "no runs yet", "teams": []}`, rec.Body.String())

	_, o := f.upload(f.tokens["t1"], "a.run", runText("a", 0), "phase", "dry")
	require.True(t, o.Accepted, o.Message)
	for range 2 {
		rec = f.get("/api/leaderboard?phase=dry", "")
		require.Equal(t, 200, rec.Code)
		assert.JSONEq(t, `{"format": "json", "topics": "cola\nrte\nsst2\n", "measures": [{"name": "ndcg@10", "runs": [{"run": "t1/a", "mean": 0.5}]}]}`, rec.Body.String())
	}
	assert.Equal(t, 1, f.builds["dry/json"], "the board is cached")
	_, o = f.upload(f.tokens["t2"], "b.run", runText("b", 0), "phase", "dry")
	require.True(t, o.Accepted, o.Message)
	rec = f.get("/api/leaderboard", "") // the first open phase: dry
	assert.Contains(t, rec.Body.String(), `"t2/b"`)
	assert.Equal(t, 2, f.builds["dry/json"], "an accepted run rebuilds it")

	// formal: hidden scores, board for participants only.
	for _, tag := range []string{"x", "y"} {
		_, o = f.upload(f.tokens["t1"], "x.run", runText(tag, 0), "phase", "formal")
		require.True(t, o.Accepted, o.Message)
	}
	_, o = f.upload(f.tokens["t1"], "x.run", runText("x", 1), "phase", "formal", "replace", "1")
	require.True(t, o.Accepted, o.Message)
	assert.Equal(t, 401, f.get("/api/leaderboard?phase=formal", "").Code)
	rec = f.get("/api/leaderboard?phase=formal", f.tokens["t2"])
	require.Equal(t, 200, rec.Code)
	assert.JSONEq(t, `{"phase": "formal", "scores": "hidden", "note": "scores are hidden until the organizers release the phase",
		"teams": [{"team": "t1", "runs": 2, "submissions": 3}]}`, rec.Body.String())
	assert.Zero(t, f.builds["formal/json"])

	// Release (organizer API): the scores appear.
	req := httptest.NewRequest("POST", "/api/admin/release?phase=formal", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["t1"])
	assert.Equal(t, 401, f.do(req).Code, "a team cannot release")
	req = httptest.NewRequest("POST", "/api/admin/release?phase=formal", nil)
	req.Header.Set("Authorization", "Bearer "+f.admin)
	rec = f.do(req)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"phase": "formal", "released": "2026-11-23T12:00:00Z"}`, rec.Body.String())
	rec = f.get("/api/leaderboard?phase=formal", f.tokens["t2"])
	assert.Contains(t, rec.Body.String(), `"t1/x"`)
	state, err := os.ReadFile(filepath.Join(f.dir, stateFile))
	require.NoError(t, err)
	assert.JSONEq(t, `{"released": {"formal": "2026-11-23T12:00:00Z"}}`, string(state))

	assert.Equal(t, 404, f.get("/api/leaderboard?phase=nope", "").Code)
}

func TestLeaderboardPage(t *testing.T) {
	f := newFixture(t, nil)
	_, o := f.upload(f.tokens["t1"], "a.run", runText("a", 0), "phase", "dry")
	require.True(t, o.Accepted, o.Message)
	rec := f.get("/leaderboard?phase=dry", "")
	require.Equal(t, 200, rec.Code)
	assert.Contains(t, rec.Body.String(), `t1/a`)
	// The page's own script is allowed by its hash, nothing else.
	sum := sha256.Sum256([]byte("var sorted = true;"))
	assert.Equal(t, "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'; script-src 'sha256-"+
		base64Std(sum[:])+"'", rec.Header().Get("Content-Security-Policy"))
	// Hidden phase page: counts.
	rec = f.get("/leaderboard?phase=formal", "")
	assert.Equal(t, 401, rec.Code)
}

func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	f := newFixture(t, nil)
	for _, path := range []string{"/", "/healthz", "/history", "/leaderboard?phase=dry", "/api/leaderboard?phase=dry", "/admin", "/api/history", "/static/style.css", "/nope"} {
		rec := f.get(path, "")
		h := rec.Header()
		assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
		assert.Equal(t, "DENY", h.Get("X-Frame-Options"), path)
		assert.Equal(t, "no-referrer", h.Get("Referrer-Policy"), path)
		assert.Contains(t, h.Get("Content-Security-Policy"), "frame-ancestors 'none'", path)
		assert.NotContains(t, h.Get("Content-Security-Policy"), "script-src 'unsafe-inline'", path)
	}
}

func TestHealthz(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.get("/healthz", "")
	assert.Equal(t, 200, rec.Code)
	assert.JSONEq(t, `{"status": "ok"}`, rec.Body.String())
	// A damaged manifest: the store is not readable.
	require.NoError(t, os.WriteFile(filepath.Join(f.dir, "runs", "formal", intake.ManifestName), []byte("{broken\n"), 0o644))
	rec = f.get("/healthz", "")
	assert.Equal(t, 503, rec.Code)
	assert.JSONEq(t, `{"status": "store unreadable"}`, rec.Body.String())
}

// browser is a cookie-keeping client of the handler.
type browser struct {
	f       *fixture
	cookies map[string]string
}

func (b *browser) send(req *http.Request) *httptest.ResponseRecorder {
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := b.f.do(req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return rec
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) csrf(page string) string {
	m := csrfField.FindStringSubmatch(page)
	require.NotNil(b.f.t, m, page)
	return m[1]
}

func (b *browser) postForm(path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

func (b *browser) signIn(token string) string {
	home := b.send(httptest.NewRequest("GET", "/", nil))
	require.Equal(b.f.t, 200, home.Code)
	rec := b.postForm("/signin", url.Values{"csrf": {b.csrf(home.Body.String())}, "token": {token}})
	require.Equal(b.f.t, http.StatusSeeOther, rec.Code, rec.Body.String())
	page := b.send(httptest.NewRequest("GET", "/", nil)).Body.String()
	return b.csrf(page)
}

func TestBrowserFlowAndCSRF(t *testing.T) {
	f := newFixture(t, nil)
	b := &browser{f: f, cookies: map[string]string{}}
	home := b.send(httptest.NewRequest("GET", "/", nil))
	pre := b.csrf(home.Body.String())
	// The session cookie is HttpOnly and SameSite=Strict.
	for _, c := range home.Result().Cookies() {
		assert.True(t, c.HttpOnly)
		assert.Equal(t, http.SameSiteStrictMode, c.SameSite)
	}

	// Sign-in: without the CSRF token, with another's, with a bad token.
	assert.Equal(t, 403, b.postForm("/signin", url.Values{"token": {f.tokens["t1"]}}).Code)
	assert.Equal(t, 403, b.postForm("/signin", url.Values{"token": {f.tokens["t1"]}, "csrf": {strings.Repeat("0", 64)}}).Code)
	assert.Equal(t, 401, b.postForm("/signin", url.Values{"token": {"nope"}, "csrf": {pre}}).Code)
	csrf := b.signIn(f.tokens["t1"])
	assert.NotEqual(t, pre, csrf)

	submit := func(csrf, name, content string, extra ...string) *httptest.ResponseRecorder {
		fields := append([]string{}, extra...)
		if csrf != "" {
			fields = append(fields, "csrf", csrf)
		}
		fields = append(fields, "phase", "dry")
		body, ctype := multipartBody(t, name, content, fields...)
		req := httptest.NewRequest("POST", "/submit", body)
		req.Header.Set("Content-Type", ctype)
		return b.send(req)
	}
	rec := submit("", "a.run", runText("a", 0))
	assert.Equal(t, 403, rec.Code)
	assert.Contains(t, rec.Body.String(), "security token is missing")
	rec = submit(pre, "a.run", runText("a", 0))
	assert.Equal(t, 403, rec.Code, "the pre-session token is not the session's")

	rec = submit(csrf, "bad.run", brokenRun)
	assert.Equal(t, 422, rec.Code)
	assert.Contains(t, rec.Body.String(), "bad.run:2:")
	assert.Contains(t, rec.Body.String(), "INVALID")

	rec = submit(csrf, "a.run", runText("a", 0))
	require.Equal(t, 201, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), `Accepted: run &#34;a&#34; of team &#34;t1&#34; stored in phase &#34;dry&#34; as version 1`)

	// History: checksums and (phase dry shows scores) the score.
	hist := b.send(httptest.NewRequest("GET", "/history", nil)).Body.String()
	sum := sha256.Sum256([]byte(runText("a", 0)))
	assert.Contains(t, hist, hex.EncodeToString(sum[:]))
	assert.Contains(t, hist, "ndcg@10 0.5")

	// The API takes no cookie: a page of another site cannot use the session.
	body, ctype := multipartBody(t, "c.run", runText("c", 0), "phase", "dry")
	req := httptest.NewRequest("POST", "/api/submissions", body)
	req.Header.Set("Content-Type", ctype)
	assert.Equal(t, 401, b.send(req).Code)

	// Sign-out needs the token too.
	assert.Equal(t, 403, b.postForm("/signout", url.Values{}).Code)
	assert.Equal(t, http.StatusSeeOther, b.postForm("/signout", url.Values{"csrf": {csrf}}).Code)
	assert.Equal(t, 401, b.send(httptest.NewRequest("GET", "/history", nil)).Code)
}

func TestAdmin(t *testing.T) {
	f := newFixture(t, nil)
	content := runText("a", 0)
	_, o := f.upload(f.tokens["t1"], "a.run", content, "phase", "formal")
	require.True(t, o.Accepted, o.Message)

	// Team tokens open nothing of the organizer's.
	for _, path := range []string{"/api/admin/submissions", "/api/admin/export?phase=formal&format=json", "/api/admin/download?phase=formal&team=t1&tag=a&version=1&file=orig"} {
		assert.Equal(t, 401, f.get(path, f.tokens["t1"]).Code, path)
	}

	rec := f.get("/api/admin/submissions?phase=formal", f.admin)
	require.Equal(t, 200, rec.Code)
	var subs struct {
		Phases map[string][]intake.Entry `json:"phases"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &subs))
	require.Len(t, subs.Phases["formal"], 1)
	assert.Equal(t, "A/t1/a/v1.orig", subs.Phases["formal"][0].Original.Path)

	rec = f.get("/api/admin/download?phase=formal&team=t1&tag=a&version=1&file=orig", f.admin)
	require.Equal(t, 200, rec.Code)
	assert.Equal(t, content, rec.Body.String())
	assert.Equal(t, o.SHA256, rec.Header().Get("X-Checksum-Sha256"))
	assert.Equal(t, 404, f.get("/api/admin/download?phase=formal&team=../t1&tag=a&version=1&file=orig", f.admin).Code)
	assert.Equal(t, 400, f.get("/api/admin/download?phase=formal&team=t1&tag=a&version=1&file=../../teams.json", f.admin).Code)

	// Export: every format, scores of the hidden phase included.
	for _, format := range []string{"json", "html", "csv"} {
		rec = f.get("/api/admin/export?phase=formal&format="+format, f.admin)
		require.Equal(t, 200, rec.Code, format)
		assert.Contains(t, rec.Body.String(), "t1/a", format)
		assert.Equal(t, `attachment; filename="formal-leaderboard.`+exportTypes[format].ext+`"`, rec.Header().Get("Content-Disposition"))
	}
	assert.Equal(t, 400, f.get("/api/admin/export?phase=formal&format=pdf", f.admin).Code)

	verify := func() map[string]verifyJSON {
		req := httptest.NewRequest("POST", "/api/admin/verify", nil)
		req.Header.Set("Authorization", "Bearer "+f.admin)
		rec := f.do(req)
		require.Equal(t, 200, rec.Code, rec.Body.String())
		var out map[string]verifyJSON
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		return out
	}
	v := verify()
	assert.Equal(t, verifyJSON{Runs: 1, Versions: 1, Files: 2, OK: true, Findings: []intake.Finding{}}, v["formal"])
	// Tamper with the stored original: verify names it.
	p := filepath.Join(f.dir, "runs", "formal", "A", "t1", "a", "v1.orig")
	require.NoError(t, os.Chmod(p, 0o644))
	require.NoError(t, os.WriteFile(p, []byte("changed"), 0o644))
	v = verify()
	assert.False(t, v["formal"].OK)
	require.Len(t, v["formal"].Findings, 1)
	assert.Equal(t, "A/t1/a/v1.orig", v["formal"].Findings[0].Path)

	// The organizer's pages: sign in, see the submissions, release with
	// and without the CSRF token.
	b := &browser{f: f, cookies: map[string]string{}}
	csrf := b.signIn(f.admin)
	page := b.send(httptest.NewRequest("GET", "/admin", nil))
	require.Equal(t, 200, page.Code)
	assert.Contains(t, page.Body.String(), "/admin/download?file=orig&amp;phase=formal&amp;tag=a&amp;team=t1&amp;version=1")
	assert.Equal(t, 403, b.postForm("/admin/release", url.Values{"phase": {"formal"}}).Code)
	rec = b.postForm("/admin/release", url.Values{"phase": {"formal"}, "csrf": {csrf}})
	require.Equal(t, 200, rec.Code)
	assert.Contains(t, rec.Body.String(), "The scores of phase &#34;formal&#34; are public since 2026-11-23T12:00:00Z.")
	assert.Equal(t, 403, b.postForm("/admin/verify", url.Values{}).Code)
	rec = b.postForm("/admin/verify", url.Values{"csrf": {csrf}})
	assert.Contains(t, rec.Body.String(), "DRIFT")
}

func TestLogsHoldNoToken(t *testing.T) {
	f := newFixture(t, nil)
	_, o := f.upload(f.tokens["t1"], "a.run", runText("a", 0), "phase", "dry")
	require.True(t, o.Accepted)
	f.get("/api/leaderboard?phase=formal", f.tokens["t2"])
	b := &browser{f: f, cookies: map[string]string{}}
	b.signIn(f.admin)
	logs := f.logs.String()
	for _, tok := range []string{f.tokens["t1"], f.tokens["t2"], f.admin} {
		assert.NotContains(t, logs, tok)
	}
	for k := range b.cookies {
		assert.NotContains(t, logs, b.cookies[k])
	}
	var line map[string]any
	first := strings.SplitN(logs, "\n", 2)[0]
	require.NoError(t, json.Unmarshal([]byte(first), &line))
	assert.Equal(t, "POST", line["method"])
	assert.Equal(t, "/api/submissions", line["path"])
	assert.Equal(t, float64(201), line["status"])
	assert.Equal(t, `team t1`, line["who"])
	assert.Equal(t, "dry", line["phase"])
}

func TestTeams(t *testing.T) {
	dir := t.TempDir()
	tok, err := AddTeam(dir, "lab-1", t0, false)
	require.NoError(t, err)
	assert.Regexp(t, `^mrt_[A-Za-z0-9_-]{43}$`, tok)
	data, err := os.ReadFile(filepath.Join(dir, teamsFile))
	require.NoError(t, err)
	assert.NotContains(t, string(data), tok)
	assert.Contains(t, string(data), hashToken(tok))

	_, err = AddTeam(dir, "lab-1", t0, false)
	assert.EqualError(t, err, `team "lab-1" exists and is active; give --new-token to replace its token (the old one stops working)`)
	_, err = AddTeam(dir, "../x", t0, false)
	assert.ErrorContains(t, err, `team name "../x" is not allowed`)
	tok2, err := AddTeam(dir, "lab-1", t0, true)
	require.NoError(t, err)
	assert.NotEqual(t, tok, tok2)

	s := &Server{dir: dir, log: slog.New(slog.DiscardHandler)}
	_, ok := s.authenticate(tok)
	assert.False(t, ok, "the replaced token")
	id, ok := s.authenticate(tok2)
	assert.True(t, ok)
	assert.Equal(t, identity{Team: "lab-1"}, id)
	_, ok = s.authenticate(tok2 + "x")
	assert.False(t, ok)

	require.NoError(t, RevokeTeam(dir, "lab-1", t0))
	_, ok = s.authenticate(tok2)
	assert.False(t, ok, "revoked")
	assert.EqualError(t, RevokeTeam(dir, "lab-1", t0), `team "lab-1" was revoked already (2026-11-23T12:00:00Z)`)
	assert.EqualError(t, RevokeTeam(dir, "nobody", t0), `no team nobody`)
	teams, err := ListTeams(dir)
	require.NoError(t, err)
	require.Len(t, teams, 1)
	assert.NotNil(t, teams[0].Revoked)
}

func TestParsePhasesRefuses(t *testing.T) {
	ok := `"opens": "2026-01-01T00:00:00Z", "closes": "2026-02-01T00:00:00Z", "scores": "public"`
	tests := []struct{ json, want string }{
		{`{"phases": []}`, `p.json: no phases: the file must hold {"phases": [...]} with at least one phase`},
		{`{"phases": [{"name": "a", "split": "test", ` + ok + `, "extra": 1}]}`, `p.json: 1:144: json: unknown field "extra"`},
		{"{\"phases\": [\n{\"name\": 3}]}", `p.json: 2:11: json: cannot unmarshal number into Go struct field Phase.phases.name of type string`},
		{`{"phases": [{"name": "../a", "split": "test", ` + ok + `}]}`, `p.json: phase 1 (../a): phase name "../a" is not allowed: it contains the path separator '/'; use 1 to 64 characters from A-Z a-z 0-9 _ . - not starting with '.' or '-'`},
		{`{"phases": [{"name": "a", "split": "test", ` + ok + `}, {"name": "a", "split": "test", ` + ok + `}]}`, `p.json: phase 2 (a): the name is used by an earlier phase`},
		{`{"phases": [{"name": "a", "split": "dev", ` + ok + `}]}`, `p.json: phase 1 (a): split must be test, train or all, not "dev"`},
		{`{"phases": [{"name": "a", ` + ok + `}]}`, `p.json: phase 1 (a): give split (test, train or all) or topics_file`},
		{`{"phases": [{"name": "a", "split": "test", "topics_file": "t", ` + ok + `}]}`, `p.json: phase 1 (a): give split or topics_file, not both`},
		{`{"phases": [{"name": "a", "split": "test", "closes": "2026-02-01T00:00:00Z", "scores": "public"}]}`, `p.json: phase 1 (a): opens and closes are both needed (RFC 3339 times, e.g. 2026-09-01T00:00:00Z)`},
		{`{"phases": [{"name": "a", "split": "test", "opens": "2026-03-01T00:00:00Z", "closes": "2026-02-01T00:00:00Z", "scores": "public"}]}`, `p.json: phase 1 (a): closes (2026-02-01T00:00:00Z) is not after opens (2026-03-01T00:00:00Z)`},
		{`{"phases": [{"name": "a", "split": "test", ` + ok + `, "per_day": -1}]}`, `p.json: phase 1 (a): per_day, total and max_runs must not be negative (0 = no limit)`},
		{`{"phases": [{"name": "a", "split": "test", "opens": "2026-01-01T00:00:00Z", "closes": "2026-02-01T00:00:00Z", "scores": "secret"}]}`, `p.json: phase 1 (a): scores must be "public" or "hidden", not "secret"`},
		{`{"phases": [{"name": "a", "task": "C", "split": "test", ` + ok + `}]}`, `p.json: phase 1 (a): task: unknown task "C" (want A or B)`},
		{`{"phases": [{"name": "a", "split": "test", "opens": "tomorrow", "closes": "2026-02-01T00:00:00Z", "scores": "public"}]}`, `p.json: 1:120: parsing time "tomorrow" as "2006-01-02T15:04:05Z07:00": cannot parse "tomorrow" as "2006"`},
	}
	for _, tc := range tests {
		_, err := ParsePhases("p.json", []byte(tc.json), true)
		assert.EqualError(t, err, tc.want, tc.json)
	}
	_, err := ParsePhases("p.json", []byte(`{"phases": [{"name": "a", "split": "test", `+ok+`}]}`), false)
	assert.EqualError(t, err, `p.json: phase 1 (a): split "test" needs a collection (--collection); without one give topics_file`)
	ps, err := ParsePhases("p.json", []byte(`{"phases": [{"name": "a", "task": "b", "split": "train", `+ok+`, "per_day": 5}]}`), true)
	require.NoError(t, err)
	assert.Equal(t, Phase{Name: "a", Task: "B", Split: "train", Opens: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Closes: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), PerDay: 5, Scores: "public"}, ps.Phases[0])
}

func TestOneServerPerStore(t *testing.T) {
	f := newFixture(t, nil)
	_, err := New(f.srv.opt)
	assert.ErrorContains(t, err, "is being served by another mreval serve")
}

func TestStaleUploadsRemovedAtStart(t *testing.T) {
	f := newFixture(t, nil)
	left := filepath.Join(f.dir, uploadsDir, uploadPrefix+"123")
	require.NoError(t, os.WriteFile(left, []byte("half"), 0o600))
	require.NoError(t, f.srv.Close())
	srv, err := New(f.srv.opt)
	require.NoError(t, err)
	defer srv.Close()
	_, err = os.Stat(left)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

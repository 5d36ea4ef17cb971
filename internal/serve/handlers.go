package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// Handler is the site: every route behind the security headers, the
// per-address rate limit, the request log and a recover that turns a
// panic into a 500.
func (s *Server) Handler() http.Handler { return s.middleware(s.mux) }

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.handleHome)
	m.HandleFunc("POST /signin", s.handleSignIn)
	m.HandleFunc("POST /signout", s.handleSignOut)
	m.HandleFunc("POST /submit", s.handleBrowserSubmit)
	m.HandleFunc("GET /history", s.handleHistory)
	m.HandleFunc("GET /leaderboard", s.handleBoardPage)
	m.HandleFunc("GET /static/style.css", s.handleCSS)
	m.HandleFunc("GET /healthz", s.handleHealth)

	m.HandleFunc("POST /api/submissions", s.handleAPISubmit)
	m.HandleFunc("GET /api/leaderboard", s.handleAPIBoard)
	m.HandleFunc("GET /api/history", s.handleAPIHistory)

	m.HandleFunc("GET /admin", s.handleAdminPage)
	m.HandleFunc("POST /admin/release", s.handleAdminRelease)
	m.HandleFunc("POST /admin/verify", s.handleAdminVerify)
	m.HandleFunc("GET /admin/download", s.handleDownload)
	m.HandleFunc("GET /admin/export", s.handleExport)
	m.HandleFunc("GET /api/admin/submissions", s.handleAPISubmissions)
	m.HandleFunc("POST /api/admin/release", s.handleAdminRelease)
	m.HandleFunc("POST /api/admin/verify", s.handleAdminVerify)
	m.HandleFunc("GET /api/admin/download", s.handleDownload)
	m.HandleFunc("GET /api/admin/export", s.handleExport)
	s.mux = m
}

// pageCSP is the policy of the site's own pages: no script at all, the
// style sheet from the site, forms posted to the site only, no framing.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// requestInfo is filled in by handlers for the request log.
type requestInfo struct {
	who   string
	phase string
}

type infoKey struct{}

func info(r *http.Request) *requestInfo {
	if ri, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// requestSeq numbers requests in the log.
var requestSeq atomic.Uint64

func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h := w.Header()
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.opt.Secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		sw := &statusWriter{ResponseWriter: w}
		ri := &requestInfo{}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, ri))
		addr := s.clientAddress(r)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "value", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
			// The log names the path, never the query or a header: no
			// token can reach it.
			attrs := []any{"id", requestSeq.Add(1), "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"bytes", sw.bytes, "ms", time.Since(start).Milliseconds(), "addr", addr}
			if ri.who != "" {
				attrs = append(attrs, "who", ri.who)
			}
			if ri.phase != "" {
				attrs = append(attrs, "phase", ri.phase)
			}
			s.log.Info("request", attrs...)
		}()
		if r.URL.Path != "/healthz" && r.URL.Path != "/static/style.css" {
			if ok, wait := s.addrLimits.allow(addr, s.now()); !ok {
				sw.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
				s.writeError(sw, r, http.StatusTooManyRequests, "too many requests from this address; try again in a few seconds")
				return
			}
		}
		next.ServeHTTP(sw, r)
	})
}

// isAPI says whether the request is to the JSON API (errors as JSON).
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if r.URL.Path == "/api/submissions" {
		// Every answer of the submission API has the one shape.
		writeJSON(w, status, refuse(status, "%s", msg))
		return
	}
	if isAPI(r) || r.URL.Path == "/healthz" {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	s.render(w, r, status, "error", &pageData{Title: http.StatusText(status), Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// bearer returns the identity of the request's Authorization header. APIs
// take only this (never the session cookie), so a page of another site
// cannot use a participant's session against them.
func (s *Server) bearer(r *http.Request) (identity, bool) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return identity{}, false
	}
	id, ok := s.authenticate(strings.TrimSpace(token))
	if ok {
		info(r).who = id.String()
	}
	return id, ok
}

func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, what string) {
	if isAPI(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mreval"`)
	}
	s.writeError(w, r, http.StatusUnauthorized, what)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	for i := range s.opt.Phases.Phases {
		if _, err := intake.ListRuns(s.phaseStore(&s.opt.Phases.Phases[i])); err != nil {
			s.log.Error("health check", "error", err.Error())
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "store unreadable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(styleCSS)
}

// --- participants -----------------------------------------------------

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	_, sess := s.session(r)
	d := s.basePage(w, r, sess, "Submissions")
	s.render(w, r, http.StatusOK, "home", d)
}

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, http.StatusBadRequest, "the sign-in form is malformed")
		return
	}
	if !s.checkCSRF(r, nil, r.PostForm.Get("csrf")) {
		s.writeError(w, r, http.StatusForbidden, "the form's security token is missing or stale: reload the page and sign in again")
		return
	}
	id, ok := s.authenticate(strings.TrimSpace(r.PostForm.Get("token")))
	if !ok {
		s.unauthorized(w, r, "unknown or revoked token")
		return
	}
	info(r).who = id.String()
	if old, _ := s.session(r); old != "" {
		s.sessions.remove(old)
	}
	key, _, ok := s.sessions.create(id, s.now())
	if !ok {
		s.writeError(w, r, http.StatusServiceUnavailable, "too many people are signed in; try again later")
		return
	}
	s.setCookie(w, sessionCookie, key, int(sessionLifetime.Seconds()))
	s.setCookie(w, preCookie, "", -1)
	target := "/"
	if id.Admin {
		target = "/admin"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	key, sess := s.session(r)
	if err := r.ParseForm(); err != nil || sess == nil || !s.checkCSRF(r, sess, r.PostForm.Get("csrf")) {
		s.writeError(w, r, http.StatusForbidden, "the form's security token is missing or stale: reload the page")
		return
	}
	s.sessions.remove(key)
	s.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// handleAPISubmit is POST /api/submissions.
func (s *Server) handleAPISubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.bearer(r)
	if !ok || id.Admin {
		s.unauthorized(w, r, "send a team's token: Authorization: Bearer TOKEN")
		return
	}
	o := s.receive(w, r, id.Team, nil)
	writeJSON(w, o.status, o)
}

// handleBrowserSubmit is the upload form's POST /submit.
func (s *Server) handleBrowserSubmit(w http.ResponseWriter, r *http.Request) {
	_, sess := s.session(r)
	if sess == nil || sess.id.Admin {
		s.unauthorized(w, r, "sign in with your team's token to submit runs")
		return
	}
	info(r).who = sess.id.String()
	o := s.receive(w, r, sess.id.Team, sess)
	d := s.basePage(w, r, sess, "Submission")
	d.Outcome = o
	if o.report != nil {
		var buf bytes.Buffer
		o.report.WriteText(&buf)
		d.ReportText = buf.String()
	}
	s.render(w, r, o.status, "result", d)
}

// receive reads, checks and stores one upload; sess is the browser
// session, whose CSRF token the form must carry (nil for the API).
func (s *Server) receive(w http.ResponseWriter, r *http.Request, team string, sess *session) *Outcome {
	// The phase's limits are not known before its field is read; the
	// largest over all phases bounds the read, the phase's own is applied
	// when the file is validated.
	var maxBytes int64
	for i := range s.opt.Phases.Phases {
		maxBytes = max(maxBytes, s.limits(&s.opt.Phases.Phases[i]).MaxBytes)
	}
	up, o := s.readUpload(w, r, maxBytes)
	if o != nil {
		return o
	}
	defer os.Remove(up.file)
	if sess != nil && !s.checkCSRF(r, sess, up.csrf) {
		return refuse(http.StatusForbidden, "the form's security token is missing or stale: reload the page and submit again")
	}
	if q := r.URL.Query().Get("phase"); q != "" && up.phase == "" {
		up.phase = q
	}
	p, o := s.choosePhase(up.phase, s.now())
	if o != nil {
		return o
	}
	info(r).phase = p.Name
	if lim := s.limits(p).MaxBytes; up.size > lim {
		return refuse(http.StatusRequestEntityTooLarge, "%s is larger than the limit of %d bytes of phase %q", safetext.Name(up.name), lim, p.Name)
	}
	return s.submit(team, up, p)
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	_, sess := s.session(r)
	if sess == nil || sess.id.Admin {
		s.unauthorized(w, r, "sign in with your team's token to see your submissions")
		return
	}
	info(r).who = sess.id.String()
	rows, err := s.teamHistory(sess.id.Team)
	if err != nil {
		s.fail(w, r, "reading the history", err)
		return
	}
	s.addScores(r.Context(), rows)
	d := s.basePage(w, r, sess, "Your submissions")
	d.History = rows
	s.render(w, r, http.StatusOK, "history", d)
}

// addScores fills in the scores of current runs of phases whose scores are
// shown, from the phase's board.
func (s *Server) addScores(ctx context.Context, rows []historyRow) {
	type phaseScores struct {
		measure string
		means   map[string]json.RawMessage
	}
	cache := map[string]*phaseScores{}
	for i := range rows {
		row := &rows[i]
		if !row.Current {
			continue
		}
		ps, seen := cache[row.Phase.Name]
		if !seen {
			board, nb, err := s.board(ctx, row.Phase, "json", false)
			if err == nil && nb == nil {
				if m, means, err := boardScores(board); err == nil {
					ps = &phaseScores{m, means}
				}
			}
			cache[row.Phase.Name] = ps
		}
		if ps != nil {
			if v, ok := ps.means[row.Entry.Team+"/"+row.Entry.Tag]; ok {
				row.Score = ps.measure + " " + string(v)
			}
		}
	}
}

type apiHistoryRow struct {
	Phase   string       `json:"phase"`
	Current bool         `json:"current"`
	Score   string       `json:"score,omitempty"`
	Entry   intake.Entry `json:"submission"`
}

func (s *Server) handleAPIHistory(w http.ResponseWriter, r *http.Request) {
	id, ok := s.bearer(r)
	if !ok || id.Admin {
		s.unauthorized(w, r, "send a team's token: Authorization: Bearer TOKEN")
		return
	}
	rows, err := s.teamHistory(id.Team)
	if err != nil {
		s.fail(w, r, "reading the history", err)
		return
	}
	s.addScores(r.Context(), rows)
	out := []apiHistoryRow{}
	for _, row := range rows {
		out = append(out, apiHistoryRow{Phase: row.Phase.Name, Current: row.Current, Score: row.Score, Entry: row.Entry})
	}
	writeJSON(w, http.StatusOK, map[string]any{"team": id.Team, "submissions": out})
}

// boardPhase picks the phase of a board request: the one named, else the
// one open now (the first declared if several are), else the one that
// opened last.
func (s *Server) boardPhase(w http.ResponseWriter, r *http.Request) *Phase {
	name := r.URL.Query().Get("phase")
	if name != "" {
		p := s.opt.Phases.Lookup(name)
		if p == nil {
			s.writeError(w, r, http.StatusNotFound, fmt.Sprintf("no phase %s (phases: %s)", safetext.Name(name), strings.Join(s.phaseNames(), ", ")))
		}
		return p
	}
	now := s.now()
	if open := s.opt.Phases.Open(now); len(open) > 0 {
		return open[0]
	}
	var last *Phase
	for i := range s.opt.Phases.Phases {
		p := &s.opt.Phases.Phases[i]
		if !now.Before(p.Opens) && (last == nil || p.Opens.After(last.Opens)) {
			last = p
		}
	}
	if last == nil {
		s.writeError(w, r, http.StatusNotFound, "no phase has opened yet")
	}
	return last
}

// mayViewBoard checks that the board is public or the client signed in
// (session for pages, bearer for the API).
func (s *Server) mayViewBoard(r *http.Request, p *Phase) bool {
	if p.PublicLeaderboard {
		return true
	}
	if isAPI(r) {
		_, ok := s.bearer(r)
		return ok
	}
	_, sess := s.session(r)
	return sess != nil
}

// viewBoard serves what both board views share: it picks the phase, checks
// that the client may see its board (howToSignIn ends the refusal) and
// builds the board in format, or the submission counts shown in its place
// (counts non-nil). ok is false when it has already answered.
func (s *Server) viewBoard(w http.ResponseWriter, r *http.Request, format, howToSignIn string) (p *Phase, board []byte, counts *Counts, ok bool) {
	p = s.boardPhase(w, r)
	if p == nil {
		return nil, nil, nil, false
	}
	info(r).phase = p.Name
	if !s.mayViewBoard(r, p) {
		s.unauthorized(w, r, fmt.Sprintf("the leaderboard of phase %q is for participants: %s", p.Name, howToSignIn))
		return nil, nil, nil, false
	}
	board, nb, err := s.board(r.Context(), p, format, false)
	if err != nil {
		s.fail(w, r, "building the leaderboard", err)
		return nil, nil, nil, false
	}
	if nb != nil {
		counts, err = s.counts(p, nb.scores, nb.note)
		if err != nil {
			s.fail(w, r, "counting submissions", err)
			return nil, nil, nil, false
		}
	}
	return p, board, counts, true
}

func (s *Server) handleAPIBoard(w http.ResponseWriter, r *http.Request) {
	_, data, c, ok := s.viewBoard(w, r, "json", "send a token")
	if !ok {
		return
	}
	if c != nil {
		writeJSON(w, http.StatusOK, c)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
}

func (s *Server) handleBoardPage(w http.ResponseWriter, r *http.Request) {
	p, data, c, ok := s.viewBoard(w, r, "html", "sign in first")
	if !ok {
		return
	}
	if c != nil {
		_, sess := s.session(r)
		d := s.basePage(w, r, sess, "Leaderboard: "+p.DisplayName())
		d.Counts, d.Phase = c, p
		s.render(w, r, http.StatusOK, "counts", d)
		return
	}
	s.writeBoardHTML(w, data)
}

// writeBoardHTML serves the leaderboard command's self-contained page
// under a policy that allows exactly its own inline scripts (by hash) and
// its inline styles, and nothing from anywhere.
func (s *Server) writeBoardHTML(w http.ResponseWriter, page []byte) {
	csp := "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
	if hashes := scriptHashes(page); len(hashes) > 0 {
		csp += "; script-src " + strings.Join(hashes, " ")
	}
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(page)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, "path", r.URL.Path, "error", err.Error())
	s.writeError(w, r, http.StatusInternalServerError, "the server failed while "+what+"; the organizers can see the error in the server's log")
}

// --- pages ------------------------------------------------------------

type phaseView struct {
	*Phase
	State    string
	Shown    bool
	Released bool
}

type pageData struct {
	Title      string
	Who        *identity
	CSRF       string
	Message    string
	Phases     []phaseView
	Outcome    *Outcome
	ReportText string
	History    []historyRow
	Counts     *Counts
	Phase      *Phase
	Admin      *adminView
	Now        string
}

func (s *Server) basePage(w http.ResponseWriter, r *http.Request, sess *session, title string) *pageData {
	d := &pageData{Title: title, CSRF: s.csrfToken(w, r, sess), Now: s.now().UTC().Format(time.RFC3339)}
	if sess != nil {
		id := sess.id
		d.Who = &id
	}
	st, err := s.readState()
	if err != nil {
		st = &serveState{}
	}
	for i := range s.opt.Phases.Phases {
		p := &s.opt.Phases.Phases[i]
		_, released := st.Released[p.Name]
		d.Phases = append(d.Phases, phaseView{Phase: p, State: p.State(s.now()), Shown: p.Scores == ScoresPublic || released, Released: released})
	}
	return d
}

// --- organizers -------------------------------------------------------

// organizer checks the organizer's token (bearer, for /api/admin/) or
// session (pages, whose POSTs must carry the CSRF token).
func (s *Server) organizer(w http.ResponseWriter, r *http.Request) (*session, bool) {
	if isAPI(r) {
		id, ok := s.bearer(r)
		if !ok || !id.Admin {
			s.unauthorized(w, r, "send the organizer's token: Authorization: Bearer TOKEN")
			return nil, false
		}
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		return nil, true
	}
	_, sess := s.session(r)
	if sess == nil || !sess.id.Admin {
		s.unauthorized(w, r, "sign in with the organizer's token")
		return nil, false
	}
	info(r).who = sess.id.String()
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		if err := r.ParseForm(); err != nil || !s.checkCSRF(r, sess, r.PostForm.Get("csrf")) {
			s.writeError(w, r, http.StatusForbidden, "the form's security token is missing or stale: reload the page")
			return nil, false
		}
	}
	return sess, true
}

type adminView struct {
	Runs     map[string][]intake.Entry
	Verified map[string]*intake.Verification
	Formats  []string
	Notice   string
}

func (s *Server) handleAdminPage(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.organizer(w, r)
	if !ok {
		return
	}
	s.renderAdmin(w, r, sess, nil, "")
}

func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, sess *session, verified map[string]*intake.Verification, notice string) {
	av := &adminView{Runs: map[string][]intake.Entry{}, Verified: verified, Formats: s.opt.Formats, Notice: notice}
	for i := range s.opt.Phases.Phases {
		p := &s.opt.Phases.Phases[i]
		hist, err := intake.History(s.phaseStore(p))
		if err != nil {
			s.fail(w, r, "reading the manifest", err)
			return
		}
		slices.Reverse(hist)
		av.Runs[p.Name] = hist
	}
	d := s.basePage(w, r, sess, "Organizer")
	d.Admin = av
	s.render(w, r, http.StatusOK, "admin", d)
}

// formPhase is the phase named by the form or query field phase.
func (s *Server) formPhase(w http.ResponseWriter, r *http.Request) *Phase {
	name := r.FormValue("phase")
	p := s.opt.Phases.Lookup(name)
	if p == nil {
		s.writeError(w, r, http.StatusNotFound, fmt.Sprintf("no phase %s (phases: %s)", safetext.Name(name), strings.Join(s.phaseNames(), ", ")))
		return nil
	}
	info(r).phase = p.Name
	return p
}

func (s *Server) handleAdminRelease(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.organizer(w, r)
	if !ok {
		return
	}
	p := s.formPhase(w, r)
	if p == nil {
		return
	}
	t, err := s.release(p)
	if err != nil {
		s.fail(w, r, "releasing the phase", err)
		return
	}
	s.log.Info("phase released", "phase", p.Name)
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"phase": p.Name, "released": t})
		return
	}
	s.renderAdmin(w, r, sess, nil, fmt.Sprintf("The scores of phase %q are public since %s.", p.Name, t.Format(time.RFC3339)))
}

type verifyJSON struct {
	Runs     int              `json:"runs"`
	Versions int              `json:"versions"`
	Files    int              `json:"files"`
	OK       bool             `json:"ok"`
	Findings []intake.Finding `json:"findings"`
}

func (s *Server) handleAdminVerify(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.organizer(w, r)
	if !ok {
		return
	}
	out := map[string]*intake.Verification{}
	for i := range s.opt.Phases.Phases {
		p := &s.opt.Phases.Phases[i]
		v, err := intake.Verify(s.phaseStore(p), false)
		if err != nil {
			s.fail(w, r, "verifying the store", err)
			return
		}
		out[p.Name] = v
	}
	if isAPI(r) {
		js := map[string]verifyJSON{}
		for name, v := range out {
			f := v.Findings
			if f == nil {
				f = []intake.Finding{}
			}
			js[name] = verifyJSON{v.Runs, v.Versions, v.Files, v.OK(), f}
		}
		writeJSON(w, http.StatusOK, js)
		return
	}
	s.renderAdmin(w, r, sess, out, "")
}

func (s *Server) handleAPISubmissions(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.organizer(w, r); !ok {
		return
	}
	out := map[string][]intake.Entry{}
	for i := range s.opt.Phases.Phases {
		p := &s.opt.Phases.Phases[i]
		if q := r.URL.Query().Get("phase"); q != "" && q != p.Name {
			continue
		}
		hist, err := intake.History(s.phaseStore(p))
		if err != nil {
			s.fail(w, r, "reading the manifest", err)
			return
		}
		if hist == nil {
			hist = []intake.Entry{}
		}
		out[p.Name] = hist
	}
	writeJSON(w, http.StatusOK, map[string]any{"phases": out})
}

// handleDownload serves one stored file, found through the manifest:
// phase, team, tag and version select an entry, and only the paths the
// manifest's reader checked are opened, inside the phase's store.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.organizer(w, r); !ok {
		return
	}
	p := s.formPhase(w, r)
	if p == nil {
		return
	}
	q := r.URL.Query()
	version, err := strconv.Atoi(q.Get("version"))
	kind := q.Get("file")
	if err != nil || (kind != "orig" && kind != "run") {
		s.writeError(w, r, http.StatusBadRequest, "give phase, team, tag, version (a number) and file (orig or run)")
		return
	}
	hist, err := intake.History(s.phaseStore(p))
	if err != nil {
		s.fail(w, r, "reading the manifest", err)
		return
	}
	i := slices.IndexFunc(hist, func(e intake.Entry) bool {
		return e.Team == q.Get("team") && e.Tag == q.Get("tag") && e.Version == version && e.Task == p.Task
	})
	if i < 0 {
		s.writeError(w, r, http.StatusNotFound, "no such submission in phase "+strconv.Quote(p.Name))
		return
	}
	e := hist[i]
	fi, name := e.Normalised, fmt.Sprintf("%s-%s-v%d.run", e.Team, e.Tag, e.Version)
	if kind == "orig" {
		fi, name = e.Original, fmt.Sprintf("%s-%s-v%d.orig", e.Team, e.Tag, e.Version)
	}
	root, err := os.OpenRoot(s.phaseStore(p))
	if err != nil {
		s.fail(w, r, "opening the store", err)
		return
	}
	defer root.Close()
	if st, err := root.Lstat(fi.Path); err != nil || !st.Mode().IsRegular() {
		s.fail(w, r, "opening a stored file", fmt.Errorf("%s: not a regular file (run verify)", fi.Path))
		return
	}
	f, err := root.Open(fi.Path)
	if err != nil {
		s.fail(w, r, "opening a stored file", err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(name))
	w.Header().Set("X-Checksum-Sha256", fi.SHA256)
	w.Header().Set("Content-Length", strconv.FormatInt(fi.Size, 10))
	http.ServeContent(w, r, "", e.Time, f)
}

var exportTypes = map[string]struct{ ext, ctype string }{
	"table": {"txt", "text/plain; charset=utf-8"},
	"csv":   {"csv", "text/csv; charset=utf-8"},
	"md":    {"md", "text/markdown; charset=utf-8"},
	"latex": {"tex", "text/plain; charset=utf-8"},
	"json":  {"json", "application/json; charset=utf-8"},
	"html":  {"html", "text/html; charset=utf-8"},
}

// handleExport serves a phase's board in any leaderboard format, scores
// included whether or not they were released: the organizer's copy.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.organizer(w, r); !ok {
		return
	}
	p := s.formPhase(w, r)
	if p == nil {
		return
	}
	format := r.URL.Query().Get("format")
	if !slices.Contains(s.opt.Formats, format) {
		s.writeError(w, r, http.StatusBadRequest, fmt.Sprintf("format must be one of %s", strings.Join(s.opt.Formats, ", ")))
		return
	}
	data, nb, err := s.board(r.Context(), p, format, true)
	if err != nil {
		s.fail(w, r, "building the leaderboard", err)
		return
	}
	if nb != nil {
		s.writeError(w, r, http.StatusConflict, "no board to export: "+nb.note)
		return
	}
	t, ok := exportTypes[format]
	if !ok {
		t.ext, t.ctype = format, "application/octet-stream"
	}
	w.Header().Set("Content-Type", t.ctype)
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(p.Name+"-leaderboard."+t.ext))
	// An HTML export opened from the site runs nothing.
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
	w.Write(data)
}

// downloadURL is the organizer page's link to a stored file.
func downloadURL(phase string, e intake.Entry, kind string) string {
	v := url.Values{"phase": {phase}, "team": {e.Team}, "tag": {e.Tag}, "version": {strconv.Itoa(e.Version)}, "file": {kind}}
	return "/admin/download?" + v.Encode()
}

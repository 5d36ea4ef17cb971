package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

const (
	uploadsDir   = "uploads"
	uploadPrefix = "upload-"
	// formOverhead is what an upload may carry besides the run file:
	// the multipart headers and the small fields.
	formOverhead = 64 << 10
	maxFieldLen  = 1 << 10
)

// Outcome is the answer to a submission; as JSON it is the API's response.
type Outcome struct {
	Accepted bool `json:"accepted"`
	// Version is the version stored (0 when refused).
	Version int `json:"version"`
	// SHA256 is the hash of the file as uploaded (what `sha256sum RUN`
	// prints); NormalisedSHA256 that of the run in normal form, which is
	// what is scored (and what `mreval intake` prints).
	SHA256           string `json:"sha256"`
	NormalisedSHA256 string `json:"normalised_sha256,omitempty"`
	Phase            string `json:"phase,omitempty"`
	Team             string `json:"team,omitempty"`
	Tag              string `json:"tag,omitempty"`
	// Message says what happened, in a sentence.
	Message string `json:"message"`
	// Report is the validation report exactly as `mreval validate --format
	// json` prints it ({"valid": ..., "files": [report]}); null when the
	// upload was refused before validation.
	Report json.RawMessage `json:"report"`

	status int
	report *validate.Report
}

func refuse(status int, format string, args ...any) *Outcome {
	return &Outcome{status: status, Message: fmt.Sprintf(format, args...), Report: json.RawMessage("null")}
}

// upload is a submission read off the request.
type upload struct {
	file    string // the staged file in uploads/
	name    string // the file name the client sent
	size    int64
	phase   string
	replace bool
	csrf    string
}

// readUpload streams the multipart body: the fields phase, replace and
// csrf, and the file field run, which is copied into uploads/ (at most the
// phase's size limit) so that fields may come in any order. Anything else
// is refused: a misspelt field must not be ignored.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, maxBytes int64) (*upload, *Outcome) {
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		return nil, refuse(http.StatusBadRequest, "send the run as multipart/form-data with the file in the field \"run\" (curl -F run=@FILE)")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes+formOverhead)
	mr := multipart.NewReader(r.Body, params["boundary"])
	up := &upload{}
	ok := false
	defer func() {
		if !ok && up.file != "" {
			os.Remove(up.file)
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, bodyError(err, maxBytes)
		}
		field := part.FormName()
		switch field {
		case "phase", "replace", "csrf":
			v, err := io.ReadAll(io.LimitReader(part, maxFieldLen+1))
			if err != nil {
				return nil, bodyError(err, maxBytes)
			}
			if len(v) > maxFieldLen {
				return nil, refuse(http.StatusBadRequest, "field %q is longer than %d bytes", field, maxFieldLen)
			}
			switch field {
			case "phase":
				up.phase = string(v)
			case "csrf":
				up.csrf = string(v)
			case "replace":
				switch string(v) {
				case "1", "true", "on":
					up.replace = true
				case "0", "false", "":
				default:
					return nil, refuse(http.StatusBadRequest, "field \"replace\" must be 1 or 0, not %s", safetext.Name(string(v)))
				}
			}
		case "run":
			if up.file != "" {
				return nil, refuse(http.StatusBadRequest, "more than one file in the field \"run\": submit one run per request")
			}
			up.name = part.FileName()
			if up.name == "" {
				up.name = "run"
			}
			if up.file, up.size, err = s.stage(part, maxBytes); err != nil {
				if errors.Is(err, errUploadTooLarge) {
					return nil, refuse(http.StatusRequestEntityTooLarge, "%s is larger than the limit of %s bytes", safetext.Name(up.name), validate.Commas(maxBytes))
				}
				if o := bodyError(err, maxBytes); o.status != http.StatusInternalServerError {
					return nil, o
				}
				s.log.Error("staging an upload", "error", err.Error())
				return nil, refuse(http.StatusInternalServerError, "the upload could not be stored; try again later")
			}
		default:
			return nil, refuse(http.StatusBadRequest, "unknown field %s: the fields are run (the file), replace, phase and, in the browser, csrf", safetext.Name(field))
		}
	}
	if up.file == "" {
		return nil, refuse(http.StatusBadRequest, "no file in the field \"run\" (curl -F run=@FILE)")
	}
	ok = true
	return up, nil
}

var errUploadTooLarge = errors.New("upload too large")

func bodyError(err error, maxBytes int64) *Outcome {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return refuse(http.StatusRequestEntityTooLarge, "the request is larger than the limit of %s bytes for a run", validate.Commas(maxBytes))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart") {
		return refuse(http.StatusBadRequest, "the multipart body is malformed or cut short: %v", err)
	}
	return refuse(http.StatusInternalServerError, "reading the request: %v", err)
}

// stage copies one uploaded file into uploads/ under a fresh name.
func (s *Server) stage(r io.Reader, maxBytes int64) (string, int64, error) {
	f, err := os.CreateTemp(filepath.Join(s.dir, uploadsDir), uploadPrefix+"*")
	if err != nil {
		return "", 0, err
	}
	n, err := io.Copy(f, io.LimitReader(r, maxBytes+1))
	if err == nil && n > maxBytes {
		err = errUploadTooLarge
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", 0, err
	}
	return f.Name(), n, nil
}

// choosePhase picks the phase a submission goes to: the one named, or the
// one open now.
func (s *Server) choosePhase(name string, now time.Time) (*Phase, *Outcome) {
	if name != "" {
		p := s.opt.Phases.Lookup(name)
		if p == nil {
			return nil, refuse(http.StatusNotFound, "no phase %s (phases: %s)", safetext.Name(name), strings.Join(s.phaseNames(), ", "))
		}
		return p, nil
	}
	open := s.opt.Phases.Open(now)
	switch len(open) {
	case 1:
		return open[0], nil
	case 0:
		return nil, s.closedMessage(now)
	default:
		var names []string
		for _, p := range open {
			names = append(names, p.Name)
		}
		return nil, refuse(http.StatusBadRequest, "several phases are open (%s): name one with the field phase", strings.Join(names, ", "))
	}
}

func (s *Server) phaseNames() []string {
	var out []string
	for _, p := range s.opt.Phases.Phases {
		out = append(out, p.Name)
	}
	return out
}

// closedMessage refuses a submission when no phase is open, naming the
// last closing time and the next opening.
func (s *Server) closedMessage(now time.Time) *Outcome {
	var last, next *Phase
	for i := range s.opt.Phases.Phases {
		p := &s.opt.Phases.Phases[i]
		if !now.Before(p.Closes) && (last == nil || p.Closes.After(last.Closes)) {
			last = p
		}
		if now.Before(p.Opens) && (next == nil || p.Opens.Before(next.Opens)) {
			next = p
		}
	}
	msg := "no phase is open"
	if last != nil {
		msg += fmt.Sprintf("; phase %q closed at %s", last.Name, last.Closes.UTC().Format(time.RFC3339))
	}
	if next != nil {
		msg += fmt.Sprintf("; phase %q opens at %s", next.Name, next.Opens.UTC().Format(time.RFC3339))
	}
	return refuse(http.StatusForbidden, "%s", msg)
}

// checkOpen refuses a submission outside the phase's window.
func checkOpen(p *Phase, now time.Time) *Outcome {
	switch {
	case now.Before(p.Opens):
		return refuse(http.StatusForbidden, "phase %q is not open yet: it opens at %s", p.Name, p.Opens.UTC().Format(time.RFC3339))
	case !now.Before(p.Closes):
		return refuse(http.StatusForbidden, "phase %q closed at %s; late submissions are not accepted", p.Name, p.Closes.UTC().Format(time.RFC3339))
	}
	return nil
}

// submit checks and stores an upload of team; the caller has checked the
// token (and, in the browser, the CSRF token).
func (s *Server) submit(team string, up *upload, p *Phase) *Outcome {
	now := s.now()
	if o := checkOpen(p, now); o != nil {
		return o
	}
	if ok, wait := s.teamLimits.allow(team, now); !ok {
		o := refuse(http.StatusTooManyRequests, "team %q is submitting too fast; try again in %s", team, wait.Round(time.Second))
		o.Phase, o.Team = p.Name, team
		return o
	}
	mu := s.teamLock(p.Name, team)
	mu.Lock()
	defer mu.Unlock()
	if o := s.checkQuota(team, p, now); o != nil {
		return o
	}
	store, err := intake.Open(s.phaseStore(p))
	if err != nil {
		return s.internal("opening the store", err)
	}
	store.Now = s.now
	res, err := store.Submit(s.opt.Validators[p.Name], intake.Submission{
		Path: up.file, Name: filepath.Base(up.name), Team: team, Replace: up.replace, MaxRuns: p.MaxRuns,
	})
	if err != nil {
		return s.internal("storing a run", err)
	}
	o := &Outcome{Accepted: res.Accepted, Phase: p.Name, Team: team, Message: res.Reason, report: res.Report}
	for _, n := range res.Notes {
		s.log.Info("store repaired", "phase", p.Name, "note", n)
	}
	if res.Report != nil {
		var buf bytes.Buffer
		if err := validate.WriteJSON(&buf, []*validate.Report{res.Report}); err != nil {
			return s.internal("writing the report", err)
		}
		o.Report = json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n"))
		o.Tag = res.Report.Tag
	} else {
		o.Report = json.RawMessage("null")
	}
	switch {
	case res.Accepted:
		e := res.Entry
		o.status, o.Version, o.SHA256, o.NormalisedSHA256, o.Tag = http.StatusCreated, e.Version, e.Original.SHA256, e.Normalised.SHA256, e.Tag
		o.Message = fmt.Sprintf("run %q of team %q stored in phase %q as version %d", e.Tag, team, p.Name, e.Version)
		s.boards.invalidate(p.Name)
	case res.Report == nil || !res.Report.Valid():
		o.status = http.StatusUnprocessableEntity
	default:
		o.status = s.refusalStatus(team, p, res.Report.Tag)
		if o.status == http.StatusConflict {
			// The store's message names the command line's --replace.
			o.Message += "; on this site: the field replace=1 (in the browser, the Replace box)"
		}
	}
	return o
}

// refusalStatus tells apart the store's refusals of a valid run: the tag
// is taken (409), the team's run tags are at the phase's max_runs (429),
// or the tag cannot be a file name in the store (422).
func (s *Server) refusalStatus(team string, p *Phase, tag string) int {
	runs, err := intake.ListRuns(s.phaseStore(p))
	if err != nil {
		return http.StatusInternalServerError
	}
	tags := 0
	for _, r := range runs {
		if r.Task != p.Task || r.Team != team {
			continue
		}
		if r.Tag == tag {
			return http.StatusConflict
		}
		tags++
	}
	if p.MaxRuns > 0 && tags >= p.MaxRuns {
		return http.StatusTooManyRequests
	}
	return http.StatusUnprocessableEntity
}

// checkQuota refuses a submission past the phase's limits per day (UTC)
// and in total; every accepted version counts.
func (s *Server) checkQuota(team string, p *Phase, now time.Time) *Outcome {
	if p.PerDay == 0 && p.Total == 0 {
		return nil
	}
	hist, err := intake.History(s.phaseStore(p))
	if err != nil {
		return s.internal("reading the manifest", err)
	}
	day := now.UTC().Truncate(24 * time.Hour)
	total, today := 0, 0
	for _, e := range hist {
		if e.Team != team || e.Task != p.Task {
			continue
		}
		total++
		if !e.Time.Before(day) {
			today++
		}
	}
	switch {
	case p.Total > 0 && total >= p.Total:
		return refuse(http.StatusTooManyRequests, "team %q has made %d submissions to phase %q, the limit", team, total, p.Name)
	case p.PerDay > 0 && today >= p.PerDay:
		return refuse(http.StatusTooManyRequests, "team %q has made %d submissions to phase %q today, the limit per day; the next is accepted from %s",
			team, today, p.Name, day.Add(24*time.Hour).Format(time.RFC3339))
	}
	return nil
}

func (s *Server) internal(what string, err error) *Outcome {
	s.log.Error(what, "error", err.Error())
	return refuse(http.StatusInternalServerError, "the server failed while %s; the organizers can see the error in the server's log", what)
}

// teamHistory lists a team's submissions in every phase, newest first.
func (s *Server) teamHistory(team string) ([]historyRow, error) {
	var rows []historyRow
	for i := range s.opt.Phases.Phases {
		p := &s.opt.Phases.Phases[i]
		hist, err := intake.History(s.phaseStore(p))
		if err != nil {
			return nil, err
		}
		current := map[string]int{}
		for _, e := range hist {
			if e.Team == team {
				current[e.Task+"/"+e.Tag] = e.Version
			}
		}
		for _, e := range hist {
			if e.Team != team {
				continue
			}
			rows = append(rows, historyRow{Phase: p, Entry: e, Current: current[e.Task+"/"+e.Tag] == e.Version})
		}
	}
	slices.SortStableFunc(rows, func(a, b historyRow) int { return b.Entry.Time.Compare(a.Entry.Time) })
	return rows, nil
}

type historyRow struct {
	Phase   *Phase
	Entry   intake.Entry
	Current bool
	// Score is the mean of the board's first measure for a current run
	// of a phase whose scores are shown; "" otherwise.
	Score string
}

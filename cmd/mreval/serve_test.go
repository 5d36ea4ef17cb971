package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/internal/browsertest"
	"github.com/ntcir-pmr/mreval/internal/serve"
	"github.com/ntcir-pmr/mreval/internal/thorough"
)

// TestServeProcess runs the built mreval binary as a server on loopback:
// the demo, a load test with a SIGKILL in the middle, and a browser
// session, all three on mrevalBinary.
func TestServeProcess(t *testing.T) {
	bin := mrevalBinary(t)

	// In parallel: the load test waits on the store's fsyncs, the others
	// on the CPU.
	t.Run("demo", func(t *testing.T) { t.Parallel(); testServeDemo(t, bin) })
	t.Run("load-and-kill", func(t *testing.T) { t.Parallel(); testServeLoadAndKill(t, bin) })
	t.Run("browser", func(t *testing.T) {
		thorough.Skip(t, "the browser session (chromium's start-up would take a third of the budget)")
		t.Parallel()
		testServeBrowser(t, bin)
	})
}

// serverProcess is a running `mreval serve`.
type serverProcess struct {
	cmd    *exec.Cmd
	lines  map[string]string // url, token, admin-token, store
	stderr *bytes.Buffer
	done   chan error
}

// startServer starts the binary with args and waits for its "store:"
// line (printed once it listens).
func startServer(t *testing.T, bin string, args ...string) *serverProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	p := &serverProcess{cmd: cmd, lines: map[string]string{}, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = &lockedWriter{w: p.stderr}
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		require.True(t, ok, sc.Text())
		p.lines[k] = v
		if k == "store" {
			break
		}
	}
	go func() {
		io.Copy(io.Discard, stdout)
		p.done <- cmd.Wait()
	}()
	require.NotEmpty(t, p.lines["url"], "stderr: %s", p.stderr)
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// stop sends SIGTERM and returns the exit error.
func (p *serverProcess) stop(t *testing.T) error {
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-p.done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop within 30 s of SIGTERM")
		return nil
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

type uploadAnswer struct {
	Accepted bool            `json:"accepted"`
	Version  int             `json:"version"`
	SHA256   string          `json:"sha256"`
	Tag      string          `json:"tag"`
	Message  string          `json:"message"`
	Report   json.RawMessage `json:"report"`
}

// postRun uploads a run as curl -F run=@name would.
func postRun(client *http.Client, url, token, name string, content []byte, fields ...string) (int, *uploadAnswer, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	fw, _ := w.CreateFormFile("run", name)
	fw.Write(content)
	w.Close()
	req, err := http.NewRequest("POST", url+"/api/submissions", &buf)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var a uploadAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return resp.StatusCode, nil, err
	}
	return resp.StatusCode, &a, nil
}

func testServeDemo(t *testing.T, bin string) {
	p := startServer(t, bin, "--demo", "--addr", "127.0.0.1:0")
	url, token, store := p.lines["url"], p.lines["token"], p.lines["store"]
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, url)
	assert.Regexp(t, `^mrt_[A-Za-z0-9_-]{43}$`, token)
	assert.Regexp(t, `^mra_[A-Za-z0-9_-]{43}$`, p.lines["admin-token"])

	resp, err := http.Get(url + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	run, err := os.ReadFile("../../runs/recycling/prior.run")
	require.NoError(t, err)
	code, a, err := postRun(http.DefaultClient, url, token, "prior.run", run)
	require.NoError(t, err)
	require.Equal(t, 201, code, a.Message)
	sum := sha256.Sum256(run)
	assert.Equal(t, uploadAnswer{Accepted: true, Version: 1, SHA256: hex.EncodeToString(sum[:]), Tag: "prior",
		Message: `run "prior" of team "demo" stored in phase "dry-run" as version 1`}, uploadAnswer{a.Accepted, a.Version, a.SHA256, a.Tag, a.Message, nil})
	// The report is validate's JSON: valid, 12 of 12 test topics.
	var rep struct {
		Valid bool `json:"valid"`
		Files []struct {
			Topics  int    `json:"topics"`
			Summary string `json:"summary"`
		} `json:"files"`
	}
	require.NoError(t, json.Unmarshal(a.Report, &rep))
	assert.True(t, rep.Valid)
	assert.Equal(t, "prior.run: valid (Subtask A; run tag \"prior\"; 12 of 12 topics; 15,192 run lines)", rep.Files[0].Summary)

	// The demo's phase allows at least 10 runs per team per day.
	phases, err := serve.LoadPhases(store, true)
	require.NoError(t, err)
	require.Len(t, phases.Phases, 1)
	assert.Equal(t, []any{"dry-run", "test", 20, true}, []any{phases.Phases[0].Name, phases.Phases[0].Split, phases.Phases[0].PerDay, phases.Phases[0].IsOpen(time.Now())})

	// The board is the leaderboard command's, byte for byte.
	resp, err = http.Get(url + "/api/leaderboard")
	require.NoError(t, err)
	board, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode, "%s", board)
	var want, errb bytes.Buffer
	status := run_(t, []string{"mreval", "leaderboard", "--store", filepath.Join(store, "runs", "dry-run"), "--task", "A",
		"--topics", filepath.Join(store, "topics", "dry-run.topics"), "--format", "json", "--collection", "recycling", "--base-names"}, &want, &errb)
	require.Equal(t, 0, status, errb.String())
	assert.Equal(t, want.String(), string(board))
	assert.Contains(t, string(board), `"run": "demo/prior"`)
	assert.NotContains(t, string(board), store, "the public board names no server path")

	require.NoError(t, p.stop(t))
	_, err = os.Stat(store)
	assert.ErrorIs(t, err, os.ErrNotExist, "the demo's temporary store is removed at exit")
	assert.Contains(t, p.stderr.String(), `"msg":"stopped"`)
	assert.NotContains(t, p.stderr.String(), token)
}

// run_ is run with the test's name in failures.
func run_(t *testing.T, args []string, stdout, stderr io.Writer) int {
	t.Helper()
	return run(args, stdout, stderr)
}

// The load test's collection: 3 topics, 5 documents.
func writeTinyCollection(t *testing.T, dir string) {
	files := map[string]string{
		"pool.txt":   "d1\nd2\nd3\nd4\nd5\n",
		"topics.txt": "q1\nq2\nq3\n",
		"qrels.txt":  "q1 0 d1 2\nq1 0 d2 1\nq2 0 d3 1\nq3 0 d5 2\nq3 0 d4 0\n",
	}
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
}

func tinyRun(tag string, seed int) []byte {
	var b bytes.Buffer
	for _, q := range []string{"q1", "q2", "q3"} {
		for i, d := range []string{"d1", "d2", "d3", "d4", "d5"} {
			fmt.Fprintf(&b, "%s Q0 %s %d %d %s\n", q, d, i+1, 100-i*10+seed%7, tag)
		}
	}
	return b.Bytes()
}

// serveLoadUploads is the number of uploads of the load test: 20 in the
// everyday suite (still 20 clients, a SIGKILL and a restart), 500 (the
// issue's figure) with MREVAL_THOROUGH=1, or MREVAL_SERVE_LOAD_UPLOADS (a
// multiple of 20).
func serveLoadUploads(t *testing.T) int {
	n := 20
	if thorough.Enabled() {
		n = 500
	}
	if v := os.Getenv("MREVAL_SERVE_LOAD_UPLOADS"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err, "MREVAL_SERVE_LOAD_UPLOADS")
		require.True(t, n >= 20 && n%20 == 0, "MREVAL_SERVE_LOAD_UPLOADS must be a positive multiple of 20")
	}
	return n
}

// testServeLoadAndKill: 20 clients upload serveLoadUploads runs (one team
// each); when half are accepted the server is killed with SIGKILL and
// restarted on the same address. Afterwards every upload answered
// "accepted" is in the store, with its version and checksum, and verify
// is clean.
func testServeLoadAndKill(t *testing.T, bin string) {
	const clients = 20
	perClient := serveLoadUploads(t) / clients
	dir := t.TempDir()
	writeTinyCollection(t, dir)
	store := filepath.Join(dir, "store")
	require.NoError(t, os.MkdirAll(store, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(store, "phases.json"), []byte(`{"phases": [
 {"name": "load", "topics_file": "../topics.txt", "opens": "2020-01-01T00:00:00Z", "closes": "2100-01-01T00:00:00Z", "scores": "hidden"}]}`), 0o644))
	tokens := make([]string, clients)
	for i := range clients {
		var out, errb bytes.Buffer
		require.Equal(t, 0, run([]string{"mreval", "serve", "team", "add", "--store", store, fmt.Sprintf("t%02d", i)}, &out, &errb), errb.String())
		_, tok, ok := strings.Cut(strings.Split(out.String(), "\n")[1], "token: ")
		require.True(t, ok, out.String())
		tokens[i] = tok
	}
	args := []string{"--store", store, "--pool", filepath.Join(dir, "pool.txt"), "--topics", filepath.Join(dir, "topics.txt"),
		"--qrels", filepath.Join(dir, "qrels.txt"), "--address-rate", "0", "--team-rate", "0", "--shutdown-timeout", "20s"}
	p := startServer(t, bin, append(args, "--addr", "127.0.0.1:0")...)
	url := p.lines["url"]
	addr := strings.TrimPrefix(url, "http://")

	type accepted struct {
		team, tag, sha string
		version        int
	}
	var (
		mu          sync.Mutex
		stored      []accepted
		latencies   []time.Duration
		conflicts   int          // 409 after a lost answer: the run was stored before the kill
		lostAnswers atomic.Int64 // requests the kill cut off (or refused until the restart)
		nAccepted   atomic.Int64
		killOnce    sync.Once
		restarted   = make(chan struct{})
	)
	// The kill: once half the runs are in, SIGKILL, wait, restart.
	killer := func() {
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
		<-p.done
		p = startServer(t, bin, append(args, "--addr", addr)...)
		close(restarted)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			team := fmt.Sprintf("t%02d", c)
			for k := range perClient {
				tag := fmt.Sprintf("r%02d", k)
				content := tinyRun(tag, c*perClient+k)
				lost := false
				for attempt := 0; ; attempt++ {
					if attempt == 400 { // 400 × 25 ms: the restart takes far less
						errs <- fmt.Errorf("%s/%s: no answer after %d attempts", team, tag, attempt)
						return
					}
					t0 := time.Now()
					code, a, err := postRun(client, url, tokens[c], tag+".run", content)
					if err != nil || code == 0 {
						lost = true
						lostAnswers.Add(1)
						time.Sleep(25 * time.Millisecond)
						continue
					}
					mu.Lock()
					switch {
					case code == 201:
						latencies = append(latencies, time.Since(t0))
						sum := sha256.Sum256(content)
						if a.SHA256 != hex.EncodeToString(sum[:]) {
							errs <- fmt.Errorf("%s/%s: sha256 %s", team, tag, a.SHA256)
						}
						stored = append(stored, accepted{team, tag, a.SHA256, a.Version})
					case code == 409 && lost:
						conflicts++
					default:
						errs <- fmt.Errorf("%s/%s: status %d: %s", team, tag, code, a.Message)
					}
					mu.Unlock()
					if code == 201 && nAccepted.Add(1) == int64(clients*perClient/2) {
						killOnce.Do(func() { go killer() })
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	select {
	case <-restarted:
	case <-time.After(30 * time.Second):
		t.Fatal("the server was not restarted")
	}
	require.NoError(t, p.stop(t), "stderr: %s", p.stderr)

	assert.Positive(t, lostAnswers.Load(), "the kill cut off uploads in flight")
	assert.Equal(t, clients*perClient, len(stored)+conflicts, "every upload was answered accepted (or, after a lost answer, already stored)")
	hist, err := intake.History(filepath.Join(store, "runs", "load"))
	require.NoError(t, err)
	byKey := map[string]intake.Entry{}
	for _, e := range hist {
		byKey[e.Team+"/"+e.Tag] = e
	}
	assert.Len(t, hist, clients*perClient, "one version per run: nothing stored twice, nothing lost")
	for _, s := range stored {
		e, ok := byKey[s.team+"/"+s.tag]
		if assert.True(t, ok, "%s/%s was answered accepted but is not in the store", s.team, s.tag) {
			assert.Equal(t, []any{s.version, s.sha}, []any{e.Version, e.Original.SHA256})
		}
	}
	// Verify is clean: complete but uncommitted version files that a
	// SIGKILL between linking and committing leaves are set aside in
	// .uncommitted/ by the next intake after the restart
	// (docs/organizers.md).
	v, err := intake.Verify(filepath.Join(store, "runs", "load"), false)
	require.NoError(t, err)
	assert.Empty(t, v.Findings)
	assert.Equal(t, clients*perClient, v.Versions)

	slices.Sort(latencies)
	pct := func(q float64) time.Duration { return latencies[int(q*float64(len(latencies)-1))] }
	t.Logf("load: %d uploads by %d clients in %v (%.0f/s, including a SIGKILL and restart); p50 %v, p99 %v; %d requests cut off by the kill, %d of them stored before it",
		clients*perClient, clients, elapsed.Round(time.Millisecond), float64(clients*perClient)/elapsed.Seconds(),
		pct(0.5).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), lostAnswers.Load(), conflicts)
}

// chromiumPath finds chromium; without it the browser test is skipped,
// unless CI=true (as eval/report's browser test).
func chromiumPath(t *testing.T) string {
	t.Helper()
	return browsertest.Chromium(t, "the submission site")
}

// testServeBrowser signs in to the demo with its token, uploads a broken
// run and reads its file:line errors, uploads a valid run and finds it on
// the board.
func testServeBrowser(t *testing.T, bin string) {
	browser := chromiumPath(t)
	p := startServer(t, bin, "--demo", "--addr", "127.0.0.1:0")
	url, token := p.lines["url"], p.lines["token"]

	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.run")
	require.NoError(t, os.WriteFile(broken, []byte("ag_news Q0 MoritzLaurer/DeBERTa-v3-base-mnli 1 9 mine\nag_news Q0 no/such-model 2 x mine\n"), 0o644))
	valid, err := filepath.Abs("../../runs/recycling/prior.run")
	require.NoError(t, err)

	parent, cancelParent := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancelParent)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.Env("TMPDIR="+t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelCtx)

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string {
		v, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		require.NoError(t, err, sel)
		return v
	}
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(css(`#signin input[name="token"]`)),
		chromedp.SendKeys(css(`#signin input[name="token"]`), token),
		chromedp.Submit(css(`#signin`)),
		chromedp.WaitVisible(css(`#upload`)),
	))
	assert.Equal(t, "Signed in as team demo", text(`#who`))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetUploadFiles(css(`#upload input[name="run"]`), []string{broken}),
		chromedp.Submit(css(`#upload`)),
		chromedp.WaitVisible(css(`#report`)),
	))
	assert.Contains(t, text(`#verdict`), "Refused: the run is invalid")
	report := text(`#report`)
	assert.Contains(t, report, `broken.run:2:`)
	assert.Contains(t, report, `"no/such-model"`)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(css(`#upload`)),
		chromedp.SetUploadFiles(css(`#upload input[name="run"]`), []string{valid}),
		chromedp.Submit(css(`#upload`)),
		chromedp.WaitVisible(css(`#verdict`)),
	))
	assert.Equal(t, `Accepted: run "prior" of team "demo" stored in phase "dry-run" as version 1`, text(`#verdict`))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(url+"/leaderboard?phase=dry-run"),
		chromedp.WaitVisible(css(`#leaderboard-table tbody tr`)),
	))
	assert.Contains(t, text(`#leaderboard-table tbody`), "demo/prior")
	if err := p.stop(t); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("stop: %v; stderr: %s", err, p.stderr)
	}
}

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ntcir-pmr/mreval/internal/testtree"
	"github.com/ntcir-pmr/mreval/internal/thorough"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hostile-input corpus (testdata/hostile, see its README.md): every case
// runs the real mreval binary as a subprocess and must end in bounded time
// and memory with the exit status it expects and a message naming the file
// (and line) and what is wrong — never a panic, a hang or a raw escape
// sequence on the terminal.

const (
	hostileDir = moduleRoot + "/testdata/hostile"
	// hostileTimeout ends a case that hangs; real cases take well under a second.
	hostileTimeout = 15 * time.Second
	// hostileMaxRSS is the peak resident memory any case may reach.
	hostileMaxRSS = 1 << 30
	// hostileVirtualLimit (KiB) caps the child's address space so that a
	// runaway allocation dies at once rather than swapping a shared machine;
	// the Go runtime alone reserves about 1.2 GiB of address space.
	hostileVirtualLimit = 3 << 20
	// hostileMaxStderr bounds an error report: a message, not a dump.
	hostileMaxStderr = 256 << 10
	// hostileParallel cases run at a time.
	hostileParallel = 2
)

// knownBroken lists the cases that still fail on main, with the symptom
// seen; each entry is deleted by the fix that makes its case pass (the
// harness fails a listed case that passes, so that the list cannot go stale).
var knownBroken = map[string]string{}

// hostileCase is one hostile invocation of mreval.
type hostileCase struct {
	name string
	// exits are the accepted exit statuses: 1 = bad input data or a failed
	// check, 2 = bad invocation (including unreadable --qrels/--pool/--topics
	// of validate and intake); 0 only for a resource case whose input is
	// valid, where finishing in bounded time and memory is the point.
	exits []int
	// stderr must match when the exit status is not 0.
	stderr *regexp.Regexp
	// args follow the program name; {H} is the corpus directory.
	args []string
	// setup makes inputs at run time (symlinks, names git cannot hold, large
	// files) in the case's work directory; it may run mreval through run.
	setup func(t *testing.T, h *hostileEnv, dir string)
	// check asserts what must still hold after the run (nothing deleted or
	// written outside the work directory, a store that verifies).
	check func(t *testing.T, h *hostileEnv, dir string)
	// slow cases (seconds: a million-line input made and read) are left
	// out by go test -short.
	slow bool
}

// hostileEnv is shared by the cases: the binary and the collections.
type hostileEnv struct {
	bin     string
	corpus  string // absolute testdata/hostile
	shared  string // one copy of qrels/ and runs/, hard-linked into each case
	big     string // large inputs made once (shareBig), apart from shared: linkCollections walks that while other cases make these
	sem     chan struct{}
	timeout time.Duration
	bigMu   sync.Mutex // guards the making of shared large inputs
}

// hostileResult is what one run of mreval did.
type hostileResult struct {
	status         int
	stdout, stderr []byte
	maxRSS         int64 // bytes
	elapsed        time.Duration
	timedOut       bool
}

func TestHostileInputs(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the corpus measures peak memory with Linux rusage and limits it with ulimit")
	}
	corpus, err := filepath.Abs(hostileDir)
	require.NoError(t, err)
	cases := append(readHostileManifest(t, filepath.Join(corpus, "cases.tsv")), generatedHostileCases()...)
	seen := map[string]bool{}
	for _, c := range cases {
		require.False(t, seen[c.name], "case %s is defined twice", c.name)
		seen[c.name] = true
	}
	for name := range knownBroken {
		require.True(t, seen[name], "knownBroken names %s, which is no case", name)
	}
	env := &hostileEnv{
		bin:     mrevalBinary(t),
		corpus:  corpus,
		shared:  testtree.CopyCollections(t, moduleRoot),
		big:     t.TempDir(),
		sem:     make(chan struct{}, hostileParallel),
		timeout: hostileTimeout,
	}
	report := newHostileReport()
	t.Cleanup(func() { report.write(t) })
	before := snapshotTree(t, corpus)
	t.Cleanup(func() {
		require.Equal(t, before, snapshotTree(t, corpus), "a case changed the corpus directory")
	})
	sample := everydaySample(cases)
	t.Run("case", func(t *testing.T) {
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if c.slow && testing.Short() {
					t.Skip("slow: a million-line input (run without -short)")
				}
				if !sample[i] {
					thorough.Skip(t, "a case outside the everyday sample")
				}
				t.Parallel()
				env.sem <- struct{}{}
				defer func() { <-env.sem }()
				reported := false
				defer func() {
					if !reported {
						report.add(c.name, []string{"harness: setup or check failed (see the test log)"}, hostileResult{})
					}
				}()
				problems, res := env.runCase(t, c)
				report.add(c.name, problems, res)
				reported = true
				broken, isBroken := knownBroken[c.name]
				switch {
				case len(problems) == 0 && isBroken:
					t.Errorf("passes now: delete it from knownBroken (was: %s)", broken)
				case len(problems) == 0:
				case isBroken:
					t.Skipf("known broken (%s): %s", broken, strings.Join(problems, "; "))
				default:
					t.Errorf("mreval %s:\n  %s\nstderr: %s", strings.Join(c.args, " "),
						strings.Join(problems, "\n  "), clipOutput(res.stderr))
				}
			})
		}
	})
}

// everydaySample picks the cases `go test ./...` runs: the first case of
// each reader (the part of a case's name before its first '-': run, qrels,
// npy, store, …) that is not slow, and every known-broken case (so that
// list cannot go stale). A subprocess per case costs about 0.1 s of CPU,
// and the whole corpus would take most of the suite's 30-second budget on
// two cores; with MREVAL_THOROUGH=1 (.ci/run) every case runs.
func everydaySample(cases []hostileCase) []bool {
	sample := make([]bool, len(cases))
	readers := map[string]bool{}
	for i, c := range cases {
		reader, _, _ := strings.Cut(c.name, "-")
		_, broken := knownBroken[c.name]
		sample[i] = broken || (!c.slow && !readers[reader])
		readers[reader] = readers[reader] || !c.slow
	}
	return sample
}

// mrevalBinary is the mreval the subprocess tests run: this test binary
// through a symlink named mreval (TestMain then runs main's code, so
// nothing is built twice), or the binary named by MREVAL_HOSTILE_BIN (to
// run them against another build).
func mrevalBinary(t *testing.T) string {
	if bin := os.Getenv("MREVAL_HOSTILE_BIN"); bin != "" {
		return bin
	}
	self, err := os.Executable()
	require.NoError(t, err)
	bin := filepath.Join(t.TempDir(), "mreval")
	require.NoError(t, os.Symlink(self, bin))
	return bin
}

// runCase runs c in a fresh work directory and returns what is wrong.
func (h *hostileEnv) runCase(t *testing.T, c hostileCase) ([]string, hostileResult) {
	// The work directory sits alone in a parent, so that anything written
	// next to it (a path escaping the work directory) is seen.
	parent := t.TempDir()
	dir := filepath.Join(parent, "work")
	require.NoError(t, os.Mkdir(dir, 0o755))
	if slices.ContainsFunc(c.args, func(a string) bool {
		return strings.HasPrefix(a, "qrels/") || strings.HasPrefix(a, "runs/")
	}) {
		h.linkCollections(t, dir)
	}
	if c.setup != nil {
		c.setup(t, h, dir)
	}
	args := make([]string, len(c.args))
	for i, a := range c.args {
		if strings.Contains(a, "{S}") && !slices.ContainsFunc(c.args[:i], func(a string) bool { return strings.Contains(a, "{S}") }) {
			// Store cases may write (a lock, a repair): they get a copy.
			require.NoError(t, os.CopyFS(filepath.Join(dir, "corpus-store"), os.DirFS(filepath.Join(h.corpus, "store"))))
		}
		a = strings.ReplaceAll(a, "{S}", filepath.Join(dir, "corpus-store"))
		args[i] = strings.ReplaceAll(a, "{H}", h.corpus)
	}
	res := h.run(t, dir, args...)
	problems := res.problems(c)
	if entries, err := os.ReadDir(parent); err == nil && len(entries) != 1 {
		var names []string
		for _, e := range entries {
			if e.Name() != "work" {
				names = append(names, strconv.Quote(e.Name()))
			}
		}
		problems = append(problems, "wrote outside its work directory: "+strings.Join(names, ", "))
	}
	if c.check != nil {
		c.check(t, h, dir)
		if t.Failed() {
			problems = append(problems, "post-condition broken (files outside the store changed, bytes lost, …): see the log")
		}
	}
	return problems, res
}

// problems lists how res breaks the rules every case shares and c's own.
func (res hostileResult) problems(c hostileCase) []string {
	var p []string
	switch {
	case res.timedOut:
		p = append(p, fmt.Sprintf("hang: killed after %v", res.elapsed.Round(time.Millisecond)))
	case !slices.Contains(c.exits, res.status):
		p = append(p, fmt.Sprintf("exit status %d, want one of %v", res.status, c.exits))
	}
	if res.maxRSS >= hostileMaxRSS {
		p = append(p, fmt.Sprintf("peak memory %d MiB ≥ 1 GiB", res.maxRSS>>20))
	}
	for _, crash := range []string{"panic:", "goroutine ", "fatal error", "internal error", "out of memory"} {
		if bytes.Contains(res.stderr, []byte(crash)) {
			p = append(p, fmt.Sprintf("crash: stderr contains %q", crash))
			break
		}
	}
	if len(res.stderr) > hostileMaxStderr {
		p = append(p, fmt.Sprintf("%d KiB on stderr: a message, not a dump", len(res.stderr)>>10))
	}
	if i := bytes.IndexFunc(res.stderr, isTerminalControl); i >= 0 {
		p = append(p, fmt.Sprintf("raw control character %q at stderr byte %d (names must be quoted)", res.stderr[i], i))
	}
	if bytes.IndexByte(res.stdout, 0x1b) >= 0 {
		p = append(p, "raw escape character on stdout")
	}
	// validate and intake report problems on standard output, by design.
	if res.status != 0 && !res.timedOut && !c.stderr.Match(res.stderr) && !c.stderr.Match(res.stdout) {
		p = append(p, fmt.Sprintf("stderr does not match %q", c.stderr))
	}
	return p
}

// isTerminalControl reports a control character that a terminal acts on
// (tab and newline are ordinary layout).
func isTerminalControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0)
}

// run executes mreval with args in dir under the time and memory limits.
func (h *hostileEnv) run(t *testing.T, dir string, args ...string) hostileResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), h.timeout)
	defer cancel()
	script := fmt.Sprintf(`ulimit -v %d && exec "$0" "$@"`, hostileVirtualLimit)
	cmd := exec.CommandContext(ctx, "/bin/sh", append([]string{"-c", script, h.bin}, args...)...)
	cmd.Dir = dir
	cmd.Stdin = nil
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	res := hostileResult{stdout: out.Bytes(), stderr: errOut.Bytes(), elapsed: time.Since(start)}
	res.timedOut = ctx.Err() != nil
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.status = ee.ExitCode()
	case res.timedOut:
	default:
		t.Fatalf("cannot run mreval: %v", err)
	}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.maxRSS = int64(ru.Maxrss) << 10 // KiB on Linux
		}
	}
	return res
}

// mustRun runs mreval for a case's setup and requires exit status 0.
func (h *hostileEnv) mustRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	res := h.run(t, dir, args...)
	require.Equal(t, 0, res.status, "setup: mreval %s: %s", strings.Join(args, " "), res.stderr)
}

// linkCollections fills dir with hard links to the shared copy of qrels/
// and runs/ (mreval replaces files by rename, so a case cannot alter the
// shared copy through a link).
func (h *hostileEnv) linkCollections(t *testing.T, dir string) {
	if _, err := os.Stat(filepath.Join(dir, "qrels")); err == nil {
		return // linked already
	}
	err := filepath.WalkDir(h.shared, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(h.shared, p)
		if err != nil || rel == "." {
			return err
		}
		dst := filepath.Join(dir, rel)
		if e.IsDir() {
			return os.Mkdir(dst, 0o755)
		}
		return os.Link(p, dst)
	})
	require.NoError(t, err)
}

// readHostileManifest reads cases.tsv: name, accepted exit statuses
// (comma-separated), a regexp stderr must match, and the arguments of
// mreval, split at white space outside single quotes. '#' starts a comment line.
func readHostileManifest(t *testing.T, path string) []hostileCase {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var cases []hostileCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		require.Len(t, fields, 4, "%s:%d: want name, exits, stderr regexp, arguments", path, n)
		var exits []int
		for _, e := range strings.Split(fields[1], ",") {
			status, err := strconv.Atoi(e)
			require.NoError(t, err, "%s:%d: exit status", path, n)
			exits = append(exits, status)
		}
		re, err := regexp.Compile(fields[2])
		require.NoError(t, err, "%s:%d: stderr regexp", path, n)
		args, err := splitHostileArgs(fields[3])
		require.NoError(t, err, "%s:%d", path, n)
		cases = append(cases, hostileCase{name: fields[0], exits: exits, stderr: re, args: args})
	}
	require.NoError(t, sc.Err())
	return cases
}

// splitHostileArgs splits s at spaces; '...' quotes literally (spaces kept),
// and \xHH inside quotes is the byte HH, for arguments with control bytes.
func splitHostileArgs(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quoted && ch == '\'':
			quoted = false
		case quoted && ch == '\\' && i+3 < len(s) && s[i+1] == 'x':
			b, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("bad escape %q", s[i:i+4])
			}
			cur.WriteByte(byte(b))
			i += 3
		case quoted:
			cur.WriteByte(ch)
		case ch == '\'':
			quoted, inWord = true, true
		case ch == ' ':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	if quoted {
		return nil, errors.New("unterminated quote")
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
}

// snapshotTree lists every path under root with its size and mode.
func snapshotTree(t *testing.T, root string) []string {
	var out []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("%s %d %v %d", p, info.Size(), info.Mode(), info.ModTime().UnixNano()))
		return nil
	})
	require.NoError(t, err)
	return out
}

func clipOutput(b []byte) string {
	const max = 600
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "…"
	}
	return strconv.Quote(string(b))
}

// hostileReport collects one line per case; with MREVAL_HOSTILE_REPORT set,
// it is written to that file (the status list of failing cases).
type hostileReport struct {
	mu    sync.Mutex
	lines map[string]string
}

func newHostileReport() *hostileReport { return &hostileReport{lines: map[string]string{}} }

func (r *hostileReport) add(name string, problems []string, res hostileResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	status := "ok"
	if len(problems) > 0 {
		status = "FAIL " + strings.Join(problems, "; ")
	}
	r.lines[name] = fmt.Sprintf("%s\t%s\t%dms\t%dMiB\texit %d\t%s", name, status, res.elapsed.Milliseconds(),
		res.maxRSS>>20, res.status, clipOutput(firstLine(res.stderr)))
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

func (r *hostileReport) write(t *testing.T) {
	path := os.Getenv("MREVAL_HOSTILE_REPORT")
	if path == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.lines))
	for n := range r.lines {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(r.lines[n] + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Errorf("report: %v", err)
	}
}

// ---------------------------------------------------------------- generated cases

// generatedHostileCases are the cases whose inputs are made at run time:
// names git cannot hold, symlinks and FIFOs planted in a store or a runs
// directory, and inputs too large to commit.
func generatedHostileCases() []hostileCase {
	quotedName := regexp.MustCompile(`evil\\n(\\x1b|\\e|\\033|\\u001b)\[31mFAKE`)
	const evilName = "evil\n\x1b[31mFAKE.run"
	plantEvil := func(t *testing.T, h *hostileEnv, dir string) {
		h.linkCollections(t, dir)
		writeFile(t, filepath.Join(dir, evilName), "ag_news Q0 roberta-base 1 nan x\n")
	}
	cases := []hostileCase{
		// Names are printed quoted: a file name cannot forge an output line
		// or drive the terminal.
		{name: "gen-name-escape-validate", exits: []int{1}, stderr: quotedName, setup: plantEvil,
			args: []string{"validate", "--collection", "recycling", evilName}},
		{name: "gen-name-escape-intake", exits: []int{1}, stderr: quotedName, setup: plantEvil,
			args: []string{"intake", "--store", "store", "--team", "t", "--collection", "recycling", evilName}},
		{name: "gen-name-escape-eval", exits: []int{1}, stderr: quotedName, setup: plantEvil,
			args: []string{"eval", "{H}/base/small.qrels", evilName}},
		{name: "gen-name-escape-fuse", exits: []int{1}, stderr: quotedName, setup: plantEvil,
			args: []string{"fuse", "--method", "borda", "--out", "fused.run", "{H}/base/small.run", evilName}},
		{name: "gen-name-escape-pool", exits: []int{1}, stderr: quotedName, setup: plantEvil,
			args: []string{"pool", "--out", "sheets", evilName}},

		// The submission store never follows a symlink planted in it.
		{name: "gen-store-symlink-staging", exits: []int{0, 1}, stderr: regexp.MustCompile(`\.staging\b`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.storeWithRun(t, dir)
				victim := plantVictim(t, dir, "victim", ".prior.run.tmp-1", "prior.v9.orig", "keep.txt")
				replaceWithSymlink(t, filepath.Join(dir, "store", ".staging"), victim)
			},
			args:  []string{"intake", "--store", "store", "--team", "t", "--replace", "--collection", "recycling", "runs/recycling/prior.run"},
			check: victimIntact("victim")},
		{name: "gen-store-symlink-staging-repair", exits: []int{0, 1}, stderr: regexp.MustCompile(`\.staging\b.*(?i)(symlink|symbolic link|not a directory)`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.storeWithRun(t, dir)
				victim := plantVictim(t, dir, "victim", ".prior.run.tmp-1", ".x.link-1", "keep.txt")
				replaceWithSymlink(t, filepath.Join(dir, "store", ".staging"), victim)
			},
			args:  []string{"intake", "verify", "--store", "store", "--repair"},
			check: victimIntact("victim")},
		{name: "gen-store-symlink-task-dir", exits: []int{1}, stderr: regexp.MustCompile(`\bA\b.*(?i)(symlink|symbolic link|not a directory)`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.storeWithRun(t, dir)
				victim := plantVictim(t, dir, "victim", ".prior.run.tmp-1", ".prior.run.link-1", "keep.txt")
				require.NoError(t, os.Rename(filepath.Join(dir, "store", "A", "t"), filepath.Join(victim, "t")))
				replaceWithSymlink(t, filepath.Join(dir, "store", "A"), victim)
				snapshotVictim(t, dir, "victim")
			},
			args:  []string{"intake", "verify", "--store", "store", "--repair"},
			check: victimIntact("victim")},
		{name: "gen-store-symlink-lock", exits: []int{0, 1}, stderr: regexp.MustCompile(`(?i)\.lock.*(symlink|symbolic)|(symlink|symbolic).*\.lock`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.storeWithRun(t, dir)
				replaceWithSymlink(t, filepath.Join(dir, "store", ".lock"), filepath.Join(dir, "lock-target"))
			},
			args: []string{"intake", "--store", "store", "--team", "t", "--replace", "--collection", "recycling", "runs/recycling/prior.run"},
			check: func(t *testing.T, _ *hostileEnv, dir string) {
				assert.NoFileExists(t, filepath.Join(dir, "lock-target"), "intake created the target of a symlinked .lock")
			}},
		{name: "gen-store-symlink-manifest", exits: []int{0, 1}, stderr: regexp.MustCompile(`(?i)MANIFEST\.jsonl.*(symlink|symbolic)|(symlink|symbolic).*MANIFEST`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.storeWithRun(t, dir)
				victim := plantVictim(t, dir, "victim")
				data, err := os.ReadFile(filepath.Join(dir, "store", "MANIFEST.jsonl"))
				require.NoError(t, err)
				writeFile(t, filepath.Join(victim, "MANIFEST.jsonl"), string(data))
				snapshotVictim(t, dir, "victim")
				replaceWithSymlink(t, filepath.Join(dir, "store", "MANIFEST.jsonl"), filepath.Join(victim, "MANIFEST.jsonl"))
			},
			args:  []string{"intake", "--store", "store", "--team", "t", "--replace", "--collection", "recycling", "runs/recycling/prior.run"},
			check: victimIntact("victim")},
		// Migrating a format-1 store follows no manifest path out of the store.
		{name: "gen-store-v1-migration-traversal", exits: []int{1}, stderr: regexp.MustCompile(`MANIFEST\.jsonl:1\b`),
			setup: func(t *testing.T, _ *hostileEnv, dir string) {
				victim := plantVictim(t, dir, "victim", "a.orig")
				data, err := os.ReadFile(filepath.Join(victim, "a.orig"))
				require.NoError(t, err)
				require.NoError(t, os.Mkdir(filepath.Join(dir, "store"), 0o755))
				sum := fmt.Sprintf("%x", sha256.Sum256(data))
				entry := fmt.Sprintf(`{"time":"2026-01-01T00:00:00Z","task":"A","team":"t","tag":"a","version":1,`+
					`"original_name":"a.run","original":{"path":"../victim/a.orig","size":%d,"sha256":"%s"},`+
					`"normalised":{"path":"../victim/a.orig","size":%d,"sha256":"%s"},`+
					`"validation":{"warnings":0,"lines":1,"run_lines":1,"topics":1,"summary":"a.run: valid"}}`+"\n",
					len(data), sum, len(data), sum)
				writeFile(t, filepath.Join(dir, "store", "MANIFEST.jsonl"), entry)
			},
			args:  []string{"intake", "verify", "--repair", "--store", "store"},
			check: victimIntact("victim")},
		// Version numbers are bounded: the store never reaches a state its
		// own reader refuses.
		{name: "gen-store-version-overflow", exits: []int{0}, stderr: regexp.MustCompile(`.`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.linkCollections(t, dir)
				retag(t, filepath.Join(dir, "runs/recycling/prior.run"), filepath.Join(dir, "x.v9223372036854775807.run"), "x.v9223372036854775807")
				retag(t, filepath.Join(dir, "runs/recycling/prior.run"), filepath.Join(dir, "x.run"), "x")
				for _, f := range []string{"x.v9223372036854775807.run", "x.run"} {
					h.setupRun(t, dir, "intake", "--store", "store", "--team", "t", "--collection", "recycling", f)
				}
			},
			args: []string{"intake", "verify", "--store", "store"}},
		// A run tag that looks like a stored version file cannot overwrite one.
		{name: "gen-store-tag-like-version", exits: []int{0}, stderr: regexp.MustCompile(`.`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.linkCollections(t, dir)
				retag(t, filepath.Join(dir, "runs/recycling/prior.run"), filepath.Join(dir, "a.run"), "a")
				retag(t, filepath.Join(dir, "runs/recycling/random.run"), filepath.Join(dir, "a2.run"), "a")
				retag(t, filepath.Join(dir, "runs/recycling/arch-prior.run"), filepath.Join(dir, "a.v1.run"), "a.v1")
				h.setupRun(t, dir, "intake", "--store", "store", "--team", "t", "--collection", "recycling", "a.run")
				h.setupRun(t, dir, "intake", "--store", "store", "--team", "t", "--replace", "--collection", "recycling", "a2.run")
				h.setupRun(t, dir, "intake", "--store", "store", "--team", "t", "--collection", "recycling", "a.v1.run")
			},
			args: []string{"intake", "verify", "--store", "store"},
			check: func(t *testing.T, _ *hostileEnv, dir string) {
				// Every accepted original is still in the store, byte for byte.
				stored := map[string]bool{}
				require.NoError(t, filepath.WalkDir(filepath.Join(dir, "store"), func(p string, e fs.DirEntry, err error) error {
					if err == nil && e.Type().IsRegular() {
						data, err := os.ReadFile(p)
						require.NoError(t, err)
						stored[string(data)] = true
					}
					return err
				}))
				for _, f := range []string{"a.run", "a2.run", "a.v1.run"} {
					data, err := os.ReadFile(filepath.Join(dir, f))
					require.NoError(t, err)
					assert.True(t, stored[string(data)], "the bytes of %s are gone from the store", f)
				}
			}},
		// leaderboard --store checks what it scores against the manifest.
		{name: "gen-store-tampered-leaderboard", exits: []int{1}, stderr: regexp.MustCompile(`(?i)(sha-?256|checksum|hash|drift|tamper|modified|changed|does not match)`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.storeWithRun(t, dir)
				tamperStoredRuns(t, filepath.Join(dir, "store"))
			},
			args: []string{"leaderboard", "--store", "store", "--no-noise", "--resamples", "10", "--permutations", "10"}},
		// A submission read from a stalled FIFO does not hold the store's
		// lock: another intake goes through meanwhile.
		{name: "gen-store-stalled-fifo", exits: []int{0}, stderr: regexp.MustCompile(`.`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.storeWithRun(t, dir)
				fifo := filepath.Join(dir, "stalled.run")
				require.NoError(t, syscall.Mkfifo(fifo, 0o644))
				h.startBackground(t, dir, "intake", "--store", "store", "--team", "u", "--collection", "recycling", "stalled.run")
			},
			args: []string{"intake", "--store", "store", "--team", "t", "--replace", "--collection", "recycling", "runs/recycling/prior.run"}},

		// A FIFO that nobody writes to: open(2) would wait for ever; the
		// read timeout bounds the open too.
		{name: "gen-fifo-no-writer-eval", exits: []int{1}, stderr: regexp.MustCompile(`nowriter\.run: cannot open: .*FIFO`),
			setup: func(t *testing.T, _ *hostileEnv, dir string) {
				require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "nowriter.run"), 0o644))
			},
			args: []string{"eval", "--read-timeout", "1s", "{H}/base/small.qrels", "nowriter.run"}},
		{name: "gen-fifo-no-writer-validate", exits: []int{1}, stderr: regexp.MustCompile(`nowriter\.run: error: cannot open: .*FIFO`),
			setup: func(t *testing.T, _ *hostileEnv, dir string) {
				require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "nowriter.run"), 0o644))
			},
			args: []string{"validate", "--read-timeout", "1s", "--task", "B", "--collection", "subtask-b-sample", "nowriter.run"}},

		// Directories of runs: what is not a regular file is refused, not opened.
		{name: "gen-runs-dir-fifo", exits: []int{1}, stderr: regexp.MustCompile(`stuck\.run\b`),
			setup: func(t *testing.T, _ *hostileEnv, dir string) {
				require.NoError(t, os.Mkdir(filepath.Join(dir, "rundir"), 0o755))
				copyFile(t, filepath.Join(hostileDir, "base/small.run"), filepath.Join(dir, "rundir/ok.run"))
				require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "rundir/stuck.run"), 0o644))
			},
			args: []string{"leaderboard", "--no-noise", "--resamples", "10", "--permutations", "10", "--qrels", "{H}/base/small.qrels", "--runs", "rundir"}},
		{name: "gen-runs-dir-symlink-loop", exits: []int{1}, stderr: regexp.MustCompile(`loop\.run\b`),
			setup: func(t *testing.T, _ *hostileEnv, dir string) {
				require.NoError(t, os.Mkdir(filepath.Join(dir, "rundir"), 0o755))
				copyFile(t, filepath.Join(hostileDir, "base/small.run"), filepath.Join(dir, "rundir/ok.run"))
				require.NoError(t, os.Symlink("loop.run", filepath.Join(dir, "rundir/loop.run")))
			},
			args: []string{"leaderboard", "--no-noise", "--resamples", "10", "--permutations", "10", "--qrels", "{H}/base/small.qrels", "--runs", "rundir"}},

		// Outputs: an existing file or symlink at an output path is never
		// written through.
		{name: "gen-pool-sheet-symlink", exits: []int{1}, stderr: regexp.MustCompile(`ag_news\.csv`),
			setup: func(t *testing.T, _ *hostileEnv, dir string) {
				plantVictim(t, dir, "victim", "sheet.csv")
				require.NoError(t, os.Mkdir(filepath.Join(dir, "sheets"), 0o755))
				require.NoError(t, os.Symlink("../victim/sheet.csv", filepath.Join(dir, "sheets/ag_news.csv")))
			},
			args:  []string{"pool", "--out", "sheets", "{H}/base/small.run"},
			check: victimIntact("victim")},
		{name: "gen-fuse-out-symlink", exits: []int{2}, stderr: regexp.MustCompile(`fused\.run`),
			setup: func(t *testing.T, _ *hostileEnv, dir string) {
				plantVictim(t, dir, "victim", "target.run")
				require.NoError(t, os.Symlink("victim/target.run", filepath.Join(dir, "fused.run")))
			},
			args:  []string{"fuse", "--method", "borda", "--out", "fused.run", "{H}/base/small.run", "{H}/base/small.run"},
			check: victimIntact("victim")},

		// A valid ranker on hostile topic lists.
		{name: "gen-ranker-rank-empty-topics", exits: []int{1}, stderr: regexp.MustCompile(`empty\.topics\b`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.mustRun(t, dir, "baseline", "modelspider", "train", "--dim", "2", "--steps", "1", "--out", "tiny.msp")
			},
			args: []string{"baseline", "modelspider", "rank", "--model", "tiny.msp", "--topics", "{H}/topics/empty.topics", "--out", "r.run"}},
		{name: "gen-ranker-rank-unknown-topic", exits: []int{1}, stderr: regexp.MustCompile(`no_such_topic`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.mustRun(t, dir, "baseline", "modelspider", "train", "--dim", "2", "--steps", "1", "--out", "tiny.msp")
			},
			args: []string{"baseline", "modelspider", "rank", "--model", "tiny.msp", "--topics", "{H}/topics/unknown-topic.topics", "--out", "r.run"}},

		// A collection read from the working directory is input too: its
		// tables get the number syntax of runs and qrels.
		{name: "gen-tree-mnli-lp-nan", exits: []int{1}, stderr: regexp.MustCompile(`mnli_lp "nan"`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.linkCollections(t, dir)
				replaceInFile(t, filepath.Join(dir, "qrels/recycling.models.tsv"), "\t0.5617371847030106\n", "\tnan\n")
			},
			args: []string{"baseline", "metadata", "--root", ".", "--out", "m.run", "mnli-lp"}},
		{name: "gen-tree-params-underscore-fennec", exits: []int{1}, stderr: regexp.MustCompile(`params "1_0"`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.linkCollections(t, dir)
				replaceInFile(t, filepath.Join(dir, "qrels/recycling.models.tsv"), "\t124647170.0\t12.0\troberta\tdeepset/", "\t1_0\t12.0\troberta\tdeepset/")
			},
			args: []string{"baseline", "fennec", "--cold-start", "--rank", "2", "--lambda", "1", "--out", "f.run"}},
		{name: "gen-tree-seed-value-hex", exits: []int{1}, stderr: regexp.MustCompile(`recycling\.seeds\.tsv:2\b.*0x1p6`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.linkCollections(t, dir)
				replaceInFile(t, filepath.Join(dir, "qrels/recycling.seeds.tsv"), "\t0\t82.58098778544876\n", "\t0\t0x1p6\n")
			},
			args: []string{"noise", "--draws", "10"}},

		// Size: inputs far beyond any real one end with an error (or a
		// result) in bounded time and memory.
		{name: "gen-run-1.1M-topics", slow: true, exits: []int{0, 1}, stderr: regexp.MustCompile(`topics-1\.1M\.run\.gz\b`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.shareBig(t, dir, "topics-1.1M.run.gz", writeManyTopicsRun(1_100_000))
			},
			args: []string{"eval", "{H}/base/small.qrels", "topics-1.1M.run.gz"}},
		{name: "gen-run-1.1M-topics-validate", slow: true, exits: []int{1}, stderr: regexp.MustCompile(`topics-1\.1M\.run\.gz\b`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.shareBig(t, dir, "topics-1.1M.run.gz", writeManyTopicsRun(1_100_000))
			},
			args: []string{"validate", "--collection", "recycling", "topics-1.1M.run.gz"}},
		{name: "gen-topics-list-1.1M", slow: true, exits: []int{1}, stderr: regexp.MustCompile(`list-1\.1M\.topics\.gz\b`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.shareBig(t, dir, "list-1.1M.topics.gz", func(t *testing.T, path string) {
					writeGzipLines(t, path, 1_100_000, func(w *bufio.Writer, i int) { fmt.Fprintf(w, "t%07d\n", i) })
				})
			},
			args: []string{"eval", "--topics", "list-1.1M.topics.gz", "{H}/base/small.qrels", "{H}/base/small.run"}},
		{name: "gen-pool-1.1M-topics", slow: true, exits: []int{1}, stderr: regexp.MustCompile(`topics-1\.1M\.run\.gz\b|(?i)(topics|sheets)`),
			setup: func(t *testing.T, h *hostileEnv, dir string) {
				h.shareBig(t, dir, "topics-1.1M.run.gz", writeManyTopicsRun(1_100_000))
			},
			args: []string{"pool", "--out", "sheets", "topics-1.1M.run.gz"}},
		// Copeland compares documents pairwise: two runs in O(n log n), three
		// or more up to --copeland-max-docs; more documents than a topic may
		// have stop the reader first.
		{name: "gen-fuse-copeland-2-runs-90k-docs", slow: true, exits: []int{0}, stderr: regexp.MustCompile(`.`),
			setup: func(t *testing.T, h *hostileEnv, dir string) { h.shareManyDocRuns(t, dir, 90_000, "a", "b") },
			args:  []string{"fuse", "--method", "copeland", "--out", "fused.run", "docs-90000-a.run", "docs-90000-b.run"}},
		{name: "gen-fuse-copeland-3-runs-90k-docs", slow: true, exits: []int{1}, stderr: regexp.MustCompile(`(?i)copeland.*90000 documents`),
			setup: func(t *testing.T, h *hostileEnv, dir string) { h.shareManyDocRuns(t, dir, 90_000, "a", "b", "c") },
			args:  []string{"fuse", "--method", "copeland", "--out", "fused.run", "docs-90000-a.run", "docs-90000-b.run", "docs-90000-c.run"}},
		{name: "gen-fuse-copeland-150k-docs", slow: true, exits: []int{1}, stderr: regexp.MustCompile(`docs-150000-a\.run:\d+: .*documents`),
			setup: func(t *testing.T, h *hostileEnv, dir string) { h.shareManyDocRuns(t, dir, 150_000, "a", "b") },
			args:  []string{"fuse", "--method", "copeland", "--out", "fused.run", "docs-150000-a.run", "docs-150000-b.run"}},
	}
	return cases
}

// storeWithRun makes store/ in dir holding team t's run "prior".
func (h *hostileEnv) storeWithRun(t *testing.T, dir string) {
	t.Helper()
	h.linkCollections(t, dir)
	h.mustRun(t, dir, "intake", "--store", "store", "--team", "t", "--collection", "recycling", "runs/recycling/prior.run")
}

// setupRun runs mreval for a case's setup whatever its exit status, but
// not through a crash.
func (h *hostileEnv) setupRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	res := h.run(t, dir, args...)
	require.False(t, res.timedOut, "setup: mreval %s hangs", strings.Join(args, " "))
	require.NotContains(t, string(res.stderr), "panic:", "setup: mreval %s", strings.Join(args, " "))
	require.Contains(t, []int{0, 1}, res.status, "setup: mreval %s: %s", strings.Join(args, " "), res.stderr)
}

// startBackground starts mreval in dir and kills it when the case ends.
func (h *hostileEnv) startBackground(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(h.bin, args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	// Give it the time to open the store and block on the FIFO.
	time.Sleep(300 * time.Millisecond)
}

// shareBig links name into dir from a file made once per test run by make.
func (h *hostileEnv) shareBig(t *testing.T, dir, name string, make func(t *testing.T, path string)) {
	t.Helper()
	h.bigMu.Lock()
	path := filepath.Join(h.big, name)
	if _, err := os.Stat(path); err != nil {
		make(t, path+".tmp")
		require.NoError(t, os.Rename(path+".tmp", path))
	}
	h.bigMu.Unlock()
	require.NoError(t, os.Link(path, filepath.Join(dir, name)))
}

// shareManyDocRuns links runs docs-N-<name>.run into dir: one topic of n
// documents, each run ranking them in its own seeded order.
func (h *hostileEnv) shareManyDocRuns(t *testing.T, dir string, n int, names ...string) {
	for i, name := range names {
		h.shareBig(t, dir, fmt.Sprintf("docs-%d-%s.run", n, name), func(t *testing.T, path string) {
			order := rand.New(rand.NewPCG(uint64(i), 1)).Perm(n)
			writeLines(t, path, n, func(w *bufio.Writer, r int) {
				fmt.Fprintf(w, "t Q0 d%06d %d %d r%s\n", order[r], r+1, n-r, name)
			})
		})
	}
}

// writeManyTopicsRun makes a run of n topics of one line each.
func writeManyTopicsRun(n int) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		writeGzipLines(t, path, n, func(w *bufio.Writer, i int) { fmt.Fprintf(w, "t%07d Q0 d 1 1 r\n", i) })
	}
}

// plantVictim makes dir/name holding the given files, outside any store,
// and records their contents for victimIntact.
func plantVictim(t *testing.T, dir, name string, files ...string) string {
	t.Helper()
	victim := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(victim, 0o755))
	for _, f := range files {
		writeFile(t, filepath.Join(victim, f), "victim file "+f+"\n")
	}
	snapshotVictim(t, dir, name)
	return victim
}

// snapshotVictim records the files of dir/name (in dir/name.snapshot).
func snapshotVictim(t *testing.T, dir, name string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, name+".snapshot"), strings.Join(treeContents(t, filepath.Join(dir, name)), "\n"))
}

// victimIntact checks that dir/name still holds what snapshotVictim saw.
func victimIntact(name string) func(t *testing.T, h *hostileEnv, dir string) {
	return func(t *testing.T, _ *hostileEnv, dir string) {
		want, err := os.ReadFile(filepath.Join(dir, name+".snapshot"))
		require.NoError(t, err)
		assert.Equal(t, string(want), strings.Join(treeContents(t, filepath.Join(dir, name)), "\n"),
			"files outside the store were changed or deleted")
	}
}

// treeContents lists the regular files under root with their contents.
func treeContents(t *testing.T, root string) []string {
	var out []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel+": "+strconv.Quote(string(data)))
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// replaceWithSymlink replaces path (file, directory or nothing) by a
// symlink to target.
func replaceWithSymlink(t *testing.T, path, target string) {
	t.Helper()
	require.NoError(t, os.RemoveAll(path))
	require.NoError(t, os.Symlink(target, path))
}

// retag copies the run src to dst with every line's tag set to tag.
func retag(t *testing.T, src, dst, tag string) {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		f := strings.Fields(line)
		require.Len(t, f, 6)
		f[5] = tag
		b.WriteString(strings.Join(f, " ") + "\n")
	}
	writeFile(t, dst, b.String())
}

// tamperStoredRuns changes one score digit in every stored normal-form run
// (files ending in .run under the store), keeping them well-formed.
func tamperStoredRuns(t *testing.T, store string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(store, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() || !strings.HasSuffix(p, ".run") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		i := bytes.IndexByte(data, '\n') - len(" prior") - 1 // last digit of line 1's score
		require.Greater(t, i, 0)
		if data[i] == '9' {
			data[i] = '8'
		} else {
			data[i] = '9'
		}
		n++
		return os.WriteFile(p, data, 0o644)
	})
	require.NoError(t, err)
	require.Positive(t, n, "no stored run to tamper with")
}

// replaceInFile replaces the first old in path by new. The file is written
// anew, not in place: it may be a hard link to the shared collections.
func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(data), old)
	require.NoError(t, os.Remove(path))
	writeFile(t, path, strings.Replace(string(data), old, new, 1))
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(dst, data, 0o644))
}

// writeLines writes n lines made by line(i) to path.
func writeLines(t *testing.T, path string, n int, line func(w *bufio.Writer, i int)) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriterSize(f, 1<<16)
	for i := range n {
		line(w, i)
	}
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
}

// writeGzipLines writes n lines made by line(i) to path, gzip-compressed.
func writeGzipLines(t *testing.T, path string, n int, line func(w *bufio.Writer, i int)) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	zw, err := gzip.NewWriterLevel(f, gzip.BestSpeed)
	require.NoError(t, err)
	w := bufio.NewWriterSize(zw, 1<<16)
	for i := range n {
		line(w, i)
	}
	require.NoError(t, w.Flush())
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
}

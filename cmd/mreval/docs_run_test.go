package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/internal/testtree"
)

// docShellCommand is one command of a fenced shell block of a document
// (docs/architecture.md, "Documentation that runs", states the rules).
type docShellCommand struct {
	line   int
	shown  string // the command as the document shows it
	script string // what sh runs: the command, with `go run ./cmd/mreval` read as mreval
	exit   int
	stderr *string // from "# exit N: STDERR"; nil = not checked
	stdout *string // the ```text block right after the shell block, for its last command
	// stdoutStartsWith: the text block ends with a line "...", so it
	// shows the start of the output.
	stdoutStartsWith bool
	// illustrative, when not empty, is why the command cannot run in a
	// test (a trailing "# illustrative: REASON").
	illustrative string
	// installs is `go install ./cmd/mreval`: the test's mreval is on PATH
	// already.
	installs bool
}

var (
	trailingExit = regexp.MustCompile(`\s+#\s*exit (\d+)\s*$`)
	// The marker ends the command's comment, alone or after "; ".
	trailingIllustrative = regexp.MustCompile(`\s#(?:\s*|.*;\s*)illustrative:\s*(\S.*?)\s*$`)
	ownLineExit          = regexp.MustCompile(`^#\s*exit (\d+)(?::\s(.*))?$`)
	// A command outside a shell fence would escape the test.
	unfencedCommand = regexp.MustCompile(`^(\$ )?(mreval\s|go (run|install|test)\s)`)
)

// shellInfo reports whether a fence's info string opens a shell block.
func shellInfo(info string) (shell, console bool) {
	word, _, _ := strings.Cut(strings.TrimSpace(info), " ")
	switch word {
	case "sh", "bash", "shell":
		return true, false
	case "console":
		return true, true
	}
	return false, false
}

// parseDocShell reads the fenced shell blocks (```sh, ```bash, ```shell,
// ```console) of a Markdown document. In a sh block every line that is
// not a comment is a command (a trailing backslash continues it); in a
// console block the lines starting with "$ " are, and the lines after one
// are its stdout. A command may end with "# exit N" (default 0) or
// "# illustrative: REASON"; a comment line "# exit N" or
// "# exit N: STDERR" right after a command sets its status (and its
// stderr). A ```text block right after a sh block is the stdout of the
// block's last command; when its last line is "..." it shows the start
// of that output. A line that looks like a command (mreval, go run)
// in an indented or unlabelled code block is an error: fence it as sh to
// run it, or as text when it is a synopsis.
func parseDocShell(name string, data []byte) ([]docShellCommand, error) {
	var (
		cmds          []docShellCommand
		fence         string // the fence's indentation + backticks while inside one
		info          string
		shell         bool
		console       bool
		blockStart    int  // index in cmds of the current shell block's first command
		afterShell    bool // only blank lines since a shell block closed
		textFor       = -1 // command whose stdout the current text block is
		text          strings.Builder
		pending       string // a command continued by a trailing backslash
		pendingLine   int
		prevBlank     = true
		inIndentedRun bool
	)
	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		trimmed := strings.TrimSpace(raw)
		if fence == "" {
			if strings.HasPrefix(trimmed, "```") {
				fence = raw[:len(raw)-len(strings.TrimLeft(raw, " "))] + "```"
				info = strings.TrimPrefix(trimmed, "```")
				shell, console = shellInfo(info)
				blockStart = len(cmds)
				if strings.TrimSpace(info) == "text" && afterShell && len(cmds) > 0 {
					textFor = len(cmds) - 1
					text.Reset()
				}
				afterShell = false
				continue
			}
			// An indented code block starts after a blank line.
			indented := strings.HasPrefix(raw, "    ") || strings.HasPrefix(raw, "\t")
			if trimmed == "" {
				prevBlank = true
				continue
			}
			afterShell = false
			inIndentedRun = indented && (prevBlank || inIndentedRun)
			prevBlank = false
			if inIndentedRun && unfencedCommand.MatchString(trimmed) {
				return nil, fail(n, "a command in an indented code block: fence it as ```sh (it runs in TestDocsRun) or ```text (a synopsis)")
			}
			continue
		}
		if trimmed == "```" {
			if pending != "" {
				return nil, fail(pendingLine, "the command's last line ends with a backslash")
			}
			if textFor >= 0 {
				s := text.String()
				if cmds[textFor].stdout != nil {
					return nil, fail(n, "the command already shows its stdout")
				}
				if cmds[textFor].illustrative == "" {
					if head, ok := strings.CutSuffix(s, "...\n"); ok {
						cmds[textFor].stdoutStartsWith = true
						s = head
					}
					cmds[textFor].stdout = &s
				}
			}
			afterShell = shell && !console && len(cmds) > blockStart
			fence, shell, console, textFor, prevBlank, inIndentedRun = "", false, false, -1, true, false
			continue
		}
		if textFor >= 0 {
			text.WriteString(strings.TrimPrefix(raw, strings.TrimSuffix(fence, "```")) + "\n")
			continue
		}
		if !shell {
			if info == "" && unfencedCommand.MatchString(trimmed) {
				return nil, fail(n, "a command in a code block without a language: fence it as ```sh (it runs in TestDocsRun) or ```text (a synopsis)")
			}
			continue
		}
		if console {
			if cmd, ok := strings.CutPrefix(trimmed, "$ "); ok {
				c, err := docCommandFrom(name, n, cmd)
				if err != nil {
					return nil, err
				}
				empty := ""
				c.stdout = &empty
				cmds = append(cmds, c)
			} else if len(cmds) > blockStart && cmds[len(cmds)-1].stdout != nil {
				*cmds[len(cmds)-1].stdout += strings.TrimPrefix(raw, strings.TrimSuffix(fence, "```")) + "\n"
			} else if trimmed != "" {
				return nil, fail(n, "output before the first $ command of a console block")
			}
			continue
		}
		if pending != "" {
			trimmed = pending + " " + trimmed
		} else {
			pendingLine = n
		}
		if cont, ok := strings.CutSuffix(trimmed, `\`); ok {
			pending = strings.TrimSpace(cont)
			continue
		}
		pending = ""
		switch {
		case trimmed == "":
		case strings.HasPrefix(trimmed, "#"):
			m := ownLineExit.FindStringSubmatch(trimmed)
			if m == nil {
				if strings.Contains(trimmed, "illustrative") {
					return nil, fail(n, "put '# illustrative: REASON' at the end of the command it marks")
				}
				continue // a comment for the reader
			}
			if len(cmds) == blockStart {
				return nil, fail(n, "%q without a command before it", trimmed)
			}
			c := &cmds[len(cmds)-1]
			c.exit, _ = strconv.Atoi(m[1])
			if m[2] != "" {
				stderr := m[2] + "\n"
				c.stderr = &stderr
			}
		default:
			c, err := docCommandFrom(name, pendingLine, trimmed)
			if err != nil {
				return nil, err
			}
			cmds = append(cmds, c)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if fence != "" {
		return nil, fmt.Errorf("%s: a code block is never closed", name)
	}
	return cmds, nil
}

// docCommandFrom reads the markers at the end of a command line and maps
// the ways the docs start mreval to the mreval on the test's PATH.
func docCommandFrom(name string, line int, shown string) (docShellCommand, error) {
	c := docShellCommand{line: line, shown: shown, script: shown}
	if m := trailingIllustrative.FindStringSubmatch(c.script); m != nil {
		c.illustrative = m[1]
		return c, nil
	}
	if m := trailingExit.FindStringSubmatch(c.script); m != nil {
		c.exit, _ = strconv.Atoi(m[1])
		c.script = c.script[:len(c.script)-len(m[0])]
	}
	fields := strings.Fields(c.script)
	switch {
	case len(fields) >= 3 && fields[0] == "go" && fields[1] == "run" && fields[2] == "./cmd/mreval":
		c.script = "mreval" + strings.TrimPrefix(strings.TrimSpace(c.script), "go run ./cmd/mreval")
	case len(fields) >= 3 && fields[0] == "go" && fields[1] == "install" && fields[2] == "./cmd/mreval":
		if len(fields) > 3 && !strings.HasPrefix(fields[3], "#") {
			return c, fmt.Errorf("%s:%d: go install ./cmd/mreval with arguments is not run by the test; mark it '# illustrative: REASON'", name, line)
		}
		c.installs = true
	case len(fields) > 0 && fields[0] == "go":
		return c, fmt.Errorf("%s:%d: only `go run ./cmd/mreval` and `go install ./cmd/mreval` run in a test; mark %q '# illustrative: REASON'", name, line, shown)
	}
	return c, nil
}

func TestParseDocShell(t *testing.T) {
	doc := "# Title\n\n" +
		"```sh\n" +
		"go install ./cmd/mreval   # or: go run ./cmd/mreval ...\n" +
		"# a comment for the reader\n" +
		"mreval eval --collection recycling \\\n  runs/recycling/prior.run > out.txt  # exit 1\n" +
		"mreval eval --max-entries 0 x.run\n" +
		"# exit 2: mreval: --max-entries must be positive\n" +
		"go run ./cmd/mreval serve --demo   # illustrative: runs until interrupted\n" +
		"go test ./...   # every test; illustrative: takes minutes\n" +
		"go run ./cmd/mreval measures tauw\n" +
		"```\n\n" +
		"```text\nline one\n\nline three\n...\n```\n\n" +
		"```console\n$ mreval measures\nout 1\nout 2\n$ cat x  # exit 1\n```\n\n" +
		"```text\nmreval [--synopsis]\n```\n" +
		"    a quoted indented block\n"
	cmds, err := parseDocShell("doc.md", []byte(doc))
	require.NoError(t, err)
	str := func(s string) *string { return &s }
	want := []docShellCommand{
		{line: 4, shown: "go install ./cmd/mreval   # or: go run ./cmd/mreval ...", script: "go install ./cmd/mreval   # or: go run ./cmd/mreval ...", installs: true},
		{line: 6, shown: "mreval eval --collection recycling runs/recycling/prior.run > out.txt  # exit 1",
			script: "mreval eval --collection recycling runs/recycling/prior.run > out.txt", exit: 1},
		{line: 8, shown: "mreval eval --max-entries 0 x.run", script: "mreval eval --max-entries 0 x.run", exit: 2,
			stderr: str("mreval: --max-entries must be positive\n")},
		{line: 10, shown: "go run ./cmd/mreval serve --demo   # illustrative: runs until interrupted",
			script: "go run ./cmd/mreval serve --demo   # illustrative: runs until interrupted", illustrative: "runs until interrupted"},
		{line: 11, shown: "go test ./...   # every test; illustrative: takes minutes", script: "go test ./...   # every test; illustrative: takes minutes",
			illustrative: "takes minutes"},
		{line: 12, shown: "go run ./cmd/mreval measures tauw", script: "mreval measures tauw", stdout: str("line one\n\nline three\n"), stdoutStartsWith: true},
		{line: 23, shown: "mreval measures", script: "mreval measures", stdout: str("out 1\nout 2\n")},
		{line: 26, shown: "cat x  # exit 1", script: "cat x", exit: 1, stdout: str("")},
	}
	assert.Equal(t, want, cmds)

	for _, tc := range []struct{ doc, err string }{
		{"text\n\n    mreval eval x.run\n", "d.md:3: a command in an indented code block: fence it as ```sh (it runs in TestDocsRun) or ```text (a synopsis)"},
		{"```\ngo run ./cmd/mreval leaderboard\n```\n", "d.md:2: a command in a code block without a language: fence it as ```sh (it runs in TestDocsRun) or ```text (a synopsis)"},
		{"```sh\ngo test ./...\n```\n", "d.md:2: only `go run ./cmd/mreval` and `go install ./cmd/mreval` run in a test; mark \"go test ./...\" '# illustrative: REASON'"},
		{"```sh\n# exit 1\n```\n", `d.md:2: "# exit 1" without a command before it`},
		{"```sh\nmreval a \\\n```\n", "d.md:2: the command's last line ends with a backslash"},
		{"```sh\nmreval a\n# illustrative: no\n```\n", "d.md:3: put '# illustrative: REASON' at the end of the command it marks"},
		{"```sh\nmreval a\n", "d.md: a code block is never closed"},
		{"```console\nhello\n$ mreval a\n```\n", "d.md:2: output before the first $ command of a console block"},
	} {
		_, err := parseDocShell("d.md", []byte(tc.doc))
		assert.EqualError(t, err, tc.err, tc.doc)
	}
}

// docFiles lists README.md and docs/*.md, relative to the module root.
func docFiles(t *testing.T) []string {
	docs, err := filepath.Glob(filepath.Join(moduleRoot, "docs", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, docs)
	files := []string{"README.md"}
	for _, d := range docs {
		rel, err := filepath.Rel(moduleRoot, d)
		require.NoError(t, err)
		files = append(files, filepath.ToSlash(rel))
	}
	return files
}

// TestDocsRun runs every command of the shell blocks of README.md and
// docs/*.md that is not marked illustrative: with sh, as mreval on PATH is
// this test binary (see TestMain), in a copy of the shipped collections,
// one document's commands in order in one directory, the documents in
// parallel. Each must exit with its stated status and print the output the
// document shows.
func TestDocsRun(t *testing.T) {
	sh, err := exec.LookPath("sh")
	require.NoError(t, err)
	self, err := os.Executable()
	require.NoError(t, err)
	bin := t.TempDir()
	require.NoError(t, os.Symlink(self, filepath.Join(bin, "mreval")))
	path := bin + string(os.PathListSeparator) + os.Getenv("PATH")

	ran, illustrative := 0, 0
	type docRun struct {
		name string
		cmds []docShellCommand
	}
	var runs []docRun
	for _, name := range docFiles(t) {
		data, err := os.ReadFile(filepath.Join(moduleRoot, name))
		require.NoError(t, err)
		cmds, err := parseDocShell(name, data)
		if !assert.NoError(t, err) {
			continue
		}
		for _, c := range cmds {
			if c.illustrative != "" {
				illustrative++
			} else {
				ran++
			}
		}
		runs = append(runs, docRun{name, cmds})
	}
	t.Logf("%d documented commands run, %d illustrative", ran, illustrative)
	require.GreaterOrEqual(t, ran, 40)

	// The collections are hard-linked into each document's directory: a
	// command that wrote into a linked file in place would change the
	// repository's own file.
	before := testtree.Snapshot(t, moduleRoot)
	t.Cleanup(func() {
		assert.Equal(t, before, testtree.Snapshot(t, moduleRoot), "a documented command wrote into a shipped file through its hard link")
	})
	for _, d := range runs {
		if !slices.ContainsFunc(d.cmds, func(c docShellCommand) bool { return c.illustrative == "" && !c.installs }) {
			continue
		}
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			dir := testtree.LinkCollections(t, moduleRoot)
			// The docs' own example files (docs/examples/...) are named
			// from the repository root too.
			require.NoError(t, os.CopyFS(filepath.Join(dir, "docs"), os.DirFS(filepath.Join(moduleRoot, "docs"))))
			for _, c := range d.cmds {
				if c.illustrative != "" || c.installs {
					continue
				}
				where := fmt.Sprintf("%s:%d: %s", d.name, c.line, c.shown)
				status, stdout, stderr := runDocCommand(t, sh, dir, path, c.script)
				require.Equal(t, c.exit, status,
					"%s\nfix the document, or end the command with '# illustrative: REASON' if it cannot run in a test\nstdout:\n%s\nstderr:\n%s",
					where, stdout, stderr)
				switch {
				case c.stdout != nil && c.stdoutStartsWith:
					assert.Equal(t, *c.stdout, stdout[:min(len(stdout), len(*c.stdout))], "%s: the start of its stdout", where)
				case c.stdout != nil:
					assert.Equal(t, *c.stdout, stdout, where)
				}
				if c.stderr != nil {
					assert.Equal(t, *c.stderr, stderr, where)
				}
			}
		})
	}
}

// runDocCommand runs script with sh in dir. The deadline only stops a
// command that would never end (a server by mistake left unmarked).
func runDocCommand(t *testing.T, sh, dir, path, script string) (status int, stdout, stderr string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, sh, "-c", script)
	// The whole process group goes, or a server started by sh would keep
	// the output pipes open.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + path, "HOME=" + dir, "LC_ALL=C.UTF-8", "TMPDIR=" + dir}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "%s: did not end", script)
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		status = exit.ExitCode()
	default:
		require.NoError(t, err, script)
	}
	return status, out.String(), errOut.String()
}

// TestSubmittingExampleModelsInPool: every run line shown in a code block
// of docs/submitting.md names a topic of a shipped collection and a model
// of that collection's pool, spelled as the pool spells it (a participant
// copies these lines).
func TestSubmittingExampleModelsInPool(t *testing.T) {
	type shipped struct {
		name   string
		topics map[string]bool
		pool   map[string]bool
	}
	var collections []shipped
	for _, name := range []string{"recycling", "subtask-b-sample"} {
		c, err := collection.LookupIn(moduleRoot, name)
		require.NoError(t, err)
		s := shipped{name: name, topics: map[string]bool{}, pool: map[string]bool{}}
		test, err := c.TestTopics()
		require.NoError(t, err)
		train, err := c.TrainTopics()
		require.NoError(t, err)
		for _, id := range append(test, train...) {
			s.topics[id] = true
		}
		pool, err := c.Pool()
		require.NoError(t, err)
		for _, id := range pool {
			s.pool[id] = true
		}
		collections = append(collections, s)
	}

	data, err := os.ReadFile(filepath.Join(moduleRoot, "docs", "submitting.md"))
	require.NoError(t, err)
	checked := map[string]int{}
	inBlock := false
	for n, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inBlock = !inBlock
			continue
		}
		f := strings.Fields(line)
		if !inBlock || len(f) != 6 || f[1] != "Q0" || f[2] == "docno" {
			continue
		}
		if _, err := strconv.Atoi(f[3]); err != nil {
			continue
		}
		where := fmt.Sprintf("docs/submitting.md:%d: %s", n+1, line)
		found := false
		for _, c := range collections {
			if c.topics[f[0]] {
				found = true
				assert.True(t, c.pool[f[2]], "%s: %q is not in the pool of %s", where, f[2], c.name)
				checked[c.name]++
			}
		}
		assert.True(t, found, "%s: topic %q is in no shipped collection", where, f[0])
	}
	assert.GreaterOrEqual(t, checked["recycling"], 1, "no Subtask A example run line found")
}

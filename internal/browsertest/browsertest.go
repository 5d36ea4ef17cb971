// Package browsertest finds the headless browser of the tests that drive a
// real page with chromedp (the HTML leaderboard, the submission site).
package browsertest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
)

// names are the executables tried, Debian's chromium first.
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// skipNoted makes the note once per test binary: a skipped test says why
// only under -v, and a plain `go test ./...` would otherwise pass without a
// word about the browser tests it did not run.
var skipNoted sync.Once

// TB is the part of testing.TB that Chromium uses.
type TB interface {
	Helper()
	Fatal(args ...any)
	Skip(args ...any)
}

// Chromium returns the path of chromium (or another Chromium build). Without
// one the test fails when CI=true, where the browser must be installed, and
// is skipped otherwise, with one line per test binary on the terminal (or
// standard error). what says what goes untested: "the HTML report".
func Chromium(t TB, what string) string {
	t.Helper()
	return find(t, what, exec.LookPath, os.Getenv("CI") == "true", noteWriter{}, &skipNoted)
}

// noteWriter writes to the controlling terminal when there is one, and to
// standard error otherwise: `go test ./...` shows nothing of a passing
// package's output, standard error included, so only the terminal reaches
// the person who ran it.
type noteWriter struct{}

func (noteWriter) Write(p []byte) (int, error) {
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		return tty.Write(p)
	}
	return os.Stderr.Write(p)
}

func find(t TB, what string, lookPath func(string) (string, error), ci bool, stderr io.Writer, noted *sync.Once) string {
	t.Helper()
	for _, name := range names {
		if p, err := lookPath(name); err == nil {
			return p
		}
	}
	msg := "chromium not found in PATH: " + what + " cannot be tested in a headless browser (install it with `apt-get install -y chromium`)"
	if ci {
		t.Fatal(msg + "; CI=true requires it")
		return ""
	}
	noted.Do(func() { fmt.Fprintf(stderr, "browser tests skipped: %s\n", msg) })
	t.Skip(msg)
	return ""
}

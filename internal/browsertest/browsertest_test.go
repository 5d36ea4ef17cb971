package browsertest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// fakeTB records what a test would be told, without stopping.
type fakeTB struct{ fatal, skip string }

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Fatal(args ...any) { f.fatal = fmt.Sprint(args...) }
func (f *fakeTB) Skip(args ...any)  { f.skip = fmt.Sprint(args...) }

func TestChromium(t *testing.T) {
	none := func(string) (string, error) { return "", errors.New("not found") }
	const missing = "chromium not found in PATH: the page cannot be tested in a headless browser (install it with `apt-get install -y chromium`)"

	// Found: its path, nothing said.
	var stderr bytes.Buffer
	var once sync.Once
	tb := &fakeTB{}
	only := func(name string) (string, error) {
		if name == "chromium-browser" {
			return "/usr/bin/chromium-browser", nil
		}
		return none(name)
	}
	assert.Equal(t, "/usr/bin/chromium-browser", find(tb, "the page", only, false, &stderr, &once))
	assert.Equal(t, fakeTB{}, *tb)
	assert.Empty(t, stderr.String())

	// Missing: skipped, with one line on standard error for the whole
	// binary however many tests skip.
	for range 3 {
		tb := &fakeTB{}
		assert.Equal(t, "", find(tb, "the page", none, false, &stderr, &once))
		assert.Equal(t, fakeTB{skip: missing}, *tb)
	}
	assert.Equal(t, "browser tests skipped: "+missing+"\n", stderr.String())

	// Missing under CI=true: a failure, not a skip.
	stderr.Reset()
	tb = &fakeTB{}
	find(tb, "the page", none, true, &stderr, &sync.Once{})
	assert.Equal(t, fakeTB{fatal: missing + "; CI=true requires it"}, *tb)
	assert.Empty(t, stderr.String())
}

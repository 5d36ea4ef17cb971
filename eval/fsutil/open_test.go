//go:build unix

package fsutil

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenRead(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "run")
	require.NoError(t, os.WriteFile(regular, []byte("x\n"), 0o644))
	f, err := OpenRead(regular, time.Second)
	require.NoError(t, err)
	b := make([]byte, 8)
	n, _ := f.Read(b)
	assert.Equal(t, "x\n", string(b[:n]))
	require.NoError(t, f.Close())

	_, err = OpenRead(filepath.Join(dir, "missing"), time.Second)
	assert.ErrorIs(t, err, os.ErrNotExist)

	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	start := time.Now()
	_, err = OpenRead(fifo, 50*time.Millisecond)
	assert.ErrorIs(t, err, ErrNoWriter)
	assert.EqualError(t, err, "open "+fifo+": nothing writes to it (a FIFO?) within the read timeout")
	assert.Less(t, time.Since(start), 10*time.Second, "gave up at the time-out")
	// The goroutine left in open(2) finishes once a writer comes, and
	// closes what it opened.
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	require.NoError(t, err)
	require.NoError(t, w.Close())

	// With a writer a FIFO opens. (Another FIFO: the goroutine left behind
	// above may still hold the first one open, and a writer meeting it
	// would write to it.)
	fifo2 := filepath.Join(dir, "fifo2")
	require.NoError(t, syscall.Mkfifo(fifo2, 0o644))
	go func() {
		if w, err := os.OpenFile(fifo2, os.O_WRONLY, 0); err == nil {
			w.Write([]byte("y\n"))
			w.Close()
		}
	}()
	f, err = OpenRead(fifo2, 10*time.Second)
	require.NoError(t, err)
	n, _ = f.Read(b)
	assert.Equal(t, "y\n", string(b[:n]))
	require.NoError(t, f.Close())
}

func TestReadOptional(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "state.json")
	require.NoError(t, os.WriteFile(small, []byte("{}\n"), 0o600))
	big := filepath.Join(dir, "big.json")
	require.NoError(t, os.WriteFile(big, []byte("0123456789"), 0o600))
	link := filepath.Join(dir, "link.json")
	require.NoError(t, os.Symlink(small, link))
	fifo := filepath.Join(dir, "fifo.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))

	tests := []struct {
		name, path string
		want       []byte
		err        string
	}{
		{"missing: nil, nil", filepath.Join(dir, "missing.json"), nil, ""},
		{"regular", small, []byte("{}\n"), ""},
		{"over the limit", big, nil, big + ": larger than 9 bytes: not a test file"},
		{"symbolic link", link, nil, link + " is not a regular file (a symbolic link or special file is never followed)"},
		{"FIFO: refused, not opened", fifo, nil, fifo + " is not a regular file (a symbolic link or special file is never followed)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadOptional(tc.path, 9, "a test file")
			if tc.err != "" {
				assert.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	got, err := ReadOptional(big, 10, "a test file")
	require.NoError(t, err)
	assert.Equal(t, "0123456789", string(got), "exactly max bytes is fine")
}

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

	// With a writer the FIFO opens.
	go func() {
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Write([]byte("y\n"))
			w.Close()
		}
	}()
	f, err = OpenRead(fifo, 10*time.Second)
	require.NoError(t, err)
	n, _ = f.Read(b)
	assert.Equal(t, "y\n", string(b[:n]))
	require.NoError(t, f.Close())
}

// Package testtree holds test helpers shared by several packages: copies
// of the shipped collections, conformance cases, and runs and qrels read
// from a test's own text.
package testtree

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// CopyCollections copies qrels/ and runs/ of the module root at root into
// a new temporary directory and returns it, for tests that alter them.
func CopyCollections(t testing.TB, root string) string {
	t.Helper()
	dst := t.TempDir()
	for _, dir := range []string{"qrels", "runs"} {
		require.NoError(t, copyDir(root, dir, dst, nil))
	}
	return dst
}

// LinkCollections is CopyCollections for tests that only read the files
// and add new ones: it hard-links every file (copying where a link is
// impossible, across file systems), which costs nothing per byte. A test
// must not write into a linked file in place; mreval never does (it writes
// a new file and renames it), and Unchanged checks it.
func LinkCollections(t testing.TB, root string) string {
	t.Helper()
	dst := t.TempDir()
	for _, dir := range []string{"qrels", "runs"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			target := filepath.Join(dst, rel)
			if e.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			if os.Link(p, target) == nil {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, 0o644)
		})
		require.NoError(t, err)
	}
	return dst
}

// Snapshot records the size and modification time of every file of qrels/
// and runs/ under root, for Unchanged.
func Snapshot(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range []string{"qrels", "runs"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			info, err := e.Info()
			if err != nil {
				return err
			}
			out[p] = fmt.Sprintf("%d %d", info.Size(), info.ModTime().UnixNano())
			return nil
		})
		require.NoError(t, err)
	}
	return out
}

// copyDir copies the directory dir of root to the same place under dst.
// edit, when not nil, may replace the content of a file, named by its
// slash-separated path relative to root.
func copyDir(root, dir, dst string, edit func(rel string, data []byte) []byte) error {
	return filepath.WalkDir(filepath.Join(root, dir), func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if edit != nil {
			data = edit(filepath.ToSlash(rel), data)
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
}

// ReadCase reads BASE.qrels and BASE.run of a conformance case.
func ReadCase(t testing.TB, base string) (*eval.Qrels, *eval.Run) {
	t.Helper()
	q, err := trecfmt.ReadQrelsFile(base+".qrels", trecfmt.DefaultLimits)
	require.NoError(t, err)
	run, err := trecfmt.ReadRunFile(base+".run", trecfmt.DefaultLimits)
	require.NoError(t, err)
	return q, run
}

// ParseQrels reads text as the qrels file name.
func ParseQrels(t testing.TB, name, text string) *eval.Qrels {
	t.Helper()
	src, err := trecfmt.NewSource(name, io.NopCloser(strings.NewReader(text)), trecfmt.DefaultLimits)
	require.NoError(t, err)
	q, err := trecfmt.ReadQrels(src, trecfmt.DefaultLimits)
	require.NoError(t, err)
	return q
}

// ParseRun reads text as the run file name.
func ParseRun(t testing.TB, name, text string) *eval.Run {
	t.Helper()
	src, err := trecfmt.NewSource(name, io.NopCloser(strings.NewReader(text)), trecfmt.DefaultLimits)
	require.NoError(t, err)
	r, err := trecfmt.ReadRun(src, trecfmt.DefaultLimits)
	require.NoError(t, err)
	return r
}

// RunBytes is r in TREC run format, as trecfmt.WriteRun writes it.
func RunBytes(t testing.TB, r *eval.Run) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, trecfmt.WriteRun(&b, r))
	return b.Bytes()
}

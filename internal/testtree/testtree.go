// Package testtree holds test helpers shared by the packages that check
// the shipped collections.
package testtree

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
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

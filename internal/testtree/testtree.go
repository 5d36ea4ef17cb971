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
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, e fs.DirEntry, err error) error {
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
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		require.NoError(t, err)
	}
	return dst
}

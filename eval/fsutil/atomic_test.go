package fsutil

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteFileReplacesWholeFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	require.NoError(t, WriteBytes(path, []byte("old\n"), 0o644))
	require.NoError(t, WriteBytes(path, []byte("new content\n"), 0o644))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new content\n", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file may be left behind")
}

func TestWriteFileFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	require.NoError(t, WriteBytes(path, []byte("old\n"), 0o644))
	err := WriteFile(path, 0o644, func(w io.Writer) error {
		_, _ = w.Write([]byte("half"))
		return errors.New("disk on fire")
	})
	require.ErrorContains(t, err, "disk on fire")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old\n", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1)
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestWriteFileNewNeverReplaces: whatever holds the name — a file, a
// directory, a symbolic link to a file, a dangling one — WriteFileNew fails
// with fs.ErrExist, leaves it as it was, follows no link and leaves no
// temporary file.
func TestWriteFileNewNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "victim"), []byte("victim\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "file"), []byte("old\n"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "dir"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(outside, "victim"), filepath.Join(dir, "link")))
	require.NoError(t, os.Symlink(filepath.Join(outside, "absent"), filepath.Join(dir, "dangling")))
	for _, name := range []string{"file", "dir", "link", "dangling"} {
		err := WriteFileNew(filepath.Join(dir, name), 0o644, writeString("new\n"))
		assert.ErrorIs(t, err, fs.ErrExist, name)
		assert.ErrorContains(t, err, "write "+filepath.Join(dir, name)+": ", name)
	}
	got, err := os.ReadFile(filepath.Join(dir, "file"))
	require.NoError(t, err)
	assert.Equal(t, "old\n", string(got))
	got, err = os.ReadFile(filepath.Join(outside, "victim"))
	require.NoError(t, err)
	assert.Equal(t, "victim\n", string(got))
	assert.Equal(t, []string{"victim"}, dirNames(t, outside), "the dangling link's target is not created")
	assert.Equal(t, []string{"dangling", "dir", "file", "link"}, dirNames(t, dir), "no temporary file is left")

	require.NoError(t, WriteFileNew(filepath.Join(dir, "fresh"), 0o444, writeString("fresh\n")))
	got, err = os.ReadFile(filepath.Join(dir, "fresh"))
	require.NoError(t, err)
	assert.Equal(t, "fresh\n", string(got))
	st, err := os.Stat(filepath.Join(dir, "fresh"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o444), st.Mode().Perm())
	assert.Equal(t, []string{"dangling", "dir", "file", "fresh", "link"}, dirNames(t, dir))

	err = WriteFileNew(filepath.Join(dir, "failed"), 0o644, func(w io.Writer) error { return errors.New("disk on fire") })
	assert.EqualError(t, err, "write "+filepath.Join(dir, "failed")+": disk on fire")
	assert.Equal(t, []string{"dangling", "dir", "file", "fresh", "link"}, dirNames(t, dir))
}

// TestRootWritesStayInside: CreateIn, ReplaceIn and LinkNew refuse a path
// through a symbolic link that leads out of the root; nothing is created
// outside.
func TestRootWritesStayInside(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "out")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a"), []byte("a\n"), 0o644))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	assert.ErrorContains(t, CreateIn(root, "out/x", 0o644, writeString("x")), "path escapes from parent")
	assert.ErrorContains(t, ReplaceIn(root, "out/x", 0o644, writeString("x")), "path escapes from parent")
	assert.ErrorContains(t, LinkNew(root, "a", "out/x"), "path escapes from parent")
	assert.Empty(t, dirNames(t, outside))

	require.NoError(t, LinkNew(root, "a", "b"))
	assert.ErrorIs(t, LinkNew(root, "a", "b"), fs.ErrExist)
	require.NoError(t, ReplaceIn(root, "b", 0o644, writeString("b\n")))
	for name, want := range map[string]string{"a": "a\n", "b": "b\n"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		assert.Equal(t, want, string(got), "replacing the name b leaves its old link a alone")
	}
	assert.Equal(t, []string{"a", "b", "out"}, dirNames(t, dir))
}

package eval

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// layers are the dependency rules of docs/architecture.md: a file under
// dir (relative to the module root; tests included, so that no test-only
// cycle can form) must not import a package under any of forbidden.
var layers = []struct {
	dir       string
	forbidden []string
}{
	// eval reports progress through callbacks; drawing it is the CLI's.
	{"eval", []string{"baselines", "internal/ship", "cmd", "internal/progress"}},
	{"baselines", []string{"internal/ship", "cmd"}},
	{"internal/testtree", []string{"baselines", "internal/ship", "cmd"}},
	{"internal/numeric", []string{"eval", "baselines", "internal/ship", "cmd"}},
	{"internal/texttable", []string{"eval", "baselines", "internal/ship", "cmd"}},
	{"internal/thorough", []string{"eval", "baselines", "internal/ship", "cmd"}},
	{"internal/serve", []string{"baselines", "internal/ship", "cmd"}},
}

const modulePath = "github.com/ntcir-pmr/mreval"

// TestLayering reads the imports of every Go file of the module and
// checks them against layers.
func TestLayering(t *testing.T) {
	root := ".."
	var violations []string
	files := 0
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && (e.Name() == "testdata" || strings.HasPrefix(e.Name(), ".") && p != root) {
			return filepath.SkipDir
		}
		if e.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			inner, ok := strings.CutPrefix(path, modulePath+"/")
			if !ok {
				continue
			}
			for _, l := range layers {
				if !under(rel, l.dir) {
					continue
				}
				for _, bad := range l.forbidden {
					if under(inner, bad) {
						violations = append(violations, rel+" imports "+path)
					}
				}
			}
			if under(inner, "internal/ship") && !under(rel, "cmd/mreval") && !under(rel, "internal/ship") {
				violations = append(violations, rel+" imports "+path+" (only cmd/mreval may)")
			}
			if under(inner, "internal/serve") && !under(rel, "cmd/mreval") && !under(rel, "internal/serve") {
				violations = append(violations, rel+" imports "+path+" (only cmd/mreval may)")
			}
			// eval/inputs assembles what a subcommand reads: it sits on top
			// of eval/, and no package of the core may depend on it.
			if under(inner, "eval/inputs") && !under(rel, "cmd") && !under(rel, "eval/inputs") {
				violations = append(violations, rel+" imports "+path+" (only cmd/ may)")
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, files, 100, "the walk found the module's files")
	assert.Empty(t, violations)
}

// under reports whether the slash path p is dir or lies below it.
func under(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+"/")
}

func TestUnder(t *testing.T) {
	assert.True(t, under("baselines", "baselines"))
	assert.True(t, under("baselines/fennec/run.go", "baselines"))
	assert.False(t, under("baselinesx/run.go", "baselines"))
	assert.False(t, under("eval/collection", "eval/collection/x"))
}

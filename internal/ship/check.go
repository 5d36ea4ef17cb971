package ship

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Problem is a difference between a working tree and a fresh build.
type Problem struct {
	Path string // slash-separated, relative to the root
	Msg  string
}

func (p Problem) String() string { return p.Path + ": " + p.Msg }

// generatedExt are the extensions of files Build makes; a file with one of
// them in qrels/ (outside qrels/source) or runs/ that Build does not make
// is reported, since it would be embedded in the binary unchecked.
var generatedExt = []string{".qrels", ".topics", ".pool", ".tsv", ".run"}

// Check rebuilds every shipped file in memory and compares it with the
// tree under root byte for byte; it also verifies the files listed in the
// tree's qrels/SHA256SUMS and runs/SHA256SUMS against their checksums, and
// reports generated-looking files Build does not make. No problems means
// the tree is exactly what `mreval collection build` makes from its
// sources. The error is for a build that cannot run at all.
func Check(root string) ([]Problem, error) {
	return CheckReporting(root, nil)
}

// CheckReporting is Check telling report how far the build is
// (BuildReporting).
func CheckReporting(root string, report func(done, total int)) ([]Problem, error) {
	out, err := BuildReporting(root, report)
	if err != nil {
		return nil, err
	}
	return compare(root, out)
}

// compare is Check against a given build output.
func compare(root string, out *Output) ([]Problem, error) {
	var probs []Problem
	built := map[string]bool{}
	for _, f := range out.Files {
		built[f.Path] = true
		have, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			probs = append(probs, Problem{f.Path, "missing (run `mreval collection build`)"})
		case err != nil:
			probs = append(probs, Problem{f.Path, err.Error()})
		case !bytes.Equal(have, f.Data):
			probs = append(probs, Problem{f.Path, describeDiff(have, f.Data)})
		}
	}
	for _, sums := range []string{"qrels/SHA256SUMS", "runs/SHA256SUMS"} {
		probs = append(probs, verifySums(root, sums)...)
	}
	for _, dir := range []string{"qrels", "runs"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if e.IsDir() && (rel == "qrels/source" || strings.HasPrefix(e.Name(), ".") && rel != dir) {
				return filepath.SkipDir
			}
			if e.Type().IsRegular() && !built[rel] && slices.Contains(generatedExt, path.Ext(rel)) && !strings.HasPrefix(e.Name(), ".") {
				probs = append(probs, Problem{rel, "not made by `mreval collection build` (would be shipped unchecked)"})
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	slices.SortStableFunc(probs, func(a, b Problem) int { return cmp.Compare(a.Path, b.Path) })
	return probs, nil
}

// verifySums checks the files listed in a SHA256SUMS file of the tree.
func verifySums(root, sums string) []Problem {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(sums)))
	if err != nil {
		return nil // a missing SHA256SUMS is reported as a missing file
	}
	dir := path.Dir(sums)
	var probs []Problem
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" {
			continue
		}
		// sha256sum writes "<hex>  <name>" (text mode) or "<hex> *<name>".
		if len(text) < 67 || (text[64:66] != "  " && text[64:66] != " *") {
			probs = append(probs, Problem{sums, fmt.Sprintf("line %d: not in sha256sum format", line)})
			continue
		}
		want, name := text[:64], text[66:]
		if _, err := hex.DecodeString(want); err != nil || strings.ToLower(want) != want {
			probs = append(probs, Problem{sums, fmt.Sprintf("line %d: %q is not a lowercase SHA-256 digest", line, want)})
			continue
		}
		rel := path.Join(dir, name)
		if !strings.HasPrefix(rel, dir+"/") {
			probs = append(probs, Problem{sums, fmt.Sprintf("line %d: %q lies outside %s/", line, name, dir)})
			continue
		}
		have, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) { // the path is already named
				err = pe.Err
			}
			probs = append(probs, Problem{rel, fmt.Sprintf("listed in %s but unreadable: %v", sums, err)})
			continue
		}
		sum := sha256.Sum256(have)
		if got := hex.EncodeToString(sum[:]); got != want {
			probs = append(probs, Problem{rel, fmt.Sprintf("SHA-256 %s does not match %s (%s)", got[:12], sums, want[:12])})
		}
	}
	return probs
}

// describeDiff says where have first differs from want.
func describeDiff(have, want []byte) string {
	hl := bytes.SplitAfter(have, []byte("\n"))
	wl := bytes.SplitAfter(want, []byte("\n"))
	for i := 0; i < len(hl) || i < len(wl); i++ {
		var h, w []byte
		if i < len(hl) {
			h = hl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(h, w) {
			return fmt.Sprintf("differs from a fresh build at line %d: has %s, build makes %s", i+1, quoteLine(h), quoteLine(w))
		}
	}
	return "differs from a fresh build"
}

func quoteLine(b []byte) string {
	if b == nil {
		return "end of file"
	}
	s := strings.TrimSuffix(string(b), "\n")
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return fmt.Sprintf("%q", s)
}

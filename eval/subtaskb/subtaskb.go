// Package subtaskb reads and writes the collection files of Subtask B of the
// PMR task, where the documents are style LoRAs and a topic is a desired
// style image: the pool file (one row per LoRA) and the topics file (one row
// per topic, naming its image and the image's SHA-256). Formats:
// docs/subtask-b.md.
//
// Both files are UTF-8 tab-separated tables with a header row and no
// quoting: a cell cannot hold a tab or a line break. A byte order mark and
// CRLF line ends are accepted; blank lines are skipped. Every problem is an
// error naming the file and line.
package subtaskb

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// PoolHeader is the header row of a pool file.
var PoolHeader = []string{"lora_id", "base_model", "name", "trigger_words", "tags", "source_url", "license"}

// TopicsHeader is the header row of a topics file.
var TopicsHeader = []string{"topic_id", "image", "image_sha256", "description"}

// LoRA is one row of a pool file. TriggerWords and Tags are the cell split
// on commas, each item trimmed; an empty cell gives none.
type LoRA struct {
	ID           string
	BaseModel    string // e.g. SD-1.5, SDXL
	Name         string
	TriggerWords []string
	Tags         []string
	SourceURL    string
	License      string
	Line         int // line in the file (0 when built in memory)
}

// Pool is a parsed pool file: the LoRAs in file order.
type Pool struct {
	File  string
	LoRAs []LoRA
	index map[string]int
}

// IDs returns the LoRA ids in file order.
func (p *Pool) IDs() []string {
	out := make([]string, len(p.LoRAs))
	for i, l := range p.LoRAs {
		out[i] = l.ID
	}
	return out
}

// Has reports whether id is in the pool.
func (p *Pool) Has(id string) bool {
	_, ok := p.index[id]
	return ok
}

// Topic is one row of a topics file.
type Topic struct {
	ID          string
	Image       string // slash-separated path relative to the topics file's directory
	ImageSHA256 string // 64 lowercase hex digits
	Description string
	Line        int
}

// Topics is a parsed topics file, in file order.
type Topics struct {
	File   string
	Topics []Topic
}

// IDs returns the topic ids in file order.
func (t *Topics) IDs() []string {
	out := make([]string, len(t.Topics))
	for i, x := range t.Topics {
		out[i] = x.ID
	}
	return out
}

// ReadPoolFile reads a pool file within the size and time limits of lim.
func ReadPoolFile(path string, lim trecfmt.Limits) (*Pool, error) {
	data, err := readFile(path, lim)
	if err != nil {
		return nil, err
	}
	return ParsePool(path, data)
}

// ParsePool parses the content of a pool file; name is used in errors.
func ParsePool(name string, data []byte) (*Pool, error) {
	p := &Pool{File: name, index: map[string]int{}}
	err := parseTable(name, data, PoolHeader, func(line int, f []string) error {
		id := f[0]
		if err := checkID(name, line, "lora_id", id); err != nil {
			return err
		}
		if prev, dup := p.index[id]; dup {
			return fmt.Errorf("%s:%d: lora_id %q is listed twice (lines %d and %d)", name, line, id, p.LoRAs[prev].Line, line)
		}
		for _, col := range []int{1, 2} { // base_model and name are required
			if strings.TrimSpace(f[col]) == "" {
				return fmt.Errorf("%s:%d: %s of %q is empty", name, line, PoolHeader[col], id)
			}
		}
		p.index[id] = len(p.LoRAs)
		p.LoRAs = append(p.LoRAs, LoRA{
			ID: id, BaseModel: strings.TrimSpace(f[1]), Name: strings.TrimSpace(f[2]),
			TriggerWords: SplitList(f[3]), Tags: SplitList(f[4]),
			SourceURL: strings.TrimSpace(f[5]), License: strings.TrimSpace(f[6]), Line: line,
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(p.LoRAs) == 0 {
		return nil, fmt.Errorf("%s: the pool lists no LoRA", name)
	}
	return p, nil
}

// ReadTopicsFile reads a topics file within the size and time limits of
// lim.
func ReadTopicsFile(path string, lim trecfmt.Limits) (*Topics, error) {
	data, err := readFile(path, lim)
	if err != nil {
		return nil, err
	}
	return ParseTopics(path, data)
}

// ParseTopics parses the content of a topics file; name is used in errors.
func ParseTopics(name string, data []byte) (*Topics, error) {
	t := &Topics{File: name}
	seen := map[string]int{}
	err := parseTable(name, data, TopicsHeader, func(line int, f []string) error {
		id := f[0]
		if err := checkID(name, line, "topic_id", id); err != nil {
			return err
		}
		if prev, dup := seen[id]; dup {
			return fmt.Errorf("%s:%d: topic_id %q is listed twice (lines %d and %d)", name, line, id, prev, line)
		}
		seen[id] = line
		img := strings.TrimSpace(f[1])
		if err := checkRelPath(img); err != nil {
			return fmt.Errorf("%s:%d: image %q of topic %q: %v", name, line, img, id, err)
		}
		sum := strings.TrimSpace(f[2])
		if !isSHA256(sum) {
			return fmt.Errorf("%s:%d: image_sha256 %q of topic %q is not 64 lowercase hexadecimal digits", name, line, clip(sum), id)
		}
		desc := strings.TrimSpace(f[3])
		if desc == "" {
			return fmt.Errorf("%s:%d: description of topic %q is empty", name, line, id)
		}
		t.Topics = append(t.Topics, Topic{ID: id, Image: img, ImageSHA256: sum, Description: desc, Line: line})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(t.Topics) == 0 {
		return nil, fmt.Errorf("%s: the topics file lists no topic", name)
	}
	return t, nil
}

// ImageCheck is the outcome of CheckImages.
type ImageCheck struct {
	// Present counts the topic images found (all with the right hash when
	// CheckImages returns no error); Missing the ones not found.
	Present, Missing int
}

// CheckImages verifies the topic images, resolved against fsys (the
// directory of the topics file). When none of them is there — a topics file
// handed out without its images — nothing is checked and Present is 0. When
// some are, every image must exist and hash to its image_sha256; all
// problems are reported, each with the topics file's line.
func (t *Topics) CheckImages(fsys fs.FS) (ImageCheck, error) {
	var ic ImageCheck
	var missing, bad []string
	for _, x := range t.Topics {
		data, err := fs.ReadFile(fsys, x.Image)
		if errors.Is(err, fs.ErrNotExist) {
			ic.Missing++
			missing = append(missing, fmt.Sprintf("%s:%d: image %s of topic %q does not exist", t.File, x.Line, x.Image, x.ID))
			continue
		}
		if err != nil {
			return ic, fmt.Errorf("%s:%d: image %s of topic %q: %w", t.File, x.Line, x.Image, x.ID, unwrapPathError(err))
		}
		ic.Present++
		if got := SHA256(data); got != x.ImageSHA256 {
			bad = append(bad, fmt.Sprintf("%s:%d: image %s of topic %q has SHA-256 %s, the topics file says %s",
				t.File, x.Line, x.Image, x.ID, got, x.ImageSHA256))
		}
	}
	if ic.Present == 0 {
		return ic, nil
	}
	if probs := append(missing, bad...); len(probs) > 0 {
		return ic, errors.New(strings.Join(probs, "\n"))
	}
	return ic, nil
}

// CheckImagesBeside is CheckImages with the images resolved against the
// directory of the topics file on disk.
func (t *Topics) CheckImagesBeside() (ImageCheck, error) {
	return t.CheckImages(os.DirFS(filepath.Dir(t.File)))
}

// SHA256 returns the lowercase hexadecimal SHA-256 of data.
func SHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// WritePool writes a pool file: the header, then one row per LoRA.
func WritePool(w io.Writer, loras []LoRA) error {
	rows := make([][]string, len(loras))
	for i, l := range loras {
		rows[i] = []string{l.ID, l.BaseModel, l.Name, strings.Join(l.TriggerWords, ", "), strings.Join(l.Tags, ", "), l.SourceURL, l.License}
	}
	return writeTable(w, PoolHeader, rows)
}

// WriteTopics writes a topics file: the header, then one row per topic.
func WriteTopics(w io.Writer, topics []Topic) error {
	rows := make([][]string, len(topics))
	for i, t := range topics {
		rows[i] = []string{t.ID, t.Image, t.ImageSHA256, t.Description}
	}
	return writeTable(w, TopicsHeader, rows)
}

// SplitList splits a trigger_words or tags cell on commas, trimming each
// item and dropping empty ones.
func SplitList(cell string) []string {
	var out []string
	for _, s := range strings.Split(cell, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func writeTable(w io.Writer, header []string, rows [][]string) error {
	var b bytes.Buffer
	b.WriteString(strings.Join(header, "\t"))
	b.WriteByte('\n')
	for _, r := range rows {
		for i, cell := range r {
			if strings.ContainsAny(cell, "\t\r\n") {
				return fmt.Errorf("%s %q holds a tab or a line break, which a TSV cell cannot", header[i], clip(cell))
			}
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(cell)
		}
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// parseTable splits data into lines and tab-separated fields, checks the
// header and the field count, and calls row for each data line.
func parseTable(name string, data []byte, header []string, row func(line int, fields []string) error) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:trecfmt.FirstInvalidUTF8(data)], []byte("\n"))
		return fmt.Errorf("%s:%d: invalid UTF-8 (the file must be UTF-8 encoded)", name, line)
	}
	lines := strings.Split(string(data), "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	if len(lines) == 0 {
		return fmt.Errorf("%s: empty file (the header row %q is missing)", name, strings.Join(header, "\t"))
	}
	for i, text := range lines {
		text = strings.TrimSuffix(text, "\r")
		f := strings.Split(text, "\t")
		if i == 0 {
			for j := range f {
				f[j] = strings.TrimSpace(f[j])
			}
			if !slices.Equal(f, header) {
				return fmt.Errorf("%s:1: the header is %q; want the tab-separated columns %q", name, text, strings.Join(header, " "))
			}
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if len(f) != len(header) {
			return fmt.Errorf("%s:%d: %d tab-separated fields, want %d (%s)", name, i+1, len(f), len(header), strings.Join(header, " "))
		}
		if err := row(i+1, f); err != nil {
			return err
		}
	}
	return nil
}

// checkID requires a non-empty identifier without white space.
func checkID(name string, line int, col, id string) error {
	if id == "" {
		return fmt.Errorf("%s:%d: %s is empty", name, line, col)
	}
	if i := strings.IndexFunc(id, unicode.IsSpace); i >= 0 {
		return fmt.Errorf("%s:%d: %s %q contains white space", name, line, col, clip(id))
	}
	return nil
}

// checkRelPath accepts a clean relative slash-separated path inside the
// topics file's directory.
func checkRelPath(p string) error {
	switch {
	case p == "":
		return errors.New("the path is empty")
	case strings.Contains(p, `\`):
		return errors.New(`use / to separate directories, not \`)
	case strings.HasPrefix(p, "/") || filepath.IsAbs(p):
		return errors.New("the path must be relative to the topics file's directory")
	case !fs.ValidPath(p) || path.Clean(p) != p:
		return errors.New("the path must be clean and stay inside the topics file's directory (no '..', '.', '//' or trailing '/')")
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func clip(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

func readFile(path string, lim trecfmt.Limits) ([]byte, error) {
	data, _, err := trecfmt.ReadTextFile(path, lim)
	return data, err
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

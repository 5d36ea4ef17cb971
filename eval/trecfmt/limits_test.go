package trecfmt

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval"
)

func TestDefaultLimitsAreBounded(t *testing.T) {
	assert.Equal(t, Limits{
		MaxBytes: 2 << 30, MaxLine: 64 << 10, MaxRatio: 100, MaxTopics: 1_000_000,
		MaxDocsPerTopic: 100_000, MaxEntries: 20_000_000, ReadTimeout: 10 * time.Minute,
	}, DefaultLimits)
	// A zero field is the default, never "unbounded"; set fields are kept.
	assert.Equal(t, DefaultLimits, Limits{}.WithDefaults())
	assert.Equal(t, DefaultLimits, Limits{MaxBytes: -1, MaxRatio: -3, ReadTimeout: -time.Second}.WithDefaults())
	got := Limits{MaxTopics: 7, MaxRatio: 2.5}.WithDefaults()
	assert.Equal(t, 7, got.MaxTopics)
	assert.Equal(t, 2.5, got.MaxRatio)
	assert.Equal(t, DefaultLimits.MaxEntries, got.MaxEntries)
}

// gzippedNewlines is n MiB of newlines, gzipped about 1000 times smaller:
// n copies of one gzip member (a reader of gzip reads them all as one
// stream), so that the test does not spend its time compressing.
func gzippedNewlines(t *testing.T, n int) []byte {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(bytes.Repeat([]byte{'\n'}, 1<<20))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return bytes.Repeat(b.Bytes(), n)
}

// TestGzippedNewlinesStopEarly is the regression test of "8.7 MB of gzipped
// newlines keep eval busy 53 s": blank lines are skipped, so before the
// default gzip-ratio limit every reader decompressed all of them. Now each
// stops within the first few MiB with the ratio error and its line.
func TestGzippedNewlinesStopEarly(t *testing.T) {
	const total = 64 << 20
	gz := gzippedNewlines(t, total>>20)
	require.Less(t, len(gz), total/500, "the input is a decompression bomb")
	readers := map[string]func(*Source, Limits) error{
		"run":    func(s *Source, l Limits) error { _, err := ReadRun(s, l); return err },
		"qrels":  func(s *Source, l Limits) error { _, err := ReadQrels(s, l); return err },
		"idlist": func(s *Source, l Limits) error { _, err := ReadIDList(s, l); return err },
	}
	for name, read := range readers {
		t.Run(name, func(t *testing.T) {
			src, err := NewSource("newlines.gz", io.NopCloser(bytes.NewReader(gz)), DefaultLimits)
			require.NoError(t, err)
			err = read(src, DefaultLimits)
			require.ErrorIs(t, err, ErrGzipRatio)
			require.ErrorIs(t, err, ErrTooLarge)
			var re *ReadError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "newlines.gz", re.File)
			// Every line is one byte: the line is how far it read.
			assert.Less(t, re.Line, 2<<20, "stopped after %d of %d lines", re.Line, total)
			assert.Equal(t, fmt.Sprintf("newlines.gz:%d: input too large: gzip expands more than 100 times "+
				"(a decompression bomb? raise --max-gzip-ratio if the file is genuine)", re.Line), err.Error())
		})
	}
	// Raised, the limit lets the same input through: it is a limit, not a
	// rule about blank lines.
	small := gzippedNewlines(t, 2)
	src, err := NewSource("newlines.gz", io.NopCloser(bytes.NewReader(small)), Limits{MaxRatio: 1e6})
	require.NoError(t, err)
	run, err := ReadRun(src, Limits{MaxRatio: 1e6})
	require.NoError(t, err)
	assert.Empty(t, run.Topics)
}

func TestCountLimits(t *testing.T) {
	lines := func(n int, format string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i)
		}
		return b.String()
	}
	tests := []struct {
		name, text string
		read       func(*Source, Limits) error
		lim        Limits
		want, code string
	}{
		{"run topics", lines(4, "t%d Q0 d 1 1 r\n"), readRunErr, Limits{MaxTopics: 3},
			"in:4: more than 3 topics (raise --max-topics if this is intended)", FlagMaxTopics},
		{"qrels topics", lines(4, "t%d 0 d 1\n"), readQrelsErr, Limits{MaxTopics: 3},
			"in:4: more than 3 topics (raise --max-topics if this is intended)", FlagMaxTopics},
		{"run docs", "\n" + lines(3, "t Q0 d%d 1 1 r\n"), readRunErr, Limits{MaxDocsPerTopic: 2},
			`in:4: topic "t" has more than 2 documents (raise --max-docs-per-topic if this is intended)`, FlagMaxDocsPerTopic},
		{"qrels docs", lines(3, "t 0 d%d 1\n"), readQrelsErr, Limits{MaxDocsPerTopic: 2},
			`in:3: topic "t" has more than 2 documents (raise --max-docs-per-topic if this is intended)`, FlagMaxDocsPerTopic},
		{"run entries", lines(6, "t%d Q0 d 1 1 r\n\n"), readRunErr, Limits{MaxEntries: 5},
			"in:11: more than 5 data lines (raise --max-entries if this is intended)", FlagMaxEntries},
		{"qrels entries", lines(6, "t 0 d%d 1\n"), readQrelsErr, Limits{MaxEntries: 5},
			"in:6: more than 5 data lines (raise --max-entries if this is intended)", FlagMaxEntries},
		{"id list entries", lines(6, "id%d\n"), readIDListErr, Limits{MaxEntries: 5},
			"in:6: more than 5 data lines (raise --max-entries if this is intended)", FlagMaxEntries},
		{"line", "t Q0 " + strings.Repeat("d", 20) + " 1 1 r\n", readRunErr, Limits{MaxLine: 16},
			"in:1: line longer than 16 bytes (raise --max-line if this is intended)", "line-length"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, err := NewSource("in", io.NopCloser(strings.NewReader(tc.text)), tc.lim)
			require.NoError(t, err)
			err = tc.read(src, tc.lim)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.want, e.Error())
			assert.Equal(t, tc.code, e.Code)
			// One under each limit, the same input reads.
			src, err = NewSource("in", io.NopCloser(strings.NewReader(tc.text)), DefaultLimits)
			require.NoError(t, err)
			assert.NoError(t, tc.read(src, DefaultLimits))
		})
	}
}

func readRunErr(s *Source, l Limits) error    { _, err := ReadRun(s, l); return err }
func readQrelsErr(s *Source, l Limits) error  { _, err := ReadQrels(s, l); return err }
func readIDListErr(s *Source, l Limits) error { _, err := ReadIDList(s, l); return err }

// TestManyOneLineTopicsStaySmall is the regression test of "a run of 3 M
// one-line topics takes 2 GB": each new topic's entry list was pre-sized
// to the longest topic so far (16 entries at least, 512 bytes). Now it
// takes the previous topic's length, and a one-line topic costs a few
// hundred bytes; the default topic limit (1 M) caps the total far below
// a gigabyte.
func TestManyOneLineTopicsStaySmall(t *testing.T) {
	const topics = 50_000
	var b bytes.Buffer
	for i := range 1000 {
		fmt.Fprintf(&b, "long Q0 d%d 1 1 r\n", i)
	}
	for i := range topics {
		fmt.Fprintf(&b, "t%d Q0 d 1 1 r\n", i)
	}
	data := b.Bytes()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	run, err := ReadRun(source(data), DefaultLimits)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.Len(t, run.Topics, topics+1)
	perTopic := float64(after.TotalAlloc-before.TotalAlloc) / topics
	assert.Less(t, perTopic, 400.0, "bytes allocated per one-line topic")
	assert.Equal(t, 1, cap(run.ByID["t7"].Entries))
}

// fakeClock advances a minute at every reading of it.
type fakeClock struct{ now time.Time }

func (c *fakeClock) tick() time.Time { c.now = c.now.Add(time.Minute); return c.now }

// TestReadTimeout checks the time limit with an injected clock: the source
// reads the clock once per read of at most 64 KiB, so with a minute per
// reading a 10-minute limit stops a file of fixed 16-byte lines after 10
// reads, 10 × 4096 lines.
func TestReadTimeout(t *testing.T) {
	data := bytes.Repeat([]byte("t Q0 d 1 1 run1\n"), 1<<20)
	for name, read := range map[string]func(*Source, Limits) error{
		"run":     readRunErr,
		"ReadAll": func(s *Source, l Limits) error { _, err := io.ReadAll(s); return err },
	} {
		t.Run(name, func(t *testing.T) {
			src, err := NewSource("slow.run", io.NopCloser(bytes.NewReader(data)), DefaultLimits)
			require.NoError(t, err)
			clock := &fakeClock{now: time.Unix(0, 0)}
			src.now, src.deadline = clock.tick, clock.now.Add(10*time.Minute)
			err = read(src, DefaultLimits)
			require.ErrorIs(t, err, ErrTimeLimit)
			assert.Equal(t, time.Unix(0, 0).Add(11*time.Minute), clock.now, "the clock is read once per 64 KiB")
			if name == "run" {
				assert.EqualError(t, err, "slow.run:40961: read time limit exceeded: reading took more than 10m0s "+
					"(raise --read-timeout if this is intended)")
			}
		})
	}
}

func TestSizeLimitMessage(t *testing.T) {
	_, err := readRunString(t, "T1 Q0 a 1 1 t\nT1 Q0 b 2 0 t\n", Limits{MaxBytes: 20})
	require.ErrorIs(t, err, ErrTooLarge)
	assert.EqualError(t, err, "run.txt:2: input too large: more than 20 bytes (raise --max-bytes if this is intended)")
	// Exactly at the limit is fine.
	run, err := readRunString(t, "T1 Q0 a 1 1 t\n", Limits{MaxBytes: 14})
	require.NoError(t, err)
	assert.Equal(t, []string{"T1"}, run.Topics)
}

func TestReadTextFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "models.tsv")
	require.NoError(t, os.WriteFile(path, gzipped(t, "id\tparams\nm\t7\n"), 0o644))
	data, name, err := ReadTextFile(path, DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "id\tparams\nm\t7\n", string(data))
	assert.Equal(t, path, name)

	_, _, err = ReadTextFile(path, Limits{MaxBytes: 5})
	require.ErrorIs(t, err, ErrTooLarge)
	assert.EqualError(t, err, path+": input too large: more than 5 bytes (raise --max-bytes if this is intended)")

	_, _, err = ReadTextFile(filepath.Join(dir, "nope"), DefaultLimits)
	assert.EqualError(t, err, filepath.Join(dir, "nope")+": cannot open: no such file or directory")

	// What no text table holds is refused at its line and column; a BOM
	// at the start and CRLF line ends are fine.
	for text, want := range map[string]string{
		"\ufeffid\tx\r\nm\t1\r\n":                     "",
		"id\tx\nm\t" + strings.Repeat("9", 20) + "\n": "t.tsv:2: line longer than 16 bytes (raise --max-line if this is intended)",
		"id\tx\nm\t1\x00\n":                           "t.tsv:2:4: NUL byte in line (binary file?)",
		"id\tx\n\ufeffm\t1\n":                         "t.tsv:2:1: byte order mark (U+FEFF) inside the file (were files with byte order marks concatenated?)",
		"id\tx\nm\t\xe9\n":                            "t.tsv:2:3: invalid UTF-8 byte 0xe9 (the file must be UTF-8 encoded)",
		"id\tx\rm\t1\r":                               "t.tsv:1:5: carriage return inside a line (old Mac line ends? save the file with LF or CRLF line ends)",
	} {
		path := filepath.Join(dir, "t.tsv")
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		_, _, err := ReadTextFile(path, Limits{MaxLine: 16})
		if want == "" {
			assert.NoError(t, err, "%q", text)
			continue
		}
		var e *Error
		require.ErrorAs(t, err, &e, "%q", text)
		assert.Equal(t, strings.Replace(want, "t.tsv", path, 1), e.Error())
	}
}

// errIsLimit reports whether err is one of the limit errors of a reader.
func errIsLimit(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Code == FlagMaxTopics || e.Code == FlagMaxDocsPerTopic || e.Code == FlagMaxEntries
	}
	return false
}

// FuzzReadRunLimits reads each input twice, with the fuzz limits and with
// tiny count limits. The count limits must change nothing but the verdict
// on inputs beyond them: within them both reads give the same run, beyond
// them the tiny read fails with the limit's error.
//
//	go test ./eval/trecfmt -run '^$' -fuzz '^FuzzReadRunLimits$' -fuzztime 15s
func FuzzReadRunLimits(f *testing.F) {
	for _, s := range []string{
		"t1 Q0 d1 1 0.5 r\nt1 Q0 d2 2 0.25 r\nt2 Q0 d1 1 1 r\n",
		"a Q0 1 1 1 r\nb Q0 1 1 1 r\nc Q0 1 1 1 r\nd Q0 1 1 1 r\n",
		"t Q0 a 1 1 r\nt Q0 b 2 1 r\nt Q0 c 3 1 r\n",
		"t Q0 a 1 1 r\nu Q0 b 2 1 r\nt Q0 c 3 1 r\nu Q0 d 1 1 r\nv Q0 a 1 1 r\n",
		"t Q0 a 1 1_0 r\n",
	} {
		f.Add([]byte(s))
	}
	tiny := fuzzLimits
	tiny.MaxTopics, tiny.MaxDocsPerTopic, tiny.MaxEntries = 3, 2, 4
	f.Fuzz(func(t *testing.T, data []byte) {
		full, _, fullOK := fuzzRead(t, data, ReadRun)
		src, err := NewSource("fuzz", io.NopCloser(bytes.NewReader(data)), tiny)
		if err != nil {
			checkReadError(t, err)
			return
		}
		small, err := ReadRun(src, tiny)
		if err != nil {
			checkReadError(t, err)
			if fullOK && withinLimits(full, tiny) {
				t.Fatalf("a run within the limits was refused: %v", err)
			}
			if fullOK && !errIsLimit(err) {
				t.Fatalf("a run beyond the limits was refused for another reason: %v", err)
			}
			return
		}
		if !fullOK {
			t.Fatalf("accepted with tiny limits, refused with larger ones")
		}
		if !withinLimits(small, tiny) {
			t.Fatalf("a run beyond the limits was accepted: %d topics", len(small.Topics))
		}
		if len(small.Topics) != len(full.Topics) {
			t.Fatalf("%d topics became %d", len(full.Topics), len(small.Topics))
		}
		for _, topic := range full.Topics {
			if len(small.ByID[topic].Entries) != len(full.ByID[topic].Entries) {
				t.Fatalf("topic %q changed", topic)
			}
		}
	})
}

func withinLimits(run *eval.Run, lim Limits) bool {
	total := 0
	for _, r := range run.ByID {
		if len(r.Entries) > lim.MaxDocsPerTopic {
			return false
		}
		total += len(r.Entries)
	}
	return len(run.ByID) <= lim.MaxTopics && total <= lim.MaxEntries
}

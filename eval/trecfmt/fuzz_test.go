package trecfmt

import (
	"bytes"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ntcir-pmr/mreval/eval"
)

// Fuzz targets for the two readers. Seeds: the f.Add calls below and the
// committed corpus in testdata/fuzz/<target>/. Short runs:
//
//	go test ./eval/trecfmt -run '^$' -fuzz '^FuzzReadRun$' -fuzztime 10s
//	go test ./eval/trecfmt -run '^$' -fuzz '^FuzzReadQrels$' -fuzztime 10s

// fuzzLimits keep inputs small so that each execution is fast.
var fuzzLimits = Limits{MaxLine: 256, MaxBytes: 1 << 16}

// dataLines counts the lines that hold something besides the white space
// the scanner splits on, computed independently of the Scanner: the number
// of entries a successful read must produce.
func dataLines(data []byte) int {
	data = bytes.TrimPrefix(data, []byte{0xef, 0xbb, 0xbf})
	n := 0
	for _, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.Trim(line, " \t\r\v\f")) > 0 {
			n++
		}
	}
	return n
}

// checkReadError asserts that a reader's error is a located *Error or a
// read error of the source, never something unexplained.
func checkReadError(t *testing.T, err error) {
	var e *Error
	if errors.As(err, &e) {
		if e.File != "fuzz" || e.Line < 1 || e.Col < 0 || e.Code == "" || e.Msg == "" {
			t.Fatalf("malformed error %#v", e)
		}
		return
	}
	if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrBadGzip) {
		t.Fatalf("unexpected error type %T: %v", err, err)
	}
}

// fuzzRead feeds data to a reader; a refusal must be one of the errors
// checkReadError accepts, and ok then is false.
func fuzzRead[T any](t *testing.T, data []byte, read func(*Source, Limits) (T, error)) (v T, src *Source, ok bool) {
	src, err := NewSource("fuzz", io.NopCloser(bytes.NewReader(data)), fuzzLimits)
	if err != nil {
		checkReadError(t, err)
		return v, nil, false
	}
	if v, err = read(src, fuzzLimits); err != nil {
		checkReadError(t, err)
		return v, src, false
	}
	return v, src, true
}

func FuzzReadRun(f *testing.F) {
	for _, s := range []string{
		"t1 Q0 d1 1 0.5 tag\nt1 Q0 d2 2 0.25 tag\nt2 Q0 d1 1 1 tag\n",
		"\ufefft Q0 d 1 1e-3 r\r\nt Q0 e 2 -0 r\r\n",
		"t Q0 d 1 NaN r\n",
		"t Q0 d 1 1 r\nt Q0 d 2 2 r\n",
		"t\tQ0\td\t1\t0x1p-2\tr",
		"  \n\n t Q0 d 99999999999 1 r\n",
		"t Q0 d 1 1 r extra\n",
		"\x1f\x8b\x08\x00",
		"<SYSDESC>bm25 </SYSDESC>\nt Q0 d 1 1 r\n",
		"\ufeff<sysdesc></SYSDESC>\r\nt Q0 d 1 1 r\n",
		"t Q0 d 1 1 r\n<SYSDESC>x</SYSDESC>\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		run, src, ok := fuzzRead(t, data, ReadRun)
		if !ok {
			return
		}
		if !src.Gzipped {
			total := 0
			for _, r := range run.ByID {
				total += len(r.Entries)
			}
			want := dataLines(data)
			if l := bytes.TrimLeft(bytes.TrimPrefix(data, bom), " \t\v\f"); hasPrefixFold(l, "<sysdesc") || hasPrefixFold(l, "</sysdesc") {
				want-- // the SYSDESC line, read as the description
			}
			if total != want {
				t.Fatalf("%d entries from %d data lines", total, want)
			}
		}
		checkRunInvariants(t, run)
		// Round trip: what WriteRun writes reads back to the same run.
		var buf bytes.Buffer
		if err := WriteRun(&buf, run); err != nil {
			t.Fatal(err)
		}
		back, err := ReadRun(mustSource(t, buf.Bytes()), Limits{MaxLine: 1 << 20})
		if err != nil {
			t.Fatalf("re-reading WriteRun output: %v\n%s", err, buf.String())
		}
		if run.Description != back.Description {
			t.Fatalf("description %q became %q", run.Description, back.Description)
		}
		if !slices.Equal(run.Topics, back.Topics) {
			t.Fatalf("topics %q became %q", run.Topics, back.Topics)
		}
		for _, topic := range run.Topics {
			a, b := run.ByID[topic].Entries, back.ByID[topic].Entries
			if len(a) != len(b) {
				t.Fatalf("topic %q: %d entries became %d", topic, len(a), len(b))
			}
			for i := range a {
				if a[i].Doc != b[i].Doc || math.Float64bits(a[i].Score) != math.Float64bits(b[i].Score) || b[i].Rank != int32(i+1) {
					t.Fatalf("topic %q entry %d: %+v became %+v", topic, i, a[i], b[i])
				}
			}
		}
	})
}

func mustSource(t *testing.T, data []byte) *Source {
	src, err := NewSource("fuzz", io.NopCloser(bytes.NewReader(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// checkRunInvariants: topics sorted and unique, each ranking strictly in
// evaluation order (so no document twice), finite scores.
func checkRunInvariants(t *testing.T, run *eval.Run) {
	if !slices.IsSorted(run.Topics) || len(run.Topics) != len(run.ByID) {
		t.Fatalf("topics %q not sorted or not the keys of ByID", run.Topics)
	}
	for _, topic := range run.Topics {
		r := run.ByID[topic]
		if r == nil || r.Topic != topic || len(r.Entries) == 0 {
			t.Fatalf("topic %q: bad ranking %+v", topic, r)
		}
		for i, e := range r.Entries {
			if math.IsNaN(e.Score) || math.IsInf(e.Score, 0) {
				t.Fatalf("topic %q: non-finite score %v", topic, e.Score)
			}
			if i > 0 && eval.CompareEntries(r.Entries[i-1], e) >= 0 {
				t.Fatalf("topic %q: entries %d and %d out of order or duplicate: %+v %+v", topic, i-1, i, r.Entries[i-1], e)
			}
		}
	}
}

func FuzzReadQrels(f *testing.F) {
	for _, s := range []string{
		"t1 0 d1 1\nt1 0 d2 0\nt2 0 d1 3\n",
		"cola 0 org/m 83.41323106423778\ncola 0 org/n -1e-3\n",
		"t 0 d 1\nt 0 d 2\n",
		"t 0 d inf\n",
		"\ufefft 0 d 2\r\n\r\n",
		"t 0 d\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, src, ok := fuzzRead(t, data, ReadQrels)
		if !ok {
			return
		}
		if !slices.IsSorted(q.Topics) || len(q.Topics) != len(q.ByID) {
			t.Fatalf("topics %q not sorted or not the keys of ByID", q.Topics)
		}
		total := 0
		var recs []QrelsRecord
		for _, topic := range q.Topics {
			tq := q.ByID[topic]
			if len(tq.Docs) != len(tq.Value) || len(tq.Docs) != len(tq.Lines) || len(tq.Docs) == 0 {
				t.Fatalf("topic %q: %d docs, %d values, %d lines", topic, len(tq.Docs), len(tq.Value), len(tq.Lines))
			}
			total += len(tq.Docs)
			for i, d := range tq.Docs {
				v := tq.Value[d]
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("topic %q doc %q: non-finite value", topic, d)
				}
				if i > 0 && tq.Lines[i] <= tq.Lines[i-1] {
					t.Fatalf("topic %q: lines not increasing: %v", topic, tq.Lines)
				}
				recs = append(recs, QrelsRecord{Topic: topic, Doc: d, Value: FormatScore(v)})
			}
		}
		if !src.Gzipped {
			if want := dataLines(data); total != want {
				t.Fatalf("%d judgments from %d data lines", total, want)
			}
		}
		var buf bytes.Buffer
		if err := WriteQrels(&buf, recs); err != nil {
			t.Fatal(err)
		}
		back, err := ReadQrels(mustSource(t, buf.Bytes()), Limits{MaxLine: 1 << 20})
		if err != nil {
			t.Fatalf("re-reading WriteQrels output: %v\n%s", err, buf.String())
		}
		for _, topic := range q.Topics {
			a, b := q.ByID[topic], back.ByID[topic]
			if b == nil || !slices.Equal(a.Docs, b.Docs) {
				t.Fatalf("topic %q: docs changed in the round trip", topic)
			}
			for _, d := range a.Docs {
				if math.Float64bits(a.Value[d]) != math.Float64bits(b.Value[d]) {
					t.Fatalf("topic %q doc %q: %v became %v", topic, d, a.Value[d], b.Value[d])
				}
			}
		}
	})
}

// TestBOMInsideIsAnError is the regression test of a FuzzReadQrels finding
// (testdata/fuzz/FuzzReadQrels/bom-inside-identifier): a byte order mark
// inside the input became part of an identifier, so "\ufeffcola" was read
// as a topic of its own, and written first in a file it read back as a BOM.
func TestBOMInsideIsAnError(t *testing.T) {
	text := "cola 0 m1 1\n\ufeffcola 0 m2 2\n"
	_, err := ReadQrels(mustSource(t, []byte(text)), DefaultLimits)
	var e *Error
	if !errors.As(err, &e) || *e != (Error{File: "fuzz", Line: 2, Col: 1, Code: "bom-inside",
		Msg: "byte order mark (U+FEFF) inside the file (were files with byte order marks concatenated?)"}) {
		t.Fatalf("got %v", err)
	}
	_, err = ReadRun(mustSource(t, []byte("t Q0 d\ufeff 1 1 r\n")), DefaultLimits)
	if !errors.As(err, &e) || e.Code != "bom-inside" || e.Col != 7 {
		t.Fatalf("got %v", err)
	}
	// At the very start it is a BOM, and stripped.
	q, err := ReadQrels(mustSource(t, []byte("\ufeffcola 0 m1 1\n")), DefaultLimits)
	if err != nil || len(q.Topics) != 1 || q.Topics[0] != "cola" {
		t.Fatalf("got %v, %v", q, err)
	}
}

// TestLongLineCutAtCR is the regression test of a FuzzReadQrels finding
// (testdata/fuzz/FuzzReadQrels/long-line-cut-at-cr): a line longer than
// MaxLine whose byte MaxLine+1 is a CR was cut there, the CR stripped as a
// line end, and the line taken for one of exactly MaxLine bytes: blank, so
// its data was silently skipped. Both ways into readLong are covered: a
// line that fits the 64 KiB buffer, and one that does not.
func TestLongLineCutAtCR(t *testing.T) {
	for _, maxLine := range []int{8, 70000} {
		text := strings.Repeat(" ", maxLine) + "\r0 0 0 1\n"
		lim := Limits{MaxLine: maxLine}
		_, err := ReadQrels(mustSource(t, []byte(text)), lim)
		var e *Error
		if !errors.As(err, &e) || e.Code != "line-length" || e.Line != 1 {
			t.Fatalf("MaxLine %d: got %v", maxLine, err)
		}
		// A line of exactly MaxLine bytes with a CRLF end is fine.
		ok := "t 0 d 1" + strings.Repeat(" ", maxLine-7) + "\r\n"
		q, err := ReadQrels(mustSource(t, []byte(ok)), lim)
		if err != nil || len(q.Topics) != 1 {
			t.Fatalf("MaxLine %d: line of exactly MaxLine bytes: %v", maxLine, err)
		}
	}
}

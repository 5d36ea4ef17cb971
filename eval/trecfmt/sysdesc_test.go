package trecfmt

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadRunSysdesc(t *testing.T) {
	const lines = "T1 Q0 a 1 2 tag\nT1 Q0 b 2 1 tag\n"
	tests := []struct {
		name, text, desc string
	}{
		{"none", lines, ""},
		{"upper", "<SYSDESC>BM25 with RM3</SYSDESC>\n" + lines, "BM25 with RM3"},
		{"lower", "<sysdesc>bm25</sysdesc>\n" + lines, "bm25"},
		{"mixed case and spaces", "  <SysDesc>  dense retriever  </sYsDeSc> \t\n" + lines, "dense retriever"},
		{"BOM before it", "\ufeff<SYSDESC>x</SYSDESC>\n" + lines, "x"},
		{"CRLF", "<SYSDESC>x</SYSDESC>\r\n" + lines, "x"},
		{"UTF-8", "<SYSDESC>ランキング学習 (LambdaMART) – ünïcödé</SYSDESC>\n" + lines, "ランキング学習 (LambdaMART) – ünïcödé"},
		{"empty", "<SYSDESC></SYSDESC>\n" + lines, ""},
		{"angle brackets inside", "<SYSDESC>a<b>c</SYSDESC>\n" + lines, "a<b>c"},
		{"only the line", "<SYSDESC>x</SYSDESC>\n", "x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run, err := readRunString(t, tc.text, DefaultLimits)
			require.NoError(t, err)
			assert.Equal(t, tc.desc, run.Description)
			if strings.HasSuffix(tc.text, lines) && tc.text != lines {
				assert.Equal(t, []string{"T1"}, run.Topics)
				assert.Equal(t, "tag", run.Tag)
				require.Len(t, run.ByID["T1"].Entries, 2)
				assert.Equal(t, int32(2), run.ByID["T1"].Entries[0].Line, "line numbers count the SYSDESC line")
			}
		})
	}
}

func TestReadRunSysdescErrors(t *testing.T) {
	const line = "T1 Q0 a 1 2 tag\n"
	tests := []struct {
		name, text, want string
	}{
		{"second line", line + "<SYSDESC>x</SYSDESC>\n", "run.txt:2:1: a <SYSDESC> line is allowed only as the first line of the file (this is line 2)"},
		{"after a blank line", "\n<SYSDESC>x</SYSDESC>\n" + line, "run.txt:2:1: a <SYSDESC> line is allowed only as the first line of the file (this is line 2)"},
		{"twice", "<SYSDESC>x</SYSDESC>\n<SYSDESC>y</SYSDESC>\n" + line, "run.txt:2:1: a <SYSDESC> line is allowed only as the first line of the file (this is line 2)"},
		{"closing tag alone later", line + "</SYSDESC>\n", "run.txt:2:1: a <SYSDESC> line is allowed only as the first line of the file (this is line 2)"},
		{"no closing tag", "<SYSDESC>x\n" + line, "run.txt:1:1: the SYSDESC line does not end with </SYSDESC>: it must be exactly <SYSDESC>short description of the system</SYSDESC>"},
		{"text after the closing tag", "<SYSDESC>x</SYSDESC> y\n" + line, "run.txt:1:1: the SYSDESC line does not end with </SYSDESC>: it must be exactly <SYSDESC>short description of the system</SYSDESC>"},
		{"open tag misspelt", "<SYSDESC x</SYSDESC>\n" + line, "run.txt:1:1: malformed SYSDESC line: it must be exactly <SYSDESC>short description of the system</SYSDESC>"},
		{"closing tag first", "</SYSDESC>x</SYSDESC>\n" + line, "run.txt:1:1: malformed SYSDESC line: it must be exactly <SYSDESC>short description of the system</SYSDESC>"},
		{"tags overlap", "<SYSDESC>/SYSDESC>\n" + line, "run.txt:1:1: the SYSDESC line does not end with </SYSDESC>: it must be exactly <SYSDESC>short description of the system</SYSDESC>"},
		{"nested", "<SYSDESC>a</SYSDESC><SYSDESC>b</SYSDESC>\n" + line, "run.txt:1:11: a SYSDESC line holds one description: a second <SYSDESC> or </SYSDESC> tag is inside it"},
		{"tab", "<SYSDESC>a\tb</SYSDESC>\n" + line, "run.txt:1:11: the system description holds the control character U+0009; use printable text only"},
		{"escape", "<SYSDESC>\x1b[31mred</SYSDESC>\n" + line, "run.txt:1:10: the system description holds the control character U+001B; use printable text only"},
		{"DEL", "<SYSDESC>a\x7f</SYSDESC>\n" + line, "run.txt:1:11: the system description holds the control character U+007F; use printable text only"},
		{"C1", "<SYSDESC>a\u0085</SYSDESC>\n" + line, "run.txt:1:11: the system description holds the control character U+0085; use printable text only"},
		{"bidi override", "<SYSDESC>a\u202eb</SYSDESC>\n" + line, "run.txt:1:11: the system description holds the control character U+202E; use printable text only"},
		{"line separator", "<SYSDESC>a\u2028b</SYSDESC>\n" + line, "run.txt:1:11: the system description holds the control character U+2028; use printable text only"},
		{"bare CR", "<SYSDESC>a\rb</SYSDESC>\n" + line, "run.txt:1:11: the system description holds the control character U+000D; use printable text only"},
		{"invalid UTF-8", "<SYSDESC>a\xffb</SYSDESC>\n" + line, "run.txt:1:11: invalid UTF-8 byte 0xff in the system description (the file must be UTF-8 encoded)"},
		{"NUL", "<SYSDESC>a\x00</SYSDESC>\n" + line, "run.txt:1:11: NUL byte in line (binary file?)"},
		{"BOM inside", "<SYSDESC>a\ufeff</SYSDESC>\n" + line, "run.txt:1:11: byte order mark (U+FEFF) inside the file (were files with byte order marks concatenated?)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readRunString(t, tc.text, DefaultLimits)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// The description is bounded by the line limit, like every line.
func TestReadRunSysdescLineLimit(t *testing.T) {
	lim := DefaultLimits
	lim.MaxLine = 40
	ok := "<SYSDESC>" + strings.Repeat("x", 40-len("<SYSDESC></SYSDESC>")) + "</SYSDESC>\n"
	run, err := readRunString(t, ok+"T1 Q0 a 1 2 tag\n", lim)
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("x", 21), run.Description)
	_, err = readRunString(t, "<SYSDESC>"+strings.Repeat("x", 22)+"</SYSDESC>\n", lim)
	require.Error(t, err)
	assert.Equal(t, "run.txt:1: line longer than 40 bytes (raise --max-line if this is intended)", err.Error())
}

// WriteRun writes the description back as the first line, and the file
// reads back to the same run.
func TestWriteRunSysdescRoundTrip(t *testing.T) {
	run, err := readRunString(t, "<sysdesc> BM25 </sysdesc>\nT1 Q0 a 1 2 tag\n", DefaultLimits)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, WriteRun(&b, run))
	assert.Equal(t, "<SYSDESC>BM25</SYSDESC>\nT1 Q0 a 1 2 tag\n", b.String())
	back, err := readRunString(t, b.String(), DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "BM25", back.Description)
}

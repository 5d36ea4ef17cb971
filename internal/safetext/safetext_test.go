package safetext

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"run.txt", "run.txt"},
		{"runs/team-a/run-1.gz", "runs/team-a/run-1.gz"},
		{"β-run", `"β-run"`},
		{"it's", `"it's"`},
		{"T01", "T01"},
		{"", `""`},
		{"my run.txt", `"my run.txt"`},
		{"evil\n\x1b[31mrun.txt: valid", `"evil\n\x1b[31mrun.txt: valid"`},
		{"a\rb", `"a\rb"`},
		{"tab\there", `"tab\there"`},
		{"\x00", `"\x00"`},
		{"\x7f", `"\x7f"`},
		{"bad\xffutf8", `"bad\xffutf8"`},
		{"\u202eexe.txt", `"\u202eexe.txt"`}, // right-to-left override
		{"line\u2028sep", `"line\u2028sep"`},
		{"nbsp\u00a0x", `"nbsp\u00a0x"`},
		{`"quoted"`, `"\"quoted\""`},
		{`back\slash`, `"back\\slash"`},
		{"\u00ad", `"\u00ad"`}, // soft hyphen: invisible
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Name(tc.in), "%q", tc.in)
	}
}

// Whatever the input, the output is one line of printable characters.
func FuzzName(f *testing.F) {
	f.Add("run.txt")
	f.Add("evil\n\x1b[31m")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		out := Name(s)
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
				t.Fatalf("Name(%q) = %q holds %U", s, out, r)
			}
		}
		if out == s {
			assert.NotEmpty(t, s)
			assert.NotEqual(t, byte('"'), s[0])
		}
	})
}

func TestList(t *testing.T) {
	assert.Equal(t, "", List(nil, 3))
	assert.Equal(t, "a, b", List([]string{"a", "b"}, 3))
	assert.Equal(t, "a, b, c", List([]string{"a", "b", "c"}, 3))
	assert.Equal(t, "a, b, c … and 2 more", List([]string{"a", "b", "c", "d", "e"}, 3))
	assert.Equal(t, `"\x1b[31mred", ok`, List([]string{"\x1b[31mred", "ok"}, 3))
}

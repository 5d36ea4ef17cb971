package safetext

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mnli-lp", "mnli-lp"},
		{"", ""},
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+1", "'+1"},
		{"-run", "'-run"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, CSVCell(tc.in), tc.in)
	}
}

package suggest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 2, 3}, // over the limit: limit+1
		{"", "abc", 5, 3},
		{"abc", "abc", 0, 0},
		{"leaderbord", "leaderboard", 3, 1},
		{"evla", "eval", 3, 1}, // a swap of adjacent letters is one edit
		{"trian", "train", 3, 1},
		{"ca", "abc", 3, 3},       // optimal string alignment, not full Damerau (which says 2)
		{"abc", "abcdefgh", 2, 3}, // length gap alone exceeds the limit
		{strings.Repeat("a", 1<<20), strings.Repeat("a", 300), 3, 0}, // compared on 256 bytes
	} {
		assert.Equal(t, tc.want, Distance(tc.a, tc.b, tc.limit), "%q %q", tc.a, tc.b)
	}
}

func TestClosest(t *testing.T) {
	cmds := []string{"baseline", "diff", "eval", "fuse", "leaderboard", "measures", "noise", "pool", "validate"}
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"leaderbord", []string{"leaderboard"}},
		{"evl", []string{"eval"}},
		{"EVAL", []string{"eval"}},
		{"pol", []string{"pool"}},
		{"xyz", nil},
		{"validat", []string{"validate"}},
	} {
		assert.Equal(t, tc.want, Closest(tc.name, cmds, 3), tc.name)
	}
	// Ties are all returned, in candidate order, up to the limit.
	assert.Equal(t, []string{"bat", "cat"}, Closest("hat", []string{"bat", "cat", "rat"}, 2))
	// A closer candidate later in the list replaces earlier, farther ones.
	assert.Equal(t, []string{"bert-base-cased"}, Closest("bert-base-casd", []string{"bert-large-cased", "bert-base-cased"}, 3))
}

func TestPhrase(t *testing.T) {
	assert.Equal(t, ``, Phrase(nil))
	assert.Equal(t, `"a"`, Phrase([]string{"a"}))
	assert.Equal(t, `"a" or "b"`, Phrase([]string{"a", "b"}))
	assert.Equal(t, `"a", "b" or "c\n"`, Phrase([]string{"a", "b", "c\n"}))
	assert.Equal(t, []string{"a", "b"}, Unique([]string{"a", "b", "a"}))
}

func TestClosestShortNames(t *testing.T) {
	// One-letter flags are all one edit apart: suggest only a case change.
	assert.Nil(t, Closest("q", []string{"m", "o", "h"}, 3))
	assert.Equal(t, []string{"o"}, Closest("O", []string{"m", "o", "h"}, 3))
}

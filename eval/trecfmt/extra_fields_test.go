package trecfmt

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fields after the run tag are ignored, as trec_eval ignores them (its own
// test/results.trunc has them); the tag trec_eval prints is the last
// line's.
func TestRunExtraFieldsAndLastTag(t *testing.T) {
	run, err := readRunString(t, "301\tQ0\tFBIS3-27619\t99\t  2.138276\tSTANDARD more junk at\n"+
		"303 Q0 FT941-17652 99 1.857372 OTHER end of lines.\n"+
		"301 Q0 d2 1 3 LAST\n", DefaultLimits)
	require.NoError(t, err)
	assert.Equal(t, "STANDARD", run.Tag)
	assert.Equal(t, "LAST", run.LastTag)
	assert.Equal(t, []string{"301", "303"}, run.Topics)
	assert.Equal(t, "d2", run.ByID["301"].Entries[0].Doc)
	assert.Equal(t, 2.138276, run.ByID["301"].Entries[1].Score)
	_, err = readRunString(t, "301 Q0 d 1 2\n", DefaultLimits)
	assert.EqualError(t, err, "run.txt:1: expected 6 fields (topic Q0 docno rank score tag), found 5")
}

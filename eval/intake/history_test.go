package intake

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/validate"
)

func TestHistoryListsEveryVersionOldestFirst(t *testing.T) {
	s := testStore(t)
	v := testValidator(t, validate.TaskA)
	for i, sub := range []struct {
		team, tag string
		replace   bool
	}{{"t1", "r", false}, {"t2", "r", false}, {"t1", "r", true}} {
		res, err := s.Submit(v, Submission{Path: "x.run", Reader: strings.NewReader(runText(sub.tag, i)), Team: sub.team, Replace: sub.replace})
		require.NoError(t, err)
		require.True(t, res.Accepted, "submission %d: %s", i, res.Reason)
	}
	h, err := History(s.Dir)
	require.NoError(t, err)
	require.Len(t, h, 3)
	type row struct {
		Team              string
		Version, Replaces int
		Path              string
	}
	var got []row
	for _, e := range h {
		got = append(got, row{e.Team, e.Version, e.Replaces, e.Normalised.Path})
	}
	assert.Equal(t, []row{{"t1", 1, 0, "A/t1/r/v1.run"}, {"t2", 1, 0, "A/t2/r/v1.run"}, {"t1", 2, 1, "A/t1/r/v2.run"}}, got)
	assert.Equal(t, testTime, h[2].Time)

	_, err = History(filepath.Join(s.Dir, "missing"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

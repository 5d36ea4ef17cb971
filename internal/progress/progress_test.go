package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOffTerminalDrawsNothing(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	require.NoError(t, err)
	defer file.Close()
	for _, tc := range []struct {
		name string
		bars *Bars
		read func() string
	}{
		{"buffer", New(&bytes.Buffer{}), func() string { return "" }},
		{"regular file", New(file), func() string {
			data, err := os.ReadFile(file.Name())
			require.NoError(t, err)
			return string(data)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Nil(t, tc.bars.Callback("scoring runs"))
			tc.bars.Report("scoring runs", 3, 10)
			tc.bars.Finish()
			assert.Empty(t, tc.read())
		})
	}
}

func TestOnTerminalOneBarPerTask(t *testing.T) {
	var out bytes.Buffer
	bars := newBars(&out, true)
	cb := bars.Callback("reading runs")
	require.NotNil(t, cb)
	cb(2, 4)
	assert.Contains(t, out.String(), "reading runs")
	assert.Contains(t, out.String(), "(2/4")
	assert.Equal(t, "reading runs", bars.task)
	bars.Describe("reading runs, 1 left")
	first := bars.bar
	bars.Report("reading runs", 3, 4)
	assert.Same(t, first, bars.bar, "the same task keeps its bar")
	assert.Equal(t, "reading runs, 1 left", bars.bar.State().Description)
	assert.Equal(t, int64(3), bars.bar.State().CurrentNum)

	// A report for another task replaces the bar.
	bars.Report("noise ceiling", 1, 200)
	assert.Equal(t, "noise ceiling", bars.task)
	assert.Equal(t, int64(200), bars.bar.GetMax64())
	bars.Finish()
	assert.Nil(t, bars.bar)
	assert.Equal(t, "", bars.task)
	bars.Finish() // twice is harmless
}

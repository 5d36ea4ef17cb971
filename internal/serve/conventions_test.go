package serve

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/intake"
)

// The NTCIR conventions reach the site through the store: a phase's store
// with a run name pattern checks uploads against it, and the history shows
// each run's priority and system description as intake recorded them.
func TestConventionsShown(t *testing.T) {
	f := newFixture(t, nil)
	store, err := intake.Open(filepath.Join(f.dir, "runs", "dry"))
	require.NoError(t, err)
	require.NoError(t, store.SetRunName("{team}-A-{priority}"))

	code, o := f.upload(f.tokens["t1"], "t1-A-1.run", "<SYSDESC>BM25 <b>+</b> RM3</SYSDESC>\n"+runText("t1-A-1", 0), "phase", "dry")
	require.Equal(t, http.StatusCreated, code, o.Message)
	code, o = f.upload(f.tokens["t1"], "t2-A-1.run", runText("t2-A-1", 0), "phase", "dry")
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Equal(t, `run tag "t2-A-1" names team "t2", but it is submitted by team "t1"`, o.Message)
	code, o = f.upload(f.tokens["t1"], "r.run", runText("r", 0), "phase", "dry")
	assert.Equal(t, http.StatusUnprocessableEntity, code, o.Message)

	runs, err := intake.ListRuns(store.Dir)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, "BM25 <b>+</b> RM3", runs[0].Description)
	assert.Equal(t, 1, runs[0].Name.Priority)

	b := &browser{f: f, cookies: map[string]string{}}
	b.signIn(f.tokens["t1"])
	hist := b.send(httptest.NewRequest("GET", "/history", nil)).Body.String()
	assert.Contains(t, hist, `<td>t1-A-1 <small>(priority 1)</small><br><small class="desc">BM25 &lt;b&gt;&#43;&lt;/b&gt; RM3</small></td>`)
}

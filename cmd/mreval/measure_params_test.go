package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Issue 14: `eval -m q_-1` and `leaderboard -m q_-1` panicked in a worker
// goroutine; rbp_1.5 printed undef. A parameter outside its measure's
// domain is now a usage error naming the measure and the allowed range.
func TestMeasureParameterOutsideDomainIsAUsageError(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"eval", "-m", "q_-1", "testdata/in/small.qrels", "testdata/in/small.run"},
			`mreval: measure "q_-1": parameter -1 out of range: β must be in [0, 1000]` + "\n"},
		{[]string{"eval", "-m", "rbp_1.5", "testdata/in/small.qrels", "testdata/in/small.run"},
			`mreval: measure "rbp_1.5": parameter 1.5 out of range: persistence p must be in [0, 1)` + "\n"},
		{[]string{"eval", "-m", "rbp_-0.5", "testdata/in/small.qrels", "testdata/in/small.run"},
			`mreval: measure "rbp_-0.5": parameter -0.5 out of range: persistence p must be in [0, 1)` + "\n"},
		{[]string{"leaderboard", "--qrels", "testdata/in/lb.qrels", "--runs", "testdata/in/lb", "-m", "q_-1"},
			`mreval: measure "q_-1": parameter -1 out of range: β must be in [0, 1000]` + "\n"},
		{[]string{"measures", "P@0"},
			`mreval: measure "P@0": parameter 0 out of range: cutoff k must be an integer in [1, 1000000000]` + "\n"},
	}
	for _, tc := range tests {
		status, stdout, errOut := runCLI(tc.args...)
		assert.Equal(t, 2, status, "%v: %s", tc.args, errOut)
		assert.Empty(t, stdout, tc.args)
		assert.Equal(t, tc.msg, errOut, tc.args)
	}
}

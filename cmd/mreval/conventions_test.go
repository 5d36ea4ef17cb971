package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestConventionUnknownCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"leaderbord"}, `mreval: unknown command "leaderbord" for 'mreval'; did you mean "leaderboard"? (see 'mreval --help')` + "\n"},
		{[]string{"frobnicate", "x"}, `mreval: unknown command "frobnicate" for 'mreval' (see 'mreval --help')` + "\n"},
		{[]string{"help", "evl"}, `mreval: unknown command "evl" for 'mreval'; did you mean "eval"? (see 'mreval --help')` + "\n"},
		{[]string{"baseline", "estimat", "--estimator", "leep"}, `mreval: unknown command "estimat" for 'mreval baseline'; did you mean "estimate"? (see 'mreval baseline --help')` + "\n"},
		{[]string{"baseline", "modelspider", "trian"}, `mreval: unknown command "trian" for 'mreval baseline modelspider'; did you mean "train"? (see 'mreval baseline modelspider --help')` + "\n"},
	} {
		status, stdout, stderr := runCLI(tc.args...)
		assert.Equal(t, 2, status, "%v", tc.args)
		assert.Empty(t, stdout)
		assert.Equal(t, tc.want, stderr)
	}
}

func TestConventionFlagEchoedAsTyped(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"leaderboard", "--qrelsx", "q"}, "mreval: flag provided but not defined: --qrelsx; did you mean --qrels? (see 'mreval help leaderboard')\n"},
		{[]string{"leaderboard", "-qrelsx", "q"}, "mreval: flag provided but not defined: -qrelsx; did you mean --qrels? (see 'mreval help leaderboard')\n"},
		{[]string{"leaderboard", "--qrelsx=q"}, "mreval: flag provided but not defined: --qrelsx; did you mean --qrels? (see 'mreval help leaderboard')\n"},
		{[]string{"leaderboard", "-q"}, "mreval: flag provided but not defined: -q (see 'mreval help leaderboard')\n"},
		{[]string{"eval", "--zzz"}, "mreval: flag provided but not defined: --zzz (see 'mreval help eval')\n"},
	} {
		status, stdout, stderr := runCLI(tc.args...)
		assert.Equal(t, 2, status, "%v", tc.args)
		assert.Empty(t, stdout)
		assert.Equal(t, tc.want, stderr, "%v", tc.args)
	}
}

func TestConventionVersionLine(t *testing.T) {
	full := &debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/ntcir-pmr/mreval", Version: "v1.2.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2025-06-01T12:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	assert.Equal(t, "mreval v1.2.0 (revision 0123456789ab, 2025-06-01T12:00:00Z, modified; go1.26.0)", versionLine(full, true))
	clean := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}}
	assert.Equal(t, "mreval v1.2.0 (revision abc; go1.26.0)", versionLine(clean, true))
	assert.Equal(t, "mreval (devel) (revision unknown; go1.26.0)", versionLine(&debug.BuildInfo{GoVersion: "go1.26.0"}, true))
	assert.Equal(t, "mreval (unknown version: built without module information)", versionLine(nil, false))

	// Both spellings print the running binary's line on stdout, exit 0.
	info, ok := debug.ReadBuildInfo()
	for _, args := range [][]string{{"--version"}, {"version"}} {
		status, stdout, stderr := runCLI(args...)
		assert.Equal(t, 0, status)
		assert.Equal(t, versionLine(info, ok)+"\n", stdout)
		assert.Empty(t, stderr)
	}
	status, _, stderr := runCLI("version", "extra")
	assert.Equal(t, 2, status)
	assert.Equal(t, "mreval: version takes no arguments\n", stderr)
}

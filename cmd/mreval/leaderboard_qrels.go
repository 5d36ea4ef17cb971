package main

import (
	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// leaderboardArgs splits the arguments into the qrels file (--qrels, or a
// first argument shaped as qrels when neither --qrels nor --collection is
// given, so that `leaderboard QRELS RUN...` works as `eval QRELS RUN...`)
// and the run files.
func leaderboardArgs(c *cli.Context, lim trecfmt.Limits) (qrels string, runs []string) {
	args := c.Args().Slice()
	if !c.IsSet("qrels") && !c.IsSet("collection") && qrelsFirstArg(args, lim) {
		return args[0], args[1:]
	}
	return c.String("qrels"), args
}

// inputFiles are the files the board was computed from, which -o must not
// name.
func inputFiles(in *lbInput) []string {
	files := []string{in.qrelsName}
	for _, r := range in.runs {
		files = append(files, r.File)
	}
	return files
}

package main

import (
	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/internal/progress"
)

// newBars makes a command's progress bars; a test replaces it to see that
// a command reports progress (off a terminal, the real bars draw nothing).
var newBars = progress.New

// newProgress is the progress bars of a command that can run for more
// than a couple of seconds: drawn on standard error when it is a terminal.
func newProgress(c *cli.Context) *progress.Bars { return newBars(c.App.ErrWriter) }

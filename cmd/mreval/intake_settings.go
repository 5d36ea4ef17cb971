package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

var intakeSettingsCommand = &cli.Command{
	Name:      "settings",
	Usage:     "show or set a store's run name pattern",
	ArgsUsage: " ",
	Description: `Prints the store's settings. --run-name PATTERN sets the run name pattern every
later intake (and mreval serve) checks run tags against and records the
parts of (see 'mreval validate --run-name'); --run-name '' removes it. Runs
already stored keep what they were accepted with.`,
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "store", Usage: "submission store directory (created if missing)"},
		&cli.StringFlag{Name: "run-name", Usage: "run name pattern, e.g. '{team}-A-{priority}' ('' = none)"},
	},
	Action: intakeSettingsAction,
}

func intakeSettingsAction(c *cli.Context) error {
	dir := c.String("store")
	if dir == "" {
		return usagef("intake settings needs --store DIR")
	}
	if c.NArg() > 0 {
		return usagef("intake settings takes no arguments, got %q", strings.Join(c.Args().Slice(), " "))
	}
	if c.IsSet("run-name") {
		if p := c.String("run-name"); p != "" {
			if _, err := validate.ParseNamePattern(p); err != nil {
				return usagef("--run-name: %v", err)
			}
		}
		store, err := intake.Open(dir)
		if err != nil {
			return err
		}
		if err := store.SetRunName(c.String("run-name")); err != nil {
			return err
		}
	}
	pattern, err := intake.RunNamePattern(dir)
	if err != nil {
		return err
	}
	if pattern == "" {
		pattern = "(none)"
	}
	fmt.Fprintf(c.App.Writer, "%s: run name pattern %s\n", safetext.Name(dir), pattern)
	return nil
}

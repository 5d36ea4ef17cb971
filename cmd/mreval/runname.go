package main

import (
	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/validate"
)

// runNameFlag is the run name pattern of validate, intake and pool.
var runNameFlag = &cli.StringFlag{Name: "run-name",
	Usage: "run tags must follow this pattern, e.g. '{team}-A-{priority}' (placeholders {team} {subtask} {priority} {any}; default: the collection's or the store's)"}

// runNameFromFlags is --run-name, else the pattern of --collection, else
// none (nil). A store's own pattern is applied by the store.
func runNameFromFlags(c *cli.Context) (*validate.NamePattern, error) {
	text := c.String("run-name")
	if !c.IsSet("run-name") {
		if name := c.String("collection"); name != "" {
			if coll, err := collection.Lookup(name); err == nil {
				text = coll.RunName
			}
		}
	}
	if text == "" {
		if c.IsSet("run-name") {
			return nil, usagef("--run-name: the pattern is empty")
		}
		return nil, nil
	}
	p, err := validate.ParseNamePattern(text)
	if err != nil {
		return nil, usagef("--run-name: %v", err)
	}
	return p, nil
}

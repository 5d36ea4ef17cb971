package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/internal/safetext"
)

func (in *lbInput) setTeam(tag, team string) {
	if in.teams == nil {
		in.teams = map[string]string{}
	}
	in.teams[tag] = team
}

// teamsFromNames takes each run's team from its tag through the run name
// pattern (--run-name, or the collection's), when there is one; a run
// whose tag does not follow it is an error, not a run without a team.
func (in *lbInput) teamsFromNames(c *cli.Context) error {
	p, err := runNameFromFlags(c)
	if err != nil || p == nil {
		return err
	}
	for _, run := range in.runs {
		parts, err := p.Match(run.Tag)
		if err != nil {
			return fmt.Errorf("%s: %v", safetext.Name(run.File), err)
		}
		in.setTeam(run.Tag, parts.Team)
	}
	return nil
}

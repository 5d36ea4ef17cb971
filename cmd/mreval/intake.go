package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

func init() {
	register(&cli.Command{
		Name:      "intake",
		Usage:     "validate submitted runs and keep them in a submission store (organizers)",
		ArgsUsage: "RUN [RUN...]",
		Description: `Validates each RUN like 'mreval validate' and stores every valid one as
DIR/<task>/<team>/<runtag>/v<N>.run (normal form: LF, no BOM, topics sorted,
ranks renumbered in score order) next to the original bytes (v<N>.orig),
recording it in DIR/MANIFEST.jsonl. A run tag the team already has is refused
unless --replace; the replaced version is kept. No stored file is ever
replaced. Exit status: 0 = every run stored, 1 = some run refused or the
store failed, 2 = usage error. 'mreval intake verify' checks a store.`,
		Flags: append(validationFlags(),
			&cli.StringFlag{Name: "store", Usage: "submission store directory (created if missing)"},
			&cli.StringFlag{Name: "team", Usage: "team submitting the runs"},
			&cli.BoolFlag{Name: "replace", Usage: "store a new version of a run tag the team already has"},
			&cli.IntFlag{Name: "max-runs", Usage: "most run tags per team and task (0 = no limit)"},
		),
		Action: intakeAction,
		Subcommands: []*cli.Command{
			{
				Name:      "verify",
				Usage:     "re-hash a store against its manifest and report any drift",
				ArgsUsage: " ",
				Description: `Checks every file the manifest names (size and SHA-256) and lists files the
manifest does not account for. Exit status 0 = no drift, 1 = drift found.
--repair first migrates a store of the old format 1, then removes what
interrupted intakes left (staging directories, temporary files).`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "store", Usage: "submission store directory"},
					&cli.BoolFlag{Name: "repair", Usage: "migrate an old store and clear interrupted intakes before checking"},
				},
				Action: intakeVerifyAction,
			},
			intakeSettingsCommand, // intake_settings.go
		},
	})
}

func intakeAction(c *cli.Context) error {
	if c.String("store") == "" {
		return usagef("intake needs --store DIR")
	}
	if c.String("team") == "" {
		return usagef("intake needs --team TEAM")
	}
	if err := intake.CheckName("team name", c.String("team")); err != nil {
		return usagef("--team: %v", err)
	}
	if c.Int("max-runs") < 0 {
		return usagef("--max-runs must not be negative")
	}
	if c.NArg() == 0 {
		return usagef("intake needs at least one RUN file")
	}
	v, err := validatorFromFlags(c)
	if err != nil {
		return err
	}
	store, err := intake.Open(c.String("store"))
	if err != nil {
		return err
	}
	w := c.App.Writer
	refusedRuns := 0
	for _, path := range c.Args().Slice() {
		res, err := store.Submit(v, intake.Submission{
			Path: path, Team: c.String("team"), Replace: c.Bool("replace"), MaxRuns: c.Int("max-runs"),
		})
		if err != nil {
			return fmt.Errorf("%s: %w", safetext.Name(path), err)
		}
		for _, n := range res.Notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
		if res.Report != nil {
			if err := res.Report.WriteText(w); err != nil {
				return err
			}
		}
		if !res.Accepted {
			refusedRuns++
			fmt.Fprintf(w, "refused: %s: %s\n", safetext.Name(path), res.Reason)
			continue
		}
		e := res.Entry
		replaced := ""
		if e.Replaces > 0 {
			replaced = fmt.Sprintf(", replacing version %d", e.Replaces)
		}
		fmt.Fprintf(w, "accepted: %s: run %q of team %q stored as %s (version %d%s; sha256 %s)\n",
			safetext.Name(path), e.Tag, e.Team, e.Normalised.Path, e.Version, replaced, e.Normalised.SHA256)
	}
	if refusedRuns > 0 {
		return exitStatus(1)
	}
	return nil
}

func intakeVerifyAction(c *cli.Context) error {
	if c.String("store") == "" {
		return usagef("intake verify needs --store DIR")
	}
	if c.NArg() > 0 {
		return usagef("intake verify takes no arguments, got %q", strings.Join(c.Args().Slice(), " "))
	}
	res, err := intake.Verify(c.String("store"), c.Bool("repair"))
	if err != nil {
		return err
	}
	w := c.App.Writer
	for _, r := range res.Repairs {
		fmt.Fprintf(w, "repaired: %s\n", r)
	}
	for _, f := range res.Findings {
		fmt.Fprintf(w, "drift: %s\n", f)
	}
	status := "OK"
	if !res.OK() {
		status = fmt.Sprintf("DRIFT (%d findings)", len(res.Findings))
	}
	fmt.Fprintf(w, "%s: %d runs, %d versions, %d files re-hashed: %s\n", safetext.Name(c.String("store")), res.Runs, res.Versions, res.Files, status)
	if !res.OK() {
		return exitStatus(1)
	}
	return nil
}

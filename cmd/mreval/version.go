package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
)

func init() {
	register(&cli.Command{
		Name:      "version",
		Usage:     "print mreval's module version and the source revision it was built from",
		ArgsUsage: " ",
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef("version takes no arguments")
			}
			_, err := fmt.Fprintln(c.App.Writer, versionLine(debug.ReadBuildInfo()))
			return err
		},
	})
}

// versionLine says which build of mreval this is, so that a score can be
// traced to the code that computed it:
//
//	mreval v1.2.0 (revision 0123456789ab, 2025-06-01T12:00:00Z, modified; go1.26.0)
//
// The revision is the VCS commit the binary was built from (12 hex digits),
// "modified" when the working tree had uncommitted changes. `go install
// module@version` builds carry a module version but no revision; `go run`
// and test binaries carry "(devel)".
func versionLine(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "mreval (unknown version: built without module information)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var revision, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var details []string
	if revision == "" {
		details = append(details, "revision unknown")
	} else {
		details = append(details, "revision "+revision[:min(12, len(revision))])
	}
	if when != "" {
		details = append(details, when)
	}
	if modified {
		details = append(details, "modified")
	}
	tail := strings.Join(details, ", ")
	if info.GoVersion != "" {
		tail += "; " + info.GoVersion
	}
	return fmt.Sprintf("mreval %s (%s)", version, tail)
}

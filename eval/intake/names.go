package intake

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ntcir-pmr/mreval/eval/validate"
)

// maxNameLen bounds team names and run tags (the run tag rule of the task).
const maxNameLen = 64

// maxVersion is the most versions a run tag can have. The bound keeps
// version numbers, and so file names and manifest lines, small; the manifest
// reader refuses larger numbers, and intake refuses a new version before
// reaching them, so the store cannot write what it cannot read.
const maxVersion = 999_999

const nameRule = "use 1 to 64 characters from A-Z a-z 0-9 _ . - not starting with '.' or '-'"

// CheckName checks a team name or run tag before it becomes a directory name
// of the store: 1 to 64 characters from A–Z a–z 0–9 _ . -, not starting
// with '.' or '-'. That rules out path separators, "..", absolute paths,
// control characters, hidden files and names a shell command would read as
// an option, so no name can reach outside its place in the store. kind
// ("team name", "run tag") starts the error message, which quotes the name.
func CheckName(kind, name string) error {
	if err := checkStoredName(kind, name); err != nil {
		return err
	}
	if name[0] == '-' {
		return fmt.Errorf("%s %s is not allowed: it starts with '-' (it would read as an option); %s", kind, clipQuote(name), nameRule)
	}
	return nil
}

// checkStoredName is CheckName as the manifest reader applies it: stores
// written before the '-' rule may hold such names, and refusing to read
// them would lock those stores.
func checkStoredName(kind, name string) error {
	bad := func(why string) error {
		return fmt.Errorf("%s %s is not allowed: %s; %s", kind, clipQuote(name), why, nameRule)
	}
	switch {
	case name == "":
		return fmt.Errorf("%s is empty; %s", kind, nameRule)
	case len(name) > maxNameLen:
		return bad(fmt.Sprintf("it is %d bytes long", len(name)))
	}
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		switch {
		case r == '/' || r == '\\':
			return bad(fmt.Sprintf("it contains the path separator %q", r))
		case r == utf8.RuneError && size == 1:
			return bad("it is not valid UTF-8")
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return bad(fmt.Sprintf("it contains the control character %U", r))
		case !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-'):
			return bad(fmt.Sprintf("it contains %q", r))
		}
		i += size
	}
	if name[0] == '.' {
		return bad("it starts with '.'")
	}
	return nil
}

// clipQuote quotes a name for a message, shortened when it is long: a
// hostile name must neither reach the terminal raw nor flood it.
func clipQuote(s string) string {
	const max = 80
	if len(s) <= max {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:max]) + fmt.Sprintf("… (%d bytes)", len(s))
}

// checkTask accepts the subtasks, which name the top directories.
func checkTask(t validate.Task) error {
	if t != validate.TaskA && t != validate.TaskB {
		return fmt.Errorf("unknown task %q (want A or B)", t)
	}
	return nil
}

// The two files of a version.
const (
	kindRun  = "run"
	kindOrig = "orig"
)

// versionPath names a version's file, relative to the store:
// <task>/<team>/<tag>/v<N>.<kind>. Team and tag are checked names (no '/',
// not "." or ".."), so each is exactly one directory level and the mapping
// is injective by construction: no two (task, team, tag, version, kind)
// share a path, whatever the tag looks like.
func versionPath(task, team, tag string, v int, kind string) string {
	return path.Join(task, team, tag, versionFileName(v, kind))
}

func versionFileName(v int, kind string) string { return "v" + strconv.Itoa(v) + "." + kind }

// parseVersionFileName reads N and the kind from "v<N>.run" or "v<N>.orig",
// N in 1..maxVersion written without leading zeros: exactly the names
// versionFileName makes.
func parseVersionFileName(name string) (int, string, bool) {
	rest, ok := strings.CutPrefix(name, "v")
	if !ok {
		return 0, "", false
	}
	digits, kind, ok := strings.Cut(rest, ".")
	if !ok || (kind != kindRun && kind != kindOrig) {
		return 0, "", false
	}
	if digits == "" || len(digits) > len(strconv.Itoa(maxVersion)) || digits[0] == '0' || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, "", false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n > maxVersion {
		return 0, "", false
	}
	return n, kind, true
}

// parseVersionPath inverts versionPath; ok is false for any other path.
func parseVersionPath(p string) (task, team, tag string, v int, kind string, ok bool) {
	parts := strings.Split(p, "/")
	if len(parts) != 4 || checkTask(validate.Task(parts[0])) != nil ||
		checkStoredName("team name", parts[1]) != nil || checkStoredName("run tag", parts[2]) != nil {
		return "", "", "", 0, "", false
	}
	v, kind, ok = parseVersionFileName(parts[3])
	if !ok {
		return "", "", "", 0, "", false
	}
	return parts[0], parts[1], parts[2], v, kind, true
}

// Package safetext makes names that come from input — file names, team
// names, run tags, topic and document ids — safe to print in a line of
// terminal output or of a line-oriented report. A file named
// "evil\n\x1b[31mrun.txt: valid" printed raw forges a report line and
// injects terminal escapes; printed through Name it is one visible token.
package safetext

import (
	"fmt"
	"strconv"
	"strings"
)

// Name returns s unchanged when it is non-empty printable ASCII without
// spaces, quotes, apostrophes and backslashes, and otherwise s in Go's
// double-quoted syntax (strconv.Quote: control characters, invalid UTF-8,
// bidirectional overrides and line separators become escapes). Ordinary
// names print as before; a quoted one cannot be mistaken for a bare one,
// since a bare name never holds '"'. Non-ASCII names are quoted too, so
// that a look-alike letter or an invisible one is flagged by the quotes.
// The result is one line without escape bytes.
func Name(s string) string {
	if s == "" {
		return `""`
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '\'' {
			return strconv.Quote(s)
		}
	}
	return s
}

// List joins names for a message, each through Name, and stops after max
// of them with "… and N more": a list taken from input can hold a million
// names, and a message is not a dump.
func List(names []string, max int) string {
	var b strings.Builder
	for i, n := range names {
		if i == max {
			fmt.Fprintf(&b, " … and %d more", len(names)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Name(n))
	}
	return b.String()
}

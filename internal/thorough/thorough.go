// Package thorough says whether a test runs its long form.
//
// `go test ./...` is the everyday suite: it must finish in 30 seconds on an
// idle 2-core machine, so a few tests run a sample there (the first hostile
// input of each reader, 20 uploads to the submission site) and a few do not
// run at all (the browser sessions, Model Spider's end-to-end training).
// With MREVAL_THOROUGH=1 every test runs its whole form; .ci/run does that
// once before it runs the everyday suite, so CI loses nothing.
// docs/architecture.md lists them.
package thorough

import (
	"os"
	"testing"
)

// Env is the environment variable that selects the long forms.
const Env = "MREVAL_THOROUGH"

// Enabled reports whether MREVAL_THOROUGH=1.
func Enabled() bool { return os.Getenv(Env) == "1" }

// Skip skips t unless MREVAL_THOROUGH=1; what says what t would run, for
// the log of `go test -v`.
func Skip(t testing.TB, what string) {
	t.Helper()
	if !Enabled() {
		t.Skipf("%s runs with %s=1 (as .ci/run does), outside the everyday suite's 30-second budget", what, Env)
	}
}

package expect

import (
	"errors"
	"math"
	"regexp"
	"testing"
)

var positioned = regexp.MustCompile(`^fuzz\.json:\d+:\d+: `)

// FuzzParse: Parse never panics; an error names a position; a parsed file
// holds at least one run, and only finite numbers or NaN (null).
func FuzzParse(f *testing.F) {
	f.Add([]byte(twoRuns))
	f.Add([]byte(`{"run": "r", "per_topic": {}, "all": {"P_5": 0.2, "map": null}}`))
	f.Add([]byte(`[{"run": "a", "all": {}}, {"run": "a", "all": {}}]`))
	f.Add([]byte(`{"run": "a", "all": {"x": 1e400}}`))
	f.Add([]byte("{\"run\": \"a\",\n \"all\": {\"x\" 1}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.json", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !positioned.MatchString(err.Error()) {
				t.Fatalf("error without a position: %v", err)
			}
			if e.Line < 1 || e.Col < 1 {
				t.Fatalf("bad position %d:%d", e.Line, e.Col)
			}
			return
		}
		if len(file.Runs) == 0 {
			t.Fatal("parsed a file without runs")
		}
		check := func(values map[string]float64) {
			for m, v := range values {
				if math.IsInf(v, 0) {
					t.Fatalf("%s = %v", m, v)
				}
			}
		}
		for _, r := range file.Runs {
			check(r.All)
			for _, values := range r.PerTopic {
				check(values)
			}
		}
	})
}

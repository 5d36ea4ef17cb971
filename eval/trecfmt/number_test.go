package trecfmt

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNumber(t *testing.T) {
	accepted := []struct {
		in   string
		want float64
	}{
		{"0", 0}, {"12", 12}, {"-0.5", -0.5}, {"+1", 1}, {".5", 0.5}, {"5.", 5}, {"-.25", -0.25},
		{"1e5", 100000}, {"1E+05", 100000}, {"2.5e-3", 0.0025}, {"007", 7}, {"-0", math.Copysign(0, -1)},
		{"83.41323106423778", 83.41323106423778},
		{"1e-400", 0}, // underflow reads as 0, as with atof
		{"0.1", 0.1},  // correctly rounded (ParseFloat's value)
		{"1.7976931348623157e308", math.MaxFloat64},
		// The short path (integer below 2^53, at most 22 decimals) and
		// just past it.
		{"37.407958", 37.407958}, {"-0.000", math.Copysign(0, -1)}, {"+12.", 12},
		{"9007199254740991", 9007199254740991}, {"9007199254740993", 9007199254740992},
		{"0.0000000000000000000001", 1e-22}, {"0.00000000000000000000001", 1e-23},
		{"0.30000000000000004", 0.30000000000000004},
	}
	for _, tc := range accepted {
		got, err := ParseNumber([]byte(tc.in))
		require.NoError(t, err, tc.in)
		assert.Equal(t, math.Float64bits(tc.want), math.Float64bits(got), "%s: got %v", tc.in, got)
	}
	refused := []struct {
		in        string
		offset    int
		nonFinite bool
	}{
		{"1_000", 1, false}, // Go's underscores; atof reads 1
		{"0x1p3", 1, false}, // hexadecimal float; atof reads 8
		{"0X10", 1, false},
		{"1.5abc", 3, false}, // trailing garbage; atof reads 1.5
		{"1,5", 1, false},    // decimal comma
		{"1.2.3", 3, false},
		{"1e", 0, false}, {"1e+", 0, false}, {"1ex", 2, false}, {"1e5.0", 3, false},
		{"", 0, false}, {"+", 0, false}, {"-", 0, false}, {".", 0, false}, {"+-1", 1, false}, {"--1", 1, false},
		{"e5", 0, false}, {"high", 0, false}, {"½", 0, false}, {" 1", 0, false}, {"1 ", 1, false},
		{"inf", 0, true}, {"-Inf", 0, true}, {"+INFINITY", 0, true}, {"nan", 0, true}, {"NaN", 0, true},
		{"1e400", 0, true}, {"-1e309", 0, true},
		{"infinit", 0, false}, {"nan(1)", 0, false}, {"in", 0, false},
	}
	for _, tc := range refused {
		_, err := ParseNumber([]byte(tc.in))
		var ne *NumberError
		require.ErrorAs(t, err, &ne, "%q", tc.in)
		assert.Equal(t, NumberError{Offset: tc.offset, NonFinite: tc.nonFinite}, *ne, "%q", tc.in)
	}
}

// TestNumberSpellingsInFiles pins what eval (the readers) says about each
// spelling; validate reports the same messages through CheckRunLine.
func TestNumberSpellingsInFiles(t *testing.T) {
	for _, tc := range []struct{ score, want string }{
		{"1_000", `run.txt:1:12: score "1_000" is not a number`},
		{"0x1p3", `run.txt:1:12: score "0x1p3" is not a number`},
		{"1.5abc", `run.txt:1:14: score "1.5abc" is not a number`},
		{"inf", `run.txt:1:11: score "inf" is not a finite number`},
		{"1e400", `run.txt:1:11: score "1e400" is not a finite number`},
		{".5", ""}, {"5.", ""}, {"+1", ""}, {"1e5", ""},
	} {
		_, err := readRunString(t, "T1 Q0 a 1 "+tc.score+" tag\n", DefaultLimits)
		if tc.want == "" {
			assert.NoError(t, err, tc.score)
		} else {
			assert.EqualError(t, err, tc.want, tc.score)
		}
	}
	src := source([]byte("T1 0 a 1_000\n"))
	_, err := ReadQrels(src, DefaultLimits)
	assert.EqualError(t, err, `bench:1:9: judgment "1_000" is not a number`)
}

// decimalSyntax is the grammar of ParseNumber as a regular expression, an
// oracle written independently of scanDecimal.
var decimalSyntax = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// FuzzParseNumber checks ParseNumber against strconv.ParseFloat on the
// accepted language: it accepts exactly the strings that match the grammar
// and that ParseFloat reads as finite, with ParseFloat's value bit for bit.
//
//	go test ./eval/trecfmt -run '^$' -fuzz '^FuzzParseNumber$' -fuzztime 15s
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"0", "-0.5", ".5", "5.", "+1", "1e5", "1E-05", "1_000", "0x1p3", "inf", "NaN",
		"1e400", "1e-400", "1.5abc", "", "-", "1e", "00012.3400e+0010", "+NAN", "-nan"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseNumber([]byte(s))
		want, perr := strconv.ParseFloat(s, 64)
		if len(s) > 1 && (s[0] == '+' || s[0] == '-') && strings.EqualFold(s[1:], "nan") {
			// atof, which trec_eval reads scores with, takes a sign before
			// nan; ParseFloat does not.
			want, perr = math.NaN(), nil
		}
		finite := perr == nil && !math.IsInf(want, 0) && !math.IsNaN(want)
		if decimalSyntax.MatchString(s) {
			// Within the grammar ParseFloat fails only by overflow.
			if finite {
				if err != nil || math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("%q: got %v, %v; ParseFloat %v", s, got, err, want)
				}
				return
			}
			var ne *NumberError
			if !errorsAs(err, &ne) || !ne.NonFinite {
				t.Fatalf("%q overflows: want a non-finite error, got %v, %v", s, got, err)
			}
			return
		}
		var ne *NumberError
		if !errorsAs(err, &ne) {
			t.Fatalf("%q is outside the grammar but was accepted as %v", s, got)
		}
		if ne.Offset < 0 || ne.Offset > len(s) || (ne.Offset > 0 && ne.NonFinite) {
			t.Fatalf("%q: bad error %+v", s, *ne)
		}
		if ne.NonFinite && (perr != nil || finite) {
			t.Fatalf("%q called non-finite, but ParseFloat gives %v, %v", s, want, perr)
		}
	})
}

func errorsAs(err error, target **NumberError) bool {
	ne, ok := err.(*NumberError)
	if ok {
		*target = ne
	}
	return ok
}

package trecfmt

import (
	"math"
	"strconv"
)

// NumberError says why a field is not an accepted number. Offset is the
// 0-based byte of the field where the problem is: the first byte outside
// the grammar, or 0 when the field as a whole is wrong (too short, or a
// spelling of a non-finite value).
type NumberError struct {
	Offset int
	// NonFinite is set for infinities, NaN and overflow: spellings that
	// are numbers but not finite ones.
	NonFinite bool
}

func (e *NumberError) Error() string {
	if e.NonFinite {
		return "not a finite number"
	}
	return "not a number"
}

// ParseNumber reads a score or a judgment value: a plain decimal, that is
// an optional sign, digits with an optional decimal point (at least one
// digit on either side of it), and an optional exponent:
//
//	number   = [ "+" | "-" ] mantissa [ exponent ]
//	mantissa = digits [ "." [ digits ] ] | "." digits
//	exponent = ( "e" | "E" ) [ "+" | "-" ] digits
//
// This covers everything trec_eval's atof reads that scripts write (12,
// -0.5, .5, 5., +1, 1e-3, 1E+05); atof also takes hexadecimal floats
// (0x1p-2), underscores are Go's (1_000, which atof reads as 1) and
// trailing garbage (atof reads 1.5abc as 1.5): all of these are refused,
// so that no file means one thing to mreval and another to trec_eval.
// inf, infinity and nan (any case, any sign) and values that overflow a
// float64 (1e400) are refused as non-finite: a score must order, a
// judgment must add up. Underflow (1e-400) reads as 0, as with atof.
//
// The value is strconv.ParseFloat's, so it is correctly rounded; there is
// no allocation unless the field is refused.
func ParseNumber(b []byte) (float64, error) {
	if v, ok := parseShortDecimal(b); ok {
		return v, nil
	}
	if off, ok := scanDecimal(b); !ok {
		if isNonFiniteWord(b) {
			return 0, &NumberError{NonFinite: true}
		}
		return 0, &NumberError{Offset: off}
	}
	// No allocation: strconv copies the string only on error, and the
	// grammar above leaves it only the overflow error.
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, &NumberError{NonFinite: true}
	}
	return v, nil
}

// exactPow10 are the powers of ten a float64 holds exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseShortDecimal reads the numbers scripts write nearly always, in a
// fraction of ParseFloat's time: [sign] digits [. digits] without an
// exponent, whose digits make an integer m below 2⁵³ and with at most 22
// after the point. Then m and 10^k are exact float64s and m / 10^k,
// one IEEE division, is the correctly rounded value (Clinger's fast path,
// which ParseFloat takes for these too). Anything else, ok false, is left
// to ParseNumber's full path, which also decides what is refused.
func parseShortDecimal(b []byte) (v float64, ok bool) {
	i := 0
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i++
	}
	var m uint64
	digits, frac := 0, -1
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case '0' <= c && c <= '9':
			m = m*10 + uint64(c-'0')
			if m >= 1<<53 {
				return 0, false
			}
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || frac >= len(exactPow10) {
		return 0, false
	}
	v = float64(m)
	if frac > 0 {
		v /= exactPow10[frac]
	}
	if neg {
		v = -v
	}
	return v, true
}

// scanDecimal checks b against the grammar of ParseNumber. When b does not
// match, off is the first byte outside it, or 0 when b ends too early.
func scanDecimal(b []byte) (off int, ok bool) {
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	intStart := i
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	digits := i - intStart
	if i < len(b) && b[i] == '.' {
		i++
		fracStart := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		digits += i - fracStart
	}
	if digits == 0 {
		if i < len(b) {
			return i, false
		}
		return 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		expStart := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i == expStart {
			if i < len(b) {
				return i, false
			}
			return 0, false
		}
	}
	if i < len(b) {
		return i, false
	}
	return 0, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isNonFiniteWord reports whether b spells an infinity or NaN the way
// atof reads them: [sign] inf, infinity or nan, in any case
// (strconv.ParseFloat takes no sign before nan).
func isNonFiniteWord(b []byte) bool {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		b = b[1:]
	}
	return equalFoldASCII(b, "inf") || equalFoldASCII(b, "infinity") || equalFoldASCII(b, "nan")
}

func equalFoldASCII(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

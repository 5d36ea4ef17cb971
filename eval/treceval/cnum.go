package treceval

import (
	"math"
	"strconv"
	"strings"
)

// isCSpace is C's isspace in the "C" locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// atol is C's atol (strtol base 10): leading white space, an optional
// sign, then as many digits as there are; 0 without digits, clamped to
// the range of a 64-bit long on overflow. trec_eval reads -l, -M, -N and
// integer cutoffs with it, so "-l2x" is 2 and "-M abc" is 0.
func atol(s string) int64 {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var v uint64
	overflow := false
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			overflow = true
			continue
		}
		v = v*10 + d
	}
	switch {
	case neg && (overflow || v > 1<<63):
		return math.MinInt64
	case neg:
		return -int64(v)
	case overflow || v > math.MaxInt64:
		return math.MaxInt64
	}
	return int64(v)
}

// atof is C's atof (strtod): leading white space, then the longest prefix
// that is a decimal or hexadecimal floating number, an infinity or a NaN;
// 0 when there is none. trec_eval reads real parameters (iprec_at_recall's
// levels, utility's coefficients, gains) with it.
func atof(s string) float64 {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	s = s[i:]
	sign := 1.0
	body := s
	if len(body) > 0 && (body[0] == '+' || body[0] == '-') {
		if body[0] == '-' {
			sign = -1
		}
		body = body[1:]
	}
	lower := strings.ToLower(body)
	switch {
	case strings.HasPrefix(lower, "inf"):
		return sign * math.Inf(1)
	case strings.HasPrefix(lower, "nan"):
		return math.Copysign(math.NaN(), sign)
	case strings.HasPrefix(lower, "0x") && len(lower) > 2 && isHexStart(lower[2:]):
		return sign * hexFloat(lower[2:])
	}
	n := decimalPrefix(body)
	if n == 0 {
		return 0
	}
	// A well-formed decimal fails only by range, where ParseFloat returns
	// what strtod does: ±Inf, or 0 or a subnormal.
	v, _ := strconv.ParseFloat(body[:n], 64)
	return sign * v
}

// decimalPrefix is the length of the longest prefix of s of the form
// digits [. digits] [e [sign] digits] with at least one digit.
func decimalPrefix(s string) int {
	i, digits := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	return i
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
}

// isHexStart tells whether s (lower case, after "0x") starts a hex float.
func isHexStart(s string) bool {
	return isHexDigit(s[0]) || len(s) > 1 && s[0] == '.' && isHexDigit(s[1])
}

// hexFloat reads the longest hexadecimal float prefix of s (lower case,
// after "0x"): hex digits [. hex digits] [p [sign] decimal digits].
func hexFloat(s string) float64 {
	i := 0
	for i < len(s) && isHexDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHexDigit(s[i]) {
			i++
		}
	}
	mantissa := s[:i]
	exp := "p0"
	if i < len(s) && s[i] == 'p' {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			exp = s[i:k]
		}
	}
	v, _ := strconv.ParseFloat("0x"+mantissa+exp, 64)
	return v
}

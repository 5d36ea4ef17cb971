package ship

import (
	"fmt"
	"strconv"
	"strings"
)

// maxShiftExponent bounds the exponent accepted by ShiftDecimal, so that a
// value such as "1e999999999" is an error instead of a gigabyte of zeros.
const maxShiftExponent = 400

// ShiftDecimal moves the decimal point of the decimal number s by places
// digits to the right (to the left when places is negative) by rewriting
// its digits, so that no binary floating-point rounding takes place:
// ShiftDecimal("0.8341323106423778", 2) = "83.41323106423778", the
// accuracy fraction written as a percentage exactly as the source wrote it.
//
// s is an optionally signed decimal with an optional fraction and an
// optional exponent: [+-] digits [. digits] [(e|E) [+-] digits], where either
// side of the point may be empty but not both. Anything else (inf, nan,
// hexadecimal, white space, digit separators) is an error.
//
// The result is in canonical form: plain positional notation without an
// exponent; no leading zeros before the point except a single "0" when the
// value is below one in magnitude; no trailing zeros after the point and no
// point when there is no fraction; a "-" sign only for a non-zero value,
// never a "+". Hence "0.5" → "50", "1.0" → "100", "0.0" → "0", "-0.0" → "0",
// "8.5e-01" → "85", "1e-3" → "0.1", "-0.0132" → "-1.32". Two inputs denoting
// the same decimal number always give the same string, and
// strconv.ParseFloat of the result is the float64 nearest to the exact
// shifted decimal.
func ShiftDecimal(s string, places int) (string, error) {
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("%q is not a decimal number: %s", s, why)
	}
	rest := s
	neg := false
	if rest != "" && (rest[0] == '+' || rest[0] == '-') {
		neg = rest[0] == '-'
		rest = rest[1:]
	}
	mantissa, expPart := rest, ""
	if i := strings.IndexAny(rest, "eE"); i >= 0 {
		mantissa, expPart = rest[:i], rest[i+1:]
		if expPart == "" {
			return bad("empty exponent")
		}
	}
	intPart, fracPart := mantissa, ""
	if i := strings.IndexByte(mantissa, '.'); i >= 0 {
		intPart, fracPart = mantissa[:i], mantissa[i+1:]
	}
	if intPart == "" && fracPart == "" {
		return bad("no digits")
	}
	if !allDigits(intPart) || !allDigits(fracPart) {
		return bad("unexpected character")
	}
	exp := 0
	if expPart != "" {
		e := expPart
		if e[0] == '+' || e[0] == '-' {
			e = e[1:]
		}
		if e == "" || !allDigits(e) {
			return bad("malformed exponent")
		}
		v, err := strconv.Atoi(expPart)
		if err != nil || v > maxShiftExponent || v < -maxShiftExponent {
			return bad(fmt.Sprintf("exponent beyond ±%d", maxShiftExponent))
		}
		exp = v
	}
	if places > maxShiftExponent || places < -maxShiftExponent {
		return "", fmt.Errorf("shift of %d places is beyond ±%d", places, maxShiftExponent)
	}

	// The value is 0.digits × 10^point: point counts the digits before the
	// decimal point once the exponent and the shift are applied.
	digits := intPart + fracPart
	point := len(intPart) + exp + places
	lead := len(digits) - len(strings.TrimLeft(digits, "0"))
	digits = digits[lead:]
	point -= lead
	digits = strings.TrimRight(digits, "0")
	if digits == "" {
		return "0", nil
	}

	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch {
	case point <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -point))
		b.WriteString(digits)
	case point >= len(digits):
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", point-len(digits)))
	default:
		b.WriteString(digits[:point])
		b.WriteByte('.')
		b.WriteString(digits[point:])
	}
	return b.String(), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

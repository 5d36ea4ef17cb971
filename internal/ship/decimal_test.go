package ship

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShiftDecimal(t *testing.T) {
	tests := []struct {
		in     string
		places int
		want   string
	}{
		{"0.8341323106423778", 2, "83.41323106423778"},
		{"0.5", 2, "50"},
		{"1.0", 2, "100"},
		{"1", 2, "100"},
		{"0.0", 2, "0"},
		{"-0.0", 2, "0"},
		{"0", 2, "0"},
		{"0.05", 2, "5"},
		{"0.046", 2, "4.6"},
		{"0.001", 2, "0.1"},
		{"0.0001", 2, "0.01"},
		{"-0.0132328307689953", 2, "-1.32328307689953"},
		{"+0.25", 2, "25"},
		{".5", 2, "50"},
		{"5.", 2, "500"},
		{"00.500", 2, "50"},
		{"8.5e-01", 2, "85"},
		{"8.5E-01", 2, "85"},
		{"1e-3", 2, "0.1"},
		{"1e-5", 2, "0.001"},
		{"2.5e+1", 2, "2500"},
		{"9.99e2", 2, "99900"},
		{"-1.5E-3", 2, "-0.15"},
		{"0e5", 2, "0"},
		{"123.456", -2, "1.23456"},
		{"123.456", 0, "123.456"},
		{"0.9013333333333332", 2, "90.13333333333332"},
	}
	for _, tc := range tests {
		got, err := ShiftDecimal(tc.in, tc.places)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, "ShiftDecimal(%q, %d)", tc.in, tc.places)
	}
}

// The shifted text parses to the float64 nearest the exact decimal, which
// multiplying the parsed fraction by 100 does not always give.
func TestShiftDecimalIsExact(t *testing.T) {
	in := "0.57"
	got, err := ShiftDecimal(in, 2)
	require.NoError(t, err)
	v, err := strconv.ParseFloat(got, 64)
	require.NoError(t, err)
	assert.Equal(t, 57.0, v)
	f, _ := strconv.ParseFloat(in, 64)
	assert.NotEqual(t, 57.0, f*100, "0.57*100 rounds to 56.99999999999999 in binary")
}

func TestShiftDecimalErrors(t *testing.T) {
	for _, in := range []string{"", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "inf", "NaN", "0x1p-2", "1_000", "1e99999", "--1", "1e5.5", "٣"} {
		_, err := ShiftDecimal(in, 2)
		assert.Error(t, err, "%q", in)
	}
}

package noise

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestParseSeedsNumberSyntax pins that a seed run's value is read with the
// number syntax of runs and qrels: strconv.ParseFloat took 1_0 as 10 and
// 0x1p3 as 8.
func TestParseSeedsNumberSyntax(t *testing.T) {
	for value, want := range map[string]string{
		"1_0":   `seeds.tsv:2: value "1_0" is not a finite number`,
		"0x1p3": `seeds.tsv:2: value "0x1p3" is not a finite number`,
		"Inf":   `seeds.tsv:2: value "Inf" is not a finite number`,
		"80.5x": `seeds.tsv:2: value "80.5x" is not a finite number`,
	} {
		_, err := ParseSeeds("seeds.tsv", []byte("topic\tbase_model\tseed\tvalue\nt\tb\t0\t"+value+"\n"))
		assert.EqualError(t, err, want, value)
	}
}

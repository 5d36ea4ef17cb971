// Package suggest finds the names a mistyped name probably meant, for the
// "did you mean" part of an error message.
package suggest

import (
	"slices"
	"strconv"
	"strings"
)

// maxCompared bounds the bytes of a name that Distance looks at: names are
// identifiers, and a hostile multi-megabyte "name" must not cost quadratic
// time.
const maxCompared = 256

// Distance is the edit distance between a and b over bytes, where an
// insertion, deletion, substitution or swap of two adjacent bytes costs 1
// (optimal string alignment: "trian" is one edit from "train"), or limit+1 as
// soon as it is known to exceed limit. Names longer than 256 bytes are
// compared on their first 256 bytes.
func Distance(a, b string, limit int) int {
	if len(a) > maxCompared {
		a = a[:maxCompared]
	}
	if len(b) > maxCompared {
		b = b[:maxCompared]
	}
	if limit < 0 {
		return 0
	}
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	// Three rows of the dynamic programme: i-2, i-1 and i.
	before := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], before[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		before, prev, cur = prev, cur, before
	}
	if prev[len(b)] > limit {
		return limit + 1
	}
	return prev[len(b)]
}

// Budget is the number of edits a typo of name may plausibly hold: none for
// names of one or two bytes (every other short name is one edit away), one
// for short names, about one in five characters for longer ones, at most
// three.
func Budget(name string) int {
	if len(name) <= 2 {
		return 0
	}
	return min(3, max(1, len(name)/5))
}

// Closest returns up to limit candidates nearest to name, all at the same
// smallest distance, which must be within Budget(name); in candidate order
// when tied. Case is ignored, so a short name still matches itself in
// another case.
func Closest(name string, candidates []string, limit int) []string {
	budget := Budget(name)
	lower := strings.ToLower(name)
	best := budget + 1
	var found []string
	for _, c := range candidates {
		d := Distance(lower, strings.ToLower(c), min(best, budget))
		switch {
		case d < best:
			best, found = d, append(found[:0], c)
		case d == best && d <= budget && len(found) < limit:
			found = append(found, c)
		}
	}
	if best > budget {
		return nil
	}
	return found
}

// Phrase renders names as `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
func Phrase(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	if len(quoted) <= 1 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// Unique returns names without repeats, first occurrence kept.
func Unique(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

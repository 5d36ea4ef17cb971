package transfer

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/fsutil"
)

// WriteRun writes the scores as a TREC run file, atomically:
//
//	topic Q0 docno rank score tag
//
// one line per (topic, model), topics in byte order, models ranked 1.. by
// score descending with ties broken by docno descending (trec_eval's order),
// scores in shortest round-trip form (strconv 'g', −1).
//
// This is a stand-in for the shared run writer of eval/trecfmt.
func WriteRun(path, tag string, results []TopicScores) error {
	if tag == "" || strings.ContainsAny(tag, " \t\v\f\r\n") {
		return fmt.Errorf("run tag %q is empty or contains white space", tag)
	}
	return fsutil.WriteFile(path, 0o644, func(w io.Writer) error {
		return WriteRunTo(w, tag, results)
	})
}

// WriteRunTo is WriteRun to a writer (standard output, or a file the caller
// writes atomically).
func WriteRunTo(w io.Writer, tag string, results []TopicScores) error {
	if tag == "" || strings.ContainsAny(tag, " \t\v\f\r\n") {
		return fmt.Errorf("run tag %q is empty or contains white space", tag)
	}
	sorted := append([]TopicScores(nil), results...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Topic < sorted[j].Topic })
	bw := bufio.NewWriter(w)
	for _, t := range sorted {
		ranked := append([]ModelScore(nil), t.Scores...)
		sort.SliceStable(ranked, func(i, j int) bool {
			if ranked[i].Score != ranked[j].Score {
				return ranked[i].Score > ranked[j].Score
			}
			return ranked[i].Model > ranked[j].Model
		})
		for r, m := range ranked {
			fmt.Fprintf(bw, "%s Q0 %s %d %s %s\n", t.Topic, m.Model, r+1, strconv.FormatFloat(m.Score, 'g', -1, 64), tag)
		}
	}
	return bw.Flush()
}

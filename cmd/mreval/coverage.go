package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/inputs"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// completeOverTopics decides whether eval averages a run over every
// evaluation topic, scoring one the run lacks on an empty ranking (-c).
// When the topics were chosen (--split, --topics) it does, without -c: the
// user asked for the score on those topics, and the leaderboard scores them
// so; averaging only over the topics the run covers would let a run of one
// easy topic outscore every complete run (docs/measures.md, "Topics a run
// lacks"). It says so on stderr when the run lacks some. Without a topic
// choice, eval stays trec_eval (without -c: the run's topics).
func completeOverTopics(stderr io.Writer, j *inputs.Judgments, run *eval.Run, dashC bool) bool {
	if j.Topics == nil {
		return dashC
	}
	covered := 0
	for _, t := range j.Qrels.Topics {
		if run.Ranking(t) != nil {
			covered++
		}
	}
	from := j.TopicsFrom
	if j.Collection == nil || !strings.HasPrefix(from, j.Collection.Name+" ") {
		from = safetext.Name(from) // a file name the user gave; a split's name is ours
	}
	if missing := len(j.Qrels.Topics) - covered; missing > 0 {
		fmt.Fprintf(stderr, "mreval: note: %s covers %d of the %d topics of %s; the %d it lacks are scored on an empty ranking and counted in every mean (as on the leaderboard)\n",
			safetext.Name(run.File), covered, len(j.Qrels.Topics), from, missing)
	}
	return true
}

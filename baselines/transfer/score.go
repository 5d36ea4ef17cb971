package transfer

import (
	"fmt"
	"runtime"
	"sync"
)

// ModelScore is the score of one model on a topic.
type ModelScore struct {
	Model string
	Score float64
}

// TopicScores holds the scores of every model of a bundle on one topic, in
// the bundle's model order.
type TopicScores struct {
	Topic  string
	Scores []ModelScore
}

// ScoreOptions control ScoreBundle.
type ScoreOptions struct {
	// Workers is the number of (topic, model) pairs scored at once;
	// 0 means runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
	// Progress, if set, is called after each pair with the number of pairs
	// done and the total. Calls are serialised.
	Progress func(done, total int)
}

// ScoreBundle scores every model of the bundle on every topic with est, the
// (topic, model) pairs in parallel. Each pair is computed independently with
// a fixed summation order, so the scores do not depend on Workers. The first
// failing pair (in topic-major bundle order among those that failed) stops
// the run; its error names the topic, the model and the reason.
func ScoreBundle(b *Bundle, est Estimator, opts ScoreOptions) ([]TopicScores, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nt, nm := len(b.Topics), len(b.Models)
	for ti := range b.Topics {
		if b.Regression[ti] && !est.Regression {
			return nil, fmt.Errorf("topic %q has regression targets (%s); %s scores classification topics only", b.Topics[ti].ID, TargetsFile, est.Name)
		}
	}
	type topicData struct {
		labels  []int
		targets *Matrix
	}
	topics := make([]topicData, nt)
	for ti := range b.Topics {
		labels, targets, err := b.LoadTopic(ti)
		if err != nil {
			return nil, fmt.Errorf("topic %q: %w", b.Topics[ti].ID, err)
		}
		topics[ti] = topicData{labels, targets}
	}

	total := nt * nm
	scores := make([]float64, total)
	errs := make([]error, total)
	jobs := make(chan int)
	var (
		mu     sync.Mutex
		done   int
		failed bool
		wg     sync.WaitGroup
	)
	for w := 0; w < min(workers, total); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				ti, mi := j/nm, j%nm
				scores[j], errs[j] = scorePair(b, est, ti, mi, topics[ti].labels, topics[ti].targets)
				mu.Lock()
				done++
				if errs[j] != nil {
					failed = true
				}
				if opts.Progress != nil {
					opts.Progress(done, total)
				}
				mu.Unlock()
			}
		}()
	}
	for j := 0; j < total; j++ {
		mu.Lock()
		stop := failed
		mu.Unlock()
		if stop {
			break
		}
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	for j, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("topic %q, model %q: %w", b.Topics[j/nm].ID, b.Models[j%nm].ID, err)
		}
	}
	out := make([]TopicScores, nt)
	for ti, t := range b.Topics {
		out[ti] = TopicScores{Topic: t.ID, Scores: make([]ModelScore, nm)}
		for mi, m := range b.Models {
			out[ti].Scores[mi] = ModelScore{Model: m.ID, Score: scores[ti*nm+mi]}
		}
	}
	return out, nil
}

// scorePair runs in a worker goroutine, where a panic would end the
// process with a raw stack trace; the inputs are validated so that none
// should happen, and one that does anyway is returned as an error that
// ScoreBundle reports with the topic and model.
func scorePair(b *Bundle, est Estimator, ti, mi int, labels []int, targets *Matrix) (score float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			score, err = 0, fmt.Errorf("%s: internal error (a bug, please report it with this input): %v", est.Name, r)
		}
	}()
	features, probs, err := b.LoadPair(ti, mi, est.NeedsProbs)
	if err != nil {
		return 0, err
	}
	return est.Score(Inputs{Features: features, Labels: labels, Targets: targets, Probs: probs})
}

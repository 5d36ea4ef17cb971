package noise

import (
	"fmt"
	"strings"
)

// Perturbations prepares the noise of each of topics under m, as the
// noise ceilings draw it (Input.Noise). Every topic needs seed runs; the
// topics without any are named together, in the order given.
func (s *Seeds) Perturbations(topics []string, m Model) (map[string]Perturbation, error) {
	out := make(map[string]Perturbation, len(topics))
	var unseeded []string
	for _, topic := range topics {
		ts := s.ByID[topic]
		if ts == nil {
			unseeded = append(unseeded, topic)
			continue
		}
		p, err := NewPerturbation(ts, m)
		if err != nil {
			return nil, err
		}
		out[topic] = p
	}
	if len(unseeded) > 0 {
		return nil, fmt.Errorf("no seed runs for %d of the topics: %s", len(unseeded), strings.Join(unseeded, ", "))
	}
	return out, nil
}

// Sigmas is each seeded topic's pooled σ_t (TopicSeeds.Sigma), the
// per-topic tolerance of `eval --epsilon noise`.
func (s *Seeds) Sigmas() (map[string]float64, error) {
	out := make(map[string]float64, len(s.Topics))
	for _, topic := range s.Topics {
		sigma, ok := s.ByID[topic].Sigma()
		if !ok {
			return nil, fmt.Errorf("topic %s has fewer than two seed runs per base model", topic)
		}
		out[topic] = sigma
	}
	return out, nil
}

package report

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/ntcir-pmr/mreval/eval/leaderboard"
)

// jsonNumber is a float64 that marshals exactly (shortest round-trip
// form) and as null when NaN (undefined); ±Inf (a t statistic of
// differences with zero spread) marshals as the strings "Infinity" and
// "-Infinity", which JSON numbers cannot express.
type jsonNumber float64

func (v jsonNumber) MarshalJSON() ([]byte, error) {
	f := float64(v)
	switch {
	case math.IsNaN(f):
		return []byte("null"), nil
	case math.IsInf(f, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Infinity"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

type jsonLeaderboard struct {
	Generated       string        `json:"generated,omitempty"`
	Collection      string        `json:"collection,omitempty"`
	Qrels           string        `json:"qrels"`
	TopicsFrom      string        `json:"topics_from,omitempty"`
	Constraint      string        `json:"constraint,omitempty"`
	Topics          []string      `json:"topics"`
	SortBy          string        `json:"sort_by"`
	ConfidenceLevel jsonNumber    `json:"confidence_level"`
	Alpha           jsonNumber    `json:"alpha"`
	Seed            uint64        `json:"seed"`
	Resamples       int           `json:"resamples"`
	Permutations    int           `json:"permutations"`
	Runs            []jsonRun     `json:"runs"`
	Measures        []jsonMeasure `json:"measures"`
	Noise           *jsonNoise    `json:"noise,omitempty"`
	Notes           []string      `json:"notes"`
}

type jsonRun struct {
	Rank        int      `json:"rank"`
	Run         string   `json:"run"`
	File        string   `json:"file"`
	Team        string   `json:"team,omitempty"`
	Description string   `json:"description,omitempty"`
	Missing     []string `json:"missing_topics"`
}

type jsonMeasure struct {
	Name                string         `json:"name"`
	HigherIsBetter      bool           `json:"higher_is_better"`
	Runs                []jsonRunStats `json:"runs"`
	TTestFamily         int            `json:"t_test_family"`
	RandomisationFamily int            `json:"randomisation_family"`
	Pairs               []jsonPair     `json:"pairs"`
	HSD                 jsonHSD        `json:"hsd"`
}

type jsonInterval struct {
	Lower     jsonNumber `json:"lower"`
	Upper     jsonNumber `json:"upper"`
	Undefined string     `json:"undefined,omitempty"`
}

type jsonRunStats struct {
	Run           string                `json:"run"`
	Mean          jsonNumber            `json:"mean"`
	MeanUndefined string                `json:"mean_undefined,omitempty"`
	Topics        int                   `json:"topics"`
	Undefined     int                   `json:"undefined"`
	TInterval     jsonInterval          `json:"t_interval"`
	Bootstrap     jsonInterval          `json:"bootstrap_interval"`
	Best          bool                  `json:"best"`
	Letters       string                `json:"hsd_letters"`
	WorseThanBest bool                  `json:"worse_than_best"`
	PerTopic      map[string]jsonNumber `json:"per_topic"`
}

type jsonPair struct {
	A                string     `json:"a"`
	B                string     `json:"b"`
	Topics           int        `json:"topics"`
	Dropped          int        `json:"dropped"`
	MeanDiff         jsonNumber `json:"mean_diff"`
	T                jsonNumber `json:"t"`
	TP               jsonNumber `json:"t_p"`
	THolm            jsonNumber `json:"t_p_holm"`
	TUndefined       string     `json:"t_undefined,omitempty"`
	RandP            jsonNumber `json:"randomisation_p"`
	RandHolm         jsonNumber `json:"randomisation_p_holm"`
	RandExact        bool       `json:"randomisation_exact"`
	RandSamples      int        `json:"randomisation_assignments"`
	RandUndefined    string     `json:"randomisation_undefined,omitempty"`
	HedgesG          jsonNumber `json:"hedges_g"`
	HedgesGUndefined string     `json:"hedges_g_undefined,omitempty"`
	HSDP             jsonNumber `json:"hsd_p"`
	ESHSD            jsonNumber `json:"es_hsd"`
	Significant      bool       `json:"significant"`
	HSDSignificant   bool       `json:"hsd_significant"`
}

type jsonHSD struct {
	Undefined        string         `json:"undefined,omitempty"`
	Topics           int            `json:"topics"`
	Dropped          []string       `json:"dropped_topics"`
	Permutations     int            `json:"permutations"`
	Runs             []string       `json:"runs"`
	Means            []jsonNumber   `json:"means"`
	P                [][]jsonNumber `json:"p"`
	LettersUndefined string         `json:"letters_undefined,omitempty"`
	ESUndefined      string         `json:"es_undefined,omitempty"`
	ResidualVariance jsonNumber     `json:"residual_variance"`
	DF               int            `json:"df"`
	ES               [][]jsonNumber `json:"es"`
}

func jsonNumbers(v []float64) []jsonNumber {
	if v == nil {
		return nil
	}
	out := make([]jsonNumber, len(v))
	for i, x := range v {
		out[i] = jsonNumber(x)
	}
	return out
}

func jsonMatrix(m [][]float64) [][]jsonNumber {
	if m == nil {
		return nil
	}
	out := make([][]jsonNumber, len(m))
	for i, row := range m {
		out[i] = jsonNumbers(row)
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteLeaderboardJSON writes every number of the leaderboard as one JSON
// object: the setup (topics, seed, numbers of resamples), the runs in
// leaderboard order, and per measure each run's mean, intervals, undefined
// count, letters and per-topic scores, every pair's tests and effect
// sizes (a above b in leaderboard order, differences a − b), and the Tukey
// HSD p-value and ES_HSD matrices (rows and columns in the order of
// hsd.runs). Numbers are exact; null is undefined, with the reason in the
// matching *_undefined field.
func WriteLeaderboardJSON(w io.Writer, lb *leaderboard.Leaderboard, opt LeaderboardOptions) error {
	out := jsonLeaderboard{
		Generated:       opt.Timestamp,
		Collection:      lb.Collection,
		Qrels:           lb.Qrels,
		TopicsFrom:      lb.TopicsFrom,
		Constraint:      lb.Constraint,
		Topics:          orEmpty(lb.Topics),
		SortBy:          lb.Measures[lb.SortBy].Name,
		ConfidenceLevel: jsonNumber(lb.Level),
		Alpha:           jsonNumber(lb.Alpha),
		Seed:            lb.Seed,
		Resamples:       lb.Resamples,
		Permutations:    lb.Permutations,
		Notes:           orEmpty(notes(lb)),
		Noise:           noiseJSON(lb),
	}
	tags := make([]string, len(lb.Runs))
	for d, r := range lb.Runs {
		tags[d] = r.Tag
		out.Runs = append(out.Runs, jsonRun{Rank: r.Rank, Run: r.Tag, File: r.File, Team: r.Team, Description: r.Description, Missing: orEmpty(r.Missing)})
	}
	for mi := range lb.Measures {
		m := &lb.Measures[mi]
		jm := jsonMeasure{
			Name: m.Name, HigherIsBetter: m.HigherIsBetter,
			TTestFamily: m.TTestFamily, RandomisationFamily: m.RandomisationFamily,
			Pairs: []jsonPair{},
		}
		for d, rs := range m.Runs {
			per := make(map[string]jsonNumber, len(lb.Topics))
			for t, topic := range lb.Topics {
				per[topic] = jsonNumber(m.Scores[d][t])
			}
			jm.Runs = append(jm.Runs, jsonRunStats{
				Run: tags[d], Mean: jsonNumber(rs.Mean), MeanUndefined: rs.MeanUndefined,
				Topics: rs.Topics, Undefined: rs.Undefined,
				TInterval: jsonInterval{jsonNumber(rs.T.Lower), jsonNumber(rs.T.Upper), rs.T.Undefined},
				Bootstrap: jsonInterval{jsonNumber(rs.Bootstrap.Lower), jsonNumber(rs.Bootstrap.Upper), rs.Bootstrap.Undefined},
				Best:      rs.Best, Letters: rs.Letters, WorseThanBest: rs.WorseThanBest, PerTopic: per,
			})
		}
		for _, p := range m.Pairs {
			jm.Pairs = append(jm.Pairs, jsonPair{
				A: tags[p.A], B: tags[p.B], Topics: p.Topics, Dropped: p.Dropped, MeanDiff: jsonNumber(p.MeanDiff),
				T: jsonNumber(p.T), TP: jsonNumber(p.TP), THolm: jsonNumber(p.THolm), TUndefined: p.TUndefined,
				RandP: jsonNumber(p.RandP), RandHolm: jsonNumber(p.RandHolm), RandExact: p.RandExact, RandSamples: p.RandSamples, RandUndefined: p.RandUndefined,
				HedgesG: jsonNumber(p.HedgesG), HedgesGUndefined: p.HedgesGUndefined,
				HSDP: jsonNumber(p.HSDP), ESHSD: jsonNumber(p.ESHSD),
				Significant: p.Significant, HSDSignificant: p.HSDSignificant,
			})
		}
		h := &m.HSD
		jm.HSD = jsonHSD{
			Undefined: h.Undefined, Topics: h.Topics, Dropped: orEmpty(h.Dropped), Permutations: h.Permutations,
			Runs: tags, Means: jsonNumbers(h.Means), P: jsonMatrix(h.P),
			LettersUndefined: h.LettersUndefined, ESUndefined: h.ESUndefined,
			ResidualVariance: jsonNumber(h.ResidualVariance), DF: h.DF, ES: jsonMatrix(h.ES),
		}
		if h.ESUndefined != "" {
			jm.HSD.ResidualVariance = jsonNumber(math.NaN())
		}
		out.Measures = append(out.Measures, jm)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	return bw.Flush()
}

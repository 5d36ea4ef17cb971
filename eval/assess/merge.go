package assess

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ntcir-pmr/mreval/eval"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// MergeRule says how the grades of one item (topic, document) become its
// qrels level.
type MergeRule struct {
	Kind string // one of MergeKinds
	// Adjudicator is the assessor whose grade decides the items on which
	// the others disagree (Kind "adjudicate").
	Adjudicator string
}

// MergeKinds are the merge rules:
//
//	floor-mean  ⌊mean of the grades⌋ (the default: a 3 and a 2 give 2)
//	ceil-mean   ⌈mean of the grades⌉
//	min, max    the lowest or highest grade
//	median-low  the lower median (with three assessors, the middle grade)
//	adjudicate:NAME  the common grade where the assessors agree, else the
//	            grade of the third assessor NAME, who judges exactly the
//	            items the others disagree on
var MergeKinds = []string{"floor-mean", "ceil-mean", "min", "max", "median-low", "adjudicate:NAME"}

// ParseMergeRule reads a --merge value (see MergeKinds).
func ParseMergeRule(s string) (MergeRule, error) {
	if name, ok := strings.CutPrefix(s, "adjudicate:"); ok {
		if !ValidName(name) {
			return MergeRule{}, fmt.Errorf("merge rule %q: the adjudicator's name must be 1 to 64 characters from A-Z a-z 0-9 _ . -", s)
		}
		return MergeRule{Kind: "adjudicate", Adjudicator: name}, nil
	}
	if slices.Contains(MergeKinds[:5], s) {
		return MergeRule{Kind: s}, nil
	}
	return MergeRule{}, fmt.Errorf("unknown merge rule %q (want %s)", s, strings.Join(MergeKinds, ", "))
}

func (r MergeRule) String() string {
	if r.Kind == "adjudicate" {
		return "adjudicate:" + r.Adjudicator
	}
	return r.Kind
}

// apply merges the regular grades of an item (adj = the adjudicator's
// grade, or nil).
func (r MergeRule) apply(grades []int, adj *Grade) int {
	g := slices.Clone(grades)
	slices.Sort(g)
	sum := 0
	for _, x := range g {
		sum += x
	}
	n := len(g)
	switch r.Kind {
	case "ceil-mean":
		return (sum + n - 1) / n
	case "min":
		return g[0]
	case "max":
		return g[n-1]
	case "median-low":
		return g[(n-1)/2]
	case "adjudicate":
		if g[0] != g[n-1] {
			return adj.Grade
		}
		return g[0]
	}
	return sum / n // floor-mean; grades are ≥ 0
}

// Grade is one assessor's grade of an item.
type Grade struct {
	Assessor string
	Grade    int
	Where    string // file:line
}

// Item is one judged (topic, document) with its grades and merged level.
type Item struct {
	Topic, Doc string
	// Grades are the regular assessors' grades, in byte order of assessor.
	Grades []Grade
	// Adjudicated is the adjudicator's grade, when there is one.
	Adjudicated *Grade
	Level       int
}

// Disagree reports whether the regular assessors gave different grades.
func (it *Item) Disagree() bool {
	for _, g := range it.Grades[1:] {
		if g.Grade != it.Grades[0].Grade {
			return true
		}
	}
	return false
}

// Coefficient is an agreement value, or the reason it has none.
type Coefficient struct {
	Value     float64
	Undefined string // "" when Value is defined
}

func (c Coefficient) String() string {
	if c.Undefined != "" {
		return "undefined"
	}
	return strconv.FormatFloat(c.Value, 'f', 4, 64)
}

func coefficient(v float64, err error) Coefficient {
	if err != nil {
		return Coefficient{Undefined: err.Error()}
	}
	return Coefficient{Value: v}
}

// PairAgreement is the agreement of two assessors on the items both
// judged.
type PairAgreement struct {
	A, B  string
	Items int
	// Exact is the fraction of items with identical grades.
	Exact                       float64
	KappaLinear, KappaQuadratic Coefficient
}

// Merged is the result of Merge.
type Merged struct {
	Rule     MergeRule
	MaxGrade int
	Sheets   int // files read
	// Judgments counts every judgment read, the adjudicator's included.
	Judgments int
	// Assessors are the regular assessors (not the adjudicator), in byte
	// order.
	Assessors []string
	Topics    []string
	Items     []Item // by topic, then document, in byte order
	Pairs     []PairAgreement
	// Alpha is Krippendorff's ordinal α over the items with at least two
	// regular grades (AlphaItems of them).
	Alpha      Coefficient
	AlphaItems int
}

// MergeOptions configure Merge.
type MergeOptions struct {
	Rule     MergeRule
	MaxGrade int // 0 means DefaultMaxGrade
	// Expected, when set, is the judging pool the sheets must cover
	// exactly (ReadJudgingPool).
	Expected *JudgingPool
	// InPool, when set, tells whether a document is in the collection's
	// pool; PoolName names the pool file in messages.
	InPool   func(doc string) bool
	PoolName string
}

// Merge checks the judgments of all sheets together and merges them into
// one level per item. It reports, each with file and line: a document
// judged twice by the same assessor; a document outside the pool
// (InPool) or outside the judging pool (Expected); an assessor of a topic
// who left items of that topic unjudged (missing rows: every regular
// assessor of a topic must grade every item of it — the judging pool's
// items when Expected is given, else every item another assessor graded);
// a topic of the judging pool without judgments; and, under the
// adjudicate rule, disagreements without the adjudicator's grade and
// adjudicator grades on items without disagreement.
func Merge(js []Judgment, sheets int, opts MergeOptions) (*Merged, error) {
	if opts.MaxGrade == 0 {
		opts.MaxGrade = DefaultMaxGrade
	}
	if opts.Rule.Kind == "" {
		opts.Rule.Kind = "floor-mean"
	}
	m := &Merged{Rule: opts.Rule, MaxGrade: opts.MaxGrade, Sheets: sheets, Judgments: len(js)}
	var probs Problems
	type key struct{ topic, doc, assessor string }
	first := map[key]Judgment{}
	type itemKey struct{ topic, doc string }
	items := map[itemKey]*Item{}
	byTopic := map[string]map[string][]Judgment{} // topic → regular assessor → judgments
	assessors := map[string]bool{}
	adjudicator := ""
	if opts.Rule.Kind == "adjudicate" {
		adjudicator = opts.Rule.Adjudicator
	}
	var adjudications []Judgment
	topicDocs := map[string][]string{} // the items of each topic, as first graded
	for _, j := range js {
		k := key{j.Topic, j.Doc, j.Assessor}
		if prev, dup := first[k]; dup {
			probs = append(probs, fmt.Sprintf("%s: %s of topic %s is judged twice by %s (first at %s)", j.Where(), j.Doc, j.Topic, j.Assessor, prev.Where()))
			continue
		}
		first[k] = j
		if opts.InPool != nil && !opts.InPool(j.Doc) {
			probs = append(probs, fmt.Sprintf("%s: lora_id %q is not in the pool %s", j.Where(), j.Doc, opts.PoolName))
			continue
		}
		if opts.Expected != nil && !opts.Expected.Has(j.Topic, j.Doc) {
			probs = append(probs, fmt.Sprintf("%s: %s of topic %s is not in the judging pool %s", j.Where(), j.Doc, j.Topic, opts.Expected.File))
			continue
		}
		if j.Assessor == adjudicator {
			adjudications = append(adjudications, j)
			continue
		}
		assessors[j.Assessor] = true
		if byTopic[j.Topic] == nil {
			byTopic[j.Topic] = map[string][]Judgment{}
		}
		byTopic[j.Topic][j.Assessor] = append(byTopic[j.Topic][j.Assessor], j)
		ik := itemKey{j.Topic, j.Doc}
		it := items[ik]
		if it == nil {
			it = &Item{Topic: j.Topic, Doc: j.Doc}
			items[ik] = it
			topicDocs[j.Topic] = append(topicDocs[j.Topic], j.Doc)
		}
		it.Grades = append(it.Grades, Grade{Assessor: j.Assessor, Grade: j.Grade, Where: j.Where()})
	}
	if opts.Expected != nil {
		for _, t := range opts.Expected.Topics {
			if len(byTopic[t]) == 0 {
				probs = append(probs, fmt.Sprintf("%s: topic %s has no judgments (%d items in the judging pool)", opts.Expected.File, t, len(opts.Expected.Docs[t])))
			}
		}
	}
	// Missing rows: every regular assessor of a topic grades all its items.
	for _, topic := range eval.SortedKeys(byTopic) {
		var want []string
		if opts.Expected != nil {
			want = opts.Expected.Docs[topic]
		} else {
			want = slices.Sorted(slices.Values(topicDocs[topic]))
		}
		for _, a := range eval.SortedKeys(byTopic[topic]) {
			have := map[string]bool{}
			files := map[string]bool{}
			for _, j := range byTopic[topic][a] {
				have[j.Doc] = true
				files[j.File] = true
			}
			var missing []string
			for _, d := range want {
				if !have[d] {
					missing = append(missing, d)
				}
			}
			if len(missing) > 0 {
				probs = append(probs, fmt.Sprintf("%s: assessor %s has not graded %d of the %d items of topic %s (missing rows): %s",
					strings.Join(eval.SortedKeys(files), ", "), a, len(missing), len(want), topic, listSome(missing)))
			}
		}
	}
	for _, it := range items {
		slices.SortFunc(it.Grades, func(a, b Grade) int { return strings.Compare(a.Assessor, b.Assessor) })
	}
	for _, j := range adjudications {
		it := items[itemKey{j.Topic, j.Doc}]
		switch {
		case it == nil:
			probs = append(probs, fmt.Sprintf("%s: the adjudicator %s graded %s of topic %s, which no other assessor graded", j.Where(), j.Assessor, j.Doc, j.Topic))
		case !it.Disagree():
			probs = append(probs, fmt.Sprintf("%s: the adjudicator %s graded %s of topic %s, on which the assessors agree (%s)", j.Where(), j.Assessor, j.Doc, j.Topic, gradeList(it.Grades)))
		default:
			g := Grade{Assessor: j.Assessor, Grade: j.Grade, Where: j.Where()}
			it.Adjudicated = &g
		}
	}
	ordered := make([]*Item, 0, len(items))
	for _, it := range items {
		ordered = append(ordered, it)
	}
	slices.SortFunc(ordered, func(a, b *Item) int {
		if c := strings.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return strings.Compare(a.Doc, b.Doc)
	})
	if adjudicator != "" {
		for _, it := range ordered {
			if it.Disagree() && it.Adjudicated == nil {
				probs = append(probs, fmt.Sprintf("%s %s: the assessors disagree (%s) and the adjudicator %s has not graded it", it.Topic, it.Doc, gradeList(it.Grades), adjudicator))
			}
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	if len(ordered) == 0 {
		return nil, errors.New("no judgments")
	}
	for _, it := range ordered {
		gs := make([]int, len(it.Grades))
		for i, g := range it.Grades {
			gs[i] = g.Grade
		}
		it.Level = opts.Rule.apply(gs, it.Adjudicated)
		m.Items = append(m.Items, *it)
	}
	m.Assessors = eval.SortedKeys(assessors)
	m.Topics = eval.SortedKeys(byTopic)
	m.agreement()
	return m, nil
}

// agreement computes the pairwise κ and the overall α.
func (m *Merged) agreement() {
	k := m.MaxGrade + 1
	for i, a := range m.Assessors {
		for _, b := range m.Assessors[i+1:] {
			var ga, gb []int
			same := 0
			for _, it := range m.Items {
				x, okA := gradeOf(it.Grades, a)
				y, okB := gradeOf(it.Grades, b)
				if okA && okB {
					ga, gb = append(ga, x), append(gb, y)
					if x == y {
						same++
					}
				}
			}
			if len(ga) == 0 {
				continue
			}
			p := PairAgreement{A: a, B: b, Items: len(ga), Exact: float64(same) / float64(len(ga))}
			table, _ := PairTable(ga, gb, k) // grades were checked to lie in 0..MaxGrade
			p.KappaLinear = coefficient(WeightedKappa(table, LinearWeights(k)))
			p.KappaQuadratic = coefficient(WeightedKappa(table, QuadraticWeights(k)))
			m.Pairs = append(m.Pairs, p)
		}
	}
	var units [][]float64
	for _, it := range m.Items {
		if len(it.Grades) < 2 {
			continue
		}
		u := make([]float64, len(it.Grades))
		for i, g := range it.Grades {
			u[i] = float64(g.Grade)
		}
		units = append(units, u)
	}
	m.AlphaItems = len(units)
	m.Alpha = coefficient(Alpha(units, Ordinal))
}

func gradeOf(gs []Grade, assessor string) (int, bool) {
	for _, g := range gs {
		if g.Assessor == assessor {
			return g.Grade, true
		}
	}
	return 0, false
}

func gradeList(gs []Grade) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = fmt.Sprintf("%s=%d", g.Assessor, g.Grade)
	}
	return strings.Join(parts, " ")
}

func listSome(ids []string) string {
	const show = 10
	if len(ids) <= show {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:show], ", ") + fmt.Sprintf(", … and %d more", len(ids)-show)
}

// Qrels returns the merged levels as qrels records, topics and documents
// in byte order.
func (m *Merged) Qrels() []trecfmt.QrelsRecord {
	out := make([]trecfmt.QrelsRecord, len(m.Items))
	for i, it := range m.Items {
		out[i] = trecfmt.QrelsRecord{Topic: it.Topic, Doc: it.Doc, Value: strconv.Itoa(it.Level)}
	}
	return out
}

// Disagreements returns the items on which the regular assessors disagree.
func (m *Merged) Disagreements() []Item {
	var out []Item
	for _, it := range m.Items {
		if it.Disagree() {
			out = append(out, it)
		}
	}
	return out
}

// DisagreementSheet is a blank judging sheet of the disagreed items (the
// assessor column empty), for a third assessor to adjudicate.
func (m *Merged) DisagreementSheet() []Row {
	var rows []Row
	for _, it := range m.Disagreements() {
		rows = append(rows, Row{Topic: it.Topic, Doc: it.Doc})
	}
	return rows
}

// WriteReport writes the merge report: counts, grade distributions,
// agreement, and the list of disagreements.
func (m *Merged) WriteReport(w io.Writer) error {
	var b bytes.Buffer
	adj := ""
	if m.Rule.Kind == "adjudicate" {
		adj = fmt.Sprintf(" and the adjudicator %s", m.Rule.Adjudicator)
	}
	fmt.Fprintf(&b, "judgments: %d from %d sheets by %d assessors (%s)%s; %d topics, %d items\n",
		m.Judgments, m.Sheets, len(m.Assessors), strings.Join(m.Assessors, ", "), adj, len(m.Topics), len(m.Items))
	given := make([]int, m.MaxGrade+1)
	levels := make([]int, m.MaxGrade+1)
	once := 0
	for _, it := range m.Items {
		for _, g := range it.Grades {
			given[g.Grade]++
		}
		levels[it.Level]++
		if len(it.Grades) == 1 {
			once++
		}
	}
	fmt.Fprintf(&b, "grades given (regular assessors): %s\n", distribution(given))
	fmt.Fprintf(&b, "qrels levels (merge rule %s): %s\n", m.Rule, distribution(levels))
	if once > 0 {
		fmt.Fprintf(&b, "items graded by one assessor only (no agreement data): %d\n", once)
	}
	b.WriteString("\nagreement\n")
	if len(m.Pairs) == 0 {
		b.WriteString("  no item was graded by two assessors\n")
	} else {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  assessors\titems\texact\tCohen's κw (linear)\tCohen's κw (quadratic)")
		for _, p := range m.Pairs {
			fmt.Fprintf(tw, "  %s %s\t%d\t%.4f\t%s\t%s\n", p.A, p.B, p.Items, p.Exact, p.KappaLinear, p.KappaQuadratic)
		}
		tw.Flush()
		for _, p := range m.Pairs {
			for _, c := range []Coefficient{p.KappaLinear, p.KappaQuadratic} {
				if c.Undefined != "" {
					fmt.Fprintf(&b, "  %s %s: κw is %s\n", p.A, p.B, c.Undefined)
					break
				}
			}
		}
	}
	fmt.Fprintf(&b, "  Krippendorff's α (ordinal), %d items with two or more grades: %s\n", m.AlphaItems, m.Alpha)
	if m.Alpha.Undefined != "" && m.AlphaItems > 0 {
		fmt.Fprintf(&b, "  (%s)\n", m.Alpha.Undefined)
	}
	dis := m.Disagreements()
	fmt.Fprintf(&b, "\ndisagreements: %d items\n", len(dis))
	if len(dis) > 0 {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  topic\tlora_id\tgrades\tlevel")
		for _, it := range dis {
			g := gradeList(it.Grades)
			if it.Adjudicated != nil {
				g += fmt.Sprintf(" (%s=%d)", it.Adjudicated.Assessor, it.Adjudicated.Grade)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\n", it.Topic, it.Doc, g, it.Level)
		}
		tw.Flush()
	}
	_, err := w.Write(b.Bytes())
	return err
}

func distribution(counts []int) string {
	parts := make([]string, len(counts))
	for g, n := range counts {
		parts[g] = fmt.Sprintf("%d: %d", g, n)
	}
	return strings.Join(parts, ", ")
}

// JudgingPool is the list of items to judge, as `mreval pool` writes it
// (judging-pool.tsv): per topic, the documents in sheet order.
type JudgingPool struct {
	File   string
	Topics []string            // in file order
	Docs   map[string][]string // topic → documents, in file order
	set    map[[2]string]bool
}

// Has reports whether (topic, doc) is to be judged.
func (p *JudgingPool) Has(topic, doc string) bool { return p.set[[2]string{topic, doc}] }

// JudgingPoolHeader is the header of a judging-pool file.
var JudgingPoolHeader = "topic\tlora_id"

// WriteJudgingPool writes the judging pool: a header, then `topic<TAB>
// lora_id` in sheet order.
func WriteJudgingPool(w io.Writer, p *Pooled) error {
	var b bytes.Buffer
	b.WriteString(JudgingPoolHeader + "\n")
	for _, t := range p.Topics {
		for _, d := range t.Docs {
			b.WriteString(t.Topic + "\t" + d + "\n")
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ReadJudgingPoolFile reads a judging pool written by WriteJudgingPool,
// within the size and time limits of lim.
func ReadJudgingPoolFile(path string, lim trecfmt.Limits) (*JudgingPool, error) {
	data, name, err := trecfmt.ReadTextFile(path, lim)
	if err != nil {
		return nil, err
	}
	return ParseJudgingPool(name, data)
}

// ParseJudgingPool parses a judging pool; name is used in errors.
func ParseJudgingPool(name string, data []byte) (*JudgingPool, error) {
	p := &JudgingPool{File: name, Docs: map[string][]string{}, set: map[[2]string]bool{}}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) == 0 || strings.TrimSuffix(lines[0], "\r") != JudgingPoolHeader {
		return nil, fmt.Errorf("%s:1: the header must be %q", name, JudgingPoolHeader)
	}
	for i, l := range lines[1:] {
		l = strings.TrimSuffix(l, "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 2 || f[0] == "" || f[1] == "" {
			return nil, fmt.Errorf("%s:%d: want `topic<TAB>lora_id`", name, i+2)
		}
		k := [2]string{f[0], f[1]}
		if p.set[k] {
			return nil, fmt.Errorf("%s:%d: %s of topic %s is listed twice", name, i+2, f[1], f[0])
		}
		p.set[k] = true
		if _, ok := p.Docs[f[0]]; !ok {
			p.Topics = append(p.Topics, f[0])
		}
		p.Docs[f[0]] = append(p.Docs[f[0]], f[1])
	}
	if len(p.set) == 0 {
		return nil, fmt.Errorf("%s: the judging pool is empty", name)
	}
	return p, nil
}

// WriteStats writes the pool statistics: size per topic, and per run the
// documents it pooled, those no other run pooled, and its overlap with
// each other run (documents both pooled, summed over topics).
func (p *Pooled) WriteStats(w io.Writer) error {
	var b bytes.Buffer
	lo, hi := -1, 0
	for _, t := range p.Topics {
		n := len(t.Docs)
		if lo < 0 || n < lo {
			lo = n
		}
		hi = max(hi, n)
	}
	total := p.Size()
	mean := 0.0
	if len(p.Topics) > 0 {
		mean = float64(total) / float64(len(p.Topics))
	}
	if p.ByPriority != nil || p.Budget > 0 {
		return p.writePriorityStats(w, total, max(lo, 0), mean, hi) // pool_stats.go
	}
	fmt.Fprintf(&b, "pool: depth %d, seed %d, %d runs, %d topics, %d documents to judge (per topic: min %d, mean %.1f, max %d)\n\n",
		p.Depth, p.Seed, len(p.Runs), len(p.Topics), total, max(lo, 0), mean, hi)
	contributed, unique, overlap, ranked := p.Stats()
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\trun\ttopics\tpooled\tunique")
	for i, r := range p.Runs {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\n", i+1, r, ranked[i], contributed[i], unique[i])
	}
	tw.Flush()
	if len(p.Runs) > 1 {
		b.WriteString("\noverlap (documents in the top-depth of both runs, summed over topics):\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		head := "#"
		for j := range p.Runs {
			head += "\t" + strconv.Itoa(j+1)
		}
		fmt.Fprintln(tw, head)
		for i := range p.Runs {
			row := strconv.Itoa(i + 1)
			for j := range p.Runs {
				row += "\t" + strconv.Itoa(overlap[i][j])
			}
			fmt.Fprintln(tw, row)
		}
		tw.Flush()
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Package constraint filters a model pool by its metadata: the device
// budget of hardware-aware selection (Patil et al., "Recommending
// Pre-Trained Models for IoT Devices"). A constraint is a comma-separated
// conjunction of comparisons over the columns of a models table, e.g.
// `params<=130e6,layers<=6,base_model!=t5-base`.
package constraint

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// Table is a models table: a TSV file whose header names the columns and
// whose first column is the model id.
type Table struct {
	File    string
	Columns []string
	rows    map[string][]string
	lines   map[string]int
}

// ReadTableFile reads a models table (gzip and "-" accepted) within the
// size and time limits of lim.
func ReadTableFile(path string, lim trecfmt.Limits) (*Table, error) {
	data, name, err := trecfmt.ReadTextFile(path, lim)
	if err != nil {
		return nil, err
	}
	return ParseTable(name, data)
}

// ParseTable parses the bytes of a models table.
func ParseTable(name string, data []byte) (*Table, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) == "" {
		return nil, fmt.Errorf("%s:1: missing header row", name)
	}
	t := &Table{File: name, Columns: strings.Split(lines[0], "\t"), rows: map[string][]string{}, lines: map[string]int{}}
	for i, c := range t.Columns {
		if c == "" {
			return nil, fmt.Errorf("%s:1: column %d has no name", name, i+1)
		}
	}
	for i, line := range lines[1:] {
		n := i + 2
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != len(t.Columns) {
			return nil, fmt.Errorf("%s:%d: expected %d tab-separated fields, found %d", name, n, len(t.Columns), len(f))
		}
		if prev, dup := t.lines[f[0]]; dup {
			return nil, fmt.Errorf("%s:%d: model %q is listed twice (lines %d and %d)", name, n, f[0], prev, n)
		}
		t.rows[f[0]] = f
		t.lines[f[0]] = n
	}
	return t, nil
}

// Has reports whether the table lists model.
func (t *Table) Has(model string) bool { _, ok := t.rows[model]; return ok }

type op string

const (
	opLE op = "<="
	opGE op = ">="
	opNE op = "!="
	opEQ op = "=="
	opLT op = "<"
	opGT op = ">"
)

// ops in matching order: two-character operators first.
var ops = []op{opLE, opGE, opNE, opEQ, opLT, opGT}

type clause struct {
	column string
	col    int
	op     op
	text   string
	num    float64
	isNum  bool
}

// Constraint is a parsed constraint bound to a table.
type Constraint struct {
	Expr    string
	table   *Table
	clauses []clause
}

// Parse parses expr against the columns of t. "=" is accepted for "==".
func Parse(expr string, t *Table) (*Constraint, error) {
	c := &Constraint{Expr: expr, table: t}
	for _, part := range strings.Split(expr, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("constraint %q: empty condition (conditions are joined by ',')", expr)
		}
		cl, err := parseClause(part, t)
		if err != nil {
			return nil, fmt.Errorf("constraint %q: %v", expr, err)
		}
		c.clauses = append(c.clauses, cl)
	}
	return c, nil
}

func parseClause(s string, t *Table) (clause, error) {
	for _, o := range ops {
		i := strings.Index(s, string(o))
		if i < 0 {
			continue
		}
		cl := clause{column: strings.TrimSpace(s[:i]), op: o, text: strings.TrimSpace(s[i+len(o):])}
		return finishClause(cl, s, t)
	}
	if i := strings.IndexByte(s, '='); i > 0 {
		cl := clause{column: strings.TrimSpace(s[:i]), op: opEQ, text: strings.TrimSpace(s[i+1:])}
		return finishClause(cl, s, t)
	}
	return clause{}, fmt.Errorf("%q has no comparison (use <=, >=, <, >, ==, !=)", s)
}

func finishClause(cl clause, s string, t *Table) (clause, error) {
	if cl.column == "" || cl.text == "" {
		return clause{}, fmt.Errorf("%q needs a column and a value, e.g. params<=130e6", s)
	}
	cl.col = slices.Index(t.Columns, cl.column)
	if cl.col < 0 {
		return clause{}, fmt.Errorf("unknown column %q; %s has: %s", cl.column, t.File, strings.Join(t.Columns, ", "))
	}
	// The bound follows the number syntax of the table's values
	// (trecfmt.ParseNumber): 1_0, 0x10, inf or 1e309 is no number here either.
	v, err := trecfmt.ParseNumber([]byte(cl.text))
	if err == nil {
		cl.num, cl.isNum = v, true
	}
	if !cl.isNum && cl.op != opEQ && cl.op != opNE {
		var ne *trecfmt.NumberError
		if errors.As(err, &ne) && ne.NonFinite {
			return clause{}, fmt.Errorf("%q compares with %s, which needs a finite number", s, cl.op)
		}
		return clause{}, fmt.Errorf("%q compares with %s, which needs a number", s, cl.op)
	}
	return cl, nil
}

// Feasible reports whether model satisfies every condition. A model absent
// from the table, or whose value cannot be compared (empty or not a
// number where a number is needed), is an error: nothing is guessed.
func (c *Constraint) Feasible(model string) (bool, error) {
	row, ok := c.table.rows[model]
	if !ok {
		return false, fmt.Errorf("%s: model %q is not in the models table", c.table.File, model)
	}
	for _, cl := range c.clauses {
		val := row[cl.col]
		var ok bool
		if cl.isNum && (cl.op != opEQ && cl.op != opNE || isNumber(val)) {
			// A value of the table is a number of a file: the syntax of
			// scores and judgments (trecfmt.ParseNumber), so 1_000 or 0x10
			// is an error here as it is there.
			v, err := trecfmt.ParseNumber([]byte(val))
			if err != nil {
				return false, fmt.Errorf("%s:%d: model %q has %s = %q, not a number", c.table.File, c.table.lines[model], model, cl.column, val)
			}
			switch cl.op {
			case opLE:
				ok = v <= cl.num
			case opGE:
				ok = v >= cl.num
			case opLT:
				ok = v < cl.num
			case opGT:
				ok = v > cl.num
			case opEQ:
				ok = v == cl.num
			case opNE:
				ok = v != cl.num
			}
		} else {
			ok = (val == cl.text) == (cl.op == opEQ)
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

func isNumber(s string) bool {
	_, err := trecfmt.ParseNumber([]byte(s))
	return err == nil
}

package assess

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ntcir-pmr/mreval/eval/trecfmt"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// SheetHeader is the header of a judging sheet. A sheet is a CSV file
// (RFC 4180, UTF-8) whose first four columns are these; further columns
// (an assessor's comment, say) are allowed and ignored.
var SheetHeader = []string{"topic", "lora_id", "assessor", "grade"}

// DefaultMaxGrade is the top of the PMR grading scale 0–3.
const DefaultMaxGrade = 3

// Row is one row of a judging sheet; Grade is the cell text ("" = not yet
// judged).
type Row struct {
	Topic, Doc, Assessor, Grade string
}

// Sheet is a judging sheet to write: its file name and rows.
type Sheet struct {
	Name string
	Rows []Row
}

// WriteSheet writes a sheet as CSV with LF line ends. Topics and LoRA IDs
// come from participants' runs and the collection, and assessors open the
// sheet in a spreadsheet: a cell that a spreadsheet would read as a formula
// gets a leading apostrophe (sheetCell), which ParseSheet removes again.
func WriteSheet(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SheetHeader); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write([]string{sheetCell(r.Topic), sheetCell(r.Doc), r.Assessor, r.Grade}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// sheetCell is safetext.CSVCell, which puts an apostrophe (a spreadsheet's
// "this is text" mark) before a cell starting with =, +, -, @, a tab or a
// carriage return, and also doubles a leading apostrophe, so that
// sheetText, which drops one leading apostrophe, gives every cell back
// exactly. A spreadsheet that saves the sheet again drops the mark itself.
func sheetCell(s string) string {
	if strings.HasPrefix(s, "'") {
		return "'" + s
	}
	return safetext.CSVCell(s)
}

// sheetText is the text of a topic or lora_id cell: without sheetCell's
// leading apostrophe.
func sheetText(cell string) string { return strings.TrimPrefix(cell, "'") }

// Judgment is one grade given by one assessor, with where it was read.
type Judgment struct {
	Topic, Doc, Assessor string
	Grade                int
	File                 string
	Line                 int
}

// Where is "file:line".
func (j Judgment) Where() string { return fmt.Sprintf("%s:%d", j.File, j.Line) }

// Problems is a list of problems in the input, each naming file and line;
// as an error it lists the first maxShown of them.
type Problems []string

const maxShown = 20

func (p Problems) Error() string {
	if len(p) <= maxShown {
		return strings.Join(p, "\n")
	}
	return strings.Join(p[:maxShown], "\n") + fmt.Sprintf("\n... and %d more problems", len(p)-maxShown)
}

// orNil returns p as an error, or nil when it is empty.
func (p Problems) orNil() error {
	if len(p) == 0 {
		return nil
	}
	return p
}

// ReadSheetFile reads a filled judging sheet within the size and time
// limits of lim.
func ReadSheetFile(path string, maxGrade int, lim trecfmt.Limits) ([]Judgment, error) {
	data, name, err := trecfmt.ReadTextFile(path, lim)
	if err != nil {
		return nil, err
	}
	return ParseSheet(name, data, maxGrade)
}

// ParseSheet reads a filled judging sheet; name is used in errors. Every
// row needs a topic, a lora_id and an assessor (none with white space) and
// a grade, an integer from 0 to maxGrade. Rows whose cells are all empty
// (as spreadsheets export them) are skipped. All problems of the sheet are
// reported (see Problems), each with its line.
func ParseSheet(name string, data []byte, maxGrade int) ([]Judgment, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s: invalid UTF-8 (save the sheet as UTF-8 CSV)", name)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file (the header row %q is missing)", name, strings.Join(SheetHeader, ","))
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if len(header) < len(SheetHeader) || !slices.Equal(header[:len(SheetHeader)], SheetHeader) {
		return nil, fmt.Errorf("%s:1: the header is %q; a judging sheet starts with the columns %s",
			name, strings.Join(header, ","), strings.Join(SheetHeader, ","))
	}
	var out []Judgment
	var probs Problems
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			probs = append(probs, csvError(name, err).Error())
			break
		}
		line, _ := r.FieldPos(0)
		if allEmpty(rec) {
			continue
		}
		if len(rec) != len(header) {
			probs = append(probs, fmt.Sprintf("%s:%d: %d fields, the header has %d", name, line, len(rec), len(header)))
			continue
		}
		j := Judgment{File: name, Line: line}
		bad := false
		for i, dst := range []*string{&j.Topic, &j.Doc, &j.Assessor} {
			v := strings.TrimSpace(rec[i])
			if i < 2 {
				v = sheetText(v)
			}
			switch {
			case v == "":
				probs = append(probs, fmt.Sprintf("%s:%d: %s is empty", name, line, SheetHeader[i]))
				bad = true
			case strings.IndexFunc(v, unicode.IsSpace) >= 0:
				probs = append(probs, fmt.Sprintf("%s:%d: %s %q contains white space", name, line, SheetHeader[i], v))
				bad = true
			case strings.IndexFunc(v, unicode.IsControl) >= 0:
				probs = append(probs, fmt.Sprintf("%s:%d: %s %q contains a control character", name, line, SheetHeader[i], v))
				bad = true
			}
			*dst = v
		}
		g := strings.TrimSpace(rec[3])
		n, err := strconv.Atoi(g)
		switch {
		case g == "":
			probs = append(probs, fmt.Sprintf("%s:%d: the grade of %s for topic %s is missing", name, line, j.Doc, j.Topic))
			bad = true
		case err != nil || n < 0 || n > maxGrade:
			probs = append(probs, fmt.Sprintf("%s:%d: grade %q of %s for topic %s is not an integer from 0 to %d", name, line, g, j.Doc, j.Topic, maxGrade))
			bad = true
		}
		j.Grade = n
		if !bad {
			out = append(out, j)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return out, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

func allEmpty(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

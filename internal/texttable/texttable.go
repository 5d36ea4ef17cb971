// Package texttable makes the text tables of every report: one setting, in
// a package of its own so that the commands that print a table (expect,
// diff) do not link the whole of eval/report, plots included.
package texttable

import (
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// New is a tablewriter table that prints headers verbatim (measure names
// such as ndcg@10 must not be re-cased or re-spaced).
func New(w io.Writer) *tablewriter.Table {
	return tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
}

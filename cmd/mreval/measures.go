package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ntcir-pmr/mreval/eval/measure"
)

func init() {
	register(&cli.Command{
		Name:      "measures",
		Usage:     "list the measures, or explain one (like trec_eval -h -m NAME)",
		ArgsUsage: "[NAME]",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "markdown", Usage: "print the full reference as Markdown (docs/measures.md)"},
		},
		Action: func(c *cli.Context) error {
			w := c.App.Writer
			if c.Bool("markdown") {
				_, err := io.WriteString(w, measuresMarkdown())
				return err
			}
			if c.NArg() == 0 {
				fmt.Fprintln(w, "Measures (name: parameters; * = trec_eval's own, printed byte-identically; + = NTCIREVAL's):")
				width := 0
				for _, f := range measure.Families() {
					width = max(width, len(f.Name))
				}
				for _, f := range measure.Families() {
					mark := map[string]string{"trec_eval": "*", "NTCIREVAL": "+"}[f.Convention()]
					if mark == "" {
						mark = " "
					}
					fmt.Fprintf(w, "%s %-*s %-6s %s\n", mark, width, f.Name, paramSyntax(f), f.Summary)
				}
				fmt.Fprintln(w, "\nWrite trec_eval style (P.5,10 → P_5 P_10) or ir_measures style (ndcg@10).")
				fmt.Fprintln(w, "'mreval measures NAME' prints a measure's definition and citation.")
				return nil
			}
			for _, name := range c.Args().Slice() {
				// A bare family name (prec, regret) is explained even
				// where scoring needs a parameter.
				f, ok := measure.Lookup(name)
				if !ok {
					m, err := measure.Parse(name)
					if err != nil {
						return usageError{err}
					}
					f = m.Family
				}
				fmt.Fprintf(w, "%s", f.Name)
				if len(f.Aliases) > 0 {
					fmt.Fprintf(w, " (also: %s)", strings.Join(f.Aliases, ", "))
				}
				fmt.Fprintf(w, "\n    %s\n", f.Summary)
				for _, line := range strings.Split(f.Help, "\n") {
					fmt.Fprintf(w, "    %s\n", line)
				}
				if f.Params != measure.NoParams {
					fmt.Fprintf(w, "    Parameter: %s, %s.\n", f.Domain.What, f.Domain)
				}
				if len(f.Defaults) > 0 {
					fmt.Fprintf(w, "    Default parameters: %s\n", formatParams(f.Defaults))
				}
				dir := "higher is better"
				if f.Direction == measure.LowerIsBetter {
					dir = "lower is better"
				}
				fmt.Fprintf(w, "    Direction: %s.\n", dir)
				for _, line := range wrapWords("Convention: "+conventions[f.Convention()]+".", 76) {
					fmt.Fprintf(w, "    %s\n", line)
				}
			}
			return nil
		},
	})
}

// conventions say what following each measure.Family.Convention means.
var conventions = map[string]string{
	"trec_eval": "trec_eval 9.0.8, byte-identical (its order: scores compared as 32-bit floats, ties by docno descending; relevant = level ≥ -l; --order file and --condensed are refused)",
	"NTCIREVAL": "NTCIREVAL, as pyNTCIREVAL computes it (run order: --order, score by default with float64 scores; --condensed applies; relevant = level > 0; undefined without relevant documents)",
	"mreval":    "mreval's own definition, as the text above gives it (run order: --order; --condensed applies unless the text says otherwise)",
}

// wrapWords breaks text into lines of at most width bytes at spaces.
func wrapWords(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(lines, line)
}

func paramSyntax(f *measure.Family) string {
	switch f.Params {
	case measure.Cutoffs:
		if f.Bare {
			return "[@k]"
		}
		return "@k"
	case measure.Real:
		return "_x"
	case measure.RealCutoffs:
		return ".r"
	case measure.Reals:
		return ".x,y"
	case measure.GainPairs:
		return ".l=g"
	}
	return ""
}

func formatParams(ps []float64) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = fmt.Sprint(p)
	}
	return strings.Join(s, ",")
}

// measuresMarkdown is the measure reference of docs/measures.md, generated
// from the registry so the documentation cannot drift from the code.
func measuresMarkdown() string {
	var b strings.Builder
	for _, f := range measure.Families() {
		convention := map[string]string{"trec_eval": " (trec_eval)", "NTCIREVAL": " (NTCIREVAL)"}[f.Convention()]
		if f.TrecName != "" {
			convention = fmt.Sprintf(" (trec_eval's `%s`)", f.TrecName)
		}
		fmt.Fprintf(&b, "### `%s`%s\n\n", f.Name, convention)
		fmt.Fprintf(&b, "%s.", f.Summary)
		if len(f.Aliases) > 0 {
			fmt.Fprintf(&b, " Also: `%s`.", strings.Join(f.Aliases, "`, `"))
		}
		if syn := paramSyntax(f); syn != "" {
			fmt.Fprintf(&b, " Syntax: `%s%s`, %s %s.", f.Name, syn, f.Domain.What, f.Domain)
		}
		if len(f.Defaults) > 0 {
			fmt.Fprintf(&b, " Default parameters: %s.", formatParams(f.Defaults))
		}
		if f.Direction == measure.LowerIsBetter {
			b.WriteString(" Lower is better.")
		}
		b.WriteString("\n\n```\n")
		b.WriteString(strings.TrimRight(f.Help, "\n"))
		b.WriteString("\n```\n\n")
	}
	return b.String()
}

package inputs

import (
	"github.com/ntcir-pmr/mreval/eval/constraint"
	"github.com/ntcir-pmr/mreval/eval/trecfmt"
)

// Constraint parses the constraint expr against a models table: the file
// modelsFile, else the models table of the collection named collName.
// Without expr there is no constraint (nil), and a models file is then a
// mistake.
func Constraint(expr, modelsFile, collName string, lim trecfmt.Limits) (*constraint.Constraint, error) {
	if expr == "" {
		if modelsFile != "" {
			return nil, usagef("--models is only used with --constraint")
		}
		return nil, nil
	}
	var table *constraint.Table
	var err error
	switch {
	case modelsFile != "":
		table, err = constraint.ReadTableFile(modelsFile, lim)
	case collName != "":
		coll, lerr := Collection(collName)
		if lerr != nil {
			return nil, lerr
		}
		if coll.ModelsFile == "" {
			return nil, usagef("collection %s has no models table; give --models FILE", coll.Name)
		}
		var data []byte
		if data, err = coll.ReadFile(coll.ModelsFile); err == nil {
			table, err = constraint.ParseTable(coll.ModelsFile, data)
		}
	default:
		return nil, usagef("--constraint needs --models FILE (or --collection NAME with a models table)")
	}
	if err != nil {
		return nil, err
	}
	cons, err := constraint.Parse(expr, table)
	if err != nil {
		return nil, &UsageError{err}
	}
	return cons, nil
}

package safetext

// CSVCell makes a text cell from input (a run tag, a topic ID) safe to open
// in a spreadsheet: a cell starting with =, +, -, @, a tab or a carriage
// return is read there as a formula (`=HYPERLINK(...)` runs when the file
// is opened), so such a cell gets a leading apostrophe, which spreadsheets
// take as "this is text" (OWASP's advice on CSV injection). Numbers never
// go through it: "-0.5" stays a number.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

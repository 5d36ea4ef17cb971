package intake

// History returns every accepted version in the store at dir, oldest first:
// the manifest's entries, checked as every reader of the store checks them.
// Like ListRuns it reads the manifest only and takes no lock, so it sees a
// committed state even during an intake. The submission site (mreval
// serve) counts a team's submissions per day from it and lists a team's
// history with checksums.
func History(dir string) ([]Entry, error) {
	f, m, err := readCommitted(dir)
	if err != nil {
		return nil, err
	}
	f.close()
	return m.entries, nil
}

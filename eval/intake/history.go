package intake

// History returns every accepted version in the store at dir, oldest first:
// the manifest's entries, checked as every reader of the store checks them.
// Like ListRuns it reads the manifest only and takes no lock, so it sees a
// committed state even during an intake. The submission site (mreval
// serve) counts a team's submissions per day from it and lists a team's
// history with checksums.
func History(dir string) ([]Entry, error) {
	s, err := openExisting(dir)
	if err != nil {
		return nil, err
	}
	f, err := openStoreFS(s.Dir)
	if err != nil {
		return nil, err
	}
	defer f.close()
	m, err := readManifest(f)
	if err != nil {
		return nil, err
	}
	if m.format != Format {
		return nil, oldFormatError(dir, m.format)
	}
	return m.entries, nil
}

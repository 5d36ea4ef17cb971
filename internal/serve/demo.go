package serve

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// DemoTeam is the team the demo creates.
const DemoTeam = "demo"

// DemoPhases is the demo's phase: a dry run open from an hour ago for 30
// days on the collection's test topics (so that the shipped runs under
// runs/recycling/ are valid submissions), 20 submissions per team per day,
// scores shown at once, the board public.
func DemoPhases(now time.Time) *Phases {
	now = now.UTC().Truncate(time.Second)
	return &Phases{Phases: []Phase{{
		Name: "dry-run", Title: "Dry run (demo)", Task: "A", Split: "test",
		Opens: now.Add(-time.Hour), Closes: now.Add(30 * 24 * time.Hour),
		PerDay: 20, Total: 200, Scores: ScoresPublic, PublicLeaderboard: true,
	}}}
}

// SetupDemo prepares a store for the demo: the demo phases unless the
// store has a phases file, and a fresh token for the demo team, which it
// returns.
func SetupDemo(dir string, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if _, err := os.Lstat(filepath.Join(dir, PhasesFile)); errors.Is(err, fs.ErrNotExist) {
		if err := WritePhases(dir, DemoPhases(now)); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	return AddTeam(dir, DemoTeam, now, true)
}

// EnsureAdminToken makes the organizer's token when the store has none and
// returns it ("" when one exists: it is never shown again).
func EnsureAdminToken(dir string, now time.Time) (string, error) {
	h, err := readAdminHash(dir)
	if err != nil || h != "" {
		return "", err
	}
	return NewAdminToken(dir, now)
}

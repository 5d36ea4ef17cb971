package serve

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ntcir-pmr/mreval/eval/intake"
	"github.com/ntcir-pmr/mreval/internal/safetext"
)

// A token is 256 random bits, written in unpadded base64url (43
// characters) after a prefix that says what it is. Only its SHA-256 is
// stored: with 256 bits of entropy a plain hash is as good as a slow one,
// and a stolen teams.json gives no token.
const (
	teamTokenPrefix  = "mrt_"
	adminTokenPrefix = "mra_"
	tokenBytes       = 32
	maxTokenLen      = 128
)

func newToken(prefix string) (token, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Team is one participating team as teams.json keeps it.
type Team struct {
	Name    string    `json:"name"`
	SHA256  string    `json:"token_sha256"`
	Created time.Time `json:"created"`
	// Revoked is set when the team's token was revoked; a revoked team
	// cannot sign in, its runs stay in the store.
	Revoked *time.Time `json:"revoked,omitempty"`
}

type teamsDoc struct {
	Teams []Team `json:"teams"`
}

// readTeams reads DIR/teams.json (no file: no teams).
func readTeams(dir string) ([]Team, error) {
	data, err := readSmall(dir, teamsFile)
	if err != nil || data == nil {
		return nil, err
	}
	var doc teamsDoc
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %s", safetext.Name(filepath.Join(dir, teamsFile)), jsonError(data, d, err))
	}
	seen := map[string]bool{}
	for i, t := range doc.Teams {
		if err := intake.CheckName("team name", t.Name); err != nil || seen[t.Name] || !isHexHash(t.SHA256) {
			return nil, fmt.Errorf("%s: team %d is damaged (bad or repeated name, or a token hash that is not 64 hex digits)", safetext.Name(filepath.Join(dir, teamsFile)), i+1)
		}
		seen[t.Name] = true
	}
	return doc.Teams, nil
}

func isHexHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

func writeTeams(dir string, teams []Team) error {
	data, err := json.MarshalIndent(teamsDoc{Teams: teams}, "", "  ")
	if err != nil {
		return err
	}
	return replaceFile(dir, teamsFile, 0o600, append(data, '\n'))
}

// updateTeams runs fn on the teams under the teams lock and writes the
// result: team add and revoke from several shells never lose each other's
// change.
func updateTeams(dir string, fn func([]Team) ([]Team, error)) error {
	l, _, err := lockStoreFile(dir, teamsLockFile, true)
	if err != nil {
		return err
	}
	defer l.release()
	teams, err := readTeams(dir)
	if err != nil {
		return err
	}
	teams, err = fn(teams)
	if err != nil {
		return err
	}
	return writeTeams(dir, teams)
}

// AddTeam registers a team and returns its token, which is shown once and
// never stored. A revoked team gets a new token; an active one only with
// newToken (the old token stops working).
func AddTeam(dir, name string, now time.Time, rotate bool) (string, error) {
	if err := intake.CheckName("team name", name); err != nil {
		return "", err
	}
	token, hash, err := newToken(teamTokenPrefix)
	if err != nil {
		return "", err
	}
	err = updateTeams(dir, func(teams []Team) ([]Team, error) {
		i := slices.IndexFunc(teams, func(t Team) bool { return t.Name == name })
		switch {
		case i < 0:
			return append(teams, Team{Name: name, SHA256: hash, Created: now.UTC()}), nil
		case teams[i].Revoked == nil && !rotate:
			return nil, fmt.Errorf("team %q exists and is active; give --new-token to replace its token (the old one stops working)", name)
		default:
			teams[i].SHA256, teams[i].Revoked = hash, nil
			return teams, nil
		}
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeTeam revokes a team's token.
func RevokeTeam(dir, name string, now time.Time) error {
	return updateTeams(dir, func(teams []Team) ([]Team, error) {
		i := slices.IndexFunc(teams, func(t Team) bool { return t.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("no team %s", safetext.Name(name))
		}
		if teams[i].Revoked != nil {
			return nil, fmt.Errorf("team %q was revoked already (%s)", name, teams[i].Revoked.Format(time.RFC3339))
		}
		t := now.UTC()
		teams[i].Revoked = &t
		return teams, nil
	})
}

// ListTeams lists the teams, sorted by name.
func ListTeams(dir string) ([]Team, error) {
	teams, err := readTeams(dir)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(teams, func(a, b Team) int { return strings.Compare(a.Name, b.Name) })
	return teams, nil
}

type adminDoc struct {
	SHA256  string    `json:"token_sha256"`
	Created time.Time `json:"created"`
}

// NewAdminToken makes a new organizer token, replacing any earlier one,
// and returns it (shown once, stored hashed).
func NewAdminToken(dir string, now time.Time) (string, error) {
	token, hash, err := newToken(adminTokenPrefix)
	if err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(adminDoc{SHA256: hash, Created: now.UTC()}, "", "  ")
	if err != nil {
		return "", err
	}
	return token, replaceFile(dir, adminFile, 0o600, append(data, '\n'))
}

// readAdminHash returns the organizer token's hash, "" when none was made.
func readAdminHash(dir string) (string, error) {
	data, err := readSmall(dir, adminFile)
	if err != nil || data == nil {
		return "", err
	}
	var doc adminDoc
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&doc); err != nil || !isHexHash(doc.SHA256) {
		return "", fmt.Errorf("%s is damaged; make a new organizer token with 'mreval serve admin-token --store DIR'", safetext.Name(filepath.Join(dir, adminFile)))
	}
	return doc.SHA256, nil
}

// identity is who a token or session belongs to.
type identity struct {
	Team  string // "" for the organizer
	Admin bool
}

func (id identity) String() string {
	if id.Admin {
		return "organizer"
	}
	return "team " + safetext.Name(id.Team)
}

var errNoToken = errors.New("no token")

// authenticate finds the owner of token. Every known hash is compared, in
// constant time, whether or not an earlier one matched, so the time taken
// says nothing about which token is close to which.
func (s *Server) authenticate(token string) (identity, bool) {
	if token == "" || len(token) > maxTokenLen {
		return identity{}, false
	}
	teams, adminHash, err := s.credentials()
	if err != nil {
		s.log.Error("reading credentials", "error", err.Error())
		return identity{}, false
	}
	sum := sha256.Sum256([]byte(token))
	var found identity
	match := 0
	compare := func(hexHash string, id identity) {
		want, err := hex.DecodeString(hexHash)
		if err != nil || len(want) != len(sum) {
			return
		}
		if subtle.ConstantTimeCompare(sum[:], want) == 1 {
			found, match = id, 1
		}
	}
	if adminHash != "" {
		compare(adminHash, identity{Admin: true})
	}
	for _, t := range teams {
		if t.Revoked != nil {
			continue
		}
		compare(t.SHA256, identity{Team: t.Name})
	}
	return found, match == 1
}

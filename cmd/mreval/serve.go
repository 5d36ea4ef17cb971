package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/time/rate"

	"github.com/ntcir-pmr/mreval/eval/collection"
	"github.com/ntcir-pmr/mreval/eval/report"
	"github.com/ntcir-pmr/mreval/eval/validate"
	"github.com/ntcir-pmr/mreval/internal/safetext"
	"github.com/ntcir-pmr/mreval/internal/serve"
)

func init() {
	storeFlag := &cli.StringFlag{Name: "store", Usage: "store directory (the phases file, hashed tokens and one submission store per phase)"}
	flags := []cli.Flag{
		storeFlag,
		&cli.BoolFlag{Name: "demo", Usage: "demo site: a dry-run phase open now and a demo team (without --store, in a temporary directory removed at exit)"},
		&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "address to listen on (port 0: any free port; the url is printed)"},
		&cli.StringFlag{Name: "collection", Usage: "collection the runs are validated and scored against (default " + defaultCollection + " unless --pool/--topics are given): " + strings.Join(collection.Names(), ", ")},
		&cli.StringFlag{Name: "qrels", Usage: "qrels file (with --pool and --topics; without it the boards show no scores)"},
		&cli.StringFlag{Name: "pool", Usage: "pool file: the documents a run may rank"},
		&cli.StringFlag{Name: "topics", Usage: "topic list of phases without topics_file"},
		&cli.IntFlag{Name: "depth", Value: validate.DefaultDepth, Usage: "Subtask B: most documents per topic"},
		&cli.IntFlag{Name: "max-per-kind", Value: validate.DefaultMaxPerKind, Usage: "problems shown per kind in a report (0 = all)"},
		&cli.StringFlag{Name: "tls-cert", Usage: "serve HTTPS with this certificate (PEM; with --tls-key)"},
		&cli.StringFlag{Name: "tls-key", Usage: "private key of --tls-cert (PEM)"},
		&cli.BoolFlag{Name: "secure-cookies", Usage: "mark cookies Secure and send HSTS although serving HTTP (behind a TLS reverse proxy)"},
		&cli.StringFlag{Name: "real-ip-header", Usage: "take the client address from this header (e.g. X-Real-IP, set by the reverse proxy); only behind a proxy"},
		&cli.Float64Flag{Name: "address-rate", Value: serve.DefaultAddressRate, Usage: "requests per second one client address may make (0 = no limit)"},
		&cli.IntFlag{Name: "address-burst", Value: serve.DefaultAddressBurst, Usage: "requests one address may make at once"},
		&cli.Float64Flag{Name: "team-rate", Value: serve.DefaultTeamRate, Usage: "submissions per second one team may make (0 = no limit; the phase's per_day still applies)"},
		&cli.IntFlag{Name: "team-burst", Value: serve.DefaultTeamBurst, Usage: "submissions one team may make at once"},
		&cli.DurationFlag{Name: "http-read-header-timeout", Value: serve.DefaultTimeouts.ReadHeader, Usage: "longest time to read a request's headers"},
		&cli.DurationFlag{Name: "http-read-timeout", Value: serve.DefaultTimeouts.Read, Usage: "longest time to read a whole request (an upload)"},
		&cli.DurationFlag{Name: "http-write-timeout", Value: serve.DefaultTimeouts.Write, Usage: "longest time from the end of a request's headers to the end of the answer"},
		&cli.DurationFlag{Name: "http-idle-timeout", Value: serve.DefaultTimeouts.Idle, Usage: "longest time a kept-alive connection may wait for the next request"},
		&cli.DurationFlag{Name: "shutdown-timeout", Value: 10 * time.Minute, Usage: "on SIGTERM/SIGINT, longest wait for requests in flight (uploads) to finish"},
	}
	register(&cli.Command{
		Name:  "serve",
		Usage: "the task's submission site: upload runs, validation reports, leaderboards, phases (organizers)",
		Description: `Serves the submission site of a store directory DIR (see docs/serve.md):
teams sign in with a token and upload runs in the browser or with
POST /api/submissions; each run is validated exactly as 'mreval validate'
does and stored exactly as 'mreval intake' stores it, in DIR/runs/<phase>/.
DIR/phases.json declares the phases (topics, opening and closing times,
limits, whether scores are shown). Each phase's leaderboard is the
leaderboard command's, built from the store. At the first start the
organizer's token is made and printed once ("admin-token: ..."). Prints
"url: ..." once listening; stops on SIGTERM/SIGINT after the uploads in
flight.

--demo prepares a demo: a dry-run phase open now on the collection's test
topics and a team "demo" whose token it prints ("token: ...").`,
		Flags:  append(flags, limitFlags(validate.DefaultLimits)...),
		Action: serveAction,
		Subcommands: []*cli.Command{
			{
				Name:  "team",
				Usage: "add, list or revoke the teams of a store",
				Subcommands: []*cli.Command{
					{
						Name: "add", Usage: "register a team and print its token (once: the store keeps only its hash)", ArgsUsage: "NAME",
						Flags:  []cli.Flag{storeFlag, &cli.BoolFlag{Name: "new-token", Usage: "give an active team a new token (the old one stops working)"}},
						Action: serveTeamAddAction,
					},
					{Name: "list", Usage: "list the teams", ArgsUsage: " ", Flags: []cli.Flag{storeFlag}, Action: serveTeamListAction},
					{Name: "revoke", Usage: "revoke a team's token (its runs stay)", ArgsUsage: "NAME", Flags: []cli.Flag{storeFlag}, Action: serveTeamRevokeAction},
				},
			},
			{
				Name: "admin-token", Usage: "make a new organizer token and print it (the old one stops working)", ArgsUsage: " ",
				Flags: []cli.Flag{storeFlag}, Action: serveAdminTokenAction,
			},
		},
	})
}

func serveStore(c *cli.Context) (string, error) {
	dir := c.String("store")
	if dir == "" {
		return "", usagef("give the store: --store DIR")
	}
	return dir, nil
}

func serveTeamName(c *cli.Context) (string, error) {
	if c.NArg() != 1 {
		return "", usagef("give one team NAME")
	}
	return c.Args().First(), nil
}

func serveTeamAddAction(c *cli.Context) error {
	dir, err := serveStore(c)
	if err != nil {
		return err
	}
	name, err := serveTeamName(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	token, err := serve.AddTeam(dir, name, time.Now(), c.Bool("new-token"))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.App.Writer, "team: %s\ntoken: %s\n", name, token)
	return err
}

func serveTeamListAction(c *cli.Context) error {
	dir, err := serveStore(c)
	if err != nil {
		return err
	}
	teams, err := serve.ListTeams(dir)
	if err != nil {
		return err
	}
	for _, t := range teams {
		state := "active"
		if t.Revoked != nil {
			state = "revoked " + t.Revoked.Format(time.RFC3339)
		}
		fmt.Fprintf(c.App.Writer, "%s\tcreated %s\t%s\n", safetext.Name(t.Name), t.Created.Format(time.RFC3339), state)
	}
	return nil
}

func serveTeamRevokeAction(c *cli.Context) error {
	dir, err := serveStore(c)
	if err != nil {
		return err
	}
	name, err := serveTeamName(c)
	if err != nil {
		return err
	}
	if err := serve.RevokeTeam(dir, name, time.Now()); err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.App.Writer, "revoked: team %s\n", safetext.Name(name))
	return err
}

func serveAdminTokenAction(c *cli.Context) error {
	dir, err := serveStore(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	token, err := serve.NewAdminToken(dir, time.Now())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.App.Writer, "token: %s\n", token)
	return err
}

// serveRules is what the phases are validated and scored against: a
// shipped collection, or the --pool/--topics(/--qrels) files.
type serveRules struct {
	collection string
	qrelsFile  string
	base       validate.Rules // Pool, Qrels, and Topics of --topics
}

func serveRulesFromFlags(c *cli.Context) (*serveRules, error) {
	base, err := rulesFromFlags(c)
	if err != nil {
		return nil, err
	}
	sr := &serveRules{base: base}
	files := c.IsSet("qrels") || c.IsSet("pool") || c.IsSet("topics")
	switch {
	case c.IsSet("collection") && files:
		return nil, usagef("give either --collection or --pool and --topics (and --qrels), not both")
	case files:
		if err := loadRuleFiles(c.String("qrels"), c.String("pool"), c.String("topics"), sr.base.Limits, &sr.base); err != nil {
			return nil, err
		}
		if q := c.String("qrels"); q != "" {
			if sr.qrelsFile, err = filepath.Abs(q); err != nil {
				return nil, err
			}
		}
	default:
		sr.collection = c.String("collection")
		if sr.collection == "" {
			sr.collection = defaultCollection
		}
		// The split is the phase's; this reads the pool and qrels.
		if err := loadCollection(sr.collection, "test", &sr.base, c.App.ErrWriter); err != nil {
			return nil, err
		}
	}
	return sr, nil
}

// validator builds the rules of one phase: its task, and its topics (the
// collection's split, its topics_file relative to the store, or --topics).
func (sr *serveRules) validator(dir string, p *serve.Phase, stderr *bytes.Buffer) (*validate.Validator, error) {
	rules := sr.base
	rules.Task = validate.Task(p.Task)
	switch {
	case p.Split != "":
		if err := loadCollection(sr.collection, p.Split, &rules, stderr); err != nil {
			return nil, fmt.Errorf("phase %s: %v", p.Name, err)
		}
	case p.TopicsFile != "":
		f := p.TopicsFile
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		topics, err := validate.ReadRuleList(f, rules.Limits)
		if err != nil {
			return nil, fmt.Errorf("phase %s: topics_file: %v", p.Name, err)
		}
		rules.Topics = topics
	}
	v, err := validate.NewValidator(rules)
	if err != nil {
		return nil, fmt.Errorf("phase %s: %v", p.Name, err)
	}
	return v, nil
}

// boardMu serialises the in-process runs of the leaderboard command: its
// flag definitions are shared between runs of the CLI.
var boardMu sync.Mutex

// board renders a phase's leaderboard by running `mreval leaderboard
// --store` in-process, so the site's board is the command's, byte for
// byte, with its defaults (measures, seed, resamples, noise ceiling);
// --base-names keeps the server's paths off the public board.
func (sr *serveRules) board(_ context.Context, in serve.BoardInput, format string) ([]byte, error) {
	args := []string{"mreval", "leaderboard", "--store", in.Store, "--task", in.Phase.Task, "--topics", in.Topics, "--format", format, "--base-names"}
	if sr.collection != "" {
		args = append(args, "--collection", sr.collection)
	} else {
		args = append(args, "--qrels", sr.qrelsFile)
	}
	boardMu.Lock()
	defer boardMu.Unlock()
	var out, errb bytes.Buffer
	if status := run(args, &out, &errb); status != 0 {
		return nil, fmt.Errorf("mreval %s: exit status %d: %s", strings.Join(args[1:], " "), status, strings.TrimSpace(errb.String()))
	}
	return out.Bytes(), nil
}

func serveAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("serve takes no arguments (did you mean 'serve team add'?)")
	}
	demo := c.Bool("demo")
	dir := c.String("store")
	if dir == "" && !demo {
		return usagef("give the store: --store DIR (or try --demo)")
	}
	if (c.String("tls-cert") == "") != (c.String("tls-key") == "") {
		return usagef("give both --tls-cert and --tls-key, or neither")
	}
	for _, name := range []string{"address-rate", "team-rate"} {
		if c.Float64(name) < 0 {
			return usagef("--%s must not be negative", name)
		}
	}
	for _, name := range []string{"http-read-header-timeout", "http-read-timeout", "http-write-timeout", "http-idle-timeout", "shutdown-timeout"} {
		if c.Duration(name) <= 0 {
			return usagef("--%s must be positive", name)
		}
	}
	sr, err := serveRulesFromFlags(c)
	if err != nil {
		return err
	}
	stdout := c.App.Writer
	now := time.Now()
	var demoToken string
	if demo {
		if dir == "" {
			tmp, err := os.MkdirTemp("", "mreval-demo-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			dir = tmp
		}
		if sr.collection == "" {
			return usagef("--demo needs a collection (--collection, default %s)", defaultCollection)
		}
		if demoToken, err = serve.SetupDemo(dir, now); err != nil {
			return err
		}
	}
	phases, err := serve.LoadPhases(dir, sr.collection != "")
	if err != nil {
		return err
	}
	var notes bytes.Buffer
	validators := map[string]*validate.Validator{}
	for i := range phases.Phases {
		p := &phases.Phases[i]
		if validators[p.Name], err = sr.validator(dir, p, &notes); err != nil {
			return err
		}
	}
	c.App.ErrWriter.Write(notes.Bytes())
	opt := serve.Options{
		Dir: dir, Phases: phases, Validators: validators, Formats: report.LeaderboardFormats,
		Secure:       c.String("tls-cert") != "" || c.Bool("secure-cookies"),
		RealIPHeader: c.String("real-ip-header"),
		AddressRate:  rate.Limit(c.Float64("address-rate")), AddressBurst: c.Int("address-burst"),
		TeamRate: rate.Limit(c.Float64("team-rate")), TeamBurst: c.Int("team-burst"),
		Log: slog.New(slog.NewJSONHandler(c.App.ErrWriter, nil)),
	}
	if sr.collection != "" || sr.qrelsFile != "" {
		opt.Board = sr.board
	}
	srv, err := serve.New(opt)
	if err != nil {
		return err
	}
	defer srv.Close()
	adminToken, err := serve.EnsureAdminToken(dir, now)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.String("addr"))
	if err != nil {
		return err
	}
	scheme := "http"
	if c.String("tls-cert") != "" {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "url: %s://%s\n", scheme, ln.Addr())
	if demoToken != "" {
		fmt.Fprintf(stdout, "token: %s\n", demoToken)
	}
	if adminToken != "" {
		fmt.Fprintf(stdout, "admin-token: %s\n", adminToken)
	}
	fmt.Fprintf(stdout, "store: %s\n", safetext.Name(dir))

	hs := serve.NewHTTPServer(srv.Handler(), serve.Timeouts{
		ReadHeader: c.Duration("http-read-header-timeout"), Read: c.Duration("http-read-timeout"),
		Write: c.Duration("http-write-timeout"), Idle: c.Duration("http-idle-timeout"),
	})
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	served := make(chan error, 1)
	go func() {
		if c.String("tls-cert") != "" {
			served <- hs.ServeTLS(ln, c.String("tls-cert"), c.String("tls-key"))
		} else {
			served <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stop()
	opt.Log.Info("shutting down: finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), c.Duration("shutdown-timeout"))
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	opt.Log.Info("stopped")
	return nil
}

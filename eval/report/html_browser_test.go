package report_test

import (
	"bytes"
	"context"
	"flag"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ntcir-pmr/mreval/eval/report"
	"github.com/ntcir-pmr/mreval/internal/browsertest"
	"github.com/ntcir-pmr/mreval/internal/thorough"
)

// The HTML report is tested in a real headless browser (Debian's chromium
// driven by chromedp). Without chromium the test is skipped, unless CI=true,
// where a missing browser fails it. To check another page:
//
//	go run ./cmd/mreval leaderboard --format html -o /tmp/lb.html
//	go test ./eval/report -run TestHTMLInBrowser -args -page /tmp/lb.html
//
// To refresh the screenshot of docs/leaderboard.md (the default board,
// made with go run ./cmd/mreval leaderboard --format html):
//
//	go test ./eval/report -run TestHTMLInBrowser -update
var (
	pageFlag       = flag.String("page", "", "TestHTMLInBrowser: test this HTML file instead of the fixture")
	screenshotFlag = flag.String("screenshot", "", "TestHTMLInBrowser: write a PNG screenshot of the page's top to this file")
	updateFlag     = flag.Bool("update", false, "TestHTMLInBrowser: test the default board (go run ./cmd/mreval leaderboard --format html) and write its screenshot to docs/img/leaderboard.png")
)

// docsScreenshot is the screenshot of docs/leaderboard.md, from this
// package's directory.
const docsScreenshot = "../../docs/img/leaderboard.png"

// defaultBoardPage writes the page of the README's first command to a
// temporary file: the board the docs show.
func defaultBoardPage(t *testing.T) string {
	t.Helper()
	page := filepath.Join(t.TempDir(), "leaderboard.html")
	cmd := exec.Command("go", "run", "./cmd/mreval", "leaderboard", "--format", "html", "-o", page)
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return page
}

// chromiumPath finds Debian's chromium (or another Chromium build). The
// browser session runs with MREVAL_THOROUGH=1 (chromium's start-up alone
// would take a tenth of the everyday suite's budget), or when -page or
// -update asks for it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if *pageFlag == "" && !*updateFlag {
		thorough.Skip(t, "the HTML report's browser session")
	}
	return browsertest.Chromium(t, "the HTML report")
}

func TestHTMLInBrowser(t *testing.T) {
	browser := chromiumPath(t)

	page := *pageFlag
	if page == "" && *updateFlag {
		page = defaultBoardPage(t)
	}
	fixture := page == ""
	if fixture {
		var buf bytes.Buffer
		require.NoError(t, report.WriteLeaderboardHTML(&buf, fixtureLeaderboard(t), report.LeaderboardOptions{}))
		page = filepath.Join(t.TempDir(), "leaderboard.html")
		require.NoError(t, os.WriteFile(page, buf.Bytes(), 0o644))
	}
	abs, err := filepath.Abs(page)
	require.NoError(t, err)
	pageURL := (&url.URL{Scheme: "file", Path: abs}).String()

	// The whole browser session is bounded: a hung browser fails the test
	// instead of stalling the suite.
	parent, cancelParent := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancelParent)
	profile := t.TempDir()
	// Chromium keeps its singleton socket in $TMPDIR; a directory of the
	// test's own keeps /tmp clean.
	browserTmp := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.Env("TMPDIR="+browserTmp),
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	// Registered after TempDir, so it runs first: the browser has exited
	// before its profile directory is removed.
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelCtx)

	// Start the browser, then collect every console message of the page.
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000)))
	var (
		mu       sync.Mutex
		messages []chromedp.ConsoleMessage
	)
	consoleCtx, stopConsole := context.WithCancel(ctx)
	console := chromedp.Console(consoleCtx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range console {
			if err != nil {
				return
			}
			mu.Lock()
			messages = append(messages, m)
			mu.Unlock()
		}
	}()

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitReady(chromedp.CSS("#leaderboard-table tbody tr")),
	))

	shots := []string{}
	if *screenshotFlag != "" {
		shots = append(shots, *screenshotFlag)
	}
	if *updateFlag {
		shots = append(shots, docsScreenshot)
	}
	if len(shots) > 0 {
		// Before any click; tall enough for the leaderboard and the noise
		// ceiling.
		require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1180)))
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		for _, shot := range shots {
			require.NoError(t, os.WriteFile(shot, png, 0o644))
		}
		require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000)))
	}

	// No two text boxes overlap, no text is cut by its plot's edge and no
	// tick mark runs through a label (textOverlapsJS).
	overlaps, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](textOverlapsJS))
	require.NoError(t, err)
	assert.Empty(t, overlaps, "overlapping text on the page")

	// Every SVG plot is laid out with a non-zero size and draws something.
	type box struct{ W, H, InnerW, InnerH float64 }
	boxes, err := chromedp.Run(ctx, chromedp.Evaluate[[]box](`Array.from(document.querySelectorAll("svg.plot")).map(function (s) {
		var r = s.getBoundingClientRect(), b = s.getBBox();
		return {W: r.width, H: r.height, InnerW: b.width, InnerH: b.height};
	})`))
	require.NoError(t, err)
	require.NotEmpty(t, boxes, "no SVG plot on the page")
	for i, b := range boxes {
		assert.Greater(t, b.W, 50.0, "svg %d width", i)
		assert.Greater(t, b.H, 50.0, "svg %d height", i)
		assert.Greater(t, b.InnerW, 10.0, "svg %d drawn content width", i)
		assert.Greater(t, b.InnerH, 10.0, "svg %d drawn content height", i)
	}
	if fixture {
		lb := fixtureLeaderboard(t)
		// A dot plot and a heat map per measure, a scatter per topic.
		assert.Len(t, boxes, 2*len(lb.Measures)+len(lb.Topics))
	}

	// The leaderboard sorts on click.
	// runOrder reads the run column of the leaderboard, top to bottom.
	runOrder := func() []string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#leaderboard-table tbody tr")).map(function (r) { return r.cells[1].textContent; })`))
		require.NoError(t, err)
		return v
	}
	initial := runOrder()
	byTag := slices.Clone(initial)
	slices.Sort(byTag)
	click := func(n int) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#leaderboard-table thead th:nth-child("+strconv.Itoa(n)+")"))))
	}
	click(2) // run: ascending by tag
	assert.Equal(t, byTag, runOrder(), "sorted by run tag")
	click(2) // again: descending
	reversed := slices.Clone(byTag)
	slices.Reverse(reversed)
	assert.Equal(t, reversed, runOrder(), "sorted by run tag, descending")
	click(1) // rank: back to leaderboard order
	assert.Equal(t, initial, runOrder(), "sorted by rank")
	if fixture {
		lb := fixtureLeaderboard(t)
		// Column 5 is the third measure, regret@1 (lower is better): the
		// first click puts the lowest regret first, ties in table order.
		m := &lb.Measures[2]
		require.Equal(t, "regret@1", m.Name)
		want := slices.Clone(initial)
		idx := map[string]int{}
		for d, r := range lb.Runs {
			idx[r.Tag] = d
		}
		slices.SortStableFunc(want, func(a, b string) int {
			x, y := m.Runs[idx[a]].Mean, m.Runs[idx[b]].Mean
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		})
		click(5)
		assert.Equal(t, want, runOrder(), "sorted by regret@1, best first")
		sortAttr, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#leaderboard-table thead th:nth-child(5)").getAttribute("aria-sort")`))
		require.NoError(t, err)
		assert.Equal(t, "ascending", sortAttr)
		click(1)

		// A board of one run, in the same browser: laid out as cleanly,
		// with no HSD letters (the test needs two runs) and a noise
		// section of the oracle's row alone.
		var buf bytes.Buffer
		require.NoError(t, report.WriteLeaderboardHTML(&buf, leaderboardOf(t, fixtureRuns()[:1], nil, true), report.LeaderboardOptions{}))
		single := filepath.Join(filepath.Dir(abs), "single.html")
		require.NoError(t, os.WriteFile(single, buf.Bytes(), 0o644))
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate((&url.URL{Scheme: "file", Path: single}).String()),
			chromedp.WaitReady(chromedp.CSS("#leaderboard-table tbody tr")),
		))
		overlaps, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](textOverlapsJS))
		require.NoError(t, err)
		assert.Empty(t, overlaps, "overlapping text on the one-run page")
		counts, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.querySelectorAll("sup.letters").length, document.querySelectorAll("#noise + p + div tbody tr").length, document.querySelectorAll("#leaderboard-table tbody tr").length]`))
		require.NoError(t, err)
		assert.Equal(t, []int{0, 1, 1}, counts, "letters, noise rows, leaderboard rows")
	}

	stopConsole()
	<-done
	mu.Lock()
	defer mu.Unlock()
	for _, m := range messages {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			t.Errorf("console %s", m)
		}
	}
}

// textOverlapsJS lists, as the eye would see them, the places where the
// page's text collides, each as "what: text A [box] / text B [box]":
//   - within each SVG plot, two <text> boxes that intersect, a text box
//     that a tick mark (a short straight stroke: gonum draws each tick
//     and each error-bar cap as one) crosses, and a text box that sticks
//     out of the plot;
//   - in the HTML around the plots (tables, legends, headings), two
//     line boxes of text that intersect (every text node's client rects:
//     one per line it wraps to), and a line of text drawn over a plot.
//
// Boxes that merely touch are fine: an overlap counts when it is more
// than tolerance CSS pixels deep in both directions.
const textOverlapsJS = `(function () {
  "use strict";
  var tolerance = 1, out = [], limit = 40;
  function box(r) { return "[" + [r.left, r.top, r.width, r.height].map(function (v) { return Math.round(v); }).join(",") + "]"; }
  function hit(a, b) {
    return Math.min(a.right, b.right) - Math.max(a.left, b.left) > tolerance &&
      Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tolerance;
  }
  function report(what, a, b) { if (out.length < limit) { out.push(what + ": " + JSON.stringify(a.text) + " " + box(a) + " / " + JSON.stringify(b.text) + " " + box(b)); } }
  function rectOf(r, text) { return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height, text: text}; }
  function pairwise(what, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        if (hit(boxes[i], boxes[j])) { report(what, boxes[i], boxes[j]); }
      }
    }
  }
  var tick = /^M\s*(-?[\d.]+)[ ,](-?[\d.]+)\s*L\s*(-?[\d.]+)[ ,](-?[\d.]+)\s*$/;
  var svgs = Array.prototype.slice.call(document.querySelectorAll("svg.plot"));
  svgs.forEach(function (svg, n) {
    var name = "plot " + n + " (" + svg.getAttribute("aria-label") + ")";
    var frame = rectOf(svg.getBoundingClientRect(), name);
    var texts = [];
    Array.prototype.forEach.call(svg.querySelectorAll("text"), function (t) {
      if (t.textContent.trim() === "") { return; }
      var r = rectOf(t.getBoundingClientRect(), t.textContent);
      texts.push(r);
      if (r.left < frame.left - tolerance || r.right > frame.right + tolerance || r.top < frame.top - tolerance || r.bottom > frame.bottom + tolerance) {
        report(name + ": text out of the plot", r, frame);
      }
    });
    pairwise(name + ": texts overlap", texts);
    Array.prototype.forEach.call(svg.querySelectorAll("path"), function (p) {
      var m = tick.exec(p.getAttribute("d") || "");
      if (!m || !/stroke:/.test(p.getAttribute("style") || "")) { return; }
      var len = Math.hypot(m[3] - m[1], m[4] - m[2]);
      if (len > 12) { return; } // grid and axis lines, in SVG units (pt)
      var r = rectOf(p.getBoundingClientRect(), "tick mark");
      // A vertical or horizontal stroke has a zero-width box; widen it so
      // that a stroke through a label overlaps it by more than tolerance.
      if (r.width < 1) { r.left -= 1.5; r.right += 1.5; r.width = r.right - r.left; }
      if (r.height < 1) { r.top -= 1.5; r.bottom += 1.5; r.height = r.bottom - r.top; }
      texts.forEach(function (t) { if (hit(t, r)) { report(name + ": tick mark through a label", t, r); } });
    });
  });
  var lines = [];
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: function (node) {
      if (node.textContent.trim() === "") { return NodeFilter.FILTER_REJECT; }
      if (node.parentElement.closest("svg, script, style")) { return NodeFilter.FILTER_REJECT; }
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  for (var node = walker.nextNode(); node; node = walker.nextNode()) {
    var range = document.createRange();
    range.selectNodeContents(node);
    Array.prototype.forEach.call(range.getClientRects(), function (r) {
      if (r.width > 0 && r.height > 0) { lines.push(rectOf(r, node.textContent.trim())); }
    });
  }
  pairwise("HTML texts overlap", lines);
  var frames = svgs.map(function (svg, n) { return rectOf(svg.getBoundingClientRect(), "plot " + n); });
  lines.forEach(function (l) { frames.forEach(function (f) { if (hit(l, f)) { report("HTML text over a plot", l, f); } }); });
  return out;
}())`

// Package progress draws progress bars on a terminal and nothing anywhere
// else, so that redirected output and golden files stay free of control
// sequences.
package progress

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bars shows one bar at a time, one per task (reading runs, scoring, a
// measure's resampling): a report for a new task finishes the bar of the
// previous one. Its methods may be called from several goroutines.
type Bars struct {
	w    io.Writer
	on   bool
	mu   sync.Mutex
	task string
	bar  *progressbar.ProgressBar
}

// New returns bars drawn on w when w is a terminal; on anything else they
// draw nothing and Callback returns nil.
func New(w io.Writer) *Bars {
	f, ok := w.(*os.File)
	return newBars(w, ok && term.IsTerminal(int(f.Fd())))
}

func newBars(w io.Writer, on bool) *Bars { return &Bars{w: w, on: on} }

// Drawn returns bars drawn on w whatever w is, for a test that checks
// what a command reports.
func Drawn(w io.Writer) *Bars { return newBars(w, true) }

// Report sets the bar of task to done of total; its signature is that of
// the Progress callbacks of eval/leaderboard.
func (b *Bars) Report(task string, done, total int) {
	if !b.on {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if task != b.task || b.bar == nil {
		if b.bar != nil {
			b.bar.Finish()
		}
		b.task = task
		b.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(b.w),
			progressbar.OptionSetDescription(task),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(50*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	b.bar.Set(done)
}

// Callback is Report for one task, or nil when nothing is drawn, so that a
// caller can skip computing progress nobody sees.
func (b *Bars) Callback(task string) func(done, total int) {
	if !b.on {
		return nil
	}
	return func(done, total int) { b.Report(task, done, total) }
}

// Describe changes the text beside the current bar (a training loss),
// keeping its task.
func (b *Bars) Describe(text string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		b.bar.Describe(text)
	}
}

// Finish clears the current bar; the next report starts a new one.
func (b *Bars) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar != nil {
		b.bar.Finish()
		b.bar = nil
		b.task = ""
	}
}

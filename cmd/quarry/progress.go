package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress prints a one-line, self-overwriting status on a terminal
// (documents done, rate, time left) and nothing when stderr is not one.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, quiet bool) *progress {
	f, ok := w.(*os.File)
	on := false
	if ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progress{w: w, on: on, start: time.Now()}
}

// files reports ingestion progress; at most ten updates a second.
func (p *progress) files(done, total int) {
	if !p.on || total == 0 {
		return
	}
	now := time.Now()
	if done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(done) / max(el, 1e-3)
	left := "?"
	if rate > 0 {
		left = (time.Duration(float64(total-done)/rate*1e9) * time.Nanosecond).Round(100 * time.Millisecond).String()
	}
	fmt.Fprintf(p.w, "\r\033[Kreading %d/%d files (%.0f/s, %s left)", done, total, rate, left)
}

// stage announces a build step.
func (p *progress) stage(s string) {
	if p.on {
		fmt.Fprintf(p.w, "\r\033[K%s…", s)
	}
}

// done clears the status line.
func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// Command buildbench times `quarry build` next to Pagefind's on the
// shared collections, the way bench/ measures builds (each build one
// child process under GNU time: wall time, user + system CPU time, peak
// RSS), but alone and fast: no browser, builds only, runs alternating
// between the engines so that both meet the same machine load, medians
// reported.
//
//	go run ./tools/buildbench [-runs 5] [-collections phpdocs,hugodocs,cranfield]
//	    [-quarry bin/quarry] [-pagefind PATH] [-data ../shared/data] [-keep]
//
// Quarry indexes each collection's docs.json (`quarry build -q -o OUT
// DIR`, DIR holding docs.json alone); Pagefind indexes the same records
// written as one HTML page each (`pagefind --site SITE --quiet`), as the
// bench writes them. The pages are written once, before timing. Pagefind
// is looked for in bench/node_modules (npm ci there installs it) unless
// -pagefind names its binary; without it only Quarry is timed.
//
// tools/buildbench/hugosite.sh builds the Hugo documentation with Hugo,
// for timing `quarry build --site` on a real generated site.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

type result struct {
	wall, cpu time.Duration
	rss       int64 // bytes
}

func main() {
	runs := flag.Int("runs", 3, "builds per engine and collection (medians are reported)")
	colls := flag.String("collections", "phpdocs,hugodocs,cranfield", "collections of -data to time")
	quarry := flag.String("quarry", "bin/quarry", "the quarry binary")
	pagefind := flag.String("pagefind", "", "Pagefind's binary (default: found in bench/node_modules; \"none\" to time Quarry alone)")
	data := flag.String("data", "../shared/data", "folder of the shared collections")
	keep := flag.Bool("keep", false, "keep the work folder and print where it is")
	flag.Parse()
	pf := *pagefind
	if pf == "" {
		pf = findPagefind()
	}
	if pf == "none" {
		pf = ""
	}
	work, err := os.MkdirTemp("", "buildbench-")
	check(err)
	if *keep {
		fmt.Fprintln(os.Stderr, "work folder:", work)
	} else {
		defer os.RemoveAll(work)
	}
	fmt.Printf("%-10s %-9s %10s %10s %10s   (median of %d; machine load %s)\n", "collection", "engine", "wall", "cpu", "peak RSS", *runs, loadAvg())
	for _, name := range strings.Split(*colls, ",") {
		src := filepath.Join(*data, name, "docs.json")
		if _, err := os.Stat(src); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v; skipped\n", name, err)
			continue
		}
		in := filepath.Join(work, name, "input")
		check(os.MkdirAll(in, 0o755))
		b, err := os.ReadFile(src)
		check(err)
		check(os.WriteFile(filepath.Join(in, "docs.json"), b, 0o644))
		pages := filepath.Join(work, name, "pages")
		if pf != "" {
			writePages(b, pages)
		}
		var q, p []result
		for i := 0; i < *runs; i++ {
			out := filepath.Join(work, name, "quarry-out")
			os.RemoveAll(out)
			q = append(q, timed(*quarry, "build", "-q", "-o", out, in))
			if pf != "" {
				os.RemoveAll(filepath.Join(pages, "pagefind"))
				p = append(p, timed(pf, "--site", pages, "--quiet"))
			}
		}
		report(name, "quarry", q)
		if pf != "" {
			report(name, "pagefind", p)
		}
	}
}

// writePages writes the records of a docs.json as one HTML page each,
// as bench/engines/pagefind.mjs does.
func writePages(docsJSON []byte, dir string) {
	var docs []map[string]any
	check(json.Unmarshal(docsJSON, &docs))
	paras := regexp.MustCompile(`\n\s*\n`)
	for i, d := range docs {
		title, _ := d["title"].(string)
		body, _ := d["body"].(string)
		var b strings.Builder
		fmt.Fprintf(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title></head>\n<body><main data-pagefind-body>\n<h1>%s</h1>\n",
			html.EscapeString(title), html.EscapeString(title))
		for _, p := range paras.Split(body, -1) {
			if p = strings.TrimSpace(p); p != "" {
				fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
			}
		}
		b.WriteString("</main></body></html>\n")
		p := filepath.Join(dir, "d", strconv.Itoa(i), "index.html")
		check(os.MkdirAll(filepath.Dir(p), 0o755))
		check(os.WriteFile(p, []byte(b.String()), 0o644))
	}
}

// timed runs a command under GNU time -v.
func timed(name string, args ...string) result {
	rep, err := os.CreateTemp("", "buildbench-time-")
	check(err)
	rep.Close()
	defer os.Remove(rep.Name())
	cmd := exec.Command("/usr/bin/time", append([]string{"-v", "-o", rep.Name(), name}, args...)...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "%s %s: %v\n", name, strings.Join(args, " "), err)
		os.Exit(1)
	}
	wall := time.Since(start)
	b, err := os.ReadFile(rep.Name())
	check(err)
	field := func(label string) float64 {
		m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(label) + `:\s*([0-9.]+)`).FindSubmatch(b)
		if m == nil {
			return 0
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		return v
	}
	cpu := field("User time (seconds)") + field("System time (seconds)")
	return result{wall: wall, cpu: time.Duration(cpu * float64(time.Second)), rss: int64(field("Maximum resident set size (kbytes)")) * 1024}
}

func report(coll, engine string, rs []result) {
	med := func(get func(result) float64) float64 {
		vs := make([]float64, len(rs))
		for i, r := range rs {
			vs[i] = get(r)
		}
		slices.Sort(vs)
		return vs[len(vs)/2]
	}
	fmt.Printf("%-10s %-9s %9.2fs %9.2fs %7.0f MB\n", coll, engine,
		med(func(r result) float64 { return r.wall.Seconds() }),
		med(func(r result) float64 { return r.cpu.Seconds() }),
		med(func(r result) float64 { return float64(r.rss) / 1e6 }))
}

// findPagefind looks for the binary npm installs under bench/node_modules.
func findPagefind() string {
	for _, pat := range []string{"bench/node_modules/@pagefind/*/bin/pagefind_extended", "bench/node_modules/@pagefind/*/bin/pagefind"} {
		if m, _ := filepath.Glob(pat); len(m) > 0 {
			return m[0]
		}
	}
	fmt.Fprintln(os.Stderr, "Pagefind not found in bench/node_modules (cd bench && npm ci): timing Quarry alone")
	return ""
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "buildbench:", err)
		os.Exit(1)
	}
}

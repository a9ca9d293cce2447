// Command sizes prints the raw, gzip and brotli size of every file a built
// Quarry site ships (make size runs it on the demo bundle).
//
//	go run ./internal/site/sizes dist/demo
package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/quarry-search/quarry/internal/site"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sizes BUNDLE_DIR")
		os.Exit(2)
	}
	sizes, err := site.Sizes(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "sizes:", err)
		os.Exit(1)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "raw\tgzip\tbrotli\t\tfile")
	var raw, gz, br int
	for _, s := range sizes {
		note := ""
		if !s.Precompressed {
			note = " (computed)"
		}
		fmt.Fprintf(w, "%d\t%d\t%d\t\t%s%s\n", s.Raw, s.Gzip, s.Brotli, s.Path, note)
		if strings.HasPrefix(s.Path, site.AssetDir+"/") {
			raw, gz, br = raw+s.Raw, gz+s.Gzip, br+s.Brotli
		}
	}
	fmt.Fprintf(w, "%d\t%d\t%d\t\t%s\n", raw, gz, br, "total of "+site.AssetDir+"/ (what a search loads)")
	w.Flush()
}

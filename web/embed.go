// Package web holds the browser side of Quarry — the <quarry-search>
// element and its JavaScript API (quarry.js), the stylesheet
// (quarry.css), the Web Worker that runs the WebAssembly engine
// (worker.js) and the demo page template (index.html) — and embeds them
// for the quarry command, which copies them into every site bundle.
//
// The browser tests and the first-result benchmark live beside them in
// test/ and bench/ (run with node; see Makefile target test-web).
package web

import "embed"

// Files holds quarry.js, quarry.css, worker.js and index.html.
//
//go:embed quarry.js quarry.css worker.js index.html
var Files embed.FS

// Names of the embedded files.
const (
	ScriptFile   = "quarry.js"
	StyleFile    = "quarry.css"
	WorkerFile   = "worker.js"
	PageTemplate = "index.html"
)

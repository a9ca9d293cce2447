# Quarry — build, test and demo. `make demo` and `make test` are the two
# commands a newcomer needs; both install what they need.
SHELL := /bin/bash
GO ?= go
GOROOT_WASM := $(shell $(GO) env GOROOT)/lib/wasm
ASSETS := internal/assets/files
WASM_FLAGS := -trimpath -ldflags="-s -w -buildid="
# Packages the browser engine links but never runs on the search path (geo
# and JSON code reached from bleve's package inits, formatting, time zones,
# networking, bleve's own English analyzer...) are compiled without
# inlining: quarry.wasm is 61 kB smaller in brotli at no measurable cost in
# search time. The hot path (runtime, zapx, roaring, vellum, searchers,
# collector, analysis, internal/*) keeps it: without inlining anywhere the
# engine is 77 kB smaller but takes about 40% more CPU per query under
# Node (inlining kept only in the runtime, zapx, roaring and internal/*:
# 34 kB smaller, 10-15% more CPU).
WASM_COLD := github.com/blevesearch/geo/... github.com/json-iterator/go \
	github.com/blevesearch/bleve/v2/search/query github.com/blevesearch/bleve/v2/geo \
	github.com/blevesearch/bleve/v2/mapping github.com/blevesearch/bleve/v2/registry \
	github.com/blevesearch/bleve/v2/analysis/datetime/... github.com/blevesearch/bleve/v2/numeric \
	github.com/blevesearch/bleve/v2/util github.com/blevesearch/bleve/v2/size \
	github.com/blevesearch/upsidedown_store_api github.com/blevesearch/mmap-go github.com/kljensen/... \
	regexp/... fmt time net/... math/big math/rand crypto/... reflect encoding/json encoding/base64 \
	unicode/utf16 container/list hash/adler32 bufio io/fs os path/filepath syscall log flag testing \
	internal/godebug internal/bisect github.com/blevesearch/bleve/v2/document \
	github.com/blevesearch/go-porterstemmer github.com/blevesearch/snowballstem/... \
	github.com/blevesearch/bleve/v2/analysis/lang/... github.com/blevesearch/bleve/v2/analysis/analyzer/... \
	github.com/blevesearch/bleve/v2/analysis/token/porter github.com/blevesearch/bleve/v2/analysis/token/stop \
	github.com/blevesearch/bleve/v2/analysis/tokenizer/single net/netip unique
WASM_GCFLAGS := $(foreach p,$(WASM_COLD),-gcflags=$(p)=-l)
# Packages whose tests also run compiled to WebAssembly under Node.
WASM_TEST_PKGS := ./internal/search/ ./internal/reader/ ./internal/indexfile/ ./internal/schema/ ./internal/eval/ ./internal/bridge/ ./wasm/
# Browser tests: Debian's Chromium driven by playwright-core (web/package.json);
# the drop-in test builds a Hugo site with Debian's hugo.
CHROMIUM := /usr/bin/chromium
HUGO := /usr/bin/hugo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO := dist/demo
# Where `make demo` serves (make demo ADDR=0.0.0.0:8080).
ADDR ?= 127.0.0.1:8080

.PHONY: all build wasm cli test test-go test-wasm test-web web-deps demo demo-site size bench bench-smoke bench-web fuzz clean

all: build

build: cli

wasm:
	@mkdir -p $(ASSETS)
	@echo 'GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -gcflags=<cold>=-l ($(words $(WASM_COLD)) patterns) -o $(ASSETS)/quarry.wasm ./wasm'
	@GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) $(WASM_GCFLAGS) -o $(ASSETS)/quarry.wasm ./wasm
	cp $(GOROOT_WASM)/wasm_exec.js $(ASSETS)/wasm_exec.js
	$(GO) run ./internal/assets/precompress $(ASSETS)/quarry.wasm

# The first build of the command compiles bleve and its dependencies for
# the host: about a minute of silence without the line below.
cli: wasm
	@echo '$(GO) build -trimpath -o bin/quarry ./cmd/quarry   (the command-line tool; a first build takes about a minute)'
	@$(GO) build -trimpath -o bin/quarry ./cmd/quarry

test: build test-go test-wasm test-web bench-smoke

test-go:
	$(GO) vet ./...
	$(GO) test ./...

test-wasm:
	PATH="$(GOROOT_WASM):$$PATH" GOOS=js GOARCH=wasm $(GO) test $(WASM_TEST_PKGS)

# Native Go fuzzing, each target in turn for FUZZTIME. `make test` already
# runs every target over its seed corpus (f.Add seeds and the files in the
# package's testdata/fuzz/FuzzName/); a crash found here is written there
# by the fuzzer and so becomes a regression test.
FUZZTIME ?= 60s
# Minimizing a new interesting input may otherwise take up to 60 s of a
# target's time (the index loader's inputs are kilobytes long).
FUZZFLAGS ?= -fuzzminimizetime=10s
FUZZ_TARGETS := internal/search:FuzzOpen internal/search:FuzzSearch internal/bridge:FuzzBridgeSearch \
	internal/ingest:FuzzParseHTML internal/ingest:FuzzParseMarkdown internal/ingest:FuzzParseJSONL
fuzz:
	@failed=; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "== $$name ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) ./$$pkg || failed="$$failed $$name"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes found in:$$failed (inputs in the packages' testdata/fuzz/)"; exit 1; fi

# Installs what the browser tests need when it is missing: the npm
# packages pinned in web/package-lock.json, Debian's chromium and hugo
# (without its recommended packages: they would bring Debian's older Go).
web-deps:
	@if [ ! -d web/node_modules ]; then (cd web && npm ci --no-audit --no-fund); fi
	@if [ ! -x $(CHROMIUM) ]; then \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium; fi
	@if [ ! -x $(HUGO) ]; then \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends hugo; fi

test-web: build web-deps
	cd web && QUARRY_BIN=$(CURDIR)/bin/quarry CHROMIUM=$(CHROMIUM) HUGO=$(HUGO) node --test --test-concurrency=1 test/*.test.mjs

# The side-by-side comparison with Pagefind, lunr and MiniSearch (bench/);
# regenerates BENCHMARKS.md. bench-smoke runs the harness on the seeds only
# (a few queries, one run each) so `make test` proves it still works.
bench: build
	bash bench/run.sh

bench-smoke: build
	bash bench/run.sh --smoke

# First-result timing (cold and warm) and bytes transferred; prints, never fails.
bench-web: build web-deps
	cd web && QUARRY_BIN=$(CURDIR)/bin/quarry CHROMIUM=$(CHROMIUM) node bench/first-result.mjs

demo-site: build
	bin/quarry build -o $(DEMO) corpus

demo: demo-site
	bin/quarry serve $(DEMO) --addr $(ADDR)

# Raw, gzip and brotli bytes of every file the demo site ships.
size: demo-site
	$(GO) run ./internal/site/sizes $(DEMO)

clean:
	rm -rf bin dist $(ASSETS)/quarry.wasm $(ASSETS)/quarry.wasm.br $(ASSETS)/quarry.wasm.gz $(ASSETS)/wasm_exec.js

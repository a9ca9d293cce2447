# Quarry — build, test and demo. `make demo` and `make test` are the two
# commands a newcomer needs; both install what they need.
SHELL := /bin/bash
GO ?= go
GOROOT_WASM := $(shell $(GO) env GOROOT)/lib/wasm
ASSETS := internal/assets/files
WASM_FLAGS := -trimpath -ldflags="-s -w -buildid="
# One engine per index language, each linking only its own Snowball
# stemmer (the other six cost 66 kB of brotli together): quarry.wasm is
# the English one; the others are embedded in brotli only.
LANGS := french spanish russian swedish norwegian hungarian
WASM_TMP := dist/wasm
# Packages the browser engines link but never run on the search path
# are compiled without inlining: smaller code for nothing on the hot path
# (measured with tools/wasmsize). quarry.wasm (English) links none of
# them any more (wasm/deps_test.go); the other languages' engines do,
# through kljensen/snowball, whose romance package imports testing.
WASM_COLD := fmt os syscall internal/poll io/fs path/filepath flag testing internal/godebug internal/bisect \
	time reflect internal/fmtsort github.com/blevesearch/mmap-go
WASM_GCFLAGS := $(foreach p,$(WASM_COLD),-gcflags=$(p)=-l)
# Packages whose tests also run compiled to WebAssembly under Node.
WASM_TEST_PKGS := ./internal/errs/ ./internal/porter2/ ./internal/engine/ ./internal/query/ ./internal/plan/ ./internal/searcher/ ./internal/facet/ ./internal/indexfile/ ./internal/bridge/ ./wasm/ \
	./internal/analysis/ ./internal/fuzzy/
# Browser tests: Debian's Chromium driven by playwright-core (web/package.json);
# the drop-in test builds a Hugo site with Debian's hugo.
CHROMIUM := /usr/bin/chromium
HUGO := /usr/bin/hugo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO := dist/demo
# Where `make demo` serves (make demo ADDR=0.0.0.0:8080).
ADDR ?= 127.0.0.1:8080

.PHONY: all build wasm cli test test-go test-wasm test-web web-deps demo demo-site size bench bench-smoke bench-threshold bench-web fuzz clean

all: build

build: cli

wasm:
	@mkdir -p $(ASSETS) $(WASM_TMP)
	@echo 'GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -tags quarry_lang,quarry_lang_english -gcflags=<cold>=-l -o $(ASSETS)/quarry.wasm ./wasm'
	@GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -tags quarry_lang,quarry_lang_english $(WASM_GCFLAGS) -o $(ASSETS)/quarry.wasm ./wasm
	@for l in $(LANGS); do \
		echo "GOOS=js GOARCH=wasm $(GO) build ... -tags quarry_lang,quarry_lang_$$l -o $(WASM_TMP)/quarry.$$l.wasm ./wasm"; \
		GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -tags quarry_lang,quarry_lang_$$l $(WASM_GCFLAGS) -o $(WASM_TMP)/quarry.$$l.wasm ./wasm || exit 1; \
	done
	$(GO) run ./tools/wasmpack $(ASSETS)/quarry.wasm $(foreach l,$(LANGS),$(WASM_TMP)/quarry.$(l).wasm)
	cp $(GOROOT_WASM)/wasm_exec.js $(ASSETS)/wasm_exec.js
	$(GO) run ./internal/assets/precompress $(ASSETS)/quarry.wasm $(ASSETS)/wasm_exec.js
	$(GO) run ./internal/assets/precompress -web $(WASM_TMP)/web
	$(GO) run ./internal/assets/precompress -into $(ASSETS) $(WASM_TMP)/web/quarry.js web/quarry.css $(WASM_TMP)/web/worker.js
	$(GO) run ./internal/assets/precompress -only br -into $(ASSETS) $(foreach l,$(LANGS),$(WASM_TMP)/quarry.$(l).wasm)

# The first build of the command compiles bleve and its dependencies for
# the host: about a minute of silence without the line below.
cli: wasm
	@echo '$(GO) build -trimpath -o bin/quarry ./cmd/quarry   (the command-line tool; a first build takes about a minute)'
	@$(GO) build -trimpath -o bin/quarry ./cmd/quarry

test: build test-go test-wasm test-web bench-smoke

# Packages that read ../shared/data run for minutes on CI's 2 cores (the
# engine's differential tests under Node took 4 min with the machine idle
# and more when shared); go test's 10-minute default would cut them off.
TEST_TIMEOUT ?= 40m

test-go:
	$(GO) vet ./...
	$(GO) test -timeout $(TEST_TIMEOUT) ./...

test-wasm:
	PATH="$(GOROOT_WASM):$$PATH" GOOS=js GOARCH=wasm $(GO) test -timeout $(TEST_TIMEOUT) $(WASM_TEST_PKGS)

# Native Go fuzzing, each target in turn for FUZZTIME. `make test` already
# runs every target over its seed corpus (f.Add seeds and the files in the
# package's testdata/fuzz/FuzzName/); a crash found here is written there
# by the fuzzer and so becomes a regression test.
FUZZTIME ?= 60s
# Minimizing a new interesting input may otherwise take up to 60 s of a
# target's time (the index loader's inputs are kilobytes long).
FUZZFLAGS ?= -fuzzminimizetime=10s
FUZZ_TARGETS := internal/bridge:FuzzBridgeSearch \
	internal/engine:FuzzCraftedIndex \
	internal/ingest:FuzzParseHTML internal/ingest:FuzzParseMarkdown internal/ingest:FuzzParseJSONL \
	internal/analysis:FuzzTokenize internal/fuzzy:FuzzAutomaton \
	internal/wasmfile:FuzzPackData internal/pclntab:FuzzStrip
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

# The side-by-side comparison with Pagefind, lunr and MiniSearch (bench/)
# and the phpdocs scaling table; regenerates BENCHMARKS.md. bench-smoke
# runs the harness on the seeds only (a few queries, one run each) so
# `make test` proves it still works.
bench: build
	bash bench/run.sh --scaling

bench-smoke: build
	bash bench/run.sh --smoke

# Whole index or head + files, around internal/site's WholeIndexLimit:
# Cranfield subsets shipped both ways (bench/threshold.mjs); writes
# bench/results/threshold.json, which the next `make bench` reports.
bench-threshold: build
	node bench/threshold.mjs

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
	@echo; echo "Where quarry.wasm's bytes go (a copy built with its name section; the data section compressed alone, the code sharing the rest of the brotli size by raw size):"
	@GOOS=js GOARCH=wasm $(GO) build -trimpath -tags quarry_lang,quarry_lang_english $(WASM_GCFLAGS) -o $(WASM_TMP)/quarry.names.wasm ./wasm
	@$(GO) run ./tools/wasmpack $(WASM_TMP)/quarry.names.wasm >/dev/null
	@$(GO) run ./tools/wasmsize -n 25 -br $(ASSETS)/quarry.wasm.br $(WASM_TMP)/quarry.names.wasm

clean:
	rm -rf bin dist $(ASSETS)/quarry*.wasm $(ASSETS)/quarry*.wasm.br $(ASSETS)/quarry*.wasm.gz $(ASSETS)/wasm_exec.js

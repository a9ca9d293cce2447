# Quarry — build, test and demo. `make demo` and `make test` are the two
# commands a newcomer needs; both install what they need.
SHELL := /bin/bash
GO ?= go
GOROOT_WASM := $(shell $(GO) env GOROOT)/lib/wasm
ASSETS := internal/assets/files
WASM_FLAGS := -trimpath -ldflags="-s -w -buildid="
# Packages whose tests also run compiled to WebAssembly under Node.
WASM_TEST_PKGS := ./internal/search/ ./internal/reader/ ./internal/indexfile/ ./internal/schema/ ./internal/eval/

.PHONY: all build wasm cli test test-go test-wasm demo size bench clean

all: build

build: cli

wasm:
	@mkdir -p $(ASSETS)
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o $(ASSETS)/quarry.wasm ./wasm
	cp $(GOROOT_WASM)/wasm_exec.js $(ASSETS)/wasm_exec.js

cli: wasm
	$(GO) build -trimpath -o bin/quarry ./cmd/quarry

test: build test-go test-wasm

test-go:
	$(GO) vet ./...
	$(GO) test ./...

test-wasm:
	PATH="$(GOROOT_WASM):$$PATH" GOOS=js GOARCH=wasm $(GO) test $(WASM_TEST_PKGS)

demo: build
	bin/quarry build -o dist/demo corpus
	bin/quarry serve dist/demo

clean:
	rm -rf bin dist $(ASSETS)/quarry.wasm $(ASSETS)/wasm_exec.js

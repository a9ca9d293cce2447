package testcorpus

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// GoWasmProgram returns testdata/goprog built for js/wasm as `make build`
// builds the engine (-trimpath, -s -w), built once per test binary: a
// small program that exercises what the Go runtime reads from its own
// tables (stack growth, garbage collection, goroutines, panics in method
// wrappers, runtime.Caller), for the tests of the tools that rewrite
// such modules (internal/pclntab, tools/wasmpack).
func GoWasmProgram(t testing.TB) []byte {
	t.Helper()
	r := goProgram()
	if r.err != nil {
		t.Fatalf("building testdata/goprog for js/wasm: %v\n%s", r.err, r.out)
	}
	return r.wasm
}

type built struct {
	wasm, out []byte
	err       error
}

var goProgram = sync.OnceValue(func() built {
	wasm, out, err := buildGoProgram()
	return built{wasm, out, err}
})

func buildGoProgram() ([]byte, []byte, error) {
	root, err := ModuleRoot()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "goprog")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	wasm := filepath.Join(dir, "goprog.wasm")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, ".")
	cmd.Dir = filepath.Join(root, "internal", "testcorpus", "testdata", "goprog")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, out, err
	}
	b, err := os.ReadFile(wasm)
	return b, nil, err
}

// RunGoWasm runs a js/wasm program under Node with Go's wasm_exec_node.js
// (the program sees env added to the environment) and returns what it
// printed; it skips the test when node is not installed (make test
// installs it).
func RunGoWasm(t testing.TB, module []byte, env ...string) (string, error) {
	t.Helper()
	node, p := NodeModule(t, module)
	cmd := exec.Command(node, filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec_node.js"), p)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// NodeModule returns the node binary and the path of a temporary file
// holding module, for a test that runs a WebAssembly module under Node; it
// skips the test when node is not installed (make test installs it).
func NodeModule(t testing.TB, module []byte) (node, path string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: cannot run WebAssembly modules (make test installs it)")
	}
	path = filepath.Join(t.TempDir(), "module.wasm")
	if err := os.WriteFile(path, module, 0o644); err != nil {
		t.Fatal(err)
	}
	return node, path
}

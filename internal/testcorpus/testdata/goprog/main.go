// Command goprog exercises what the Go runtime reads from its symbol table
// while a program runs: stack growth (frame sizes), garbage collection
// with pointers held on deep stacks (pointer maps), goroutines, defer,
// panics recovered from the runtime and from a method wrapper
// (runtime.panicwrap reads its caller's name), and runtime.Caller (which
// reads the file and line tables internal/pclntab.Strip removes). The
// tests of internal/pclntab and tools/wasmpack run it before and after
// rewriting it and compare what it prints (testcorpus.GoWasmProgram).
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
)

type T struct{ n int }

func (t T) M() int { return t.n }

type I interface{ M() int }

type node struct {
	next *node
	val  [16]int
}

// deep recurses n times with a pointer and a large frame on every level,
// collecting garbage at the bottom, and returns the list's sum.
func deep(n int, list *node) int {
	var pad [64]int
	pad[n%64] = n
	list = &node{next: list, val: [16]int{n}}
	if n == 0 {
		runtime.GC()
		s := 0
		for l := list; l != nil; l = l.next {
			s += l.val[0]
		}
		return s
	}
	return deep(n-1, list) + pad[n%64] - n
}

// nilT hides from the compiler that the interface holds a nil *T, so
// the call goes through the method wrapper (*T).M.
//
//go:noinline
func nilT() I {
	var p *T
	return p
}

type catcher interface{ Catch() }

type R struct{ caught *bool }

// Catch recovers as a deferred call reached through the method wrapper
// (*R).Catch: recover() counts the frames between it and the panic,
// skipping wrappers by their FuncID, inlined frames included.
func (r R) Catch() { *r.caught = recover() != nil }

func viaWrapper() (caught bool) {
	var c catcher = &R{&caught}
	defer c.Catch()
	panic("x")
}

func recovered(f func()) (msg string) {
	defer func() { msg = fmt.Sprint(recover()) }()
	f()
	return ""
}

func main() {
	fmt.Println("deep:", deep(2000, nil))
	ch := make(chan int)
	for g := range 8 {
		go func() {
			s := 0
			for i := range 5000 {
				s += deep(i%50, nil)
			}
			ch <- g + s
		}()
	}
	sum := 0
	for range 8 {
		sum += <-ch
	}
	fmt.Println("goroutines:", sum)
	fmt.Println("wrapper:", recovered(func() { nilT().M() }))
	fmt.Println("recover in wrapper:", viaWrapper())
	var m map[string]int
	fmt.Println("nil map:", recovered(func() { m["x"] = 1 }))
	idx := len(os.Args) + 7
	fmt.Println("index:", recovered(func() { _ = []int{1}[idx] }))
	fmt.Println("error:", errors.Is(fmt.Errorf("wrap: %w", os.ErrNotExist), os.ErrNotExist))
	_, file, line, ok := runtime.Caller(0)
	fmt.Println("caller:", strings.HasSuffix(file, "main.go"), line > 0, ok)
	fn := runtime.FuncForPC(func() uintptr { pc, _, _, _ := runtime.Caller(0); return pc }())
	fmt.Println("name:", fn.Name())
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	fmt.Println("gc ran:", stats.NumGC > 0)
}

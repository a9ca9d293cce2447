package engine

import "math"

// Clock returns the current time in milliseconds from a fixed origin
// (monotonic); Search reports the time a request took, to the
// microsecond, in Response.TookMs. The engine does not import package
// time: time brings syscall, internal/godebug and internal/bisect into
// quarry.wasm (37.6 kB of brotli: 739,797 B with it, 702,214 B
// without) for two readings of a clock the browser has anyway, so
// quarry.wasm sets Clock to performance.now and native programs get
// clock_native.go's. With Clock nil, TookMs is 0.
var Clock func() float64

// since returns the milliseconds from start (a Clock reading) to now,
// truncated to the microsecond as time.Duration.Microseconds did.
func since(start float64) float64 {
	if Clock == nil {
		return 0
	}
	return math.Floor((Clock()-start)*1000) / 1000
}

// now reads Clock (0 when it is nil).
func now() float64 {
	if Clock == nil {
		return 0
	}
	return Clock()
}

//go:build !js

package engine

import "time"

// origin is the monotonic reading Clock counts from.
var origin = time.Now()

func init() {
	Clock = func() float64 { return float64(time.Since(origin).Nanoseconds()) / 1e6 }
}

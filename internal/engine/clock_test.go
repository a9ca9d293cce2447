package engine

import "testing"

func TestSince(t *testing.T) {
	old := Clock
	defer func() { Clock = old }()
	tests := []struct {
		clock func() float64
		start float64
		want  float64
	}{
		{func() float64 { return 12.3456789 }, 10, 2.345},
		{func() float64 { return 5 }, 5, 0},
		{nil, 3, 0},
	}
	for _, tt := range tests {
		Clock = tt.clock
		if got := since(tt.start); got != tt.want {
			t.Errorf("since(%v) with clock %v = %v, want %v", tt.start, tt.clock != nil, got, tt.want)
		}
	}
	Clock = nil
	if got := now(); got != 0 {
		t.Errorf("now() with no clock = %v, want 0", got)
	}
}

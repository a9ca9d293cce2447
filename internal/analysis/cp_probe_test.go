package analysis

import (
	"fmt"
	"strings"
	"testing"
)

func TestProbeCodePoints(t *testing.T) {
	ctx := []string{"%s", "a%sa", "1%s1", "_%s", "%sa", "カ%s", "ב%sב", " %s", "、%s", "%s%s", "가%s"}
	bad := 0
	var first []rune
	lastBad := rune(-10)
	ranges := []string{}
	for r := rune(0x80); r <= 0xFFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := string(r)
		diff := false
		for _, c := range ctx {
			var text string
			if c == "%s%s" {
				text = s + s
			} else {
				text = fmt.Sprintf(c, s)
			}
			if firstDiff(Tokenize(text), segmentTokens(text)) >= 0 {
				diff = true
				break
			}
		}
		if diff {
			bad++
			if r != lastBad+1 {
				ranges = append(ranges, fmt.Sprintf("%04X", r))
			} else {
				rs := ranges[len(ranges)-1]
				if i := strings.Index(rs, ".."); i >= 0 {
					rs = rs[:i]
				}
				ranges[len(ranges)-1] = rs + fmt.Sprintf("..%04X", r)
			}
			lastBad = r
			if len(first) < 50 {
				first = append(first, r)
			}
		}
	}
	t.Logf("%d code points differ in %d ranges", bad, len(ranges))
	for i := 0; i < len(ranges); i += 20 {
		t.Log(ranges[i:min(i+20, len(ranges))])
	}
}

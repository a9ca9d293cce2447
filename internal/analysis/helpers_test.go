package analysis

import (
	"strconv"
	"strings"
)

func strconvQuote(s string) string { return strconv.Quote(s) }

func fmtTokens(ts []Token) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, t := range ts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Quote(t.Term))
		b.WriteString("@" + strconv.Itoa(t.Start) + "-" + strconv.Itoa(t.End) + "#" + strconv.Itoa(t.Position) + "k" + strconv.Itoa(int(t.Kind)))
	}
	b.WriteByte(']')
	return b.String()
}

package ingest

import (
	"strings"
)

// codeShortcodes are paired Hugo shortcodes whose inner content is code.
// When their tags stand on lines of their own, the content is turned into a
// fenced code block, so that it is indexed verbatim and lines such as a
// TOML "# comment" are not read as Markdown headings.
var codeShortcodes = map[string]bool{"highlight": true, "code-toggle": true, "code": true}

// maxShortcodeLen bounds how far the closing delimiter of a shortcode tag
// is looked for, so that a stray "{{<" cannot swallow a whole document.
const maxShortcodeLen = 4096

// scTag is one shortcode tag in a Markdown source.
type scTag struct {
	start, end int    // byte range of the tag, delimiters included
	name       string // shortcode name, without the closing '/'
	closing    bool   // {{< /name >}}
	escaped    bool   // {{</* name */>}}: shown literally by Hugo
	selfClose  bool   // {{< name />}}: no closing tag follows
}

// stripShortcodes removes Hugo shortcode tags ({{< … >}}, {{% … %}},
// closing and self-closing forms, escaped {{</* … */>}} forms, tags over
// several lines) from a Markdown source, keeping the content between
// paired tags. Unterminated openers are removed on their own.
func stripShortcodes(src string) string {
	if !strings.Contains(src, "{{<") && !strings.Contains(src, "{{%") {
		return src
	}
	tags := scanShortcodes(src)
	fence := map[int]string{} // tag index -> replacement fence
	var fenced [][2]int       // code blocks already fenced in the source
	for k, t := range tags {
		if t.closing || t.escaped || t.selfClose || !codeShortcodes[t.name] || fence[k] != "" || !standalone(src, t) {
			continue
		}
		if fenced == nil {
			fenced = fencedRanges(src)
		}
		if inRanges(fenced, t.start) {
			continue // already code: the tags are just removed
		}
		for m := k + 1; m < len(tags); m++ {
			c := tags[m]
			if c.closing && !c.escaped && c.name == t.name {
				if standalone(src, c) {
					f := strings.Repeat("~", max(3, longestRun(src[t.end:c.start], '~')+1))
					fence[k], fence[m] = f, f
				}
				break
			}
		}
	}
	var b strings.Builder
	b.Grow(len(src))
	last := 0
	for k, t := range tags {
		b.WriteString(src[last:t.start])
		b.WriteString(fence[k])
		last = t.end
	}
	b.WriteString(src[last:])
	return b.String()
}

// scanShortcodes finds the shortcode tags of src, in order.
func scanShortcodes(src string) []scTag {
	var tags []scTag
	for i := 0; i < len(src); {
		j := strings.Index(src[i:], "{{")
		if j < 0 {
			break
		}
		pos := i + j
		if pos+2 >= len(src) || (src[pos+2] != '<' && src[pos+2] != '%') {
			i = pos + 1
			continue
		}
		delim := src[pos+2]
		end := closeShortcode(src, pos+3, delim)
		if end < 0 { // unterminated: drop the opener alone
			tags = append(tags, scTag{start: pos, end: pos + 3})
			i = pos + 3
			continue
		}
		t := scTag{start: pos, end: end}
		inner := strings.TrimSpace(src[pos+3 : end-3])
		if strings.HasPrefix(inner, "/*") {
			t.escaped = true
			inner = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(inner, "/*"), "*/"))
		}
		if strings.HasSuffix(inner, "/") {
			t.selfClose = true
			inner = strings.TrimSpace(strings.TrimSuffix(inner, "/"))
		}
		if strings.HasPrefix(inner, "/") {
			t.closing = true
			inner = strings.TrimSpace(inner[1:])
		}
		if f := strings.Fields(inner); len(f) > 0 {
			t.name = f[0]
		}
		tags = append(tags, t)
		i = end
	}
	return tags
}

// closeShortcode returns the offset just past the ">}}" or "%}}" closing
// a tag opened by "{{<" or "{{%" (delim is '<' or '%') whose body starts
// at from, skipping over quoted parameters, or -1.
func closeShortcode(src string, from int, delim byte) int {
	limit := min(len(src), from+maxShortcodeLen)
	closer := "%}}"
	if delim == '<' {
		closer = ">}}"
	}
	for i := from; i < limit; i++ {
		switch c := src[i]; {
		case c == '"' || c == '`':
			k := i + 1
			for k < limit && src[k] != c {
				if c == '"' && src[k] == '\\' {
					k++
				}
				k++
			}
			if k >= limit { // unbalanced quote: look for the closer plainly
				if e := strings.Index(src[from:limit], closer); e >= 0 {
					return from + e + 3
				}
				return -1
			}
			i = k
		case strings.HasPrefix(src[i:], closer):
			return i + 3
		}
	}
	return -1
}

// standalone reports whether tag t is alone on its line(s).
func standalone(src string, t scTag) bool {
	ls := strings.LastIndexByte(src[:t.start], '\n') + 1
	le := strings.IndexByte(src[t.end:], '\n')
	if le < 0 {
		le = len(src)
	} else {
		le += t.end
	}
	return strings.TrimSpace(src[ls:t.start]) == "" && strings.TrimSpace(src[t.end:le]) == ""
}

// fencedRanges returns the byte ranges of the fenced code blocks of a
// Markdown source (``` or ~~~ fences, any indentation), roughly as
// CommonMark reads them; an unclosed fence runs to the end.
func fencedRanges(src string) [][2]int {
	var out [][2]int
	open, start := "", 0
	for off := 0; off < len(src); {
		line := src[off:]
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line = line[:i+1]
		}
		t := strings.TrimSpace(line)
		if len(t) >= 3 && (t[0] == '`' || t[0] == '~') {
			run := t[:longestPrefix(t, t[0])]
			switch {
			case open == "" && len(run) >= 3:
				open, start = run, off
			case open != "" && run[0] == open[0] && len(run) >= len(open) && len(run) == len(t):
				out = append(out, [2]int{start, off + len(line)})
				open = ""
			}
		}
		off += len(line)
	}
	if open != "" {
		out = append(out, [2]int{start, len(src)})
	}
	return out
}

func longestPrefix(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

func inRanges(rs [][2]int, off int) bool {
	for _, r := range rs {
		if off >= r[0] && off < r[1] {
			return true
		}
	}
	return false
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// noShortcodeText breaks any "{{<" or "{{%" left in rendered text (from
// Markdown escapes such as "{{\<" or entities) so that no shortcode syntax
// reaches the index.
func noShortcodeText(s string) string {
	if !strings.Contains(s, "{{<") && !strings.Contains(s, "{{%") {
		return s
	}
	return strings.NewReplacer("{{<", "{{ <", "{{%", "{{ %").Replace(s)
}

package entity

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Documentation sites mix prose with code: template actions, config
// files, shell commands and identifiers quoted inline ("the RelPermalink
// method", "set publishDir"). None of it names an entity, and capitalised
// identifiers would otherwise look like organisations. Code is recognised
// at two levels: whole lines (codeLine) are skipped, and single tokens
// inside prose are marked by their shape or by the punctuation glued to
// them (isCodeWord, tokenize). Capitalised words used as identifiers in
// code ("{{ .Permalink }}") are counted so that the same word in prose
// ("the Permalink method") is recognised too (extractor.codeName).

// codeMarkers are substrings that only occur in code or markup.
var codeMarkers = []string{"{{", "}}", "{%", "%}", ":=", "==", "!=", "=>", "->", "&&", "||",
	"</", "/>", "();", "){", "::", "<-", "+=", "${", "$(", "`"}

// codeLineRe matches lines that start like code: sigils, comments,
// markup, front-matter fences, YAML list items, flags, "key = value",
// lower-case "key: value" and JSON "key": value or template arguments.
var codeLineRe = regexp.MustCompile(`^(?:[$#{}\[\]<>|@%\\]|\.\S|//|/\*|\*/|\+\+\+|---|- |--|[\w.\-\[\]"']+\s*=|` +
	`\p{Ll}[\w.\-]*:(?:\s|$)|"[^"]*"\s*[:,(\[{"]|'[^']*'\s*[:,])`)

// codeEnd reports whether a line ends like code: an open block, a list
// or statement separator, a continuation.
func codeEnd(s string) bool { return s != "" && strings.IndexByte("{[(,;\\=", s[len(s)-1]) >= 0 }

// codeLine reports whether a line of text looks like code or markup
// rather than prose.
func codeLine(line string) bool {
	if strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "    ") {
		return true // indented block
	}
	s := strings.TrimSpace(line)
	if s == "" {
		return false
	}
	for _, m := range codeMarkers {
		if strings.Contains(s, m) {
			return true
		}
	}
	if codeLineRe.MatchString(s) || codeEnd(s) || strings.Contains(s, " = ") {
		return true
	}
	return symbolHeavy(s) || commandLine(s)
}

// commandLine reports whether s reads like a shell command: it starts
// with two lower-case words ("trap cleanup EXIT SIGINT SIGTERM") or a
// lower-case word and an argument in quotes or a flag ('echo "Fetching
// Git history..."'), does not end like a sentence, and has no
// capitalised word other than acronyms.
func commandLine(s string) bool {
	f := strings.Fields(s)
	if len(f) < 2 || !isLowerWord(f[0]) || strings.ContainsAny(s[len(s)-1:], ".!?:") {
		return false
	}
	if strings.ContainsAny(f[1][:1], "\"'-$") {
		return true
	}
	if !isLowerWord(f[1]) {
		return false
	}
	for _, w := range f[2:] {
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) && !isAcronym(strings.Trim(w, ",;()")) {
			return false
		}
	}
	return true
}

// isLowerWord reports whether w is a lower-case word (letters, digits,
// dots, hyphens).
func isLowerWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsLower(r) {
		return false
	}
	for _, c := range w {
		if !unicode.IsLower(c) && !unicode.IsDigit(c) && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// symbolHeavy reports whether more than one character in eight of s is
// a bracket, operator or sigil.
func symbolHeavy(s string) bool {
	n, sym := 0, 0
	for _, r := range s {
		n++
		if strings.ContainsRune("{}[]()<>=$;|\\/_*#%&^~`", r) {
			sym++
		}
	}
	return sym*8 > n
}

// fileExts are file-name extensions: "config.toml", "README.md". ".js"
// is missing on purpose ("Node.js", "Vue.js" are names).
var fileExts = set("md", "markdown", "toml", "yaml", "yml", "json", "jsonl", "html", "htm", "css", "scss",
	"sass", "less", "go", "txt", "xml", "csv", "tsv", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif",
	"ico", "bmp", "tif", "tiff", "pdf", "ts", "tsx", "jsx", "mjs", "cjs", "py", "rb", "rs", "sh", "bash",
	"ps1", "bat", "exe", "zip", "gz", "tar", "tgz", "mod", "sum", "lock", "tmpl", "gotmpl", "tpl", "ini",
	"cfg", "conf", "env", "log", "woff", "woff2", "ttf", "otf", "mp4", "mp3", "wasm", "php", "java", "c", "h",
	"cpp", "hpp", "swift", "kt", "lua", "sql", "db", "rss", "atom", "ics", "vtt", "srt", "adoc", "rst", "org")

// apiVerbs start method names in PascalCase: "GetPage", "IsHome".
var apiVerbs = set("Get", "Set", "Is", "Has", "Add", "To", "Must", "Can", "Del", "Render", "Find", "Parse")

// isCodeWord reports whether a word's shape marks it as a code identifier
// or file name: dotted member access ("resources.Get", "time.AsTime",
// "site.RegularPages", "safe.HTML"), a file name ("README.md"),
// lowerCamelCase ("logLevel", "baseURL"; not "eBay", "iPhone", "macOS"),
// or PascalCase with an API verb or several humps ("GetPage",
// "IsImageResourceProcessable"; not "GitHub", "JavaScript").
func isCodeWord(w string) bool {
	if strings.Contains(w, ".") {
		return dottedCode(w)
	}
	first, _ := utf8.DecodeRuneInString(w)
	humps, lowerRun, prefix := 0, 0, ""
	prevLower := false
	for i, r := range w {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				humps++
				if humps == 1 {
					prefix = w[:i]
				}
			}
			prevLower = false
		case unicode.IsLower(r):
			if humps == 0 && unicode.IsLower(first) {
				lowerRun++
			}
			prevLower = true
		default:
			prevLower = false
		}
	}
	if humps == 0 {
		return false
	}
	if unicode.IsLower(first) {
		// "eBay", "iPhone", "jQuery", "macOS", "watchOS" are names.
		return lowerRun > 1 && !strings.HasSuffix(w, "OS")
	}
	return humps >= 2 || apiVerbs[prefix]
}

// dottedCode reports whether a word with inner dots is member access or a
// file name rather than an abbreviation ("U.S.") or a domain-style name
// ("Node.js", "JD.com", "ASP.NET").
func dottedCode(w string) bool {
	parts := strings.Split(strings.TrimSuffix(w, "."), ".")
	if len(parts) < 2 {
		return false
	}
	last := parts[len(parts)-1]
	if fileExts[strings.ToLower(last)] && len(parts[0]) > 1 {
		return true
	}
	first, _ := utf8.DecodeRuneInString(parts[0])
	if unicode.IsLower(first) && len(parts[0]) > 1 && hasUpper(w) {
		return true // "time.AsTime", "safe.HTML"
	}
	for _, p := range parts[1:] {
		r, _ := utf8.DecodeRuneInString(p)
		if len(p) > 1 && unicode.IsUpper(r) && strings.IndexFunc(p, unicode.IsLower) > 0 {
			return true // "Site.Menus.main", "Resources.Get"
		}
	}
	return false
}

// codeBefore and codeAfter are characters that, glued to a word, make it
// code: ".Permalink", "$Site", "HUGO_ENV", "layouts/Foo", "GetPage(".
const (
	codeBefore = ".$_\\@#{[<=~^|%`"
	codeAfter  = "_\\=[{<$@(`"
)

// gluedCode reports whether the word line[start:end] touches code
// punctuation: a sigil or dot right before it, a call parenthesis or an
// underscore right after it, a command-line flag dash ("--port", "-D"),
// or a path around it ("layouts/Foo", but not "Windows/Linux").
func gluedCode(line string, start, end int) bool {
	if ((start > 0 && line[start-1] == '/') || (end < len(line) && line[end] == '/')) && pathField(line, start, end) {
		return true
	}
	if start > 0 {
		r, size := utf8.DecodeLastRuneInString(line[:start])
		if strings.ContainsRune(codeBefore, r) {
			return true
		}
		if r == '-' && (start == size || line[start-size-1] == ' ' || line[start-size-1] == '-') {
			return true
		}
	}
	if end < len(line) {
		r, _ := utf8.DecodeRuneInString(line[end:])
		if strings.ContainsRune(codeAfter, r) {
			return true
		}
	}
	return false
}

// tzRe matches IANA time zone identifiers.
var tzRe = regexp.MustCompile(`^(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/\p{Lu}[\w+\-]*(?:/\p{Lu}[\w+\-]*)?$`)

// pathField reports whether the space-delimited field around
// line[start:end] is a file path or URL rather than names joined by
// slashes: it starts with "/", "./" or "~/", has two slashes or more, or
// has an all-lower-case or dotted part, or is a time zone identifier.
func pathField(line string, start, end int) bool {
	a := strings.LastIndexAny(line[:start], " \t\"'(") + 1
	b := strings.IndexAny(line[end:], " \t\"')")
	if b < 0 {
		b = len(line)
	} else {
		b += end
	}
	f := strings.TrimRight(line[a:b], ".,;:!?")
	if tzRe.MatchString(f) {
		return true // a time zone identifier: "Europe/Oslo", "America/Los_Angeles"
	}
	if strings.HasPrefix(f, "/") || strings.HasPrefix(f, "./") || strings.HasPrefix(f, "~/") || strings.Count(f, "/") >= 2 {
		return true
	}
	for _, p := range strings.Split(f, "/") {
		if p != "" && (strings.Contains(p, ".") || strings.ToLower(p) == p) {
			return true
		}
	}
	return false
}

// countCodeNames records the capitalised identifiers of a code line
// (outside string literals) in codeVocab.
func (sc *scan) countCodeNames(line string) {
	quote := rune(0)
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '`' || (r == '\'' && (i == 0 || !isWordByte(line[i-1]))):
			quote = r
		case unicode.IsLetter(r):
			j := i
			for j < len(line) {
				c, n := utf8.DecodeRuneInString(line[j:])
				if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '_' {
					break
				}
				j += n
			}
			if w := line[i:j]; hasUpper(w) {
				sc.codeVocab[w]++
			}
			i = j
			continue
		}
		i += size
	}
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

// codeName reports whether a one-word surface is, by corpus evidence, a
// code identifier: used as one in code (or named "the X method") at
// least half as often as it is mentioned in prose, a quarter as often
// when it has internal capitals ("LinkTitle" next to "{{ .LinkTitle }}").
func (x *extractor) codeName(surface string, mentions int) bool {
	n := x.codeVocab[surface]
	if n == 0 || strings.ContainsAny(surface, " -") {
		return false
	}
	if 2*n >= mentions {
		return true
	}
	for i, r := range surface {
		if i > 0 && unicode.IsUpper(r) && unicode.IsLower(lastRune(surface[:i])) {
			return 4*n >= mentions // "LinkTitle", not "GitHub" in a workflow file
		}
	}
	return false
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// Package excerpt: placeholder until the excerpt builder lands (removed
// when it is merged).
package excerpt

// Token is one analyzed token of the body.
type Token struct {
	Term                 string
	Start, End, Position int
}

// Section is a headed part of the body starting at byte offset Start.
type Section struct{ Start int }

// Result is what a hit shows from its body.
type Result struct {
	Excerpt string
	Section int
}

// Build is a placeholder.
func Build(body string, tokens []Token, terms []string, sections []Section) Result {
	return Result{Section: -1}
}

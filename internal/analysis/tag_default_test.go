//go:build !quarry_lang

package analysis

// quarryLangTag reports a build that selects languages with tags.
const quarryLangTag = false

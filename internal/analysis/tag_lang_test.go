//go:build quarry_lang

package analysis

const quarryLangTag = true

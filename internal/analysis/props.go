package analysis

import "unicode"

// Word-break properties of a rune (UAX #29 as blevesearch/segment applies
// it, from the unicode package's tables), as bits so that a rune can have
// several (a Hangul syllable is an ALetter and in the Hangul script).
const (
	pALetter   uint32 = 1 << iota // ALetter, Hebrew_Letter included
	pHebrew                       // Hebrew_Letter
	pNumeric                      // Numeric
	pKatakana                     // Katakana
	pENL                          // ExtendNumLet ("_" and other connectors)
	pMidLetter                    // MidLetter (":" "·" ...)
	pMidNum                       // MidNum ("," ";" ...)
	pMidNumLet                    // MidNumLet ("." "’" ...)
	pSQ                           // Single_Quote "'"
	pDQ                           // Double_Quote '"'
	pEF                           // Extend or Format: absorbed by the rune before
	pNewline                      // CR, LF and the other line breaks
	pRI                           // Regional_Indicator
	pHangul                       // Script=Hangul
	pHan                          // Script=Han
	pHiragana                     // Script=Hiragana
)

// asciiProps holds props for the 128 ASCII runes.
var asciiProps [128]uint32

func init() {
	for r := rune(0); r < 128; r++ {
		asciiProps[r] = asciiProp(r)
	}
}

func asciiProp(r rune) uint32 {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		return pALetter
	case '0' <= r && r <= '9':
		return pNumeric
	}
	switch r {
	case '_':
		return pENL
	case ':':
		return pMidLetter
	case '.':
		return pMidNumLet
	case ',', ';':
		return pMidNum
	case '\'':
		return pSQ
	case '"':
		return pDQ
	case '\n', '\v', '\f', '\r':
		return pNewline
	}
	return 0
}

// saScripts are the scripts whose letters have Line_Break=Complex_Context
// (SA): UAX #29 leaves them out of ALetter, and segment makes each one a
// separate non-word.
var saScripts = []*unicode.RangeTable{
	unicode.Thai, unicode.Lao, unicode.Myanmar, unicode.Khmer, unicode.Tai_Le,
	unicode.New_Tai_Lue, unicode.Tai_Tham, unicode.Tai_Viet, unicode.Ahom,
}

// props returns the word-break properties of r.
func props(r rune) uint32 {
	if r < 128 {
		if r < 0 {
			return 0
		}
		return asciiProps[r]
	}
	var p uint32
	switch {
	case unicode.Is(unicode.Hangul, r):
		p = pHangul
	case unicode.Is(unicode.Han, r):
		p = pHan
	case unicode.Is(unicode.Hiragana, r):
		p = pHiragana
	}
	if isEF(r) {
		return p | pEF
	}
	switch r {
	case 0x85, 0x2028, 0x2029:
		return pNewline
	case 0xB7, 0x2D7, 0x387, 0x5F4, 0x2027, 0xFE13, 0xFE55, 0xFF1A:
		return p | pMidLetter
	case 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E:
		return p | pMidNumLet
	case 0x37E, 0x589, 0x60C, 0x60D, 0x66C, 0x7F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54, 0xFF0C, 0xFF1B:
		return p | pMidNum
	case 0x66B: // ARABIC DECIMAL SEPARATOR: Line_Break=Numeric
		return p | pNumeric
	case 0x5F3: // HEBREW PUNCTUATION GERESH
		return p | pALetter
	case 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x309B, 0x309C, 0x30A0, 0x30FC, 0xFF70:
		return p | pKatakana
	}
	if 0x1F1E6 <= r && r <= 0x1F1FF {
		return pRI
	}
	if unicode.Is(unicode.Nd, r) {
		if 0xFF10 <= r && r <= 0xFF19 { // fullwidth digits: Line_Break=Ideographic
			return p
		}
		return p | pNumeric
	}
	if unicode.Is(unicode.Pc, r) {
		return p | pENL
	}
	if unicode.Is(unicode.Katakana, r) {
		return p | pKatakana
	}
	if !isAlphabetic(r) || p&pHiragana != 0 || unicode.Is(unicode.Ideographic, r) {
		return p
	}
	if unicode.In(r, saScripts...) {
		return p
	}
	if unicode.Is(unicode.Hebrew, r) && unicode.Is(unicode.Lo, r) {
		return p | pALetter | pHebrew
	}
	return p | pALetter
}

// isEF reports whether r is Extend or Format: a mark, a format control
// other than ZERO WIDTH SPACE, or another grapheme extender.
func isEF(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Other_Grapheme_Extend) ||
		(unicode.Is(unicode.Cf, r) && r != 0x200B)
}

// isAlphabetic reports the Alphabetic property: letters, letter numbers
// and Other_Alphabetic.
func isAlphabetic(r rune) bool {
	return unicode.In(r, unicode.L, unicode.Nl, unicode.Other_Alphabetic)
}

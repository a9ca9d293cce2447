package indexfile

// File is a file an index head lists (a part, a positions part, a text
// file) with its bytes.
type File struct {
	Name string
	Data []byte
}

// Encoded is an index encoded once, to be written in any of its forms
// without decoding it again: whole (one file, every part inline: small
// sites and the single-file page), split (the head alone and the files it
// lists: large sites), and the entity list that only the command line
// reads (see EncodeEntities).
type Encoded struct {
	head     *Head
	meta     []byte
	files    []File
	entities []EntityMeta
}

// EncodeIndex encodes idx once (see Encoded).
func EncodeIndex(idx *Index, opts Options) (*Encoded, error) {
	h, files, err := split(idx, opts)
	if err != nil {
		return nil, err
	}
	return &Encoded{head: h, meta: encodeMeta(h), files: files, entities: idx.Entities}, nil
}

// Head is the decoded form of the index's head (not to be modified).
func (e *Encoded) Head() *Head { return e.head }

// Files lists the files the head names, in its order (not to be
// modified).
func (e *Encoded) Files() []File { return e.files }

// WholeSize is the length of Whole's result, computed without making it.
func (e *Encoded) WholeSize() int {
	n := headerSize + len(e.meta) + 4
	for _, f := range e.files {
		n += len(f.Data)
	}
	return n
}

// Whole returns the index as one self-contained file: the head with every
// file inline, as Encode writes it.
func (e *Encoded) Whole() []byte {
	inline := make([][]byte, len(e.files))
	for i, f := range e.files {
		inline[i] = f.Data
	}
	return encodeFile(e.meta, inline)
}

// HeadOnly returns the head without its files, which are then separate
// (Files), as Externalize makes it of Whole.
func (e *Encoded) HeadOnly() []byte { return encodeFile(e.meta, nil) }

// Entities returns the entity list file of the index (EncodeEntities).
func (e *Encoded) Entities() []byte { return encodeEntities(e.meta, e.entities) }

package indexfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"

	"github.com/quarry-search/quarry/internal/errs"
)

// The entity list: the entities found at build time, with the documents
// mentioning each. Only the command line reads it (`quarry entities`);
// the browser never fetches it, so it is a file of its own beside the
// index (EntitiesFile) rather than part of the head every page load
// fetches (it was 8.8 of the seed index's 9.9 kB of metadata). Filters
// and facet counts do not need it: the entities are facet values in the
// head. Layout (integers little-endian):
//
//	offset 0   magic "QUARRYEN" (8 bytes)
//	offset 8   format version (uint32, = Version)
//	offset 12  CRC-32C of the metadata of the index it belongs to (uint32)
//	offset 16  count, then per entity: name, type, aliases, document ids
//	           (strings and string lists as in the metadata)
//	end-4      CRC-32C (Castagnoli) of bytes [0, end-4)
//
// The index's metadata is the same in its whole and split forms, so the
// list belongs to both; one left over from another build is refused.

// EntitiesMagic opens every entity list.
const EntitiesMagic = "QUARRYEN"

// EntitiesFile is the entity list's name beside the index file.
const EntitiesFile = "entities.qen"

const entitiesHeaderSize = 8 + 4 + 4

// ErrEntities marks every problem with an entity list.
var ErrEntities = errors.New("entity list damaged or not this index's")

// encodeEntities writes the entity list of the index whose metadata is
// meta.
func encodeEntities(meta []byte, ents []EntityMeta) []byte {
	w := &writer{b: make([]byte, 0, 64)}
	w.b = append(w.b, EntitiesMagic...)
	w.b = binary.LittleEndian.AppendUint32(w.b, Version)
	w.b = binary.LittleEndian.AppendUint32(w.b, crc32.Checksum(meta, castagnoli()))
	w.uint(uint64(len(ents)))
	for _, e := range ents {
		w.entity(e)
	}
	return binary.LittleEndian.AppendUint32(w.b, crc32.Checksum(w.b, castagnoli()))
}

// DecodeEntities reads the entity list data of the index file index (its
// whole form or its head; see Decode). It refuses a list that is damaged
// or was written for another index, with an error wrapping ErrEntities.
// Every entity has non-nil Aliases and Docs.
func DecodeEntities(data, index []byte) ([]EntityMeta, error) {
	meta, err := metaOf(index)
	if err != nil {
		return nil, err
	}
	if len(data) < entitiesHeaderSize+4 || !bytes.Equal(data[:len(EntitiesMagic)], []byte(EntitiesMagic)) {
		return nil, errs.Wrap(ErrEntities.Error()+": not an entity list", ErrEntities)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != Version {
		return nil, errs.Wrap(ErrEntities.Error()+": format "+errs.I(v)+", this Quarry reads format "+errs.I(Version), ErrEntities)
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli()) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, errs.Wrap(ErrEntities.Error()+": checksum mismatch", ErrEntities)
	}
	if binary.LittleEndian.Uint32(data[12:]) != crc32.Checksum(meta, castagnoli()) {
		return nil, errs.Wrap(ErrEntities.Error()+": it was written for another build of the index", ErrEntities)
	}
	r := &reader{b: body[entitiesHeaderSize:]}
	// An entity takes at least 4 bytes: four empty strings or lists.
	out := make([]EntityMeta, r.count(4))
	for i := range out {
		e := &out[i]
		e.Name, e.Type = r.str(), r.str()
		e.Aliases, e.Docs = r.strs(), r.strs()
		if e.Aliases == nil {
			e.Aliases = []string{}
		}
		if e.Docs == nil {
			e.Docs = []string{}
		}
	}
	r.end()
	if r.err != nil {
		return nil, errs.Wrap(ErrEntities.Error()+": "+r.err.Error(), ErrEntities)
	}
	return out, nil
}

// metaOf returns the metadata block of an index file, checked by Decode.
func metaOf(index []byte) ([]byte, error) {
	if _, err := Decode(index); err != nil {
		return nil, err
	}
	ml := binary.LittleEndian.Uint32(index[20:])
	return index[headerSize : headerSize+int(ml)], nil
}

// The build of an engine that indexes in Node (lunr, MiniSearch), as the
// one process that lib/timed.mjs measures: read the documents, index them,
// write the serialized index into the site. As a site's build script would.
//
//   node engines/child.mjs ENGINE DOCS.json SITE
import { readFile } from 'node:fs/promises';

const [engineName, docsPath, site] = process.argv.slice(2);
const engine = await import(`./${engineName}.mjs`);
const docs = JSON.parse(await readFile(docsPath, 'utf8'));
await engine.writeIndex(docs, site);

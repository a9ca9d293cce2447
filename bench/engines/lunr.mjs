// lunr 2.3.9: the index is built in Node with the default pipeline
// (trimmer, English stop words, Porter stemmer) on the fields title and
// body, serialized with JSON.stringify and shipped with an id -> [title,
// url] store. Engine file: lunr.min.js from the package.
//
// Build: engines/child.mjs runs writeIndex in its own Node process (read
// the documents JSON, index, write), timed with its peak RSS.
import { copyFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pkgDir, pkgVersion } from '../lib/pkg.mjs';
import { timed } from '../lib/timed.mjs';

const require = createRequire(import.meta.url);

export const name = 'lunr';
export const version = pkgVersion('lunr');

/** Indexes docs and writes SITE/lunr-index.json (run in the child). */
export async function writeIndex(docs, site) {
  const lunr = require('lunr');
  const idx = lunr(function () {
    this.ref('id');
    this.field('title');
    this.field('body');
    for (const d of docs) this.add(d);
  });
  const store = Object.fromEntries(docs.map((d) => [d.id, [d.title, d.url]]));
  await writeFile(join(site, 'lunr-index.json'), JSON.stringify({ index: idx, store }));
}

export async function build(corpus, site, { docsPath }) {
  const run = await timed(process.execPath, [fileURLToPath(new URL('child.mjs', import.meta.url)), name, docsPath, site]);
  await copyFile(join(pkgDir('lunr'), 'lunr.min.js'), join(site, 'lunr.min.js'));
  return {
    run,
    engineFiles: ['lunr.min.js'],
    indexFiles: ['lunr-index.json'],
    head: '<script defer src="lunr.min.js"></script>',
  };
}

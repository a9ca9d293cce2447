// lunr 2.3.9: the index is built in Node with the default pipeline
// (trimmer, English stop words, Porter stemmer) on the fields title and
// body, serialized with JSON.stringify and shipped with an id -> [title,
// url] store. Engine file: lunr.min.js from the package.
import { copyFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pkgDir, pkgVersion } from '../lib/pkg.mjs';

const require = createRequire(import.meta.url);

export const name = 'lunr';
export const version = pkgVersion('lunr');

export async function build(corpus, site) {
  const lunr = require('lunr');
  const t0 = performance.now();
  const idx = lunr(function () {
    this.ref('id');
    this.field('title');
    this.field('body');
    for (const d of corpus.docs) this.add(d);
  });
  const store = Object.fromEntries(corpus.docs.map((d) => [d.id, [d.title, d.url]]));
  await writeFile(join(site, 'lunr-index.json'), JSON.stringify({ index: idx, store }));
  const buildMs = performance.now() - t0;
  await copyFile(join(pkgDir('lunr'), 'lunr.min.js'), join(site, 'lunr.min.js'));
  return {
    buildMs,
    engineFiles: ['lunr.min.js'],
    indexFiles: ['lunr-index.json'],
    head: '<script defer src="lunr.min.js"></script>',
  };
}

// MiniSearch 7.2: the index is built in Node on title and body (title and
// url stored for display), JSON.stringify'd and shipped. Engine file: the
// package's ES module build minified with terser, as a site's bundler
// would ship it (the package has no minified build of its own).
//
// Build: engines/child.mjs runs writeIndex in its own Node process (read
// the documents JSON, index, write), timed with its peak RSS.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pkgDir, pkgVersion } from '../lib/pkg.mjs';
import { timed } from '../lib/timed.mjs';

export const name = 'minisearch';
export const version = pkgVersion('minisearch');

let minified;

async function engineSource() {
  if (!minified) {
    const { minify } = await import('terser');
    const src = await readFile(join(pkgDir('minisearch'), 'dist/es/index.js'), 'utf8');
    const out = await minify(src, { module: true, compress: true, mangle: true });
    minified = out.code;
  }
  return minified;
}

/** Indexes docs and writes SITE/minisearch-index.json (run in the child). */
export async function writeIndex(docs, site) {
  const { default: MiniSearch } = await import('minisearch');
  const ms = new MiniSearch({ fields: ['title', 'body'], storeFields: ['title', 'url'] });
  ms.addAll(docs);
  await writeFile(join(site, 'minisearch-index.json'), JSON.stringify(ms));
}

export async function build(corpus, site, { docsPath }) {
  const run = await timed(process.execPath, [fileURLToPath(new URL('child.mjs', import.meta.url)), name, docsPath, site]);
  await writeFile(join(site, 'minisearch.min.js'), await engineSource());
  return {
    run,
    engineFiles: ['minisearch.min.js'],
    indexFiles: ['minisearch-index.json'],
    head: '',
  };
}

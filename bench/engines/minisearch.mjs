// MiniSearch 7.2: the index is built in Node on title and body (title and
// url stored for display), JSON.stringify'd and shipped. Engine file: the
// package's ES module build minified with terser, as a site's bundler
// would ship it (the package has no minified build of its own).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pkgDir, pkgVersion } from '../lib/pkg.mjs';

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

export async function build(corpus, site) {
  const { default: MiniSearch } = await import('minisearch');
  const t0 = performance.now();
  const ms = new MiniSearch({ fields: ['title', 'body'], storeFields: ['title', 'url'] });
  ms.addAll(corpus.docs);
  await writeFile(join(site, 'minisearch-index.json'), JSON.stringify(ms));
  const buildMs = performance.now() - t0;
  await writeFile(join(site, 'minisearch.min.js'), await engineSource());
  return {
    buildMs,
    engineFiles: ['minisearch.min.js'],
    indexFiles: ['minisearch-index.json'],
    head: '',
  };
}

// Pagefind 1.6: one HTML page per document (<html lang="en">, the title in
// <title> and <h1>, the text in <main data-pagefind-body>), indexed with
// the Node API (createIndex, addDirectory, writeFiles: the same indexer as
// the CLI). Build time covers indexing and writing the bundle, not writing
// the pages (the site generator's job).
//
// Shipped files as the JS API loads them: the engine is pagefind.js, its
// web worker and the English WebAssembly module; the index is the entry
// file, the language's metadata, index chunks, fragments and filters. The
// UI scripts and styles Pagefind also writes are not used and not counted.
import { mkdir, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pkgVersion } from '../lib/pkg.mjs';

export const name = 'pagefind';
export const version = pkgVersion('pagefind');

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(d) {
  const paras = d.body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${esc(p)}</p>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(d.title)}</title></head>
<body><main data-pagefind-body>
<h1>${esc(d.title)}</h1>
${paras}
</main></body></html>
`;
}

async function list(dir, prefix) {
  try {
    return (await readdir(dir)).map((f) => prefix + f);
  } catch {
    return [];
  }
}

export async function build(corpus, site) {
  for (const d of corpus.docs) {
    const dir = join(site, d.url);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'index.html'), page(d));
  }
  const pagefind = await import('pagefind');
  const t0 = performance.now();
  const { index, errors } = await pagefind.createIndex({});
  if (errors.length) throw new Error('pagefind createIndex: ' + errors.join('; '));
  const added = await index.addDirectory({ path: site });
  if (added.errors.length) throw new Error('pagefind addDirectory: ' + added.errors.join('; '));
  const written = await index.writeFiles({ outputPath: join(site, 'pagefind') });
  if (written.errors.length) throw new Error('pagefind writeFiles: ' + written.errors.join('; '));
  const buildMs = performance.now() - t0;
  await pagefind.close();
  if (added.page_count !== corpus.docs.length) {
    throw new Error(`pagefind indexed ${added.page_count} pages of ${corpus.docs.length}`);
  }
  const pf = join(site, 'pagefind');
  const top = await readdir(pf);
  return {
    buildMs,
    pages: added.page_count,
    engineFiles: ['pagefind.js', 'pagefind-worker.js', 'wasm.en.pagefind'].map((f) => 'pagefind/' + f),
    indexFiles: [
      ...top.filter((f) => f === 'pagefind-entry.json' || f.endsWith('.pf_meta')).map((f) => 'pagefind/' + f),
      ...(await list(join(pf, 'index'), 'pagefind/index/')),
      ...(await list(join(pf, 'fragment'), 'pagefind/fragment/')),
      ...(await list(join(pf, 'filter'), 'pagefind/filter/')),
    ],
    head: '',
  };
}

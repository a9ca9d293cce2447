// Pagefind 1.6: one HTML page per document (<html lang="en">, the title in
// <title> and <h1>, the text in <main data-pagefind-body>), indexed by
// Pagefind's command-line tool (`pagefind --site SITE`, the binary of the
// npm package, as `npx pagefind` runs it). Build time is that whole
// command, as Quarry's is its whole command; writing the pages is the site
// generator's job and is not counted. The CLI rather than the Node API:
// the Node API runs the same binary as a child of the harness's Node
// process, whose own memory would then be measured with it.
//
// Shipped files as the JS API loads them: the engine is pagefind.js, its
// web worker and the English WebAssembly module; the index is the entry
// file, the language's metadata, index chunks, fragments and filters. The
// UI scripts and styles Pagefind also writes are not used and not counted.
import { mkdir, writeFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkgDir, pkgVersion } from '../lib/pkg.mjs';
import { timed } from '../lib/timed.mjs';

export const name = 'pagefind';
export let version = '?';
try {
  version = pkgVersion('pagefind');
} catch {
  // Not installed: available() says so.
}

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

// The binary the npm package's `pagefind` command runs (its own resolver:
// pagefind_extended where the platform package has it).
let binary;
async function pagefindBinary() {
  if (!binary) {
    const { resolveBinaryPath } = await import(pathToFileURL(join(pkgDir('pagefind'), 'lib/resolveBinary.js')).href);
    binary = resolveBinaryPath(['pagefind_extended', 'pagefind']);
  }
  return binary;
}

/**
 * Resolves to null when Pagefind can run here, else why not (no binary
 * for this platform in the npm package): the run then skips Pagefind
 * with that message.
 */
export async function available() {
  try {
    const bin = await pagefindBinary();
    const { access, constants } = await import('node:fs/promises');
    await access(bin, constants.X_OK);
    return null;
  } catch (err) {
    return `Pagefind's binary is not installed (${err.message.split('\n')[0]})`;
  }
}

export async function build(corpus, site) {
  for (const d of corpus.docs) {
    const dir = join(site, d.url);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'index.html'), page(d));
  }
  const run = await timed(await pagefindBinary(), ['--site', site, '--quiet']);
  const pf = join(site, 'pagefind');
  const entry = JSON.parse(await readFile(join(pf, 'pagefind-entry.json'), 'utf8'));
  const pages = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
  // Pagefind skips pages with no text at all (Cranfield has two empty
  // records), as Quarry does; any other shortfall is a failure.
  const nonEmpty = corpus.docs.filter((d) => (d.title || '').trim() || (d.body || '').trim()).length;
  if (pages !== corpus.docs.length && pages !== nonEmpty) throw new Error(`pagefind indexed ${pages} pages of ${corpus.docs.length} (${nonEmpty} not empty)`);
  const top = await readdir(pf);
  return {
    run,
    pages,
    docsIndexed: pages,
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

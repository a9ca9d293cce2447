// Quarry: the lead's CLI, `bin/quarry build -q -o SITE INPUT`, where INPUT
// is a folder holding the collection as docs.json (records with id, title,
// body, url: the CLI's default field mapping). Build time is the whole
// command (index, entities, the site bundle with its precompressed files).
//
// Shipped files as the JS API loads them (see SITE/quarry/quarry.json):
// the engine is quarry.js, the worker, wasm_exec.js and quarry.wasm; the
// index is the .idx file, the manifest and the text files (text.*.qtx,
// the documents' display text, of which a search fetches only those of the
// results it shows; the cold load counts those it fetched) and the
// positions segment (positions.*.qzp, fetched only by query-syntax searches
// such as phrases). The widget's CSS and demo page
// are not used by the benchmark page and not counted.
import { execFile } from 'node:child_process';
import { mkdir, writeFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const name = 'quarry';
export let version = '?';

let bin;

/** Checks that bin exists and records its version. */
export async function init(quarryBin) {
  bin = quarryBin;
  const { stdout } = await run(bin, ['version']);
  version = stdout.trim().replace(/^quarry\s*/i, '');
}

export async function build(corpus, site, { work }) {
  const input = join(work, 'quarry-input');
  await rm(input, { recursive: true, force: true });
  await mkdir(input, { recursive: true });
  await writeFile(join(input, 'docs.json'), JSON.stringify(corpus.docs));
  const t0 = performance.now();
  try {
    await run(bin, ['build', '-q', '-o', site, input], { maxBuffer: 64 << 20 });
  } catch (err) {
    throw new Error(`quarry build failed: ${err.stderr || err.message}`);
  }
  const buildMs = performance.now() - t0;
  const manifest = JSON.parse(await readFile(join(site, 'quarry/quarry.json'), 'utf8'));
  for (const k of ['index', 'wasm', 'worker']) {
    if (!manifest[k] || manifest[k].startsWith('#')) throw new Error(`quarry.json: no ${k} file (${JSON.stringify(manifest)})`);
  }
  const engineFiles = ['quarry.js', manifest.worker, manifest.wasm_exec, manifest.wasm].filter(Boolean);
  return {
    buildMs,
    engineFiles: engineFiles.map((f) => 'quarry/' + f),
    indexFiles: ['quarry/' + manifest.index, 'quarry/quarry.json', ...(manifest.texts || []).map((t) => 'quarry/' + t),
      ...(manifest.positions ? ['quarry/' + manifest.positions] : [])],
    head: '',
    // Documents the CLI skipped (empty records) show in its warnings.
    docsIndexed: manifest.docs,
  };
}

// Quarry: the CLI as a user runs it, `bin/quarry build -q -o SITE INPUT`,
// where INPUT is a folder holding the collection as docs.json (records
// with id, title, body, url: the CLI's default field mapping). Build time
// is the whole command (index, entities, the site bundle with its
// precompressed files), run under /usr/bin/time -v for its peak RSS.
//
// A collection that also comes as a folder of Markdown pages (phpdocs)
// falls back to that folder when the CLI refuses its docs.json as too
// large (a per-file input limit: 13.7 MB against 10 MiB): `quarry build
// -o SITE markdown/`, the way a docs site's sources would be indexed. The
// document ids are then the files' paths ("a/b.md"), mapped back to the
// collection's ids ("a/b") by docId. The build records which input it
// used (input, inputNote), and the report says so.
//
// Shipped files as the JS API loads them (see SITE/quarry/quarry.json):
// the engine is quarry.js, the worker (Go's wasm_exec.js inside it since
// 444866f; a manifest's wasm_exec is still counted) and quarry.wasm; the
// index is every other file Quarry writes for the browser: the manifest,
// the .idx file, and (index format 5, above internal/site's
// WholeIndexLimit) the files beside it that the .idx file is then only the
// head of: postings parts by term range (part.*.qpt, fetched for the
// query's words), positions parts (positions.*.qps, for phrases) and text
// files (text.*.qtx, titles, URLs and text of runs of documents, fetched
// for the results shown). Which of them a load fetched is read from the
// server's log, so the "index bytes" of a load are the head plus the
// files its query needed. Listed from the folder rather than from the
// manifest's keys, so that a new kind of index file is counted without
// changing this file. The widget's CSS, the demo page
// and files.json (the list of files Quarry wrote, for safe replacement)
// are not loaded by the JS API and not counted; nor are the precompressed
// .br/.gz siblings (the bench server compresses every file itself).
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, rm, copyFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { promisify } from 'node:util';
import { timed } from '../lib/timed.mjs';

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

const NOT_INDEX = new Set(['quarry.js', 'quarry.css', 'files.json']);

// A folder holding only the Markdown files of corpus.docs: the source
// folder itself when they are all of it, else copies (a subset).
async function markdownInput(corpus, work) {
  if (corpus.docs.length === corpus.markdownCount) return corpus.markdown;
  const dir = join(work, 'quarry-markdown');
  await rm(dir, { recursive: true, force: true });
  for (const d of corpus.docs) {
    const to = join(dir, d.id + '.md');
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(corpus.markdown, d.id + '.md'), to);
  }
  return dir;
}

const mdId = (id) => id.replace(/\.(md|markdown)$/, '');

export async function build(corpus, site, { work, docsDir }) {
  const args = (input) => ['build', '-q', '-o', site, input];
  let r;
  let input = 'docs.json';
  let inputNote = '';
  // corpus.quarryInput: a decision made on this collection's full build,
  // kept for its subsets so that one table compares like with like.
  if (corpus.quarryInput !== 'markdown') {
    try {
      r = await timed(bin, args(docsDir));
    } catch (err) {
      if (!(corpus.markdown && /too large/.test(err.stderr || err.message))) {
        throw new Error(`quarry build failed: ${err.stderr || err.message}`);
      }
      inputNote = `bin/quarry build refused docs.json (${(err.stderr || err.message).trim().split('\n').pop()}), so Quarry indexed the Markdown folder`;
      await rm(site, { recursive: true, force: true });
      await mkdir(site, { recursive: true });
    }
  }
  if (!r) {
    input = 'markdown';
    try {
      r = await timed(bin, args(await markdownInput(corpus, work)));
    } catch (err) {
      throw new Error(`quarry build (markdown) failed: ${err.stderr || err.message}`);
    }
  }
  const manifest = JSON.parse(await readFile(join(site, 'quarry/quarry.json'), 'utf8'));
  for (const k of ['index', 'wasm', 'worker']) {
    if (!manifest[k] || manifest[k].startsWith('#')) throw new Error(`quarry.json: no ${k} file (${JSON.stringify(manifest).slice(0, 300)})`);
  }
  const engineFiles = ['quarry.js', manifest.worker, manifest.wasm_exec, manifest.wasm].filter(Boolean);
  const skip = new Set([...engineFiles, ...NOT_INDEX]);
  const indexFiles = [];
  const walk = async (dir, prefix) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(dir, e.name), prefix + e.name + '/');
      else if (!/\.(br|gz)$/.test(e.name) && !skip.has(prefix + e.name)) indexFiles.push('quarry/' + prefix + e.name);
    }
  };
  await walk(join(site, 'quarry'), '');
  return {
    run: r,
    input,
    inputNote,
    docId: input === 'markdown' ? mdId : null,
    engineFiles: engineFiles.map((f) => 'quarry/' + f),
    indexFiles: indexFiles.sort(),
    head: '',
    // Documents the CLI skipped (empty records) show in its warnings.
    docsIndexed: manifest.docs,
  };
}

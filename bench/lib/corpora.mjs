// The test collections, normalised so that every engine indexes the
// same documents: {id, title, body, url}, searched on title and body.
//   seeds      the five seed articles, 18 hand-written queries with expected docs
//   cranfield  1400 aeronautics abstracts, 225 queries, graded judgements
//   cacm       3204 CACM titles/abstracts, 52 queries, binary judgements
//   hugodocs   945 pages of the Hugo documentation, 30 queries, no judgements
//   phpdocs    10,872 pages of the PHP manual, 30 queries (typos, prefixes),
//              no judgements; also as a folder of Markdown pages (markdown/),
//              which Quarry indexes when its CLI refuses the 13.7 MB docs.json
// A collection whose files are missing is skipped with a message.
import { readFile, readdir, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cranfieldGain, gradeGain } from './metrics.mjs';

export const CORPORA = ['seeds', 'cranfield', 'cacm', 'hugodocs', 'phpdocs'];

// The query of the page-load measurements (navigation -> first results):
// one that every engine answers with results, Pagefind's AND of all words
// included (it finds nothing for most full Cranfield questions).
const FIRST = {
  seeds: 'alipay',
  cranfield: 'boundary layer transition',
  cacm: 'time sharing system',
  hugodocs: 'install hugo on windows',
  phpdocs: 'password hash',
};

/** Where the documents of page d live on every engine's site. */
export const docURL = (id) => `/d/${encodeURIComponent(id)}/`;

async function readJSON(path) {
  return JSON.parse(await readFile(path, 'utf8'));
}

async function exists(path) {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

const loaders = {
  async seeds(data) {
    const dir = join(data, 'seeds');
    const docs = await readJSON(join(dir, 'docs.json'));
    const queries = await readJSON(join(dir, 'queries.json'));
    return {
      docs: docs.map((d) => ({ id: String(d.id), title: d.title, body: d.body })),
      queries: queries.map((q) => ({ id: q.id, text: q.text, kind: q.kind, expect: q.expect_docs })),
      qrels: null,
    };
  },
  async cranfield(data) {
    const dir = join(data, 'cranfield');
    const docs = await readJSON(join(dir, 'docs.json'));
    const queries = await readJSON(join(dir, 'queries.json'));
    const qrels = {};
    for (const r of await readJSON(join(dir, 'qrels.json'))) {
      (qrels[r.query] ||= {})[String(r.doc)] = cranfieldGain(r.grade);
    }
    return {
      docs: docs.map((d) => ({ id: String(d.id), title: d.title, body: d.body })),
      // The full question as written (as Quarry's own relevance test does).
      queries: queries.map((q) => ({ id: q.id, text: q.text })),
      qrels,
    };
  },
  async cacm(data) {
    const dir = join(data, 'cacm');
    const docs = await readJSON(join(dir, 'docs.json'));
    const queries = await readJSON(join(dir, 'queries.json'));
    const qrels = {};
    for (const r of await readJSON(join(dir, 'qrels.json'))) {
      (qrels[r.query] ||= {})[String(r.doc)] = gradeGain(r.grade);
    }
    return {
      // 58 documents have a title only (empty body): kept, as every engine
      // can find them by their title.
      docs: docs.map((d) => ({ id: String(d.id), title: d.title, body: d.body || '' })),
      queries: queries.map((q) => ({ id: q.id, text: q.text })),
      qrels,
    };
  },
  async phpdocs(data) {
    const dir = join(data, 'phpdocs');
    const docs = await readJSON(join(dir, 'docs.json'));
    const queries = await readJSON(join(dir, 'queries.json'));
    const markdown = join(dir, 'markdown');
    return {
      // body is the page description followed by its text (see SOURCE.md).
      docs: docs.map((d) => ({ id: String(d.id), title: d.title, body: d.body })),
      queries: queries.map((q) => ({ id: q.id, text: q.text })),
      qrels: null,
      // The same pages as Markdown with front matter, markdown/<id>.md.
      markdown: (await exists(markdown)) ? markdown : null,
      markdownCount: docs.length,
    };
  },
  async hugodocs(data) {
    const dir = join(data, 'hugodocs');
    const docs = await readJSON(join(dir, 'docs.json'));
    const queries = await readJSON(join(dir, 'queries.json'));
    return {
      // The page description is part of the page: it leads the body.
      docs: docs.map((d) => ({
        id: String(d.id),
        title: d.title,
        body: [d.description, d.body].filter(Boolean).join('\n\n'),
      })),
      queries: queries.map((q) => ({ id: q.id, text: q.text })),
      qrels: null,
    };
  },
};

const files = {
  seeds: ['seeds/docs.json', 'seeds/queries.json'],
  cranfield: ['cranfield/docs.json', 'cranfield/queries.json', 'cranfield/qrels.json'],
  cacm: ['cacm/docs.json', 'cacm/queries.json', 'cacm/qrels.json'],
  hugodocs: ['hugodocs/docs.json', 'hugodocs/queries.json'],
  phpdocs: ['phpdocs/docs.json', 'phpdocs/queries.json'],
};

// Without the shared data, the seed articles still are in the repo
// (corpus/*.txt, title = first line); the one query is the page-load query.
async function seedsFromRepo(dir) {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort();
  if (!names.length) return null;
  const docs = [];
  for (const f of names) {
    const text = await readFile(join(dir, f), 'utf8');
    const nl = text.indexOf('\n');
    docs.push({ id: f.slice(0, -4), title: text.slice(0, nl).trim(), body: text.slice(nl + 1).trim() });
  }
  return { docs, queries: [{ id: 1, text: FIRST.seeds }], qrels: null };
}

/**
 * Loads the named collections from data (../shared/data beside the repo).
 * repoCorpus is the repo's corpus/ folder, used for the seeds when data has
 * none. Resolves to {loaded: [corpus], skipped: [{name, reason}]}.
 */
export async function loadCorpora(names, data, repoCorpus) {
  data = resolve(data);
  const loaded = [];
  const skipped = [];
  for (const name of names) {
    const missing = [];
    for (const f of files[name]) if (!(await exists(join(data, f)))) missing.push(join(data, f));
    if (missing.length && name === 'seeds' && repoCorpus) {
      const c = await seedsFromRepo(repoCorpus).catch(() => null);
      if (c) {
        console.log(`bench: ${missing.join(', ')} missing; seeds from ${repoCorpus}/*.txt with the one query "${FIRST.seeds}"`);
        for (const d of c.docs) d.url = docURL(d.id);
        loaded.push({ name, firstQuery: FIRST[name], ...c });
        continue;
      }
    }
    if (missing.length) {
      skipped.push({ name, reason: 'missing ' + missing.join(', ') });
      continue;
    }
    const c = await loaders[name](data);
    for (const d of c.docs) d.url = docURL(d.id);
    loaded.push({ name, firstQuery: FIRST[name], ...c });
  }
  return { loaded, skipped };
}

/**
 * The first n documents of corpus (in the order of its docs.json), same
 * queries, for the scaling table; name gets the size (phpdocs-1k).
 */
export function subset(corpus, n) {
  if (n >= corpus.docs.length) return corpus;
  const k = n % 1000 === 0 ? n / 1000 + 'k' : String(n);
  return { ...corpus, name: `${corpus.name}-${k}`, docs: corpus.docs.slice(0, n), size: n, of: corpus.name };
}

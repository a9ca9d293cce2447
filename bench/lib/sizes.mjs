// Shipped bytes: what a site puts on its server for search, per group of
// files (engine, index), raw and as a server would send them compressed
// (gzip level 9, brotli quality 11; a file is counted raw when compression
// would not shrink it, as the server then sends it raw).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compressed } from './server.mjs';

export async function sizes(site, files) {
  const out = { files: files.length, raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const raw = await readFile(join(site, f));
    const c = await compressed(raw);
    out.raw += raw.length;
    out.gzip += Math.min(raw.length, c.gz.length);
    out.brotli += Math.min(raw.length, c.br.length);
  }
  return out;
}

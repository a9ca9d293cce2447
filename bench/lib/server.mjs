// The one static server every engine's pages are served from, so that no
// engine gains from a better server than the others:
//   - Content-Type from the extension (application/wasm for .wasm), never sniffed;
//   - brotli (Content-Encoding: br) when the browser accepts it, else gzip, else
//     raw; the compressed bodies are made once, before any measurement, at
//     brotli quality 11 / gzip level 9 (prepare()), and only used when smaller
//     than the raw file (Pagefind's index files are gzip already inside);
//   - every response carries "Cache-Control: public, max-age=600" and an ETag
//     (what GitHub Pages sends), so a warm load may use the HTTP cache for
//     every engine's files alike;
//   - with isolate, COOP/COEP headers make the pages cross-origin isolated,
//     so that performance.now() has microsecond rather than 100 µs
//     resolution: used for the query latencies only, as isolation costs a
//     renderer process swap on some navigations (page-load times);
//   - it counts the bytes it sends (bodies as encoded on the wire, and
//     headers) per request, workers' requests included: bytes() reads the
//     tally since the last reset().
import { createServer } from 'node:http';
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join, extname, normalize, sep, dirname } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};

const brotliAsync = promisify(zlib.brotliCompress);
const gzipAsync = promisify(zlib.gzip);

// Asynchronous: zlib then runs in libuv's thread pool, so that the files
// of a site are compressed on every core at once (brotli 11 of the PHP
// manual's 35 MB lunr index alone takes two minutes on one core).
export function brotli(buf) {
  return brotliAsync(buf, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  });
}

export function gzip(buf) {
  return gzipAsync(buf, { level: 9 });
}

// Compressed forms of file contents, keyed by content hash: the engine files
// are the same on every corpus and are compressed once. Large results are
// also kept in bench/.cache/ (brotli 11 of Quarry's wasm takes ~20 s).
const memo = new Map();
const cacheDir = join(dirname(fileURLToPath(import.meta.url)), '..', '.cache');

/** Resolves to {br, gz}: buf at brotli 11 and gzip 9. */
export function compressed(buf) {
  const key = createHash('sha256').update(buf).digest('hex');
  let c = memo.get(key);
  if (!c) {
    c = compress(buf, key);
    memo.set(key, c);
  }
  return c;
}

// Bodies that are gzip streams already (Pagefind's index chunks, fragments
// and WebAssembly) do not shrink again: brotli 11 of the phpdocs Pagefind
// bundle's 11,000 such files cost minutes and saved nothing. They are
// served as they are, as a server would, without trying.
const GZIP_MAGIC = (buf) => buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b;

async function compress(buf, key) {
  if (GZIP_MAGIC(buf)) return { br: buf, gz: buf };
  const disk = buf.length > 256 << 10 ? join(cacheDir, key) : null;
  if (disk) {
    try {
      return { br: await readFile(disk + '.br'), gz: await readFile(disk + '.gz') };
    } catch {
      // not cached yet
    }
  }
  const [br, gz] = await Promise.all([brotli(buf), gzip(buf)]);
  if (disk) {
    await mkdir(cacheDir, { recursive: true });
    await writeFile(disk + '.br', br);
    await writeFile(disk + '.gz', gz);
  }
  return { br, gz };
}

async function walk(dir, out = []) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

// Precompressed siblings a site generator wrote (Quarry's name.br / name.gz)
// are not served: the server makes its own from the file itself.
const SIBLING = /\.(br|gz)$/;

/**
 * Loads and compresses every file under root (mounted at "/") except those
 * whose URL path skip(path) is true. Resolves to a Map of URL path ->
 * {raw, br, gz, type, etag}.
 */
export async function prepare(root, skip = () => false) {
  const entries = [];
  for (const file of await walk(root)) {
    if (SIBLING.test(file)) continue;
    const urlPath = '/' + file.slice(root.length + 1).split(sep).join('/');
    if (skip(urlPath)) continue;
    entries.push([urlPath, file, await readFile(file)]);
  }
  const files = new Map();
  const done = await Promise.all(entries.map(async ([urlPath, file, raw]) => [urlPath, file, raw, await compressed(raw)]));
  for (const [urlPath, file, raw, c] of done) {
    files.set(urlPath, {
      raw,
      br: c.br.length < raw.length ? c.br : null,
      gz: c.gz.length < raw.length ? c.gz : null,
      type: MIME[extname(file)] || 'application/octet-stream',
      etag: '"' + createHash('sha1').update(raw).digest('hex').slice(0, 16) + '"',
    });
  }
  return files;
}

function accepts(header, enc) {
  return (header || '').split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return name.trim().toLowerCase() === enc && (!q || parseFloat(q.slice(2)) > 0);
  });
}

/**
 * Serves the prepared files of root on 127.0.0.1 (free port), cross-origin
 * isolated when isolate is set; paths for which skip(path) is true are not
 * served (the documents' own pages, which no measurement loads: compressing
 * 10,000 of them would only cost time). Resolves to
 * {url, reset(), bytes(), log(), stop()}.
 */
export async function serve(root, { isolate = false, skip } = {}) {
  const files = await prepare(normalize(root), skip);
  let tally = [];
  let since = performance.now();
  const server = createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const f = files.get(p);
    const at = performance.now() - since;
    const headers = {
      'Cache-Control': 'public, max-age=600',
      'X-Content-Type-Options': 'nosniff',
      ...(isolate ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
    };
    let status = 200;
    let body = Buffer.alloc(0);
    if (!f) {
      status = p === '/favicon.ico' ? 204 : 404;
      if (status === 404) {
        body = Buffer.from('not found');
        headers['Content-Type'] = 'text/plain; charset=utf-8';
      }
    } else {
      headers['Content-Type'] = f.type;
      headers.ETag = f.etag;
      headers.Vary = 'Accept-Encoding';
      if (req.headers['if-none-match'] === f.etag) {
        status = 304;
      } else if (f.br && accepts(req.headers['accept-encoding'], 'br')) {
        body = f.br;
        headers['Content-Encoding'] = 'br';
      } else if (f.gz && accepts(req.headers['accept-encoding'], 'gzip')) {
        body = f.gz;
        headers['Content-Encoding'] = 'gzip';
      } else {
        body = f.raw;
      }
    }
    headers['Content-Length'] = body.length;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') body = Buffer.alloc(0);
    res.end(body);
    // Header bytes: status line + header lines, as Node writes them.
    const head = Object.entries(headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 19) + 2;
    tally.push({ path: p, at: +at.toFixed(1), status, body: body.length, headers: head, encoding: headers['Content-Encoding'] || '', acceptEncoding: req.headers['accept-encoding'] || '' });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    files,
    reset() {
      tally = [];
      since = performance.now();
    },
    /** Bytes sent since reset: {body, headers, requests}. */
    bytes() {
      return {
        body: tally.reduce((n, t) => n + t.body, 0),
        headers: tally.reduce((n, t) => n + t.headers, 0),
        requests: tally.length,
      };
    },
    log: () => tally.slice(),
    stop: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(r);
    }),
  };
}


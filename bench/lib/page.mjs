// The benchmark page every engine shares: bench.html, bench.js (page/)
// and the engine's adapter as engine.js, written into a built site.
import { copyFile, writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const pageDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'page');

// The page's own files: what every engine's page loads alike.
export const PAGE_FILES = ['/bench.html', '/bench.js', '/engine.js'];

/** Writes the page for engine name into site; head goes into <head>. */
export async function writePage(site, name, head = '') {
  await copyFile(join(pageDir, 'bench.js'), join(site, 'bench.js'));
  await copyFile(join(pageDir, `${name}.js`), join(site, 'engine.js'));
  await writeFile(
    join(site, 'bench.html'),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name} benchmark</title>
<link rel="icon" href="data:,">
${head}
<script type="module" src="bench.js"></script>
</head><body><p id="status"></p><ol id="results"></ol></body></html>
`,
  );
}

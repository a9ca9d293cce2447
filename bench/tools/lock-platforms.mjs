// Completes bench/package-lock.json with the Pagefind binary packages of
// other platforms when the registry this machine reaches lacks them (it
// serves @pagefind/linux-x64 and linux-arm64 1.6.0 only): without an
// entry for every optional dependency of pagefind, `npm ci` refuses the
// lock file. The added entries carry version, os and cpu (no integrity):
// npm skips them on linux-x64 and fetches them by version elsewhere.
//
//   cd bench && npm install --package-lock-only && node tools/lock-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(path, 'utf8'));
const pf = lock.packages['node_modules/pagefind'];
const OS = { darwin: 'darwin', linux: 'linux', freebsd: 'freebsd', windows: 'win32' };
let added = 0;
for (const [name, version] of Object.entries(pf.optionalDependencies || {})) {
  const key = 'node_modules/' + name;
  if (lock.packages[key]) continue;
  const [os, cpu] = name.replace('@pagefind/', '').split('-');
  lock.packages[key] = { version, cpu: [cpu], license: 'MIT', optional: true, os: [OS[os] || os] };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(`lock-platforms: added ${added} entries`);

// Installs what the benchmark needs when it is missing: the npm packages
// pinned in bench/package-lock.json (npm ci) and Debian's chromium. Uses
// node: modules only, so it runs before anything is installed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = ['lunr', 'minisearch', 'pagefind', 'playwright-core', 'terser', '@pagefind/linux-x64'];

export function ensureDeps(benchDir, chromium) {
  const missing = PACKAGES.filter((p) => !existsSync(join(benchDir, 'node_modules', p, 'package.json')));
  // The Pagefind binary package only exists for some platforms.
  if (missing.length === 1 && missing[0] === '@pagefind/linux-x64' && process.platform !== 'linux') missing.length = 0;
  if (missing.length) {
    console.log(`bench: installing npm packages (missing ${missing.join(', ')}): npm ci in ${benchDir}`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: benchDir, stdio: 'inherit' });
  }
  if (!existsSync(chromium)) {
    console.log(`bench: ${chromium} missing; installing Debian's chromium`);
    const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
    const sh = (args) => execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    sh(['apt-get', 'update']);
    sh(['apt-get', 'install', '-y', 'chromium']);
  }
}

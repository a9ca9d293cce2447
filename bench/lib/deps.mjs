// Installs what the benchmark needs when it is missing: the npm packages
// pinned in bench/package-lock.json (npm ci), Debian's chromium, and
// Debian's time (GNU time: /usr/bin/time -v gives each build's peak RSS;
// bash's time keyword does not). Uses node: modules only, so it runs
// before anything is installed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = ['lunr', 'minisearch', 'pagefind', 'playwright-core', 'terser', '@pagefind/linux-x64'];

export function ensureDeps(benchDir, chromium, gnuTime = '/usr/bin/time') {
  const missing = PACKAGES.filter((p) => !existsSync(join(benchDir, 'node_modules', p, 'package.json')));
  // The Pagefind binary package only exists for some platforms.
  if (missing.length === 1 && missing[0] === '@pagefind/linux-x64' && process.platform !== 'linux') missing.length = 0;
  if (missing.length) {
    console.log(`bench: installing npm packages (missing ${missing.join(', ')}): npm ci in ${benchDir}`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: benchDir, stdio: 'inherit' });
  }
  const debian = [];
  if (!existsSync(chromium)) debian.push('chromium');
  if (!existsSync(gnuTime)) debian.push('time');
  if (debian.length) {
    console.log(`bench: installing Debian's ${debian.join(' and ')} (${[chromium, gnuTime].filter((p) => !existsSync(p)).join(', ')} missing)`);
    const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
    const sh = (args) => execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    sh(['apt-get', 'update']);
    sh(['apt-get', 'install', '-y', ...debian]);
  }
}

// Runs one build command as a child process under GNU time (`/usr/bin/time
// -v`, Debian's `time` package) and reads back what the kernel measured:
// the peak resident set size ("Maximum resident set size") and the CPU
// time, next to the wall time the parent measures around the spawn.
//
// Every engine's build runs this way, so that the peak RSS is that of the
// build alone, not of the harness (which holds every site in memory). GNU
// time reports the largest single process among the command and its
// waited-for children (getrusage's ru_maxrss), not a sum: each engine's
// build is therefore run as one process doing the whole build (Quarry's
// and Pagefind's command-line tools, a Node script for lunr and MiniSearch).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TIME = process.env.GNU_TIME || '/usr/bin/time';

/** Parses the report of `time -v`: {peakRSS (bytes), userMs, systemMs, exit}. */
export function parseTimeV(text) {
  const field = (label) => {
    const m = text.match(new RegExp('^\\s*' + label.replace(/[()]/g, '\\$&') + ':\\s*(.+)$', 'm'));
    return m ? m[1].trim() : null;
  };
  const kb = field('Maximum resident set size (kbytes)');
  const user = field('User time (seconds)');
  const sys = field('System time (seconds)');
  const exit = field('Exit status');
  if (kb == null) throw new Error('no "Maximum resident set size" in the output of time -v');
  return {
    peakRSS: +kb * 1024,
    userMs: user == null ? null : +user * 1000,
    systemMs: sys == null ? null : +sys * 1000,
    exit: exit == null ? null : +exit,
  };
}

/**
 * Runs cmd args under `time -v`; resolves to {ms, peakRSS, cpuMs, stdout,
 * stderr} or rejects with the command's stderr when it fails.
 */
export async function timed(cmd, args, { cwd, env } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'quarry-bench-time-'));
  const report = join(dir, 'time.txt');
  try {
    const out = [];
    const err = [];
    const t0 = performance.now();
    const code = await new Promise((resolve, reject) => {
      // -o: time writes its report to a file, so the command's own stderr
      // stays apart from it.
      const p = spawn(TIME, ['-v', '-o', report, cmd, ...args], { cwd, env: env || process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout.on('data', (b) => out.push(b));
      p.stderr.on('data', (b) => err.push(b));
      p.on('error', reject);
      p.on('close', resolve);
    });
    const ms = performance.now() - t0;
    const stdout = Buffer.concat(out).toString();
    const stderr = Buffer.concat(err).toString();
    if (code !== 0) {
      const e = new Error(`${cmd} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' / ')}`);
      e.stderr = stderr;
      throw e;
    }
    const t = parseTimeV(await readFile(report, 'utf8'));
    return { ms, peakRSS: t.peakRSS, cpuMs: t.userMs + t.systemMs, stdout, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

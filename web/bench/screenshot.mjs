// Takes screenshots of the demo page with results, light and dark:
// docs/screenshot.png and docs/screenshot-dark.png (1000×700); PHONE=1
// adds screenshot-phone.png (390×760) for checking the small-screen layout.
//
//   node bench/screenshot.mjs [OUT_DIR]     (default ../docs)
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { quarry, serve, launch, resultsFor, tempDir, removeDir, seedCorpus, repoRoot } from '../test/helpers.mjs';

const out = process.argv[2] || join(repoRoot, 'docs');
await mkdir(out, { recursive: true });
const dir = await tempDir('quarry-shot-');
await quarry('build', '-q', '-o', dir + '/site', seedCorpus);
const srv = await serve(dir + '/site');
const browser = await launch();
try {
  const shots = [
    { file: 'screenshot.png', scheme: 'light', viewport: { width: 1000, height: 700 } },
    { file: 'screenshot-dark.png', scheme: 'dark', viewport: { width: 1000, height: 700 } },
    { file: 'screenshot-phone.png', scheme: 'light', viewport: { width: 390, height: 760 }, mobile: true },
  ].filter((s) => !s.mobile || process.env.PHONE);
  for (const s of shots) {
    const ctx = await browser.newContext({ viewport: s.viewport, colorScheme: s.scheme, deviceScaleFactor: 1, isMobile: !!s.mobile, hasTouch: !!s.mobile });
    const page = await ctx.newPage();
    await page.goto(srv.url);
    const input = page.locator('quarry-search input');
    await input.pressSequentially('alipay', { delay: 30 });
    await resultsFor(page, 'alipay');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: join(out, s.file) });
    console.log('wrote', join(out, s.file));
    await ctx.close();
  }
} finally {
  await browser.close();
  await srv.stop();
  await removeDir(dir);
}

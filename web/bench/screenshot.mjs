// Takes the README's screenshots of both layouts, light and dark, at
// 1000×700 and at 390 px (a phone):
//   docs/screenshot-header[-phone][-dark].png  the header box on the Hugo
//       fixture (testdata/hugo, built with Debian's hugo), panel open
//   docs/screenshot[-phone][-dark].png         the demo page (layout="page")
//       on the seed corpus
//
//   node bench/screenshot.mjs [OUT_DIR]     (default ../docs)
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { quarry, serve, launch, resultsFor, tempDir, removeDir, seedCorpus, repoRoot, buildHugoSite } from '../test/helpers.mjs';

const out = process.argv[2] || join(repoRoot, 'docs');
await mkdir(out, { recursive: true });
const dir = await tempDir('quarry-shot-');
await quarry('build', '-q', '-o', dir + '/site', seedCorpus);
const hugo = await buildHugoSite(dir);
const demo = await serve(dir + '/site');
const site = await serve(hugo.public);
const browser = await launch();
const sizes = [
  { suffix: '', viewport: { width: 1000, height: 700 } },
  { suffix: '-phone', viewport: { width: 390, height: 760 }, mobile: true },
];
const layouts = [
  { name: 'screenshot', url: demo.url, query: 'alipay' },
  { name: 'screenshot-header', url: site.url + 'docs/configuration/site/', query: 'cache' },
];
try {
  for (const l of layouts) {
    for (const s of sizes) {
      for (const scheme of ['light', 'dark']) {
        const file = l.name + s.suffix + (scheme === 'dark' ? '-dark' : '') + '.png';
        const ctx = await browser.newContext({ viewport: s.viewport, colorScheme: scheme, deviceScaleFactor: 1, isMobile: !!s.mobile, hasTouch: !!s.mobile });
        const page = await ctx.newPage();
        await page.goto(l.url);
        const input = page.locator('quarry-search input');
        await input.click();
        await input.pressSequentially(l.query, { delay: 30 });
        await resultsFor(page, l.query);
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        await page.waitForTimeout(200);
        await page.screenshot({ path: join(out, file) });
        console.log('wrote', join(out, file));
        await ctx.close();
      }
    }
  }
} finally {
  await browser.close();
  await demo.stop();
  await site.stop();
  await removeDir(dir);
}

// The entity facets of <quarry-search>, in real headless Chromium, checked
// against `quarry query SITE ... --filter ... --json` on the same index:
// browsing, selecting (OR within a type, AND across types), chips, the URL
// state, type-ahead inside a group, hostile facet values, accessibility,
// stale responses, and a console free of errors throughout.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { quarry, serve, launch, watch, widget, tempDir, removeDir, seedCorpus } from './helpers.mjs';

const IMG = '<img src=x onerror=alert(1)>';
// A value with every character the URL encoding must carry through.
const ODD = 'a:b, c&d=e+f 100% #1';
const LEGENDS = { person: 'People', org: 'Organizations', place: 'Places', product: 'Products', event: 'Events', tags: 'Tags', categories: 'Categories' };
const SINGULAR = { org: 'Organization', place: 'Place', tags: 'Tag' };

let dir, site, tagSite, srv, tagSrv, browser, ctx, page, seen, all;

before(async () => {
  dir = await tempDir();
  site = dir + '/site';
  await quarry('build', '-q', '-o', site, seedCorpus);
  const md = dir + '/md';
  await mkdir(md);
  await writeFile(md + '/evil.md', `---\ntitle: Kumquat evil tags\ntags: ${JSON.stringify([IMG, ODD])}\n---\nKumquat orchards and their tags.\n`);
  await writeFile(md + '/plain.md', `---\ntitle: Kumquat plain\ntags: ${JSON.stringify(['plain', ODD])}\ncategories: [fruit]\n---\nNothing to see about kumquat orchards here.\n`);
  await writeFile(md + '/none.md', '# Kumquat untagged\n\nA kumquat page with no tags at all.\n');
  tagSite = dir + '/tags';
  await quarry('build', '-q', '-o', tagSite, md);
  [srv, tagSrv, browser] = await Promise.all([serve(site), serve(tagSite), launch()]);
  all = await cli(site, '');
  assert.ok(all.facets.org.length > 8 && all.facets.place.length > 1, 'the seed corpus has enough organizations and places');
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await tagSrv?.stop();
  await removeDir(dir);
});

beforeEach(async () => {
  ctx = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  page = await ctx.newPage();
  seen = watch(page);
});

afterEach(async () => {
  assert.deepEqual(seen.errors, [], 'console errors');
  assert.deepEqual(seen.dialogs, [], 'dialogs');
  await ctx.close();
});

/** `quarry query SITE q --filter t=v... --json`, parsed. */
async function cli(index, q, filters = []) {
  const args = ['query', index, q, '--json', '--limit', '10'];
  for (const [t, v] of filters) args.push('--filter', `${t}=${v}`);
  return JSON.parse((await quarry(...args)).stdout);
}

function count(n) {
  return n === 1 ? '1 result' : n.toLocaleString('en-US') + ' results';
}

// The status the widget shows for a response of total hits to q with n filters.
function statusFor(q, n, total) {
  const what = (q ? ` for \u2068“${q}”\u2069` : '') + (n ? ` with ${n} filter${n === 1 ? '' : 's'}` : '');
  return total ? `${count(total)}${what} (` : `No results${what}.`;
}

async function settled(p, q, n, total) {
  const want = statusFor(q, n, total);
  await p.waitForFunction((w) => {
    const s = document.querySelector('quarry-search')?.shadowRoot?.querySelector('[role=status]')?.textContent || '';
    return s.startsWith(w);
  }, want, { timeout: 15000 });
}

async function groupsShown(p) {
  await p.waitForFunction(() => {
    const f = document.querySelector('quarry-search')?.shadowRoot?.querySelector('[part=facets]');
    return f && !f.hidden && f.querySelector('fieldset');
  }, null, { timeout: 15000 });
}

/** Everything the facet panel shows: [{type, legend, values: [{value, count, checked}]}]. */
function groups(p) {
  return p.evaluate(() => [...document.querySelector('quarry-search').shadowRoot.querySelectorAll('fieldset[data-type]')]
    .filter((g) => !g.hidden)
    .map((g) => ({
      type: g.dataset.type,
      legend: g.querySelector('legend').textContent,
      values: [...g.querySelectorAll('label')].map((l) => ({
        value: l.querySelector('.q-name').textContent,
        count: +l.querySelector('.q-count').textContent,
        checked: l.querySelector('input').checked,
      })),
    })));
}

// Presses every "Show N more" so that the groups list all their values.
async function expandAll(p) {
  const more = widget(p).host.locator('button[part=facet-more][aria-expanded=false]:visible');
  while (await more.count()) await more.first().click();
}

// What the panel must show for a CLI response: every type with values, in
// the widget's order, each value with the engine's count, selected ones
// checked (and kept with count 0 when no document has them any more).
function expected(res, selected, types = ['person', 'org', 'place', 'product', 'event']) {
  return types.filter((t) => res.facets[t]?.length || selected.some(([s]) => s === t)).map((t) => {
    const values = res.facets[t].map((v) => ({ value: v.value, count: v.count, checked: selected.some(([s, x]) => s === t && x === v.value) }));
    for (const [s, x] of selected) if (s === t && !values.some((v) => v.value === x)) values.push({ value: x, count: 0, checked: true });
    return { type: t, legend: LEGENDS[t], values };
  });
}

function titles(p) {
  return widget(p).host.locator('[role=option] [part=title]').allTextContents();
}

function chips(p) {
  return widget(p).host.locator('button[part=chip]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
}

function box(p, type, value) {
  const re = new RegExp('^' + value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + ' \\(');
  return widget(p).host.locator(`fieldset[data-type="${type}"]`).getByRole('checkbox', { name: re });
}

function ids(res) {
  return res.hits.map((h) => h.id).sort();
}

function hashFilters(p) {
  return new URLSearchParams(new URL(p.url()).hash.slice(1)).getAll('f');
}

test('before anything is typed the groups show counts over all documents', async () => {
  await page.goto(srv.url);
  await groupsShown(page);
  const w = widget(page);
  assert.equal(await w.status.textContent(), '');
  assert.equal(await w.options.count(), 0);
  // Collapsed: the first six values of each group, "Show N more" for the rest.
  const short = await groups(page);
  for (const g of short) assert.deepEqual(g.values, expected(all, []).find((e) => e.type === g.type).values.slice(0, 6), g.type);
  const org = w.host.locator('fieldset[data-type=org] button[part=facet-more]');
  assert.equal(await org.textContent(), `Show ${all.facets.org.length - 6} more`);
  await expandAll(page);
  assert.deepEqual(await groups(page), expected(all, []));
  assert.equal(await org.getAttribute('aria-expanded'), 'true');
  await org.click();
  assert.equal((await groups(page)).find((g) => g.type === 'org').values.length, 6, 'Show fewer collapses again');
});

test('clicking an entity lists the documents having it, with updated counts', async () => {
  await page.goto(srv.url);
  await groupsShown(page);
  const org = all.facets.org[1].value;
  const want = await cli(site, '', [['org', org]]);
  await box(page, 'org', org).check();
  await settled(page, '', 1, want.total);
  assert.deepEqual(await titles(page), want.hits.map((h) => h.title));
  await expandAll(page);
  assert.deepEqual(await groups(page), expected(want, [['org', org]]));
  assert.deepEqual(await chips(page), [`Remove filter Organization: ${org}`]);
  assert.deepEqual(hashFilters(page), [`org:${org}`]);
});

test('values of one type combine with OR, types with AND, as the engine counts them', async () => {
  await page.goto(srv.url);
  await groupsShown(page);
  const [a, b] = [all.facets.org[0].value, all.facets.org[1].value];
  const place = all.facets.place[0].value;
  const [onlyA, onlyB, onlyPlace] = await Promise.all([cli(site, '', [['org', a]]), cli(site, '', [['org', b]]), cli(site, '', [['place', place]])]);

  await box(page, 'org', a).check();
  await settled(page, '', 1, onlyA.total);
  await box(page, 'org', b).check();
  const either = await cli(site, '', [['org', a], ['org', b]]);
  assert.deepEqual(ids(either), [...new Set([...ids(onlyA), ...ids(onlyB)])].sort(), 'OR within a type is the union');
  await settled(page, '', 2, either.total);
  assert.deepEqual(await titles(page), either.hits.map((h) => h.title));
  await expandAll(page);
  assert.deepEqual(await groups(page), expected(either, [['org', a], ['org', b]]));

  await box(page, 'place', place).check();
  const both = await cli(site, '', [['org', a], ['org', b], ['place', place]]);
  assert.deepEqual(ids(both), ids(either).filter((id) => ids(onlyPlace).includes(id)), 'AND across types is the intersection');
  await settled(page, '', 3, both.total);
  assert.deepEqual(await titles(page), both.hits.map((h) => h.title));
  await expandAll(page);
  assert.deepEqual(await groups(page), expected(both, [['org', a], ['org', b], ['place', place]]));
  assert.deepEqual(await chips(page), [a, b].map((v) => `Remove filter Organization: ${v}`).concat(`Remove filter Place: ${place}`));
});

test('chips remove filters, by mouse or keyboard, and Clear all removes them all', async () => {
  const [a, b] = [all.facets.org[0].value, all.facets.org[1].value];
  const place = all.facets.place[0].value;
  const f = (t, v) => 'f=' + encodeURIComponent(`${t}:${v}`);
  await page.goto(`${srv.url}#${f('org', a)}&${f('org', b)}&${f('place', place)}`);
  const three = await cli(site, '', [['org', a], ['org', b], ['place', place]]);
  await settled(page, '', 3, three.total);
  const w = widget(page);
  await w.host.getByRole('button', { name: `Remove filter Organization: ${b}` }).click();
  const two = await cli(site, '', [['org', a], ['place', place]]);
  await settled(page, '', 2, two.total);
  assert.deepEqual(await titles(page), two.hits.map((h) => h.title));
  assert.equal(await box(page, 'org', b).isChecked(), false);
  assert.deepEqual(hashFilters(page), [`org:${a}`, `place:${place}`]);

  // Keyboard: Enter on a chip removes it and focus moves to the next one.
  await w.host.getByRole('button', { name: `Remove filter Organization: ${a}` }).focus();
  await page.keyboard.press('Enter');
  const one = await cli(site, '', [['place', place]]);
  await settled(page, '', 1, one.total);
  const focused = () => page.evaluate(() => document.querySelector('quarry-search').shadowRoot.activeElement?.getAttribute('aria-label'));
  assert.equal(await focused(), `Remove filter Place: ${place}`);

  await w.host.getByRole('button', { name: 'Clear all filters' }).click();
  await page.waitForFunction(() => !new URL(location.href).hash.includes('f='));
  await page.waitForFunction(() => document.querySelector('quarry-search').shadowRoot.querySelector('[part=chips]').hidden);
  assert.equal(await w.options.count(), 0);
  assert.equal(await w.status.textContent(), '');
  assert.deepEqual((await groups(page)).flatMap((g) => g.values.filter((v) => v.checked)), []);
});

test('query and filters live in the URL: reload, back, forward and a copied link', async () => {
  await page.goto(srv.url);
  await groupsShown(page);
  const w = widget(page);
  const q = 'pay';
  const res = await cli(site, q);
  const place = res.facets.place[0].value;
  const org = res.facets.org[0].value;
  await w.input.pressSequentially(q, { delay: 20 });
  await settled(page, q, 0, res.total);
  await box(page, 'place', place).check();
  const one = await cli(site, q, [['place', place]]);
  await settled(page, q, 1, one.total);
  await box(page, 'org', org).check();
  const two = await cli(site, q, [['place', place], ['org', org]]);
  await settled(page, q, 2, two.total);
  const state = async () => ({ input: await w.input.inputValue(), titles: await titles(page), chips: await chips(page), groups: await groups(page) });
  const shown = await state();
  assert.deepEqual(shown.titles, two.hits.map((h) => h.title));

  await page.reload();
  await settled(page, q, 2, two.total);
  assert.deepEqual(await state(), shown, 'reload restores the same state');

  await page.goBack();
  await settled(page, q, 1, one.total);
  assert.deepEqual(await titles(page), one.hits.map((h) => h.title));
  assert.deepEqual(await chips(page), [`Remove filter Place: ${place}`]);
  assert.equal(await box(page, 'org', org).isChecked(), false);
  await page.goBack();
  await settled(page, q, 0, res.total);
  assert.deepEqual(await chips(page), []);
  await page.goForward();
  await settled(page, q, 1, one.total);
  await page.goForward();
  await settled(page, q, 2, two.total);
  assert.deepEqual(await state(), shown);

  // The link opens the same state in a fresh page.
  const link = page.url();
  const other = await ctx.newPage();
  const otherSeen = watch(other);
  await other.goto(link);
  await settled(other, q, 2, two.total);
  assert.deepEqual(await titles(other), shown.titles);
  assert.deepEqual(await chips(other), shown.chips);
  assert.deepEqual(otherSeen.errors, []);
});

test('a selected value that no result has any more stays, with count 0, and can be removed', async () => {
  const q = 'alipay';
  const res = await cli(site, q);
  const gone = all.facets.org.map((v) => v.value).find((v) => !res.facets.org.some((x) => x.value === v));
  assert.ok(gone, 'some organization does not occur with alipay');
  await page.goto(`${srv.url}#q=${q}&f=${encodeURIComponent('org:' + gone)}`);
  const want = await cli(site, q, [['org', gone]]);
  assert.equal(want.total, 0);
  await settled(page, q, 1, 0);
  const org = (await groups(page)).find((g) => g.type === 'org');
  assert.deepEqual(org.values.find((v) => v.value === gone), { value: gone, count: 0, checked: true });
  assert.deepEqual(await chips(page), [`Remove filter Organization: ${gone}`]);
  await box(page, 'org', gone).click();
  await settled(page, q, 0, res.total);
  assert.equal(await box(page, 'org', gone).count(), 0, 'unselected, a value with no results is not offered');
});

test('type-ahead inside a group narrows its values; Enter selects the first', async () => {
  await page.goto(srv.url);
  await groupsShown(page);
  const w = widget(page);
  const find = w.host.getByRole('searchbox', { name: 'Filter Organizations' });
  const people = await w.host.getByRole('searchbox', { name: 'Filter People' }).count();
  assert.equal(people, all.facets.person.length > 6 ? 1 : 0, 'a filter box only for groups with more than six values');
  const text = all.facets.org[1].value.slice(1, 4);
  await find.fill(text.toUpperCase());
  const want = all.facets.org.filter((v) => v.value.toLowerCase().includes(text.toLowerCase())).map((v) => v.value);
  const org = () => groups(page).then((gs) => gs.find((g) => g.type === 'org').values.map((v) => v.value));
  assert.deepEqual(await org(), want);
  assert.equal(await w.host.locator('fieldset[data-type=org] button[part=facet-more]').isVisible(), false);
  await find.press('Enter');
  const res = await cli(site, '', [['org', want[0]]]);
  await settled(page, '', 1, res.total);
  assert.deepEqual(await titles(page), res.hits.map((h) => h.title));
  await find.fill('zzzzqqq');
  assert.deepEqual(await org(), [want[0]], 'the selected value stays');
  assert.equal(await w.host.locator('fieldset[data-type=org] .q-none').textContent(), 'No match.');
  await w.host.getByRole('button', { name: 'Clear all filters' }).click();
  await page.waitForFunction(() => document.querySelector('quarry-search').shadowRoot.querySelector('[part=chips]').hidden);
  assert.deepEqual(await org(), []);
  assert.equal(await w.host.locator('fieldset[data-type=org] .q-none').textContent(), 'No match.');
  await find.press('Escape');
  assert.equal((await org()).length, 6);
});

test('hostile and odd facet values are text, select, and round-trip through the URL', async () => {
  await page.goto(tagSrv.url);
  await groupsShown(page);
  const tagsOnly = await cli(tagSite, '');
  const types = Object.keys(tagsOnly.facets);
  assert.deepEqual((await groups(page)).map((g) => g.type), types.filter((t) => tagsOnly.facets[t].length).sort());
  assert.deepEqual((await groups(page)).find((g) => g.type === 'tags'), expected(tagsOnly, [], ['tags'])[0]);
  await box(page, 'tags', IMG).check();
  const evil = await cli(tagSite, '', [['tags', IMG]]);
  await settled(page, '', 1, evil.total);
  assert.deepEqual(await titles(page), evil.hits.map((h) => h.title));
  await box(page, 'tags', ODD).check();
  const both = await cli(tagSite, '', [['tags', IMG], ['tags', ODD]]);
  await settled(page, '', 2, both.total);
  assert.deepEqual(hashFilters(page), [`tags:${IMG}`, `tags:${ODD}`]);
  assert.match(new URL(page.url()).hash, /^#f=tags:%3Cimg\+src%3Dx\+onerror%3Dalert\(1\)%3E&f=tags:a:b,\+c%26d%3De%2Bf\+100%25\+%231$/);
  await page.reload();
  await settled(page, '', 2, both.total);
  assert.deepEqual(await chips(page), [`Remove filter Tag: ${IMG}`, `Remove filter Tag: ${ODD}`]);
  assert.deepEqual((await groups(page)).find((g) => g.type === 'tags').values.filter((v) => v.checked).map((v) => v.value).sort(), [IMG, ODD].sort());
  const injected = await page.evaluate(() => {
    const bad = 'img, script:not([type]), iframe, object, embed, svg, [onerror], [onload]';
    return [...document.querySelector('quarry-search').shadowRoot.querySelectorAll(bad), ...document.body.querySelectorAll(bad)].map((e) => e.outerHTML);
  });
  assert.deepEqual(injected, []);
  await page.waitForTimeout(300);
});

test('the URL encoding round-trips any value and keeps other parameters', async () => {
  await page.goto(srv.url);
  const cases = [
    { name: 'plain', hash: '#lang=en', q: 'alipay', filters: [['org', ['Tencent']]] },
    { name: 'separators', hash: '', q: 'a&b=c #d', filters: [['tags', [ODD, 'x,y', ':lead', 'trail:']], ['org', ['AT&T']]] },
    { name: 'markup and unicode', hash: '#q=old&f=org:Old', q: '', filters: [['person', [IMG, 'Zoë Ångström', '李彦宏', '100%', 'a+b']]] },
    { name: 'an anchor is replaced', hash: '#section-2', q: 'x', filters: [] },
  ];
  for (const c of cases) {
    const got = await page.evaluate(async (c) => {
      const { parseState, stateHash } = await import('/quarry/quarry.js');
      const hash = stateHash(c.hash, c.q, new Map(c.filters));
      const back = parseState(hash);
      return { hash, q: back.q, filters: [...back.filters], rest: [...new URLSearchParams(hash.slice(1))].filter(([k]) => k !== 'q' && k !== 'f') };
    }, c);
    assert.equal(got.q, c.q || null, `${c.name}: q from ${got.hash}`);
    assert.deepEqual(got.filters, c.filters, `${c.name}: filters from ${got.hash}`);
    assert.deepEqual(got.rest, c.hash === '#lang=en' ? [['lang', 'en']] : [], `${c.name}: other parameters`);
  }
});

test('a response to an older filter state never overwrites a newer one', async () => {
  const [a, b] = [all.facets.org[0].value, all.facets.org[1].value];
  // Hold back the engine's answer to any request filtering on a.
  await page.addInitScript((slow) => {
    const post = Worker.prototype.postMessage;
    const listen = Worker.prototype.addEventListener;
    const slowIds = new Set();
    Worker.prototype.postMessage = function (m, ...rest) {
      // The request is an object since the worker protocol stopped
      // passing JSON strings (a string is still read, for older workers).
      const req = m && m.op === 'search' && (typeof m.request === 'string' ? JSON.parse(m.request) : m.request);
      if (req && req.filters?.org?.includes(slow)) slowIds.add(m.id);
      return post.call(this, m, ...rest);
    };
    Worker.prototype.addEventListener = function (type, fn, ...rest) {
      if (type !== 'message') return listen.call(this, type, fn, ...rest);
      return listen.call(this, type, (e) => (slowIds.has(e.data && e.data.id) ? setTimeout(() => fn(e), 1500) : fn(e)), ...rest);
    };
  }, a);
  await page.goto(srv.url);
  await groupsShown(page);
  await box(page, 'org', a).check();
  await box(page, 'org', a).uncheck();
  await box(page, 'org', b).check();
  const want = await cli(site, '', [['org', b]]);
  await settled(page, '', 1, want.total);
  await page.waitForTimeout(2500); // the held answers arrive now, and must be dropped
  assert.deepEqual(await titles(page), want.hits.map((h) => h.title));
  assert.deepEqual(await chips(page), [`Remove filter Organization: ${b}`]);
  await expandAll(page);
  assert.deepEqual(await groups(page), expected(want, [['org', b]]));
});

test('facets pass an axe-core check, light and dark, wide and on a phone', async () => {
  const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const org = all.facets.org[0].value;
  for (const [scheme, width] of [['light', 1000], ['dark', 1000], ['light', 390], ['dark', 390]]) {
    await ctx.close();
    ctx = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true, colorScheme: scheme });
    page = await ctx.newPage();
    seen = watch(page);
    await page.goto(`${srv.url}#q=alibaba&f=${encodeURIComponent('org:' + org)}`);
    const res = await cli(site, 'alibaba', [['org', org]]);
    await settled(page, 'alibaba', 1, res.total);
    const w = widget(page);
    const toggle = w.host.locator('button[part=facets-toggle]');
    const groupsBox = w.host.locator('.q-groups');
    if (width < 600) {
      // On a phone the groups fold behind a "Filters (1)" button above the results.
      assert.equal(await toggle.textContent(), 'Filters (1)');
      assert.equal(await groupsBox.isVisible(), false);
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      const [g, r] = await Promise.all([groupsBox.boundingBox(), w.listbox.boundingBox()]);
      assert.ok(g.y + g.height <= r.y, 'the groups open above the results');
    } else {
      assert.equal(await toggle.isVisible(), false);
      const [g, r] = await Promise.all([groupsBox.boundingBox(), w.listbox.boundingBox()]);
      assert.ok(g.x + g.width <= r.x, 'the groups stand beside the results');
    }
    await expandAll(page);
    await w.host.getByRole('searchbox', { name: 'Filter Organizations' }).fill('a');
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    assert.deepEqual(problems, [], `${scheme} scheme, ${width}px`);
  }
});

test('the facets attribute picks and orders the groups, or turns them off', async () => {
  await page.goto(srv.url);
  await page.evaluate(() => document.querySelector('quarry-search').setAttribute('facets', 'place, org'));
  const w = widget(page);
  await w.input.pressSequentially('alibaba', { delay: 20 });
  const res = await cli(site, 'alibaba');
  await settled(page, 'alibaba', 0, res.total);
  assert.deepEqual((await groups(page)).map((g) => g.legend), ['Places', 'Organizations']);

  // A link on the page (the demo's "Tencent") selects a filter.
  await w.input.fill('');
  await page.locator('a[href="#f=org:Tencent"]').click();
  const tencent = await cli(site, '', [['org', 'Tencent']]);
  await settled(page, '', 1, tencent.total);
  assert.equal(await box(page, 'org', 'Tencent').isChecked(), true);

  await page.evaluate(() => document.querySelector('quarry-search').setAttribute('facets', 'none'));
  await w.input.pressSequentially('pay', { delay: 20 });
  const pay = await cli(site, 'pay', [['org', 'Tencent']]);
  await settled(page, 'pay', 1, pay.total);
  assert.equal(await w.host.locator('[part=facets]').isHidden(), true);
  assert.deepEqual(await titles(page), pay.hits.map((h) => h.title), 'selected filters still apply');
});

test('results that have no facet values leave no empty filter column', async () => {
  await page.goto(tagSrv.url);
  await groupsShown(page);
  const w = widget(page);
  const res = await cli(tagSite, 'untagged');
  assert.ok(res.total > 0 && Object.values(res.facets).every((v) => v.length === 0), 'the query matches only untagged pages');
  await w.input.pressSequentially('untagged', { delay: 20 });
  await settled(page, 'untagged', 0, res.total);
  assert.equal(await w.host.locator('[part=facets]').isHidden(), true);
  await w.input.fill('kumquat');
  await settled(page, 'kumquat', 0, (await cli(tagSite, 'kumquat')).total);
  assert.equal(await w.host.locator('[part=facets]').isVisible(), true);
});

// Hostile documents and queries never execute: document text, titles and
// queries are shown as text, and only http(s) and relative URLs become links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { quarry, serve, launch, watch, widget, resultsFor, tempDir, removeDir } from './helpers.mjs';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const EVIL = 'https://evil.example';
const STYLE = `<style>@import url(${EVIL}/x.css);*{color:red}</style>`;

let dir, srv, browser;

before(async () => {
  dir = await tempDir();
  const corpus = dir + '/corpus';
  await mkdir(corpus);
  await writeFile(corpus + '/evil.txt', `Kumquat ${SCRIPT} heading\n\nThe kumquat page says ${SCRIPT} and ${IMG} and "quotes" & ampersands.\n`);
  await writeFile(corpus + '/plain.txt', 'Plain page\n\nNothing to see about kumquat orchards here, no link.\n');
  await writeFile(corpus + '/links.jsonl', [
    { id: 'js', title: 'Kumquat javascript link', body: 'kumquat record one', url: 'javascript:alert(1)' },
    { id: 'js2', title: 'Kumquat sneaky link', body: 'kumquat record two', url: ' JaVa\tScRiPt:alert(1)' },
    { id: 'data', title: 'Kumquat data link', body: 'kumquat record three', url: `data:text/html,${SCRIPT}` },
    { id: 'vb', title: 'Kumquat vbscript link', body: 'kumquat record five', url: 'vbscript:msgbox(1)' },
    { id: 'web', title: 'Kumquat web link', body: 'kumquat record four', url: 'https://example.org/kumquat' },
    { id: 'css', title: 'Kumquat </style><style>*{display:none}</style>', body: `kumquat style="x:expression(alert(1))" ${STYLE}`, url: 'css.html' },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n');
  // Built HTML with script, handlers, hostile links and CSS injection.
  await writeFile(corpus + '/page.html', `<!doctype html><html><head><title>Kumquat html ${SCRIPT}</title>
<style>body{background:url(${EVIL}/bg.png)}</style><script>alert(1)</script></head>
<body onload="alert(1)"><main><h1 onclick="alert(1)">Kumquat html ${SCRIPT} page</h1>
<p style="background:url(${EVIL}/p.png);width:expression(alert(1))">The kumquat html page has
<a href="javascript:alert(1)">a script link</a>, <a href="data:text/html,x">a data link</a>,
<img src="${EVIL}/i.png" onerror="alert(1)"> and text &lt;b onmouseover=alert(1)&gt;escaped&lt;/b&gt;
</style><script>alert(2)</script> ${STYLE}</p></main></body></html>`);
  // Markdown with HTML in front matter (title, tags) and body.
  await writeFile(corpus + '/note.md', `---
title: "Kumquat markdown <img src=x onerror=alert(1)>"
tags: ["<script>alert(1)</script>", "<b onmouseover=alert(1)>tag</b>"]
author: "<svg onload=alert(1)>"
---
The kumquat markdown note links [here](javascript:alert(1)) and embeds ${SCRIPT} and ${IMG}.
`);
  // Bidi controls (stripped at build time) and homoglyphs (kept, shown as text).
  await writeFile(corpus + '/bidi.txt', `Kumquat \u202Egnp.exe\u202C bidi title\n\nThe kumquat bidi page: \u2066isolated\u2069 and \u202Ereversed text, with \u0430pple homoglyphs.\n`);
  await quarry('build', '-q', '--no-entities', '-o', dir + '/site', corpus);
  srv = await serve(dir + '/site');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await removeDir(dir);
});

// Elements that should never appear inside the widget or the page, and
// any element inside the results other than the widget's own (a link or
// div per result, spans for title and excerpt, <mark>), or any attribute
// of theirs that is not the widget's.
function injected(page) {
  return page.evaluate(() => {
    const root = document.querySelector('quarry-search').shadowRoot;
    const bad = 'img, script:not([type]), style, link:not([rel=stylesheet][href$="/quarry.css"]), iframe, object, embed, svg, math, base, meta, form:not([role=search])';
    const out = [...root.querySelectorAll(bad), ...document.body.querySelectorAll(bad)].map((e) => e.outerHTML);
    const ok = new Set(['id', 'role', 'aria-selected', 'part', 'class', 'data-i', 'href', 'tabindex']);
    for (const e of root.querySelectorAll('[role=listbox] *')) {
      if (!/^(A|DIV|SPAN|MARK)$/.test(e.tagName)) out.push(e.outerHTML);
      for (const a of e.getAttributeNames()) if (!ok.has(a)) out.push(`${e.tagName} ${a}=${e.getAttribute(a)}`);
    }
    for (const e of [...root.querySelectorAll('*'), ...document.querySelectorAll('*')]) {
      for (const a of e.getAttributeNames()) if (/^on/i.test(a)) out.push(`${e.tagName} ${a}`);
    }
    return out;
  });
}

// Records every request of a page; unexpected() lists those not to the
// test server's origin.
function requests(page, origin) {
  const all = [];
  page.on('request', (r) => all.push(r.url()));
  return { all, unexpected: () => all.filter((u) => new URL(u).origin !== origin) };
}

test('hostile document text and titles are shown as text', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  await page.goto(srv.url);
  const w = widget(page);
  await w.input.fill('kumquat');
  await w.input.press('Enter');
  await resultsFor(page, 'kumquat');
  const texts = await w.options.allTextContents();
  const evil = texts.find((t) => t.includes('The kumquat page'));
  assert.ok(evil, `no hostile hit in ${texts}`);
  assert.ok(evil.includes(SCRIPT) && evil.includes(IMG) && evil.includes('"quotes" & ampersands'), evil);
  assert.ok(texts.some((t) => t.startsWith(`Kumquat ${SCRIPT} heading`)), 'title shown as text');
  assert.deepEqual(await injected(page), []);
  await page.waitForTimeout(300);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  await ctx.close();
});

test('only http(s) and relative URLs become links', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(srv.url + '#q=link');
  await resultsFor(page, 'link');
  const opts = await widget(page).options.evaluateAll((els) => els.map((e) => ({
    title: e.querySelector('[part=title]').textContent,
    tag: e.tagName,
    href: e.getAttribute('href'),
  })));
  const by = (t) => opts.find((o) => o.title === t);
  assert.equal(by('Kumquat javascript link').tag, 'DIV');
  assert.equal(by('Kumquat sneaky link').tag, 'DIV');
  assert.equal(by('Kumquat data link').tag, 'DIV');
  assert.equal(by('Kumquat javascript link').href, null);
  assert.equal(by('Kumquat web link').href, 'https://example.org/kumquat');
  assert.equal(by('Plain page').href, 'plain.txt');
  await ctx.close();
});

test('hostile queries, typed or in the URL, are shown as text', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  await page.goto(srv.url);
  const w = widget(page);
  for (const q of [IMG, SCRIPT, `"><svg onload=alert(1)>`]) {
    await w.input.fill(q);
    await w.input.press('Enter');
    await resultsFor(page, q);
    assert.ok((await w.status.textContent()).includes(`“${q}”`));
    assert.deepEqual(await injected(page), []);
  }
  await page.goto(srv.url + '#q=' + encodeURIComponent(IMG));
  await resultsFor(page, IMG);
  assert.equal(await w.input.inputValue(), IMG);
  assert.deepEqual(await injected(page), []);
  await page.waitForTimeout(300);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  await ctx.close();
});

test('hostile HTML, Markdown and JSON documents: nothing runs, loads or escapes', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  const reqs = requests(page, new URL(srv.url).origin);
  await page.goto(srv.url);
  const w = widget(page);
  for (const q of ['kumquat html', 'kumquat markdown', 'kumquat style', 'kumquat bidi', 'kumquat']) {
    await w.input.fill(q);
    await w.input.press('Enter');
    await resultsFor(page, q);
    assert.ok((await w.options.count()) > 0, `no results for ${q}`);
    assert.deepEqual(await injected(page), [], `after ${q}`);
    // Hover and focus every result: no handler can have been attached.
    for (const o of await w.options.all()) await o.hover();
  }
  const titles = await widget(page).options.evaluateAll((els) => els.map((e) => e.querySelector('[part=title]').textContent));
  assert.ok(titles.includes('Kumquat markdown <img src=x onerror=alert(1)>'), titles.join(' | '));
  // The HTML parser drops <script> elements (with their text) from the h1.
  assert.ok(titles.includes('Kumquat html page'), titles.join(' | '));
  assert.ok(titles.includes('Kumquat </style><style>*{display:none}</style>'), titles.join(' | '));
  // Bidi controls were removed at build time; homoglyphs are plain text.
  const bidi = titles.find((t) => t.includes('bidi title'));
  assert.equal(bidi, 'Kumquat gnp.exe bidi title');
  assert.equal(await page.evaluate(() => /[\u202a-\u202e\u2066-\u2069]/.test(document.querySelector('quarry-search').shadowRoot.querySelector('[role=listbox]').textContent)), false);
  // The page's own styles are untouched by the injected CSS.
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('h1')).display), 'block');
  await page.waitForTimeout(300);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(reqs.unexpected(), []);
  await ctx.close();
});

test('links: javascript:, data: and vbscript: results are not links, and clicking them does nothing', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = watch(page);
  const reqs = requests(page, new URL(srv.url).origin);
  await page.goto(srv.url + '#q=kumquat%20record');
  await resultsFor(page, 'kumquat record');
  const opts = await widget(page).options.evaluateAll((els) => els.map((e) => ({
    title: e.querySelector('[part=title]').textContent, href: e.getAttribute('href'),
  })));
  for (const o of opts) {
    assert.ok(o.href === null || /^(https?:|[^:]*$)/.test(o.href), `unsafe href ${o.href}`);
  }
  assert.equal(opts.find((o) => o.title === 'Kumquat vbscript link').href, null);
  // The engine itself no longer carries the dropped URLs.
  const urls = await page.evaluate(async () => {
    const { Quarry } = await import('./quarry/quarry.js');
    const q = await Quarry.shared('./quarry/');
    const res = await q.search('kumquat record', { limit: 20, complete: true });
    return res.hits.map((h) => h.url);
  });
  assert.ok(urls.every((u) => u === '' || /^https?:/.test(u) || !u.includes(':')), urls.join(' '));
  for (const o of await widget(page).options.all()) {
    if ((await o.getAttribute('href')) === null) await o.click();
  }
  await page.waitForTimeout(300);
  assert.equal(new URL(page.url()).origin, new URL(srv.url).origin);
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(reqs.unexpected(), []);
  await ctx.close();
});

test('a query with bidi controls does not reorder the status line around it', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(srv.url);
  const w = widget(page);
  const q = 'kumquat \u202Eevil';
  await w.input.fill(q);
  await w.input.press('Enter');
  await resultsFor(page, q);
  // The text after the query ("(… ms)") must still be laid out after it,
  // left to right: an unterminated U+202E would otherwise reverse it.
  const order = await page.evaluate(() => {
    const s = document.querySelector('quarry-search').shadowRoot.querySelector('[role=status]');
    const t = s.firstChild;
    const x = (needle) => {
      const i = t.data.indexOf(needle);
      const r = document.createRange();
      r.setStart(t, i);
      r.setEnd(t, i + needle.length);
      return r.getBoundingClientRect().left;
    };
    return { open: x('“'), evil: x('evil'), ms: x('ms)') };
  });
  assert.ok(order.open < order.evil && order.evil < order.ms, JSON.stringify(order));
  await ctx.close();
});

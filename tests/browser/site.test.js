// The default theme in a real browser: builds the real site with the real binary, opens it in
// Debian's Chromium on a phone viewport, from disk and from a server under a sub-path.
//
//   npm ci --prefix tests/browser && node --test tests/browser/
//
// Missing Chromium or npm packages fail the run; nothing here is ever skipped.
// STEPPE_BIN=path/to/steppe uses that binary instead of `cargo run --release`;
// STEPPE_ROOT=dir builds another site folder; CHROMIUM=path overrides /usr/bin/chromium.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { PHONE, LANGS, setup, open, axe } = require('./harness');

// Home, a section, a long page, an operator, the operators' comparison: every template.
const PAGES = ['', 'steps/', 'faq/', 'operators/activ/', 'operators/'];

// The shared setup (harness.js): the real site built once, served under /guide/ with
// base_url pointing there, and Chromium.
let env, browser, base, fileUrl;

before(async () => {
  env = await setup();
  ({ browser, base, fileUrl } = env);
});

after(async () => {
  if (env) await env.close();
});

test('phone pages in every language pass axe, fit 390px and log no errors', { concurrency: 6, timeout: 120000 }, async (t) => {
  const light = await browser.newContext({ ...PHONE, colorScheme: 'light' });
  const dark = await browser.newContext({ ...PHONE, colorScheme: 'dark' });
  try {
    await Promise.all(LANGS.flatMap((lang) => PAGES.map((p) => t.test(`${lang}/${p}`, async () => {
      const rel = `${lang}/${p}index.html`;
      const { page, problems } = await open(light, fileUrl(rel));
      const facts = await page.evaluate(() => ({
        // Not innerWidth: a phone browser widens that to the content and zooms out.
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        width: document.documentElement.clientWidth,
        h1: document.querySelectorAll('h1').length,
        main: document.querySelectorAll('main').length,
        lang: document.documentElement.lang,
        // The stylesheet applied: the header is a flex row only with style.css.
        styled: getComputedStyle(document.querySelector('.site-header')).display === 'flex',
      }));
      assert.ok(facts.styled, `${rel}: style.css not applied`);
      assert.equal(facts.width, PHONE.viewport.width, `${rel}: layout viewport`);
      assert.ok(facts.overflow <= 0, `${rel}: ${facts.overflow}px wider than a 390px screen`);
      assert.equal(facts.h1, 1, `${rel}: one h1`);
      assert.equal(facts.main, 1, `${rel}: one main`);
      assert.ok(facts.lang.startsWith(lang), `${rel}: html lang is ${facts.lang}`);
      assert.deepEqual(await axe(page), [], `${rel} (light)`);
      assert.deepEqual(problems, [], `${rel}: console or network errors`);
      await page.close();
      // Dark mode changes only colours: check contrast there.
      const d = await open(dark, fileUrl(rel));
      assert.deepEqual(await axe(d.page, { runOnly: ['color-contrast'] }), [], `${rel} (dark)`);
      assert.deepEqual(d.problems, [], `${rel} (dark): console or network errors`);
      await d.page.close();
    }))));
  } finally {
    await light.close();
    await dark.close();
  }
});

test('the root language picker passes axe and follows the browser language', { timeout: 60000 }, async () => {
  // A browser language the site does not have: the picker stays.
  const other = await browser.newContext({ ...PHONE, locale: 'de-DE' });
  const { page, problems } = await open(other, fileUrl('index.html'));
  assert.equal(await page.locator('ul.languages a').count(), 4);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), PHONE.viewport.width);
  assert.deepEqual(await axe(page), [], 'index.html');
  assert.deepEqual(problems, []);
  await other.close();
  const ru = await browser.newContext({ ...PHONE, locale: 'ru-RU' });
  const r = await ru.newPage();
  await r.goto(fileUrl('index.html'));
  await r.waitForURL(/\/ru\/index\.html$/);
  assert.equal(await r.evaluate(() => document.documentElement.lang), 'ru');
  await ru.close();
});

test('the language switcher on a zh page lands on the en translation', { timeout: 60000 }, async () => {
  const context = await browser.newContext(PHONE);
  try {
    for (const rel of ['zh/faq/index.html', 'zh/operators/activ/index.html']) {
      const { page, problems } = await open(context, fileUrl(rel));
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans');
      const current = page.locator('.switcher a[aria-current="page"]');
      assert.equal(await current.getAttribute('lang'), 'zh-Hans');
      // On a phone the languages are in the header's language menu (issue 12).
      await page.locator('.lang-menu > summary').click();
      await Promise.all([page.waitForURL('**/en/**'), page.locator('.switcher a[lang="en"]').click()]);
      assert.equal(page.url(), fileUrl(rel.replace(/^zh\//, 'en/')));
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.equal(await page.locator('.switcher a[aria-current="page"]').getAttribute('lang'), 'en');
      assert.deepEqual(problems, []);
      await page.close();
    }
  } finally {
    await context.close();
  }
});

test('keyboard: the skip link comes first, shows, and moves focus to main', { timeout: 60000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const { page, problems } = await open(context, fileUrl('ru/faq/index.html'));
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const a = document.activeElement, r = a.getBoundingClientRect(), s = getComputedStyle(a);
      return { cls: a.className, left: r.left, top: r.top, outline: s.outlineStyle };
    });
    assert.equal(skip.cls, 'skip');
    assert.ok(skip.left >= 0 && skip.top >= 0, 'the focused skip link is on screen');
    assert.notEqual(skip.outline, 'none', 'focus is visible');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'content');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('served under /guide/: CSS applies and every local link resolves', { timeout: 120000 }, async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'de-DE' });
  try {
    for (const rel of ['', 'en/', 'zh/steps/', 'ru/operators/activ/', 'kk/operators/', '404.html']) {
      const { page, problems } = await open(context, base + rel);
      const style = await page.evaluate(() => {
        const b = getComputedStyle(document.body);
        const sheet = [...document.styleSheets].find((s) => /\/static\/style\.[0-9a-f]+\.css$/.test(s.href || ''));
        return { sheetRules: sheet ? sheet.cssRules.length : 0, margin: b.marginLeft, skip: !!document.querySelector('.skip') };
      });
      assert.ok(style.sheetRules > 20, `${rel || 'index'}: style.css did not load`);
      assert.equal(style.margin, '0px', `${rel || 'index'}: style.css not applied`);
      // Every link into the site answers 200 from the server.
      const links = await page.evaluate(() => [...new Set([...document.querySelectorAll('a[href], link[rel=icon], link[rel=stylesheet]')]
        .map((a) => a.href.split('#')[0]).filter((h) => h.startsWith(location.origin)))]);
      assert.ok(links.length > 3, `${rel}: links found`);
      // Asked from Node, not the page, so the page's own request log stays its own.
      const statuses = await Promise.all(links.map((u) => fetch(u)
        .then(async (r) => { await r.arrayBuffer(); return r.ok ? null : `${r.status} ${u}`; }, (e) => `${e} ${u}`)));
      assert.deepEqual(statuses.filter(Boolean), [], `${rel || 'index'}: broken links`);
      if (rel === '404.html') assert.deepEqual(await axe(page), [], '404.html');
      assert.deepEqual(problems, [], `${rel || 'index'}: console or network errors`);
      await page.close();
    }
    // Clicking through: next page, then a sidebar link, each styled.
    const { page, problems } = await open(context, `${base}en/steps/`);
    await Promise.all([page.waitForURL((u) => u.href !== `${base}en/steps/`), page.locator('a[rel=next]').click()]);
    // Wait for the new URL, not for 'load': the page before the click is already loaded, so
    // waiting for 'load' could return at once and read the page mid-navigation.
    const before = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== before, { waitUntil: 'load' }), page.locator('#site-nav a').first().click()]);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).display), 'flex');
    assert.ok(page.url().startsWith(`${base}en/`), page.url());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

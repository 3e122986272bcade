// Navigation on a phone and no layout shift (issue 12), in Chromium on the real guide: the
// compact header, the menu button and its drawer, the language menu, "On this page" (closed on
// a phone, a right rail on a desktop), back-to-top, heading anchors, and the cumulative layout
// shift while a page loads and its search script runs, from a server under /guide/ and from disk.
//
//   cargo build --release && STEPPE_BIN=target/release/steppe node --test tests/browser/navigation.test.js
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { PHONE, DESKTOP, LANGS, setup, open, axe } = require('./harness');

// A guide page with a table of contents, and the longest page (about 10,000 px on a phone).
const GUIDE = 'steps/online/';
const LONG = 'faq/';
// The bounds: header at most ~72 px on a 390 px phone, the first paragraph of a guide
// page above y = 300, CLS at most 0.01.
const MAX_HEADER = 72;
const MAX_FIRST_TEXT = 300;
const MAX_CLS = 0.01;

let env;
before(async () => { env = await setup(); });
after(async () => { if (env) await env.close(); });

const served = (rel) => env.base + rel;
const fromDisk = (rel) => env.fileUrl(`${rel}index.html`);

/** Geometry of the page's top: header height, the title's line count, the first paragraph. */
function top() {
  const header = document.querySelector('.site-header').getBoundingClientRect();
  const brand = document.querySelector('.brand');
  const visible = [...brand.children].find((c) => c.offsetWidth > 0) || brand;
  const title = document.createRange();
  title.selectNodeContents(visible);
  const para = [...document.querySelectorAll('main .content > p')].find((p) => p.offsetHeight > 0);
  return {
    header: header.height,
    // The lines the visible title takes (an ellipsis may end it).
    titleLines: new Set([...title.getClientRects()].map((r) => Math.round(r.top))).size,
    titleAttr: brand.title,
    // The guide's short_title is short enough to show whole (no ellipsis) on a 390 px phone.
    titleWhole: brand.scrollWidth <= brand.clientWidth,
    firstText: para ? para.getBoundingClientRect().top : null,
    // Every control of the header sits inside its single row.
    controlsInside: [...document.querySelectorAll('.site-header > *')].filter((e) => e.offsetWidth > 0)
      .every((e) => { const r = e.getBoundingClientRect(); return r.top >= header.top && r.bottom <= header.bottom; }),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}

test('a phone header of one short row and the text near the top, in every language', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  try {
    for (const lang of LANGS) {
      for (const rel of [`${lang}/`, `${lang}/${GUIDE}`]) {
        const { page, problems } = await open(context, served(rel));
        const t = await page.evaluate(top);
        assert.ok(t.header <= MAX_HEADER, `${rel}: header ${t.header}px > ${MAX_HEADER}px`);
        assert.equal(t.titleLines, 1, `${rel}: the title is on one line`);
        assert.ok(t.titleAttr.length > 0, `${rel}: the full title is in title=`);
        assert.ok(t.titleWhole, `${rel}: site.yaml's short_title does not fit; shorten it`);
        assert.ok(t.controlsInside, `${rel}: a header control wraps below the row`);
        assert.ok(t.overflow <= 0, `${rel}: ${t.overflow}px wider than the screen`);
        if (rel.endsWith(GUIDE)) {
          assert.ok(t.firstText !== null && t.firstText <= MAX_FIRST_TEXT,
            `${rel}: the first paragraph starts at y=${t.firstText}, below ${MAX_FIRST_TEXT}`);
        }
        assert.deepEqual(problems, [], `${rel}: console or network errors`);
        await page.close();
      }
    }
  } finally {
    await context.close();
  }
});

/** The menu button's state and the drawer's: open, fixed over the page, focus inside. */
function drawer() {
  const button = document.querySelector('.menu-button');
  const nav = document.getElementById(button.getAttribute('aria-controls'));
  const r = nav.getBoundingClientRect();
  return {
    expanded: button.getAttribute('aria-expanded'),
    fixed: getComputedStyle(nav).position === 'fixed',
    onScreen: r.top >= 0 && r.top < innerHeight / 2 && r.bottom <= innerHeight + 1 && r.width >= innerWidth - 1,
    focusInside: nav.contains(document.activeElement),
    focusOnButton: document.activeElement === button,
  };
}

test('the menu button opens the navigation; Escape and a second tap close it; its links work', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  try {
    for (const lang of LANGS) {
      const start = `${lang}/${GUIDE}`;
      const { page, problems } = await open(context, served(start));
      const button = page.locator('.menu-button');
      assert.ok(await button.isVisible(), `${lang}: menu button visible`);
      assert.equal(await page.locator('.menu-link').isVisible(), false, `${lang}: the no-script link gives way`);
      assert.equal((await page.evaluate(drawer)).expanded, 'false');

      // Open: the drawer covers the page under the header and takes focus.
      await button.tap();
      let d = await page.evaluate(drawer);
      assert.deepEqual([d.expanded, d.fixed, d.onScreen, d.focusInside], ['true', true, true, true], `${lang}: opened ${JSON.stringify(d)}`);
      assert.ok(await page.locator('#site-nav a[aria-current="page"]').isVisible(), `${lang}: the current page is shown`);
      assert.deepEqual(await axe(page), [], `${lang}: axe with the drawer open`);

      // Escape closes and gives focus back to the button.
      await page.keyboard.press('Escape');
      d = await page.evaluate(drawer);
      assert.deepEqual([d.expanded, d.fixed, d.focusOnButton], ['false', false, true], `${lang}: after Escape ${JSON.stringify(d)}`);

      // A second tap on the button closes it too.
      await button.tap();
      assert.equal((await page.evaluate(drawer)).expanded, 'true');
      await button.tap();
      d = await page.evaluate(drawer);
      assert.deepEqual([d.expanded, d.fixed], ['false', false], `${lang}: after a second tap`);

      // A link in the drawer leads to its page.
      await button.tap();
      const link = page.locator('#site-nav a:not([aria-current]):not(.more)').first();
      const href = await link.evaluate((a) => a.href);
      const title = await link.innerText();
      await Promise.all([page.waitForURL(href), link.tap()]);
      assert.equal(await page.locator('h1').innerText(), title.trim(), `${lang}: landed on ${href}`);
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('menu-open')), false);
      assert.deepEqual(problems, [], `${lang}: console or network errors`);
      await page.close();
    }
  } finally {
    await context.close();
  }
});

test('from disk, the drawer and its links work the same, with the keyboard too', { timeout: 60000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  try {
    const { page, problems } = await open(context, fromDisk(`ru/${GUIDE}`));
    // Keyboard: Enter opens; Shift+Tab from the first link goes back to the button, Tab from
    // the button into the drawer (it follows the button while open); Escape closes.
    await page.locator('.menu-button').focus();
    await page.keyboard.press('Enter');
    assert.equal((await page.evaluate(drawer)).focusInside, true);
    await page.locator('#site-nav a').first().focus();
    await page.keyboard.press('Shift+Tab');
    let d = await page.evaluate(drawer);
    assert.deepEqual([d.expanded, d.focusOnButton], ['true', true], 'Shift+Tab from the first link');
    await page.keyboard.press('Tab');
    d = await page.evaluate(drawer);
    assert.deepEqual([d.expanded, d.focusInside], ['true', true], 'Tab from the button');
    await page.keyboard.press('Escape');
    assert.equal((await page.evaluate(drawer)).expanded, 'false');

    await page.locator('.menu-button').tap();
    assert.equal((await page.evaluate(drawer)).expanded, 'true');
    const link = page.locator('#site-nav a:not([aria-current]):not(.more)').last();
    const href = await link.evaluate((a) => a.href);
    assert.ok(href.startsWith('file:') && href.endsWith('/index.html'), href);
    await Promise.all([page.waitForURL(href), link.tap()]);
    assert.ok(await page.locator('.site-header').isVisible());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('without script the menu is a link to the navigation and the search box is not shown', { timeout: 60000 }, async () => {
  const context = await env.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  try {
    const { page } = await open(context, fromDisk(`kk/${GUIDE}`));
    assert.equal(await page.locator('.menu-button').isVisible(), false);
    assert.equal(await page.locator('.search').isVisible(), false);
    const link = page.locator('.menu-link');
    assert.ok(await link.isVisible());
    await link.tap();
    await page.waitForURL(/#site-nav$/);
    const navTop = await page.evaluate(() => document.getElementById('site-nav').getBoundingClientRect().top);
    assert.ok(navTop >= 0 && navTop < PHONE.viewport.height / 2, `the navigation is in view (${navTop})`);
    // Back-to-top is a plain link at the end of the page.
    assert.ok(await page.locator('.to-top').isVisible());
  } finally {
    await context.close();
  }
});

test('the language menu opens, closes with Escape, and leads to the translation', { timeout: 60000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  try {
    const { page, problems } = await open(context, served(`zh/${GUIDE}`));
    const summary = page.locator('.lang-menu > summary');
    const en = page.locator('.lang-menu a[lang="en"]');
    assert.equal(await en.isVisible(), false);
    await summary.tap();
    assert.ok(await en.isVisible());
    assert.deepEqual(await axe(page), [], 'axe with the language menu open');
    await page.keyboard.press('Escape');
    assert.equal(await en.isVisible(), false);
    await summary.tap();
    await Promise.all([page.waitForURL(`${env.base}en/${GUIDE}index.html`), en.tap()]);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
  // On a desktop the languages are listed in the header, no menu to open.
  const desk = await env.browser.newContext(DESKTOP);
  try {
    const { page } = await open(desk, served(`ru/${GUIDE}`));
    assert.equal(await page.locator('.lang-menu > summary').isVisible(), false);
    assert.equal(await page.locator('.lang-menu a').filter({ visible: true }).count(), LANGS.length);
  } finally {
    await desk.close();
  }
});

test('"On this page" is closed at the top on a phone and a sticky right rail at 1280px', { timeout: 120000 }, async () => {
  const phone = await env.browser.newContext(PHONE);
  const desk = await env.browser.newContext(DESKTOP);
  try {
    for (const lang of LANGS) {
      const rel = `${lang}/${GUIDE}`;
      const p = await open(phone, served(rel));
      const toc = p.page.locator('main details.toc');
      const first = toc.locator('nav a').first();
      assert.equal(await toc.evaluate((d) => d.open), false, `${rel}: closed on a phone`);
      assert.equal(await first.isVisible(), false);
      const at = await toc.evaluate((d) => ({ top: d.getBoundingClientRect().top, beforeText: d.compareDocumentPosition(document.querySelector('main .content')) & Node.DOCUMENT_POSITION_FOLLOWING }));
      assert.ok(at.top < 300 && at.beforeText, `${rel}: at the top of the content (${at.top})`);
      await toc.locator('summary').tap();
      assert.ok(await first.isVisible(), `${rel}: opens`);
      const target = await first.getAttribute('href');
      await first.tap();
      await p.page.waitForFunction((h) => decodeURIComponent(location.hash) === h, target);
      assert.deepEqual(p.problems, []);
      await p.page.close();

      const d = await open(desk, served(rel));
      const rail = await d.page.evaluate(() => {
        const toc = document.querySelector('main details.toc'), text = document.querySelector('main .content');
        const link = toc.querySelector('nav a');
        scrollTo(0, 3000);
        const r = toc.getBoundingClientRect();
        return {
          // Open, so screen readers hear "expanded" for what is shown.
          open: toc.open,
          right: r.left >= text.getBoundingClientRect().right,
          linkShown: link.getBoundingClientRect().height > 0 && getComputedStyle(link).visibility === 'visible',
          stuck: r.top >= 0 && r.top < 40 && r.bottom > 100,
        };
      });
      assert.deepEqual(rail, { open: true, right: true, linkShown: true, stuck: true }, `${rel}: desktop rail`);
      assert.deepEqual(d.problems, []);
      await d.page.close();
    }
  } finally {
    await phone.close();
    await desk.close();
  }
});

test('axe passes with the menus open, light and dark, and on a desktop with the rail', { timeout: 90000 }, async () => {
  for (const colorScheme of ['light', 'dark']) {
    // Dark mode changes only colours: check contrast there.
    const rules = colorScheme === 'dark' ? { runOnly: ['color-contrast'] } : {};
    const phone = await env.browser.newContext({ ...PHONE, colorScheme });
    const desk = await env.browser.newContext({ ...DESKTOP, colorScheme });
    try {
      for (const lang of ['zh', 'kk']) {
        const rel = `${lang}/${GUIDE}`;
        const p = await open(phone, served(rel));
        await p.page.locator('main details.toc > summary').tap();
        await p.page.locator('.lang-menu > summary').tap();
        assert.deepEqual(await axe(p.page, rules), [], `${rel} ${colorScheme}: On this page and languages open`);
        await p.page.keyboard.press('Escape');
        await p.page.locator('.menu-button').tap();
        assert.deepEqual(await axe(p.page, rules), [], `${rel} ${colorScheme}: drawer open`);
        await p.page.keyboard.press('Escape');
        await p.page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
        await p.page.waitForFunction(() => document.querySelector('.to-top.is-shown'));
        assert.deepEqual(await axe(p.page, rules), [], `${rel} ${colorScheme}: back-to-top shown`);
        assert.deepEqual(p.problems, []);
        await p.page.close();
        const d = await open(desk, served(rel));
        assert.deepEqual(await axe(d.page, rules), [], `${rel} ${colorScheme}: desktop`);
        assert.deepEqual(d.problems, []);
        await d.page.close();
      }
    } finally {
      await phone.close();
      await desk.close();
    }
  }
});

test('back-to-top shows on a long page once scrolled and returns to the top', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  try {
    for (const lang of LANGS) {
      const rel = `${lang}/${LONG}`;
      const { page, problems } = await open(context, served(rel));
      const link = page.locator('.to-top');
      assert.ok(await page.evaluate(() => document.documentElement.scrollHeight > 3 * innerHeight), `${rel}: a long page`);
      assert.equal(await link.isVisible(), false, `${rel}: hidden at the top`);
      await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForFunction(() => getComputedStyle(document.querySelector('.to-top')).visibility === 'visible');
      const box = await link.boundingBox();
      assert.ok(box.width >= 44 && box.height >= 44 && box.y + box.height <= PHONE.viewport.height, `${rel}: a 44px target on screen`);
      await link.tap();
      await page.waitForFunction(() => scrollY === 0);
      assert.equal(await page.evaluate(() => location.hash), '#top');
      assert.ok(await page.locator('.menu-button').isVisible(), `${rel}: the header is back in view`);
      assert.deepEqual(problems, []);
      await page.close();
    }
  } finally {
    await context.close();
  }
});

test('every h2 of the content has an anchor link to its own id', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  try {
    for (const lang of LANGS) {
      const rel = `${lang}/${LONG}`;
      const { page, problems } = await open(context, served(rel));
      const found = await page.evaluate(() => [...document.querySelectorAll('main .content h2')].map((h) => {
        const a = h.querySelector(':scope > a.anchor');
        return a && {
          own: a.getAttribute('href') === `#${h.id}`,
          label: a.getAttribute('aria-label'),
          text: a.textContent,
          mark: getComputedStyle(a, '::before').content,
        };
      }));
      assert.ok(found.length > 3, `${rel}: h2s found`);
      for (const a of found) {
        assert.ok(a && a.own && a.label && a.text === '' && a.mark.includes('#'), `${rel}: ${JSON.stringify(a)}`);
      }
      const anchor = page.locator('main .content h2 a.anchor').nth(2);
      const id = await anchor.evaluate((a) => a.parentElement.id);
      await anchor.tap();
      await page.waitForFunction((i) => decodeURIComponent(location.hash) === `#${i}`, id);
      const y = await page.evaluate((i) => document.getElementById(i).getBoundingClientRect().top, id);
      assert.ok(y >= 0 && y < 40, `${rel}: scrolled to the heading (${y})`);
      assert.deepEqual(problems, []);
      await page.close();
    }
  } finally {
    await context.close();
  }
});

/** Sums layout shifts not caused by input, from the start of the page (buffered). */
function observeShifts() {
  window.__cls = { value: 0, shifts: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      window.__cls.value += e.value;
      window.__cls.shifts.push(`${e.value.toFixed(4)} ${(e.sources || []).map((s) => s.node && (s.node.className || s.node.nodeName)).join(',')}`);
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

/** Loads `url`, waits until the search box is ready and everything has settled, returns CLS. */
async function measureCls(context, url) {
  const { page, problems } = await open(context, url);
  // Ready: search.js has set the box up (shown and enabled; an older theme hid the whole box).
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-steppe-search]'), input = document.querySelector('#search-input');
    return box && !box.hidden && input && !input.disabled;
  });
  // Two frames and a pause, so a shift caused by the search script would be reported.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(300);
  const cls = await page.evaluate(() => window.__cls);
  await page.close();
  return { cls, problems };
}

test('no layout shift while a page loads and its search script runs (CLS <= 0.01)', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  await context.addInitScript(observeShifts);
  // A slow network: the search script arrives well after the page is first drawn, as on a phone.
  await context.route(/\/static\/search\.[0-9a-f]+\.js$/, async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  try {
    for (const lang of LANGS) {
      for (const rel of [`${lang}/`, `${lang}/${GUIDE}`, `${lang}/${LONG}`]) {
        for (const url of [served(rel), fromDisk(rel)]) {
          const { cls, problems } = await measureCls(context, url);
          assert.ok(cls.value <= MAX_CLS, `${url}: CLS ${cls.value.toFixed(4)} > ${MAX_CLS}: ${cls.shifts.join('; ')}`);
          assert.deepEqual(problems, [], `${url}: console or network errors`);
        }
      }
    }
  } finally {
    await context.close();
  }
  // On a desktop too, where the script opens the "On this page" rail.
  const desk = await env.browser.newContext(DESKTOP);
  await desk.addInitScript(observeShifts);
  try {
    for (const lang of LANGS) {
      const { cls, problems } = await measureCls(desk, served(`${lang}/${GUIDE}`));
      assert.ok(cls.value <= MAX_CLS, `${lang} desktop: CLS ${cls.value.toFixed(4)}: ${cls.shifts.join('; ')}`);
      assert.deepEqual(problems, []);
    }
  } finally {
    await desk.close();
  }
});

// The guide on a 390 px phone in every language: nothing wider than the screen outside a scroll
// box, tables that scroll with their header row and first column in view, the comparison as
// cards (a table on a desktop and on A4 paper with every operator), no slanted Chinese, 3:1
// borders on controls and cards, one operator picker on the home, USSD codes as tel: links, and
// screenshots in target/screenshots/phone/ for people to look at.
//
//   cargo build --release && STEPPE_BIN=target/release/steppe node --test tests/browser/phone-layout.test.js
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { PHONE, DESKTOP, LANGS, setup, open, screenshotDir } = require('./harness.js');

// Home, a guide page, the long pages whose three-column tables overflowed in ru and kk, an
// operator page and the comparison.
const PAGES = ['', 'steps/online/', 'why/', 'imei/', 'steps/', 'operators/kcell/', 'operators/'];
const OPERATORS = ['kcell', 'activ', 'beeline', 'tele2', 'altel', 'izi'];

let env;
before(async () => { env = await setup(); });
after(async () => { if (env) await env.close(); });

/** Every visible element sticking out of the viewport, except inside a scroll box. */
function overflowing() {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-wrap, .vh, .skip, [hidden]')) continue;
    let up = el.parentElement, inScroller = false;
    for (; up && up !== document.body; up = up.parentElement) if (scrolls(up)) { inScroller = true; break; }
    if (inScroller) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  if (document.documentElement.scrollWidth > width) out.push(`page scrollWidth ${document.documentElement.scrollWidth}`);
  return out;
}

test('on a phone nothing is wider than the screen outside a scroll box, in every language', { timeout: 180000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  for (const lang of LANGS) {
    for (const p of PAGES) {
      const url = `${env.base}${lang}/${p}`;
      const { page, problems } = await open(context, url);
      assert.deepEqual(await page.evaluate(overflowing), [], `${url}: wider than 390 px`);
      // Every table of the text sits in a scroll box; the facts box stacks its rows instead.
      const loose = await page.$$eval('main table', (ts) => ts.filter((t) => !t.closest('.table-wrap, .facts')).length);
      assert.equal(loose, 0, `${url}: a table outside .table-wrap`);
      const boxes = await page.$$eval('.content .table-wrap', (ws) => ws.map((w) => [w.getAttribute('role'), w.tabIndex, w.getAttribute('aria-label')]));
      for (const [role, tabIndex, label] of boxes) {
        assert.equal(role, 'region', url);
        assert.equal(tabIndex, 0, url);
        assert.ok(label && label.length > 1, `${url}: a table box without a label`);
      }
      assert.deepEqual(problems, [], url);
      await page.close();
    }
  }
  await context.close();
});

test('a table box scrolls sideways and down with its first column and header row in view', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  for (const lang of ['ru', 'kk', 'zh']) {
    const { page } = await open(context, `${env.base}${lang}/steps/online/`);
    const moved = await page.evaluate(() => {
      const wrap = [...document.querySelectorAll('.content .table-wrap')].find((w) => w.querySelector('thead') && w.querySelectorAll('tbody tr').length >= 2);
      if (!wrap) return 'no table with a header and two rows';
      // A box narrower and shorter than its table, as a long, wide table is on a phone.
      wrap.style.width = '180px';
      wrap.style.maxHeight = '110px';
      const head = wrap.querySelector('thead th');
      const firstCell = wrap.querySelector('tbody tr:last-child > :first-child');
      const lastHead = wrap.querySelector('thead th:last-child');
      const box = wrap.getBoundingClientRect();
      if (wrap.scrollWidth <= wrap.clientWidth || wrap.scrollHeight <= wrap.clientHeight) return 'the box does not scroll';
      const shadow = getComputedStyle(wrap).backgroundImage;
      const before = { cell: firstCell.getBoundingClientRect().left, lastHead: lastHead.getBoundingClientRect().left };
      wrap.scrollLeft = 80;
      wrap.scrollTop = 60;
      return {
        shadow,
        cellLeft: [before.cell, firstCell.getBoundingClientRect().left],
        lastHeadMoved: before.lastHead - lastHead.getBoundingClientRect().left,
        headTop: [box.top, head.getBoundingClientRect().top],
        scrolled: [wrap.scrollLeft, wrap.scrollTop],
      };
    });
    assert.equal(typeof moved, 'object', `${lang}: ${moved}`);
    assert.ok(moved.scrolled[0] > 0 && moved.scrolled[1] > 0, `${lang}: the box did not scroll`);
    assert.match(moved.shadow, /radial-gradient/, `${lang}: no scroll shadow`);
    assert.ok(Math.abs(moved.cellLeft[0] - moved.cellLeft[1]) < 1, `${lang}: the first column moved ${moved.cellLeft}`);
    assert.ok(moved.lastHeadMoved > 40, `${lang}: the other columns did not scroll`);
    assert.ok(Math.abs(moved.headTop[0] - moved.headTop[1]) < 2, `${lang}: the header row scrolled away ${moved.headTop}`);
    await page.close();
  }
  await context.close();
});

/** The comparison's cards and table as a reader sees them. */
async function comparison(page) {
  return page.evaluate(() => {
    const shown = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
    const table = document.querySelector('.compare-table');
    const wrapBox = table.getBoundingClientRect();
    return {
      cards: shown(document.querySelector('.compare-cards')),
      table: shown(table),
      cardNames: [...document.querySelectorAll('.compare-card h3 a')].map((a) => a.getAttribute('href')),
      // Operator columns, and whether each lies fully inside the box without scrolling.
      columns: [...table.querySelectorAll('thead th a')].map((a) => {
        const r = a.closest('th').getBoundingClientRect();
        return { href: a.getAttribute('href'), inside: r.left >= wrapBox.left - 1 && r.right <= wrapBox.right + 1 };
      }),
      scrolls: table.scrollWidth > table.clientWidth,
      unconfirmed: [...document.querySelectorAll('.compare-cards .fact-unconfirmed dd, .compare-table td.fact-unconfirmed')]
        .map((d) => d.textContent.trim()),
      badge: document.querySelector('.legend .status-unconfirmed')?.textContent.trim(),
      legend: document.querySelector('.legend')?.textContent ?? '',
    };
  });
}

test('the comparison: one card per operator on a phone, badges and one explanation', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  for (const lang of LANGS) {
    const url = `${env.base}${lang}/operators/`;
    const { page } = await open(context, url);
    const c = await comparison(page);
    assert.ok(c.cards && !c.table, `${url}: cards on a phone, not the table`);
    assert.deepEqual(c.cardNames.map((h) => h.split('/').at(-2)), OPERATORS, url);
    assert.ok(c.unconfirmed.length > 0, `${url}: the data has unconfirmed facts`);
    // Each unconfirmed cell is the short badge alone; the legend explains it once.
    for (const text of c.unconfirmed) assert.equal(text, c.badge, `${url}: a long unconfirmed cell`);
    assert.ok(c.legend.length > c.badge.length + 5, `${url}: the legend explains the badge`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, `${url}: wider than the phone`);
    await page.close();
  }
  await context.close();
});

test('the comparison shows every operator on a 1,280 px desktop and on A4 paper', { timeout: 90000 }, async () => {
  const desktop = await env.browser.newContext(DESKTOP);
  for (const lang of LANGS) {
    const url = `${env.base}${lang}/operators/`;
    const { page } = await open(desktop, url);
    const c = await comparison(page);
    assert.ok(c.table && !c.cards, `${url}: the table on a desktop`);
    assert.deepEqual(c.columns.map((col) => col.href.split('/').at(-2)), OPERATORS, url);
    assert.ok(!c.scrolls, `${url}: the table scrolls on a desktop`);
    for (const col of c.columns) assert.ok(col.inside, `${url}: ${col.href} is out of view`);
    await page.close();
  }
  await desktop.close();
  // A4 is 210 mm: 794 CSS px, about 720 px inside Chromium's default print margins.
  const paper = await env.browser.newContext({ viewport: { width: 720, height: 1000 } });
  for (const lang of LANGS) {
    const url = `${env.base}${lang}/operators/`;
    const { page } = await open(paper, url);
    await page.emulateMedia({ media: 'print' });
    const c = await comparison(page);
    assert.ok(c.table && !c.cards, `${url}: the table on paper`);
    assert.equal(c.columns.length, OPERATORS.length, url);
    assert.ok(!c.scrolls, `${url}: a column is cut on paper`);
    for (const col of c.columns) assert.ok(col.inside, `${url}: ${col.href} is cut on paper`);
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10000 && pdf.subarray(0, 5).toString() === '%PDF-', `${url}: no PDF`);
    // Printed links to the web carry their address, the source list included.
    const after = await page.$eval('.sources a[href^="http"]', (a) => getComputedStyle(a, '::after').content);
    assert.match(after, /attr\(href\)|http/, `${url}: a printed source without its URL`);
    await page.close();
  }
  await paper.close();
});

test('Chinese is never slanted, and zh labels use full-width punctuation', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  for (const p of [...PAGES, 'operators/izi/', 'faq/']) {
    const url = `${env.base}zh/${p}`;
    const { page } = await open(context, url);
    const slanted = await page.evaluate(() => {
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!/\p{Script=Han}/u.test(n.textContent)) continue;
        const style = getComputedStyle(n.parentElement).fontStyle;
        if (style !== 'normal') out.push(`${n.parentElement.tagName}: ${n.textContent.trim().slice(0, 20)} (${style})`);
      }
      return out;
    });
    assert.deepEqual(slanted, [], `${url}: slanted Chinese`);
    const reviewed = await page.$$eval('.reviewed', (ps) => ps.map((x) => x.textContent));
    for (const text of reviewed) assert.match(text, /：/, `${url}: "${text}" has a Western colon`);
    assert.ok(reviewed.every((t) => !/[\u4e00-\u9fff]: /.test(t)), url);
    await page.close();
  }
  await context.close();
});

/** WCAG contrast ratio of two computed `rgb()` colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('borders of the search box, cards and tables reach 3:1 in light and dark', { timeout: 120000 }, async () => {
  for (const colorScheme of ['light', 'dark']) {
    const context = await env.browser.newContext({ ...PHONE, colorScheme });
    for (const [p, selector] of [['', '.search-input'], ['', '.cards li'], ['operators/', '.compare-card'],
      ['operators/kcell/', '.facts'], ['steps/online/', '.content .table-wrap td']]) {
      const url = `${env.base}en/${p}`;
      const { page } = await open(context, url);
      if (selector === '.search-input') await page.waitForSelector('.search:not([hidden])');
      const [border, background] = await page.$eval(selector, (el) => {
        let bg = 'rgba(0, 0, 0, 0)';
        for (let up = el.parentElement; up; up = up.parentElement) {
          bg = getComputedStyle(up).backgroundColor;
          if (!/rgba\(.*, 0\)$/.test(bg)) break;
        }
        return [getComputedStyle(el).borderTopColor, bg];
      });
      const ratio = contrast(border, background);
      assert.ok(ratio >= 3, `${url} ${selector} (${colorScheme}): ${border} on ${background} is ${ratio.toFixed(2)}:1`);
      await page.close();
    }
    await context.close();
  }
});

test('the home offers the operators once, its checklist has no fake checkboxes', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  for (const lang of LANGS) {
    const url = `${env.base}${lang}/`;
    const { page } = await open(context, url);
    // Lists and tables in the main column that link to two or more operator pages.
    const pickers = await page.$$eval('main :is(ul, ol, table)', (els) => els.filter((el) => {
      const ops = new Set([...el.querySelectorAll('a')].map((a) => a.getAttribute('href').match(/operators\/([a-z0-9]+)\//)?.[1]).filter(Boolean));
      return ops.size >= 2 && !el.parentElement.closest('main :is(ul, ol, table)');
    }).length);
    assert.equal(pickers, 1, `${url}: the operator choice is offered ${pickers} times`);
    assert.equal(await page.locator('main input[type=checkbox]').count(), 0, `${url}: checkboxes that do nothing`);
    assert.ok(await page.locator('#checklist + ul > li').count() >= 5, `${url}: the checklist is a list`);
    await page.close();
  }
  await context.close();
});

test('USSD codes dial when tapped', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  for (const lang of LANGS) {
    const url = `${env.base}${lang}/operators/activ/`;
    const { page } = await open(context, url);
    const links = await page.$$eval('main a[href^="tel:"]', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.ok(links.length >= 2, `${url}: no tel: links`);
    for (const [href, text] of links) {
      assert.match(text, /^[*#][\d*#]*#$/, url);
      assert.equal(href, `tel:${text.replaceAll('#', '%23')}`, url);
    }
    await page.close();
  }
  await context.close();
});

test('the root picker: one big button per language with the title in that language', { timeout: 60000 }, async () => {
  const context = await env.browser.newContext({ ...PHONE, locale: 'de-DE' });
  const { page, problems } = await open(context, env.base);
  const buttons = await page.$$eval('ul.languages a', (as) => as.map((a) => ({
    name: a.querySelector('.language-name')?.textContent,
    title: a.querySelector('.language-title')?.textContent,
    height: a.closest('li').getBoundingClientRect().height,
    nameSize: parseFloat(getComputedStyle(a.querySelector('.language-name')).fontSize),
    titleSize: parseFloat(getComputedStyle(a.querySelector('.language-title')).fontSize),
  })));
  assert.equal(buttons.length, 4);
  for (const b of buttons) {
    assert.ok(b.name && b.title, JSON.stringify(b));
    assert.ok(b.height >= 48, `a button ${b.height}px tall`);
    assert.ok(b.nameSize > b.titleSize, 'the language name is the big text');
  }
  assert.equal(await page.locator('h1').count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('screenshots of home, a guide page, an operator and the comparison in every language', { timeout: 120000 }, async () => {
  const dir = screenshotDir('phone');
  const context = await env.browser.newContext(PHONE);
  const shots = { home: '', guide: 'steps/online/', operator: 'operators/kcell/', comparison: 'operators/' };
  for (const lang of LANGS) {
    for (const [name, p] of Object.entries(shots)) {
      const { page } = await open(context, `${env.base}${lang}/${p}`);
      const file = path.join(dir, `${lang}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(require('node:fs').statSync(file).size > 5000, file);
      await page.close();
    }
  }
  await context.close();
});

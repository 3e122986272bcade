// Issue 12, the files around the pages, in Debian's Chromium: JSON-LD in every language, link
// previews and the web manifest, the 404 page (from disk, at /guide/404.html and at missing
// nested URLs, served like a real host does), and offline reading through the service worker,
// including its replacement by the next build. This file rebuilds the served site last.
//
//   cargo build --release && STEPPE_BIN=target/release/steppe node --test tests/browser/webfiles.test.js
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const { REPO, PHONE, LANGS, setup, open, axe, steppe } = require('./harness');

let env;
before(async () => { env = await setup(); });
after(async () => { if (env) await env.close(); });

const TAGS = { zh: 'zh-Hans', en: 'en', ru: 'ru', kk: 'kk' };
const LOCALES = { zh: 'zh-CN', en: 'en-US', ru: 'ru-RU', kk: 'kk-KZ' };

/** Every JSON-LD node of the page, parsed as the browser reads the script text. */
function jsonLd(page) {
  return page.evaluate(() => [...document.querySelectorAll('script[type="application/ld+json"]')]
    .flatMap((s) => {
      const v = JSON.parse(s.textContent);
      if (v['@context'] !== 'https://schema.org') throw new Error('@context');
      return v['@graph'];
    }));
}

/** Fetches each URL from Node; returns the ones that do not answer 200. */
async function broken(urls) {
  const statuses = await Promise.all(urls.map((u) => fetch(u)
    .then(async (r) => { await r.arrayBuffer(); return r.ok ? null : `${r.status} ${u}`; }, (e) => `${e} ${u}`)));
  return statuses.filter(Boolean);
}

test('JSON-LD parses in every language with the properties Google requires', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  try {
    for (const lang of LANGS) {
      const urls = [];
      const home = await open(context, `${env.base}${lang}/`);
      const nodes = await jsonLd(home.page);
      const site = nodes.find((n) => n['@type'] === 'WebSite');
      assert.ok(site, `${lang}: WebSite`);
      assert.equal(site.inLanguage, TAGS[lang]);
      assert.equal(site.url, `${env.base}${lang}/`);
      assert.ok(site.name.length > 3);
      const org = nodes.find((n) => n['@type'] === 'Organization');
      assert.ok(org && org.name && org.url === env.base, `${lang}: Organization`);
      urls.push(site.url, org.url, org.logo);
      await home.page.close();

      const faq = await open(context, `${env.base}${lang}/faq/`);
      const faqNodes = await jsonLd(faq.page);
      const page = faqNodes.find((n) => n['@type'] === 'FAQPage');
      assert.ok(page, `${lang}: FAQPage`);
      assert.ok(page.mainEntity.length >= 10, `${lang}: ${page.mainEntity.length} questions`);
      for (const q of page.mainEntity) {
        assert.equal(q['@type'], 'Question');
        assert.match(q.name, /[?？]$/, `${lang}: ${q.name}`);
        assert.equal(q.acceptedAnswer['@type'], 'Answer');
        assert.ok(q.acceptedAnswer.text.length > 20, `${lang}: answer to ${q.name}`);
        assert.ok(!/<[a-z]/i.test(q.acceptedAnswer.text), 'answers are plain text');
      }
      await faq.page.close();

      const steps = await open(context, `${env.base}${lang}/steps/`);
      const howto = (await jsonLd(steps.page)).find((n) => n['@type'] === 'HowTo');
      assert.ok(howto && howto.name, `${lang}: HowTo`);
      assert.ok(howto.step.length >= 3, `${lang}: steps`);
      for (const s of howto.step) assert.ok(s['@type'] === 'HowToStep' && s.text, `${lang}: step`);
      urls.push(...howto.step.map((s) => s.url.split('#')[0]));
      await steps.page.close();

      const deep = await open(context, `${env.base}${lang}/operators/activ/`);
      const crumbs = (await jsonLd(deep.page)).find((n) => n['@type'] === 'BreadcrumbList');
      assert.ok(crumbs, `${lang}: BreadcrumbList`);
      assert.deepEqual(crumbs.itemListElement.map((i) => i.position), [1, 2, 3]);
      for (const i of crumbs.itemListElement) assert.ok(i['@type'] === 'ListItem' && i.name && i.item);
      assert.equal(crumbs.itemListElement[2].item, `${env.base}${lang}/operators/activ/`);
      urls.push(...crumbs.itemListElement.map((i) => i.item));
      assert.deepEqual(deep.problems, []);
      await deep.page.close();
      assert.deepEqual(await broken([...new Set(urls)]), [], `${lang}: URLs in JSON-LD`);
    }
  } finally {
    await context.close();
  }
});

test('link previews, theme colours and the web manifest', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  try {
    for (const lang of LANGS) {
      const { page, problems } = await open(context, `${env.base}${lang}/imei/`);
      const meta = await page.evaluate(() => {
        const m = (sel) => [...document.querySelectorAll(sel)].map((e) => e.content || e.href);
        return {
          image: m('meta[property="og:image"]'), alt: m('meta[property="og:image:alt"]'),
          card: m('meta[name="twitter:card"]'), colours: m('meta[name="theme-color"]'),
          manifest: m('link[rel="manifest"]'),
        };
      });
      assert.equal(meta.image.length, 1);
      assert.ok(meta.alt[0].length > 3, 'og:image:alt');
      assert.deepEqual(meta.card, ['summary_large_image']);
      assert.equal(meta.colours.length, 2, 'light and dark theme-color');
      const image = await fetch(meta.image[0]);
      assert.equal(image.status, 200, meta.image[0]);
      assert.equal(image.headers.get('content-type'), 'image/png');
      await image.arrayBuffer();
      const manifestUrl = meta.manifest[0];
      const manifest = await (await fetch(manifestUrl)).json();
      for (const key of ['name', 'short_name', 'start_url', 'scope', 'display', 'theme_color', 'background_color']) {
        assert.ok(manifest[key], `${lang}: manifest ${key}`);
      }
      const icons = manifest.icons.map((i) => new URL(i.src, manifestUrl).href);
      assert.ok(manifest.icons.some((i) => i.sizes === '512x512' && i.type === 'image/png'));
      assert.deepEqual(await broken([...icons, new URL(manifest.start_url, manifestUrl).href]), []);
      assert.equal(new URL(manifest.scope, manifestUrl).href, env.base, 'the whole site is in scope');
      assert.deepEqual(problems, []);
      await page.close();
    }
  } finally {
    await context.close();
  }
});

/** What the 404 page shows: its visible language block, whether style.css applied, its links. */
function notFoundFacts(page) {
  return page.evaluate(() => {
    const shown = [...document.querySelectorAll('.not-found-lang')].filter((s) => s.offsetParent !== null);
    return {
      shown: shown.map((s) => s.dataset.lang),
      h1: shown.map((s) => s.querySelector('h1').textContent),
      lang: document.documentElement.lang,
      title: document.title,
      // style.css sets the body's margin to 0; a browser's own is 8px.
      styled: getComputedStyle(document.body).marginLeft === '0px'
        && [...document.styleSheets].some((s) => /\/static\/style\.[0-9a-f]+\.css$/.test(s.href || '')),
      links: [...new Set([...document.querySelectorAll('a[href], link[rel=icon], link[rel=stylesheet]')]
        .map((a) => a.href.split('#')[0]))],
      homes: [...document.querySelectorAll('.not-found-lang form')].map((f) => f.action),
    };
  });
}

/** The problems besides Chromium's console line for the 404 document itself (any other 404
 * still shows as its own `HTTP 404: url` line). */
function otherThanThe404(problems, status) {
  return problems.filter((p) => !(status === 404 && p === 'console: Failed to load resource: the server responded with a status of 404 (Not Found)'));
}

const TITLES = { zh: '找不到这个页面', en: 'Page not found', ru: 'Страница не найдена', kk: 'Бет табылмады' };

test('404 from disk: styled, in the browser language, links to files that exist', { timeout: 120000 }, async () => {
  for (const lang of ['ru', 'kk']) {
    const context = await env.browser.newContext({ ...PHONE, locale: LOCALES[lang] });
    const { page, problems } = await open(context, env.fileUrl('404.html'));
    const f = await notFoundFacts(page);
    assert.deepEqual(f.shown, [lang]);
    assert.deepEqual(f.h1, [TITLES[lang]]);
    assert.equal(f.lang, TAGS[lang]);
    assert.ok(f.title.startsWith(TITLES[lang]), f.title);
    assert.ok(f.styled, 'style.css applied from disk');
    assert.ok(f.links.length >= 6, f.links.join(' '));
    for (const l of f.links.concat(f.homes)) {
      assert.ok(l.startsWith('file:'), l);
      assert.ok(fs.existsSync(fileURLToPath(l.split('?')[0])), `${l} exists`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('404 served by the host: at /guide/404.html and at missing nested URLs', { timeout: 120000 }, async () => {
  const cases = [
    // [URL, browser locale, expected language, expected status]
    ['404.html', 'de-DE', 'zh', 200],
    ['ru/no/such/page', 'en-US', 'ru', 404],
    ['kk/steps/gone/', 'ru-RU', 'kk', 404],
    ['nope/deeper/x.html', 'en-US', 'en', 404],
    ['static/old.css', 'ru-RU', 'ru', 404],
  ];
  for (const [rel, locale, lang, status] of cases) {
    const context = await env.browser.newContext({ ...PHONE, locale });
    const { page, problems } = await open(context, env.base + rel, { status });
    const f = await notFoundFacts(page);
    assert.deepEqual(f.shown, [lang], rel);
    assert.deepEqual(f.h1, [TITLES[lang]], rel);
    assert.equal(f.lang, TAGS[lang], rel);
    assert.ok(f.styled, `${rel}: style.css applied`);
    assert.ok(f.links.every((l) => l.startsWith(env.base)), `${rel}: ${f.links}`);
    assert.deepEqual(await broken(f.links.concat(f.homes)), [], `${rel}: links`);
    if (rel === 'ru/no/such/page') assert.deepEqual(await axe(page), [], `${rel}: axe`);
    assert.deepEqual(otherThanThe404(problems, status), [], `${rel}: console or network errors`);
    await context.close();
  }
});

test('404 without base_url: the language segment or its own folder finds the root', { timeout: 120000 }, async () => {
  const bare = await setup({ baseUrl: false });
  try {
    for (const [rel, lang, status] of [['ru/no/such/page', 'ru', 404], ['404.html', 'en', 200]]) {
      const context = await bare.browser.newContext({ ...PHONE, locale: 'en-US' });
      const { page, problems } = await open(context, bare.base + rel, { status });
      const f = await notFoundFacts(page);
      assert.deepEqual(f.shown, [lang], rel);
      assert.ok(f.styled, `${rel}: style.css applied`);
      assert.ok(f.links.every((l) => l.startsWith(bare.base)), `${rel}: ${f.links}`);
      assert.deepEqual(await broken(f.links.concat(f.homes)), [], `${rel}: links`);
      assert.deepEqual(otherThanThe404(problems, status), [], `${rel}: console or network errors`);
      await context.close();
    }
  } finally {
    await bare.close();
  }
});

test('the 404 search form lands on the language home with results', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext({ ...PHONE, locale: 'ru-RU' });
  try {
    const { page, problems } = await open(context, `${env.base}ru/old/link`, { status: 404 });
    await page.fill('#nf-q-ru', 'пополнение');
    await Promise.all([page.waitForURL(/\/ru\/index\.html\?q=/), page.click('section[data-lang=ru] button')]);
    await page.waitForFunction(() => document.querySelector('#search-listbox')?.dataset.query === 'пополнение');
    assert.ok(await page.locator('#search-listbox [role=option]').count() > 0, 'results');
    assert.deepEqual(otherThanThe404(problems, 404), []);
  } finally {
    await context.close();
  }
});

/** Waits until the worker has stored `lang` (its list is in a cache: the mark it writes last),
 * then checks every listed file is there. */
async function waitForStored(page, root, lang) {
  const list = new URL(`offline/${lang}.json`, root).href;
  // Polled in the page: waitForFunction takes a returned promise itself as true.
  const found = await page.evaluate(async (u) => {
    for (const end = Date.now() + 60000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
      if (await caches.match(u)) return true;
    }
    return false;
  }, list);
  assert.ok(found, `${list} stored within 60 s`);
  return page.evaluate(async ([root, u]) => {
    const files = await (await fetch(u)).json();
    const missing = [];
    for (const f of files.pages.concat(files.search)) {
      if (!(await caches.match(new URL(f, root).href))) missing.push(f);
    }
    return { keys: await caches.keys(), pages: files.pages.length, search: files.search.length, missing };
  }, [root, list]);
}

test('offline: after one visit, pages of the language and its search work without a network', { timeout: 600000 }, async () => {
  for (const lang of LANGS) {
    const context = await env.browser.newContext(PHONE);
    try {
      const { page, problems } = await open(context, `${env.base}${lang}/`);
      const stored = await waitForStored(page, env.base, lang);
      assert.deepEqual(stored.missing, [], `${lang}: every listed file is stored`);
      assert.ok(stored.pages >= 20 && stored.search >= 2, JSON.stringify(stored));
      assert.equal(stored.keys.length, 1, 'one cache for this build');
      // Off the network: the page's requests (setOffline) and the worker's (the host drops
      // every connection; setOffline does not reach a service worker's fetches).
      env.server.unreachable = true;
      await context.setOffline(true);
      await page.reload({ waitUntil: 'load' });
      assert.equal(await page.evaluate(() => document.documentElement.lang), TAGS[lang]);
      // Another page, by its file name and by its folder URL (as search results link).
      for (const rel of [`${lang}/faq/index.html`, `${lang}/operators/kcell/`]) {
        const r = await page.goto(env.base + rel, { waitUntil: 'load' });
        assert.equal(r.status(), 200, rel);
        assert.ok(await page.evaluate(() => getComputedStyle(document.body).marginLeft === '0px'), `${rel}: styled offline`);
      }
      const word = { zh: '充值', en: 'top up', ru: 'пополнение', kk: 'толықтыру' }[lang];
      await page.fill('#search-input', word);
      await page.waitForFunction((w) => document.querySelector('#search-listbox')?.dataset.query === w, word);
      assert.ok(await page.locator('#search-listbox [role=option]').count() > 0, `${lang}: offline search results`);
      // Truly offline: a language never visited is not there.
      const other = LANGS.find((l) => l !== lang);
      await assert.rejects(page.goto(`${env.base}${other}/faq/index.html`), /ERR_FAILED/);
      const otherUrl = `${env.base}${other}/faq/index.html`;
      // The browser's own favicon request may be cancelled by the next navigation (ERR_ABORTED):
      // that is the browser moving on, not the site failing.
      const cancelledIcon = (p) => /\/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED$/.test(p);
      assert.deepEqual(problems.filter((p) => !p.includes(otherUrl) && !cancelledIcon(p)), [], `${lang}: problems`);
    } finally {
      env.server.unreachable = false;
      await context.close();
    }
  }
});

test('the worker is registered over http, never from disk', { timeout: 120000 }, async () => {
  const context = await env.browser.newContext(PHONE);
  // Records registrations instead of making them.
  await context.addInitScript(() => {
    window.__registered = [];
    if (navigator.serviceWorker) {
      navigator.serviceWorker.register = (url, o) => { window.__registered.push([url, o.scope]); return new Promise(() => {}); };
    }
  });
  try {
    const disk = await open(context, env.fileUrl('en/faq/index.html'));
    assert.deepEqual(await disk.page.evaluate(() => window.__registered), []);
    assert.deepEqual(disk.problems, []);
    const web = await open(context, `${env.base}en/faq/`);
    assert.deepEqual(await web.page.evaluate(() => window.__registered), [[`${env.base}sw.js`, env.base]]);
    assert.deepEqual(web.problems, []);
  } finally {
    await context.close();
  }
});

test('a new build gives a new worker, which replaces the old cache', { timeout: 180000 }, async () => {
  // The same site with one page changed, built over the served folder.
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'steppe-sw-update-'));
  for (const item of ['site.yaml', 'content', 'data', 'i18n', 'search', 'glossary.yaml']) {
    if (fs.existsSync(path.join(REPO, item))) fs.cpSync(path.join(REPO, item), path.join(copy, item), { recursive: true });
  }
  const faq = path.join(copy, 'content', 'en', 'faq.md');
  fs.writeFileSync(faq, `${fs.readFileSync(faq, 'utf8')}\nA sentence added by the update test.\n`);
  const context = await env.browser.newContext(PHONE);
  try {
    const { page, problems } = await open(context, `${env.base}en/`);
    await waitForStored(page, env.base, 'en');
    const before = await page.evaluate(() => caches.keys());
    assert.equal(before.length, 1);
    steppe(['build', '--quiet', '--root', copy, '--out', env.site, '--base-url', env.base]);
    // A navigation makes the browser compare sw.js; the new one installs and takes over.
    await page.reload({ waitUntil: 'load' });
    const after = await page.evaluate(async (old) => {
      for (const end = Date.now() + 60000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
        const keys = await caches.keys();
        if (keys.length === 1 && keys[0] !== old) return keys;
      }
      return caches.keys();
    }, before[0]);
    assert.equal(after.length, 1, `only the new cache is left: ${after}`);
    assert.notEqual(after[0], before[0]);
    // The language the reader had is stored again in the new cache, with the changed page.
    const stored = await waitForStored(page, env.base, 'en');
    assert.deepEqual(stored.missing, []);
    const text = await page.evaluate(async (u) => (await (await caches.match(u)).text()), `${env.base}en/faq/index.html`);
    assert.ok(text.includes('A sentence added by the update test.'), 'the stored page is the new one');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

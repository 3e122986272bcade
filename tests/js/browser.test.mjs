// The search box in Debian's Chromium (headless, phone-sized): type, wait for the options, press
// Enter, check where the browser went. Once over http:// under a sub-path (/guide/), once from
// file://. A missing Chromium fails the test: CI installs it (.ci/run).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { builtSite } from "./site.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage"];
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".css": "text/css", ".svg": "image/svg+xml", ".xml": "application/xml" };

/** Serves `root` under /guide/, the way a static host serves a site in a sub-path. */
function serve(root) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!url.startsWith("/guide/")) return res.writeHead(404).end();
    let file = path.join(root, url.slice("/guide/".length));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let site, server, browser, base;
before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  site = builtSite();
  server = await serve(site);
  base = `http://127.0.0.1:${server.address().port}/guide/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** A phone-sized page that records script errors. */
async function phone(url) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  return { page, errors, context };
}

/** Presses `/`, types `query` key by key, waits for the options; returns their texts. */
async function typeQuery(page, query) {
  await page.keyboard.press("/");
  const input = page.locator("#search-input");
  assert.equal(await input.evaluate((el) => el === document.activeElement), true, "/ focuses the box");
  await page.keyboard.type(query, { delay: 60 });
  // Options for an earlier prefix may show first; wait for the ones answering the whole query.
  await page.waitForFunction((q) => document.querySelector("[role=listbox]").dataset.query === q, query, { timeout: 10000 });
  await page.locator("[role=option]").first().waitFor({ timeout: 10000 });
  assert.equal(await input.getAttribute("aria-expanded"), "true");
  return page.locator("[role=option]").allInnerTexts();
}

const cases = [
  // [language, start page, query, expected path and anchor after Enter]
  ["ru", "ru/steps/", "проверить баланс", "ru/steps/online/#check-balance"],
  ["kk", "kk/", "сур тизимдер", "kk/imei/#grey-list"],
  ["zh", "zh/faq/", "灰名单", "zh/imei/#grey-list"],
  ["en", "en/operators/kcell/", "number portability", "en/steps/office/#porting"],
];

describe("over http:// under a sub-path", () => {
  for (const [lang, start, query, expected] of cases) {
    test(`${lang}: ${query} → ${expected}`, async () => {
      const { page, errors, context } = await phone(base + start);
      const options = await typeQuery(page, query);
      assert.ok(options.length > 0);
      const marks = await page.locator("[role=option] mark").count();
      assert.ok(marks > 0, "matched words are highlighted");
      await page.keyboard.press("ArrowDown");
      assert.equal(await page.locator("[role=option][aria-selected=true]").count(), 1);
      await Promise.all([page.waitForURL((u) => !u.href.startsWith(base + start) || u.hash), page.keyboard.press("Enter")]);
      const url = decodeURI(page.url());
      assert.equal(url, base + expected);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  test("no results shows the language's message; Escape closes and clears", async () => {
    const { page, errors, context } = await phone(base + "en/");
    await page.keyboard.press("/");
    await page.keyboard.type("xylophonezzz", { delay: 20 });
    const status = page.locator(".search-status");
    await page.waitForFunction(() => document.querySelector(".search-status").textContent.length > 0);
    assert.match(await status.textContent(), /No results/);
    await page.keyboard.press("Escape");
    assert.equal(await page.locator("#search-input").inputValue(), "");
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe("the box says what it is doing", () => {
  const note = (page) => page.locator(".search-note");
  const visible = (page) => note(page).evaluate((el) => !el.hidden && el.getBoundingClientRect().height > 0);

  test("a typo shows a visible did-you-mean that searches the correction", async () => {
    const { page, errors, context } = await phone(base + "en/");
    await typeQuery(page, "regstration");
    await page.locator(".search-suggestion").waitFor();
    assert.equal(await visible(page), true);
    assert.equal(await page.locator(".search-suggestion").textContent(), "registration");
    assert.match(await page.locator(".search-status").textContent(), /Did you mean registration\?/);
    await page.locator(".search-suggestion").click();
    await page.waitForFunction(() => document.querySelector("#search-input").value === "registration");
    await page.waitForFunction(() => document.querySelector(".search-note").hidden);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("no results names the query, visibly and for screen readers", async () => {
    const { page, errors, context } = await phone(base + "ru/");
    await page.keyboard.press("/");
    await page.keyboard.type("xylophonezzz", { delay: 20 });
    // A prefix ("x") can have no results first and show its own note; wait for the note that
    // answers the whole query (CI once read the prefix's).
    await page.waitForFunction(() => {
      const el = document.querySelector(".search-note");
      return !el.hidden && el.textContent.includes("xylophonezzz");
    }, null, { timeout: 10000 });
    assert.equal(await visible(page), true);
    assert.match(await note(page).textContent(), /Ничего не найдено по запросу “xylophonezzz”/);
    assert.equal(await page.locator(".search-status").textContent(), await note(page).textContent());
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("an index that cannot load says so, visibly", async () => {
    const { page, context } = await phone(base + "en/");
    await page.route("**/search/en/**", (route) => route.abort());
    await page.keyboard.press("/");
    await page.keyboard.type("balance", { delay: 20 });
    await page.waitForFunction(() => !document.querySelector(".search-note").hidden);
    assert.equal(await visible(page), true);
    assert.match(await note(page).textContent(), /Search could not load/);
    assert.match(await page.locator(".search-status").textContent(), /Search could not load/);
    await context.close();
  });

  test("on a slow network: searching… shows, and Enter before the results opens the first", async () => {
    const { page, errors, context } = await phone(base + "en/");
    await page.route("**/search/en/**", async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.keyboard.press("/");
    await page.keyboard.type("number portability", { delay: 10 });
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector(".search-note").textContent === "Searching…");
    assert.equal(await visible(page), true);
    await page.waitForURL((u) => u.hash !== "", { timeout: 15000 });
    assert.equal(decodeURI(page.url()), base + "en/steps/office/#porting");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("two letters already complete, in Cyrillic and Latin", async () => {
    for (const [lang, q] of [["ru", "ба"], ["en", "ba"]]) {
      const { page, errors, context } = await phone(base + lang + "/");
      const options = await typeQuery(page, q);
      assert.ok(options.length > 0, q);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test("snippets show no table separators; the highlight keeps 3:1 in light and dark", async () => {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(base + "en/operators/activ/");
      const options = await typeQuery(page, "balance check");
      for (const o of options) assert.doesNotMatch(o, / \| | · /, o);
      const ratio = await page.locator("[role=option] mark").first().evaluate((mark) => {
        const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => {
          const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        // The underline's colour against the panel behind the result.
        const line = rgb(getComputedStyle(mark).boxShadow.match(/rgba?\([^)]*\)/)[0]);
        const back = rgb(getComputedStyle(mark.closest(".search-panel")).backgroundColor);
        const [a, b] = [lum(line), lum(back)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      });
      assert.ok(ratio >= 3, `${scheme}: ${ratio}`);
      await context.close();
    }
  });
});

test("the open search box passes axe (no serious or critical issue)", async () => {
  const { page, errors, context } = await phone(base + "zh/");
  await typeQuery(page, "余额");
  await page.keyboard.press("ArrowDown");
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(() => axe.run(".search"));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help}`), []);
  assert.deepEqual(errors, []);
  await context.close();
});

describe("from file://", () => {
  for (const [lang, start, query, expected] of cases.slice(0, 2)) {
    test(`${lang}: ${query} → ${expected}`, async () => {
      const startUrl = pathToFileURL(path.join(site, start, "index.html")).href;
      const { page, errors, context } = await phone(startUrl);
      await typeQuery(page, query);
      await Promise.all([page.waitForURL((u) => u.href !== startUrl), page.keyboard.press("Enter")]);
      const [file, anchor] = expected.split("#");
      const want = pathToFileURL(path.join(site, file, "index.html")).href + "#" + anchor;
      assert.equal(decodeURI(page.url()), decodeURI(want));
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});

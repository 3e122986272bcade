// Shared setup of the browser suite: builds the real site once per test file with the real
// binary, serves it under /guide/ on 127.0.0.1, launches Debian's Chromium, and offers helpers
// that record every console error and failed request. Each `*.test.js` here requires it.
//
// STEPPE_BIN=path/to/steppe uses that binary instead of `cargo run --release`;
// STEPPE_ROOT=dir builds another site folder; CHROMIUM=path overrides /usr/bin/chromium.
// Missing Chromium or npm packages fail the run; nothing is ever skipped.
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');
const { serve } = require('./static-server');

const REPO = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const LANGS = ['zh', 'en', 'ru', 'kk'];
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitForServer(url, ms) {
  const end = Date.now() + ms;
  for (;;) {
    try { if ((await fetch(url)).ok) return; } catch { /* not up yet */ }
    if (Date.now() > end) throw new Error(`server at ${url} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the steppe binary with `args` from the repo root. */
function steppe(args) {
  const opts = { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] };
  if (process.env.STEPPE_BIN) execFileSync(process.env.STEPPE_BIN, args, opts);
  else execFileSync('cargo', ['run', '--release', '-q', '--', ...args], opts);
}

/**
 * Builds the site into a temporary folder and serves it at `base` (`http://127.0.0.1:P/guide/`).
 * `baseUrl: false` builds without --base-url (as a user who never set one); `root` builds
 * another site folder (a fixture prepared by the test).
 * Returns { tmp, site, base, browser, server, fileUrl(rel), close() }; `server.unreachable =
 * true` takes the host off the network (static-server.js).
 */
async function setup({ baseUrl = true, root = null } = {}) {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steppe-browser-'));
  const site = path.join(tmp, 'guide');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/guide/`;
  const args = ['build', '--quiet', '--out', site];
  if (baseUrl) args.push('--base-url', base);
  if (root) args.push('--root', root);
  else if (process.env.STEPPE_ROOT) args.push('--root', path.resolve(process.env.STEPPE_ROOT));
  steppe(args);
  assert.ok(fs.existsSync(path.join(site, 'en', 'index.html')), 'the build wrote no en/index.html');
  // Like a real host: a missing path answers 404 with the site's 404.html (static-server.js).
  const server = await serve(tmp, port);
  await waitForServer(base, 10000);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  return {
    tmp, site, base, port, browser, server,
    fileUrl: (rel) => pathToFileURL(path.join(site, rel)).href,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A page that records console errors, uncaught exceptions, failed requests and HTTP errors. */
async function open(context, url, { status = 200 } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url() !== url) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  if (response && !url.startsWith('file:')) assert.equal(response.status(), status, url);
  return { page, problems };
}

/** Serious and critical axe violations, one line each. */
async function axe(page, options = {}) {
  await page.evaluate(AXE);
  // preload: false, or axe fetches the stylesheets with XHR, which file:// refuses (a console error).
  const result = await page.evaluate((o) => window.axe.run(document, { preload: false, ...o }), options);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Where screenshots go for people to look at: target/screenshots/<group>/. */
function screenshotDir(group) {
  const dir = path.join(REPO, 'target', 'screenshots', group);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

module.exports = { REPO, CHROMIUM, FLAGS, PHONE, DESKTOP, LANGS, setup, open, axe, steppe, screenshotDir };

// The stale-review notice in a real browser: the HTML carries it hidden (the output does not
// depend on the day of the build); the theme's script shows it once the reader's today is past
// `reviewed` + review_max_age_days, in the page's language.
//
//   npm ci --prefix tests/browser && node --test tests/browser/review-notice.test.js
//
// STEPPE_BIN=path/to/steppe uses that binary instead of `cargo run --release`;
// CHROMIUM=path overrides /usr/bin/chromium. Nothing here is ever skipped.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');

const REPO = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

let tmp, out, browser;

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steppe-review-'));
  const site = path.join(tmp, 'site');
  fs.cpSync(path.join(REPO, 'tests', 'fixtures', 'basic'), site, { recursive: true });
  fs.cpSync(path.join(REPO, 'themes', 'default'), path.join(site, 'themes', 'default'), { recursive: true });
  const review = (rel, date) => {
    const file = path.join(site, 'content', rel);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^---\n/, `---\nreviewed: ${date}\n`));
  };
  review('zh/faq.md', '2001-02-03');
  review('en/faq.md', '2999-01-01');
  out = path.join(tmp, 'public');
  const args = ['build', '--root', site, '--out', out];
  if (process.env.STEPPE_BIN) execFileSync(process.env.STEPPE_BIN, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  else execFileSync('cargo', ['run', '--release', '-q', '--', ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

after(async () => {
  if (browser) await browser.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Whether the notice is visible, and its text. */
async function notice(rel) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(path.join(out, rel)).href, { waitUntil: 'load' });
  const n = page.locator('p.review-notice');
  const result = { visible: await n.isVisible(), text: (await n.textContent()).trim() };
  await page.close();
  assert.deepEqual(errors, [], `${rel}: script errors`);
  return result;
}

test('an old review date shows the notice in the reader language', async () => {
  const { visible, text } = await notice('zh/faq/index.html');
  assert.ok(visible, 'reviewed 2001-02-03 is past 365 days');
  assert.match(text, /^本页最后核对于 2001-02-03/);
});

test('a recent review date keeps it hidden', async () => {
  const { visible } = await notice('en/faq/index.html');
  assert.equal(visible, false);
});

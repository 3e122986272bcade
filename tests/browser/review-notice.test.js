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
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO, setup } = require('./harness');

let tmp, env;

before(async () => {
  // The basic fixture with two review dates, built by the shared setup (harness.js).
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
  env = await setup({ root: site, baseUrl: false });
});

after(async () => {
  if (env) await env.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Whether the notice is visible, and its text. */
async function notice(rel) {
  const page = await env.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.fileUrl(rel), { waitUntil: 'load' });
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

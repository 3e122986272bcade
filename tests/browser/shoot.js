// Review helper, not a test: screenshots of the key pages (phone 390x844 and desktop 1280x900, light
// and dark) and a summary of axe violations. node tests/browser/shoot.js SITE_DIR OUT_DIR
// FULL=1 tiles whole pages; ONLY=regex limits pages; NOSHOT=1 runs axe only.
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require('playwright-core');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const [site, out] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
const pages = [];
for (const l of ['zh', 'en', 'ru', 'kk'])
  for (const p of ['', 'steps/', 'faq/', 'operators/activ/', 'operators/'])
    pages.push(l + '/' + p + 'index.html');
pages.push('index.html', '404.html');
const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const axeSrc = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const summary = {};
  for (const scheme of ['light', 'dark']) {
    for (const [vp, w, h, mob] of [['m', 390, 844, true], ['d', 1280, 900, false]]) {
      const ctx = await browser.newContext({ locale: 'de-DE', viewport: { width: w, height: h }, isMobile: mob, hasTouch: mob, colorScheme: scheme, deviceScaleFactor: 1 });
      const page = await ctx.newPage();
      page.on('console', m => { if (m.type() === 'error') console.log('CONSOLE', m.text()); });
      page.on('pageerror', e => console.log('PAGEERR', e.message));
      for (const p of pages) {
        if (only && !only.test(p)) continue;
        await page.goto('file://' + path.resolve(site, p));
        const name = `${p.replace(/\/?index\.html$/, '').replace(/\//g, '_') || 'root'}`.replace('.html', '') + `-${vp}-${scheme}.png`;
        if (process.env.FULL) {
          const H = await page.evaluate(() => document.documentElement.scrollHeight);
          const T = mob ? 1300 : 1800;
          for (let y = 0, i = 0; y < H && i < 12; y += T, i++)
            await page.screenshot({ path: path.join(out, name.replace('.png', `-${i}.png`)), fullPage: true, clip: { x: 0, y, width: w, height: Math.min(T, H - y) } });
        } else if (!process.env.NOSHOT) await page.screenshot({ path: path.join(out, name) });
        const sw = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        if (sw > 0) console.log('OVERFLOW', p, vp, sw);
        if (vp === 'm') {
          await page.evaluate(axeSrc);
          const r = await page.evaluate(() => axe.run());
          for (const v of r.violations) {
            const k = `${v.id} [${v.impact}]`;
            (summary[k] ||= []).push(`${p} ${scheme} (${v.nodes.length}) ${v.nodes.slice(0, 2).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\n').slice(1, 2).join('')).join(' | ')}`);
          }
        }
      }
      await ctx.close();
    }
  }
  for (const [k, v] of Object.entries(summary)) { console.log('AXE', k, v.length); v.slice(0, 6).forEach(x => console.log('   ', x)); }
  await browser.close();
})();

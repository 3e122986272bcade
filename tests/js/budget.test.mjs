// The download budget on the benchmark corpus (10,000 pages, 2,500 per language), measured with
// the browser's own engine in gzipped bytes: focusing the box and a first query stays under
// 100 KB, also when the query has a typo (typo-table chunks included); a search at *every*
// keystroke (no debounce, the worst case) stays under 150 KB. (The file count, a build-speed
// target, is checked by the benchmark: benches/site.sh.)
// STEPPE_BENCH_SITE may name an already built corpus.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openIndex, repo } from "./engine.mjs";

const BUDGET = 150 * 1024;
const FIRST_BUDGET = 100 * 1024;
const QUERIES = { zh: "查询余额", en: "check balance online", ru: "пополнение баланса", kk: "балансты тексеру" };
// The same queries with a typo: a character pair no page has, a letter changed, two swapped.
const TYPOS = { zh: "查询于额", en: "check balanse online", ru: "пополнение баланза", kk: "балансты тексреу" };

function buildCorpus() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "steppe-bench-"));
  const generator = path.resolve(repo, "benches/gen_corpus.py");
  assert.ok(fs.existsSync(generator), `benchmark generator missing: ${generator}`);
  execFileSync("python3", [generator, "--pages", "2500", "--layout", "neutral", "--out", dir], { stdio: "ignore" });
  const root = path.join(dir, "neutral");
  // The generator writes content only; the project's own settings, data and theme render it.
  fs.copyFileSync(path.join(repo, "site.yaml"), path.join(root, "site.yaml"));
  fs.cpSync(path.join(repo, "data"), path.join(root, "data"), { recursive: true });
  fs.cpSync(path.join(repo, "themes"), path.join(root, "themes"), { recursive: true });
  const out = path.join(dir, "public");
  execFileSync("cargo", ["run", "--release", "--quiet", "--", "build", "--root", root, "--out", out], {
    cwd: repo,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return out;
}

let site;
before(() => {
  site = process.env.STEPPE_BENCH_SITE || buildCorpus();
});
// The corpus and its build are about 520 MB: every run used to leave one behind in the temp folder.
after(() => {
  if (!process.env.STEPPE_BENCH_SITE) fs.rmSync(path.dirname(site), { recursive: true, force: true });
});

for (const [lang, q] of Object.entries(QUERIES)) {
  test(`${lang}: typing ${JSON.stringify(q)} fetches under 150 KB gzipped`, async () => {
    const { api, engine, fetched } = openIndex(site, lang);
    await engine.init(); // what focusing the box loads
    const chars = Array.from(q);
    for (let i = 1; i <= chars.length; i++) await engine.search(chars.slice(0, i).join(""), api.LIMIT);
    const total = fetched.reduce((sum, f) => sum + f.gzip, 0);
    console.log(`${lang} ${JSON.stringify(q)}: ${fetched.length} files, ${total} bytes gzipped`);
    assert.ok(total < BUDGET, `${total} bytes in ${fetched.length} files`);
    const all = fs.readdirSync(path.join(site, "search", lang)).length;
    assert.ok(fetched.length < all / 10, `${fetched.length} of ${all} files`);
  });
}

for (const [lang, q] of Object.entries(QUERIES)) {
  for (const [kind, text] of [["query", q], ["query with a typo", TYPOS[lang]]]) {
    test(`${lang}: a first ${kind} ${JSON.stringify(text)} fetches under 100 KB gzipped`, async () => {
      const { api, engine, fetched } = openIndex(site, lang);
      await engine.init(); // what focusing the box loads
      const found = await engine.find(text, api.LIMIT);
      assert.ok(found.results.length > 0, text);
      if (kind !== "query" && lang !== "zh") assert.ok(found.suggestion, `${text}: a correction`);
      const total = fetched.reduce((sum, f) => sum + f.gzip, 0);
      const typoFiles = fetched.filter((f) => f.name.startsWith("v.")).length;
      console.log(`${lang} first ${kind} ${JSON.stringify(text)}: ${fetched.length} files (${typoFiles} typo chunks), ${total} bytes gzipped`);
      assert.ok(total < FIRST_BUDGET, `${total} bytes in ${fetched.length} files`);
    });
  }
}

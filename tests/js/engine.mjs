// Loads the browser's search engine (search.js, unchanged) and one language's index from a built
// site, for query.mjs and the Node tests. Index files run in a vm context, as classic scripts do
// in the page; every file read is recorded with its raw and gzipped size.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../..");
export const themeScript = path.join(repo, "themes/default/static/search.js");

/** The site's copy of search.js (content-hashed name under static/), or the theme's source. */
export function findScript(publicDir) {
  const dir = path.join(publicDir, "static");
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  const name = names.find((n) => /^search(\.[0-9a-f]+)?\.js$/.test(n));
  return name ? path.join(dir, name) : themeScript;
}

/** The exports of search.js, evaluated in a fresh context the way a page runs it. */
export function loadApi(scriptPath = themeScript) {
  const context = vm.createContext({ module: { exports: {} }, URL, console });
  vm.runInContext(fs.readFileSync(scriptPath, "utf8"), context, { filename: scriptPath });
  return context.module.exports;
}

/** An engine over PUBLIC_DIR/search/LANG; `fetched` lists each file loaded, in order. */
export function openIndex(publicDir, lang, scriptPath = findScript(publicDir)) {
  const api = loadApi(scriptPath);
  const fetched = [];
  let registered = null;
  const shards = vm.createContext({
    __steppeSearch: (key, payload) => {
      registered = { key, payload };
    },
  });
  const load = (name) => {
    const file = path.join(publicDir, "search", lang, `${name}.js`);
    const bytes = fs.readFileSync(file);
    fetched.push({ name, bytes: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length });
    registered = null;
    vm.runInContext(bytes.toString("utf8"), shards, { filename: file });
    if (!registered || registered.key !== `${lang}/${name}`) throw new Error(`${file} did not register`);
    return registered.payload;
  };
  return { api, engine: new api.Engine(load), fetched };
}

/** Ranked results as query.mjs prints them. */
export async function query(engine, text, limit = 10) {
  const results = await engine.search(text, limit);
  // Array.from: the engine's arrays belong to the vm context's realm.
  return Array.from(results, (r) => ({
    url: r.url + (r.anchor ? `#${r.anchor}` : ""),
    title: r.title,
    heading: r.heading,
    score: Math.round(r.score * 1000) / 1000,
  }));
}

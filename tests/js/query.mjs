#!/usr/bin/env node
// Usage: node tests/js/query.mjs PUBLIC_DIR LANG "QUERY" [LIMIT]
// Prints the ranked results as a JSON array of {url, title, heading, score}, `url` relative to
// PUBLIC_DIR with its anchor. Runs the browser's own engine (PUBLIC_DIR/static/search.*.js) on the
// index files, as the search box does after the reader typed QUERY.
import { openIndex, query } from "./engine.mjs";

const [publicDir, lang, text, limit] = process.argv.slice(2);
if (!publicDir || !lang || text === undefined) {
  console.error('usage: node tests/js/query.mjs PUBLIC_DIR LANG "QUERY" [LIMIT]');
  process.exit(2);
}
const { engine } = openIndex(publicDir, lang);
const results = await query(engine, text, limit ? Number(limit) : 10);
console.log(JSON.stringify(results, null, 1));

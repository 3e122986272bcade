// Engine pieces that need no index: posting decoding and snippets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadApi } from "./engine.mjs";

const api = loadApi();

test("posting strings decode to ascending docs and levels", () => {
  // Written by src/search/encode.rs for [(0, 5), (1, 31), (40, 1)] (its unit test).
  const p = api.decodePostings("4UXc0");
  assert.deepEqual(plain(p.docs), [0, 1, 40]);
  assert.deepEqual(plain(p.levels), [5, 31, 1]);
});

// Arrays made inside the vm context have another realm's prototype: compare plain copies.
const plain = (x) => JSON.parse(JSON.stringify(x));
const marked = (segments) => plain(segments.filter((s) => s.mark).map((s) => s.text));

test("snippets mark inflected forms, Han substrings and folded Kazakh", () => {
  assert.deepEqual(marked(api.snippet("Проверка баланса и пополнение", ["баланс"])), ["баланса"]);
  assert.deepEqual(marked(api.snippet("在注册卡续费之前", ["续费"])), ["续费"]);
  assert.deepEqual(marked(api.snippet("Қызметтер тізімі", ["кызмет"])), ["Қызметтер"]);
  assert.deepEqual(marked(api.snippet("Dial *111# now", ["*111#"])), ["*111#"]);
});

test("snippets are a window around the first match", () => {
  const text = "word ".repeat(100) + "target " + "tail ".repeat(100);
  const s = api.snippet(text, ["target"], 100);
  assert.equal(s[0].text, "…");
  assert.equal(s[s.length - 1].text, "…");
  assert.deepEqual(marked(s), ["target"]);
  assert.ok(s.map((x) => x.text).join("").length < 110);
});

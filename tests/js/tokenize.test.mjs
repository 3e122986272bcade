// The browser tokenizer against tests/tokenize-cases.json, the same cases the Rust tests assert.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { loadApi, repo } from "./engine.mjs";

const api = loadApi();
const cases = JSON.parse(fs.readFileSync(path.join(repo, "tests/tokenize-cases.json"), "utf8"));

test("the shared cases cover every script", () => {
  const inputs = cases.map((c) => c.input).join(" ");
  assert.ok(cases.length >= 20);
  for (const script of [/\p{Script=Han}/u, /[а-я]/i, /[қңүұөәғіһ]/i, /[a-z]/i, /\*\d+#/]) {
    assert.match(inputs, script);
  }
});

for (const c of cases) {
  test(`tokens of ${JSON.stringify(c.input)} (${c.lang})`, () => {
    assert.deepEqual([...api.tokenize(c.input)], c.tokens);
  });
}

test("query words: Han pairs, compounds with their parts, a lone Han character", () => {
  // JSON copies: arrays made inside the vm context have another realm's prototype.
  const words = (q, stop) => JSON.parse(JSON.stringify(api.queryWords(q, stop)));
  assert.deepEqual(words("续费"), [{ t: "续费", han: true, stop: false }]);
  assert.deepEqual(words("注册卡"), [{ t: "注册", han: true, stop: false }, { t: "册卡", han: true, stop: false }]);
  assert.deepEqual(words("卡"), [{ t: "卡", han: true, stop: false }]);
  assert.deepEqual(words("Kaspi.kz Нөмір"), [
    { t: "kaspi.kz", parts: ["kaspi", "kz"], stop: false },
    { t: "номир", parts: null, stop: false },
  ]);
  assert.deepEqual(words("*111#"), [{ t: "*111#", parts: ["111"], stop: false }]);
});

test("stop words are marked, and cut out of Han runs before pairing", () => {
  const stop = new Set(["how", "to", "怎么", "的"]);
  const words = (q) => JSON.parse(JSON.stringify(api.queryWords(q, stop)));
  assert.deepEqual(words("how to get IIN").map((w) => [w.t, w.stop]), [["how", true], ["to", true], ["get", false], ["iin", false]]);
  assert.deepEqual(words("IIN怎么办理").map((w) => w.t), ["iin", "办理"]);
  assert.deepEqual(words("我的余额").map((w) => w.t), ["我", "余额"]);
  assert.deepEqual(words("怎么").map((w) => w.t), ["怎么"], "a run of stop words only stays");
});

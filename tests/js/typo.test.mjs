// The browser's edit distance against tests/typo-cases.json, the cases `cargo test` checks
// against strsim's optimal string alignment distance.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { loadApi, repo } from "./engine.mjs";

const api = loadApi();
const cases = JSON.parse(fs.readFileSync(path.join(repo, "tests/typo-cases.json"), "utf8"));

test("at least ten shared cases", () => assert.ok(cases.length >= 10));

for (const c of cases) {
  test(`distance ${JSON.stringify(c.a)} → ${JSON.stringify(c.b)} is ${c.distance} (max ${c.max})`, () => {
    assert.equal(api.editDistance(Array.from(c.a), Array.from(c.b), c.max), c.distance);
    assert.equal(api.editDistance(Array.from(c.b), Array.from(c.a), c.max), c.distance, "symmetric");
  });
}

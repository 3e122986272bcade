// The built real site for the Node and browser tests: STEPPE_TEST_SITE if tests/run-all.sh built
// it already, else a fresh build with the real binary into a temp folder (once per process).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repo } from "./engine.mjs";

let built = null;

export function builtSite() {
  if (process.env.STEPPE_TEST_SITE) return process.env.STEPPE_TEST_SITE;
  if (built) return built;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "steppe-search-"));
  execFileSync("cargo", ["run", "--release", "--quiet", "--", "build", "--out", out, "--force"], {
    cwd: repo,
    stdio: ["ignore", "ignore", "inherit"],
  });
  built = out;
  return out;
}

export const LANGS = ["zh", "en", "ru", "kk"];

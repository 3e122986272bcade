// The engine on the built real content: for each language, queries a reader would type and the
// page expected among the first three results. `form` marks the queries that do not appear
// verbatim in their target: a Chinese substring, an inflected form, Kazakh typed with Russian
// letters.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { openIndex, query } from "./engine.mjs";
import { builtSite, LANGS } from "./site.mjs";

const CASES = {
  zh: [
    ["灰名单", "zh/imei/"],
    ["查余额", "zh/steps/online/"],
    ["携号转网", "zh/steps/office/"],
    ["人脸识别", "zh/why/"],
    ["补卡", "zh/steps/office/"],
    ["Kaspi.kz", "zh/steps/online/"],
    ["自动充值", "zh/steps/online/"],
    ["过户", "zh/steps/office/"],
    ["*111#", "zh/operators/activ/"],
    ["代办续费", "zh/faq/"],
    ["名单", "zh/imei/", "substring of 灰名单"],
    ["转网", "zh/steps/office/", "substring of 携号转网"],
    ["营业", "zh/steps/office/", "substring of 营业厅"],
  ],
  en: [
    ["grey list", "en/imei/"],
    ["Kaspi.kz", "en/steps/online/"],
    ["biometric", "en/why/"],
    ["porting", "en/steps/office/"],
    ["check balance", "en/steps/online/"],
    ["IIN foreigners", "en/preparation/"],
    ["SIM replacement", "en/steps/office/"],
    ["auto top-up", "en/steps/online/"],
    ["renewal agents", "en/faq/"],
    ["*111#", "en/operators/activ/"],
    ["replacing SIM", "en/steps/office/", "inflected: replacement"],
    ["blocked phones", "en/faq/", "inflected: phone will be blocked"],
    ["fees", "en/imei/", "inflected: the fee"],
  ],
  ru: [
    ["баланс", "ru/steps/online/"],
    ["Kaspi.kz", "ru/steps/online/"],
    ["серый список", "ru/imei/"],
    ["биометрия", "ru/why/"],
    ["перенос номера", "ru/steps/office/"],
    ["замена SIM-карты", "ru/steps/office/"],
    ["ИИН для иностранцев", "ru/preparation/"],
    ["автопополнение", "ru/steps/online/"],
    ["агенты по продлению", "ru/faq/"],
    ["*111#", "ru/operators/activ/"],
    ["биометрию", "ru/why/", "inflected: биометрия"],
    ["замену сим-карты", "ru/steps/office/", "inflected: замена SIM-карты"],
    ["балансом", "ru/steps/online/", "inflected: баланс"],
  ],
  kk: [
    ["баланс", "kk/steps/online/"],
    ["Kaspi.kz", "kk/steps/online/"],
    ["сұр тізім", "kk/imei/"],
    ["биометрия", "kk/steps/office/"],
    ["нөмірді көшіру", "kk/steps/office/"],
    ["SIM-картаны ауыстыру", "kk/steps/office/"],
    ["ЖСН", "kk/preparation/"],
    ["*111#", "kk/operators/activ/"],
    ["агенттер", "kk/faq/"],
    ["Kcell", "kk/operators/kcell/"],
    ["сур тизим", "kk/imei/", "Russian letters for сұр тізім"],
    ["номирди коширу", "kk/steps/office/", "Russian letters for нөмірді көшіру"],
    ["балансқа", "kk/steps/online/", "inflected: баланс"],
    ["кенсесинде", "kk/steps/", "Russian letters and inflected: кеңсесінде"],
  ],
};

let site;
before(() => {
  site = builtSite();
});

const page = (url) => url.split("#")[0];

for (const lang of LANGS) {
  describe(`search in ${lang}`, () => {
    test("at least 10 queries, 3 of them not verbatim", () => {
      assert.ok(CASES[lang].length >= 10);
      assert.ok(CASES[lang].filter((c) => c[2]).length >= 3);
    });
    for (const [q, expected, form] of CASES[lang]) {
      test(`${JSON.stringify(q)} finds ${expected} in the top 3${form ? ` (${form})` : ""}`, async () => {
        const { engine } = openIndex(site, lang);
        const top = await query(engine, q, 3);
        assert.ok(top.some((r) => page(r.url) === expected), `${q}: ${JSON.stringify(top, null, 1)}`);
      });
    }

    test("a query loads fewer shards than the index has", async () => {
      const { engine, fetched } = openIndex(site, lang);
      await query(engine, CASES[lang][0][0]);
      const all = fs.readdirSync(path.join(site, "search", lang)).filter((f) => f !== "index.js");
      const shards = fetched.filter((f) => f.name !== "index");
      assert.ok(shards.length > 0 && shards.length < all.length, `${shards.length} of ${all.length}`);
    });
  });
}

test("results carry a URL with anchor, title and heading, relative to the site", async () => {
  const { engine } = openIndex(site, "en");
  const [r] = await query(engine, "grey list", 1);
  assert.match(r.url, /^en\/imei\/#[\w-]+$/);
  assert.ok(r.title && typeof r.heading === "string" && r.score > 0);
  assert.ok(fs.existsSync(path.join(site, page(r.url), "index.html")));
});

test("a word no page uses finds nothing", async () => {
  const { engine } = openIndex(site, "en");
  assert.deepEqual(await query(engine, "xylophonezzz"), []);
});

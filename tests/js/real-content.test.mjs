// The engine on the built real content: for each language, queries a reader would type and the
// page expected among the first three results, with the rules of issue 11 (typos, other
// scripts, synonyms, stop words, grouping by page, boilerplate last).
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { openIndex, query } from "./engine.mjs";
import { builtSite, LANGS } from "./site.mjs";

// Kinds (third element): "form" a form not verbatim in the target (Chinese substring,
// inflection, Kazakh typed with Russian letters); "typo"; "script" a brand name typed in another
// script; "synonym" a variant from search/synonyms.yaml; "stop" a question whose filler words
// must not decide the order.
const CASES = {
  zh: [
    ["灰名单", "zh/imei/"],
    ["查余额", "zh/steps/online/"],
    ["携号转网", "zh/steps/office/"],
    ["人脸识别", "zh/new-sim/"],
    ["补卡", "zh/steps/office/"],
    ["Kaspi.kz", "zh/steps/online/"],
    ["自动充值", "zh/steps/online/"],
    ["过户", "zh/steps/office/"],
    ["*111#", "zh/operators/activ/"],
    ["代办续费", "zh/faq/"],
    ["imei", "zh/imei/"],
    ["kcell", "zh/operators/kcell/"],
    ["漫游", "zh/abroad/"],
    ["营业厅", "zh/steps/office/"],
    ["名单", "zh/imei/", "form: substring of 灰名单"],
    ["转网", "zh/steps/office/", "form: substring of 携号转网"],
    ["营业", "zh/steps/office/", "form: substring of 营业厅"],
    ["冲值", "zh/steps/online/", "typo: homophone of 充值, found by its characters"],
    ["кселл", "zh/operators/kcell/", "script: Kcell in Cyrillic"],
    ["билайн", "zh/operators/beeline/", "script: Beeline in Cyrillic"],
    ["生物识别", "zh/new-sim/", "synonym: the site says 人脸识别"],
    ["刷脸", "zh/new-sim/", "synonym: 人脸识别"],
    ["新卡激活", "zh/faq/", "synonym: 新卡 and 激活"],
    ["身份证号", "zh/preparation/", "synonym: IIN"],
    ["IIN怎么办理", "zh/preparation/", "stop: 怎么"],
    ["什么是灰名单", "zh/imei/", "stop: 什么 是"],
    ["丢了SIM卡怎么办", "zh/faq/", "stop: 怎么"],
  ],
  en: [
    ["grey list", "en/imei/"],
    ["Kaspi.kz", "en/steps/online/"],
    ["biometric", "en/new-sim/"],
    ["porting", "en/steps/office/"],
    ["check balance", "en/steps/online/"],
    ["IIN foreigners", "en/preparation/"],
    ["SIM replacement", "en/steps/office/"],
    ["auto top-up", "en/steps/online/"],
    ["renewal agents", "en/faq/"],
    ["*111#", "en/operators/activ/"],
    ["izi app", "en/operators/izi/"],
    ["lost sim", "en/faq/"],
    ["replacing SIM", "en/steps/office/", "form: replacement"],
    ["blocked phones", "en/faq/", "form: phone will be blocked"],
    ["fees", "en/imei/", "form: the fee"],
    ["regstration", "en/why/", "typo: registration"],
    ["biometirc", "en/new-sim/", "typo: biometric, two letters swapped"],
    ["balanse", "en/steps/online/", "typo: balance"],
    ["roamimg", "en/abroad/", "typo: roaming"],
    ["kcelll", "en/operators/kcell/", "typo: kcell"],
    ["beelin", "en/operators/beeline/", "typo: beeline"],
    ["каспи", "en/steps/online/", "script: Kaspi in Cyrillic"],
    ["билайн", "en/operators/beeline/", "script: Beeline in Cyrillic"],
    ["gray list", "en/imei/", "synonym: grey"],
    ["mnp", "en/steps/office/", "synonym: porting"],
    ["recharge", "en/steps/online/", "synonym: top-up"],
    ["how to get iin", "en/preparation/", "stop: how to"],
    ["what is IIN", "en/preparation/", "stop: what is"],
  ],
  ru: [
    ["баланс", "ru/steps/online/"],
    ["Kaspi.kz", "ru/steps/online/"],
    ["серый список", "ru/imei/"],
    ["биометрия", "ru/new-sim/"],
    ["перенос номера", "ru/steps/office/"],
    ["замена SIM-карты", "ru/steps/office/"],
    ["ИИН для иностранцев", "ru/preparation/"],
    ["автопополнение", "ru/steps/online/"],
    ["агенты по продлению", "ru/faq/"],
    ["*111#", "ru/operators/activ/"],
    ["роуминг", "ru/abroad/"],
    ["регистрация IMEI", "ru/imei/"],
    ["вопросы", "ru/faq/"],
    ["биометрию", "ru/new-sim/", "form: биометрия"],
    ["замену сим-карты", "ru/steps/office/", "form: замена SIM-карты"],
    ["балансом", "ru/steps/online/", "form: баланс"],
    ["заблакирован", "ru/imei/", "typo: заблокирован"],
    ["роумниг", "ru/abroad/", "typo: роуминг, two letters swapped"],
    ["регистарция", "ru/imei/", "typo: регистрация"],
    ["каспи", "ru/steps/online/", "script: Kaspi"],
    ["халык", "ru/steps/online/", "script: Halyk"],
    ["кселл", "ru/operators/kcell/", "script: Kcell"],
    ["билайн", "ru/operators/beeline/", "script: Beeline"],
    ["теле2", "ru/operators/tele2/", "script: Tele2"],
    ["симка", "ru/new-sim/", "synonym: SIM-карта"],
    ["мнп", "ru/steps/office/", "synonym: перенос"],
    ["пополнить баланс", "ru/steps/online/", "synonym: пополнение"],
    ["узнать баланс", "ru/steps/online/", "synonym: узнать → проверка"],
    ["проверить баланс", "ru/steps/online/", "synonym: проверить → проверка"],
    ["как получить ИИН", "ru/preparation/", "stop: как"],
  ],
  kk: [
    ["баланс", "kk/steps/online/"],
    ["Kaspi.kz", "kk/steps/online/"],
    ["сұр тізім", "kk/imei/"],
    ["биометрия", "kk/new-sim/"],
    ["нөмірді көшіру", "kk/steps/office/"],
    ["SIM-картаны ауыстыру", "kk/steps/office/"],
    ["ЖСН", "kk/preparation/"],
    ["*111#", "kk/operators/activ/"],
    ["агенттер", "kk/faq/"],
    ["Kcell", "kk/operators/kcell/"],
    ["IMEI тіркеу", "kk/imei/"],
    ["роуминг", "kk/abroad/"],
    ["сұрақтар", "kk/faq/"],
    ["сур тизим", "kk/imei/", "form: Russian letters for сұр тізім"],
    ["номирди коширу", "kk/steps/office/", "form: Russian letters for нөмірді көшіру"],
    ["балансқа", "kk/steps/online/", "form: баланс"],
    ["кенсесинде", "kk/steps/", "form: Russian letters and inflected: кеңсесінде"],
    ["бугатталады", "kk/faq/", "form: Russian letters for бұғатталады"],
    ["биометриа", "kk/new-sim/", "typo: биометрия"],
    ["каспи", "kk/steps/online/", "script: Kaspi"],
    ["халык", "kk/steps/online/", "script: Halyk"],
    ["кселл", "kk/operators/kcell/", "script: Kcell"],
    ["билайн", "kk/operators/beeline/", "script: Beeline"],
    ["теле2", "kk/operators/tele2/", "script: Tele2"],
    ["балансты толтыру", "kk/steps/online/", "synonym: толықтыру"],
    ["иин", "kk/preparation/", "synonym: ЖСН"],
    ["симка", "kk/steps/office/", "synonym: SIM-карта"],
  ],
};

let site;
before(() => {
  site = builtSite();
});

const page = (url) => url.split("#")[0];

for (const lang of LANGS) {
  describe(`search in ${lang}`, () => {
    test("at least 25 queries, with typos, other scripts and synonyms", () => {
      assert.ok(CASES[lang].length >= 25);
      for (const kind of ["form", "script", "synonym"]) {
        assert.ok(CASES[lang].some((c) => c[2]?.startsWith(kind + ":")), kind);
      }
      const typos = CASES[lang].filter((c) => c[2]?.startsWith("typo:")).length;
      assert.ok(typos >= 1, "typos");
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

test("results are grouped by page and the first screen shows several pages", async () => {
  for (const [lang, q] of [["en", "balance"], ["ru", "баланс"], ["kk", "баланс"], ["zh", "余额"], ["en", "faq"]]) {
    const { engine } = openIndex(site, lang);
    const results = Array.from(await engine.search(q, 6));
    const pages = results.map((r) => r.url);
    assert.ok(new Set(pages).size >= 3, `${lang} ${q}: ${pages}`);
    // A page's sections follow each other, the first not marked as a sub-result.
    pages.forEach((p, i) => {
      if (i > 0 && pages[i - 1] !== p) assert.ok(!pages.slice(0, i - 1).includes(p), `${q}: ${p} split`);
      assert.equal(results[i].sub, i > 0 && pages[i - 1] === p);
    });
  }
});

test("source lists are never among the first three results of the real-content queries", async () => {
  for (const lang of LANGS) {
    for (const [q] of CASES[lang]) {
      const { engine } = openIndex(site, lang);
      const top = await query(engine, q, 3);
      const sources = top.filter((r) => r.url.endsWith("#sources-title"));
      assert.deepEqual(sources, [], `${lang} ${q}`);
    }
  }
});

test("filler words do not outrank the rare word", async () => {
  for (const [lang, q, expected] of [
    ["en", "how to get iin", "en/preparation/#iin"],
    ["zh", "IIN怎么办理", "zh/preparation/#iin"],
    // "узнать" is in more headings than "баланс": the synonym and the rare word decide.
    ["ru", "узнать баланс", "ru/steps/online/#check-balance"],
    ["ru", "баланс проверить", "ru/steps/online/#check-balance"],
  ]) {
    const { engine } = openIndex(site, lang);
    const [first] = await query(engine, q, 1);
    assert.equal(first.url, expected, q);
  }
});

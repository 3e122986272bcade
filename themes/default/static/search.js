/* steppe search: the query engine and the search box. A classic script with no dependencies.
 *
 * The engine also runs in Node (tests/js/query.mjs loads this file in a vm context with a
 * `module` object and gets the exports below), so browser and tests rank with the same code.
 * Index format and design: src/search/README.md. Folding and tokenizing mirror
 * src/search/normalize.rs and src/search/tokenize.rs; tests/tokenize-cases.json pins both.
 * Stemming happens only at build time: the index maps inflected forms to stems, so the
 * browser looks words up and never stems. */
(function () {
  "use strict";

  // ---- folding and tokenizing (the Rust side's rules, one for one) ----
  var FOLD = { "ё": "е", "қ": "к", "ң": "н", "ү": "у", "ұ": "у", "ө": "о", "ә": "а", "ғ": "г",
    "і": "и", "һ": "х", "\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-" };
  var DROP = /[\u00ad\u200b-\u200d\u2060\ufeff\u0300-\u036f]/;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var JOINERS = ".-_'@/+*#&";
  var EDGE = "*#+";
  var MAX_TOKEN = 64;

  function fold(text) {
    var out = "";
    for (var ch of text.normalize("NFKC")) {
      // Per character: whole-string lowercasing treats a final sigma differently from Rust.
      for (var l of ch.toLowerCase()) {
        if (!DROP.test(l)) out += FOLD[l] || l;
      }
    }
    return out;
  }

  function isHan(ch) {
    var c = ch.codePointAt(0);
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x323af);
  }

  function classOf(ch) {
    if (JOINERS.indexOf(ch) >= 0 || (WORD.test(ch) && !isHan(ch))) return 1;
    return isHan(ch) ? 2 : 0;
  }

  // Calls span(text, start) for word runs and han(text, start) for Han runs of folded text;
  // `start` is the run's UTF-16 offset.
  function scan(folded, span, han) {
    var kind = 0, start = 0, i = 0;
    function flush(end) {
      if (kind === 1) span(folded.slice(start, end), start);
      if (kind === 2) han(folded.slice(start, end), start);
    }
    for (var ch of folded) {
      var k = classOf(ch);
      if (k !== kind) {
        flush(i);
        kind = k;
        start = i;
      }
      i += ch.length;
    }
    flush(i);
  }

  function cps(s) { return Array.from(s).length; }

  function isJoiner(ch) { return JOINERS.indexOf(ch) >= 0; }

  // A word run → {term, parts} (parts null when the term has no joiners), or null.
  function splitSpan(run) {
    var a = 0, b = run.length;
    while (a < b && isJoiner(run[a]) && EDGE.indexOf(run[a]) < 0) a++;
    while (b > a && isJoiner(run[b - 1]) && EDGE.indexOf(run[b - 1]) < 0) b--;
    var term = run.slice(a, b), parts = [], cur = "";
    for (var ch of term + ".") {
      if (isJoiner(ch)) { if (cur) parts.push(cur); cur = ""; } else cur += ch;
    }
    if (!parts.length) return null;
    return { term: term, parts: parts.length === 1 && parts[0] === term ? null : parts, at: a };
  }

  // The index-time tokens of a text (same as Rust's `tokens`).
  function tokenize(text) {
    var out = [];
    function push(t) { if (cps(t) <= MAX_TOKEN) out.push(t); }
    scan(fold(text), function (run) {
      var s = splitSpan(run);
      if (!s) return;
      push(s.term);
      if (s.parts) s.parts.forEach(push);
    }, function (run) {
      var c = Array.from(run);
      for (var k = 0; k < c.length; k++) {
        out.push(c[k]);
        if (k + 1 < c.length) out.push(c[k] + c[k + 1]);
      }
    });
    return out;
  }

  // The words of a query: a term with its parts, or a Han pair (a lone Han character stands alone).
  function queryWords(text) {
    var words = [];
    scan(fold(text), function (run) {
      var s = splitSpan(run);
      if (s && cps(s.term) <= MAX_TOKEN) words.push({ t: s.term, parts: s.parts });
    }, function (run) {
      var c = Array.from(run);
      if (c.length === 1) words.push({ t: run, han: true });
      for (var k = 0; k + 1 < c.length; k++) words.push({ t: c[k] + c[k + 1], han: true });
    });
    return words;
  }

  // ---- the index ----
  var ALPHA = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var d = 0; d < 64; d++) DIGIT[ALPHA[d]] = d;

  // Varints: letters 32-63 continue a number, 0-31 end it.
  function varints(s) {
    var out = [], v = 0;
    for (var i = 0; i < s.length; i++) {
      var x = DIGIT[s[i]];
      v = v * 32 + (x & 31);
      if (x < 32) { out.push(v); v = 0; }
    }
    return out;
  }

  // A posting string → {docs, levels}: varint gap (minus one) then one level letter per posting.
  function decodePostings(s) {
    var docs = [], levels = [], v = 0, next = 0, wantLevel = false;
    for (var i = 0; i < s.length; i++) {
      var x = DIGIT[s[i]];
      if (wantLevel) { levels.push(x); wantLevel = false; continue; }
      v = v * 32 + (x & 31);
      if (x < 32) { next += v; docs.push(next); next++; v = 0; wantLevel = true; }
    }
    return { docs: docs, levels: levels };
  }

  var MAX_EXPAND = 4;
  var MIN_PREFIX = 3;
  var PREFIX_FACTOR = 0.7;
  var BACKOFF_FACTOR = 0.6;

  // `load(name)` returns a promise of the payload of search/<lang>/<name>.js.
  function Engine(load) {
    this.load = load;
    this.files = new Map();
    this.manifest = null;
    this.loaded = [];
  }

  Engine.prototype.file = function (name) {
    var self = this;
    if (!this.files.has(name)) {
      this.loaded.push(name);
      this.files.set(name, Promise.resolve(this.load(name)));
    }
    return this.files.get(name);
  };

  Engine.prototype.init = function () {
    var self = this;
    return this.manifest || (this.manifest = this.file("index").then(function (m) {
      if (m.v !== 1) throw new Error("search index version " + m.v);
      var first = [], at = 0;
      varints(m.dg).forEach(function (g) { at += g; first.push(at); });
      return { n: m.n, t: m.t, first: first, dh: m.dh };
    }));
  };

  // The last element of sorted `arr` whose key(x) <= k, as an index (0 if none).
  function floorIndex(arr, k, key) {
    var lo = 0, hi = arr.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (key(arr[mid]) <= k) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  Engine.prototype.shard = function (m, i) { return this.file("t." + m.t[i][1]); };

  Engine.prototype.lookup = async function (key) {
    var m = await this.init();
    var entries = await this.shard(m, floorIndex(m.t, key, function (s) { return s[0]; }));
    var i = floorIndex(entries, key, function (e) { return e[0]; });
    return entries.length && entries[i][0] === key ? entries[i] : null;
  };

  // Every entry whose key starts with `p` (other than `p` itself).
  Engine.prototype.withPrefix = async function (p) {
    var m = await this.init(), out = [];
    var getKey = function (s) { return s[0]; };
    for (var i = floorIndex(m.t, p, getKey); i < m.t.length; i++) {
      if (i > 0 && m.t[i][0] > p && !m.t[i][0].startsWith(p)) break;
      var entries = await this.shard(m, i);
      for (var e of entries) if (e[0] !== p && e[0].startsWith(p)) out.push(e);
    }
    return out;
  };

  // The index term an entry stands for: its alias target, or itself if it has postings.
  function target(e) { return e[1] || (e.length > 2 ? e[0] : null); }

  // Word → Map(index term → factor): exact form, completions while typing, longest known prefix.
  Engine.prototype.resolve = async function (w, typing) {
    var out = new Map(), self = this;
    var e = await this.lookup(w.t);
    if (e && target(e)) out.set(target(e), 1);
    if (typing && !w.han && cps(w.t) >= MIN_PREFIX) {
      var cands = new Map();
      for (var c of await this.withPrefix(w.t)) {
        var t = target(c);
        if (t && !out.has(t)) cands.set(t, 0);
      }
      for (var t2 of cands.keys()) {
        var te = await this.lookup(t2);
        cands.set(t2, te ? te[2] : 0);
      }
      Array.from(cands).sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); })
        .slice(0, MAX_EXPAND).forEach(function (c) { out.set(c[0], PREFIX_FACTOR); });
    }
    if (!out.size && !w.han && !w.parts) {
      // An inflection the site never uses: fall back to its longest known beginning.
      var chars = Array.from(w.t);
      for (var k = chars.length - 1; k >= Math.max(4, Math.ceil(chars.length * 0.6)); k--) {
        var b = await self.lookup(chars.slice(0, k).join(""));
        if (b && target(b)) { out.set(target(b), BACKOFF_FACTOR); break; }
      }
    }
    return out;
  };

  Engine.prototype.postings = async function (term) {
    var e = await this.lookup(term);
    if (!e || e.length < 3) return { docs: [], levels: [], df: 0 };
    if (!e.decoded) {
      var s = e[4] ? await this.file("p." + e[4]) : e[3];
      e.decoded = decodePostings(s);
    }
    return e.decoded;
  };

  // Ranked results for a query: [{id, score, words}], best first. `typing`: the last word may
  // still be growing, so its completions count too.
  Engine.prototype.rank = async function (text, typing) {
    var m = await this.init(), n = m.n;
    var words = [];
    var raw = queryWords(text);
    for (var i = 0; i < raw.length; i++) {
      var w = raw[i], last = typing && i === raw.length - 1;
      var terms = await this.resolve(w, last);
      if (!terms.size && w.parts) {
        // A compound the site never writes whole: search its parts instead.
        for (var j = 0; j < w.parts.length; j++) {
          var p = { t: w.parts[j] };
          words.push({ w: p, terms: await this.resolve(p, last && j === w.parts.length - 1) });
        }
      } else words.push({ w: w, terms: terms });
    }
    var total = new Float64Array(n), matched = new Uint8Array(n), best = new Float64Array(n);
    var touched = [];
    for (var x of words) {
      var seen = [];
      for (var entry of x.terms) {
        var term = entry[0], factor = entry[1];
        var post = await this.postings(term);
        var df = post.docs.length;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (var k = 0; k < df; k++) {
          var doc = post.docs[k], v = factor * idf * post.levels[k];
          if (best[doc] === 0) seen.push(doc);
          if (v > best[doc]) best[doc] = v;
        }
      }
      for (var s of seen) {
        if (matched[s] === 0) touched.push(s);
        total[s] += best[s];
        matched[s]++;
        best[s] = 0;
      }
    }
    touched.sort(function (a, b) { return matched[b] - matched[a] || total[b] - total[a] || a - b; });
    return {
      words: words,
      hits: touched.map(function (id) { return { id: id, score: total[id], matched: matched[id] }; })
    };
  };

  // Title, section and text of a document.
  Engine.prototype.doc = async function (id) {
    var m = await this.init();
    var c = floorIndex(m.first, id, function (f) { return f; });
    var chunk = await this.file("d." + m.dh.slice(c * 8, c * 8 + 8));
    var d = chunk.d[id - chunk.f], page = chunk.p[d[0]];
    return { id: id, url: page[0], title: page[1], anchor: d[1], heading: d[2], parents: d[3], text: d[4] };
  };

  // Whether the reader may still be typing the last word: the query does not end in a space or
  // punctuation, so the last word also matches as a beginning.
  function isTyping(text) { return !/[\s.,;:!?。，；：！？]$/.test(text); }

  // Top results with their documents: [{url, anchor, title, heading, parents, text, score, keys}].
  Engine.prototype.search = async function (text, limit) {
    var r = await this.rank(text, isTyping(text)), self = this;
    var keys = [];
    r.words.forEach(function (x) {
      keys.push(x.w.t);
      x.terms.forEach(function (_, t) { keys.push(t); });
    });
    return Promise.all(r.hits.slice(0, limit).map(async function (h) {
      var d = await self.doc(h.id);
      d.score = h.score;
      d.keys = keys;
      return d;
    }));
  };

  // ---- snippets ----
  // Segments [{text, mark}] of a window of `text` around the first matched word. A word matches
  // when its folded form starts with a key (stems are beginnings of their forms); Han keys match
  // anywhere inside Han runs.
  function snippet(text, keys, width) {
    width = width || 160;
    var folded = "", map = [];
    for (var i = 0; i < text.length;) {
      var ch = String.fromCodePoint(text.codePointAt(i));
      var f = fold(ch);
      for (var k = 0; k < f.length; k++) map.push(i);
      folded += f;
      i += ch.length;
    }
    map.push(text.length);
    var words = keys.filter(function (k) { return k && !isHan(k) && cps(k) >= 2; });
    var han = keys.filter(function (k) { return k && isHan(k); });
    var marks = [];
    scan(folded, function (run, at) {
      var s = splitSpan(run);
      if (!s) return;
      var start = at + s.at;
      if (words.indexOf(s.term) >= 0) { marks.push([start, start + s.term.length]); return; }
      var o = start;
      for (var part of s.term.split(/([.\-_'@/+*#&])/)) {
        if (part && words.some(function (k) { return part.startsWith(k); })) marks.push([o, o + part.length]);
        o += part.length;
      }
    }, function (run, at) {
      han.forEach(function (k) {
        for (var p = run.indexOf(k); p >= 0; p = run.indexOf(k, p + 1)) marks.push([at + p, at + p + k.length]);
      });
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var ranges = [];
    marks.forEach(function (r) {
      var a = map[r[0]], b = map[r[1]], last = ranges[ranges.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b); else ranges.push([a, b]);
    });
    var from = 0;
    if (ranges.length && ranges[0][0] > width / 3) {
      from = ranges[0][0] - Math.floor(width / 3);
      var sp = text.indexOf(" ", from);
      if (sp >= 0 && sp < ranges[0][0]) from = sp + 1;
    }
    var to = Math.min(text.length, from + width);
    var out = [], pos = from;
    if (from > 0) out.push({ text: "…", mark: false });
    ranges.forEach(function (r) {
      var a = Math.max(r[0], from), b = Math.min(r[1], to);
      if (a >= b) return;
      if (a > pos) out.push({ text: text.slice(pos, a), mark: false });
      out.push({ text: text.slice(a, b), mark: true });
      pos = b;
    });
    if (pos < to) out.push({ text: text.slice(pos, to), mark: false });
    if (to < text.length) out.push({ text: "…", mark: false });
    return out;
  }

  // Results shown in the box (a phone screen shows about five).
  var LIMIT = 6;

  var api = { LIMIT: LIMIT, fold: fold, tokenize: tokenize, queryWords: queryWords, decodePostings: decodePostings,
    Engine: Engine, snippet: snippet };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }

  // ---- the search box ----
  var DEBOUNCE_MS = 120;

  function setup(box) {
    var input = box.querySelector("input"), list = box.querySelector("[role=listbox]");
    var status = box.querySelector("[role=status]"), data = box.dataset;
    var base = new URL(data.root || "./", location.href);
    var lang = data.lang, pending = {}, engine = null, timer = 0, seq = 0, active = -1;
    var options = [];

    window.__steppeSearch = function (key, payload) {
      var resolve = pending[key];
      delete pending[key];
      if (resolve) resolve(payload);
    };

    function load(name) {
      return new Promise(function (resolve, reject) {
        var key = lang + "/" + name, s = document.createElement("script");
        pending[key] = resolve;
        s.src = new URL("search/" + lang + "/" + name + ".js", base).href;
        s.onload = function () {
          s.remove();
          if (pending[key]) { delete pending[key]; reject(new Error(name)); }
        };
        s.onerror = function () { s.remove(); delete pending[key]; reject(new Error(name)); };
        document.head.appendChild(s);
      });
    }

    function href(r) {
      var url = r.url;
      // From disk there is no server to turn a folder into its index.html.
      if (location.protocol === "file:" && (url === "" || url.endsWith("/"))) url += "index.html";
      return new URL(url, base).href.split("#")[0] + (r.anchor ? "#" + r.anchor : "");
    }

    function setStatus(text) { status.textContent = text; }

    function open(yes) {
      list.hidden = !yes;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) select(-1);
    }

    function select(i) {
      if (options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (options[i]) {
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }

    function go(i) {
      var o = options[i];
      if (o) location.href = o.dataset.href;
    }

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text) e.textContent = text;
      return e;
    }

    function render(results) {
      list.textContent = "";
      options = [];
      active = -1;
      results.forEach(function (r, i) {
        var li = el("li", "search-option");
        li.id = "search-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.href = href(r);
        li.appendChild(el("span", "search-title", r.title));
        var section = r.parents.concat(r.heading ? [r.heading] : []).filter(function (h) { return h !== r.title; });
        if (section.length) li.appendChild(el("span", "search-section", section.join(" › ")));
        var snip = el("span", "search-snippet");
        snippet(r.text, r.keys).forEach(function (s) {
          snip.appendChild(s.mark ? el("mark", "", s.text) : document.createTextNode(s.text));
        });
        li.appendChild(snip);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        li.addEventListener("click", function () { go(i); });
        list.appendChild(li);
        options.push(li);
      });
      open(results.length > 0);
      setStatus(results.length ? data.results.replace("{count}", results.length) : data.noResults);
    }

    async function run() {
      var text = input.value, mine = ++seq;
      if (!text.trim()) { render([]); setStatus(""); return; }
      try {
        var results = await engine.search(text, LIMIT);
        if (mine === seq) render(results);
      } catch (e) {
        if (mine === seq) { render([]); setStatus(data.error); }
      }
    }

    input.addEventListener("focus", function () {
      if (options.length) open(true);
      if (!engine) {
        engine = new Engine(load);
        engine.init().catch(function () { setStatus(data.error); engine = null; });
      }
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (engine) timer = setTimeout(run, DEBOUNCE_MS);
    });
    input.addEventListener("blur", function () { open(false); });
    input.addEventListener("keydown", function (ev) {
      var n = options.length;
      if (ev.key === "ArrowDown" && n) {
        ev.preventDefault();
        if (list.hidden) open(true);
        select((active + 1) % n);
      } else if (ev.key === "ArrowUp" && n) {
        ev.preventDefault();
        select(active <= 0 ? n - 1 : active - 1);
      } else if (ev.key === "Enter" && n && !list.hidden) {
        ev.preventDefault();
        go(active < 0 ? 0 : active);
      } else if (ev.key === "Escape") {
        if (!list.hidden) open(false); else { input.value = ""; render([]); setStatus(""); }
      }
    });
    document.addEventListener("keydown", function (ev) {
      var t = ev.target, tag = t && t.tagName;
      if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      ev.preventDefault();
      input.focus();
    });
    box.hidden = false;
  }

  function start() {
    var box = document.querySelector("[data-steppe-search]");
    if (box) setup(box);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

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

  // The words of a query: a term with its parts, or a Han pair (a lone Han character stands
  // alone). Words on the `stop` list are marked; stop words inside a Han run are cut out before
  // pairing (`IIN怎么办理` → iin, 办理), unless the run has nothing else.
  function queryWords(text, stop) {
    var words = [];
    stop = stop || new Set();
    scan(fold(text), function (run) {
      var s = splitSpan(run);
      if (s && cps(s.term) <= MAX_TOKEN) words.push({ t: s.term, parts: s.parts, stop: stop.has(s.term) });
    }, function (run) {
      var pieces = cutStops(Array.from(run), stop);
      pieces.forEach(function (c) {
        if (c.length === 1) words.push({ t: c[0], han: true, stop: stop.has(c[0]) });
        for (var k = 0; k + 1 < c.length; k++) words.push({ t: c[k] + c[k + 1], han: true, stop: false });
      });
    });
    return words;
  }

  // A Han run (characters) without its stop words, as the pieces between them; the whole run
  // when nothing else is left.
  function cutStops(chars, stop) {
    var pieces = [], cur = [];
    for (var i = 0; i < chars.length;) {
      var len = 0;
      for (var l = Math.min(3, chars.length - i); l >= 1 && !len; l--) {
        if (stop.has(chars.slice(i, i + l).join(""))) len = l;
      }
      if (len) { if (cur.length) pieces.push(cur); cur = []; i += len; } else cur.push(chars[i++]);
    }
    if (cur.length) pieces.push(cur);
    return pieces.length ? pieces : [chars];
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

  // A posting string → {docs, levels}: per posting one varint, (gap − 1) × 32 + level − 1
  // (levels 1–31; src/search/encode.rs).
  function decodePostings(s) {
    var docs = [], levels = [], v = 0, next = 0;
    for (var i = 0; i < s.length; i++) {
      var x = DIGIT[s[i]];
      v = v * 32 + (x & 31);
      if (x < 32) {
        next += Math.floor(v / 32);
        docs.push(next);
        levels.push((v % 32) + 1);
        next++;
        v = 0;
      }
    }
    return { docs: docs, levels: levels };
  }

  var MAX_EXPAND = 4;
  var MIN_PREFIX = 2;
  var PREFIX_FACTOR = 0.7;
  var BACKOFF_FACTOR = 0.6;
  // Typo correction: edit distance 1 from 5 characters, 2 from 9; corrected words weigh less.
  var TYPO_MIN = 5, TYPO_TWO = 9, MAX_TYPOS = 2;
  var TYPO_FACTOR = [1, 0.5, 0.35];
  var STOP_FACTOR = 0.1;
  var HAN_SINGLE_FACTOR = 0.5;

  // Optimal string alignment distance between code point arrays a and b (a swap of neighbours is
  // one edit), or max + 1 once it must exceed `max`. Pinned against Rust's strsim by
  // tests/typo-cases.json.
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = [], prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var v = Math.min(prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + cost);
        if (i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) v = Math.min(v, prev2[k - 2] + 1);
        cur[k] = v;
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return Math.min(prev[b.length], max + 1);
  }

  // `load(name)` returns a promise of the payload of search/<lang>/<name>.js.
  function Engine(load) {
    this.load = load;
    this.files = new Map();
    this.manifest = null;
    this.loaded = [];
  }

  Engine.prototype.file = function (name) {
    if (!this.files.has(name)) {
      this.loaded.push(name);
      this.files.set(name, Promise.resolve(this.load(name)));
    }
    return this.files.get(name);
  };

  Engine.prototype.init = function () {
    return this.manifest || (this.manifest = this.file("index").then(function (m) {
      if (m.v !== 4) throw new Error("search index version " + m.v);
      var first = [], at = 0;
      varints(m.dg).forEach(function (g) { at += g; first.push(at); });
      var pages = [], start = 0;
      varints(m.pg).forEach(function (count) { pages.push(start); start += count; });
      return { n: m.n, t: m.t, first: first, dh: m.dh, pages: pages, stop: new Set(m.s), ty: m.ty,
        sizes: varints(m.pg) };
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

  // Whether typo-table position (first character, length) a comes before b.
  function before(a, b) { return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]); }

  // Dictionary keys within the word's typo distance: [{key, d}], nearest then most frequent.
  // Loads only the typo-table chunks holding the word's first character at nearby lengths: a
  // chunk runs from its (first character, length) in the manifest to the next one's.
  Engine.prototype.typos = async function (word) {
    var m = await this.init(), chars = Array.from(word), n = chars.length;
    if (n < TYPO_MIN) return [];
    var max = n >= TYPO_TWO ? 2 : 1, found = [];
    var low = [chars[0], n - max], high = [chars[0], n + max];
    for (var i = 0; i < m.ty.length; i++) {
      var c = m.ty[i], next = m.ty[i + 1];
      if (before(high, c) || (next && before(next, low))) continue;
      var list = await this.file("v." + c[2]);
      for (var k = 0; k < list.length; k += 2) {
        var cand = Array.from(list[k]);
        if (cand[0] !== chars[0] || Math.abs(cand.length - n) > max) continue;
        var d = editDistance(chars, cand, max);
        if (d <= max && d > 0) found.push({ key: list[k], d: d, df: list[k + 1] });
      }
    }
    found.sort(function (a, b) { return a.d - b.d || b.df - a.df || (a.key < b.key ? -1 : 1); });
    return found.filter(function (f) { return f.d === found[0].d; }).slice(0, MAX_TYPOS);
  };

  // Single Han characters are posted per page, on the page's first section (src/search/index.rs).
  function pageLevel(term) { return cps(term) === 1 && isHan(term) ? 1 : 0; }

  // The heading's id by GitHub's rule, as the build writes it (`slug` in src/search/docs.rs):
  // the build stores a section's anchor only where this would get it wrong.
  function slug(heading) {
    var out = "";
    for (var ch of heading.trim()) {
      for (var l of ch.toLowerCase()) {
        if (l === "-" || l === "_" || WORD.test(l)) out += l;
        else if (l === " ") out += "-";
      }
    }
    return out;
  }

  // The index term an entry stands for: its alias target, or itself if it has postings.
  function target(e) { return e[1] || (e.length > 2 ? e[0] : null); }

  // Word → Map(index term → factor): exact form, completions while typing, longest known
  // prefix, then the nearest keys by edit distance (recorded in w.fix for "did you mean").
  Engine.prototype.resolve = async function (w, typing) {
    var out = new Map(), self = this;
    var e = await this.lookup(w.t);
    if (e && target(e)) out.set(target(e), 1);
    // Han needs no completions: a pair already matches inside longer runs.
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
      // Two letters start many words: fewer completions, so the first keystrokes stay cheap.
      var expand = cps(w.t) > MIN_PREFIX ? MAX_EXPAND : MAX_EXPAND / 2;
      Array.from(cands).sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); })
        .slice(0, expand).forEach(function (c) { out.set(c[0], PREFIX_FACTOR); });
    }
    var inflected = false;
    if (!out.size && !w.han && !w.parts) {
      // An inflection the site never uses: fall back to its longest known beginning.
      var chars = Array.from(w.t);
      for (var k = chars.length - 1; k >= Math.max(4, Math.ceil(chars.length * 0.6)); k--) {
        var b = await self.lookup(chars.slice(0, k).join(""));
        if (b && target(b)) { out.set(target(b), BACKOFF_FACTOR); inflected = true; break; }
      }
    }
    if ((!out.size || inflected) && !w.han && !w.parts) {
      // Compounds are searched by their parts instead, each corrected on its own. After a known
      // beginning, the forms one edit away are its sibling inflections (замену → замена, whose
      // stem the beginning may not share): searched too, but not offered as a correction.
      for (var f of await this.typos(w.t)) {
        var fe = await this.lookup(f.key);
        if (fe && target(fe) && !out.has(target(fe))) {
          out.set(target(fe), TYPO_FACTOR[f.d]);
          if (!w.fix && !inflected) w.fix = f.key;
        }
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

  // The query's words with their index terms: [{w, terms}]. Compounds the site never writes
  // whole are searched by their parts; Han pairs found nowhere fall back to their characters.
  Engine.prototype.words = async function (text, typing, stop) {
    var words = [], raw = queryWords(text, stop), lonely = [];
    for (var i = 0; i < raw.length; i++) {
      var w = raw[i], last = typing && i === raw.length - 1;
      var terms = await this.resolve(w, last);
      if (!terms.size && w.parts) {
        for (var j = 0; j < w.parts.length; j++) {
          var p = { t: w.parts[j], stop: stop.has(w.parts[j]) };
          words.push({ w: p, terms: await this.resolve(p, last && j === w.parts.length - 1) });
        }
      } else if (!terms.size && w.han && cps(w.t) === 2) lonely.push(w);
      else words.push({ w: w, terms: terms });
    }
    if (lonely.length && !words.some(function (x) { return x.w.han && x.terms.size; })) {
      var singles = new Set();
      lonely.forEach(function (w) { Array.from(w.t).forEach(function (ch) { if (!stop.has(ch)) singles.add(ch); }); });
      for (var ch of singles) {
        var single = await this.resolve({ t: ch, han: true }, false);
        single.forEach(function (f, t) { single.set(t, f * HAN_SINGLE_FACTOR); });
        words.push({ w: { t: ch, han: true }, terms: single });
      }
    }
    // Stop words weigh a tenth, unless the query has nothing else.
    var allStop = words.every(function (x) { return x.w.stop; });
    words.forEach(function (x) { x.weight = x.w.stop && !allStop ? STOP_FACTOR : 1; });
    return words;
  };

  // Ranked sections for a query: {words, hits: [{id, score}]}, best first. A section's score
  // is the sum over query words of weight × IDF × level, times the share of the query's
  // weight it covers (a word's weight: its best IDF), so the rare word decides, not the count
  // of shared filler words. `typing`: the last word may still be growing.
  Engine.prototype.rank = async function (text, typing) {
    var m = await this.init(), n = m.n;
    var words = await this.words(text, typing, m.stop);
    var total = new Float64Array(n), covered = new Float64Array(n), best = new Float64Array(n);
    var touched = [], query = 0;
    // Words posted per page (single Han characters) come last, to reach the sections the
    // other words found.
    words.sort(function (a, b) { return pageLevel(a.w.t) - pageLevel(b.w.t); });
    for (var x of words) {
      var seen = [], top = 0;
      for (var entry of x.terms) {
        var post = await this.postings(entry[0]), df = post.docs.length, perPage = pageLevel(entry[0]);
        var idf = Math.log(1 + ((perPage ? m.pages.length : n) - df + 0.5) / (df + 0.5)) * entry[1] * x.weight;
        if (df && idf > top) top = idf;
        for (var k = 0; k < df; k++) {
          var doc = post.docs[k], v = idf * post.levels[k];
          var page = perPage ? floorIndex(m.pages, doc, function (f) { return f; }) : 0;
          var last = perPage ? doc + m.sizes[page] : doc + 1;
          // A page posting counts for the page's first section and every section of it
          // that the words before found.
          for (var s = doc; s < last; s++) {
            if (s !== doc && total[s] === 0) continue;
            if (best[s] === 0) seen.push(s);
            if (v > best[s]) best[s] = v;
          }
        }
      }
      query += top;
      for (var s of seen) {
        if (total[s] === 0) touched.push(s);
        total[s] += best[s];
        covered[s] += top;
        best[s] = 0;
      }
    }
    var hits = touched.map(function (id) {
      return { id: id, score: total[id] * (query ? covered[id] / query : 1) };
    });
    hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return { words: words, hits: hits };
  };

  // Hits grouped by page, best page first: each page's best section, then up to two more of
  // its sections (`sub`), while the list still has room for one section of every next page
  // (up to four pages), so the first screen shows several pages.
  function groupByPage(hits, pages, limit) {
    var groups = [], byPage = new Map();
    hits.forEach(function (h) {
      var p = floorIndex(pages, h.id, function (f) { return f; });
      if (!byPage.has(p)) { byPage.set(p, []); groups.push(byPage.get(p)); }
      byPage.get(p).push(h);
    });
    var out = [];
    for (var g = 0; g < groups.length && out.length < limit; g++) {
      out.push({ id: groups[g][0].id, score: groups[g][0].score, sub: false });
      var reserve = Math.min(groups.length - g - 1, 3);
      for (var k = 1; k < Math.min(groups[g].length, 3) && out.length + reserve < limit; k++) {
        if (groups[g][k].score < groups[g][0].score / 2) break;
        out.push({ id: groups[g][k].id, score: groups[g][k].score, sub: true });
      }
    }
    return out;
  }

  // Title, section and text of a document.
  Engine.prototype.doc = async function (id) {
    var m = await this.init();
    var c = floorIndex(m.first, id, function (f) { return f; });
    var chunk = await this.file("d." + m.dh.slice(c * 8, c * 8 + 8));
    var d = chunk.d[id - m.first[c]], page = chunk.p[d[0]];
    // A parent heading is written once: a number is the section of this chunk that has it.
    var parents = d[2].map(function (p) { return typeof p === "number" ? chunk.d[p][1] : p; });
    return { id: id, url: page[0], title: page[1], anchor: d.length > 4 ? d[4] : slug(d[1]), heading: d[1],
      parents: parents, text: d[3] };
  };

  // Whether the reader may still be typing the last word: the query does not end in a space or
  // punctuation, so the last word also matches as a beginning.
  function isTyping(text) { return !/[\s.,;:!?。，；：！？]$/.test(text); }

  // Top results grouped by page, and the corrected query when a word was corrected:
  // {results: [{url, anchor, title, heading, parents, text, score, keys, sub}], suggestion}.
  Engine.prototype.find = async function (text, limit) {
    var m = await this.init(), self = this;
    var r = await this.rank(text, isTyping(text));
    var keys = [], fixed = false;
    r.words.forEach(function (x) {
      keys.push(x.w.t);
      x.terms.forEach(function (_, t) { keys.push(t); });
      if (x.w.fix) { keys.push(x.w.fix); fixed = true; }
    });
    var suggestion = null;
    if (fixed) {
      suggestion = fold(text).trim();
      r.words.forEach(function (x) { if (x.w.fix) suggestion = suggestion.replace(x.w.t, x.w.fix); });
    }
    var shown = groupByPage(r.hits, m.pages, limit);
    var results = await Promise.all(shown.map(async function (h) {
      var d = await self.doc(h.id);
      d.score = h.score;
      d.keys = keys;
      d.sub = h.sub;
      return d;
    }));
    return { results: results, suggestion: suggestion };
  };

  // The results of `find` alone (query.mjs, tests).
  Engine.prototype.search = async function (text, limit) {
    return (await this.find(text, limit)).results;
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
    Engine: Engine, snippet: snippet, editDistance: editDistance };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }

  // ---- the search box ----
  var DEBOUNCE_MS = 120;
  // "Searching…" appears only when results take longer than this, so fast answers do not flicker.
  var SEARCHING_MS = 250;

  function setup(box) {
    var input = box.querySelector("input"), list = box.querySelector("[role=listbox]");
    var status = box.querySelector("[role=status]"), panel = box.querySelector(".search-panel");
    var note = box.querySelector(".search-note"), data = box.dataset;
    var base = new URL(data.root || "./", location.href);
    var lang = data.lang, pending = {}, engine = null, timer = 0, slow = 0, seq = 0, active = -1;
    var options = [], shownFor = null, enterWanted = false, failed = false;

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

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text) e.textContent = text;
      return e;
    }

    function fill(template, query) { return template.replace("{query}", "\u201c" + query + "\u201d"); }

    // The visible state line (and the same words for screen readers). `suggestion` adds a
    // "did you mean" button that searches the corrected query.
    function say(text, suggestion, kind) {
      note.textContent = "";
      note.className = "search-note" + (kind ? " search-note-" + kind : "");
      var spoken = text;
      if (text) note.appendChild(document.createTextNode(text));
      if (suggestion) {
        var parts = data.didYouMean.split("{query}");
        var button = el("button", "search-suggestion", suggestion);
        button.type = "button";
        button.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        button.addEventListener("click", function () { input.value = suggestion; input.focus(); run(); });
        if (text) note.appendChild(document.createTextNode(" "));
        note.appendChild(document.createTextNode(parts[0]));
        note.appendChild(button);
        note.appendChild(document.createTextNode(parts[1] || ""));
        spoken = (text ? text + " " : "") + data.didYouMean.replace("{query}", suggestion);
      }
      note.hidden = !text && !suggestion;
      status.textContent = spoken || "";
      layout();
    }

    function layout() {
      panel.hidden = list.hidden && note.hidden;
    }

    function open(yes) {
      list.hidden = !yes || !options.length;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      if (!yes) select(-1);
      layout();
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

    function option(r, i) {
      var li = el("li", "search-option" + (r.sub ? " search-sub" : ""));
      li.id = "search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.href = href(r);
      // A section of the page above it shows its section path only.
      if (!r.sub) li.appendChild(el("span", "search-title", r.title));
      var section = r.parents.concat(r.heading ? [r.heading] : []).filter(function (h) { return h !== r.title; });
      if (section.length) li.appendChild(el("span", "search-section", section.join(" › ")));
      var snip = el("span", "search-snippet");
      snippet(r.text, r.keys).forEach(function (s) {
        snip.appendChild(s.mark ? el("mark", "", s.text) : document.createTextNode(s.text));
      });
      li.appendChild(snip);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
      li.addEventListener("click", function () { go(i); });
      return li;
    }

    function render(text, found) {
      list.textContent = "";
      options = found.results.map(option);
      options.forEach(function (li) { list.appendChild(li); });
      active = -1;
      shownFor = text;
      list.dataset.query = text; // which query the options answer (tests wait for it)
      open(options.length > 0);
      if (!options.length) say(fill(data.noResults, text.trim()), found.suggestion, "empty");
      else if (found.suggestion) say("", found.suggestion, "fix");
      else { say(""); status.textContent = data.results.replace("{count}", options.length); }
      if (enterWanted && options.length) { enterWanted = false; go(0); }
    }

    function clear() {
      clearTimeout(timer);
      clearTimeout(slow);
      seq++;
      options = [];
      list.textContent = "";
      shownFor = null;
      enterWanted = false;
      open(false);
      say("");
    }

    function fail() {
      clearTimeout(slow);
      failed = true;
      options = [];
      list.textContent = "";
      open(false);
      say(data.error, null, "error");
    }

    function start() {
      if (!engine) {
        failed = false;
        engine = new Engine(load);
        engine.init().catch(function () { engine = null; fail(); });
      }
      return engine;
    }

    async function run() {
      clearTimeout(timer);
      var text = input.value, mine = ++seq;
      if (!text.trim()) { clear(); return; }
      clearTimeout(slow);
      slow = setTimeout(function () { if (mine === seq) say(data.searching, null, "busy"); }, SEARCHING_MS);
      try {
        var found = await start().find(text, LIMIT);
        if (mine === seq) { clearTimeout(slow); render(text, found); }
      } catch (e) {
        if (mine === seq) { engine = null; fail(); }
      }
    }

    input.addEventListener("focus", function () {
      if (options.length) open(true);
      start();
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      enterWanted = false;
      if (!input.value.trim()) { clear(); return; }
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    input.addEventListener("blur", function (ev) {
      if (ev.relatedTarget && box.contains(ev.relatedTarget)) return;
      open(false);
      if (!failed) { note.hidden = true; layout(); }
    });
    input.addEventListener("keydown", function (ev) {
      var n = options.length, current = shownFor === input.value;
      if (ev.key === "ArrowDown" && n) {
        ev.preventDefault();
        if (list.hidden) open(true);
        select((active + 1) % n);
      } else if (ev.key === "ArrowUp" && n) {
        ev.preventDefault();
        select(active <= 0 ? n - 1 : active - 1);
      } else if (ev.key === "Enter") {
        ev.preventDefault();
        if (active >= 0 && n && !list.hidden) go(active);
        else if (current && n) go(0);
        else if (input.value.trim() && !current) {
          // Results are on their way: open the first one when it comes.
          enterWanted = true;
          run();
        }
      } else if (ev.key === "Escape") {
        if (!list.hidden) open(false); else { input.value = ""; clear(); }
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
    // The box is drawn from the start with its input disabled, so its space is taken before this
    // script runs (no layout shift); it takes input from now on.
    input.disabled = false;
    // A query in the address (`?q=words`, the 404 page's search form) is searched at once.
    var asked = new URLSearchParams(location.search).get("q");
    if (asked && asked.trim()) { input.value = asked; input.focus(); run(); }
  }

  function ready() {
    var box = document.querySelector("[data-steppe-search]");
    if (box) setup(box);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

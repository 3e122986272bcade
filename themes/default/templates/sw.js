/* steppe service worker: the guide of the reader's language offline after one visit.
 *
 * Written by steppe at the output root (src/render/offline.rs fills in the values below), so
 * its scope is the whole site. Pages register it only over http(s) (partials/offline.html).
 *
 * - install: stores the theme's files (stylesheets, scripts, icon) in a cache named after
 *   this build's version, then replaces an older worker at once (pages it served keep going);
 * - a page asks it to store its language: the list offline/<lang>.json names the language's
 *   pages and its search index; they are fetched a few at a time and the list itself is
 *   stored last, as the mark that the language is complete;
 * - activate: languages stored by an older version are stored again in the new cache, then
 *   the older caches of this site are deleted;
 * - requests: files with a content hash in their name (static/style.1a2b3c4d.css, search
 *   shards) come from the cache first; everything else from the network first, pages and
 *   search files the reader opened are kept, and the cache answers when the network fails.
 */
"use strict";

var VERSION = "{{ version }}";
var ASSETS = {{ assets | safe }};
var LANGS = {{ languages | safe }};
var LISTS = "{{ lists }}/";
/* The site's root, e.g. https://example.org/guide/ */
var ROOT = self.registration.scope;
/* Every cache of this site starts with PREFIX: another site on the same host keeps its own. */
var PREFIX = "steppe " + new URL(ROOT).pathname + " ";
var CACHE = PREFIX + VERSION;
var HASHED = /\.[0-9a-f]{8}\.[A-Za-z0-9]+$/;
/* Files fetched at once while storing a language: enough to be quick, few enough to leave a
   phone's connection for the page the reader is looking at. */
var AT_ONCE = 4;
var storing = {};

function abs(path) { return new URL(path, ROOT).href; }

function usable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

/* Fetches and stores each URL not yet in `cache`; fails if any fails. */
function storeMissing(cache, urls) {
  var next = 0;
  function worker() {
    if (next >= urls.length) return Promise.resolve();
    var url = urls[next++];
    return cache.match(url).then(function (hit) {
      if (hit) return;
      return fetch(url, { cache: "no-cache" }).then(function (r) {
        if (!usable(r)) throw new Error("offline: " + url + " answered " + r.status);
        return cache.put(url, r);
      });
    }).then(worker);
  }
  var workers = [];
  for (var i = 0; i < AT_ONCE; i++) workers.push(worker());
  return Promise.all(workers);
}

/* Stores the pages and search index of `lang` once per version. */
function storeLanguage(lang) {
  if (LANGS.indexOf(lang) < 0) return Promise.resolve();
  if (storing[lang]) return storing[lang];
  var listUrl = abs(LISTS + lang + ".json");
  var done = caches.open(CACHE).then(function (cache) {
    return cache.match(listUrl).then(function (stored) {
      if (stored) return;
      return fetch(listUrl, { cache: "no-cache" }).then(function (r) {
        if (!usable(r)) throw new Error("offline: " + listUrl + " answered " + r.status);
        return r.clone().json().then(function (list) {
          return storeMissing(cache, list.pages.concat(list.search).map(abs));
        }).then(function () { return cache.put(listUrl, r); });
      });
    });
  });
  storing[lang] = done;
  return done.then(function () { delete storing[lang]; },
    function (e) { delete storing[lang]; throw e; });
}

/* Languages whose list is stored in cache `key`. */
function storedLanguages(key) {
  return caches.open(key).then(function (cache) {
    return Promise.all(LANGS.map(function (lang) {
      return cache.match(abs(LISTS + lang + ".json")).then(function (hit) { return hit ? lang : null; });
    }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE)
    .then(function (cache) { return storeMissing(cache, ASSETS.map(abs)); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    var old = keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; });
    return Promise.all(old.map(storedLanguages)).then(function (found) {
      var langs = [];
      found.forEach(function (list) {
        list.forEach(function (l) { if (l && langs.indexOf(l) < 0) langs.push(l); });
      });
      // Best effort: a language that cannot be stored now is stored at the next visit.
      return Promise.all(langs.map(function (l) { return storeLanguage(l).catch(function () {}); }));
    }).then(function () {
      return Promise.all(old.map(function (k) { return caches.delete(k); }));
    });
  }));
  // No clients.claim(): the page that registered the first worker keeps loading as it began
  // (its requests stay its own); from the next page on, the worker answers.
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "steppe-store-language") {
    event.waitUntil(storeLanguage(data.lang).catch(function () {}));
  }
});

/* The stored answer for `request`: a folder URL is stored as its index.html. */
function fromCache(request) {
  var url = new URL(request.url);
  url.search = "";
  url.hash = "";
  return caches.open(CACHE).then(function (cache) {
    return cache.match(url.href).then(function (hit) {
      if (hit || !url.pathname.endsWith("/")) return hit;
      return cache.match(url.href + "index.html");
    });
  });
}

function cacheFirst(request) {
  return fromCache(request).then(function (hit) {
    return hit || fetch(request).then(function (r) {
      if (usable(r)) {
        var copy = r.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request.url.split(/[?#]/)[0], copy); });
      }
      return r;
    });
  });
}

/* Pages the reader opens and search files are kept for offline use; nothing else. */
function keep(request, url) {
  return request.mode === "navigate" || url.pathname.indexOf(new URL(ROOT).pathname + "search/") === 0;
}

function networkFirst(request) {
  var url = new URL(request.url);
  return fetch(request).then(function (r) {
    if (usable(r) && keep(request, url)) {
      var key = url.origin + url.pathname + (url.pathname.endsWith("/") ? "index.html" : "");
      var copy = r.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
    }
    return r;
  }, function (error) {
    return fromCache(request).then(function (hit) {
      if (hit) return hit;
      throw error;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || request.url.indexOf(ROOT) !== 0) return;
  // The preview server's live-reload stream (steppe watch) is never cached.
  if ((request.headers.get("accept") || "").indexOf("text/event-stream") >= 0) return;
  event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request));
});

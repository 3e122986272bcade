// A small static file server for the browser suite, like a real host: it serves a folder on
// 127.0.0.1, turns a folder URL into its index.html (redirecting `/guide` to `/guide/`), and
// answers a missing path with 404 and the body of the nearest 404.html above it, the way GitHub
// Pages, Netlify or nginx's `error_page 404` do (python's http.server sends its own page).
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8', '.ico': 'image/x-icon',
};

function isFile(p) {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

function isDir(p) {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/** The 404.html nearest above `file` inside `root`, if any. */
function notFoundPage(root, file) {
  for (let dir = path.dirname(file); dir.startsWith(root); dir = path.dirname(dir)) {
    const page = path.join(dir, '404.html');
    if (isFile(page)) return page;
    if (dir === root) break;
  }
  return null;
}

/** Serves `root` on 127.0.0.1:`port`; resolves to the http.Server once it listens. Setting its
 * `unreachable` to true makes it drop every request until set back to false. */
function serve(root, port) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    // `server.unreachable = true` drops every connection, as when the host cannot be reached:
    // unlike Playwright's setOffline, it also fails a service worker's own fetches.
    if (server.unreachable) { req.socket.destroy(); return; }
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { rel = '/'; }
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (isDir(file) && !rel.endsWith('/')) {
      res.writeHead(301, { Location: `${rel}/` }).end();
      return;
    }
    const target = isDir(file) ? path.join(file, 'index.html') : file;
    if (isFile(target)) {
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(target)] || 'application/octet-stream' });
      fs.createReadStream(target).pipe(res);
      return;
    }
    const page = notFoundPage(root, target);
    res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
    if (page) fs.createReadStream(page).pipe(res); else res.end('not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

module.exports = { serve };

(function () {
  var KEY = 'steppe-scroll';
  try {
    var saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (saved && saved.path === location.pathname) {
      addEventListener('load', function () { scrollTo(0, saved.y); });
    }
    sessionStorage.removeItem(KEY);
  } catch (e) {}
  function overlay(text) {
    var box = document.getElementById('steppe-error');
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('div');
      box.id = 'steppe-error';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;' +
        'background:#2b0d0d;color:#ffe3e3;font:14px/1.5 ui-monospace,monospace;padding:1rem;border-top:4px solid #ff6b6b;white-space:pre-wrap';
      document.body.appendChild(box);
    }
    box.textContent = 'steppe: the last build failed; showing the last good page.\n\n' + text;
  }
  overlay(window.__steppeError);
  var source = new EventSource('/__steppe/events');
  source.addEventListener('build-error', function (e) { overlay(e.data); });
  source.addEventListener('reload', function () {
    if (window.__steppeFirst !== false) { window.__steppeFirst = false; if (!window.__steppeError) return; }
    try { sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, y: scrollY })); } catch (e) {}
    location.reload();
  });
})();

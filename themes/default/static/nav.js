/* steppe navigation: the header's menu button, the language menu and back-to-top. A classic
 * script with no dependencies, so it runs from file:// too.
 *
 * Without it everything still works: the menu is a link to the navigation (#site-nav), the
 * language menu is a plain <details>, and "back to top" is a link at the end of the page. The
 * inline script in <head> adds the `js` class before the page is drawn, so style.css shows the
 * scripted forms from the first frame and nothing moves when this runs. */
(function () {
  "use strict";

  // Below this width the navigation is a drawer; above it, a sidebar (style.css says the same).
  var NARROW = window.matchMedia("(max-width: 59.99rem)");

  // The site navigation as a drawer under the header, opened and closed by the menu button.
  function Drawer(button, nav) {
    this.button = button;
    this.nav = nav;
    this.header = button.closest("header") || document.body;
    nav.tabIndex = -1; // a tap inside the drawer keeps focus in it
  }

  Drawer.prototype.isOpen = function () {
    return this.button.getAttribute("aria-expanded") === "true";
  };

  // Opens (focus on the current page's link) or closes (focus back on the button if `refocus`).
  Drawer.prototype.set = function (open, refocus) {
    var nav = this.nav;
    if (open) {
      // The drawer starts where the header ends on screen, however far the page is scrolled.
      var top = Math.max(0, this.header.getBoundingClientRect().bottom);
      nav.style.setProperty("--drawer-top", top + "px");
    }
    this.button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
    document.documentElement.classList.toggle("menu-open", open);
    if (open) {
      var current = nav.querySelector("[aria-current=page]") || nav.querySelector("a");
      (current || nav).focus({ preventScroll: true });
      if (current) current.scrollIntoView({ block: "nearest" });
    } else if (refocus) {
      this.button.focus();
    }
  };

  // Escape closes and gives focus back to the button. While open, the drawer follows the button
  // in the Tab order (in the page it comes after the content): Tab from the button enters it,
  // Shift+Tab from its first link returns to the button.
  Drawer.prototype.onKey = function (ev) {
    if (!this.isOpen()) return;
    var first = this.nav.querySelector("a");
    if (ev.key === "Escape") {
      ev.preventDefault();
      this.set(false, true);
    } else if (ev.key === "Tab" && !ev.shiftKey && ev.target === this.button && first) {
      ev.preventDefault();
      first.focus();
    } else if (ev.key === "Tab" && ev.shiftKey && (ev.target === first || ev.target === this.nav)) {
      ev.preventDefault();
      this.button.focus();
    }
  };

  // Leaving the drawer with Tab, or following one of its links, closes it; so does a window
  // grown past the width where the navigation is a sidebar.
  Drawer.prototype.listen = function () {
    var self = this;
    this.button.addEventListener("click", function () { self.set(!self.isOpen(), false); });
    document.addEventListener("keydown", function (ev) { self.onKey(ev); });
    this.nav.addEventListener("focusout", function (ev) {
      var to = ev.relatedTarget;
      if (self.isOpen() && to && to !== self.button && !self.nav.contains(to)) self.set(false, false);
    });
    this.nav.addEventListener("click", function (ev) {
      if (self.isOpen() && ev.target.closest("a")) self.set(false, false);
    });
    NARROW.addEventListener("change", function () {
      if (!NARROW.matches && self.isOpen()) self.set(false, false);
    });
  };

  function menu() {
    var button = document.querySelector(".menu-button"), nav = document.getElementById("site-nav");
    if (button && nav) new Drawer(button, nav).listen();
  }

  // "On this page" is a right rail on wide screens, shown by CSS while the <details> is closed;
  // opening it there keeps what screen readers hear (expanded) the same as what is seen, and
  // shows the list in browsers whose CSS cannot.
  function tocRail() {
    var toc = document.querySelector("main > details.toc");
    if (toc && window.matchMedia("(min-width: 68.75rem)").matches) toc.open = true;
  }

  // The language menu (<details>): Escape and a tap elsewhere close it.
  function languages() {
    var menus = document.querySelectorAll("details.lang-menu");
    function closeAll(except, refocus) {
      menus.forEach(function (d) {
        if (d !== except && d.open) {
          d.open = false;
          if (refocus && d.contains(document.activeElement)) d.querySelector("summary").focus();
        }
      });
    }
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") closeAll(null, true);
    });
    document.addEventListener("click", function (ev) {
      closeAll(ev.target.closest && ev.target.closest("details.lang-menu"), false);
    });
  }

  // "Back to top" floats in once a long page is scrolled past its first screens. It is fixed
  // in place (style.css), so showing it moves nothing.
  function backToTop() {
    var link = document.querySelector(".to-top");
    if (!link) return;
    var queued = false;
    function update() {
      queued = false;
      var screen = window.innerHeight, long = document.documentElement.scrollHeight > 3 * screen;
      link.classList.toggle("is-shown", long && window.scrollY > 1.5 * screen);
    }
    window.addEventListener("scroll", function () {
      if (!queued) { queued = true; window.requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }

  function ready() {
    menu();
    tocRail();
    languages();
    backToTop();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

// 长者模式 and the accessibility toolbar (无障碍设置): larger text, higher contrast, wider line
// spacing and a simplified layout, each a class of <html> (data-access) that site.css styles.
// The choice is remembered in this browser (localStorage, never a cookie), so every page stays
// the same for everyone and cacheable. Loaded in <head> without defer: the saved modes apply
// before the first paint. Without script the toolbar stays hidden and the page is as designed.
(function () {
  "use strict";
  var KEY = "xinwen-access";
  var MODES = ["large", "contrast", "spacing", "simple"]; // 长者模式 is all four
  var root = document.documentElement;

  function saved() {
    var value = "";
    try { value = localStorage.getItem(KEY) || ""; } catch (e) {}
    return value.split(" ").filter(function (mode) { return MODES.indexOf(mode) >= 0; });
  }

  function apply(modes) {
    if (modes.length) root.setAttribute("data-access", modes.join(" "));
    else root.removeAttribute("data-access");
  }

  apply(saved());

  function ready() {
    var bar = document.querySelector(".access-bar");
    if (!bar) return;
    var more = bar.querySelector("[data-access-more]");
    var options = document.getElementById(more.getAttribute("aria-controls"));

    function show(modes) {
      apply(modes);
      Array.prototype.forEach.call(bar.querySelectorAll("[data-access-mode]"), function (button) {
        var mode = button.getAttribute("data-access-mode");
        var on = mode === "elder" ? modes.length === MODES.length : modes.indexOf(mode) >= 0;
        button.setAttribute("aria-pressed", String(on));
      });
    }

    function store(modes) {
      try {
        if (modes.length) localStorage.setItem(KEY, modes.join(" "));
        else localStorage.removeItem(KEY);
      } catch (e) {}
      show(modes);
    }

    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var current = saved();
      var mode = button.getAttribute("data-access-mode");
      if (button === more) {
        var open = more.getAttribute("aria-expanded") !== "true";
        more.setAttribute("aria-expanded", String(open));
        options.hidden = !open;
      } else if (button.hasAttribute("data-access-reset")) {
        store([]);
      } else if (mode === "elder") {
        store(current.length === MODES.length ? [] : MODES.slice());
      } else if (mode) {
        var at = current.indexOf(mode);
        if (at >= 0) current.splice(at, 1);
        else current.push(mode);
        store(MODES.filter(function (m) { return current.indexOf(m) >= 0; }));
      }
    });
    show(saved());
    bar.hidden = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

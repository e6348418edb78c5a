// 【字号 大 中 小】【打印】 on article pages. The chosen size is remembered in this browser
// (localStorage, never a cookie), so the page itself stays the same for everyone and cacheable.
// Without script the controls stay hidden: the browser's own zoom and print still work.
(function () {
  "use strict";
  var KEY = "xinwen-text-size";
  var SIZES = ["large", "medium", "small"];
  var root = document.documentElement;
  var controls = document.querySelector(".reading-controls");
  if (!controls) return;

  function apply(size) {
    if (SIZES.indexOf(size) < 0) size = "medium";
    if (size === "medium") root.removeAttribute("data-text-size");
    else root.setAttribute("data-text-size", size);
    Array.prototype.forEach.call(controls.querySelectorAll("button[data-size]"), function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-size") === size));
    });
  }

  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) {}
  apply(saved);

  controls.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var size = button.getAttribute("data-size");
    if (size) {
      apply(size);
      try {
        if (size === "medium") localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, size);
      } catch (e) {}
    } else if (button.hasAttribute("data-print")) {
      window.print();
    }
  });
  controls.hidden = false;
})();

// 【分享】 (a <details> that works without script): 复制链接 copies the article's address.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy-link]");
  if (!button) return;
  var field = document.getElementById("share-url");
  var status = document.querySelector(".share-status");
  function done(ok) { status.textContent = button.getAttribute(ok ? "data-copied" : "data-failed"); }
  button.addEventListener("click", function () {
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () { done(false); });
    } else {
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) {}
      done(ok);
    }
  });
  button.hidden = false;
})();

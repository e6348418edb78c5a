// 图集 on an article page: one picture at a time, with 上一张 / 下一张 buttons and the keys
// ← → (previous, next), Home and End (first, last) while focus is in the gallery. Each move is
// announced as "第 n 张，共 m 张" (the template comes from the page, in the reader's script).
// Without this script the gallery stays a plain list of figures with their captions.
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll("[data-gallery]"), function (root) {
    var items = root.querySelectorAll(".gallery-item");
    var list = root.querySelector(".gallery-list");
    var controls = root.querySelector(".gallery-controls");
    var status = root.querySelector(".gallery-status");
    var template = root.getAttribute("data-template") || "{n} / {m}";
    if (items.length < 2 || !controls || !status) return;
    var current = 0;

    function show(index) {
      current = (index + items.length) % items.length;
      Array.prototype.forEach.call(items, function (item, i) { item.hidden = i !== current; });
      status.textContent = template.replace("{n}", String(current + 1)).replace("{m}", String(items.length));
    }

    root.classList.add("gallery-js");
    controls.hidden = false;
    list.tabIndex = 0; // the pictures themselves take focus, so the keys work without reaching a button
    list.setAttribute("aria-label", root.getAttribute("aria-label") || "");
    root.querySelector("[data-gallery-prev]").addEventListener("click", function () { show(current - 1); });
    root.querySelector("[data-gallery-next]").addEventListener("click", function () { show(current + 1); });
    root.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: items.length - 1 };
      if (!Object.prototype.hasOwnProperty.call(moves, event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
      show(moves[event.key]);
      event.preventDefault();
    });
    show(0);
  });
})();

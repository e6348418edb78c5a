// 编辑日历: drag a movable entry to another day. The drop fills the entry's own 改期 form
// (same time of day, new date) and submits it, so the server sees exactly what the no-script
// form sends. Loaded only for those who may publish; no inline script (Content-Security-Policy).
(function () {
  "use strict";
  var dragged = null;

  function dayCell(node) {
    return node && node.closest ? node.closest("td[data-date]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var entry = event.target.closest && event.target.closest("[data-move]");
    if (!entry) return;
    dragged = entry;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.getAttribute("data-move"));
  });

  document.addEventListener("dragend", function () {
    dragged = null;
    document.querySelectorAll(".xw-cal-drop").forEach(function (cell) { cell.classList.remove("xw-cal-drop"); });
  });

  document.addEventListener("dragover", function (event) {
    var cell = dayCell(event.target);
    if (!cell || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    cell.classList.add("xw-cal-drop");
  });

  document.addEventListener("dragleave", function (event) {
    var cell = dayCell(event.target);
    if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("xw-cal-drop");
  });

  document.addEventListener("drop", function (event) {
    var cell = dayCell(event.target);
    if (!cell || !dragged) return;
    event.preventDefault();
    var form = document.getElementById(dragged.getAttribute("data-move"));
    if (!form) return;
    var when = form.elements.when;
    var parts = when.value.split("T");
    if (parts[0] === cell.getAttribute("data-date")) return; // dropped on its own day
    when.value = cell.getAttribute("data-date") + "T" + (parts[1] || "09:00");
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });
})();

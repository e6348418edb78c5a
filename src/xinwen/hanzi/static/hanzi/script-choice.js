// Remembers the reader's script in this browser (localStorage, no cookie), so the page
// body never depends on anything but its URL. Arriving from another site or a bookmark
// on a page in a different script, the reader is sent to the same page in their script.
(function () {
  "use strict";
  var KEY = "xinwen-script";
  var current = document.body.getAttribute("data-variant");
  var links = document.querySelectorAll(".script-switcher a[data-variant]");
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function () {
      try { localStorage.setItem(KEY, link.getAttribute("data-variant")); } catch (e) {}
    });
  });
  var preferred = null;
  try { preferred = localStorage.getItem(KEY); } catch (e) {}
  if (!preferred || preferred === current) return;
  var fromThisSite = document.referrer && document.referrer.indexOf(location.origin + "/") === 0;
  if (fromThisSite) return; // the reader navigated here on purpose
  var target = document.querySelector('.script-switcher a[data-variant="' + preferred + '"]');
  if (target) location.replace(target.href + location.hash);
})();

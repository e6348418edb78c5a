// Counts a view of this article and shows the live count (the page itself may come from
// a cache or a static copy). One small same-origin POST without cookies; see xinwen/stats.
// fetch with keepalive survives the reader leaving the page, as navigator.sendBeacon does,
// and unlike sendBeacon lets the page read the answer.
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-endpoint][data-article]");
  var endpoint = script && script.getAttribute("data-endpoint");
  var article = script && script.getAttribute("data-article");
  if (!endpoint || !article) return;
  var type = "application/x-www-form-urlencoded";

  function show(data) {
    if (!data || typeof data.views !== "number") return;
    var nodes = document.querySelectorAll(".view-count");
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = String(data.views);
  }

  function send() {
    var body = "article=" + encodeURIComponent(article);
    if (navigator.webdriver) body += "&webdriver=1"; // automated browsers are not readers
    if (window.fetch) {
      window.fetch(endpoint, {
        method: "POST",
        body: body,
        headers: { "Content-Type": type },
        credentials: "omit",
        cache: "no-store",
        keepalive: true
      }).then(function (response) {
        return response.status === 200 ? response.json() : null;
      }).then(show)["catch"](function () { /* offline or blocked: the printed count stays */ });
    } else if (window.XMLHttpRequest) { // browsers from before fetch (IE 11, old in-app browsers)
      var request = new XMLHttpRequest();
      request.open("POST", endpoint, true);
      request.setRequestHeader("Content-Type", type);
      request.onload = function () {
        if (request.status === 200) {
          try { show(JSON.parse(request.responseText)); } catch (e) { /* keep the printed count */ }
        }
      };
      request.send(body);
    }
  }

  // A page the browser prerenders is not read until the reader opens it.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();

// The article form keeps what is typed: every AUTOSAVE_MS, if the text changed, it is posted
// to the autosave URL and kept as a draft revision (the article itself is not changed, nothing
// is published). Leaving the page with changes not saved by the form asks first.
(function () {
  "use strict";
  var AUTOSAVE_MS = 30000;
  var FIELDS = ["title", "subtitle", "summary", "body", "source_name", "source_url", "author", "editor"];

  function snapshot(form) {
    return FIELDS.map(function (name) {
      var field = form.elements[name];
      return field && "value" in field ? field.value : "";
    }).join("\u0000");
  }

  function start() {
    var form = document.getElementById("article_form");
    if (!form) return;
    var config = document.getElementById("xinwen-editor-config");
    var url = config && config.dataset.autosaveUrl;
    var status = document.querySelector(".xw-autosave-status");
    // The editor fills its textarea after it starts: take the clean state once it has.
    var clean = null;
    var autosaved = null;
    var submitting = false;
    setTimeout(function () { clean = autosaved = snapshot(form); }, 500);

    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || clean === null || snapshot(form) === clean) return;
      event.preventDefault();
      event.returnValue = "";
    });

    function save() {
      if (!url || clean === null || submitting) return;
      var now = snapshot(form);
      if (now === autosaved) return;
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      FIELDS.forEach(function (name) {
        var field = form.elements[name];
        if (field && "value" in field) data.append(name, field.value);
      });
      fetch(url, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          if (!status) return;
          if (result.ok) {
            autosaved = now;
            status.textContent = "已自动保存 " + result.body.at + "（草稿版本，未发布；可在「版本与操作记录」中恢复）";
          } else {
            status.textContent = "自动保存失败：" + (result.body.error || "请手动保存");
          }
        })
        .catch(function () {
          if (status) status.textContent = "自动保存失败：网络不可用，请手动保存。";
        });
    }
    setInterval(save, AUTOSAVE_MS);
    form.addEventListener("xw-autosave-now", save); // lets a test (or another script) save at once
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

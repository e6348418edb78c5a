// What the article form's scripts share: the form's settings (#xinwen-editor-config) and a
// POST of form data with the page's CSRF token whose JSON answer resolves, or whose
// Chinese error message rejects. Loaded before the other scripts of the article form.
window.xinwenEditor = (function () {
  "use strict";
  function setting(name) {
    var config = document.getElementById("xinwen-editor-config");
    return config ? config.dataset[name] : null;
  }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function post(url, data, fallback) {
    return fetch(url, { method: "POST", body: data, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || fallback);
          return body;
        });
      });
  }
  return { setting: setting, csrfToken: csrfToken, post: post };
})();
